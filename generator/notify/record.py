"""The record of what each channel was sent, published with the site at `notify/sent.json`.

Per channel it holds the keys of the messages the channel accepted (with when), and the keys
that were already public when the channel was added (`known`: never sent to it, on purpose).
Records only grow by union, so merging the copy carried in the built site with the copy on
the live site can never forget a send; and no key is ever dropped, because an entry can come
back into the feed (a larger `feed_entries`, an incident file moved away and restored) and
must not be news then. A key is about a hundred bytes: years of updates stay small. Each
write replaces the file atomically, right after a channel accepted a message."""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from generator.core.times import format_utc

FORMAT = 1
KIND = "candor notify record"


class RecordError(ValueError):
    """The file is not a record Candor can read."""


@dataclass
class ChannelRecord:
    sent: dict[str, str] = field(default_factory=dict)  # key → when it was accepted (UTC)
    known: set[str] = field(default_factory=set)  # public before the channel was added

    def has(self, key: str) -> bool:
        return key in self.sent or key in self.known


@dataclass
class Record:
    channels: dict[str, ChannelRecord] = field(default_factory=dict)

    def channel(self, name: str) -> ChannelRecord | None:
        return self.channels.get(name)

    def start(self, name: str, known: Iterable[str]) -> None:
        """A channel seen for the first time: what is public now is not news to it."""
        self.channels[name] = ChannelRecord(known=set(known))

    def add(self, name: str, key: str, when: datetime) -> None:
        channel = self.channels.setdefault(name, ChannelRecord())
        channel.sent.setdefault(key, format_utc(when))
        channel.known.discard(key)

    def merge(self, other: Record | None) -> Record:
        """Both records' knowledge: a key either one holds stays held."""
        merged = Record({name: _copy(c) for name, c in self.channels.items()})
        for name, theirs in (other.channels if other else {}).items():
            mine = merged.channels.setdefault(name, ChannelRecord())
            for key, when in theirs.sent.items():
                mine.sent[key] = min(when, mine.sent.get(key, when))
            mine.known |= theirs.known
            mine.known -= set(mine.sent)
        return merged

    def only(self, channels: Iterable[str]) -> Record:
        """The configured channels' records, every key of them: a key a channel took or knew
        stays, even once its entry has left the feed, so it is never due again."""
        return Record(
            {name: _copy(self.channels[name]) for name in channels if name in self.channels}
        )

    def to_json(self) -> str:
        data = {
            "kind": KIND,
            "format": FORMAT,
            "channels": {
                name: {
                    "sent": dict(sorted(c.sent.items())),
                    "known": sorted(c.known),
                }
                for name, c in sorted(self.channels.items())
            },
        }
        return json.dumps(data, indent=1, ensure_ascii=False) + "\n"

    @classmethod
    def from_json(cls, text: str | bytes) -> Record:
        try:
            data = json.loads(text)
        except (ValueError, UnicodeDecodeError) as exc:
            raise RecordError(f"not JSON ({exc})") from None
        if not isinstance(data, dict) or data.get("kind") != KIND:
            raise RecordError(f"not a {KIND}")
        if data.get("format") != FORMAT:
            raise RecordError(f"format {data.get('format')!r}; this Candor reads format {FORMAT}")
        channels = data.get("channels")
        if not isinstance(channels, dict):
            raise RecordError("`channels` is not a mapping")
        record = cls()
        for name, entry in channels.items():
            if not isinstance(entry, dict):
                raise RecordError(f"channel `{name}` is not a mapping")
            sent, known = entry.get("sent", {}), entry.get("known", [])
            if not isinstance(sent, dict) or not isinstance(known, list):
                raise RecordError(f"channel `{name}`: `sent` or `known` has the wrong shape")
            record.channels[str(name)] = ChannelRecord(
                sent={str(k): str(v) for k, v in sent.items()}, known={str(k) for k in known}
            )
        return record

    def write(self, path: Path) -> None:
        """Atomically: a reader (or a crash) sees the old record or the new one, never half."""
        tmp: str | None = None
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=".sent.", dir=path.parent)
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                out.write(self.to_json())
                out.flush()
                os.fsync(out.fileno())
            os.chmod(tmp, 0o644)
            os.replace(tmp, path)
        except OSError as exc:
            raise RecordError(_unusable(path, exc, "write")) from None
        finally:
            if tmp is not None:
                Path(tmp).unlink(missing_ok=True)


def _copy(channel: ChannelRecord) -> ChannelRecord:
    return ChannelRecord(dict(channel.sent), set(channel.known))


# Removing the built site's copy is always safe: `candor notify` merges in the live site's
# record again (or, that unreadable, sends nothing), so no channel gets a message twice.
_REMOVE = "remove it: the live site's record is read again, so nothing is sent twice"


def _unusable(path: Path, exc: OSError, doing: str) -> str:
    if isinstance(exc, IsADirectoryError) or path.is_dir():
        return f"{path}: a folder is in the way of the record: {_REMOVE}"
    reason = exc.strerror or type(exc).__name__
    return (
        f"{path}: cannot {doing} the record ({reason}): check that {path.parent} is a folder "
        f"this user can {doing}, or {_REMOVE}"
    )


def read(path: Path) -> Record | None:
    """The record at `path`; None when there is none."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise RecordError(_unusable(path, exc, "read")) from None
    try:
        return Record.from_json(data)
    except RecordError as exc:
        raise RecordError(f"{path}: {exc}; {_REMOVE}") from None
