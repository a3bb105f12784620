"""badge.svg: the indicator's description, an accessible title, colours with contrast."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path
from xml.sax.saxutils import escape

import pytest
from artifact_sites import OPEN, STANDARD, build
from hypothesis import given
from hypothesis import strategies as st

from generator.core.state import DESCRIPTIONS
from generator.outputs.badge import COLOURS, LABEL_COLOUR, text_width, xml_text

SVG = "{http://www.w3.org/2000/svg}"


def parse(data: bytes) -> ET.Element:
    return ET.fromstring(data)


def test_badge_is_svg_with_title_and_the_indicator_description(tmp_path: Path) -> None:
    data = build(tmp_path, STANDARD)[2]["badge.svg"]
    root = parse(data)
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    assert root.get("aria-label") == "status: Minor Service Outage"
    title = root.find(f"{SVG}title")
    assert title is not None and title.text == "status: Minor Service Outage"
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert texts == ["status", "Minor Service Outage"]
    fills = [r.get("fill") for r in root.iter(f"{SVG}rect")]
    assert COLOURS["minor"] in fills


def test_all_clear_badge_is_green_and_deterministic(tmp_path: Path) -> None:
    first = build(tmp_path / "a", {})[2]["badge.svg"]
    again = build(tmp_path / "b", {}, now="2027-01-01T00:00Z")[2]["badge.svg"]
    assert first == again
    root = parse(first)
    assert [t.text for t in root.iter(f"{SVG}text")][1] == "All Systems Operational"
    assert COLOURS["none"] in [r.get("fill") for r in root.iter(f"{SVG}rect")]


def test_width_grows_with_the_text(tmp_path: Path) -> None:
    calm = parse(build(tmp_path / "a", {})[2]["badge.svg"])
    busy = parse(build(tmp_path / "b", {"x.yaml": OPEN})[2]["badge.svg"])
    assert int(calm.get("width", "0")) > int(busy.get("width", "0"))  # shorter description
    assert text_width("Major System Outage") > text_width("status") > 0


def _luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


@pytest.mark.parametrize("colour", [*COLOURS.values(), LABEL_COLOUR])
def test_white_text_is_readable_on_every_colour(colour: str) -> None:
    assert (1.05) / (_luminance(colour) + 0.05) >= 4.5


def test_every_indicator_has_a_colour() -> None:
    assert set(COLOURS) == set(DESCRIPTIONS)


@given(st.text())
def test_the_badge_escapes_text_as_the_standard_xml_escape_does(value: str) -> None:
    assert xml_text(value) == escape(value)
    assert xml_text(value).replace('"', "&quot;") == escape(value, {'"': "&quot;"})
