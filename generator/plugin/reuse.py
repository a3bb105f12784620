"""What a build keeps of an earlier output: the files that come out the same are not written
again. mkdocs' dirty build, made exact.

`candor serve` rebuilds into the folder it serves, which holds the previous rebuild's files
(`Reuse`, kept in memory between rebuilds). `candor build` swaps a finished build into place
(outputs/writer.py), and the site it replaces, instead of being deleted file by file, becomes
the *spare*: a folder in the build cache (`spare/`), with a record of every file in it. The
next build starts from the spare rather than from an empty folder: the files that have not
changed since the record was made stay (a file counts as changed when its size, time or
inode differ from the record), the rest are removed first, and then the build writes only
what differs. A 1,000-incident site is 2,200 files in 1,200 folders; after one changed
incident a build now writes a few dozen.

A rebuild is *quick* when nothing but incident files changed since the output it starts from
(the build cache's site key, which covers mkdocs.yml, docs_dir, the theme and Candor itself,
is the same). Then a page whose file was written with the same fingerprint (its cache key,
and its head, header and footer) keeps that file; a feed, API or calendar file with the same
bytes is not written again; hand-written pages, which show the site's status in their
description, are always rendered again; and what the earlier build wrote and this one does
not (a deleted incident's page and feed) is removed. Any other rebuild empties the folder
first (`clear_aside`) and writes everything, as a clean build does.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import pickle
import re
import shutil
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.core import workfiles
from generator.outputs.chrome import Parts
from generator.outputs.digest import FileSum, folder_prefix
from generator.outputs.writer import Artifact, Kept

OLD_PREFIX = ".candor-old-"
OLD_PATTERN = re.compile(re.escape(OLD_PREFIX) + workfiles.RANDOM)
SPARE = "spare"
# The build cache's entry holding the records of an output and its spare: `output-<name>`.
RECORD_PREFIX = "output-"
# A spare no build replaced for a week goes (an output built once elsewhere, say).
SPARE_KEPT = 7 * 24 * 3600.0
# Bumped whenever a record changes shape.
RECORD_FORMAT = 2


def clear_aside(site_dir: Path) -> threading.Thread | None:
    """Empty `site_dir` at once: its entries move to a locked sibling folder, removed in a
    thread (returned, or None when there was nothing to move), as are those a killed build
    left. What cannot move is removed where it is."""
    try:
        entries = list(site_dir.iterdir())
    except OSError:
        return None
    if not entries:
        return None
    try:
        old = workfiles.new_folder(site_dir.parent, OLD_PREFIX)
    except OSError:
        for entry in entries:
            _remove_entry(entry)
        return None
    for entry in entries:
        try:
            entry.rename(old.path / entry.name)
        except OSError:
            _remove_entry(entry)

    def remove() -> None:
        try:
            shutil.rmtree(old.path, ignore_errors=True)
        finally:
            old.release()
        workfiles.clean_stale(site_dir.parent, OLD_PATTERN)

    # Not a daemon: the process waits for it at exit, so nothing is left behind.
    remover = threading.Thread(target=remove, name="candor-clear")
    remover.start()
    return remover


def _remove_entry(entry: Path) -> None:
    if entry.is_dir() and not entry.is_symlink():
        shutil.rmtree(entry, ignore_errors=True)
    else:
        with contextlib.suppress(OSError):
            entry.unlink()


@dataclass
class Record:
    """What one build wrote into its output: the build cache's site key; each page's
    fingerprint (None: a page that is always rendered) and each artifact's digest, by path
    relative to the output; and every file in it as the build left it."""

    site: str | None = None
    pages: dict[str, str | None] = field(default_factory=dict)
    artifacts: dict[str, bytes] = field(default_factory=dict)
    files: dict[str, FileSum] = field(default_factory=dict)

    # Pickled with each file as a plain tuple: a `FileSum` calls back into Python as it is
    # written, and the build cache writes two records of a long history's 22,000 files after
    # every build (0.14 s of it, 0.05 s as tuples).
    def __getstate__(self) -> dict[str, object]:
        return {**self.__dict__, "files": {rel: tuple(held) for rel, held in self.files.items()}}

    def __setstate__(self, state: dict[str, Any]) -> None:
        files = state.pop("files")
        self.__dict__.update(state)
        self.files = {rel: FileSum._make(held) for rel, held in files.items()}


class Reuse:
    """What the build an output folder holds wrote there, so that the next build into it
    writes only what changed (see the module's notes)."""

    def __init__(self) -> None:
        self.last = Record()
        self.quick = False
        self.site_dir = Path()
        self._pages: dict[str, str | None] = {}
        self._artifacts: dict[str, bytes] = {}
        self._parts: dict[int, str] = {}
        # The files `start_from` found as recorded: there until `finish`, since a dirty
        # build removes nothing (a long history's 22,000, told without asking the disk).
        self._present: set[str] = set()

    def begin(self, site_dir: Path, site: str | None) -> threading.Thread | None:
        """Start a build into `site_dir`; `site`: the build cache's site key (None: no cache,
        so every build is a whole one). Returns the thread removing the old files, if any."""
        self.quick = site is not None and site == self.last.site and site_dir.is_dir()
        self.site_dir = site_dir
        self._pages, self._artifacts, self._parts = {}, {}, {}
        kept = (self.last.pages, self.last.artifacts) if self.quick else ({}, {})
        self.last = Record(site, *kept)
        if self.quick:
            return None
        return clear_aside(site_dir)

    def start_from(self, record: Record, site_dir: Path) -> None:
        """Take `site_dir` as written by the build `record` describes: every file there that
        is not the one the record lists is removed (and the folders left empty), so the build
        writes it again."""
        self.last = record
        present = self._present = set()
        left: dict[str, int] = {}  # folder → what stays in it
        top = os.fspath(site_dir)
        for folder, dirs, names in os.walk(top, topdown=False):
            stays = sum(left.get(os.path.join(folder, d), 1) > 0 for d in dirs)
            prefix = folder_prefix(top, folder)  # once a folder: a long history has 20,000 files
            for name in names:
                full = os.path.join(folder, name)
                rel = prefix + name
                held = record.files.get(rel)
                try:
                    if held is not None and held.same_file(os.lstat(full)):
                        stays += 1
                        present.add(rel)
                        continue
                    os.unlink(full)
                except OSError:
                    stays += 1
            left[folder] = stays
            if not stays and folder != top:
                with contextlib.suppress(OSError):
                    os.rmdir(folder)

    def forget(self) -> None:
        """After a failed build, whose files are half written: the next one is whole."""
        self.last = Record()

    def fingerprint(self, key: str, parts: Parts) -> str:
        """A cacheable page's: its cache key and this build's head, header and footer, which
        pages of one kind share (hashed once each)."""
        found = self._parts.get(id(parts))
        if found is None:
            digest = hashlib.blake2b(digest_size=16)
            for text in (parts.head, parts.header, parts.footer):
                digest.update(text.encode() + b"\x00")
            found = self._parts[id(parts)] = digest.hexdigest()
        return f"{key}:{found}"

    def written(self, dest: str, fingerprint: str | None) -> None:
        """The page's file (`dest`, relative to the output) is written this build, from
        what `fingerprint` says."""
        self._pages[dest] = fingerprint

    def page_unchanged(self, dest: str, fingerprint: str | None) -> bool:
        """Whether the page's file, written before with this fingerprint, can stay (when it
        cannot, the caller writes it)."""
        self._pages[dest] = fingerprint
        return self._as_written(self.last.pages, dest, fingerprint)

    def artifact_unchanged(self, rel: str, data: Artifact) -> bool:
        """Whether the artifact's file already holds these bytes (written by the last build).
        One held in the build cache is told by its entry's key, which decides its bytes:
        a long history's 10,000 incident feeds are then neither read nor hashed."""
        if isinstance(data, Kept):
            digest = b"key:" + hashlib.blake2b(data.key.encode(), digest_size=16).digest()
        else:
            digest = hashlib.blake2b(data, digest_size=16).digest()
        self._artifacts[rel] = digest
        return self._as_written(self.last.artifacts, rel, digest)

    def _as_written(self, written: Mapping[str, object], rel: str, made_from: object) -> bool:
        """Whether the last build wrote the file `rel` from the same (`written`: what it
        wrote each file from) and the file is still there."""
        return (
            self.quick
            and made_from is not None
            and written.get(rel) == made_from
            and (rel in self._present or os.path.isfile(os.path.join(self.site_dir, rel)))
        )

    def finish(self) -> None:
        """Remove what the last build wrote and this one did not, and remember this one."""
        if self.quick:
            stale = self.last.pages.keys() - self._pages.keys()
            stale |= self.last.artifacts.keys() - self._artifacts.keys()
            for rel in stale:
                _remove(self.site_dir / rel, self.site_dir)
        self.last = Record(self.last.site, self._pages, self._artifacts)
        self._present = set()

    def record(self, files: Mapping[str, FileSum]) -> Record:
        """What the finished build wrote, with its files as `files` describes them."""
        return Record(self.last.site, self.last.pages, self.last.artifacts, dict(files))


def _remove(path: Path, root: Path) -> None:
    """Remove the file, and the folders it leaves empty up to `root`."""
    with contextlib.suppress(OSError):
        path.unlink()
    folder = path.parent
    while folder != root and root in folder.parents:
        try:
            folder.rmdir()
        except OSError:
            return
        folder = folder.parent


class Spare:
    """The spare of one output folder (`target`): an earlier output kept in the cache
    folder, and the records of it and of the live output (one cache entry)."""

    def __init__(self, cache_folder: Path, target: Path) -> None:
        name = hashlib.sha256(os.fsencode(target)).hexdigest()[:32]
        self.folder = cache_folder / SPARE / name
        self.key = RECORD_PREFIX + name
        self.output: Record | None = None  # the live output's, as the last build left it
        self.spare: Record | None = None
        self.taken = False  # whether this build starts from the spare

    def read(self, data: bytes | None) -> None:
        """Take the records from the cache entry `data` (None: there is none)."""
        self.output = self.spare = None
        if data is None:
            return
        with contextlib.suppress(Exception):  # a damaged entry is no record
            form, output, spare = pickle.loads(data)
            if form == RECORD_FORMAT:
                self.output, self.spare = output, spare

    def kept_files(self) -> dict[str, FileSum] | None:
        """The files this build started with, as their record describes them."""
        return self.spare.files if self.taken and self.spare is not None else None

    def entry(self, built: Record) -> bytes:
        """The cache entry after a build that wrote `built`: the output it replaces is the
        next spare."""
        return pickle.dumps((RECORD_FORMAT, built, self.output), pickle.HIGHEST_PROTOCOL)

    def take(self, parent: Path, prefix: str) -> workfiles.WorkFile | None:
        """The spare as a locked work folder `parent/<prefix><random>`, or None when there
        is none (or another build holds it, or it is on another filesystem)."""
        held = workfiles.lock_existing(self.folder)
        if held is None:
            return None
        try:
            work = workfiles.new_folder(parent, prefix)
        except OSError:
            held.release()
            return None
        work.release()  # the lock that counts is the spare's, which moves with it
        try:
            os.replace(self.folder, work.path)  # over the empty folder
        except OSError:
            held.release()
            with contextlib.suppress(OSError):
                os.rmdir(work.path)
            return None
        self.taken = True
        return workfiles.WorkFile(work.path, held.fd)

    def put_aside(self, old: Path) -> bool:
        """Keep the replaced output `old` as the next spare; False when it cannot be. The
        spares of other outputs that no build replaced for `SPARE_KEPT` seconds go."""
        try:
            self.folder.parent.mkdir(parents=True, exist_ok=True)
            if self.folder.exists():
                shutil.rmtree(self.folder)
            os.replace(old, self.folder)
            os.utime(self.folder)  # when it was last put aside
        except OSError:
            return False
        self._prune()
        return True

    def _prune(self) -> None:
        before = time.time() - SPARE_KEPT
        with contextlib.suppress(OSError):
            for entry in os.scandir(self.folder.parent):
                with contextlib.suppress(OSError):
                    if entry.path == str(self.folder) or entry.stat().st_mtime >= before:
                        continue
                    held = workfiles.lock_existing(Path(entry.path))
                    if held is not None:  # not being taken by a build right now
                        shutil.rmtree(entry.path, ignore_errors=True)
                        held.release()


class QuietDirtyBuild(logging.Filter):
    """mkdocs warns on every dirty build that links may come out wrong; Candor's rebuilds
    render again every page whose links could change, so the warning would only alarm."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith("A 'dirty' build is being performed")


QUIET_DIRTY_BUILD = QuietDirtyBuild()
