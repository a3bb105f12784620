"""Finds markup that could run in a browser: scripts, event handlers, javascript: URLs,
frames. Used on every output file of a site built from hostile incident files."""

from __future__ import annotations

import json
import re
from html import escape
from html.parser import HTMLParser
from pathlib import Path
from xml.etree import ElementTree

DANGEROUS_TAGS = {"iframe", "object", "embed", "frame", "base"}
# Every payload in the hostile fixtures calls alert(); theme scripts never do.
PAYLOAD = "alert("
URL_ATTRS = {"href", "src", "action", "formaction", "xlink:href", "data", "srcdoc"}
JS_URL = re.compile(r"^\s*(javascript|vbscript|data):", re.IGNORECASE)


class _Scan(HTMLParser):
    def __init__(self, allow_theme_scripts: bool) -> None:
        super().__init__(convert_charrefs=True)
        self.allow = allow_theme_scripts
        self.found: list[str] = []
        self.in_script = False

    def handle_data(self, data: str) -> None:
        if self.in_script and PAYLOAD in data:
            self.found.append(f"<script>{data[:80]}")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self.in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "script":
            self.in_script = True
            if not (self.allow and _theme_script(tag, values)) and values.get("src"):
                self.found.append(f"<script {values}>")
        if tag in DANGEROUS_TAGS and not (self.allow and _theme_script(tag, values)):
            self.found.append(f"<{tag} {values}>")
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}={value!r}>")
            if name in URL_ATTRS and value and JS_URL.match(value):
                self.found.append(f"<{tag} {name}={value!r}>")
            if name == "style" and value and "javascript" in value.lower():
                self.found.append(f"<{tag} style={value!r}>")


def _theme_script(tag: str, attrs: dict[str, str | None]) -> bool:
    """mkdocs-material's own scripts: its bundle and its JSON config block."""
    if tag != "script":
        return False
    src = attrs.get("src") or ""
    return "assets/javascripts/" in src or attrs.get("type") == "application/json"


def scan_html(text: str, allow_theme_scripts: bool = False) -> list[str]:
    parser = _Scan(allow_theme_scripts)
    parser.feed(text)
    parser.close()
    return parser.found


def _strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


def scan_file(path: Path) -> list[str]:
    """Executable markup in one output file, by what browsers and readers do with it."""
    data = path.read_bytes()
    if path.suffix in (".js", ".css", ".map"):
        return []
    if path.suffix in (".png", ".ico", ".woff", ".woff2", ".gz") or b"\0" in data:
        return []
    text = data.decode("utf-8")
    if path.suffix == ".html":
        return scan_html(text, allow_theme_scripts=True)
    if path.suffix == ".json":
        # Search results and API bodies end up as HTML in someone's page.
        return [f for s in _strings(json.loads(text)) if "<" in s for f in scan_html(s)]
    if path.suffix in (".xml", ".rss", ".atom", ".svg"):
        found = scan_html(text) if path.suffix == ".svg" else []
        root = ElementTree.fromstring(data)
        for element in root.iter():
            for piece in (element.text or "", *element.attrib.values()):
                if "<" in piece or ":" in piece:
                    found += scan_html(piece) + scan_html(f'<a href="{escape(piece)}">')
        return found
    if path.suffix in (".js", ".css", ".map"):
        return []
    return scan_html(text)
