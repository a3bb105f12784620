"""The `notify:` channels of the `candor` section: where `candor notify` sends each new update.

A channel names the environment variables that hold its secrets and addresses (`*_env`),
never the values: mkdocs.yml is public, and an error about a misplaced secret never
echoes it."""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

from pydantic import AfterValidator, Discriminator, Field, Tag

from generator.core.errors import Problem
from generator.core.model import Strict
from generator.core.source import SourceMap
from generator.core.validation import did_you_mean, shown

# As people write them and GitHub keeps its secrets' names: capitals, digits and `_`.
# Checking the case catches almost every pasted token or password (they mix cases).
_ENV_NAME = re.compile(r"[A-Z_][A-Z0-9_]*")
_CHANNEL_NAME = re.compile(r"^[a-z0-9][a-z0-9-]*$")
ENV_NAME_RULE = "in capitals, digits and `_`, e.g. SLACK_WEBHOOK_URL"


def is_env_name(value: str) -> bool:
    """Whether `value` looks like the name of an environment variable rather than a secret.
    Beyond the characters, a word of it that is long, or that mixes many digits into its
    letters, is a key (an all-capitals base32 secret, an access key id), not a name."""
    if not _ENV_NAME.fullmatch(value):
        return False
    for word in value.split("_"):
        digits = sum(c.isdigit() for c in word)
        if len(word) > 24 or (len(word) >= 10 and digits >= 3) or (len(word) >= 16 and digits):
            return False
    return True


def _env_name(value: str) -> str:
    # Never echo the value: a secret pasted here by mistake must not reach a log.
    if not is_env_name(value):
        raise ValueError(
            "names an environment variable, not the value itself (not repeated here: it may "
            "be a secret); put the URL, token or password into a secret and write the name "
            f"of its variable here, {ENV_NAME_RULE}"
        )
    return value


def _channel_name(value: str) -> str:
    if not _CHANNEL_NAME.match(value):
        raise ValueError(
            f"`{value[:40]}` is not a channel name; use a-z, 0-9 and -, e.g. `ops-slack`"
        )
    return value


def _address(value: str) -> str:
    if not re.fullmatch(r"[^@\s<>,]+@[^@\s<>,]+\.[^@\s<>,]+", value):
        raise ValueError(f"`{value[:60]}` is not an e-mail address; write it as name@example.com")
    return value


def _public_url(value: str) -> str:
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(f"`{value[:60]}` is not an absolute http(s) URL; write it in full")
    return value


EnvName = Annotated[str, AfterValidator(_env_name)]
Address = Annotated[str, AfterValidator(_address)]
PublicUrl = Annotated[str, AfterValidator(_public_url)]


class ChannelConfig(Strict):
    """One destination of `candor notify`. Secrets and addresses come only from the
    environment variables named here (`*_env`), never from the file."""

    name: Annotated[str, AfterValidator(_channel_name)] | None = None
    retries: int = Field(default=3, ge=0, le=10)

    @property
    def kind(self) -> str:
        """The channel's `type` (each subclass declares it as a literal)."""
        return str(getattr(self, "type"))  # noqa: B009

    @property
    def key(self) -> str:
        """The channel's name in the published record of what it was sent."""
        return self.name or self.kind

    def env_names(self) -> list[str]:
        """Every environment variable the channel reads (all hold secrets)."""
        return [str(v) for k, v in self if k.endswith("_env") and v]


class WebhookChannel(ChannelConfig):
    type: Literal["webhook"]
    url_env: EnvName
    secret_env: EnvName


class SlackChannel(ChannelConfig):
    type: Literal["slack"]
    url_env: EnvName


class DiscordChannel(ChannelConfig):
    type: Literal["discord"]
    url_env: EnvName


class TeamsChannel(ChannelConfig):
    type: Literal["teams"]
    url_env: EnvName


class MastodonChannel(ChannelConfig):
    type: Literal["mastodon"]
    url_env: EnvName  # the instance, e.g. https://mastodon.social
    token_env: EnvName
    visibility: Literal["public", "unlisted", "private"] = "public"
    max_characters: int = Field(default=500, ge=100, le=100_000)
    profile_url: PublicUrl | None = None  # shown on the subscribe page


class EmailChannel(ChannelConfig):
    type: Literal["email"]
    host_env: EnvName
    port_env: EnvName | None = None
    user_env: EnvName | None = None
    password_env: EnvName | None = None
    security: Literal["starttls", "tls", "none"] = "starttls"
    to: Address  # the list's address
    from_: Address = Field(alias="from")
    signup_url: PublicUrl | None = None  # where readers join the list (subscribe page)
    unsubscribe_url: PublicUrl | None = None  # List-Unsubscribe


CHANNEL_MODELS: dict[str, type[ChannelConfig]] = {
    "webhook": WebhookChannel,
    "slack": SlackChannel,
    "discord": DiscordChannel,
    "teams": TeamsChannel,
    "mastodon": MastodonChannel,
    "email": EmailChannel,
}
CHANNEL_TYPES = tuple(CHANNEL_MODELS)


def _channel_type(value: Any) -> str | None:
    if isinstance(value, dict):
        kind = value.get("type")
        return kind if kind in CHANNEL_TYPES else None
    return getattr(value, "type", None)


Channel = Annotated[
    Annotated[WebhookChannel, Tag("webhook")]
    | Annotated[SlackChannel, Tag("slack")]
    | Annotated[DiscordChannel, Tag("discord")]
    | Annotated[TeamsChannel, Tag("teams")]
    | Annotated[MastodonChannel, Tag("mastodon")]
    | Annotated[EmailChannel, Tag("email")],
    Discriminator(
        _channel_type,
        custom_error_type="invalid_channel",
        custom_error_message="`type` must be one of " + ", ".join(CHANNEL_TYPES),
    ),
]


def unique_channel_names(channels: list[Any]) -> list[Any]:
    seen: set[str] = set()
    for index, channel in enumerate(channels):
        if channel.key in seen:
            raise ValueError(
                f"two channels are called `{channel.key}` (entry {index + 1}); "
                "give each a `name`: the record of what each channel was sent is kept by name"
            )
        seen.add(channel.key)
    return channels


def channel_problems(
    section: dict[str, Any], source: SourceMap, prefix: tuple[str | int, ...], rel: str
) -> list[Problem]:
    """A channel's `type` chooses which keys it takes: a wrong one is reported on its own."""
    channels = section.get("notify")
    problems = []
    names: dict[str, int] = {}
    for index, entry in enumerate(channels if isinstance(channels, list) else []):
        if not isinstance(entry, dict):
            continue
        name = entry.get("name") or entry.get("type")
        if isinstance(name, str) and name in names:
            key = "name" if "name" in entry else "type"
            problems.append(
                Problem(
                    rel,
                    *source.value_pos((*prefix, "notify", index, key)),
                    "error",
                    "duplicate-channel",
                    f"two channels are called `{name}` (entries {names[name] + 1} and {index + 1})",
                    "give each a `name`: what each channel was sent is recorded by that name",
                )
            )
        elif isinstance(name, str):
            names[name] = index
        if entry.get("type") in CHANNEL_TYPES:
            continue
        allowed = ", ".join(CHANNEL_TYPES)
        if "type" in entry:
            kind = entry["type"]
            pos = source.value_pos((*prefix, "notify", index, "type"))
            message = f"`notify[{index}].type` is {shown(kind)}, not a channel type"
            hint = f"{did_you_mean(str(kind), CHANNEL_TYPES)}Allowed: {allowed}."
        else:
            pos = source.value_pos((*prefix, "notify", index))
            message = f"`notify[{index}]` has no `type`"
            hint = f"add `type:` with one of {allowed}"
        problems.append(Problem(rel, *pos, "error", "invalid-value", message, hint))
    return problems
