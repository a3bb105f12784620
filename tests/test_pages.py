"""Pages as pure functions of settings and state: escaping, anchors, order, languages."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path

from candor_sites import load_site
from site_scan import scan_html

from generator.outputs.pages import Planned, plan_site


@dataclass(frozen=True)
class Made:
    """A planned page with its body made, as the plugin hands both to mkdocs."""

    title: str
    body: str


def made(planned: list[Planned]) -> dict[str, Made]:
    return {p.src_uri: Made(p.title, p.make()) for p in planned}


HOSTILE = """\
title: "<img src=x onerror=alert(1)>Down & out"
impact: major
components: [api]
updates:
  - at: 2026-11-30T10:00:00Z
    status: investigating
    message: "Sorry. <script>alert(2)</script>[x](javascript:alert(3))"
    next_update: 30m
    by: "<b onclick=alert(4)>Eve</b>"
  - at: 2026-11-30T11:00:00Z
    status: resolved
    message: Fixed.
postmortem:
  published_at: 2026-11-30T12:00:00Z
  apology: We are sorry.
  what_happened: It broke.
  why: A bug.
  what_we_did: We fixed it.
  impact: Requests failed.
  prevention:
    - action: Test more
      status: done
      due: 2026-12-10
    - action: Alert sooner
      status: planned
  compensation: Credits for everyone.
"""


def pages(tmp_path: Path, language: str = "en") -> dict[str, object]:
    project = load_site(tmp_path, {"2026-11-30-down.yaml": HOSTILE})
    settings = project.settings
    if language != "en":
        settings = replace(settings, language=language)
    return made(plan_site(settings, project.state()))


def test_scanner_finds_what_it_should() -> None:
    assert scan_html('<img src=x onerror="alert(1)">')
    assert scan_html('<a href=" javascript:alert(1)">x</a>')
    assert scan_html("<script>alert(1)</script>")
    assert not scan_html("&lt;script&gt;alert(1)&lt;/script&gt;")


def test_hostile_title_and_message_are_inert(tmp_path: Path) -> None:
    result = pages(tmp_path)
    page = result["incidents/2026-11-30-down/index.md"]
    assert page.title == "&lt;img src=x onerror=alert(1)&gt;Down &amp; out"  # type: ignore[attr-defined]
    for p in result.values():
        assert scan_html(p.body) == [], p.src_uri  # type: ignore[attr-defined]
    assert "&lt;b onclick=alert(4)&gt;Eve&lt;/b&gt;" in page.body  # type: ignore[attr-defined]


def test_updates_have_permanent_anchors(tmp_path: Path) -> None:
    body = pages(tmp_path)["incidents/2026-11-30-down/index.md"].body  # type: ignore[attr-defined]
    # Newest first, each once: the numbers are the updates' places in the file, for good.
    assert re.findall(r'id="update-(\d+)"', body) == ["2", "1"]


def test_postmortem_sections_in_order_with_action_count(tmp_path: Path) -> None:
    body = pages(tmp_path)["incidents/2026-11-30-down/postmortem/index.md"].body  # type: ignore[attr-defined]
    headings = re.findall(r"<h2 id=\"[^\"]+\">([^<]+)</h2>", body)
    assert headings == [
        "Apology",
        "What happened",
        "Why it happened",
        "What we did",
        "Impact",
        "Prevention",
        "Compensation",
        "Timeline",
    ]
    assert "1 of 2 done" in body and "due 10 Dec 2026" in body
    assert 'href="../#update-2"' in body


def test_japanese_labels(tmp_path: Path) -> None:
    result = pages(tmp_path, "ja")
    body = result["incidents/2026-11-30-down/postmortem/index.md"].body  # type: ignore[attr-defined]
    for heading in ("お詫び", "何が起きたか", "原因", "対応", "影響", "再発防止策", "補償"):
        assert f">{heading}</h2>" in body
    assert "2件中1件完了" in body
    home = result["index.md"].body  # type: ignore[attr-defined]
    assert "すべてのシステムが正常に稼働しています" in home


JAPANESE = """\
title: 東京で遅延
impact: minor
language: ja
components: [api]
updates:
  - at: 2026-11-30T10:00:00Z
    status: resolved
    message: 解決しました。
postmortem:
  published_at: 2026-11-30T12:00:00Z
  apology: 申し訳ございません。
  what_happened: 遅延しました。
  why: 設定の誤りです。
  what_we_did: 元に戻しました。
  impact: APIが遅くなりました。
  prevention:
    - action: 設定を検証する
      status: planned
"""


def test_text_in_another_language_is_marked_with_lang(tmp_path: Path) -> None:
    project = load_site(tmp_path, {"2026-11-30-ja.yaml": JAPANESE})
    result = made(plan_site(project.settings, project.state()))
    incident = result["incidents/2026-11-30-ja/index.md"].body
    assert '<h1 class="cd-title" lang="ja">東京で遅延</h1>' in incident
    assert '<div class="cd-message" lang="ja"><p>解決しました。</p></div>' in incident
    postmortem = result["incidents/2026-11-30-ja/postmortem/index.md"].body
    assert 'Postmortem: <span lang="ja">東京で遅延</span>' in postmortem
    assert '<span class="cd-action__text" lang="ja">設定を検証する</span>' in postmortem
    home = result["index.md"].body
    assert 'lang="ja">東京で遅延</a>' in home  # the recent days list
    # On a Japanese site the same incident needs no mark.
    settings = replace(project.settings, language="ja")
    again = made(plan_site(settings, project.state()))
    assert 'lang="ja"' not in again["incidents/2026-11-30-ja/index.md"].body


def test_uptime_bars_hold_runs_not_a_cell_per_day(tmp_path: Path) -> None:
    home = pages(tmp_path)["index.md"].body  # type: ignore[attr-defined]
    bars = re.findall(r'<div class="cd-bar"[^>]*>(.*?)</div>', home, re.S)
    assert len(bars) == 3
    for bar in bars:
        runs = [int(n) for n in re.findall(r'style="flex-grow:(\d+)"', bar)]
        assert sum(runs) == 90 and len(runs) <= 3
    assert " title=" not in home


def test_a_sites_own_labels_replace_the_catalogues_on_every_page(tmp_path: Path) -> None:
    """Words a template looks up (headings, statuses, the footer) and words filled with
    values both come from the site's `labels`; the others stay the catalogue's."""
    own = {"updates": "Timeline", "status.resolved": "Fixed", "by": "— {name}"}
    project = load_site(tmp_path, {"2026-11-30-down.yaml": HOSTILE}, labels=own)
    body = made(plan_site(project.settings, project.state()))[
        "incidents/2026-11-30-down/index.md"
    ].body
    assert '<h2 id="updates">Timeline</h2>' in body
    assert ">Fixed</span>" in body and ">Resolved</span>" not in body
    assert '<h2 id="facts">Key facts</h2>' in body
    assert '<span class="cd-by">— ' in body
