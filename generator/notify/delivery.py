"""Sending with timeouts and retries: what every channel shares.

A failure is retried with exponential backoff when trying again can help: a network error,
a timeout, 408, 429 or any 5xx. `Retry-After` (seconds or an HTTP date) is honoured; a
channel that asks to wait longer than `LONGEST_WAIT` is left for the next run rather than
holding up this one. Any other answer (a 4xx: a revoked token, a deleted webhook, a message
the API refuses) is final for this run. Redirects are not followed: a webhook that moved
must be configured at its new address, and its secret must not travel to another."""

from __future__ import annotations

import base64
import email.utils
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TypeVar
from urllib.parse import unquote, urlsplit, urlunsplit

from generator import __version__

TIMEOUT = 15.0  # seconds per attempt: connect and every read
LONGEST_WAIT = 120.0  # the most a `Retry-After` may hold up a run
FIRST_BACKOFF = 1.0  # then 2, 4, 8 ... seconds
USER_AGENT = f"Candor/{__version__} (status page notifier)"

T = TypeVar("T")


class DeliveryError(Exception):
    """The channel did not take the message; `retry` says whether trying again may help."""

    def __init__(self, message: str, retry: bool = False, wait: float | None = None) -> None:
        super().__init__(message)
        self.retry = retry
        self.wait = wait


@dataclass(frozen=True)
class Response:
    status: int
    headers: Mapping[str, str]
    body: bytes


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None  # the 3xx reaches the caller as an HTTPError


_OPENER = urllib.request.build_opener(_NoRedirect)


def credentials(url: str) -> tuple[str, str | None]:
    """The URL without a `user:password@` part, and that part as an `Authorization: Basic`
    value. urllib would read the user and password as part of the host name; a receiver
    behind basic auth expects them in the header, as curl and browsers send them."""
    parts = urlsplit(url)
    userinfo, at, host = parts.netloc.rpartition("@")
    if not at:
        return url, None
    user, _, password = userinfo.partition(":")
    pair = f"{unquote(user)}:{unquote(password)}".encode()
    bare = urlunsplit((parts.scheme, host, parts.path, parts.query, parts.fragment))
    return bare, "Basic " + base64.b64encode(pair).decode("ascii")


def request(
    method: str,
    url: str,
    body: bytes | None = None,
    headers: Mapping[str, str] | None = None,
    timeout: float = TIMEOUT,
) -> Response:
    """One HTTP exchange. Any status comes back as a Response; only a failure to talk to the
    server at all raises (DeliveryError, retryable)."""
    url, basic = credentials(url)
    req = urllib.request.Request(url, data=body, method=method)
    req.add_header("User-Agent", USER_AGENT)
    if basic is not None:
        req.add_header("Authorization", basic)
    for name, value in (headers or {}).items():
        req.add_header(name, value)
    try:
        with _OPENER.open(req, timeout=timeout) as answer:
            return Response(answer.status, dict(answer.headers.items()), answer.read())
    except urllib.error.HTTPError as exc:
        with exc:
            data = exc.read() if exc.fp is not None else b""
            return Response(exc.code, dict(exc.headers.items()) if exc.headers else {}, data)
    except urllib.error.URLError as exc:
        raise DeliveryError(f"cannot reach the server: {exc.reason}", retry=True) from None
    except (TimeoutError, OSError) as exc:
        raise DeliveryError(f"no answer: {exc or type(exc).__name__}", retry=True) from None


def retry_after(
    value: str | None, now: Callable[[], datetime] = lambda: datetime.now(UTC)
) -> float | None:
    """Seconds to wait from a `Retry-After` header (delta-seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - now()).total_seconds())


def check(response: Response, what: str = "") -> Response:
    """The response, if the channel accepted; else a DeliveryError saying whether to retry."""
    status = response.status
    if 200 <= status < 300:
        return response
    detail = _detail(response.body)
    text = f"HTTP {status}{f' ({what})' if what else ''}{f': {detail}' if detail else ''}"
    if status == 429 or status == 408 or status >= 500:
        wait = retry_after(
            response.headers.get("Retry-After") or response.headers.get("retry-after")
        )
        raise DeliveryError(text, retry=True, wait=wait)
    if 300 <= status < 400:
        raise DeliveryError(f"{text}; redirects are not followed: configure the new address")
    raise DeliveryError(text)


def _detail(body: bytes) -> str:
    """The start of an error body, on one line: APIs explain refusals there."""
    text = body.decode("utf-8", "replace").strip()
    text = " ".join(text.split())
    return text[:200] + ("…" if len(text) > 200 else "")


def post(url: str, body: bytes, headers: Mapping[str, str]) -> Response:
    return check(request("POST", url, body, headers))


def with_retries(
    attempt: Callable[[], T],
    retries: int,
    sleep: Callable[[float], None] = time.sleep,
    log: Callable[[str], None] = lambda _: None,
) -> T:
    """`attempt()` until it succeeds, fails for good, or `retries` retries are spent."""
    tries = 0
    while True:
        try:
            return attempt()
        except DeliveryError as exc:
            if not exc.retry or tries >= retries:
                tries_text = f" after {tries + 1} attempts" if tries else ""
                raise DeliveryError(f"{exc}{tries_text}", retry=exc.retry) from None
            backoff = FIRST_BACKOFF * 2**tries
            wait = max(backoff, exc.wait or 0.0)
            if wait > LONGEST_WAIT:
                raise DeliveryError(
                    f"{exc}; the channel asks to wait {wait:.0f} s: it is left for the next run",
                    retry=True,
                ) from None
            log(f"{exc}; retrying in {wait:.0f} s")
            sleep(wait)
            tries += 1
