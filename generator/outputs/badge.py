"""`badge.svg`: the overall status as a small badge for READMEs and dashboards (SPEC §6).

The text is the indicator's description; a `<title>` and `role="img"` make screen readers
announce it. Widths come from a fixed per-character estimate, so the bytes never depend on
the fonts of the machine that builds the site."""

from __future__ import annotations

import html
import unicodedata

from generator.core.config import Settings
from generator.core.state import SiteState

# Each colour keeps white text at a contrast ratio of at least 4.5:1 (WCAG AA).
COLOURS = {
    "none": "#1a7f37",
    "minor": "#9a6700",
    "major": "#bc4c00",
    "critical": "#cf222e",
    "maintenance": "#0969da",
}
LABEL_COLOUR = "#555555"
LABELS = {"en": "status", "ja": "ステータス"}
HEIGHT = 20
PADDING = 6
# Approximate advance widths of 11px Verdana, the badge font.
_NARROW = set("fijlrtI!.,:;'|() ")
_WIDE = set("mwMW@%")


def text_width(text: str) -> int:
    width = 0.0
    for char in text:
        if unicodedata.east_asian_width(char) in ("W", "F"):
            width += 11
        elif char in _NARROW:
            width += 4
        elif char in _WIDE:
            width += 10
        elif char.isupper() or char.isdigit():
            width += 7.5
        else:
            width += 6.5
    return round(width)


def xml_text(value: str) -> str:
    """`value` as XML character data: `&`, `<` and `>` escaped, as `xml.sax.saxutils.escape`
    does; that module imports `urllib.request`, and with it `http` and `ssl`, which no
    build needs otherwise (8 ms of every build)."""
    return html.escape(value, quote=False)


def badge_svg(settings: Settings, state: SiteState) -> bytes:
    label = LABELS.get(settings.language, LABELS["en"])
    message = state.description
    colour = COLOURS.get(state.indicator, COLOURS["none"])
    left = text_width(label) + 2 * PADDING
    right = text_width(message) + 2 * PADDING
    total = left + right
    title = xml_text(f"{label}: {message}")
    aria = title.replace('"', "&quot;")
    svg = f"""<svg xmlns="http://www.w3.org/2000/svg" width="{total}" height="{HEIGHT}" \
role="img" aria-label="{aria}">
  <title>{title}</title>
  <linearGradient id="s" x2="0" y2="100%">
    <stop offset="0" stop-color="#bbb" stop-opacity=".1"/>
    <stop offset="1" stop-opacity=".1"/>
  </linearGradient>
  <clipPath id="r"><rect width="{total}" height="{HEIGHT}" rx="3" fill="#fff"/></clipPath>
  <g clip-path="url(#r)">
    <rect width="{left}" height="{HEIGHT}" fill="{LABEL_COLOUR}"/>
    <rect x="{left}" width="{right}" height="{HEIGHT}" fill="{colour}"/>
    <rect width="{total}" height="{HEIGHT}" fill="url(#s)"/>
  </g>
  <g fill="#fff" text-anchor="middle" font-family="Verdana,Geneva,DejaVu Sans,sans-serif" \
font-size="11">
    <text x="{left / 2:.1f}" y="14">{xml_text(label)}</text>
    <text x="{left + right / 2:.1f}" y="14">{xml_text(message)}</text>
  </g>
</svg>
"""
    return svg.encode("utf-8")
