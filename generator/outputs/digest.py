"""The digest published with the site (`digest.txt`): one SHA-256 over every file a deploy
would publish, so the publish workflow can tell that a new build is the site already live
and skip the deploy.

Files are taken in the order of their paths relative to the site folder (POSIX form, as
UTF-8); each contributes its path, its size and the SHA-256 of its bytes, so no two different
sites share a digest by moving bytes between files. A file's own SHA-256 can come from what
the build already knows of it (`FileSum`, matched by size, time and inode): a build after a
small change reads again only the files it wrote. Left out: the digest itself, the record of what
`candor notify` sent (it changes between deploys without the site changing), and hidden
files, which GitHub's upload-pages-artifact does not publish."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator, Mapping
from pathlib import Path
from stat import S_ISREG
from typing import NamedTuple

from generator.outputs import urls

EXCLUDED = frozenset({urls.DIGEST, urls.NOTIFY_RECORD})
CHUNK = 1 << 20


def published_files(site: Path) -> list[tuple[str, Path]]:
    """(relative path, file) for every file a deploy publishes, sorted by path."""
    names = sorted((rel for rel, _ in _regular_files(site) if _published(rel)), key=_utf8)
    return [(rel, site / rel) for rel in names]


def _regular_files(site: Path) -> Iterator[tuple[str, os.stat_result]]:
    """(relative path in POSIX form, lstat) of every regular file under `site`: names only,
    a few megabytes less than as many Path objects for a long history's 25,000 files. A link
    is not published, nor what a linked folder holds."""
    top = os.fspath(site)
    for folder, _dirs, names in os.walk(top):  # os.walk does not enter linked folders
        prefix = folder_prefix(top, folder)
        for name in names:
            stat = os.lstat(os.path.join(folder, name))
            if S_ISREG(stat.st_mode):
                yield prefix + name, stat


def folder_prefix(top: str, folder: str) -> str:
    """What names in `folder`, a folder `os.walk(top)` gave, start with relative to `top`:
    "" or `a/b/`. Cut from the text, as os.walk joined it: `os.path.relpath` made each one
    absolute again, a third of walking a long history's output."""
    rel = folder[len(top) :].lstrip(os.sep).replace(os.sep, "/")
    return rel + "/" if rel else ""


def _published(rel: str) -> bool:
    return rel not in EXCLUDED and not any(part.startswith(".") for part in rel.split("/"))


def _utf8(rel: str) -> bytes:
    return rel.encode("utf-8")


class FileSum(NamedTuple):
    """A file as a build left it: what tells that it is still the same, and its SHA-256."""

    size: int
    mtime_ns: int
    inode: int
    sha256: bytes

    def same_file(self, stat: os.stat_result) -> bool:
        return (self.size, self.mtime_ns, self.inode) == (
            stat.st_size,
            stat.st_mtime_ns,
            stat.st_ino,
        )


def file_sums(site: Path, known: Mapping[str, FileSum] | None = None) -> dict[str, FileSum]:
    """Every file under `site` (hidden ones too): relative path → its `FileSum`, taken from
    `known` for a file that is still the one described there, read otherwise."""
    known = known or {}
    sums: dict[str, FileSum] = {}
    for rel, stat in _regular_files(site):
        held = known.get(rel)
        sums[rel] = held if held is not None and held.same_file(stat) else file_sum(site / rel)
    return sums


def file_sum(path: Path) -> FileSum:
    """The file as it is now."""
    with open(path, "rb") as data:
        stat = os.fstat(data.fileno())
        total = hashlib.sha256()
        while chunk := data.read(CHUNK):
            total.update(chunk)
    return FileSum(stat.st_size, stat.st_mtime_ns, stat.st_ino, total.digest())


def site_digest(site: Path, sums: Mapping[str, FileSum] | None = None) -> str:
    """The hex SHA-256 of the site in `site` (see the module's notes); `sums`: what is known
    of its files (`file_sums`)."""
    if sums is None:
        sums = file_sums(site)
    total = hashlib.sha256()
    for rel in sorted(filter(_published, sums), key=_utf8):
        held = sums[rel]
        total.update(f"{rel}\0{held.size}\0".encode() + held.sha256)
    return total.hexdigest()


def digest_artifact(site: Path, sums: Mapping[str, FileSum] | None = None) -> dict[str, bytes]:
    """`digest.txt` for the site in `site`, for the writer to add to it."""
    return {urls.DIGEST: f"{site_digest(site, sums)}\n".encode("ascii")}


def read_digest(data: bytes) -> str | None:
    """The digest in a `digest.txt`, or None when the text is not one."""
    text = data.decode("ascii", errors="replace").strip()
    if len(text) == 64 and all(c in "0123456789abcdef" for c in text):
        return text
    return None
