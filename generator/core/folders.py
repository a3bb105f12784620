"""The incidents folder, judged before a single file in it is read.

A typo in `incidents_dir` must not publish "All Systems Operational" from an empty list, a
folder outside the repository must not be published, and a file Candor skips must not be
skipped in silence (SPEC §4)."""

from __future__ import annotations

import difflib
import os
import stat
from collections.abc import Iterator
from pathlib import Path

# A file whose name says it holds YAML, in any letter case.
_DATA_SUFFIXES = (".yaml", ".yml")
# Folders that hold YAML that is not incidents (tool state, version control).
_NOT_DATA_FOLDERS = frozenset({".git", ".github"})
# A subfolder is searched this deep for YAML, and no further: a report, not an index.
_SEARCH_ENTRIES = 2000


def incidents_dir_problem(root: Path, written: str) -> tuple[str, str] | None:
    """(what is wrong, how to fix it) with `incidents_dir: written`, or None when it names
    a readable folder inside the config's folder `root`."""
    if not written.strip():
        return (
            "`incidents_dir` is empty",
            "name the folder that holds the incident files, e.g. `incidents_dir: incidents`",
        )
    folder = root / written
    try:
        inside = folder.resolve()
        home = root.resolve()
    except (OSError, RuntimeError):  # a symlink loop
        return (f"`incidents_dir` ({written}) cannot be resolved", "name a plain folder")
    if inside == home or home not in inside.parents:
        return (
            f"`incidents_dir` ({written}) is not a folder inside the config's folder",
            "keep the incidents in a folder beside mkdocs.yml, e.g. `incidents_dir: incidents`; "
            "a folder elsewhere (or reached through a symlink) is not what the repository holds",
        )
    try:
        mode = os.stat(folder).st_mode
    except FileNotFoundError:
        siblings = sorted(p.name for p in root.iterdir() if p.is_dir() and not p.is_symlink())
        close = difflib.get_close_matches(written.strip("/"), siblings, n=1)
        guess = f"did you mean `{close[0]}`? " if close else ""
        return (
            f"`incidents_dir` ({written}) does not exist",
            f"{guess}create it (`mkdir {written}` and commit an empty `.gitkeep` in it, so that "
            "git keeps it while it is empty) or fix the name",
        )
    except OSError as exc:
        return (f"`incidents_dir` ({written}) cannot be read: {exc.strerror}", "")
    if not stat.S_ISDIR(mode):
        return (
            f"`incidents_dir` ({written}) is a file, not a folder",
            "name the folder that holds the incident files, e.g. `incidents_dir: incidents`",
        )
    try:
        with os.scandir(folder) as entries:
            next(entries, None)
    except OSError as exc:
        return (
            f"`incidents_dir` ({written}) cannot be read: {exc.strerror}",
            "let the user running Candor read the folder (`chmod u+rx`)",
        )
    return None


def looks_like_data(name: str) -> bool:
    return name.lower().endswith(_DATA_SUFFIXES)


def ignored_entries(folder: Path, loaded: tuple[str, ...]) -> Iterator[tuple[str, str, str]]:
    """(name, why it is skipped, how to have it read) of every entry of `folder` that looks
    like incident data but is not read. `loaded` are the suffixes that are read."""
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError:
        return
    for entry in entries:
        name = entry.name
        try:
            is_dir = entry.is_dir(follow_symlinks=False)
        except OSError:
            continue
        if is_dir:
            if name not in _NOT_DATA_FOLDERS and not looks_like_data(name):
                found = _yaml_inside(Path(entry.path))
                if found:
                    yield (
                        f"{name}/",
                        f"the subfolder `{name}/` holds YAML ({found}); Candor reads only the "
                        "files directly in the incidents folder",
                        f"move the incident files out of `{name}/`, or the folder out of the "
                        "incidents folder",
                    )
            continue
        if not looks_like_data(name):
            continue  # .gitkeep, a README, an edit's temporary `.candor.*.tmp`
        if name.startswith("."):
            yield (
                name,
                f"`{name}` is a hidden file; Candor never reads hidden files",
                "rename it without the leading dot to publish it, or move it elsewhere",
            )
        elif not name.endswith(loaded):
            stem, _, suffix = name.rpartition(".")
            yield (
                name,
                f"`{name}` ends in `.{suffix}`; Candor reads only `.yaml` and `.yml` (lower case)",
                f"rename it to `{stem}.{suffix.lower()}`",
            )


def _yaml_inside(folder: Path) -> str | None:
    """The first YAML file's path (relative to `folder`) found under it, symlinks unfollowed."""
    seen = 0
    for top, dirs, names in os.walk(folder):
        dirs.sort()
        for name in sorted(names):
            if looks_like_data(name):
                return Path(top, name).relative_to(folder).as_posix()
        seen += len(names) + len(dirs)
        if seen > _SEARCH_ENTRIES:
            return None
    return None
