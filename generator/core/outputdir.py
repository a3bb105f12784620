"""The output folder, judged before a build replaces it.

A build swaps its finished site into place whole (outputs/writer.py): whatever the output
folder held is moved aside, and deleted by the next build. So the output must be a folder of
its own. It may lie inside the folder of mkdocs.yml (`site/`), but never be that folder or
hold it, nor be, hold or lie inside the incidents, the hand-written pages, the templates,
the theme's overrides or the build cache. An existing folder is replaced only when it is
empty or holds a site built before; never when it holds a git repository."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from generator.core.config import Settings

# Every site Candor builds (and mkdocs, and most generators) has its home page at the top.
BUILT_MARK = "index.html"
OWN_FOLDER = "build into a folder of its own, e.g. `site_dir: site` in mkdocs.yml or `--out site`"
_SHOWN = 3


def source_folders(settings: Settings) -> list[tuple[str, Path]]:
    """(what it holds, folder) of every folder a build reads from, besides mkdocs.yml's own."""
    folders = [
        ("the incidents folder (`incidents_dir`)", settings.incidents_dir),
        ("the folder of the hand-written pages (`docs_dir`)", settings.docs_dir),
        ("the templates folder (`templates_dir`)", settings.templates_dir),
    ]
    if settings.custom_dir is not None:
        folders.append(
            ("the folder of the theme overrides (`theme.custom_dir`)", settings.custom_dir)
        )
    return folders


def overlap_problem(
    folder: Path, out: Path, root: Path, sources: Sequence[tuple[str, Path]]
) -> tuple[str, str] | None:
    """(what is wrong, how to fix it) when a build into `folder` (named `out` to the user)
    would replace the folder of mkdocs.yml (`root`) or one of `sources`, or would write
    among one of them; else None."""
    target = _resolved(folder)
    if target is None:
        return (f"the output folder ({out}) cannot be resolved", OWN_FOLDER)
    home = _resolved(root)
    if home is not None and (target == home or target in home.parents):
        verb = "is" if target == home else "holds"
        return (
            f"the output folder ({out}) {verb} the folder of mkdocs.yml; a build replaces its "
            "output folder whole",
            OWN_FOLDER,
        )
    for what, held in sources:
        source = _resolved(held)
        if source is None:
            continue
        if target == source or target in source.parents:
            verb = "is" if target == source else "holds"
            return (
                f"the output folder ({out}) {verb} {what}; a build replaces its output folder "
                "whole",
                OWN_FOLDER,
            )
        if source in target.parents:
            return (f"the output folder ({out}) lies inside {what}", OWN_FOLDER)
    return None


def contents_problem(folder: Path, out: Path) -> tuple[str, str] | None:
    """(what is wrong, how to fix it) when the existing `folder` (named `out` to the user)
    holds what a build must not replace: a git repository, or files and no built site."""
    try:
        names = sorted(os.listdir(folder))
    except (FileNotFoundError, NotADirectoryError):  # a file is the writer's to refuse
        return None
    except OSError as exc:
        return (f"the output folder ({out}) cannot be read: {exc.strerror}", OWN_FOLDER)
    if ".git" in names:
        return (
            f"the output folder ({out}) holds a git repository (`.git`), which a build would "
            "delete with the rest of the folder",
            "build into a folder of its own and publish it from there (the publish workflow "
            "does), or move the repository elsewhere",
        )
    if not names or BUILT_MARK in names:
        return None
    shown = ", ".join(names[:_SHOWN]) + (", …" if len(names) > _SHOWN else "")
    return (
        f"the output folder ({out}) holds files but no built site ({shown}); a build "
        "replaces the whole folder",
        "build into a new or empty folder, or empty this one first if nothing in it is needed",
    )


def _resolved(path: Path) -> Path | None:
    try:
        return path.resolve()
    except (OSError, RuntimeError):  # a symlink loop
        return None
