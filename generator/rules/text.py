"""Rules over the text of an incident file: blanks left from a template and HTML that
rendering will strip. They read the values as written, so they run on files whose model did
not validate as well."""

from __future__ import annotations

import re
from collections.abc import Iterator

from generator.core.errors import Problem
from generator.core.load import LoadedFile
from generator.core.validation import field_name
from generator.rules.context import Context

# The scaffolds of `candor new` and `candor postmortem` wrap their prompts in these, and a
# prompt left in the text is refused like any other placeholder.
SCAFFOLD_OPEN, SCAFFOLD_CLOSE = "[[", "]]"

_WORDS = re.compile(r"\b(TODO|TBD|FIXME|XXX)\b")
_BRACES = re.compile(r"\{\{.*?\}\}|\{\{|\}\}")
_SCAFFOLD = re.compile(re.escape(SCAFFOLD_OPEN) + r".*?" + re.escape(SCAFFOLD_CLOSE), re.S)
_ANGLE = re.compile(r"<([A-Za-z_][^<>\n]{0,80})>")
CODE = re.compile(r"(?ms)^(```|~~~).*?(^\1|\Z)|(`+)(?!`).+?(?<!`)\3(?!`)")
_TAG = re.compile(r"^/?([A-Za-z][A-Za-z0-9]*)(\s[^<>]*)?/?$")
_AUTOLINK = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]{1,31}:[^\s<>]*|[^\s@<>]+@[^\s@<>]+)$")


def has_placeholder_trigger(text: str) -> bool:
    # Every placeholder pattern needs one of these: text without any (nearly all of it) skips
    # the code masking and the four scans. Plain substring searches: much faster than one
    # regular expression of alternatives.
    return (
        "<" in text
        or SCAFFOLD_OPEN in text
        or "{{" in text
        or "}}" in text
        or "TODO" in text
        or "TBD" in text
        or "FIXME" in text
        or "XXX" in text
    )


_UNSAFE = re.compile(r"<\s*script|\bon[a-z]+\s*=|javascript\s*:|<\s*iframe|<\s*style", re.I)
# Tag names that make `<name ...>` real HTML rather than a blank to fill in.
HTML_TAGS = frozenset(
    (  # noqa: SIM905 (a list of words reads best as words)
        "a abbr b bdi bdo blockquote br caption cite code col colgroup dd del details dfn div "
        "dl dt em figcaption figure h1 h2 h3 h4 h5 h6 hr i img ins kbd li mark ol p pre q rp "
        "rt ruby s samp small span strong sub summary sup table tbody td tfoot th thead time "
        "tr u ul var wbr video audio source picture section article aside header footer nav "
        "main script style iframe object embed form input button select option textarea label "
        "svg math noscript template link meta base body html head title center font big tt "
        "strike"
    ).split()
)


def find_placeholders(text: str) -> Iterator[tuple[int, str, str]]:
    """(offset, the text found, what it is) for each blank left in `text`; code is exempt."""
    if not has_placeholder_trigger(text):
        return
    masked = CODE.sub(lambda m: " " * len(m.group(0)), text)
    for match in _SCAFFOLD.finditer(masked):
        yield match.start(), match.group(0), "a prompt of the scaffold"
    for match in _WORDS.finditer(masked):
        yield match.start(), match.group(0), "a placeholder word"
    for match in _BRACES.finditer(masked):
        yield match.start(), match.group(0), "a template placeholder"
    for match in _ANGLE.finditer(masked):
        inner = match.group(1)
        tag = _TAG.match(inner)
        if (tag and tag.group(1).lower() in HTML_TAGS) or _AUTOLINK.match(inner):
            continue
        yield match.start(), match.group(0), "an angle-bracket blank"


def one_line(found: str, limit: int) -> str:
    """`found` as a message quotes it: a match may run over lines, and a check prints one
    problem per line, so every run of white space is one space; cut at `limit` characters."""
    shown = " ".join(found.split())
    return shown if len(shown) <= limit else shown[: limit - 3] + "…"


def check_placeholders(f: LoadedFile, ctx: Context) -> Iterator[Problem]:
    assert f.source is not None
    for path, text in ctx.strings(f):
        for offset, found, what in find_placeholders(text):
            line, column = f.source.offset_pos(path, text, offset)
            shown = one_line(found, 50)
            yield Problem(
                f.rel,
                line,
                column,
                "error",
                "placeholder",
                f"`{field_name(path)}` still holds {what}: `{shown}`",
                "replace it with the real text before publishing",
            )


def check_unsafe_html(f: LoadedFile, ctx: Context) -> Iterator[Problem]:
    assert f.source is not None
    for path, text in ctx.strings(f):
        for match in _UNSAFE.finditer(text):
            line, column = f.source.offset_pos(path, text, match.start())
            yield Problem(
                f.rel,
                line,
                column,
                "warning",
                "unsafe-html",
                f"`{field_name(path)}` contains `{one_line(match.group(0), 50)}`, which will be "
                "removed",
                "write plain Markdown; scripts, event handlers and javascript: links are "
                "stripped from every page and feed",
            )


# What each text rule looks for, tried once on the whole source before walking its texts.
# Without a backslash (an escape), every value is its source text with only quotes and
# runs of white space changed, which cannot create a match: a file without any match
# skips the rule. Nearly every file holds none, and the walk dominated `candor check`.
def may_be_unsafe(text: str) -> bool:
    # What any match of _UNSAFE holds, without its slow case-insensitive scan: `<`, `=`, or
    # `javascript`, whose j, a, v and a have no other case forms than J, A and V (unlike s and i).
    return "<" in text or "=" in text or "java" in text.lower()
