"""A generic webhook: one JSON document per message, signed per the Standard Webhooks spec
(`webhook-id`, `webhook-timestamp`, `webhook-signature`) with the `standardwebhooks`
reference library, so a receiver verifies it with any Standard Webhooks implementation.

`webhook-id` is the same for every attempt and every run that sends the same message to
this channel: a receiver that remembers ids drops a message it already has."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from typing import Any

from standardwebhooks import Webhook

from generator.core.times import format_utc
from generator.notify.channel import JsonSender
from generator.notify.delivery import DeliveryError
from generator.notify.messages import Message

EVENT_TYPES = {
    "update": "{kind}.updated",
    "postmortem": "incident.postmortem",
    "reminder": "maintenance.reminder",
    "started": "maintenance.started",
    "completed": "maintenance.completed",
}


def message_id(channel: str, message: Message) -> str:
    digest = hashlib.sha256(f"{channel}\n{message.key}".encode()).hexdigest()
    return f"msg_{digest[:32]}"


def document(message: Message) -> dict[str, Any]:
    """The JSON body: `type`, `timestamp`, `data`, as the spec recommends."""
    kind = EVENT_TYPES[message.kind].format(kind=message.event_kind)
    update = None
    if message.kind == "update":
        update = {
            "number": message.number,
            "status": message.status,
            "created_at": format_utc(message.at),
            "body": message.text,
            "body_html": message.html,
            "author": message.author,
            "url": message.url,
        }
    event: dict[str, Any] = {
        "id": message.event_id,
        "kind": message.event_kind,
        "name": message.event_title,
        "impact": message.impact,
        "url": message.page_url,
        "feed": message.feed_url,
    }
    if message.window:
        event["scheduled_for"] = format_utc(message.window[0])
        event["scheduled_until"] = format_utc(message.window[1])
    return {
        "type": kind,
        "timestamp": format_utc(message.at),
        "data": {
            "id": message.key,
            "title": message.title,
            "status": message.status,
            "status_label": message.status_label,
            "url": message.url,
            "text": message.text,
            "html": message.html,
            "incident": event,
            "update": update,
            "components": [
                {"id": c.id, "name": c.name, "status": c.status} for c in message.components
            ],
        },
    }


class Sender(JsonSender):
    kind = "webhook"

    def payload(self, message: Message) -> Any:
        return document(message)

    def headers(self, message: Message, body: bytes) -> dict[str, str]:
        secret = self.secret("secret_env")
        try:
            signer = Webhook(secret)
        except Exception:  # the library raises several kinds for a malformed secret
            raise DeliveryError(
                f"{getattr(self.config, 'secret_env')} is not a Standard Webhooks secret "  # noqa: B009
                "(whsec_ followed by base64); make one with the command in the README"
            ) from None
        msg_id = message_id(self.name, message)
        # The signing time is the sending time: receivers reject old timestamps.
        now = datetime.now(UTC).replace(microsecond=0)
        return {
            "webhook-id": msg_id,
            "webhook-timestamp": str(int(now.timestamp())),
            "webhook-signature": signer.sign(msg_id, now, body),
        }
