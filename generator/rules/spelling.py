"""`spelling`: misspelt English words, from codespell's dictionary of common misspellings
(read from the installed `codespell` package: no network, no word list of our own).

A dictionary of known misspellings, not of known words: product names, host names and
jargon are never flagged, so a team needs no list of its own words. English prose only;
code, links and quotations are skipped, and so are identifiers (`fra1-a`, `camelCase`) and
acronyms."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache
from importlib import resources

from generator.core.errors import Problem
from generator.core.load import LoadedFile
from generator.core.validation import field_name
from generator.rules.context import Context
from generator.rules.prose import (
    language,
    own_words,
    place,
    prose,
    report,
    sentence_at,
    vocabulary,
)

# A word of prose: letters (an apostrophe inside), not part of an identifier, a path, an
# address or a number. \w is Unicode here, so "café" is not read as "caf".
_WORD = re.compile(r"(?<![\w@./\\'’-])[A-Za-z]+(?:['’][A-Za-z]+)*(?![\w@/\\-]|[.'’]\w)")


@cache
def misspellings() -> dict[str, str]:
    """codespell's main dictionary: misspelling → corrections (`"the, be, we,"` for several).
    Read once per process; about 65,000 entries."""
    text = resources.files("codespell_lib").joinpath("data", "dictionary.txt").read_text("utf-8")
    parts = text.replace("->", "\n").split("\n")
    return dict(zip(parts[0::2], parts[1::2], strict=False))


@cache
def misspelt_words() -> frozenset[bytes]:
    """The misspellings, in the form of `prose.vocabulary`."""
    return frozenset(word.encode() for word in misspellings())


def corrections(entry: str) -> list[str]:
    return [c.strip() for c in entry.split(",") if c.strip()]


def may_be_misspelt(f: LoadedFile) -> bool:
    """Whether any word of the whole file is a known misspelling."""
    return not misspelt_words().isdisjoint(vocabulary(f))


def _matching_case(word: str, fix: str) -> str:
    return fix[:1].upper() + fix[1:] if word[:1].isupper() else fix


def check_spelling(f: LoadedFile, ctx: Context) -> Iterator[Problem]:
    known = misspellings()
    for path, text in prose(f, ctx):
        words = own_words(text)
        found = []
        for match in _WORD.finditer(words):
            word = match.group(0)
            if not word[1:].islower() and len(word) > 1:
                continue  # an acronym or a name in camel case
            entry = known.get(word.lower().replace("’", "'"))
            if entry is not None:
                found.append((match.start(), word, corrections(entry)))
        if not found or language(f, text) != "en":
            continue
        for start, word, fixes in found:
            fixes = [_matching_case(word, fix) for fix in fixes] or [word]
            better = text[:start] + fixes[0] + text[start + len(word) :]
            options = " or ".join(f"“{fix}”" for fix in fixes)
            yield report(
                f,
                "spelling",
                place(f, path, text, start),
                f"`{field_name(path)}`: “{word}” is a misspelling of {options}",
                f"write “{sentence_at(better, start, start + len(fixes[0]))}”",
            )
