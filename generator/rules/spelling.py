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
def _dictionary() -> bytes:
    """codespell's main dictionary as its UTF-8 text, one `misspelling->correction` a line
    (several corrections as `the, be, we,`), with a line break in front so that every entry
    reads `\nword->`. Kept as one byte string: a mapping of its 65,000 entries would take
    several times the memory, and a correction is looked up only for a word found."""
    return b"\n" + resources.files("codespell_lib").joinpath("data", "dictionary.txt").read_bytes()


@cache
def misspelt_words() -> frozenset[bytes]:
    """Every misspelling, in the form of `prose.vocabulary`. Read once per process."""
    return frozenset(_dictionary().replace(b"->", b"\n").split(b"\n")[1::2])


def corrections(word: str) -> list[str] | None:
    """The corrections of a known misspelling (lower case), None for any other word."""
    text, key = _dictionary(), f"\n{word}->".encode()
    at = text.find(key)
    if at == -1:
        return None
    start = at + len(key)
    end = text.find(b"\n", start)
    entry = (text[start:] if end == -1 else text[start:end]).decode("utf-8")
    return [c.strip() for c in entry.split(",") if c.strip()]


def may_be_misspelt(f: LoadedFile) -> bool:
    """Whether any word of the whole file is a known misspelling."""
    return not misspelt_words().isdisjoint(vocabulary(f))


def _matching_case(word: str, fix: str) -> str:
    return fix[:1].upper() + fix[1:] if word[:1].isupper() else fix


def check_spelling(f: LoadedFile, ctx: Context) -> Iterator[Problem]:
    known = misspelt_words()
    for path, text in prose(f, ctx):
        words = own_words(text)
        found = []
        for match in _WORD.finditer(words):
            word = match.group(0)
            if not word[1:].islower() and len(word) > 1:
                continue  # an acronym or a name in camel case
            key = word.lower().replace("’", "'")
            if key.encode() in known:
                found.append((match.start(), word, corrections(key) or []))
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
