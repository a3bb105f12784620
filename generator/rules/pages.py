"""Prompts left in the site's hand-written pages (`docs_dir`): the About page `candor init`
writes asks for the team's own words in `[[ … ]]`. A page is the team's prose, not data, so
a prompt left in it is a warning (it never stops a publish), shown until it is replaced."""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from generator.core.errors import Problem
from generator.core.files import read_regular
from generator.core.load import ENCODING_HINT, decoded, not_utf8
from generator.rules.text import CODE, SCAFFOLD_CLOSE, SCAFFOLD_OPEN

_PROMPT = re.compile(re.escape(SCAFFOLD_OPEN) + r".*?" + re.escape(SCAFFOLD_CLOSE), re.S)
# What mkdocs reads as a page (mkdocs.utils.markdown_extensions): the build reads them all.
PAGE_SUFFIXES = (".markdown", ".mdown", ".mkdn", ".mkd", ".md")
# A page larger than this is not searched for prompts: no About page is, and a check must
# stay quick. Its encoding is still checked: the build reads it whole anyway.
PAGE_LIMIT = 1024 * 1024
# mkdocs leaves out of every build what its default `exclude_docs` names: hidden files and
# folders, and a `templates` folder at the top of docs_dir.
_UNBUILT_FOLDER = "templates"

Pages = list[tuple[str, str]]


def hand_written_pages(docs_dir: Path, root: Path) -> tuple[Pages, list[Problem]]:
    """(path from `root`, text) of each Markdown page under `docs_dir` that mkdocs builds,
    read once: regular files only, never through a symlink, none over PAGE_LIMIT; and an
    error at the first byte of each that is not UTF-8, which would stop the build."""
    pages: Pages = []
    problems: list[Problem] = []
    if not docs_dir.is_dir() or docs_dir.is_symlink():
        return pages, problems
    for path in sorted(docs_dir.rglob("*")):
        rel_parts = path.relative_to(docs_dir).parts
        if path.suffix not in PAGE_SUFFIXES or any(p.startswith(".") for p in rel_parts):
            continue
        if len(rel_parts) > 1 and rel_parts[0] == _UNBUILT_FOLDER:
            continue
        try:
            raw, size = read_regular(path, PAGE_LIMIT)
            if size > PAGE_LIMIT:
                raw = read_regular(path, size)[0]
        except OSError:
            continue  # not a regular file, or unreadable: mkdocs reports what it cannot use
        rel = path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)
        try:
            text = decoded(raw)
        except UnicodeDecodeError as exc:
            line, column, message = not_utf8(raw, exc)
            problems.append(
                Problem(
                    rel,
                    line,
                    column,
                    "error",
                    "encoding",
                    f"{message}: the build cannot read the page",
                    ENCODING_HINT,
                )
            )
            continue
        if size <= PAGE_LIMIT:
            pages.append((rel, text))
    return pages, problems


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
