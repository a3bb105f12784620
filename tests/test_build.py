"""`candor build` of the example site, end to end: real mkdocs-material, real files."""

from __future__ import annotations

import gzip
import json
import re
import shutil
from pathlib import Path

import pytest
from candor_sites import make_site
from click.testing import CliRunner
from site_scan import scan_file

from generator.cli import main

ROOT = Path(__file__).resolve().parent.parent
NOW = "2026-11-23T12:00Z"
PARTITION = "incidents/2026-09-29-frankfurt-network-partition"


def copy_example(target: Path) -> Path:
    target.mkdir(parents=True)
    for name in ("mkdocs.yml",):
        shutil.copy(ROOT / name, target / name)
    for name in ("incidents", "site_src", "theme"):
        shutil.copytree(ROOT / name, target / name)
    return target / "mkdocs.yml"


def build(config: Path, out: Path, now: str = NOW) -> tuple[int, str]:
    result = CliRunner().invoke(
        main, ["build", "--config", str(config), "--out", str(out), "--now", now]
    )
    return result.exit_code, result.output


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    config = copy_example(tmp_path_factory.mktemp("a") / "example")
    out = config.parent / "site"
    code, output = build(config, out)
    assert code == 0, output
    return out


def read(site: Path, rel: str) -> str:
    return (site / rel).read_text(encoding="utf-8")


def text(html: str) -> str:
    """What a reader sees of `html`: tags removed, whitespace collapsed."""
    return " ".join(re.sub(r"<[^>]+>", "", html).split())


def test_pages_exist_at_spec_paths(site: Path) -> None:
    for rel in (
        "index.html",
        "history/index.html",
        f"{PARTITION}/index.html",
        f"{PARTITION}/postmortem/index.html",
        "incidents/2026-10-01-dns-platform-upgrade/index.html",
        "components/api/index.html",
        "components/billing/index.html",
        "about/index.html",
    ):
        assert (site / rel).is_file(), rel
    # No postmortem page for an incident without one.
    assert not (site / "incidents/2026-01-14-slow-dashboard/postmortem").exists()


def test_generated_pages_stay_out_of_the_navigation(site: Path) -> None:
    about = read(site, "about/index.html")
    nav = about[about.index('class="md-nav md-nav--primary"') :]
    nav = nav[: nav.index("</nav>")]
    assert 'href="./"' in nav or 'href="."' in nav
    assert "incidents/" not in nav and "components/" not in nav and "history/" not in nav
    # Generated pages have no navigation column; their footer links the hand-written pages.
    home = read(site, "index.html")
    assert "md-sidebar" not in home and "md-nav" not in home
    footer = home[home.index('<footer class="cd-footer"') :]
    assert 'href="about/"' in footer and "incidents/" not in footer


def test_home_page_shows_status_components_and_history(site: Path) -> None:
    home = read(site, "index.html")
    assert "All Systems Operational" in home
    assert "Public API" in home and "Managed DNS" in home
    assert 'href="history.rss"' in home and 'href="maintenance.ics"' in home
    assert 'rel="alternate" type="application/atom+xml"' in home
    assert len(gzip.compress(home.encode())) <= 60 * 1024
    assert "fonts.googleapis.com" not in home and "fonts.gstatic.com" not in home


def test_incident_page_anchors_and_facts(site: Path) -> None:
    page = read(site, f"{PARTITION}/index.html")
    anchors = re.findall(r'id="update-(\d+)"', page)
    # Each update once, newest first: the latest heads the list.
    assert anchors == [str(n) for n in range(len(anchors), 0, -1)] and len(anchors) > 10
    shown = text(page)
    assert "(after 17 min)" in shown
    assert re.search(r"<dt>Duration</dt><dd><span class=\"cd-nw\">20 h 34 min</span>", page)
    assert 'href="postmortem/"' in page
    assert "CEST (19:14 UTC)" in shown
    assert "by Nadia, incident commander" in page
    assert "(after 0 min)" not in shown


def test_postmortem_page(site: Path) -> None:
    page = read(site, f"{PARTITION}/postmortem/index.html")
    headings = re.findall(r'<h2 id="[^"]+">([^<]+)</h2>', page)
    assert headings[:7] == [
        "Apology",
        "What happened",
        "Why it happened",
        "What we did",
        "Impact",
        "Prevention",
        "Compensation",
    ]
    assert "2 of 6 done" in page
    assert "preliminary review" in page
    assert 'href="../#update-1"' in page
    without = read(site, "incidents/2026-03-09-dns-resolution-failures/postmortem/index.html")
    assert ("Compensation" in without) == (
        "compensation:" in (ROOT / "incidents/2026-03-09-dns-resolution-failures.yaml").read_text()
    )


def test_postmortem_linked_from_history(site: Path) -> None:
    history = read(site, "history/index.html")
    assert f'href="../{PARTITION}/postmortem/"' in history
    assert "September 2026" in history


def test_component_page(site: Path) -> None:
    page = read(site, "components/database/index.html")
    assert "Managed Databases" in page and "uptime" in page
    assert f'href="../../{PARTITION}/"' in page


def test_maintenance_window_in_zone(site: Path) -> None:
    page = read(site, "incidents/2026-10-01-dns-platform-upgrade/index.html")
    assert "14 Oct 2026, 03:00 CEST (01:00 UTC)" in text(page)


def test_artifacts_are_written(site: Path) -> None:
    for rel in ("history.rss", "history.atom", "api/v2/summary.json", "maintenance.ics"):
        assert (site / rel).is_file(), rel


def test_search_finds_each_incident_by_one_short_entry(site: Path) -> None:
    index = json.loads(read(site, "search/search_index.json"))
    pages = {doc["location"].split("#")[0] for doc in index["docs"]}
    assert {"", "about/"} <= pages
    # The home page is indexed in full, each of its sections as the search plugin read it.
    assert {"#components", "#recent", "#record"} <= {doc["location"] for doc in index["docs"]}
    # No page that lists incidents is indexed in full: each incident has one entry instead.
    assert not [p for p in pages if p.startswith(("history/", "components/"))]
    incidents = [doc for doc in index["docs"] if doc["location"].startswith("incidents/")]
    ids = sorted(p.parent.name for p in (site / "incidents").glob("*/feed.atom"))
    assert sorted(doc["location"] for doc in incidents) == [f"incidents/{i}/" for i in ids]
    frankfurt = next(doc for doc in incidents if "Frankfurt" in doc["title"])
    assert frankfurt["location"] == f"{PARTITION}/"
    assert frankfurt["text"].startswith("Critical · Resolved · 29 Sep 2026 · 20 h 34 min · ")
    assert "Managed Databases" in frankfurt["text"] and frankfurt["text"].endswith("Postmortem")
    assert all(len(doc["text"]) < 200 for doc in incidents)


def test_every_page_has_a_meta_description(site: Path) -> None:
    for path in site.rglob("*.html"):
        assert re.search(r'<meta name="description" content="[^"<>]+">', path.read_text()), path
    page = read(site, f"{PARTITION}/index.html")
    found = re.search(r'<meta name="description" content="([^"]+)">', page)
    assert found and found[1].startswith("Databases unavailable in Frankfurt")
    assert "Resolved" in found[1]
    home = read(site, "index.html")
    assert '<meta name="description" content="All Systems Operational — ' in home


def test_byte_identical_rebuild_elsewhere(site: Path, tmp_path: Path) -> None:
    config = copy_example(tmp_path / "other" / "deeper")
    out = tmp_path / "elsewhere" / "public"
    code, output = build(config, out)
    assert code == 0, output
    first = {p.relative_to(site): p.read_bytes() for p in site.rglob("*") if p.is_file()}
    second = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert first.keys() == second.keys()
    differing = [str(k) for k in first if first[k] != second[k]]
    assert differing == []


def test_failed_build_keeps_previous_output(tmp_path: Path) -> None:
    config = copy_example(tmp_path / "s")
    out = tmp_path / "s" / "site"
    assert build(config, out)[0] == 0
    before = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    (config.parent / "incidents" / "2026-11-22-broken.yaml").write_text(
        "title: Broken\nimpact: huge\nupdates: []\n", encoding="utf-8"
    )
    code, output = build(config, out)
    assert code == 1
    assert "incidents/2026-11-22-broken.yaml:2" in output
    after = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert after == before
    assert not [p for p in out.parent.iterdir() if p.name.startswith(".site.")]


def test_japanese_build(tmp_path: Path) -> None:
    config = copy_example(tmp_path / "ja")
    source = config.read_text().replace("language: en", "language: ja")
    config.write_text(source.replace("Europe/Berlin", "Asia/Tokyo"), encoding="utf-8")
    out = tmp_path / "ja" / "site"
    code, output = build(config, out)
    assert code == 0, output
    home = read(out, "index.html")
    assert 'lang="ja"' in home
    assert "すべてのシステムが正常に稼働しています" in home
    # Times in the site's zone, named as such: JST next to Japanese text that says JST.
    # The last change of the status (the newest update), not the build, is the page's date.
    assert "2026年11月13日 01:37 JST（11月12日 16:37 UTC）から状況に変化はありません" in text(home)
    assert "CET" not in text(home) and "CEST" not in text(home)
    assert "Made with" not in home and "状況の最終変更：" in home
    page = read(out, f"{PARTITION}/postmortem/index.html")
    headings = re.findall(r'<h2 id="[^"]+">([^<]+)</h2>', page)
    assert headings[:7] == ["お詫び", "何が起きたか", "原因", "対応", "影響", "再発防止策", "補償"]
    assert "6件中2件完了" in page
    incident = read(out, f"{PARTITION}/index.html")
    assert "20時間34分" in incident


OPEN_INCIDENT = """\
title: Elevated error rates on the API
impact: major
components: [api]
started_at: 2026-11-23T10:50:00Z
updates:
  - at: 2026-11-23T11:00:00Z
    status: investigating
    message: We are sorry, many API requests fail. We are investigating.
    next_update: 30m
  - at: 2026-11-23T11:40:00Z
    status: identified
    message: A faulty configuration push is the cause; we are rolling it back now.
    components: {api: partial_outage}
    next_update: 45m
    by: Aiko, on-call SRE
"""


def test_open_incident_on_home_page(tmp_path: Path) -> None:
    config = copy_example(tmp_path / "open")
    (config.parent / "incidents" / "2026-11-23-api-errors.yaml").write_text(
        OPEN_INCIDENT, encoding="utf-8"
    )
    out = tmp_path / "open" / "site"
    code, output = build(config, out)
    assert code == 0, output
    home = read(out, "index.html")
    assert "Partial System Outage" in home and "All Systems Operational" not in home
    assert "rolling it back now" in home
    assert "Next update due by 23 Nov 2026, 13:25 CET (12:25 UTC)" in text(home)
    assert "23 Nov 2026, 12:40 CET (11:40 UTC)" in text(home)
    assert '<time datetime="2026-11-23T12:25:00Z">23 Nov 2026, 13:25 CET</time>' in home
    # The card says when it started, as a machine-readable time.
    assert "Started: 23 Nov 2026, 11:50 CET (10:50 UTC)" in text(home)
    assert '<time datetime="2026-11-23T10:50:00Z">23 Nov 2026, 11:50 CET</time>' in home
    assert "Partial outage" in home
    page = read(out, "incidents/2026-11-23-api-errors/index.html")
    assert "Ongoing" in page and 'id="update-2"' in page


HOSTILE = """\
title: "Errors <script>alert('t')</script> & <img src=x onerror=alert(1)> <b>bold</b>"
impact: major
components: [api]
updates:
  - at: 2026-11-23T11:00:00Z
    status: investigating
    message: |
      We are sorry. <script>alert("m")</script> <img src="x" onerror="alert(2)">
      [click](javascript:alert(3)) <a href="javascript:alert(4)">x</a>
      <iframe src="https://evil.example/"></iframe> <svg onload=alert(5)></svg>
      <div style="background:url(javascript:alert(6))" onclick="alert(7)">styled</div>
    next_update: 30m
    by: "<b onmouseover=alert(8)>Eve</b>"
  - at: 2026-11-23T11:30:00Z
    status: resolved
    message: Fixed. <a href="JaVaScRiPt:alert(9)">again</a>
postmortem:
  published_at: 2026-11-23T11:45:00Z
  apology: "<script>alert('a')</script>We are sorry."
  what_happened: "<img src=x onerror=alert(10)>It broke."
  why: "[x](javascript:alert(11)) Because."
  what_we_did: Fixed it.
  impact: Some requests failed.
  prevention:
    - action: "<script>alert(12)</script>Test more"
      status: done
"""


def test_hostile_text_never_becomes_markup(tmp_path: Path) -> None:
    config = copy_example(tmp_path / "hostile")
    (config.parent / "incidents" / "2026-11-23-hostile.yaml").write_text(HOSTILE, encoding="utf-8")
    out = tmp_path / "hostile" / "site"
    code, output = build(config, out)
    assert code == 0, output
    page = read(out, "incidents/2026-11-23-hostile/index.html")
    assert "&lt;script&gt;" in page  # the title is shown as text, not dropped
    found = {}
    for path in sorted(out.rglob("*")):
        if path.is_file():
            problems = scan_file(path)
            if problems:
                found[str(path.relative_to(out))] = problems
    assert found == {}
    assert (out / "search" / "search_index.json").is_file()
    assert (out / "sitemap.xml").is_file()


def failed_build(config: Path, out: Path) -> str:
    """The output of a build that fails, as a user sees it: an error, never a traceback."""
    result = CliRunner().invoke(
        main, ["build", "--config", str(config), "--out", str(out), "--now", NOW]
    )
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit), result.exception
    assert not out.exists()
    return result.output


def test_what_mkdocs_raises_while_building_is_an_error_without_a_traceback(
    tmp_path: Path,
) -> None:
    """mkdocs raises on what only the build reads: a page Candor never follows a symlink to,
    a broken template in the site's own overrides."""
    config = make_site(tmp_path, {})
    (tmp_path / "docs").mkdir()
    (tmp_path / "elsewhere.md").write_bytes(b"Caf\xe9\n")
    (tmp_path / "docs" / "linked.md").symlink_to(tmp_path / "elsewhere.md")
    output = failed_build(config, tmp_path / "out")
    assert "a file mkdocs reads is not UTF-8 (byte 0xe9 at offset 3" in output
    assert "hint: save the file as UTF-8" in output

    (tmp_path / "docs" / "linked.md").unlink()
    (tmp_path / "overrides").mkdir()
    (tmp_path / "overrides" / "main.html").write_text(
        '{% extends "base.html" %}\n{% block content %}{{ page.content }\n{% endblock %}\n',
        encoding="utf-8",
    )
    config.write_text(
        config.read_text(encoding="utf-8") + "theme:\n  name: material\n  custom_dir: overrides\n",
        encoding="utf-8",
    )
    output = failed_build(config, tmp_path / "out")
    assert "overrides/main.html:2:1: error: unexpected '}'" in output
    assert "hint: fix the template" in output
