"""Prompts left in the site's hand-written pages (`docs_dir`): the About page `candor init`
writes asks for the team's own words in `[[ … ]]`. A page is the team's prose, not data, so
a prompt left in it is a warning (it never stops a publish), shown until it is replaced."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from pathlib import Path

from generator.core.errors import Problem
from generator.core.files import read_regular
from generator.rules.text import CODE, SCAFFOLD_CLOSE, SCAFFOLD_OPEN

_PROMPT = re.compile(re.escape(SCAFFOLD_OPEN) + r".*?" + re.escape(SCAFFOLD_CLOSE), re.S)
PAGE_SUFFIXES = (".md", ".markdown")
# A page larger than this is not read: no About page is, and a check must stay quick.
PAGE_LIMIT = 1024 * 1024


def hand_written_pages(docs_dir: Path, root: Path) -> Iterator[tuple[str, str]]:
    """(path from `root`, text) of each Markdown page under `docs_dir`, read once: regular
    files only, never through a symlink, none in a hidden folder, none over PAGE_LIMIT."""
    if not docs_dir.is_dir() or docs_dir.is_symlink():
        return
    for path in sorted(docs_dir.rglob("*")):
        rel_parts = path.relative_to(docs_dir).parts
        if path.suffix not in PAGE_SUFFIXES or any(p.startswith(".") for p in rel_parts):
            continue
        try:
            raw, size = read_regular(path, PAGE_LIMIT)
        except OSError:
            continue  # not a regular file, or unreadable: mkdocs reports what it cannot use
        if size > PAGE_LIMIT:
            continue
        rel = path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)
        yield rel, raw.decode("utf-8", errors="replace").replace("\r\n", "\n")


def prompts_in(pages: Iterable[tuple[str, str]]) -> list[Problem]:
    """A `placeholder` warning at each prompt in the pages (path, text)."""
    problems = []
    for rel, text in pages:
        if SCAFFOLD_OPEN not in text:
            continue
        masked = CODE.sub(lambda m: " " * len(m.group(0)), text)
        for match in _PROMPT.finditer(masked):
            before = text[: match.start()]
            line = before.count("\n") + 1
            column = match.start() - (before.rfind("\n") + 1) + 1
            found = " ".join(match.group(0).split())
            shown = found if len(found) <= 60 else found[:57] + "…"
            problems.append(
                Problem(
                    rel,
                    line,
                    column,
                    "warning",
                    "placeholder",
                    f"the page still holds a prompt to fill in: `{shown}`",
                    "replace it with your own words; the page is published as it is",
                )
            )
    return problems
