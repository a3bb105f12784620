"""Text for every output that is not an HTML page: JSON, calendars, feed titles, notifications.

Two kinds of text come from incident files and mkdocs.yml (SPEC §6):
- titles, names and authors are plain text, shown literally everywhere (`line`): a title
  ``Errors in `Vec<u8>` parsing`` or `java&#115;cript:` stays exactly that, as on the page;
- messages and postmortem sections are Markdown. Their plain form (`text`) and the Markdown
  the API hands on (`markdown`) are both read off the sanitised HTML the page shows
  (`markdown.to_html`), with an HTML parser: every character the reader saw is kept, no
  markup is added, and a URL the sanitiser removed (`[details](javascript:…)`) cannot come
  back. One derivation for every channel, so the plain form never disagrees with the page.

Readers of JSON and calendars must still escape what they display; the API's bytes escape
`<`, `>` and `&` (see `api.encode`) for readers that do not."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from html.parser import HTMLParser

from generator.core.characters import visible
from generator.outputs import markdown as md

# What an HTML page collapses when it shows text: ASCII whitespace (tab, LF, FF, CR, space).
_HTML_SPACE = re.compile(r"[ \t\n\f\r]+")


def line(value: str) -> str:
    """A title, name or author as the page shows it: literal, on one line (the page collapses
    runs of whitespace too), nothing removed or decoded."""
    return _HTML_SPACE.sub(" ", visible(value)).strip()


@lru_cache(maxsize=md.CACHE_SIZE)
def text(source: str) -> str:
    """A message (Markdown) as plain text: what the page shows, paragraph by paragraph, list
    items after "- " or "1. ", a link's kept URL after its text."""
    return visible(_Writer(markdown=False).document(_parse(md.to_html(source))))


@lru_cache(maxsize=md.CACHE_SIZE)
def markdown(source: str) -> str:
    """A message as Markdown (CommonMark) that renders to what the page shows: raw HTML, and
    every link the sanitiser disarmed, are gone; literal `<`, `*`, `` ` `` … are escaped."""
    return visible(_Writer(markdown=True).document(_parse(md.to_html(source))))


def inline_markdown(source: str) -> str:
    """Like `markdown`, for text shown inline (an action item): one line."""
    return " ".join(markdown(source).split("\n"))


def summary(source: str, limit: int = 140) -> str:
    """A message on one line, cut at `limit` characters."""
    one = " ".join(text(source).split())
    return one if len(one) <= limit else one[: limit - 1].rstrip() + "…"


# The sanitised fragment as a small tree.


@dataclass
class _Node:
    tag: str
    attrs: dict[str, str] = field(default_factory=dict)
    children: list[_Node | str] = field(default_factory=list)


_VOID = {"br", "hr", "img", "wbr"}


class _TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = _Node("#root")
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = _Node(tag, {k: v or "" for k, v in attrs})
        self.stack[-1].children.append(node)
        if tag not in _VOID:
            self.stack.append(node)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.stack[-1].children.append(_Node(tag, {k: v or "" for k, v in attrs}))

    def handle_endtag(self, tag: str) -> None:
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


def _parse(fragment: str) -> _Node:
    builder = _TreeBuilder()
    builder.feed(fragment)
    builder.close()
    return builder.root


# Tree → text. Plain text and Markdown share the walk; they differ in what marks emphasis,
# code and links, and in escaping.

_BLOCKS = {
    "p",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "ul",
    "ol",
    "pre",
    "blockquote",
    "table",
    "hr",
    "dl",
    "dt",
    "dd",
    "div",
}
_EMPHASIS = {"strong": "**", "b": "**", "em": "*", "i": "*", "del": "~~", "s": "~~"}
_BREAK = "\n"
# Characters with a meaning anywhere in a CommonMark/GFM line, escaped with a backslash;
# `<` and entity-like `&` become entities, which every Markdown renderer decodes.
_MD_INLINE = re.compile(r"([\\`*_\[\]~])")
_MD_ENTITY = re.compile(r"&(?=#?[0-9A-Za-z]+;)")
# What would start a block at the beginning of a line: a heading, quote, list item, code
# indent, thematic break or setext underline.
_MD_LINE_START = re.compile(r"^([#>+=|-]|\d+(?=[.)]))", re.MULTILINE)


def _md_escape(value: str) -> str:
    value = _MD_INLINE.sub(r"\\\1", value)
    value = _MD_ENTITY.sub("&amp;", value)
    return value.replace("<", "&lt;")


def _escape_line_starts(value: str) -> str:
    def escape(match: re.Match[str]) -> str:
        found = match.group(1)
        return found + "\\" if found[0].isdigit() else "\\" + found

    return _MD_LINE_START.sub(escape, value)


class _CodeSpan(str):
    """A code span as Markdown, which knows its text: two written side by side would run
    their fences together ("`a``b`", one span), so they are written as one."""

    content: str


def _code_span(content: str) -> str:
    longest = max((len(run) for run in re.findall(r"`+", content)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if content.startswith(("`", " ")) or content.endswith(("`", " ")) else ""
    if not content:
        return ""
    span = _CodeSpan(f"{fence}{pad}{content}{pad}{fence}")
    span.content = content
    return span


def _can_mark(inner: str, marker: str, before: str, after: str) -> bool:
    """Whether `marker` around `inner` reads as emphasis in CommonMark, whatever surrounds it:
    the text starts and ends with a letter or digit and no neighbour extends the marker.
    Otherwise the emphasis is left out and the text kept: the text matters, not its style."""
    core = inner.strip()
    if not core or not (core[0].isalnum() and core[-1].isalnum()):
        return False
    neighbours = (before if inner == inner.lstrip() else "") + (
        after if inner == inner.rstrip() else ""
    )
    return marker[0] not in neighbours and "\\" not in neighbours


def _text_of(node: _Node | str) -> str:
    if isinstance(node, str):
        return node
    return "\n" if node.tag == "br" else "".join(_text_of(child) for child in node.children)


class _Writer:
    def __init__(self, markdown: bool) -> None:
        self.md = markdown

    def document(self, root: _Node) -> str:
        return "\n\n".join(self.blocks(root)).strip("\n")

    def blocks(self, node: _Node) -> list[str]:
        """The node's children as blocks; loose inline content forms a paragraph."""
        out: list[str] = []
        pending: list[_Node | str] = []

        def flush() -> None:
            paragraph = self.paragraph(pending)
            pending.clear()
            if paragraph:
                out.append(paragraph)

        for child in node.children:
            if isinstance(child, _Node) and child.tag in _BLOCKS:
                flush()
                out.extend(self.block(child))
            else:
                pending.append(child)
        flush()
        return out

    def paragraph(self, nodes: list[_Node | str]) -> str:
        joined = self.inlines(nodes)
        lines = [_HTML_SPACE.sub(" ", part).strip() for part in joined.split(_BREAK)]
        while lines and not lines[-1]:
            lines.pop()
        while lines and not lines[0]:
            lines.pop(0)
        if not self.md:
            return "\n".join(lines)
        return _escape_line_starts("\\\n".join(lines))

    def inline(self, node: _Node | str) -> str:
        if isinstance(node, str):
            # Newlines in source text are spaces on the page; only <br> breaks a line.
            flat = _HTML_SPACE.sub(" ", node)
            if not self.md:
                return flat
            escaped = _md_escape(flat)
            # A `!` right before a link would make it an image.
            return escaped[:-1] + "\\!" if escaped.endswith("!") else escaped
        tag = node.tag
        if tag == "br":
            return _BREAK
        if tag == "code":
            content = _HTML_SPACE.sub(" ", _text_of(node))
            return _code_span(content) if self.md else content
        inner = self.inlines(node.children)
        if tag == "a":
            return self.link(node, inner)
        return inner

    def inlines(self, nodes: list[_Node | str]) -> str:
        pieces = [self.inline(n) for n in nodes]
        if not self.md:
            return "".join(pieces)
        out, last = "", ""
        for index, (node, piece) in enumerate(zip(nodes, pieces, strict=True)):
            marker = _EMPHASIS.get(node.tag) if isinstance(node, _Node) else None
            following = pieces[index + 1][:1] if index + 1 < len(pieces) else ""
            if marker and _can_mark(piece, marker, out[-1:], following):
                lead = piece[: len(piece) - len(piece.lstrip())]
                trail = piece[len(piece.rstrip()) :]
                piece = f"{lead}{marker}{piece.strip()}{marker}{trail}"
            if isinstance(piece, _CodeSpan) and isinstance(last, _CodeSpan):
                out = out[: len(out) - len(last)]
                piece = _code_span(last.content + piece.content)
            out += piece
            last = piece
        # Only a code span: one the caller may have to join to a neighbour.
        return last if out == last else out

    def link(self, node: _Node, inner: str) -> str:
        href = node.attrs.get("href", "")
        if not href:  # the sanitiser removed it: only the text remains
            return inner
        if self.md:
            target = _MD_ENTITY.sub("&amp;", href)
            for char, code in (("\\", "%5C"), ("<", "%3C"), (">", "%3E"), (" ", "%20")):
                target = target.replace(char, code)
            return f"[{inner or _md_escape(href)}](<{target}>)"
        shown = inner.strip()
        if not shown or shown == href or f"mailto:{shown}" == href:
            return inner or href
        return f"{inner} ({href})"

    def block(self, node: _Node) -> list[str]:
        tag = node.tag
        if tag == "p" or tag in ("dt", "dd"):
            return [p for p in [self.paragraph(node.children)] if p]
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            heading = self.paragraph(node.children).replace("\\\n", " ").replace("\n", " ")
            if not heading:
                return []
            if not self.md:
                return [heading]
            # A run of `#` at the end would close the heading: keep it as text.
            heading = re.sub(r"(#+)$", lambda m: "\\" + "\\".join(m.group(1)), heading)
            return [f"{'#' * int(tag[1])} {heading}"]
        if tag in ("ul", "ol"):
            return [self.list(node)]
        if tag == "pre":
            return [self.pre(node)]
        if tag == "blockquote":
            inner = self.blocks(node)
            if not self.md:
                return inner
            quoted = "\n\n".join(inner).split("\n")
            return ["\n".join(f"> {row}" if row else ">" for row in quoted)] if inner else []
        if tag == "table":
            return [self.table(node)]
        if tag == "hr":
            return ["---"] if self.md else []
        return self.blocks(node)  # dl, div: their children

    def list(self, node: _Node) -> str:
        ordered = node.tag == "ol"
        start = node.attrs.get("start", "1")
        number = int(start) if ordered and start.isdigit() and len(start) < 10 else 1
        items = []
        for child in node.children:
            if not isinstance(child, _Node) or child.tag != "li":
                continue
            marker = f"{number}. " if ordered else "- "
            number += 1
            body = ("\n\n" if self.md else "\n").join(self.blocks(child))
            indent = " " * len(marker)
            rows = body.split("\n")
            rows = [marker + rows[0]] + [indent + row if row else "" for row in rows[1:]]
            items.append("\n".join(rows))
        return "\n".join(items)

    def pre(self, node: _Node) -> str:
        content = _text_of(node).rstrip("\n")
        if not self.md:
            return content
        longest = max((len(run) for run in re.findall(r"`{3,}", content)), default=2)
        fence = "`" * (longest + 1)
        return f"{fence}\n{content}\n{fence}"

    def table(self, node: _Node) -> str:
        rows: list[list[str]] = []

        def collect(parent: _Node) -> None:
            for child in parent.children:
                if not isinstance(child, _Node):
                    continue
                if child.tag == "tr":
                    cells = [c for c in child.children if isinstance(c, _Node)]
                    rows.append([self.cell(c) for c in cells])
                else:
                    collect(child)

        collect(node)
        if not rows:
            return ""
        if not self.md:
            return "\n".join(" | ".join(cells) for cells in rows)
        width = max(len(cells) for cells in rows)
        padded = [cells + [""] * (width - len(cells)) for cells in rows]
        lines = ["| " + " | ".join(cells) + " |" for cells in padded]
        lines.insert(1, "|" + " --- |" * width)
        return "\n".join(lines)

    def cell(self, node: _Node) -> str:
        content = " ".join(self.paragraph(node.children).replace("\\\n", "\n").split("\n"))
        return content.replace("|", "\\|") if self.md else content
