"""What `candor notify` sends, built from the exact texts of issue 14: titles literal, the
message's text as the page shows it, and no URL the page's sanitiser removed, on every
channel (SPEC §6)."""

from __future__ import annotations

import email
import json
import re
from email.policy import default as email_policy
from pathlib import Path

import html5lib
import pytest
from candor_sites import make_site
from markdown_it import MarkdownIt
from site_scan import scan_html

from generator.core.project import load_project
from generator.notify.messages import Message, candidates
from generator.notify.run import senders

TITLE = "Errors in `Vec<u8>` parsing"
SITE_NAME = "<img src=x onerror=alert(1)>"
MESSAGE = (
    "We saw `<timeout>` errors in java&#115;cript: land; see [details](javascript:alert(1)). "
    "Then <!-- this comment never closes"
)
INCIDENT = f"""\
title: {json.dumps(TITLE)}
impact: major
components: [api]
updates:
  - at: 2026-11-30T10:00:00Z
    status: investigating
    message: {json.dumps(MESSAGE)}
    next_update: 30m
"""
CHANNELS = [
    {"type": "webhook", "url_env": "HOOK", "secret_env": "HOOK_SECRET"},
    {"type": "slack", "url_env": "HOOK"},
    {"type": "discord", "url_env": "HOOK"},
    {"type": "teams", "url_env": "HOOK"},
    {"type": "mastodon", "url_env": "HOOK", "token_env": "HOOK_SECRET"},
    {
        "type": "email",
        "host_env": "HOOK",
        "to": "status@lists.example.com",
        "from": "status@example.com",
    },
]
SCRIPT_URL = re.compile(r"(java|vb)script\s*:\s*alert|data:text", re.I)


@pytest.fixture
def site(tmp_path: Path) -> Path:
    config = make_site(tmp_path, {"2026-11-30-vec.yaml": INCIDENT}, notify=CHANNELS)
    text = config.read_text("utf-8").replace("site_name: Test Status", f"site_name: '{SITE_NAME}'")
    config.write_text(text, "utf-8")
    return config


def _message(config: Path) -> tuple[Message, object]:
    project = load_project(config, "2026-11-30T10:05Z")
    (message,) = candidates(project.settings, project.state())
    return message, project.settings


def _shown_text(html: str) -> str:
    return " ".join("".join(html5lib.parseFragment(html).itertext()).split())


def test_a_message_carries_the_title_literally_and_the_text_the_page_shows(site: Path) -> None:
    message, _ = _message(site)
    assert message.event_title == TITLE
    assert message.title.endswith(TITLE)
    # Markdown decodes the entity on the page: the text reads as the page does.
    assert "<timeout>" in message.text and "javascript: land" in message.text
    assert "javascript: land" in _shown_text(message.html)
    assert "Then" in message.text and "details" in message.text
    assert not SCRIPT_URL.search(message.text) and not SCRIPT_URL.search(message.markdown)
    # The Markdown renders to what the page shows, and the HTML is the page's.
    rendered = _shown_text(MarkdownIt("commonmark").render(message.markdown))
    assert rendered == _shown_text(message.html)
    assert "<timeout>" in rendered and "Then <!-- this comment never closes" in rendered


def test_every_channel_sends_no_removed_url_and_keeps_the_text(site: Path) -> None:
    message, settings = _message(site)
    env = {"HOOK": "https://hooks.example.com/x", "HOOK_SECRET": "whsec_dGVzdA=="}
    found = {}
    for sender in senders(settings, env):  # type: ignore[arg-type]
        payload = sender.payload(message)
        text = payload if isinstance(payload, str) else json.dumps(payload, ensure_ascii=False)
        assert not SCRIPT_URL.search(text), sender.kind
        found[sender.kind] = payload
    # Chats and the webhook take text, not HTML: the names arrive as written.
    assert TITLE in json.dumps(found["webhook"], ensure_ascii=False)
    assert SITE_NAME in json.dumps(found["discord"], ensure_ascii=False)
    mail = email.message_from_string(found["email"], policy=email_policy)
    assert TITLE in str(mail["Subject"])
    body = mail.get_body(("plain",))
    assert body is not None
    plain = body.get_content()
    assert "<timeout>" in plain and "Then <!-- this comment never closes" in plain
    html_part = mail.get_body(("html",))
    assert html_part is not None
    assert scan_html(html_part.get_content()) == []
    heading = html5lib.parse(html_part.get_content(), namespaceHTMLElements=False).find(".//h1")
    assert "".join(heading.itertext()).endswith(TITLE)
    slack_header = found["slack"]["blocks"][0]["text"]["text"]
    assert slack_header.endswith(TITLE)  # plain_text: shown as it is
    assert TITLE in found["mastodon"]["status"]
