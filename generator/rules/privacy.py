"""`private-data`: what must never reach a public page: a person's email address, an IP
address, an internal host name, a credential. In every language: an address is an address.

Deliberately shown values stay: code (a command to run, a log line), public links, the
addresses set aside for documentation (`example.com`, RFC 5737 and RFC 3849 ranges) and
role addresses such as `support@`. A credential is reported wherever it is, code and links
included: once published it is compromised."""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import urlsplit

from generator.core.errors import Problem
from generator.core.load import LoadedFile
from generator.core.validation import field_name
from generator.rules.context import Context
from generator.rules.prose import (
    lowered_source,
    place,
    report,
    vocabulary,
    without_code,
    without_code_spans,
    words,
)

# ASCII only (re.A): Python's \w would take the Japanese around an address as part of it.
_EMAIL = re.compile(r"(?<![\w.%+-])([\w.%+-]+)@((?:[A-Za-z0-9-]+\.)+[A-Za-z]{2,})(?![\w-])", re.A)
_IPV4 = re.compile(
    r"(?<![\w.])(?<!version )((?:\d{1,3}\.){3}\d{1,3})(?:/\d{1,2})?(?!\w|\.\d)", re.A
)
_IPV6 = re.compile(
    r"(?<![\w:.])((?:[0-9A-Fa-f]{1,4}:){7}[0-9A-Fa-f]{1,4}"
    r"|(?:[0-9A-Fa-f]{1,4}:){1,7}:(?:[0-9A-Fa-f]{1,4}(?::[0-9A-Fa-f]{1,4}){0,6})?"
    r"|::(?:[0-9A-Fa-f]{1,4}(?::[0-9A-Fa-f]{1,4}){0,6}))(?:/\d{1,3})?(?![\w:])",
    re.A,
)
# Names under suffixes that only resolve inside an organisation's own network.
_INTERNAL_SUFFIXES = (
    "internal",
    "intranet",
    "intra",
    "corp",
    "lan",
    "local",
    "localdomain",
    "private",
    "priv",
    "home.arpa",
    "svc",
)
_SUFFIX_WORDS = frozenset(suffix.split(".")[-1].encode() for suffix in _INTERNAL_SUFFIXES)
_INTERNAL_HOST = re.compile(
    r"(?<![\w.-])((?:[A-Za-z0-9-]+\.)+(?:"
    + "|".join(re.escape(s) for s in _INTERNAL_SUFFIXES)
    + r"))(?![\w-]|\.[A-Za-z0-9])",
    re.I | re.A,
)
# (what each match needs, lower-cased; the pattern; what it is)
# (what each match needs: a word of the file in lower case, or with `+` a string inside one;
# the pattern; what it is)
_CREDENTIALS: tuple[tuple[tuple[str, ...], re.Pattern[str], str], ...] = (
    (("+akia", "+asia"), re.compile(r"\b(?:AKIA|ASIA)[0-9A-Z]{16}\b"), "an AWS access key"),
    (
        ("ghp", "gho", "ghu", "ghs", "ghr", "github"),
        re.compile(r"\bgh[pousr]_[A-Za-z0-9]{36,}\b|\bgithub_pat_[A-Za-z0-9_]{22,}"),
        "a GitHub token",
    ),
    (
        ("xoxa", "xoxb", "xoxo", "xoxp", "xoxr", "xoxs"),
        re.compile(r"\bxox[abposr]-[A-Za-z0-9-]{10,}"),
        "a Slack token",
    ),
    (("live",), re.compile(r"\b[sr]k_live_[A-Za-z0-9]{16,}"), "a Stripe key"),
    (("+aiza",), re.compile(r"\bAIza[0-9A-Za-z_-]{35}(?![\w-])"), "a Google API key"),
    (
        ("+eyj",),
        re.compile(r"\beyJ[\w-]{8,}\.eyJ[\w-]{8,}\.[\w-]{8,}", re.A),
        "a JSON web token",
    ),
    (("private",), re.compile(r"-----BEGIN [A-Z ]*PRIVATE KEY-----"), "a private key"),
    (
        ("+://",),
        re.compile(r"\b[a-z][a-z0-9+.-]*://[^\s:/@]+:[^\s/@]+@[^\s/]+", re.I),
        "a password in a link",
    ),
    (("bearer",), re.compile(r"\bBearer\s+[A-Za-z0-9._~+/-]{20,}=*"), "a bearer token"),
    (
        ("key", "apikey", "token", "secret", "password", "passwd"),
        re.compile(
            r"\b(?:api[_-]?key|access[_-]?token|auth[_-]?token|secret|password|passwd)"
            r"\s*[:=]\s*[\"']?[A-Za-z0-9._~+/!@#$%^&*-]{8,}",
            re.I,
        ),
        "a secret",
    ),
)
# Mailboxes of a team, not of a person: publishing them is the point.
_ROLE_MAILBOXES = words(
    "support help helpdesk status security abuse noreply no-reply donotreply info sales billing "
    "privacy contact hello team ops press postmaster webmaster hostmaster incident incidents "
    "legal dpo compliance service care feedback"
)
_EXAMPLE_DOMAINS = ("example.com", "example.net", "example.org")
_EXAMPLE_SUFFIXES = (".example", ".test", ".invalid", ".localhost")
_DOCUMENTATION_V4 = tuple(
    ipaddress.ip_network(n) for n in ("192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24")
)
_DOCUMENTATION_V6 = ipaddress.ip_network("2001:db8::/32")
# Addresses everybody knows (public resolvers): naming one tells nothing private.
_WELL_KNOWN = frozenset(
    ipaddress.ip_address(a)
    for a in words(
        "1.1.1.1 1.0.0.1 8.8.8.8 8.8.4.4 9.9.9.9 149.112.112.112 208.67.222.222 "
        "208.67.220.220 2606:4700:4700::1111 2001:4860:4860::8888"
    )
)


def is_example_domain(domain: str) -> bool:
    domain = domain.lower().rstrip(".")
    return (
        domain in _EXAMPLE_DOMAINS
        or domain.endswith(tuple("." + d for d in _EXAMPLE_DOMAINS))
        or domain.endswith(_EXAMPLE_SUFFIXES)
        or domain in ("localhost", "example", "test", "invalid")
    )


@dataclass(frozen=True)
class _Plan:
    """Which searches can find anything in a file, from one look at its whole text: each
    text of the file then runs only those (nearly every file: none)."""

    credentials: tuple[tuple[re.Pattern[str], str], ...]
    emails: bool
    ipv4: bool
    ipv6: bool
    hosts: bool
    links: bool

    @classmethod
    def of(cls, lowered: str, vocabulary: frozenset[bytes]) -> _Plan | None:
        inside = {marker for marker in _INSIDE_WORDS if marker in lowered}
        plan = cls(
            credentials=tuple(
                (pattern, what)
                for in_words, in_text, pattern, what in _CREDENTIAL_MARKERS
                if not vocabulary.isdisjoint(in_words) or not inside.isdisjoint(in_text)
            ),
            emails="@" in lowered,
            ipv4=_DOTTED_QUAD.search(lowered) is not None,
            ipv6="::" in lowered or _IPV6_FULL.search(lowered) is not None,
            hosts=not vocabulary.isdisjoint(_SUFFIX_WORDS)
            and any("." + suffix in lowered for suffix in _INTERNAL_SUFFIXES),
            links="://" in lowered,
        )
        found = plan.emails or plan.ipv4 or plan.ipv6 or plan.hosts or plan.links
        return plan if found or plan.credentials else None


# (the words, and the strings inside words, that a credential's match needs; pattern; what)
_CREDENTIAL_MARKERS = tuple(
    (
        frozenset(m.encode() for m in markers if not m.startswith("+")),
        tuple(m[1:] for m in markers if m.startswith("+")),
        pattern,
        what,
    )
    for markers, pattern, what in _CREDENTIALS
)
_INSIDE_WORDS = frozenset(m for _, in_text, _, _ in _CREDENTIAL_MARKERS for m in in_text)
# Both start with a plain character, which the regular expression engine looks for quickly.
_DOTTED_QUAD = re.compile(r"\.\d{1,3}\.\d")
_IPV6_FULL = re.compile(r":[0-9a-f]{1,4}:[0-9a-f]{1,4}:[0-9a-f]{1,4}:[0-9a-f]{1,4}:", re.I)


def _ip_finding(text: str) -> str | None:
    """What a written IP address reveals, or None when it is fine to publish."""
    try:
        network = ipaddress.ip_network(text, strict=False)
    except ValueError:
        return None
    address = network.network_address
    if address.version == 4 and any(network.subnet_of(d) for d in _DOCUMENTATION_V4):  # type: ignore[arg-type]
        return None
    if address.version == 6 and network.subnet_of(_DOCUMENTATION_V6):  # type: ignore[arg-type]
        return None
    if address in _WELL_KNOWN or address.is_loopback or address.is_unspecified:
        return None
    if not address.is_global:
        return "an internal IP address"
    return "an IP address"


def _findings(text: str, plan: _Plan) -> Iterator[tuple[int, str, str]]:
    """(offset, the text found, what it is) for each piece of private data in `text`."""
    for pattern, what in plan.credentials:
        for match in pattern.finditer(text):
            yield match.start(), match.group(0), what
    shown = without_code(text)  # code and links: shown on purpose
    if plan.emails and "@" in shown:
        for match in _EMAIL.finditer(shown):
            local, domain = match.group(1), match.group(2)
            if is_example_domain(domain) or local.lower() in _ROLE_MAILBOXES:
                continue
            yield match.start(), match.group(0), "an email address"
    if plan.ipv4 and _DOTTED_QUAD.search(shown):
        for match in _IPV4.finditer(shown):
            revealed = _ip_finding(match.group(0))
            if revealed:
                yield match.start(), match.group(0), revealed
    if plan.hosts:
        for match in _INTERNAL_HOST.finditer(shown):
            yield match.start(), match.group(0), "an internal host name"
    if plan.ipv6 and ":" in shown:
        for match in _IPV6.finditer(shown):
            revealed = _ip_finding(match.group(0))
            if revealed:
                yield match.start(), match.group(0), revealed
    if plan.links and "://" in text:
        # A link to an internal host: customers cannot open it, and it maps the inside.
        for match in _LINK.finditer(without_code_spans(text)):
            host = urlsplit(match.group(0)).hostname or ""
            if _INTERNAL_HOST.fullmatch(host) or _ip_finding(host) == "an internal IP address":
                yield match.start(), match.group(0), "a link to an internal host"


_LINK = re.compile(r"\b(?:https?|ftp)://[^\s<>()\[\]]+", re.I)
_HINTS = {
    "an email address": (
        "remove it: say who without naming them (“one customer reported …”); in an example, "
        "write `someone@example.com`"
    ),
    "an IP address": (
        "describe it instead (“one of our load balancers in us-east”); in an example, use a "
        "documentation address such as 192.0.2.10"
    ),
    "an internal IP address": (
        "describe it instead (“one of our database servers”); in an example, use a "
        "documentation address such as 192.0.2.10"
    ),
    "an internal host name": (
        "name the service as customers know it (“the EU database cluster”), not its host"
    ),
    "a link to an internal host": "link to a public page, or describe what is behind the link",
}
_CREDENTIAL_HINT = (
    "remove it and revoke it now: a credential in a public update is compromised, even if the "
    "page is changed later"
)


def check_private_data(f: LoadedFile, ctx: Context) -> Iterator[Problem]:
    plan = _Plan.of(lowered_source(f), vocabulary(f))
    if plan is None:
        return
    for path, text in ctx.strings(f):
        seen: list[tuple[int, int]] = []
        for offset, found, what in sorted(_findings(text, plan)):
            if any(start <= offset < end for start, end in seen):
                continue  # an address inside a link or a credential already reported
            seen.append((offset, offset + len(found)))
            if what in _HINTS:
                shown = found if len(found) <= 40 else found[:37] + "…"
            else:  # a credential: never repeated in full, not even in a check's output
                shown = found[:4] + "…"
            yield report(
                f,
                "private-data",
                place(f, path, text, offset),
                f"`{field_name(path)}` shows {what} to the public: `{shown}`",
                _HINTS.get(what, _CREDENTIAL_HINT),
            )
