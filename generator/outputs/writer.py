"""The one place that writes output: extra artifacts into the site folder, and the swap that
puts a finished build where the previous one was."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Mapping
from pathlib import Path, PurePosixPath

from generator.core.errors import CandorError


def write_artifacts(site_dir: Path, artifacts: Mapping[str, bytes]) -> None:
    """Write each `relative/path` → bytes under `site_dir`, refusing paths that leave it."""
    for rel, data in sorted(artifacts.items()):
        path = PurePosixPath(rel)
        if path.is_absolute() or ".." in path.parts or not path.parts:
            raise CandorError(f"refusing to write `{rel}` outside the site folder")
        target = site_dir.joinpath(*path.parts)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)


def swap(staging: Path, target: Path) -> None:
    """Put `staging` where `target` is; the old output is removed only once the new is in."""
    if target.exists():
        old = Path(tempfile.mkdtemp(prefix=f".site.{target.name}.old.", dir=target.parent))
        os.rmdir(old)
        os.replace(target, old)
        os.replace(staging, target)
        shutil.rmtree(old, ignore_errors=True)
    else:
        os.replace(staging, target)
