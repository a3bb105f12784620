"""The digest published with the site (`digest.txt`): one SHA-256 over every file a deploy
would publish, so the publish workflow can tell that a new build is the site already live
and skip the deploy.

Files are taken in the order of their paths relative to the site folder (POSIX form, as
UTF-8); each contributes its path, its size and its bytes, so no two different sites share a
digest by moving bytes between files. Left out: the digest itself, the record of what
`candor notify` sent (it changes between deploys without the site changing), and hidden
files, which GitHub's upload-pages-artifact does not publish."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from generator.outputs import urls

EXCLUDED = frozenset({urls.DIGEST, urls.NOTIFY_RECORD})
CHUNK = 1 << 20


def published_files(site: Path) -> list[tuple[str, Path]]:
    """(relative path, file) for every file a deploy publishes, sorted by path."""
    return [(rel, site / rel) for rel in _published_names(site)]


def _published_names(site: Path) -> list[str]:
    """The relative paths (POSIX, as text) of the files a deploy publishes, sorted: names
    only, a few megabytes less than as many Path objects for a long history's 25,000 files."""
    found: list[str] = []
    for folder, dirs, names in os.walk(site):
        rel_folder = os.path.relpath(folder, site).replace(os.sep, "/")
        prefix = "" if rel_folder == "." else rel_folder + "/"
        dirs[:] = [
            d for d in dirs if not d.startswith(".") and not os.path.islink(os.path.join(folder, d))
        ]
        for name in names:
            rel = prefix + name
            if name.startswith(".") or rel in EXCLUDED:
                continue
            full = os.path.join(folder, name)
            if os.path.isfile(full) and not os.path.islink(full):
                found.append(rel)
    return sorted(found, key=lambda rel: rel.encode("utf-8"))


def site_digest(site: Path) -> str:
    """The hex SHA-256 of the site in `site` (see the module's notes)."""
    total = hashlib.sha256()
    for rel in _published_names(site):
        path = site / rel
        total.update(f"{rel}\0{path.stat().st_size}\0".encode())
        with path.open("rb") as data:
            while chunk := data.read(CHUNK):
                total.update(chunk)
    return total.hexdigest()


def digest_artifact(site: Path) -> dict[str, bytes]:
    """`digest.txt` for the site in `site`, for the writer to add to it."""
    return {urls.DIGEST: f"{site_digest(site)}\n".encode("ascii")}


def read_digest(data: bytes) -> str | None:
    """The digest in a `digest.txt`, or None when the text is not one."""
    text = data.decode("ascii", errors="replace").strip()
    if len(text) == 64 and all(c in "0123456789abcdef" for c in text):
        return text
    return None
