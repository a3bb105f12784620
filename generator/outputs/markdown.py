"""Markdown from incident files → HTML that is safe wherever it lands (pages, feeds, JSON).

Rendering first and sanitising after means raw HTML and links in a message are fine input:
whatever could run (scripts, event handlers, `javascript:` URLs, styles) never survives."""

from __future__ import annotations

import re
from functools import lru_cache

import markdown as _markdown
import nh3

from generator.core.characters import visible

EXTENSIONS = ["tables", "fenced_code", "sane_lists", "attr_list"]
TAGS = {
    "a",
    "abbr",
    "b",
    "blockquote",
    "br",
    "code",
    "del",
    "em",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "i",
    "ins",
    "kbd",
    "li",
    "ol",
    "p",
    "pre",
    "s",
    "strong",
    "sub",
    "sup",
    "table",
    "tbody",
    "td",
    "th",
    "thead",
    "tr",
    "ul",
    "dl",
    "dt",
    "dd",
    "span",
    "mark",
    "small",
    "time",
}
ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "td": {"align"},
    "th": {"align"},
    "time": {"datetime"},
    "ol": {"start"},
}
URL_SCHEMES = {"http", "https", "mailto"}
_HEADING = re.compile(r"<(/?)h([12])(\s|>)")
# A message lands on its incident page twice (timeline and latest update), on the postmortem
# page, in feeds and in the API. Rendering is a pure function of the text, so the result is
# remembered; bounded, so a long history does not keep every message's HTML alive.
CACHE_SIZE = 4096


@lru_cache(maxsize=1)
def _converter() -> _markdown.Markdown:
    return _markdown.Markdown(extensions=EXTENSIONS, output_format="html")


def sanitize(fragment: str) -> str:
    return nh3.clean(
        fragment,
        tags=TAGS,
        attributes=ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="nofollow noopener noreferrer",
        strip_comments=True,
    )


@lru_cache(maxsize=CACHE_SIZE)
def to_html(text: str) -> str:
    """Markdown → sanitised HTML. Headings are demoted below the page's own (h3 at most)."""
    converter = _converter()
    converter.reset()
    fragment = converter.convert(text.strip())
    fragment = _HEADING.sub(lambda m: f"<{m.group(1)}h{int(m.group(2)) + 2}{m.group(3)}", fragment)
    # Characters that are not text never reach a page or a feed (XML cannot carry them).
    return visible(sanitize(fragment))


def to_inline_html(text: str) -> str:
    """Markdown → sanitised HTML for text inside a list item: a single paragraph loses its
    <p> wrapper."""
    fragment = to_html(text).strip()
    if fragment.startswith("<p>") and fragment.endswith("</p>") and fragment.count("<p>") == 1:
        return fragment[3:-4]
    return fragment
