"""Slack incoming webhooks: Block Kit with a plain-text header, the status and components as
context, the update in Slack's mrkdwn and a link to it, within Slack's limits (header text
150 characters, a section's text 3,000, the notification `text` kept short)."""

from __future__ import annotations

from typing import Any

from generator.notify import markup
from generator.notify.channel import JsonSender
from generator.notify.messages import Message

HEADER_LIMIT = 150
SECTION_LIMIT = 3000
CONTEXT_LIMIT = 3000
TEXT_LIMIT = 3000


def _facts(message: Message) -> str:
    esc = markup.SLACK.escape
    parts = [f"*{esc(message.status_label)}*"]
    if message.components:
        parts.append(", ".join(f"{esc(c.name)}: {esc(c.status_label)}" for c in message.components))
    return markup.cut(" · ".join(parts), CONTEXT_LIMIT)


class Sender(JsonSender):
    kind = "slack"

    def payload(self, message: Message) -> Any:
        esc = markup.SLACK.escape
        body = markup.fitted(message.html, message.text, markup.SLACK, SECTION_LIMIT)
        link = markup.SLACK.link(esc(message.link_label), message.url)
        blocks: list[dict[str, Any]] = [
            {
                "type": "header",
                "text": {
                    "type": "plain_text",
                    "text": markup.cut(message.title, HEADER_LIMIT),
                    "emoji": False,
                },
            },
            {"type": "context", "elements": [{"type": "mrkdwn", "text": _facts(message)}]},
        ]
        if body:
            blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": body}})
        blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": link}})
        fallback = markup.cut(f"{esc(message.title)}: {message.url}", TEXT_LIMIT)
        return {"text": fallback, "blocks": blocks, "unfurl_links": False, "unfurl_media": False}
