"""What the live site has already announced: its feed and its record of what each channel
was sent, read from `site_url` (or `--previous`: another URL, a folder holding a copy of the
site, or one of the two files).

Nothing there at all (both missing: a first publish) is a state of its own. A site that
cannot be read (no network, a 5xx after retries, a file that is not ours) is an error:
guessing would risk sending everything again."""

from __future__ import annotations

import time
import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from generator.notify.delivery import DeliveryError, check, request, with_retries
from generator.notify.record import Record, RecordError
from generator.outputs import urls
from generator.outputs.digest import read_digest

ATOM = "{http://www.w3.org/2005/Atom}"


class PreviousUnavailable(Exception):
    """The previous state could not be read; nothing should be sent on a guess."""


@dataclass(frozen=True)
class Previous:
    where: str
    record: Record | None
    feed: set[str] | None  # the entry ids of its feed; None when it has none

    @property
    def missing(self) -> bool:
        """Nothing published there yet: a first publish."""
        return self.record is None and self.feed is None


def feed_ids(data: bytes) -> set[str]:
    """The entry ids of an Atom feed (or the guids of an RSS one)."""
    try:
        root = ElementTree.fromstring(data)
    except ElementTree.ParseError as exc:
        raise ValueError(f"not a feed ({exc})") from None
    if root.tag == f"{ATOM}feed":
        return {(e.findtext(f"{ATOM}id") or "").strip() for e in root.iter(f"{ATOM}entry")}
    if root.tag == "rss":
        return {(i.findtext("guid") or "").strip() for i in root.iter("item")}
    raise ValueError(f"not a feed (the document is <{root.tag}>)")


def read(source: str, retries: int = 2) -> Previous:
    if urlsplit(source).scheme in ("http", "https"):
        return _read_url(source, retries)
    return _read_path(Path(source))


def _parse(where: str, name: str, data: bytes | None) -> tuple[Record | None, set[str] | None]:
    if data is None:
        return None, None
    try:
        if name.endswith(".json"):
            return Record.from_json(data), None
        return None, feed_ids(data)
    except (RecordError, ValueError) as exc:
        raise PreviousUnavailable(f"{where}: {exc}") from None


def _read_path(path: Path) -> Previous:
    if path.is_dir():
        record, _ = _parse(str(path), ".json", _file(path / urls.NOTIFY_RECORD))
        _, feed = _parse(str(path), ".atom", _file(path / urls.ATOM))
        return Previous(str(path), record, feed)
    data = _file(path)
    if data is None:
        raise PreviousUnavailable(f"{path}: no such file or folder")
    kind = ".json" if data.lstrip()[:1] == b"{" else ".atom"
    record, feed = _parse(str(path), kind, data)
    return Previous(str(path), record, feed)


def _file(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise PreviousUnavailable(f"{path}: {exc.strerror or exc}") from None


def _read_url(source: str, retries: int) -> Previous:
    path = urlsplit(source).path
    if path.endswith((".json", ".atom", ".xml", ".rss")):
        data = fetch(source, retries)
        if data is None:
            return Previous(source, None, None)
        kind = ".json" if path.endswith(".json") else ".atom"
        record, feed = _parse(source, kind, data)
        return Previous(source, record, feed)
    base = source if source.endswith("/") else source + "/"
    record, _ = _parse(base, ".json", fetch(urls.absolute(base, urls.NOTIFY_RECORD), retries))
    _, feed = _parse(base, ".atom", fetch(urls.absolute(base, urls.ATOM), retries))
    return Previous(base, record, feed)


def fetch(url: str, retries: int = 2) -> bytes | None:
    """The body at `url`, None for 404/410. A query of the current time gets past caches in
    front of the site (GitHub Pages' CDN keeps pages for minutes)."""
    fresh = f"{url}{'&' if '?' in url else '?'}t={int(time.time())}"

    def attempt() -> bytes | None:
        response = request("GET", fresh, headers={"Cache-Control": "no-cache"})
        if response.status in (404, 410):
            return None
        return check(response, "reading the live site").body

    try:
        return with_retries(attempt, retries)
    except DeliveryError as exc:
        raise PreviousUnavailable(f"{url}: {exc}") from None


def live_digest(site_url: str) -> tuple[str | None, str]:
    """The digest the live site publishes, or None and why not. Anything short of a digest
    (a first publish, no Pages yet, no network) means: deploy."""
    base = site_url if site_url.endswith("/") else site_url + "/"
    try:
        data = fetch(urls.absolute(base, urls.DIGEST))
    except PreviousUnavailable as exc:
        return None, f"not read ({exc})"
    if data is None:
        return None, f"none published at {base}"
    found = read_digest(data)
    return found, "" if found else f"{base}{urls.DIGEST} is not a digest"
