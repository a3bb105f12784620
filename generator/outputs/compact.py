"""Pages without the bytes nobody receives: the blank lines and indentation that templates
leave between tags, and, on Candor's own pages, mkdocs-material's page furniture that only
its script (never loaded there) uses.

A long history is tens of thousands of pages, each wrapped in the same indented page shell;
its whitespace alone came to megabytes. What a reader sees, a screen reader reads or a bot
indexes stays the same: a run of whitespace between two tags becomes one character of the
same kind (a line break if it held one, else a space), which HTML renders exactly as it
rendered the run. Text inside `<pre>`, `<textarea>`, `<script>` and `<style>` is left as
it is, byte for byte: there whitespace is meaningful."""

from __future__ import annotations

import re

# The work is done on the page's UTF-8 bytes: every character it looks for is ASCII (never
# part of a longer character), and searching bytes is several times faster than searching
# text that holds a single non-Latin-1 character ("›", "—" on every page).

# Where whitespace means something: kept byte for byte, from the opening tag to the closing
# one (to the end of the page, should it never close).
_KEPT = (b"pre", b"textarea", b"script", b"style")
_OPENS_KEPT = re.compile(rb"<(pre|textarea|script|style)(?=[ \t\r\n\f>])", re.I)
_CLOSES = {name: re.compile(rb"</" + name + rb"[ \t\r\n\f]*>", re.I) for name in _KEPT}
# A run of whitespace that holds a line break, after a tag or before one. Both match only a
# run longer than the line break itself: a page has hundreds of bare ones, left as they are.
_AFTER_TAG = re.compile(rb">(?:[ \t\r\f]+\n|\n[ \t\r\n\f])[ \t\r\n\f]*")
_BEFORE_TAG = re.compile(rb"\n[ \t\r\n\f]+<")
# A run of spaces between two tags.
_BETWEEN_TAGS = re.compile(rb">[ \t\r\f]{2,}<")

# mkdocs-material's base template puts these on every page, outside any block a theme can
# override. Candor's pages load none of its script (theme/candor.html empties `config` and
# `scripts`), so the drawer and search toggles, the overlay, the empty skip and announce
# holders, the dialog and the tabbed-content script do nothing there; candor.css hides the
# visible ones. Matched exactly as mkdocs-material writes them (after `compact`): with
# another version that writes them otherwise, they stay.
_MATERIAL_UNUSED = (
    b'<input class="md-toggle" data-md-toggle="drawer" type="checkbox" id="__drawer" '
    b'autocomplete="off">\n',
    b'<input class="md-toggle" data-md-toggle="search" type="checkbox" id="__search" '
    b'autocomplete="off">\n',
    b'<label class="md-overlay" for="__drawer"></label>\n',
    b'<div data-md-component="skip">\n</div>\n',
    b'<div data-md-component="announce">\n</div>\n',
    b'<div class="md-dialog" data-md-component="dialog">\n'
    b'<div class="md-dialog__inner md-typeset"></div>\n</div>\n',
    b"<script>var target=document.getElementById(location.hash.slice(1));target&&target.name"
    b'&&(target.checked=target.name.startsWith("__tabbed_"))</script>\n',
)
# mkdocs-material's storage helpers (`__md_get`, `__md_set` …), for its own scripts: kept
# when anything else on the page calls them (a site's main.html may add such a script).
_MATERIAL_SCOPE = re.compile(rb"<script>__md_scope=new URL\(.*?</script>\n")


def compact_page(page: str, *, generated: bool) -> str:
    """What the build writes: every page compacted; Candor's own pages also without
    mkdocs-material's unused furniture (hand-written pages load its script and keep it)."""
    data = _compact(page.encode("utf-8"))
    if generated:
        data = _without_material_unused(data)
    return data.decode("utf-8")


def compact(page: str) -> str:
    """The page with every run of whitespace between tags made one character."""
    return _compact(page.encode("utf-8")).decode("utf-8")


def _compact(page: bytes) -> bytes:
    parts: list[bytes] = []
    start = 0
    while (opening := _OPENS_KEPT.search(page, start)) is not None:
        closing = _CLOSES[opening.group(1).lower()].search(page, opening.end())
        end = len(page) if closing is None else closing.end()
        parts += (_squeeze(page, start, opening.start()), page[opening.start() : end])
        start = end
    parts.append(_squeeze(page, start, len(page)))
    return b"".join(parts)


def _squeeze(page: bytes, start: int, end: int) -> bytes:
    """page[start:end] squeezed, seen with the characters either side of it (the `>` that
    ends a kept element before it, the `<` that opens one after it), which stay as they are."""
    before = min(start, 1)
    after = min(len(page) - end, 1)
    html = page[start - before : end + after]
    html = _AFTER_TAG.sub(b">\n", html)
    html = _BEFORE_TAG.sub(b"\n<", html)
    html = _BETWEEN_TAGS.sub(b"> <", html)
    return html[before : len(html) - after]


def _without_material_unused(page: bytes) -> bytes:
    for unused in _MATERIAL_UNUSED:
        page = page.replace(unused, b"", 1)
    scope = _MATERIAL_SCOPE.search(page)
    if scope is not None:
        rest = page[: scope.start()] + page[scope.end() :]
        if b"__md_" not in rest:
            page = rest
    return page
