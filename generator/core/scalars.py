"""Where each character of a YAML text value is written in its file.

A text value is its source with the quotes or the block header taken away, the indentation and
line folding undone and the escapes decoded. All of that moves only white space, so the
characters that are not white space come in the same order in both: pairing them places any
such character of the value exactly, in every style (`|`, `>`, quoted, plain, one line or
many). SPEC §4 wants a problem inside a block string at the offending text, and a match that
runs over a line break has no single run of source text to be searched for.
"""

from __future__ import annotations

import bisect

from generator.core.characters import YAML_ESCAPES

_HEX_DIGITS = {"x": 2, "u": 4, "U": 8}


Places = tuple[list[int], list[int]]


def places(text: str, start: int, end: int, style: str | None, value: str) -> Places | None:
    """Where the value's characters that are not white space are written, for the scalar
    `text[start:end]` in `style` (None plain, "'", '"', "|", ">"): their offsets in `value` and,
    in the same order, in `text`. None when the source does not read as `value` (a scalar the
    parser and this reading disagree on, never expected)."""
    in_value = [i for i, char in enumerate(value) if not char.isspace()]
    written = [(i, c) for i, c in _written(text, start, end, style) if not c.isspace()]
    if len(written) < len(in_value):
        return None
    if any(value[v] != char for v, (_, char) in zip(in_value, written, strict=False)):
        return None
    return in_value, [i for i, _ in written[: len(in_value)]]


def source_index(found: Places, offset: int) -> int | None:
    """The offset in the file where `value[offset]` is written. White space is laid out
    differently by each style, so a place in it is given as that of the next character that
    is not white space; None when there is none."""
    in_value, in_source = found
    at = bisect.bisect_left(in_value, offset)
    return in_source[at] if at < len(in_value) else None


def _written(text: str, start: int, end: int, style: str | None) -> list[tuple[int, str]]:
    """(offset in `text`, the character it reads as) of each character the scalar's source
    contributes to its value, in order; the layout (indentation, folded breaks) included."""
    if style in ("|", ">"):
        # The content starts on the line after the header (`|`, `>-`, `|2  # comment`).
        header_end = text.find("\n", start, end)
        begin = end if header_end == -1 else header_end + 1
        return [(i, text[i]) for i in range(begin, end)]
    if style == "'":
        found: list[tuple[int, str]] = []
        i, stop = start + 1, end - 1
        while i < stop:
            found.append((i, text[i]))
            i += 2 if text.startswith("''", i) else 1
        return found
    if style == '"':
        return _double_quoted(text, start + 1, end - 1)
    return [(i, text[i]) for i in range(start, end)]


def _double_quoted(text: str, begin: int, stop: int) -> list[tuple[int, str]]:
    found: list[tuple[int, str]] = []
    i = begin
    while i < stop:
        char = text[i]
        if char != "\\" or i + 1 >= stop:
            found.append((i, char))
            i += 1
            continue
        code = text[i + 1]
        if code in YAML_ESCAPES:
            found.append((i, YAML_ESCAPES[code]))
            i += 2
        elif code in _HEX_DIGITS:
            width = _HEX_DIGITS[code]
            digits = text[i + 2 : i + 2 + width]
            try:
                found.append((i, chr(int(digits, 16))))
            except ValueError:  # the parser refuses it before any place is asked for
                found.append((i, "\ufffd"))
            i += 2 + width
        else:  # an escaped line break: the value goes on without it
            i += 2
    return found
