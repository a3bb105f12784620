"""Characters that are not text, and what every output does with them.

C0 controls (but tab, line feed and carriage return), DEL, C1, the noncharacters U+FFFE and
U+FFFF and lone surrogates are the control characters of SPEC §4. Whatever lets one through,
none reaches a reader: outputs show U+FFFD in its place (`visible`; XML cannot carry them,
HTML parsers treat them as errors), and a terminal gets a visible escape such as `\\u001b`
instead of an escape sequence it would act on (`inert`), so a title like `\\e]0;pwned\\a`
cannot retitle, recolour or rewrite the engineer's terminal."""

from __future__ import annotations

import re

NOT_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff\ud800-\udfff]")
# In a terminal a carriage return rewrites the line it ends: shown inert as well.
_NOT_TERMINAL_TEXT = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ufffe\uffff\ud800-\udfff]")
_NOT_ONE_LINE = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\ufffe\uffff\ud800-\udfff]")
REPLACEMENT = "\ufffd"
_NAMED = {"\x1b": "\\e", "\r": "\\r", "\n": "\\n", "\x07": "\\a", "\x08": "\\b"}


def visible(value: str) -> str:
    """`value` with U+FFFD in place of every character that is not text."""
    return NOT_TEXT.sub(REPLACEMENT, value) if NOT_TEXT.search(value) else value


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    return _NAMED.get(char) or f"\\u{ord(char):04x}"


def inert(value: str, one_line: bool = False) -> str:
    """`value` safe to print to a terminal: every control character shown as an escape
    (`\\e`, `\\r`, `\\u009b` …). Tabs stay; line feeds stay unless `one_line`, for a value
    interpolated into a line of its own (a title must not forge the next line)."""
    pattern = _NOT_ONE_LINE if one_line else _NOT_TERMINAL_TEXT
    return pattern.sub(_escape, value) if pattern.search(value) else value


def json_safe(text: str) -> str:
    """JSON text (from json.dumps with ensure_ascii=False) with every character that is not
    text written as a `\\uXXXX` escape: the same values, nothing a terminal acts on, and no
    lone surrogate that could not be encoded."""
    return NOT_TEXT.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
