"""The one place that writes output: extra artifacts into the site folder, and the swap that
puts a finished build where the previous one was.

The swap exchanges the two folders in one step (`renameat2(RENAME_EXCHANGE)` on Linux,
`renamex_np(RENAME_SWAP)` on macOS): at every instant the output path holds either the whole
old site or the whole new one, even if the process dies right then. A real folder, not a
symlink flipped between two: `mkdocs serve`, GitHub's upload-pages-artifact and any web
server see an ordinary directory. Where the exchange is not available (another system, a
filesystem without it), two renames do it, with a moment between them when the path is
missing; the old site then waits under a locked `.site.<name>.old.*` name, so a crash there
never loses it."""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import errno
import os
import re
import shutil
import sys
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from generator.core import workfiles
from generator.core.errors import CandorError


@dataclass(frozen=True)
class Kept:
    """An artifact held in the build cache, read only if it has to be written: its entry's
    key, which decides its bytes, and how to get them."""

    key: str
    read: Callable[[], bytes]


Artifact = bytes | Kept


def write_artifacts(
    site_dir: Path,
    artifacts: Mapping[str, Artifact] | Iterable[tuple[str, Artifact]],
    unchanged: Callable[[str, Artifact], bool] | None = None,
) -> None:
    """Write each `relative/path` → bytes under `site_dir`, refusing paths that leave it;
    pairs given one at a time are written as they come. `unchanged(rel, data)`: whether the
    file already holds `data` and can be left alone."""
    pairs = sorted(artifacts.items()) if isinstance(artifacts, Mapping) else artifacts
    for rel, data in pairs:
        path = PurePosixPath(rel)
        if path.is_absolute() or ".." in path.parts or not path.parts:
            raise CandorError(f"refusing to write `{rel}` outside the site folder")
        if unchanged is not None and unchanged(rel, data):
            continue
        target = site_dir.joinpath(*path.parts)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data.read() if isinstance(data, Kept) else data)


def staging_prefix(target: Path) -> str:
    # Cut so that the prefix, `old.` and the random part stay within a file name's 255 bytes.
    name = target.name.encode()[:200].decode(errors="ignore")
    return f".site.{name}."


def staging_pattern(target: Path) -> re.Pattern[str]:
    """The names of the work folders of builds into `target` (staging, and the old site)."""
    return re.compile(re.escape(staging_prefix(target)) + r"(old\.)?" + workfiles.RANDOM)


def clean_stale_staging(target: Path) -> list[Path]:
    """Remove what killed builds into `target` left beside it (never a live build's)."""
    return workfiles.clean_stale(target.parent, staging_pattern(target))


_AT_FDCWD = -100
_RENAME_EXCHANGE = 2  # Linux
_RENAME_SWAP = 2  # macOS


def _libc() -> ctypes.CDLL | None:
    with contextlib.suppress(OSError):
        return ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True)
    return None


def exchange(a: Path, b: Path) -> bool:
    """Swap the two paths in one atomic step; False where the system cannot."""
    libc = _libc()
    if libc is None:
        return False
    if sys.platform.startswith("linux") and hasattr(libc, "renameat2"):
        call = libc.renameat2
        args: tuple[object, ...] = (
            _AT_FDCWD,
            os.fsencode(a),
            _AT_FDCWD,
            os.fsencode(b),
            _RENAME_EXCHANGE,
        )
    elif sys.platform == "darwin" and hasattr(libc, "renamex_np"):
        call = libc.renamex_np
        args = (os.fsencode(a), os.fsencode(b), _RENAME_SWAP)
    else:
        return False
    if call(*args) == 0:
        return True
    error = ctypes.get_errno()
    if error in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP, errno.EOPNOTSUPP):
        return False  # not on this filesystem or kernel: fall back
    raise OSError(error, os.strerror(error), str(a))


def swap(staging: Path, target: Path, keep: Callable[[Path], bool] | None = None) -> None:
    """Put `staging` where `target` is; the old output is removed only once the new is in,
    and the path is never without a complete site (see the module's notes). `keep(old)`
    may take the old output elsewhere instead (True when it did)."""
    if not target.is_dir() or target.is_symlink():
        os.replace(staging, target)
        return
    if exchange(staging, target):
        # The old site now has the staging folder's name: ours to remove.
        if keep is None or not keep(staging):
            shutil.rmtree(staging, ignore_errors=True)
        return
    held = workfiles.lock_existing(target)  # the lock moves with the folder
    try:
        old = workfiles.new_folder(target.parent, staging_prefix(target) + "old.")
        old.release()
        os.rmdir(old.path)
        os.replace(target, old.path)
        os.replace(staging, target)
    finally:
        if held is not None:
            held.release()
    if keep is None or not keep(old.path):
        shutil.rmtree(old.path, ignore_errors=True)
