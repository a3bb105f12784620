"""Work files: the staging folder of a build and the temporary file of an edit.

A process killed halfway (kill -9, a cancelled CI job, a closed laptop) leaves them behind.
Each is created locked (`flock`) by the process that works in it and stays locked until that
process is done; the kernel drops the lock when the process dies however it dies. The next
run removes every work file of ours (by its name) that no live process holds, and never one
that a concurrent run is still writing. Where `flock` is not available, age decides instead:
a work file untouched for `STALE_AFTER` seconds is taken as abandoned."""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

try:
    import fcntl
except ImportError:  # pragma: no cover - not on Linux or macOS
    fcntl = None  # type: ignore[assignment]

STALE_AFTER = 6 * 3600
# tempfile's random part: 8 characters of [a-z0-9_].
RANDOM = r"[a-z0-9_]{8}"


@dataclass
class WorkFile:
    """A work file or folder, locked by this process while `fd` is open."""

    path: Path
    fd: int

    def release(self) -> None:
        with contextlib.suppress(OSError):
            os.close(self.fd)


def _lock(fd: int) -> bool:
    if fcntl is None:
        return True
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def _same(path: Path, fd: int) -> bool:
    """Whether `path` still names the file `fd` is open on (a cleaner may have removed it)."""
    try:
        on_disk, held = os.lstat(path), os.fstat(fd)
    except OSError:
        return False
    return (on_disk.st_dev, on_disk.st_ino) == (held.st_dev, held.st_ino)


def _directory_flags() -> int:
    return os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_NOFOLLOW", 0)


def new_folder(parent: Path, prefix: str) -> WorkFile:
    """A new, locked folder `parent/<prefix><random>`."""
    while True:
        path = Path(tempfile.mkdtemp(prefix=prefix, dir=parent))
        try:
            fd = os.open(path, _directory_flags())
        except FileNotFoundError:
            continue  # a cleaner took it before the lock: make another
        if _lock(fd) and _same(path, fd):
            return WorkFile(path, fd)
        os.close(fd)


def new_file(parent: Path, prefix: str, suffix: str) -> WorkFile:
    """A new, locked file `parent/<prefix><random><suffix>`, open for writing on `fd`."""
    while True:
        fd, name = tempfile.mkstemp(prefix=prefix, suffix=suffix, dir=parent)
        path = Path(name)
        if _lock(fd) and _same(path, fd):
            return WorkFile(path, fd)
        os.close(fd)


def lock_existing(path: Path) -> WorkFile | None:
    """Lock a folder that already exists (the live output, before it moves aside)."""
    try:
        fd = os.open(path, _directory_flags())
    except OSError:
        return None
    if _lock(fd):
        return WorkFile(path, fd)
    os.close(fd)
    return None


def _abandoned(path: Path, now: float) -> Iterator[int]:
    """Yields an fd holding the lock of `path` when no live process holds it."""
    if fcntl is None:
        try:
            if now - os.lstat(path).st_mtime > STALE_AFTER:
                yield -1
        except OSError:
            pass
        return
    flags = _directory_flags() if path.is_dir() else os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(path, flags)
    except OSError:
        return
    try:
        if _lock(fd) and _same(path, fd):
            yield fd
    finally:
        os.close(fd)


def clean_stale(parent: Path, pattern: re.Pattern[str]) -> list[Path]:
    """Remove the work files in `parent` whose names match `pattern` and that no live
    process holds; return what was removed. Errors are left for the next run."""
    removed: list[Path] = []
    try:
        entries = list(os.scandir(parent))
    except OSError:
        return removed
    now = time.time()
    for entry in entries:
        if not pattern.fullmatch(entry.name):
            continue
        path = Path(entry.path)
        for _ in _abandoned(path, now):
            # Still holding its lock: no new owner can claim it while it goes.
            if entry.is_dir(follow_symlinks=False):
                shutil.rmtree(path, ignore_errors=True)
            else:
                with contextlib.suppress(OSError):
                    path.unlink()
            if not os.path.lexists(path):
                removed.append(path)
    return removed
