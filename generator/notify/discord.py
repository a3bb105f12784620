"""Discord webhooks: one embed (title linking to the update, the update as Discord Markdown,
status and components as fields), within Discord's limits (title 256, description 4,096,
field value 1,024, 6,000 in all). Mentions in incident text never ping anyone."""

from __future__ import annotations

from typing import Any

from generator.notify import markup
from generator.notify.channel import JsonSender
from generator.notify.messages import Message

TITLE_LIMIT = 256
DESCRIPTION_LIMIT = 4096
FIELD_NAME_LIMIT = 256
FIELD_LIMIT = 1024
FOOTER_LIMIT = 2048
TOTAL_LIMIT = 6000

COLOURS = {
    "investigating": 0xD93F0B,
    "identified": 0xE99695,
    "monitoring": 0x1D76DB,
    "resolved": 0x2DA44E,
    "scheduled": 0x1D76DB,
    "in_progress": 0x1D76DB,
    "verifying": 0x1D76DB,
    "completed": 0x2DA44E,
    "postmortem": 0x6E7781,
    "preliminary": 0x6E7781,
}


class Sender(JsonSender):
    kind = "discord"

    def payload(self, message: Message) -> Any:
        labels = self.site.labels
        title = markup.cut(message.title, TITLE_LIMIT)
        footer = markup.cut(self.site.name, FOOTER_LIMIT)
        fields: list[dict[str, str | bool]] = [
            {
                "name": labels.t("status"),
                "value": markup.cut(message.status_label, FIELD_LIMIT),
                "inline": True,
            }
        ]
        if message.components:
            names = ", ".join(f"{c.name}: {c.status_label}" for c in message.components)
            fields.append(
                {
                    "name": markup.cut(labels.t("affected"), FIELD_NAME_LIMIT),
                    "value": markup.cut(markup.DISCORD.escape(names), FIELD_LIMIT),
                    "inline": False,
                }
            )
        used = (
            len(title)
            + len(footer)
            + sum(len(str(f["name"])) + len(str(f["value"])) for f in fields)
        )
        link = markup.DISCORD.link(markup.DISCORD.escape(message.link_label), message.url)
        room = min(DESCRIPTION_LIMIT, TOTAL_LIMIT - used) - len(link) - 2
        body = markup.fitted(message.html, message.text, markup.DISCORD, room)
        return {
            "embeds": [
                {
                    "title": title,
                    "url": message.url,
                    "description": f"{body}\n\n{link}" if body else link,
                    "color": COLOURS.get(message.status, 0x6E7781),
                    "timestamp": message.at.isoformat(),
                    "fields": fields,
                    "footer": {"text": footer},
                }
            ],
            # Text from an incident file never pings @everyone, a role or a person.
            "allowed_mentions": {"parse": []},
        }
