"""Secrets never leave `candor notify`: every line it prints, every error and every summary
goes through `Redactor`, which knows the value of each environment variable a channel names
(webhook URLs embed their tokens, so a URL is a secret too) and the parts of those values an
error message might quote on their own (a path, a query, a token in a path segment)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import parse_qsl, quote, unquote, urlsplit

from generator.notify import delivery

MASK = "***"
# Fragments shorter than this are too common to be told from ordinary text.
SHORTEST = 6


def fragments(value: str) -> set[str]:
    """The value and the pieces of it an error might quote."""
    found = {value, quote(value, safe=""), quote(value)}
    parts = urlsplit(value) if "://" in value else None
    if parts is not None and parts.netloc:
        found |= {parts.path, parts.query, f"{parts.path}?{parts.query}"}
        if parts.password:
            # As written, as sent, and inside the `Authorization: Basic` value.
            userinfo = parts.netloc.rpartition("@")[0]
            basic = (delivery.credentials(value)[1] or "").removeprefix("Basic ")
            found |= {parts.password, unquote(parts.password), userinfo, basic}
        pieces = [*parts.path.split("/"), *(v for _, v in parse_qsl(parts.query))]
        found |= {piece for piece in pieces if _token_like(piece)}
        # The address without its scheme, as some errors print it.
        found.add(value.split("://", 1)[1])
    if value.startswith("whsec_"):
        found.add(value.removeprefix("whsec_"))
    return {f for f in found if len(f) >= SHORTEST}


def _token_like(piece: str) -> bool:
    """A path segment or query value that may be a token (not `services` or `invoke`)."""
    has_digit = any(c.isdigit() for c in piece)
    has_letter = any(c.isalpha() for c in piece)
    return len(piece) >= 16 or (len(piece) >= 8 and has_digit and has_letter)


class Redactor:
    def __init__(self, secrets: Iterable[str] = ()) -> None:
        pieces: set[str] = set()
        for secret in secrets:
            if secret and secret.strip():
                pieces |= fragments(secret.strip())
        ordered = sorted(pieces, key=len, reverse=True)
        self._pattern = re.compile("|".join(re.escape(p) for p in ordered)) if ordered else None

    def __call__(self, text: object) -> str:
        text = str(text)
        return self._pattern.sub(MASK, text) if self._pattern else text
