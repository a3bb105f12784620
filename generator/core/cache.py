"""What every entry of Candor's cache (`.candor-cache/`) is keyed by, and where entries live.

Two kinds of entries share the folder: the build's finished pages (generator/plugin/cache.py,
in `entries/`) and each incident file's clock-independent check results (filecache.py, in
`files.sqlite`). Both are named by a digest that starts from the same parts: Candor's own
code, templates and theme (every file of the package), the versions of the libraries that
decide the result, and the rules of the site's time zone. Whatever else decides an entry is
added by its kind. Beside them, `spare/` holds the site each `candor build` replaced, which
the next build starts from (generator/plugin/reuse.py).

The folder is `.candor-cache/` next to mkdocs.yml (`CANDOR_CACHE_DIR` moves it;
`CANDOR_CACHE=off` turns the cache off). It is safe to delete at any time.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import sys
import tempfile
import time
import zoneinfo
from collections.abc import Callable, Iterable, Mapping
from importlib import metadata
from pathlib import Path

CACHE_ENV = "CANDOR_CACHE"  # "off" (or 0, no, false) turns the cache off
CACHE_DIR_ENV = "CANDOR_CACHE_DIR"
DEFAULT_DIR = ".candor-cache"
# Unused entries younger than this are left for builds running at the same time.
PRUNE_AFTER = 3600.0
PACKAGE = Path(__file__).resolve().parent.parent  # generator/


def cache_dir(config_file: Path, environ: Mapping[str, str] = os.environ) -> Path | None:
    """The cache folder for the site of `config_file`, or None when turned off."""
    if environ.get(CACHE_ENV, "").strip().lower() in ("off", "0", "no", "false"):
        return None
    folder = environ.get(CACHE_DIR_ENV, "").strip()
    return Path(folder) if folder else config_file.parent / DEFAULT_DIR


def make(folder: Path) -> None:
    """Create the cache folder `folder`, which ignores itself in git (as pytest's and mypy's
    caches do): a site whose .gitignore does not list it never commits it, and `candor
    check` leaves `git status` as it found it. OSError when it cannot be made."""
    folder.mkdir(parents=True, exist_ok=True)
    ignore = folder / ".gitignore"
    if not ignore.exists():
        ignore.write_text("# Candor's cache: safe to delete, never committed.\n*\n", "utf-8")


def tree(digest: hashlib._Hash, root: Path | None, skip: Iterable[Path] = ()) -> None:
    """Every file under `root`: its relative path and bytes, in a stable order."""
    if root is None or not root.is_dir():
        digest.update(b"\x01none")
        return
    skipped = [s.resolve() for s in skip]
    for path in sorted(root.rglob("*")):
        if not path.is_file() or "__pycache__" in path.parts:
            continue
        if any(path.resolve().is_relative_to(s) for s in skipped):
            continue
        digest.update(str(path.relative_to(root)).encode() + b"\x00")
        digest.update(path.read_bytes())
        digest.update(b"\x01")


def code() -> str:
    """The digest of Candor's own code, templates and theme; read afresh on every call, so
    that a template edited while `candor serve` runs is seen at its next build."""
    digest = hashlib.sha256()
    tree(digest, PACKAGE)
    return digest.hexdigest()


def versions(libraries: Iterable[str]) -> str:
    found = []
    for name in libraries:
        try:
            found.append(f"{name}={metadata.version(name)}")
        except metadata.PackageNotFoundError:
            found.append(f"{name}=-")
    return f"python={sys.version}; " + "; ".join(found)


def zone(key: str) -> bytes:
    """The rules of the site's time zone as this system has them (shown times follow them)."""
    for folder in zoneinfo.TZPATH:
        path = Path(folder) / key
        if path.is_file():
            return path.read_bytes()
    return key.encode()


class Store:
    """Entries in one folder, one file per key, each written whole or not at all."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.used: set[str] = set()

    def _path(self, key: str) -> str:
        # Text, not a Path: a long history's build names 20,000 entries.
        return os.path.join(self.folder, key)

    def has(self, key: str) -> bool:
        """Whether the entry is there; marks it as in use (its time is set to now), so that
        a build running at the same moment (`candor serve` and `candor build`) keeps it."""
        try:
            os.utime(self._path(key))
        except OSError:
            return False
        return True

    def hold(self, key: str) -> None:
        """This run uses the entry, whether it reads it or not: pruning keeps it."""
        self.used.add(key)

    def get(self, key: str) -> bytes | None:
        self.hold(key)
        try:
            with open(self._path(key), "rb") as entry:
                return entry.read()
        except OSError:
            return None

    def put(self, key: str, data: bytes) -> None:
        """Best effort: a cache that cannot be written only makes the next run slower."""
        self.hold(key)
        with contextlib.suppress(OSError):
            make(self.folder.parent)
            self.folder.mkdir(exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.folder, prefix=".tmp-")
            try:
                with os.fdopen(fd, "wb") as out:
                    out.write(data)
                os.replace(tmp, self._path(key))
            except OSError:
                with contextlib.suppress(OSError):
                    os.unlink(tmp)
                raise

    def keep(self, key: str, make: Callable[[], bytes]) -> bytes:
        """The entry of `key`, made (and kept) when missing."""
        found = self.get(key)
        if found is None:
            found = make()
            self.put(key, found)
        return found

    def prune(self, after: float = PRUNE_AFTER, used: Iterable[str] = ()) -> None:
        """Drop the entries this run did not use (nor `used`, say by a second process), so
        the folder never outgrows the site; those written or marked within `after` seconds
        (by another run at the same time) stay."""
        recent = time.time() - after
        keep = self.used.union(used)
        with contextlib.suppress(OSError):
            for entry in os.scandir(self.folder):
                if entry.name in keep:
                    continue
                with contextlib.suppress(OSError):
                    if entry.stat().st_mtime < recent:
                        os.unlink(entry.path)
