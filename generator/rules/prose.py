"""What the communication rules share: which texts are prose, their language, the parts of
them that are not the author's own words (code, links, quotations), and where a finding is
in the file.

Masks replace a part with as many spaces, so an offset into the masked text is an offset
into the text as written."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

from generator.core.errors import Problem, Severity
from generator.core.load import LoadedFile
from generator.core.model import POSTMORTEM_SECTIONS
from generator.core.source import KeyPath
from generator.rules.context import Context
from generator.rules.text import CODE


def prose(f: LoadedFile, ctx: Context) -> list[tuple[KeyPath, str]]:
    """The prose of a file, each text with its path, read straight from the places prose
    can be (faster than walking every value)."""
    return _of(f).prose


def lowered_source(f: LoadedFile) -> str:
    """The whole file, lower-cased: where the rules' quick tests look first."""
    return _of(f).lowered


def vocabulary(f: LoadedFile) -> frozenset[bytes]:
    """Every word of the file (a-z and apostrophes, lower-cased, as bytes), read once for all
    the rules: whether a word occurs anywhere is then one set lookup."""
    return _of(f).vocabulary


@lru_cache(maxsize=64)  # a few fixed word lists, each asked for once per file
def as_bytes(listed: frozenset[str]) -> frozenset[bytes]:
    """A word list in the form of `vocabulary`."""
    return frozenset(word.encode() for word in listed)


def present(f: LoadedFile, anchors: Iterable[str]) -> list[str]:
    """The anchor words (lower-case) that occur in the file as words."""
    found = vocabulary(f)
    return [anchor for anchor in anchors if anchor.encode() in found]


# Every byte but a-z and the apostrophe becomes a space: `split` then gives the words. On
# bytes, with one table: a regular expression over every word cost ten times as much.
_LETTERS_ONLY = bytes(c if (97 <= c <= 122 or c == 39) else 32 for c in range(256))


class _FileTexts:
    """What the rules read of one file, each computed at most once."""

    def __init__(self, f: LoadedFile) -> None:
        self.f = f

    @cached_property
    def prose(self) -> list[tuple[KeyPath, str]]:
        return list(_prose_of(self.f.data))

    @cached_property
    def lowered(self) -> str:
        return self.f.source.text.lower() if self.f.source is not None else ""

    @cached_property
    def vocabulary(self) -> frozenset[bytes]:
        return frozenset(self.lowered.encode().translate(_LETTERS_ONLY).split())


_current = _FileTexts(LoadedFile(Path(), "", ""))


def _of(f: LoadedFile) -> _FileTexts:
    global _current
    if _current.f is not f:
        _current = _FileTexts(f)
    return _current


def _prose_of(data: Any) -> Iterator[tuple[KeyPath, str]]:
    if not isinstance(data, dict):
        return
    if isinstance(data.get("title"), str):
        yield ("title",), data["title"]
    updates = data.get("updates")
    for index, update in enumerate(updates if isinstance(updates, list) else ()):
        if isinstance(update, dict) and isinstance(update.get("message"), str):
            yield ("updates", index, "message"), update["message"]
    postmortem = data.get("postmortem")
    if not isinstance(postmortem, dict):
        return
    for key, value in postmortem.items():
        if isinstance(value, str) and key in POSTMORTEM_SECTIONS:
            yield ("postmortem", key), value
        elif key == "prevention" and isinstance(value, list):
            for index, item in enumerate(value):
                if isinstance(item, dict) and isinstance(item.get("action"), str):
                    yield ("postmortem", key, index, "action"), item["action"]


def words(text: str) -> frozenset[str]:
    """The words of a list written as one string, as lists of words read best."""
    return frozenset(text.split())


# --- language --------------------------------------------------------------------------------

# Hiragana, katakana, CJK ideographs (and extension A), half-width katakana.
_JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uff66-\uff9f]")
_ASCII_LETTERS = re.compile(r"[A-Za-z]")
_LATIN_WORD = re.compile(r"[^\W\d_]+")
# Short words that are frequent in one language and rare in the others: enough to tell an
# English update from a German, French, Spanish, Portuguese, Italian or Dutch one.
_FUNCTION_WORDS = {
    language: words(listed)
    for language, listed in (
        (
            "en",
            "the and we are is was were to of for our you your this that it be not have has "
            "with will been from they them their which",
        ),
        ("de", "der die das und wir ist nicht ein eine mit für auf sind den dem von"),
        ("fr", "le les et nous est sont pour une des du pas avec dans que vous"),
        ("es", "el los las y es son para una del que con por estamos hemos"),
        ("pt", "os as e é são para uma do da que com não estamos"),
        ("it", "il gli e è sono per una del della che con non siamo"),
        ("nl", "de het en wij we zijn niet een met voor op van"),
    )
}


def detect_language(text: str) -> str:
    """`ja` for Japanese script, else the Latin-script language its function words point to
    (`en` when nothing points elsewhere: short texts, lists of figures)."""
    if not text.isascii():
        japanese = len(_JAPANESE.findall(text))
        # One Japanese character carries about as much as a few Latin letters.
        if japanese and japanese * 3 >= len(_ASCII_LETTERS.findall(text)):
            return "ja"
    found = set(_LATIN_WORD.findall(text.lower()))
    english = len(found & _FUNCTION_WORDS["en"])
    other, hits = max(
        ((language, len(found & listed)) for language, listed in _FUNCTION_WORDS.items()),
        key=lambda item: item[1] if item[0] != "en" else -1,
    )
    return other if hits >= 2 and hits > english else "en"


def language(f: LoadedFile, text: str) -> str:
    """The language of one text of the file: Japanese script is Japanese whatever the file
    says; otherwise a `language:` the file declares wins over the guess."""
    detected = detect_language(text)
    declared = f.data.get("language") if isinstance(f.data, dict) else None
    if detected == "ja" or not isinstance(declared, str) or not declared.strip():
        return detected
    return declared.strip().lower().replace("_", "-").split("-")[0]


# --- masks -----------------------------------------------------------------------------------

_URL = re.compile(
    r"(?:https?|ftp|mailto):[^\s<>()\[\]]+|\bwww\.[^\s<>()\[\]]+|<[a-z][a-z0-9+.-]*:[^\s<>]*>",
    re.I,
)
# Quoted speech: straight and typographic double quotes, typographic single quotes, Japanese
# brackets, and Markdown block quotes. A straight single quote opens a quotation only where
# it cannot be an apostrophe. Quotations stay inside a paragraph.
_QUOTE = re.compile(
    r"\"[^\"\n]*(?:\n(?![ \t]*\n)[^\"\n]*)*\""
    r"|“[^”]*?”|‘[^’]*?’|「[^」]*?」|『[^』]*?』"
    r"|(?<![\w'’])'[^'\n]+'(?![\w'’])"
    r"|(?m:^[ \t]*>.*$)"
)


_QUOTE_MARKS = ('"', "“", "‘", " '", "\n'", "「", "『", ">")


def _blank(match: re.Match[str]) -> str:
    return re.sub(r"[^\n]", " ", match.group(0))


@lru_cache(maxsize=256)  # the texts of a file or two: each rule asks for the same masks
def _masked(text: str, links: bool, quotes: bool) -> str:
    masked = CODE.sub(_blank, text) if "`" in text or "~~~" in text else text
    if links and ("://" in masked or (":" in masked and "mailto:" in masked) or "www." in masked):
        masked = _URL.sub(_blank, masked)
    if quotes and any(q in masked for q in _QUOTE_MARKS):
        masked = _QUOTE.sub(_blank, masked)
    return masked


def own_words(text: str) -> str:
    """The text with code, links and quotations blanked out: what the author says."""
    return _masked(text, True, True)


def without_code(text: str) -> str:
    """The text with code and links blanked out (quotations kept)."""
    return _masked(text, True, False)


def without_code_spans(text: str) -> str:
    """The text with only code blanked out."""
    return _masked(text, False, False)


# --- places ----------------------------------------------------------------------------------


def place(f: LoadedFile, path: KeyPath, text: str, offset: int) -> tuple[int, int]:
    """Line and column of the word at `offset` of the value at `path`, found in the source
    (inside block scalars at the exact spot)."""
    assert f.source is not None
    return f.source.offset_pos(path, text, offset)


def report(
    f: LoadedFile,
    rule: str,
    pos: tuple[int, int],
    message: str,
    hint: str,
    severity: Severity = "warning",
) -> Problem:
    return Problem(f.rel, pos[0], pos[1], severity, rule, message, hint)


def sentence_at(text: str, start: int, end: int, limit: int = 100) -> str:
    """The sentence around text[start:end], on one line, shortened around the span."""
    left, right = sentence_bounds(text, start, end)
    sentence = " ".join(text[left:right].split())
    if len(sentence) <= limit:
        return sentence
    head = " ".join(text[left:start].split())
    keep = max(0, len(head) - limit // 3)
    shortened = sentence[keep:]
    if len(shortened) > limit:
        shortened = shortened[: limit - 1].rstrip() + "…"
    return ("…" + shortened) if keep else shortened


def sentences_with(text: str, lowered: str, anchors: Iterable[str]) -> list[tuple[int, int]]:
    """The sentences (start, end) of `text` that hold one of the lower-case `anchors`: where
    a rule's patterns can match at all, so that they run over a few sentences, not all."""
    spans: list[tuple[int, int]] = []
    for anchor in anchors:
        at = lowered.find(anchor)
        while at != -1:
            start, end = sentence_bounds(text, at, at + len(anchor))
            spans.append((start, end))
            at = lowered.find(anchor, end)
    spans.sort()
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


_STOPS = (". ", ".\n", "! ", "!\n", "? ", "?\n", "\n\n", "。")


def sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """Where the sentence around text[start:end] starts and ends."""
    left = 0
    for stop in _STOPS:
        found = text.rfind(stop, 0, start)
        if found != -1:
            left = max(left, found + len(stop))
    right = len(text)
    for stop in _STOPS:
        found = text.find(stop, end)
        if found != -1:
            right = min(right, found + 1)
    return left, right
