"""Incident text for places that are not HTML pages: feed titles, JSON, calendars, the badge.

Those readers differ in how they treat `<`: many RSS readers render titles as HTML, chat bots
paste JSON bodies into Markdown. So text from incident files leaves here with no tag and no
script link left in it, whichever way the reader interprets it."""

from __future__ import annotations

import html
import re

import nh3

from generator.outputs import markdown

_TAG_START = re.compile(r"<(?=[A-Za-z!/?])")
_SCRIPT_LINK = re.compile(
    r"\]\(\s*<?\s*(?:javascript|vbscript|data)\s*:(?:[^()]|\([^()]*\))*\)", re.IGNORECASE
)
_SCRIPT_REF = re.compile(
    r"^(\s*\[[^\]]+\]:\s*)<?\s*(?:javascript|vbscript|data)\s*:\S*", re.IGNORECASE | re.MULTILINE
)
_SPACES = re.compile(r"[ \t]+")
_BLOCK_END = re.compile(r"</(?:p|ul|ol|pre|blockquote|table|h[1-6]|dl)>", re.IGNORECASE)
_ITEM_START = re.compile(r"<li[^>]*>", re.IGNORECASE)
_BREAK = re.compile(r"<(?:br|/tr)[^>]*>", re.IGNORECASE)
_BLANKS = re.compile(r"\n{3,}")


def _strip_tags(text: str) -> str:
    # Entities can hide a tag one level down ("&lt;script&gt;"): strip until nothing changes.
    for _ in range(4):
        cleaned = html.unescape(nh3.clean(text, tags=set(), strip_comments=True))
        if cleaned == text:
            break
        text = cleaned
    return _TAG_START.sub("&lt;", text)


def text(value: str) -> str:
    """One line of plain text (titles, names): tags removed, whitespace collapsed."""
    return _SPACES.sub(" ", " ".join(_strip_tags(value).split())).strip()


def paragraph(value: str) -> str:
    """Markdown → readable plain text with no markup (update bodies, descriptions):
    source line wraps joined, one blank line between paragraphs, "- " before list items."""
    rendered = markdown.to_html(value).replace("\n", " ")
    rendered = _BLOCK_END.sub("\n\n", rendered)
    rendered = _ITEM_START.sub("\n- ", rendered)
    rendered = _BREAK.sub("\n", rendered)
    lines = [_SPACES.sub(" ", line).strip() for line in _strip_tags(rendered).split("\n")]
    return _BLANKS.sub("\n\n", "\n".join(lines)).strip()


def safe_markdown(value: str) -> str:
    """Markdown kept as Markdown, minus raw HTML and script links (API `postmortem_body`)."""
    cleaned = _SCRIPT_LINK.sub("](#)", _strip_tags(value.strip()))
    return _SCRIPT_REF.sub(r"\1#", cleaned)
