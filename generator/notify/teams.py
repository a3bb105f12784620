"""Microsoft Teams through a Workflows webhook ("post to a channel when a webhook request is
received"): an Adaptive Card with the title, status and components as facts, the update in
the card's Markdown subset and a button to the update, kept under Teams' 28 KB limit."""

from __future__ import annotations

import json
from typing import Any

from generator.notify import markup
from generator.notify.channel import JsonSender
from generator.notify.messages import Message

SIZE_LIMIT = 27_000  # bytes of JSON; Teams refuses messages over about 28 KB
CARD_VERSION = "1.4"


class Sender(JsonSender):
    kind = "teams"

    def card(self, message: Message, body: str) -> dict[str, Any]:
        labels = self.site.labels
        facts = [{"title": labels.t("status"), "value": message.status_label}]
        if message.components:
            names = ", ".join(f"{c.name}: {c.status_label}" for c in message.components)
            # A fact's value is Markdown in Adaptive Cards: names are text, escaped like titles.
            facts.append({"title": labels.t("affected"), "value": markup.TEAMS.escape(names)})
        facts.append({"title": labels.t("notify.posted"), "value": self.site.when(message.at)})
        items: list[dict[str, Any]] = [
            {
                "type": "TextBlock",
                "text": markup.TEAMS.escape(message.title),
                "weight": "Bolder",
                "size": "Medium",
                "wrap": True,
            },
            {"type": "FactSet", "facts": facts},
        ]
        if body:
            items.append({"type": "TextBlock", "text": body, "wrap": True})
        return {
            "type": "message",
            "attachments": [
                {
                    "contentType": "application/vnd.microsoft.card.adaptive",
                    "contentUrl": None,
                    "content": {
                        "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
                        "type": "AdaptiveCard",
                        "version": CARD_VERSION,
                        "body": items,
                        "actions": [
                            {
                                "type": "Action.OpenUrl",
                                "title": message.link_label,
                                "url": message.url,
                            }
                        ],
                        "msteams": {"width": "Full"},
                    },
                }
            ],
        }

    def payload(self, message: Message) -> Any:
        room = 20_000
        while True:
            body = markup.fitted(message.html, message.text, markup.TEAMS, room)
            card = self.card(message, body)
            size = len(json.dumps(card, ensure_ascii=False).encode("utf-8"))
            if size <= SIZE_LIMIT or room < 200:
                return card
            room = max(100, room - (size - SIZE_LIMIT) - 500)
