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


# A YAML double-quoted escape: `\x1b`, `\u0007`, `\U0000009b`, or one letter (`\e`, `\a`, `\\`).
_ESCAPE = re.compile(r"\\(x[0-9A-Fa-f]{2}|u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|.)", re.S)
# Double-quoted YAML's escapes of one character (YAML 1.1, as libyaml reads them).
YAML_ESCAPES = {
    "0": "\0",
    "a": "\a",
    "b": "\b",
    "t": "\t",
    "\t": "\t",
    "n": "\n",
    "v": "\v",
    "f": "\f",
    "r": "\r",
    "e": "\x1b",
    " ": " ",
    '"': '"',
    "/": "/",
    "\\": "\\",
    "N": "\x85",
    "_": "\xa0",
    "L": "\u2028",
    "P": "\u2029",
}
_NAMES = {0x00: "NUL", 0x07: "BEL", 0x08: "BS", 0x0B: "VT", 0x0C: "FF", 0x1B: "ESC", 0x7F: "DEL"}


def is_control(char: str) -> bool:
    return NOT_TEXT.match(char) is not None


def describe(char: str) -> str:
    """`U+001B (ESC)`, `U+D800 (a lone surrogate)`: a control character, named."""
    code = ord(char)
    if 0xD800 <= code <= 0xDFFF:
        name = "a lone surrogate"
    elif code in (0xFFFE, 0xFFFF):
        name = "a noncharacter"
    elif 0x80 <= code <= 0x9F:
        name = _NAMES.get(code, "a C1 control")
    else:
        name = _NAMES.get(code, "a control character")
    return f"U+{code:04X} ({name})"


def raw_controls(text: str) -> list[tuple[int, str]]:
    """(offset, character) of every control character written raw in `text`."""
    return [(m.start(), m.group()) for m in NOT_TEXT.finditer(text)]


def escaped_controls(written: str) -> list[tuple[int, str, str]]:
    """(offset, escape as written, character) of every escape in a double-quoted YAML
    scalar's source text that stands for a control character."""
    found = []
    for match in _ESCAPE.finditer(written):
        body = match.group(1)
        if body[0] in "xuU" and len(body) > 1:
            char = chr(int(body[1:], 16)) if int(body[1:], 16) <= 0x10FFFF else "\ufffe"
        else:
            char = YAML_ESCAPES.get(body, "")
        if char and is_control(char):
            found.append((match.start(), match.group(), char))
    return found
