"""A message's sanitised HTML (what the page shows) → the markup each chat speaks, and text
cut to an API's length limit without breaking that markup.

The input is the page's own sanitised HTML, so a link the page dropped is dropped here too,
and every character of text is escaped for the target: a message can never mention
@everyone, ping a Slack channel or smuggle a link in through markup."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser


@dataclass(frozen=True)
class Dialect:
    bold: str
    italic: str
    strike: str
    code_block: bool
    quote: bool
    special: str  # characters escaped with a backslash in text

    def escape(self, text: str) -> str:
        return "".join(f"\\{c}" if c in self.special else c for c in text)

    def link(self, text: str, href: str) -> str:
        href = href.replace(")", "%29").replace(" ", "%20")
        return f"[{text}]({href})" if text else href


class _Slack(Dialect):
    def escape(self, text: str) -> str:
        # Slack's mrkdwn has only these three escapes; with them no <!channel> or <@U123> is
        # ever read from incident text.
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")

    def link(self, text: str, href: str) -> str:
        href = href.replace("|", "%7C").replace(">", "%3E")
        return f"<{href}|{text.replace('|', '¦')}>" if text else f"<{href}>"


SLACK = _Slack(bold="*", italic="_", strike="~", code_block=True, quote=True, special="")
DISCORD = Dialect(
    bold="**", italic="*", strike="~~", code_block=True, quote=True, special="\\*_~`|>[]"
)
TEAMS = Dialect(bold="**", italic="_", strike="", code_block=False, quote=False, special="\\*_[]")

_BLOCKS = {"p", "ul", "ol", "pre", "blockquote", "table", "h3", "h4", "h5", "h6", "dl", "hr"}


class _Node:
    def __init__(self, tag: str, attrs: dict[str, str | None]) -> None:
        self.tag = tag
        self.attrs = attrs
        self.children: list[_Node | str] = []


class _Tree(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = _Node("root", {})
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = _Node(tag, dict(attrs))
        self.stack[-1].children.append(node)
        if tag not in ("br", "hr"):
            self.stack.append(node)

    def handle_endtag(self, tag: str) -> None:
        for index in range(len(self.stack) - 1, 0, -1):
            if self.stack[index].tag == tag:
                del self.stack[index:]
                return

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


def blocks(html: str, dialect: Dialect) -> list[str]:
    """One string of markup per block (paragraph, list, quote ...), in order."""
    tree = _Tree()
    tree.feed(html)
    tree.close()
    out: list[str] = []
    loose: list[_Node | str] = []
    for child in tree.root.children:
        if isinstance(child, _Node) and child.tag in _BLOCKS:
            if loose:
                out.append(_inline(loose, dialect).strip())
                loose = []
            out.append(_block(child, dialect))
        else:
            loose.append(child)
    if loose:
        out.append(_inline(loose, dialect).strip())
    return [b for b in out if b.strip()]


def render(html: str, dialect: Dialect) -> str:
    return "\n\n".join(blocks(html, dialect))


def _block(node: _Node, d: Dialect) -> str:
    tag = node.tag
    if tag in ("ul", "ol"):
        start = int(node.attrs.get("start") or 1) if tag == "ol" else 1
        items = [c for c in node.children if isinstance(c, _Node) and c.tag == "li"]
        lines = []
        for n, item in enumerate(items, start=start):
            bullet = f"{n}. " if tag == "ol" else ("• " if d is SLACK else "- ")
            lines.append(bullet + _inline(item.children, d).strip().replace("\n", "\n   "))
        return "\n".join(lines)
    if tag == "pre":
        code = _text(node)
        if d.code_block:
            return f"```\n{code.strip(chr(10)).replace('```', '`‵`')}\n```"
        return "\n".join(d.escape(line) for line in code.strip("\n").splitlines())
    if tag == "blockquote":
        inner = "\n\n".join(
            _block(c, d) if isinstance(c, _Node) and c.tag in _BLOCKS else _inline([c], d)
            for c in node.children
        ).strip()
        if d.quote:
            return "\n".join(f"> {line}" if line else ">" for line in inner.splitlines())
        return inner
    if tag in ("h3", "h4", "h5", "h6"):
        return _wrap(_inline(node.children, d).strip(), d.bold)
    if tag == "table":
        rows = [n for n in _walk(node) if n.tag == "tr"]
        cells = [
            " | ".join(_inline(c.children, d).strip() for c in row.children if isinstance(c, _Node))
            for row in rows
        ]
        return "\n".join(cells)
    if tag == "dl":
        return "\n".join(
            _inline(c.children, d).strip() for c in node.children if isinstance(c, _Node)
        )
    if tag == "hr":
        return "———"
    return _inline(node.children, d).strip()


def _walk(node: _Node) -> Iterator[_Node]:
    for child in node.children:
        if isinstance(child, _Node):
            yield child
            yield from _walk(child)


def _text(node: _Node | str) -> str:
    if isinstance(node, str):
        return node
    return "".join(_text(c) for c in node.children)


def _wrap(text: str, mark: str) -> str:
    if not mark or not text.strip():
        return text
    lead = text[: len(text) - len(text.lstrip())]
    trail = text[len(text.rstrip()) :]
    return f"{lead}{mark}{text.strip()}{mark}{trail}"


def _inline(children: list[_Node | str], d: Dialect) -> str:
    out = []
    for child in children:
        if isinstance(child, str):
            out.append(d.escape(re.sub(r"\s+", " ", child)))
            continue
        tag = child.tag
        inner = _inline(child.children, d)
        if tag in ("strong", "b"):
            out.append(_wrap(inner, d.bold))
        elif tag in ("em", "i"):
            out.append(_wrap(inner, d.italic))
        elif tag in ("del", "s"):
            out.append(_wrap(inner, d.strike))
        elif tag in ("code", "kbd"):
            code = _text(child).replace("`", "ʼ")
            out.append(f"`{code}`" if d is not TEAMS else d.escape(code))
        elif tag == "a":
            href = child.attrs.get("href") or ""
            if not href:
                out.append(inner)
            else:
                # An autolink's text is its address: the bare address reads better.
                same = _text(child).strip() == href
                out.append(d.link("" if same else inner.strip(), href))
        elif tag == "br":
            out.append("\n")
        elif tag in _BLOCKS:
            out.append("\n" + _block(child, d) + "\n")
        else:
            out.append(inner)
    return "".join(out)


def fitted(html: str, plain: str, d: Dialect, limit: int, more: str = "…") -> str:
    """The message in `d`'s markup within `limit` characters: whole blocks while they fit,
    then `more`. When even the first block is too long, its plain text is cut at a word
    boundary instead, so no link or emphasis is ever left half-open."""
    parts = blocks(html, d)
    kept: list[str] = []
    used = 0
    for index, part in enumerate(parts):
        extra = len(part) + (2 if kept else 0)
        tail = 2 + len(more) if index + 1 < len(parts) else 0
        if used + extra + tail > limit:
            if kept:
                return "\n\n".join(kept) + "\n\n" + more
            break
        kept.append(part)
        used += extra
    else:
        return "\n\n".join(kept)
    room = limit
    while room > 0:
        text = d.escape(cut(plain, room, more))
        if len(text) <= limit:
            return text
        room -= len(text) - limit
    return more[:limit]


def cut(text: str, limit: int, more: str = "…") -> str:
    """`text`, or its start cut at a word boundary with `more` appended, within `limit`."""
    if len(text) <= limit:
        return text
    room = max(0, limit - len(more))
    head = text[:room]
    space = max(head.rfind(" "), head.rfind("\n"))
    if space > room * 0.6:
        head = head[:space]
    return head.rstrip() + more
