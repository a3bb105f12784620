"""Plain text and Markdown for JSON, calendars and feeds (SPEC §6): titles literal, messages
exactly what the page shows, and no URL the page's sanitiser removed."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import feedparser
import html5lib
import pytest
from artifact_sites import build
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st
from icalendar import Calendar
from markdown_it import MarkdownIt

from generator.outputs import markdown, plaintext

EXAMPLES = int(os.environ.get("CANDOR_FUZZ_EXAMPLES", "300"))
PROPERTY = settings(
    max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
SCRIPT_LINKS = [
    "[details](javascript:alert(1))",
    "[details](  JaVaScRiPt:alert(1))",
    "[details](java&#115;cript:alert(1))",
    "[details](vbscript:msgbox(1))",
    "[details](data:text/html,<script>alert(1)</script>)",
    "[details](<javascript:alert(1)>)",
    "[details][ref]\n\n[ref]: javascript:alert(1)",
    '<a href="javascript:alert(1)">details</a>',
    "<javascript:alert(1)>",
]


BLOCKS = {"p", "li", "pre", "blockquote", "tr", "td", "th", "h3", "h4", "h5", "h6", "dt", "dd"}


def page_text(fragment: str) -> str:
    """What a browser shows of an HTML fragment, whitespace collapsed: a line break or a
    block boundary separates words."""
    tree = html5lib.parseFragment(fragment, namespaceHTMLElements=False)
    for element in tree.iter():
        if element.tag == "br" or element.tag in BLOCKS:
            element.tail = "\n" + (element.tail or "")
        if element.tag in BLOCKS:
            element.text = "\n" + (element.text or "")
    return " ".join("".join(tree.itertext()).split())


def hrefs(fragment: str) -> list[str]:
    tree = html5lib.parseFragment(fragment, namespaceHTMLElements=False)
    return [a.get("href") for a in tree.iter("a") if a.get("href") is not None]


# Titles, names, authors: literal.


@pytest.mark.parametrize(
    "title",
    [
        "Errors in `Vec<u8>` parsing",
        "java&#115;cript:",
        "a < b && c > d",
        "<b>bold</b> &amp; <img src=x onerror=alert(1)>",
        "<!-- not a comment",
        "  spaced\n  out\ttitle ",
    ],
)
def test_a_title_is_literal(title: str) -> None:
    assert plaintext.line(title) == " ".join(title.split())


# Messages: what the page shows.


def test_a_code_span_with_angle_brackets_keeps_the_rest_of_the_text() -> None:
    message = "We saw `<timeout>` errors from the gateway, then recovered."
    assert plaintext.text(message) == "We saw <timeout> errors from the gateway, then recovered."
    assert plaintext.markdown(message) == message
    assert page_text(markdown.to_html(message)) == plaintext.text(message)


@pytest.mark.parametrize(
    "message",
    ["before <!-- unclosed and after", "before <!-- unclosed\n\nand a second paragraph"],
)
def test_an_unclosed_comment_swallows_nothing(message: str) -> None:
    shown = page_text(markdown.to_html(message))
    assert "after" in shown or "second paragraph" in shown
    assert " ".join(plaintext.text(message).split()) == shown
    assert page_text(MarkdownIt("commonmark").render(plaintext.markdown(message))) == shown


def test_entities_in_a_message_read_as_the_page_shows_them() -> None:
    assert plaintext.text("java&#115;cript: is text here") == "javascript: is text here"
    assert plaintext.text("AT&amp;T &copy; 5 &lt; 6") == "AT&T © 5 < 6"


@pytest.mark.parametrize("link", SCRIPT_LINKS)
def test_a_script_link_never_comes_back_as_a_url(link: str) -> None:
    message = f"See {link}\n\nfor more."
    assert hrefs(markdown.to_html(message)) == []  # the page has no link left
    for out in (plaintext.text(message), plaintext.markdown(message)):
        lowered = out.lower()
        for scheme in ("javascript:", "vbscript:", "data:", "java&#115;cript"):
            assert scheme not in lowered, out
        rendered = MarkdownIt("commonmark").render(plaintext.markdown(message))
        assert hrefs(rendered) == []


def test_a_kept_link_keeps_its_url_after_its_text() -> None:
    message = "See [the runbook](https://example.com/run?a=1&b=2) or <https://example.com/>."
    assert plaintext.text(message) == (
        "See the runbook (https://example.com/run?a=1&b=2) or https://example.com/."
    )
    rendered = MarkdownIt("commonmark").render(plaintext.markdown(message))
    assert hrefs(rendered) == ["https://example.com/run?a=1&b=2", "https://example.com/"]


def test_structure_survives_as_plain_text() -> None:
    message = (
        "First *paragraph*\nstill first.\n\n- one\n- two\n\n3. three\n4. four\n\n"
        "```\ncode <x>\n  indented\n```\n\n# Heading"
    )
    assert plaintext.text(message) == (
        "First paragraph still first.\n\n- one\n- two\n\n3. three\n4. four\n\n"
        "code <x>\n  indented\n\nHeading"
    )


# The Markdown the API hands on renders to the text the page shows.

MARKDOWNISH = st.lists(
    st.one_of(
        st.sampled_from(
            [
                *"abc xyz 019\n\n",
                *"\\`*_[]()<>!#+-.|~&;:=\"'{}",
                *["`<timeout>`", "<!--", "-->", "&amp;", "&#115;", "&copy;", "**", "__"],
                *["\n- ", "\n1. ", "\n> ", "\n# ", "\n    ", "\n```\n", "\n---\n", "\n===\n"],
                *["<b>", "</b>", "<em>x</em>", "<script>alert(1)</script>", "<br>", "  \n"],
                *["[t](https://e.x/a)", "[t](javascript:alert(1))", "<https://e.x>", "|a|b|"],
                *["Vec<u8>", "a < b", "é", "日本", "\u00a0"],
            ]
        ),
        st.text(max_size=3),
    ),
    max_size=30,
).map("".join)


def _render(source: str) -> str:
    renderer = MarkdownIt("commonmark").enable(["table", "strikethrough"])
    return markdown.sanitize(renderer.render(source))


@PROPERTY
@given(MARKDOWNISH)
# Code spans side by side, directly or inside emphasis: their fences must not run together.
@example("`a`<timeout>`a`")
@example("`a`**`b`**")
def test_api_markdown_renders_to_what_the_page_shows(message: str) -> None:
    assume("\x00" not in message and "\r" not in message)
    page = markdown.to_html(message)
    converted = plaintext.markdown(message)
    assert "".join(page_text(_render(converted)).split()) == "".join(page_text(page).split())
    assert set(hrefs(_render(converted))) <= set(hrefs(page))


@PROPERTY
@given(MARKDOWNISH)
def test_plain_text_is_what_the_page_shows(message: str) -> None:
    page = markdown.to_html(message)
    # Lists gain "- " / "1. " and links their kept URL: compare the rest exactly.
    assume("<li" not in page and "href=" not in page)
    assert " ".join(plaintext.text(message).split()) == page_text(page)


# Every channel, end to end.

TITLE = "Errors in `Vec<u8>` parsing"
INCIDENT = f"""\
title: "{TITLE}"
impact: minor
components: [api]
updates:
  - at: 2026-11-15T10:00:00Z
    status: investigating
    message: "We saw `<timeout>` errors; see [details](javascript:alert(1)). Rest of text."
    by: "Aiko & Bo <3"
  - at: 2026-11-15T11:00:00Z
    status: resolved
    message: "Fixed <!-- not hidden, and the rest"
postmortem:
  published_at: 2026-11-16T10:00:00Z
  apology: "Sorry for the `<timeout>` errors, and more text."
  what_happened: "[details](javascript:alert(1)) here <!-- still shown"
  why: "java&#115;cript: is not a link"
  what_we_did: We fixed it.
  impact: Some requests failed.
  prevention:
    - action: "Test `Vec<u8>` parsing"
      status: done
"""
MAINTENANCE = """\
kind: maintenance
title: "java&#115;cript: `Vec<u8>` move"
components: [web]
scheduled:
  start: 2026-12-05T01:00:00Z
  end: 2026-12-05T03:00:00Z
updates:
  - at: 2026-11-25T10:00:00Z
    status: scheduled
    message: "We move `<timeout>` handling; [details](javascript:alert(1)) and the rest."
"""


def outputs(tmp_path: Path) -> dict[str, bytes]:
    files = {"2026-11-15-vec.yaml": INCIDENT, "2026-11-25-move.yaml": MAINTENANCE}
    return build(tmp_path, files)[2]


def test_titles_and_messages_in_the_json_api(tmp_path: Path) -> None:
    out = outputs(tmp_path)
    (incident,) = json.loads(out["api/v2/incidents.json"])["incidents"]
    assert incident["name"] == TITLE
    bodies = [u["body"] for u in incident["incident_updates"]]
    assert bodies == [
        "Fixed <!-- not hidden, and the rest",
        "We saw <timeout> errors; see details. Rest of text.",
    ]
    body = incident["postmortem_body"]
    assert "Sorry for the `<timeout>` errors, and more text." in body
    assert "details here &lt;!-- still shown" in body
    assert "javascript: is not a link" in body
    assert "- [x] Test `Vec<u8>` parsing" in body
    assert "javascript:alert" not in json.dumps(incident)
    (maintenance,) = json.loads(out["api/v2/scheduled-maintenances.json"])["scheduled_maintenances"]
    assert maintenance["name"] == "java&#115;cript: `Vec<u8>` move"


def test_titles_and_messages_in_the_calendar(tmp_path: Path) -> None:
    out = outputs(tmp_path)
    (event,) = Calendar.from_ical(out["maintenance.ics"]).walk("VEVENT")
    assert str(event["SUMMARY"]) == "java&#115;cript: `Vec<u8>` move"
    description = str(event["DESCRIPTION"])
    assert description.startswith(
        "Scheduled: We move <timeout> handling; details and the rest.\n\n"
    )
    assert "javascript:alert" not in description


def _xml_titles(data: bytes) -> list[str]:
    root = ElementTree.fromstring(data)
    found = [e.text or "" for e in root.iter() if e.tag.rsplit("}", 1)[-1] == "title"]
    return found[1:]  # entries' titles, after the feed's own


@pytest.mark.parametrize("path", ["history.rss", "history.atom", "components/api/history.atom"])
def test_titles_in_the_feeds(tmp_path: Path, path: str) -> None:
    out = outputs(tmp_path)
    titles = _xml_titles(out[path])
    assert f"Resolved — {TITLE}" in titles and f"Investigating — {TITLE}" in titles
    feed: Any = feedparser.parse(out[path])
    assert not feed.bozo
    assert f"Investigating — {TITLE}" in [e.title for e in feed.entries]
    for entry in feed.entries:
        assert hrefs(entry.get("summary", "")) == []
        assert "javascript:alert" not in entry.get("summary", "")
