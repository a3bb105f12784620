"""Reading a file a repository holds, without trusting what the path points at.

A committed symlink can point anywhere: at a token outside the repository (whose text an
error message would echo, or a page publish), at `/dev/zero` (endless), at a FIFO (a read
that never returns). So a data file is read only when it is a regular file itself: the path
is never followed, a non-regular file is never opened, and at most `limit + 1` bytes are
read, so a huge (or sparse) file is too large before it is read whole."""

from __future__ import annotations

import os
import stat
from pathlib import Path

# What a non-regular file is, in the words of an error message.
_KINDS = (
    (stat.S_ISLNK, "a symbolic link"),
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
)
_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_NOFOLLOW", 0)
    | getattr(os, "O_NONBLOCK", 0)  # a FIFO swapped in after lstat must not block the open
    | getattr(os, "O_CLOEXEC", 0)
)


class NotRegularFile(OSError):
    """The path is not a regular file; `kind` says what it is instead."""

    def __init__(self, path: Path, kind: str) -> None:
        super().__init__(f"{path.name} is {kind}, not a regular file")
        self.kind = kind


def kind_of(mode: int) -> str | None:
    """What a file of `mode` is when it is not a regular file; None for a regular file."""
    if stat.S_ISREG(mode):
        return None
    return next((name for test, name in _KINDS if test(mode)), "not a regular file")


def read_regular(path: Path, limit: int) -> tuple[bytes, int]:
    """(at most `limit + 1` bytes of `path`, its size). NotRegularFile for anything but a
    regular file (a symlink is never followed); OSError when it cannot be read."""
    kind = kind_of(os.lstat(path).st_mode)
    if kind is not None:
        raise NotRegularFile(path, kind)
    fd = os.open(path, _FLAGS)
    try:
        # The path may have changed between lstat and open: judge what was opened.
        info = os.fstat(fd)
        kind = kind_of(info.st_mode)
        if kind is not None:
            raise NotRegularFile(path, kind)
        if info.st_size > limit:
            return b"", info.st_size
        chunks: list[bytes] = []
        left = limit + 1
        while left > 0:
            chunk = os.read(fd, min(left, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
        data = b"".join(chunks)
        return data, max(len(data), info.st_size)
    finally:
        os.close(fd)


def is_regular(path: Path) -> bool:
    """Whether `path` itself (not what a symlink points at) is a regular file."""
    try:
        return stat.S_ISREG(os.lstat(path).st_mode)
    except OSError:
        return False
