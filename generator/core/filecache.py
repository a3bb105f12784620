"""Each incident file's clock-independent check results, kept between runs (`files.sqlite`
in the cache folder, see cache.py), so that `candor check` and the build parse and check
again only the files that changed.

An entry holds the loaded file (its validated model and the data as written) and the
problems of every rule that does not read "now" (generator/rules: loading, validation, text
and most communication rules). Not the file's text, which is read anyway to name the entry,
nor where each value was written, which is found again from the text when a problem asks.
The findings of the rules that read "now" are kept too, with the span of "now" in which they
hold (rules/clock.py: for a settled incident, from its last moment on): a check within it
takes the file's problems from there, without unpickling its model or running a rule, and a
build takes them beside the kept model instead of running those rules on every file again.
An entry is named by a digest of:

- the file's bytes, its path relative to the site, and the names of the other files with the
  same id (a duplicate id drops the model);
- the whole `candor` section of mkdocs.yml as Candor read it (a narrower part would go stale
  the day a rule reads one more setting), and the rules of the site's time zone;
- Candor's code and the versions of the libraries that parse and validate (cache.py).

An entry is a pickle, only ever read by the code that wrote it (the code is in its key), and
only after its digest, which covers its key, matches: one that is cut short, altered, found
under another key or does not unpickle is ignored and the file is parsed again. The entries
live in one SQLite database, `files.sqlite`, written in a few transactions per run: ten
thousand small files cost more to create on some file systems than the files they stand for
cost to parse, and SQLite never waits for the disk. A database that is not one or is damaged
(cut short, spoilt by a crash) is started afresh; one that cannot be opened (locked for too
long, a read-only folder) only makes the run parse every file.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import sqlite3
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, TypeGuard
from zoneinfo import ZoneInfo

from generator.core import cache
from generator.core.config import CandorConfig
from generator.core.errors import Problem
from generator.core.files import NotRegularFile, read_regular
from generator.core.load import (
    ID_PATTERN,
    MAX_BYTES,
    LoadedFile,
    decoded,
    flag_duplicate,
    load_file,
)
from generator.core.source import deferred
from generator.core.times import Span

# Bumped whenever what an entry holds changes shape.
FORMAT = "3"
MAGIC = b"candor-file 3\n"
LIBRARIES = ("pydantic", "pydantic-core", "pyyaml", "tzdata")

DATABASE = "files.sqlite"
# Entries written per transaction: bounds the memory a long history's first run holds.
BATCH = 500
# SQLite's codes for a file that is not a database or is damaged: it is started afresh.
_SPOILT = (sqlite3.SQLITE_NOTADB, sqlite3.SQLITE_CORRUPT)

# The clock-independent problems of a loaded file (rules.fixed_problems).
Fixed = Callable[[LoadedFile], list[Problem]]
# The clock's findings on a loaded file, and the moments strictly between which "now" gives
# the same (rules.clock_span).
Clocked = Callable[[LoadedFile], tuple[list[Problem], Span]]
Entry = tuple[LoadedFile, list[Problem]]
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)


class _Memory:
    """In a process that loads the same files again and again (`candor serve`), the entries
    of its last run, as loaded: a rebuild after one saved file takes every other file from
    here instead of reading and unpickling it from the database."""

    entries: dict[str, Entry] | None = None


def keep_in_memory(on: bool = True) -> None:
    """From now on, this process keeps (or, `on` false, no longer keeps) the entries of its
    last run in memory."""
    if not on:
        _Memory.entries = None
    elif _Memory.entries is None:
        _Memory.entries = {}


class FileCache:
    """The entries of one site for one config; `folder` None: nothing is kept."""

    def __init__(self, folder: Path | None, config: CandorConfig, tz: ZoneInfo) -> None:
        self.store = _Table(folder / DATABASE) if folder is not None else None
        digest = hashlib.sha256(f"candor-file {FORMAT}\n".encode())
        digest.update(cache.code().encode())
        digest.update(cache.versions(LIBRARIES).encode())
        digest.update(cache.zone(tz.key) + b"\x00" + tz.key.encode())
        digest.update(config.model_dump_json().encode())
        self.base = digest.digest()
        self.wrote = False
        self._used: dict[str, Entry] = {}

    def key(self, rel: str, raw: bytes, duplicate: str | None) -> str:
        digest = hashlib.sha256(self.base)
        digest.update(repr((rel, duplicate, len(raw))).encode() + b"\x00")
        digest.update(raw)
        return digest.hexdigest()

    def checked(
        self,
        path: Path,
        rel: str,
        tz: ZoneInfo,
        duplicate: str | None,
        rules: tuple[Fixed, Clocked],
        now: datetime,
        load: bool,
    ) -> tuple[LoadedFile | None, list[Problem]]:
        """The file's problems at `now`, and with `load` the loaded file (kept, or made and
        kept). Where the clock's findings of an earlier check or build hold at `now` too,
        those with the kept clock-independent ones, without running a rule; without `load`
        (`candor check`), without loading the file's model either. Else as `load` finds
        them, and kept with their span. None for the file: `load` false and not loaded."""
        fixed, clocked = rules
        raw = self._read(path) if self.store is not None else None
        if self.store is None or raw is None:
            loaded, found = _make(load_file(path, rel, tz), duplicate, fixed)
            return loaded, found + clocked(loaded)[0]
        key = self.key(rel, raw, duplicate)
        moment = _micro(now)
        kept = _unsealed(key, self.store.get_checked(key, moment))
        held = _problems(kept)
        if held and not load:
            return None, kept
        # Held: no rule runs on it, so neither its data nor its text is needed.
        loaded, found = self._load(path, rel, tz, duplicate, fixed, raw, key, whole=not held)
        if held:
            return loaded, kept
        clock, (after, before) = clocked(loaded)
        problems = found + clock
        with contextlib.suppress(Exception):  # what does not pickle is simply not kept
            data = seal(key, pickle.dumps(problems, protocol=pickle.HIGHEST_PROTOCOL))
            self.store.put_checked(key, (moment, _micro(after), _micro(before)), data)
        return loaded, problems

    def load(
        self, path: Path, rel: str, tz: ZoneInfo, duplicate: str | None, fixed: Fixed
    ) -> tuple[LoadedFile, list[Problem]]:
        """The loaded file and its clock-independent problems: kept, or made (and kept)."""
        raw = self._read(path) if self.store is not None else None
        if self.store is None or raw is None:
            return _make(load_file(path, rel, tz), duplicate, fixed)
        return self._load(path, rel, tz, duplicate, fixed, raw, self.key(rel, raw, duplicate))

    def _load(
        self,
        path: Path,
        rel: str,
        tz: ZoneInfo,
        duplicate: str | None,
        fixed: Fixed,
        raw: bytes,
        key: str,
        whole: bool = True,
    ) -> tuple[LoadedFile, list[Problem]]:
        """The loaded file and its clock-independent problems: kept, or made (and kept). Not
        `whole`: one read back may come without its data and source, which only rules use."""
        found = _Memory.entries.get(key) if _Memory.entries is not None else None
        if found is None:
            # What the memory keeps is read whole: a later run may run rules on it.
            found = self._get(key, path, raw, whole or _Memory.entries is not None)
        if found is None:
            found = _make(load_file(path, rel, tz, raw), duplicate, fixed)
            self._put(key, found)
        if found[0].event is not None:
            found[0].event.read_from(key)
        if _Memory.entries is not None:
            self._used[key] = found
        return found

    @staticmethod
    def _read(path: Path) -> bytes | None:
        """The file's bytes; None for what loading reports itself (a bad name, a link, a
        folder, an unreadable or too large file), which is never kept."""
        if not ID_PATTERN.match(path.stem):
            return None
        try:
            raw, size = read_regular(path, MAX_BYTES)
        except (NotRegularFile, OSError):
            return None
        return raw if size <= MAX_BYTES else None

    def _get(
        self, key: str, path: Path, raw: bytes, whole: bool
    ) -> tuple[LoadedFile, list[Problem]] | None:
        assert self.store is not None
        entry = _unsealed(key, self.store.get(key))
        if entry is None:
            return None
        try:
            (rel, id_, event, parsed, data, found), problems = entry
            source = None
            if whole:
                data = pickle.loads(data)
                # The text is the one the key was made from, so it decodes as it did then.
                source = deferred(decoded(raw)) if parsed else None
            else:
                data = None
            loaded = LoadedFile(path, rel, id_, event, source, data, found)
        except Exception:  # any entry of another shape is parsed again
            return None
        if not _problems(problems):
            return None
        return loaded, problems

    def _put(self, key: str, made: tuple[LoadedFile, list[Problem]]) -> None:
        assert self.store is not None
        try:
            # Not the path, which the key does not decide (a site may move), nor the text,
            # which the key holds: only whether it parsed. The data apart: a build whose
            # rules do not run on the file never unpickles it.
            loaded, problems = made
            fields = (
                loaded.rel,
                loaded.id,
                loaded.event,
                loaded.source is not None,
                pickle.dumps(loaded.data, protocol=pickle.HIGHEST_PROTOCOL),
                loaded.problems,
            )
            payload = pickle.dumps((fields, problems), protocol=pickle.HIGHEST_PROTOCOL)
        except Exception:  # a file that does not pickle is simply not kept
            return
        self.store.put(key, seal(key, payload))
        self.wrote = True

    def flush(self) -> None:
        """Write what this run made (and which entries it used), and let the database go:
        at the end of each run."""
        if self.store is not None:
            self.store.flush()
            self.store.close()
        if _Memory.entries is not None:
            _Memory.entries = self._used  # what the files are now, nothing older

    def prune(self) -> None:
        """After a run that wrote entries: drop those no run used within the last hour."""
        if self.store is not None:
            self.store.prune(cache.PRUNE_AFTER)
            self.store.close()


class _Table:
    """The entries in one SQLite file; each process opens its own connection."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._conn: sqlite3.Connection | None = None
        self._pid = 0
        self._pending: list[tuple[str, bytes]] = []
        self._pending_checked: list[tuple[str, int | None, int | None, int | None, bytes]] = []
        self._used: list[str] = []
        self._empty = False

    def __getstate__(self) -> dict[str, object]:
        # Handed to a second process: a connection never crosses into it.
        return {
            "path": self.path,
            "_conn": None,
            "_pid": 0,
            "_pending": [],
            "_pending_checked": [],
            "_used": [],
            "_empty": False,
        }

    def _db(self) -> sqlite3.Connection | None:
        if self._conn is not None and self._pid == os.getpid():
            return self._conn
        self._conn = None
        for _ in range(2):
            conn = None
            try:
                cache.make(self.path.parent)
                conn = sqlite3.connect(self.path, timeout=10, isolation_level=None)
                conn.execute("PRAGMA journal_mode=WAL")
                # Never waits for the disk: a cache needs no durability, and an entry that
                # a crash of the system damages fails its digest or the database is dropped.
                conn.execute("PRAGMA synchronous=OFF")
                conn.execute(
                    "CREATE TABLE IF NOT EXISTS entries"
                    " (key TEXT PRIMARY KEY, data BLOB NOT NULL, used REAL NOT NULL)"
                )
                # A check's findings and the moments (whole microseconds since 1970) between
                # which they hold; `at`, when they were made, always.
                conn.execute(
                    "CREATE TABLE IF NOT EXISTS checked (key TEXT PRIMARY KEY,"
                    " at INTEGER NOT NULL, after INTEGER, before INTEGER,"
                    " data BLOB NOT NULL, used REAL NOT NULL)"
                )
                # A first run finds nothing: it need not ask for each file.
                empty = conn.execute("SELECT 1 FROM entries LIMIT 1").fetchone() is None
            except sqlite3.Error as exc:
                if conn is not None:
                    conn.close()
                if not _spoilt(exc):
                    return None
                self._drop()
                continue
            except OSError:
                return None
            self._conn, self._pid, self._empty = conn, os.getpid(), empty
            return conn
        return None

    def _drop(self) -> None:
        """A damaged database goes: the next connection starts afresh."""
        self.close()
        for suffix in ("", "-wal", "-shm"):
            with contextlib.suppress(OSError):
                os.unlink(f"{self.path}{suffix}")

    def get(self, key: str) -> bytes | None:
        return self._found(key, "SELECT data, used FROM entries WHERE key = ?", (key,))

    def get_checked(self, key: str, moment: int | None) -> bytes | None:
        """The findings kept for the file named `key`, when they hold at `moment`."""
        return self._found(
            key,
            "SELECT data, used FROM checked WHERE key = ? AND (at = ? OR"
            " ((after IS NULL OR after < ?) AND (before IS NULL OR ? < before)))",
            (key, moment, moment, moment),
        )

    def _found(self, key: str, query: str, values: tuple[object, ...]) -> bytes | None:
        conn = self._db()
        if conn is None or self._empty:
            return None
        try:
            row = conn.execute(query, values).fetchone()
        except sqlite3.Error as exc:
            if _spoilt(exc):
                self._drop()
            return None
        if row is None or not isinstance(row[0], bytes):
            return None
        # Marked as in use once it is half-way to being pruned, so that writes stay rare.
        if row[1] < time.time() - cache.PRUNE_AFTER / 2:
            self._used.append(key)
        return row[0]

    def put(self, key: str, data: bytes) -> None:
        self._pending.append((key, data))
        if len(self._pending) >= BATCH:
            self.flush()

    def put_checked(
        self, key: str, moments: tuple[int | None, int | None, int | None], data: bytes
    ) -> None:
        """Keep a file's findings made at `moments[0]`, which hold strictly between the
        other two."""
        self._pending_checked.append((key, *moments, data))
        if len(self._pending_checked) >= BATCH:
            self.flush()

    def flush(self) -> None:
        """Best effort: a cache that cannot be written only makes the next run slower."""
        pending, used, self._pending, self._used = self._pending, self._used, [], []
        checked, self._pending_checked = self._pending_checked, []
        if not pending and not used and not checked:
            return
        conn = self._db()
        if conn is None:
            return
        now = time.time()
        try:
            conn.execute("BEGIN IMMEDIATE")
            conn.executemany(
                "INSERT OR REPLACE INTO entries (key, data, used) VALUES (?, ?, ?)",
                [(key, data, now) for key, data in pending],
            )
            conn.executemany(
                "INSERT OR REPLACE INTO checked (key, at, after, before, data, used)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                [(*row, now) for row in checked],
            )
            # A file's two rows are marked together: a check that finds its findings does
            # not read its entry, which must stay for the check at a moment they do not hold.
            for table in ("entries", "checked"):
                conn.executemany(
                    f"UPDATE {table} SET used = ? WHERE key = ?", [(now, k) for k in used]
                )
            conn.execute("COMMIT")
        except sqlite3.Error as exc:
            with contextlib.suppress(sqlite3.Error):
                conn.execute("ROLLBACK")
            if _spoilt(exc):
                self._drop()

    def close(self) -> None:
        if self._conn is not None and self._pid == os.getpid():
            with contextlib.suppress(sqlite3.Error):
                self._conn.close()
        self._conn = None

    def prune(self, after: float) -> None:
        """Drop the entries no run used within `after` seconds."""
        conn = self._db()
        if conn is None:
            return
        with contextlib.suppress(sqlite3.Error):
            for table in ("entries", "checked"):
                conn.execute(f"DELETE FROM {table} WHERE used < ?", (time.time() - after,))


def _spoilt(exc: sqlite3.Error) -> bool:
    return getattr(exc, "sqlite_errorcode", None) in _SPOILT


def _digest(key: str, payload: bytes) -> bytes:
    # The key is part of it: an entry found under another key is as good as damaged.
    digest = hashlib.sha256(key.encode())
    digest.update(payload)
    return digest.digest()


def _unsealed(key: str, entry: bytes | None) -> Any:
    """What an entry holds; None for one that is missing, damaged, found under another key
    or does not unpickle."""
    if entry is None or not entry.startswith(MAGIC):
        return None
    start = len(MAGIC) + 32
    if _digest(key, entry[start:]) != entry[len(MAGIC) : start]:
        return None
    try:
        return pickle.loads(entry[start:])
    except Exception:
        return None


def _problems(kept: Any) -> TypeGuard[list[Problem]]:
    """Whether what an entry held is a list of problems (what a foreign entry holds is not)."""
    return isinstance(kept, list) and all(isinstance(p, Problem) for p in kept)


def _micro(moment: datetime | None) -> int | None:
    """A moment as whole microseconds since 1970, exactly (a float would round)."""
    return None if moment is None else (moment - _EPOCH) // _MICROSECOND


def seal(key: str, payload: bytes) -> bytes:
    """An entry as it is stored: the mark of its format, its digest, the pickle."""
    return MAGIC + _digest(key, payload) + payload


def _make(
    loaded: LoadedFile, duplicate: str | None, fixed: Fixed
) -> tuple[LoadedFile, list[Problem]]:
    if duplicate is not None:
        flag_duplicate(loaded, duplicate)
    return loaded, fixed(loaded)
