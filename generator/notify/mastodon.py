"""Mastodon: a status through the statuses API with the account's token: the title, the
update as plain text and the link, within the instance's limit (500 characters unless
configured; a link counts as 23, as Mastodon counts it). An `Idempotency-Key` per message
makes Mastodon drop a repeat it already posted."""

from __future__ import annotations

import hashlib
import re
from typing import Any

from generator.notify import delivery, markup
from generator.notify.channel import Sender as Base
from generator.notify.channel import encode
from generator.notify.messages import Message

URL_LENGTH = 23  # what Mastodon counts for any link
_URL = re.compile(r"https?://\S+")
# "@name" at the start of a word would mention (and notify) an account on the instance.
_MENTION = re.compile(r"(^|\s)@(?=\w)")


def length(text: str) -> int:
    """The length as Mastodon counts it."""
    return len(_URL.sub("x" * URL_LENGTH, text))


def _quiet(text: str) -> str:
    return _MENTION.sub("\\1@\u200b", text)


class Sender(Base):
    kind = "mastodon"

    def status(self, message: Message) -> str:
        limit = int(getattr(self.config, "max_characters", 500))
        head = _quiet(message.title)
        tail = message.url
        fixed = length(head) + length(tail) + 4
        room = limit - fixed
        body = _quiet(message.text)
        if room < 20:
            return f"{markup.cut(head, limit - URL_LENGTH - 2)}\n\n{tail}"
        while length(body) > room:
            body = markup.cut(body, len(body) - (length(body) - room))
        return f"{head}\n\n{body}\n\n{tail}" if body else f"{head}\n\n{tail}"

    def payload(self, message: Message) -> Any:
        return {
            "status": self.status(message),
            "visibility": getattr(self.config, "visibility", "public"),
            "language": self.site.language,
        }

    def send(self, message: Message) -> None:
        instance = self.secret("url_env").rstrip("/")
        token = self.secret("token_env")
        key = hashlib.sha256(f"{self.name}\n{message.key}".encode()).hexdigest()
        delivery.post(
            f"{instance}/api/v1/statuses",
            encode(self.payload(message)),
            {
                "Content-Type": "application/json",
                "Authorization": f"Bearer {token}",
                "Idempotency-Key": key,
            },
        )
