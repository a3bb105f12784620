"""Finds markup that could run in a browser or a reader: scripts, event handlers, script URLs,
frames, `srcdoc`, styles that load URLs, meta refresh. Every output file of a built site is
read the way its readers read it: pages with an HTML5 parser (html5lib, as browsers parse),
feeds and the badge with an XML parser (and the HTML they carry with the HTML5 parser), the
search index's texts as the HTML the search box shows, the API's JSON as data."""

from __future__ import annotations

import json
import re
from collections.abc import Collection, Iterable
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import html5lib

DANGEROUS_TAGS = {"iframe", "object", "embed", "frame", "frameset", "base", "applet"}
# Every payload in the hostile fixtures calls alert(); theme scripts never do.
PAYLOAD = "alert("
URL_ATTRS = {"href", "src", "action", "formaction", "xlink:href", "data", "poster", "background"}
SCRIPT_URL = re.compile(r"^[\s\x00-\x20]*(javascript|vbscript|data|livescript)\s*:", re.I)
STYLE_URL = re.compile(r"url\s*\(|expression\s*\(|@import|javascript:", re.I)
# mkdocs-material's inline scripts, told apart by how they begin; the rest must match too.
THEME_INLINE = (
    "__md_scope=new URL(",
    "var palette=__md_get(",
    "var target=document.getElementById(",
)
_SCOPE = re.compile(r'new URL\("[^"]*",location\)')
SVG = "{http://www.w3.org/2000/svg}"
XLINK = "{http://www.w3.org/1999/xlink}"


def normalise_script(text: str) -> str:
    """A theme script with its page-relative base path taken out, to compare across pages."""
    return _SCOPE.sub('new URL("",location)', text.strip())


def _local(name: str) -> str:
    """`{namespace}local` → `local`, keeping xlink's prefix."""
    if name.startswith(XLINK):
        return "xlink:" + name[len(XLINK) :]
    return name.rsplit("}", 1)[-1].lower()


def _attribute_problems(tag: str, attrs: dict[str, str]) -> list[str]:
    found = []
    for raw, value in attrs.items():
        name = _local(raw)
        if name.startswith("on"):
            found.append(f"<{tag} {name}={value!r}>")
        elif name in URL_ATTRS and SCRIPT_URL.match(value or ""):
            found.append(f"<{tag} {name}={value!r}>")
        elif name == "srcdoc":
            found.append(f"<{tag} srcdoc>")
        elif name == "style" and STYLE_URL.search(value or ""):
            found.append(f"<{tag} style={value!r}>")
    if tag == "meta" and (attrs.get("http-equiv") or "").lower() == "refresh":
        found.append("<meta http-equiv=refresh>")
    return found


def _script_problem(
    attrs: dict[str, str], text: str, allow: bool, known: Collection[str] | None
) -> str | None:
    src = attrs.get("src")
    if src is not None:
        theme = re.fullmatch(r"(\.\./|\./)*/?assets/javascripts/[\w./-]+\.js", src)
        return None if allow and theme else f"<script src={src!r}>"
    if attrs.get("type") == "application/json" and attrs.get("id") == "__config":
        return None if allow else "<script id=__config>"
    if known is not None:
        return None if normalise_script(text) in known else f"<script>{text[:80]}"
    if allow and text.strip().startswith(THEME_INLINE) and PAYLOAD not in text:
        return None
    return f"<script>{text[:80]}"


def scan_tree(
    root: Any, allow_theme_scripts: bool = False, known: Collection[str] | None = None
) -> list[str]:
    found: list[str] = []
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue  # comments
        tag = _local(element.tag)
        attrs = {str(k): str(v) for k, v in element.attrib.items()}
        found += _attribute_problems(tag, attrs)
        if tag == "script":
            problem = _script_problem(
                attrs, "".join(element.itertext()), allow_theme_scripts, known
            )
            if problem:
                found.append(problem)
        elif tag in DANGEROUS_TAGS:
            found.append(f"<{tag} {attrs}>")
        elif tag == "style" and STYLE_URL.search("".join(element.itertext())):
            found.append("<style> loading a URL")
    return found


def scan_html(
    text: str, allow_theme_scripts: bool = False, known: Collection[str] | None = None
) -> list[str]:
    """Executable markup in an HTML document or fragment, as a browser parses it."""
    document = html5lib.parse(text, namespaceHTMLElements=False)
    return scan_tree(document, allow_theme_scripts, known)


def theme_scripts(pages: Iterable[str]) -> set[str]:
    """The inline scripts of pages built from harmless input: what the theme itself runs."""
    known: set[str] = set()
    for page in pages:
        document = html5lib.parse(page, namespaceHTMLElements=False)
        for script in document.iter("script"):
            if "src" not in script.attrib and script.get("type") != "application/json":
                known.add(normalise_script("".join(script.itertext())))
    return known


def strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in strings(v)]
    return []


# Elements of a feed whose text readers render as HTML.
_HTML_ELEMENTS = {"description", "content", "summary", "encoded"}


def scan_xml(data: bytes) -> list[str]:
    """A feed, sitemap or SVG: attributes that execute, and the HTML each feed entry carries."""
    root = ElementTree.fromstring(data)
    found = scan_tree(root)
    for element in root.iter():
        name = _local(element.tag)
        if name in _HTML_ELEMENTS and (element.get("type") in (None, "html", "xhtml")):
            if name == "summary" and element.get("type") is None:
                continue  # Atom's default type is text
            found += scan_html(element.text or "")
        if name == "link" or name == "id" or name == "guid":
            target = element.get("href") or element.text or ""
            if SCRIPT_URL.match(target):
                found.append(f"<{name}> {target!r}")
    return found


def scan_api_json(data: bytes) -> list[str]:
    """The API: data, never markup. Raw bytes hold no `<`, `>` or `&` for a reader that is
    handed the response as HTML, and every URL it gives is http(s)."""
    text = data.decode("utf-8")
    found = [f"raw {char!r} in JSON" for char in "<>&" if char in text]

    def urls(value: object) -> Iterable[str]:
        if isinstance(value, dict):
            for key, item in value.items():
                if key in ("url", "shortlink") and isinstance(item, str):
                    yield item
                else:
                    yield from urls(item)
        elif isinstance(value, list):
            for item in value:
                yield from urls(item)

    found += [
        f"URL {u!r}" for u in urls(json.loads(text)) if not u.startswith(("https://", "http://"))
    ]
    return found


def scan_file(path: Path, known: Collection[str] | None = None) -> list[str]:
    """Executable markup in one output file, by what browsers and readers do with it."""
    data = path.read_bytes()
    if path.suffix in (".js", ".css", ".map", ".png", ".ico", ".woff", ".woff2", ".gz"):
        return []
    if path.suffix == ".html":
        return scan_html(data.decode("utf-8"), allow_theme_scripts=True, known=known)
    if path.name == "search_index.json":
        # The search box shows titles and texts as HTML.
        index = json.loads(data)
        return [f for s in strings(index.get("docs", [])) for f in scan_html(s)]
    if path.suffix == ".json":
        return scan_api_json(data)
    if path.suffix in (".xml", ".rss", ".atom", ".svg"):
        found = scan_xml(data)
        if path.suffix == ".svg":
            found += scan_html(data.decode("utf-8"))
        return found
    if path.suffix == ".ics":
        return []  # plain text by format: calendar apps show it as text
    return scan_html(data.decode("utf-8", "replace"))
