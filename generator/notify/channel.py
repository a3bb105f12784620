"""What every channel shares: its config, the secrets it reads from the environment, and the
one way a message goes out (`send`, retried by the caller)."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator, Mapping
from typing import Any, ClassVar
from urllib.parse import urlsplit

from generator.core.channels import ChannelConfig, is_env_name
from generator.notify import delivery
from generator.notify.messages import Message, Site


class MissingSecret(Exception):
    """An environment variable the channel names is not set (or empty)."""


class Sender:
    """One configured channel. Subclasses format a message their channel's way."""

    kind: ClassVar[str]

    def __init__(self, config: ChannelConfig, env: Mapping[str, str], site: Site) -> None:
        self.config = config
        self.env = env
        self.site = site

    @property
    def name(self) -> str:
        return self.config.key

    def missing(self) -> list[str]:
        """The environment variables it needs that are not set."""
        return [name for name in self.config.env_names() if not self.env.get(name, "").strip()]

    def variable(self, setting: str) -> str:
        """How an error names the variable of `setting` (e.g. `token_env`): by its name, or,
        when the name looks like a pasted secret, by the setting alone."""
        name = str(getattr(self.config, setting, "") or "")
        return name if is_env_name(name) else f"the variable named in `{setting}`"

    def secret(self, setting: str) -> str:
        """The value of the variable the config names in `setting` ("" when the setting is
        optional and left out)."""
        name = getattr(self.config, setting, None)
        if not name:
            return ""
        value = self.env.get(str(name), "").strip()
        if not value:
            raise MissingSecret(
                f"{self.variable(setting)} is not set: add it as a repository secret and pass "
                "it to the notify step's env (README: Notify subscribers)"
            )
        return value

    def payload(self, message: Message) -> Any:
        """What goes out for `message` (shown by --dry-run; sent by `send`)."""
        raise NotImplementedError

    def send(self, message: Message) -> None:
        """One attempt; raises delivery.DeliveryError."""
        raise NotImplementedError

    @contextlib.contextmanager
    def session(self) -> Iterator[None]:
        """Held open while this run sends to the channel (an SMTP connection, say)."""
        yield


class JsonSender(Sender):
    """A channel that takes one JSON POST per message at the URL in `url_env`."""

    def headers(self, message: Message, body: bytes) -> dict[str, str]:
        return {}

    def url(self) -> str:
        value = self.secret("url_env")
        if urlsplit(value).scheme not in ("http", "https"):
            # The value itself is a secret: say what is wrong with it without quoting it.
            raise MissingSecret(
                f"{self.variable('url_env')} does not hold an http(s) URL; check the secret's value"
            )
        return value

    def send(self, message: Message) -> None:
        url = self.url()
        body = encode(self.payload(message))
        headers = {"Content-Type": "application/json", **self.headers(message, body)}
        delivery.post(url, body, headers)


def encode(payload: Any) -> bytes:
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
