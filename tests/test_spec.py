"""SPEC conformance: the rules of /SPEC.md that no other test module pins, each to the letter.

One site is built once by the installed `candor` console script from a mkdocs.yml holding only
SPEC §2's keys; a second build of the same input elsewhere (other absolute paths, CANDOR_NOW
instead of --now, --config relative to another working directory, the default output folder)
must give the same bytes. Smaller questions are answered from derived state or the artifacts
alone, without mkdocs."""

from __future__ import annotations

import gzip
import json
import os
import posixpath
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import feedparser
import pytest
import yaml
from artifact_sites import COMPLETED, OPEN, UPCOMING, build
from candor_sites import COMPONENTS, load_site, make_site
from click.testing import CliRunner

from generator.cli import main
from generator.outputs.pages import plan_site

ROOT = Path(__file__).resolve().parent.parent
CANDOR = Path(sys.executable).with_name("candor")
HOST = "status.example.com"
SITE_URL = f"https://{HOST}/"
NOW = "2026-12-01T12:00Z"  # 13:00 in Berlin
ZONE = "Europe/Berlin"

# 00:30 on 1 November in Berlin is still 31 October in UTC: its month is November.
NIGHT = """\
title: Night-time API outage
impact: major
components: [api]
started_at: 2026-11-01 00:30
updates:
  - at: 2026-11-01 00:40
    status: investigating
    message: The API fails for most requests. We are sorry and are investigating.
    components: {api: major_outage}
  - at: 2026-11-01 01:10
    status: resolved
    message: The API works again.
    components: {api: operational}
postmortem:
  published_at: 2026-11-02 10:00
  apology: We are sorry that the API failed for forty minutes.
  what_happened: Most API requests failed.
  why: A certificate expired.
  what_we_did: We renewed it.
  impact: Forty minutes without the API.
  prevention: We now monitor expiry dates.
  compensation: A credit of 5 percent of the monthly bill.
"""
SLOW = """\
title: Slow website
impact: minor
components: [web]
updates:
  - at: 2026-12-01 12:00
    status: investigating
    message: The website is slow for some of you. We are looking into it.
"""
# A postmortem published while the incident is still open: a preliminary review.
LONG = """\
title: Long recovery of the database
impact: minor
components: [db]
started_at: 2026-11-20 09:00
updates:
  - at: 2026-11-20 09:10
    status: identified
    message: Replication is behind; we are rebuilding a replica.
  - at: 2026-11-30 09:00
    status: monitoring
    message: The replica is rebuilt; we are watching it.
postmortem:
  published_at: 2026-11-25 10:00
  apology: We are sorry that the database was slow for so long.
  what_happened: A replica fell behind.
  why: A disk filled up.
  what_we_did: We are rebuilding the replica.
  impact: Slow queries for some customers.
  prevention:
    - action: Alert on disk space
      status: planned
"""
UPGRADE = """\
kind: maintenance
title: Database upgrade
components: [db]
scheduled:
  start: 2026-12-20 01:00
  end: 2026-12-20 03:00
updates:
  - at: 2026-11-28 10:00
    status: scheduled
    message: We will upgrade the database.
"""
MOVE = """\
kind: maintenance
title: Cache move
components: [web]
scheduled:
  start: 2026-10-15 01:00
  end: 2026-10-15 02:00
updates:
  - at: 2026-10-01 10:00
    status: scheduled
    message: We will move the cache.
  - at: 2026-10-15 01:00
    status: in_progress
    message: The move has started.
  - at: 2026-10-15 01:30
    status: completed
    message: The move is done.
"""
FILES = {
    "2026-11-01-night-outage.yaml": NIGHT,
    "2026-12-01-slow-website.yaml": SLOW,
    "2026-11-20-long-recovery.yaml": LONG,
    "2026-11-28-database-upgrade.yaml": UPGRADE,
    "2026-10-01-cache-move.yaml": MOVE,
}
HISTORY_ORDER = [
    "2026-11-28-database-upgrade",  # upcoming: 20 December
    "2026-12-01-slow-website",
    "2026-11-20-long-recovery",
    "2026-11-01-night-outage",
    "2026-10-01-cache-move",
]


def spec_config(folder: Path, **extra_theme: Any) -> Path:
    """A mkdocs.yml with SPEC §2's keys and nothing else, plus the repository's theme folder."""
    folder.mkdir(parents=True, exist_ok=True)
    config = {
        "site_name": "Example Status",
        "site_url": SITE_URL,
        "docs_dir": "site_src",
        "theme": {"name": "material", "custom_dir": "theme", "language": "en", **extra_theme},
        "plugins": [
            "search",
            {
                "candor": {
                    "incidents_dir": "incidents",
                    "timezone": ZONE,
                    "uptime_days": 90,
                    "feed_entries": 50,
                    "stale_after": "60m",
                    "postmortem_within": "24h",
                    "postmortem_required_for": ["major", "critical"],
                    "components": COMPONENTS,
                }
            },
        ],
    }
    path = folder / "mkdocs.yml"
    path.write_text(yaml.safe_dump(config, sort_keys=False, allow_unicode=True), "utf-8")
    shutil.copytree(ROOT / "theme", folder / "theme", dirs_exist_ok=True)
    (folder / "site_src").mkdir(exist_ok=True)
    (folder / "incidents").mkdir(exist_ok=True)
    for name, text in FILES.items():
        (folder / "incidents" / name).write_text(text, encoding="utf-8")
    return path


def candor(
    *args: str, cwd: Path, env: dict[str, str] | None = None, stdin: str = ""
) -> subprocess.CompletedProcess[str]:
    environment = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(cwd),
        "LANG": "C.UTF-8",
        "EDITOR": "false",
        "VISUAL": "false",
        **(env or {}),
    }
    result = subprocess.run(
        [str(CANDOR), *args],
        cwd=cwd,
        env=environment,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert "Traceback" not in result.stderr + result.stdout, result.stderr
    return result


def files_of(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    config = spec_config(tmp_path_factory.mktemp("spec") / "one")
    result = candor("build", "--config", str(config), "--now", NOW, cwd=config.parent)
    assert result.returncode == 0, result.stderr
    return config.parent / "site"


def read(site: Path, rel: str) -> str:
    return (site / rel).read_text(encoding="utf-8")


# --- §6: a mkdocs.yml with only §2's keys builds the complete site --------------------------


def test_spec_config_alone_builds_every_spec_path(site: Path) -> None:
    expected = [
        "index.html",
        "history/index.html",
        "history.rss",
        "history.atom",
        "maintenance.ics",
        "badge.svg",
        "api/v2/summary.json",
        "api/v2/status.json",
        "api/v2/components.json",
        "api/v2/incidents.json",
        "api/v2/incidents/unresolved.json",
        "api/v2/scheduled-maintenances.json",
        "api/v2/scheduled-maintenances/upcoming.json",
        "api/v2/scheduled-maintenances/active.json",
    ]
    expected += [f"incidents/{name[:-5]}/index.html" for name in FILES]
    expected += ["incidents/2026-11-01-night-outage/postmortem/index.html"]
    expected += ["incidents/2026-11-20-long-recovery/postmortem/index.html"]
    for component in COMPONENTS:
        expected += [
            f"components/{component['id']}/index.html",
            f"components/{component['id']}/history.atom",
        ]
    missing = [rel for rel in expected if not (site / rel).is_file()]
    assert missing == []
    # Its stylesheet is turned on and published; its Markdown extensions render the pages.
    home = read(site, "index.html")
    assert 'href="assets/stylesheets/candor.css"' in home
    assert (site / "assets/stylesheets/candor.css").is_file()
    assert 'class="cd-' in home


def test_generated_pages_are_not_in_the_navigation(site: Path) -> None:
    for rel in ("index.html", "history/index.html", "components/api/index.html"):
        page = read(site, rel)
        for nav in re.findall(r'<nav class="md-nav[^"]*"[^>]*>.*?</nav>', page, re.S):
            assert "incidents/" not in nav and "components/" not in nav, rel


def test_home_page_is_at_most_60_kb_gzipped(site: Path) -> None:
    assert len(gzip.compress((site / "index.html").read_bytes(), 9)) <= 60 * 1024


# --- §6: no request to another host -------------------------------------------------------

LOADING = {
    "script": ("src",),
    "img": ("src", "srcset"),
    "iframe": ("src",),
    "source": ("src", "srcset"),
    "video": ("src", "poster"),
    "audio": ("src",),
    "embed": ("src",),
    "object": ("data",),
    "input": ("src",),
}
LINK_LOADS = {"stylesheet", "preload", "modulepreload", "prefetch", "preconnect", "dns-prefetch"}
LINK_LOADS |= {"icon", "apple-touch-icon", "manifest"}


class _Loads(HTMLParser):
    """Every URL a browser would fetch on its own while showing the page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        names = LOADING.get(tag, ())
        if tag == "link" and set(values.get("rel", "").lower().split()) & LINK_LOADS:
            names = ("href",)
        for name in names:
            for part in values.get(name, "").split(","):
                if part.strip():
                    self.urls.append(part.strip().split()[0])
        self.urls += re.findall(r"url\(\s*['\"]?([^'\")]+)", values.get("style", ""))


def foreign(url: str, base: str) -> bool:
    target = urlsplit(urljoin(base, url))
    return target.scheme not in ("", "data") and target.hostname not in (None, HOST)


def test_no_page_or_stylesheet_loads_anything_from_another_host(site: Path) -> None:
    found = []
    for path in sorted(site.rglob("*")):
        rel = path.relative_to(site).as_posix()
        base = urljoin(SITE_URL, rel)
        if path.suffix == ".html":
            parser = _Loads()
            text = path.read_text(encoding="utf-8")
            parser.feed(text)
            urls = parser.urls
            for style in re.findall(r"<style[^>]*>(.*?)</style>", text, re.S):
                urls += re.findall(r"(?:url\(|@import)\s*['\"]?([^'\")\s;]+)", style)
        elif path.suffix == ".css":
            text = path.read_text(encoding="utf-8")
            urls = re.findall(r"(?:url\(|@import)\s*['\"]?([^'\")\s;]+)", text)
        else:
            continue
        found += [f"{rel}: {u}" for u in urls if foreign(u, base)]
    assert found == []


def test_web_fonts_stay_off_even_when_the_theme_asks_for_them(tmp_path: Path) -> None:
    config = spec_config(tmp_path / "fonts", font={"text": "Roboto", "code": "Roboto Mono"})
    result = candor("build", "--config", str(config), "--now", NOW, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    for path in (config.parent / "site").rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        assert "fonts.googleapis.com" not in text and "fonts.gstatic.com" not in text, path


def test_no_other_host_even_with_analytics_repo_and_external_assets(tmp_path: Path) -> None:
    config = spec_config(tmp_path / "privacy")
    data = yaml.safe_load(config.read_text(encoding="utf-8"))
    data.update(
        repo_url="https://github.com/example/status",
        extra={"analytics": {"provider": "google", "property": "G-ABCDEF12"}},
        extra_css=["https://cdn.example.net/x.css"],
        extra_javascript=["//cdn.example.net/x.js"],
    )
    config.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    result = candor("build", "--config", str(config), "--now", NOW, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "extra.analytics is ignored" in result.stderr
    pages = list((config.parent / "site").rglob("*.html"))
    assert pages
    for path in pages:
        text = path.read_text(encoding="utf-8")
        assert "googletagmanager" not in text and "cdn.example.net" not in text, path
        # The repository link stays, without the component that fetches its facts.
        assert 'data-md-component="source"' not in text, path
    # mkdocs-material's header (hand-written pages, the 404 page) keeps the repository link.
    assert "github.com/example/status" in (config.parent / "site" / "404.html").read_text()


def test_builds_without_a_docs_dir_as_a_fresh_clone_has_none(tmp_path: Path) -> None:
    # Git keeps no empty folder: a team with no hand-written page has no site_src/.
    config = spec_config(tmp_path / "nodocs")
    shutil.rmtree(config.parent / "site_src")
    result = candor("build", "--config", str(config), "--now", NOW, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (config.parent / "site" / "index.html").is_file()
    assert not (config.parent / "site_src").exists()


# --- §6: byte-identical output; --now, CANDOR_NOW, --config and the default output --------


def test_same_bytes_elsewhere_with_candor_now_and_a_relative_config(
    site: Path, tmp_path: Path
) -> None:
    config = spec_config(tmp_path / "some" / "deeper" / "place")
    cwd = tmp_path / "some"
    result = candor(
        "build", "--config", "deeper/place/mkdocs.yml", cwd=cwd, env={"CANDOR_NOW": NOW}
    )
    assert result.returncode == 0, result.stderr
    # Default output: mkdocs.yml's site_dir, beside the config, not in the working directory.
    out = config.parent / "site"
    assert out.is_dir() and not (cwd / "site").exists()
    first, second = files_of(site), files_of(out)
    assert first.keys() == second.keys()
    assert [rel for rel in first if first[rel] != second[rel]] == []


def test_now_option_wins_over_candor_now(tmp_path: Path) -> None:
    config = spec_config(tmp_path / "s")
    out = tmp_path / "out"
    result = candor(
        "build",
        "--config",
        str(config),
        "--out",
        str(out),
        "--now",
        NOW,
        cwd=tmp_path,
        env={"CANDOR_NOW": "2026-12-21T12:00Z"},  # the upgrade would be completed by then
    )
    assert result.returncode == 0, result.stderr
    upcoming = json.loads(read(out, "api/v2/scheduled-maintenances/upcoming.json"))
    assert [m["id"] for m in upcoming["scheduled_maintenances"]] == ["2026-11-28-database-upgrade"]


# --- §3: naive timestamps are read in the configured zone ----------------------------------


def test_naive_timestamps_in_files_and_now_are_in_the_configured_zone(site: Path) -> None:
    incidents = json.loads(read(site, "api/v2/incidents.json"))["incidents"]
    night = next(i for i in incidents if i["id"] == "2026-11-01-night-outage")
    # 00:40 in Berlin (CET, +01:00) is 23:40 UTC the day before.
    assert night["created_at"] == "2026-11-01T00:40:00+01:00"
    assert night["started_at"] == "2026-11-01T00:30:00+01:00"
    # --now 12:00Z is 13:00 in Berlin: the update at naive 12:00 (11:00Z) is not in the future.
    slow = next(i for i in incidents if i["id"] == "2026-12-01-slow-website")
    assert slow["status"] == "investigating"


def test_naive_now_is_read_in_the_configured_zone(tmp_path: Path) -> None:
    path = make_site(tmp_path, {"slow.yaml": SLOW}, timezone=ZONE)
    # Naive 12:30 in Berlin is 11:30Z: after the update at 11:00Z, and 30 minutes later.
    ok = candor("check", "--config", str(path), "--now", "2026-12-01 12:30", cwd=tmp_path)
    assert ok.returncode == 0, ok.stdout
    # Naive 11:30 in Berlin is 10:30Z: before the update, which is then in the future.
    early = candor(
        "check", "--config", str(path), cwd=tmp_path, env={"CANDOR_NOW": "2026-12-01T11:30"}
    )
    assert early.returncode == 1 and "[future-update]" in early.stdout


@pytest.mark.parametrize(
    ("moment", "why"),
    [("2026-03-29T02:30", "does not exist"), ("2026-10-25T02:30", "twice")],
)
def test_a_naive_now_in_a_dst_change_is_an_error(tmp_path: Path, moment: str, why: str) -> None:
    path = make_site(tmp_path, {"slow.yaml": SLOW}, timezone=ZONE)
    result = candor("check", "--config", str(path), "--now", moment, cwd=tmp_path)
    assert result.returncode == 1
    assert why in result.stderr + result.stdout


# --- §6 pages: home page wording, history order and months, postmortem note ----------------


def test_home_page_says_all_operational_only_when_the_indicator_is_none(
    tmp_path: Path,
) -> None:
    in_progress = UPCOMING.replace("2026-12-05T01:00", "2026-11-30T23:00")
    cases = {
        "none": {"done.yaml": COMPLETED, "up.yaml": UPCOMING},
        "maintenance": {"now.yaml": in_progress},
        "minor": {"open.yaml": OPEN},
    }
    for indicator, files in cases.items():
        (tmp_path / indicator).mkdir()
        project = load_site(tmp_path / indicator, dict(files))
        state = project.state()
        assert state.indicator == indicator
        home = plan_site(project.settings, state)[0]
        assert home.kind == "home"
        body = home.make()
        said = "All Systems Operational" in body
        assert said == (indicator == "none"), indicator
        assert state.description in body


def test_built_home_page_is_not_all_operational_while_an_incident_is_open(site: Path) -> None:
    home = read(site, "index.html")
    assert "All Systems Operational" not in home
    assert "Minor Service Outage" in home


def test_history_newest_first_upcoming_maintenance_first_grouped_by_month_in_zone(
    site: Path,
) -> None:
    page = read(site, "history/index.html")
    months = re.findall(r"<h2 id=\"m-\d+\">([^<]+)</h2>", page)
    assert months == ["December 2026", "November 2026", "October 2026"]
    links = re.findall(r'href="\.\./incidents/([a-z0-9-]+)/"', page)
    assert list(dict.fromkeys(links)) == HISTORY_ORDER
    # The night outage began on 31 October in UTC but 1 November in Berlin.
    november = page[page.index(">November 2026<") : page.index(">October 2026<")]
    assert "2026-11-01-night-outage/" in november


def test_postmortem_headings_in_order_with_compensation(site: Path) -> None:
    page = read(site, "incidents/2026-11-01-night-outage/postmortem/index.html")
    headings = re.findall(r"<h2[^>]*>([^<]+)</h2>", page)
    order = [
        "Apology",
        "What happened",
        "Why it happened",
        "What we did",
        "Impact",
        "Prevention",
        "Compensation",
    ]
    assert [h for h in headings if h in order] == order
    # Without compensation, there is no such heading.
    other = read(site, "incidents/2026-11-20-long-recovery/postmortem/index.html")
    assert "Compensation" not in re.findall(r"<h2[^>]*>([^<]+)</h2>", other)


def test_a_postmortem_before_resolution_says_it_is_a_preliminary_review(site: Path) -> None:
    early = read(site, "incidents/2026-11-20-long-recovery/postmortem/index.html")
    final = read(site, "incidents/2026-11-01-night-outage/postmortem/index.html")
    assert "preliminary review" in early.lower()
    assert "preliminary review" not in final.lower()


def test_updates_have_anchors_update_n_in_file_order(site: Path) -> None:
    page = read(site, "incidents/2026-10-01-cache-move/index.html")
    # Shown newest first; each update keeps the anchor of its place in the file.
    assert re.findall(r'id="(update-\d+)"', page) == ["update-3", "update-2", "update-1"]


# --- §6 feeds ---------------------------------------------------------------------------


def test_feed_entry_ids_are_the_urls_of_updates_and_postmortems(site: Path) -> None:
    atom = read(site, "history.atom")
    ids = re.findall(r"<id>([^<]+)</id>", atom)[1:]  # the first is the feed's own
    night = f"{SITE_URL}incidents/2026-11-01-night-outage/"
    assert f"{night}#update-1" in ids and f"{night}#update-2" in ids
    assert f"{night}postmortem/" in ids
    assert f"{SITE_URL}incidents/2026-11-20-long-recovery/postmortem/" in ids
    # Every update of every file, and both postmortems (published before now).
    updates = sum(len(yaml.safe_load(text)["updates"]) for text in FILES.values())
    assert len(ids) == updates + 2
    assert ids == re.findall(r"<guid[^>]*>([^<]+)</guid>", read(site, "history.rss"))


def test_every_component_feed_exists_and_holds_only_its_events(site: Path) -> None:
    for component in COMPONENTS:
        atom = read(site, f"components/{component['id']}/history.atom")
        ids = re.findall(r"<id>([^<]+)</id>", atom)[1:]
        events = {u.split("/incidents/")[1].split("/")[0] for u in ids}
        affected = {
            name[:-5]
            for name, text in FILES.items()
            if component["id"] in yaml.safe_load(text)["components"]
        }
        assert events == affected, component["id"]


def test_each_incident_has_its_own_feed_with_the_site_feeds_entries(site: Path) -> None:
    site_ids = re.findall(r"<id>([^<]+)</id>", read(site, "history.atom"))[1:]
    for name in FILES:
        event = name[:-5]
        atom = read(site, f"incidents/{event}/feed.atom")
        ids = re.findall(r"<id>([^<]+)</id>", atom)
        assert ids[0] == f"{SITE_URL}incidents/{event}/feed.atom"
        assert ids[1:] == [i for i in site_ids if f"/incidents/{event}/" in i], event
        parsed: Any = feedparser.parse(atom.encode("utf-8"))
        assert not parsed.bozo, (event, parsed.get("bozo_exception"))
        assert parsed.version == "atom10"
        assert [e.id for e in parsed.entries] == ids[1:]
        assert all(e.link.startswith(f"{SITE_URL}incidents/{event}/") for e in parsed.entries)
        page = read(site, f"incidents/{event}/index.html")
        assert '<link rel="alternate" type="application/atom+xml"' in page
        assert 'href="feed.atom"' in page


def test_the_subscribe_page_is_linked_from_every_page_header_and_the_home_banner(
    site: Path,
) -> None:
    page = read(site, "subscribe/index.html")
    for path in ("history.atom", "history.rss", "maintenance.ics", "api/v2/summary.json"):
        assert f"{SITE_URL}{path}" in page
    for component in COMPONENTS:
        assert f"{SITE_URL}components/{component['id']}/history.atom" in page
    assert "/feed subscribe" in page  # Slack's RSS app
    home = read(site, "index.html")
    start = home.index('class="cd-banner')
    banner = home[start : home.index("<section", start)]
    assert 'href="subscribe/"' in banner
    for html in site.rglob("index.html"):
        text = html.read_text(encoding="utf-8")
        header = text[text.index("<header") : text.index("</header>")]
        href = re.search(r'class="[^"]*cd-header-subscribe[^"]*" href="([^"]+)"', header)
        assert href, html
        folder = "/" + html.parent.relative_to(site).as_posix() + "/"
        assert posixpath.normpath(posixpath.join(folder, href.group(1))) == "/subscribe", html


# --- §6 API -------------------------------------------------------------------------------


def api(site: Path, rel: str) -> dict[str, Any]:
    result: dict[str, Any] = json.loads(read(site, f"api/v2/{rel}"))
    return result


def test_api_incident_times_shortlink_and_postmortem_body(site: Path) -> None:
    incidents = {i["id"]: i for i in api(site, "incidents.json")["incidents"]}
    night = incidents["2026-11-01-night-outage"]
    assert night["created_at"] == "2026-11-01T00:40:00+01:00"  # the first update
    assert night["updated_at"] == "2026-11-01T01:10:00+01:00"  # the last update
    assert night["shortlink"] == f"{SITE_URL}incidents/2026-11-01-night-outage/"
    assert night["status"] == "postmortem"
    assert night["postmortem_body"].startswith("## Apology\n")
    assert "## Compensation" in night["postmortem_body"]
    slow = incidents["2026-12-01-slow-website"]
    assert slow["postmortem_body"] is None
    assert slow["created_at"] == slow["updated_at"] == "2026-12-01T12:00:00+01:00"


def test_api_maintenance_without_impact_has_impact_maintenance(site: Path) -> None:
    every = api(site, "scheduled-maintenances.json")["scheduled_maintenances"]
    assert {m["id"]: m["impact"] for m in every} == {
        "2026-11-28-database-upgrade": "maintenance",
        "2026-10-01-cache-move": "maintenance",
    }
    move = next(m for m in every if m["id"] == "2026-10-01-cache-move")
    assert move["status"] == "completed"
    assert [u["status"] for u in move["incident_updates"]] == [
        "completed",
        "in_progress",
        "scheduled",
    ]


COMPONENT_FIELDS = {"id", "name", "status", "position", "updated_at", "description", "group_id"}


def test_api_incident_components_are_full_component_objects(site: Path) -> None:
    listed = {c["id"]: c for c in api(site, "components.json")["components"]}
    for incident in api(site, "incidents.json")["incidents"]:
        assert incident["components"], incident["id"]
        for component in incident["components"]:
            assert component.keys() >= COMPONENT_FIELDS
            assert component == {**listed[component["id"]], "position": component["position"]}
        for update in incident["incident_updates"]:
            assert "affected_components" in update


def test_api_groups_are_components_with_the_worst_member_status(site: Path) -> None:
    components = api(site, "components.json")["components"]
    groups = [c for c in components if c["group"]]
    assert [g["name"] for g in groups] == ["Core"]
    core = groups[0]
    members = [c for c in components if c["group_id"] == core["id"]]
    assert {m["id"] for m in members} == {"api", "web"}
    assert [m["status"] for m in members] == ["operational", "degraded_performance"]
    assert core["status"] == "degraded_performance"
    assert all(c.keys() >= COMPONENT_FIELDS for c in components)
    positions = [c["position"] for c in components]
    assert positions == sorted(positions) and len(set(positions)) == len(positions)


def test_summary_lists_unresolved_incidents_and_upcoming_or_active_maintenance(
    site: Path,
) -> None:
    summary = api(site, "summary.json")
    assert [i["id"] for i in summary["incidents"]] == [
        "2026-12-01-slow-website",
        "2026-11-20-long-recovery",
    ]
    assert [m["id"] for m in summary["scheduled_maintenances"]] == ["2026-11-28-database-upgrade"]
    assert summary["status"] == {"indicator": "minor", "description": "Minor Service Outage"}


def test_scheduled_maintenances_keeps_fifty_and_every_upcoming_or_active(
    tmp_path: Path,
) -> None:
    def move(day: str) -> str:
        return COMPLETED.replace("2026-11-03", "2026-07-01").replace("2026-11-10", day)

    files: dict[str, str | bytes] = {
        f"m{n:02d}.yaml": move(f"2026-11-{n:02d}") for n in range(1, 30)
    }
    files.update({f"o{n:02d}.yaml": move(f"2026-10-{n:02d}") for n in range(2, 31)})
    # An overrun that started long ago: still in progress, the oldest of all.
    files["overrun.yaml"] = move("2026-08-01").split("  - at: 2026-08-01T01:40:00Z")[0]
    files["up.yaml"] = UPCOMING
    out = build(tmp_path, files)[2]
    listed = json.loads(out["api/v2/scheduled-maintenances.json"])["scheduled_maintenances"]
    ids = [m["id"] for m in listed]
    assert ids[0] == "up" and len(ids) == 51
    assert ids[-1] == "overrun" and listed[-1]["status"] == "in_progress"
    assert "o02" not in ids  # the 60th newest drops out


# --- §6 calendar and badge ------------------------------------------------------------------


def test_calendar_uid_dtstamp_and_crlf(site: Path) -> None:
    raw = (site / "maintenance.ics").read_bytes()
    assert raw.count(b"\n") == raw.count(b"\r\n") > 0
    events = raw.decode().split("BEGIN:VEVENT")[1:]
    assert len(events) == 2
    by_uid = {re.search(r"\r\nUID:([^\r]+)", e)[1]: e for e in events}  # type: ignore[index]
    assert set(by_uid) == {
        f"2026-11-28-database-upgrade@{HOST}",
        f"2026-10-01-cache-move@{HOST}",
    }
    # DTSTAMP: the last update, 01:30 in Berlin (summer time): 23:30 UTC the day before.
    assert "\r\nDTSTAMP:20261014T233000Z\r\n" in by_uid[f"2026-10-01-cache-move@{HOST}"]
    assert "\r\nDTSTAMP:20261128T090000Z\r\n" in by_uid[f"2026-11-28-database-upgrade@{HOST}"]


def test_badge_text_is_the_indicator_description(site: Path) -> None:
    badge = read(site, "badge.svg")
    texts = re.findall(r"<text[^>]*>([^<]+)</text>", badge)
    assert "Minor Service Outage" in texts
    assert "All Systems Operational" not in badge


# --- §5: check --format json ------------------------------------------------------------------


def test_check_json_is_one_object_with_relative_files_and_sorted_problems(
    tmp_path: Path,
) -> None:
    bad = "title: Outage\nimpact: huge\ncomponents: [nope]\nupdates: []\n"
    path = make_site(
        tmp_path,
        {"b.yaml": bad, "a.yaml": SLOW.replace("website", "TODO website"), "Bad Name.yaml": SLOW},
        timezone=ZONE,
    )
    result = candor("check", "--format", "json", "--now", NOW, cwd=tmp_path)
    assert result.returncode == 1
    data = json.loads(result.stdout)
    assert list(data) == ["files", "errors", "warnings", "notes", "problems"]
    assert data["files"] == 3
    problems = data["problems"]
    assert data["errors"] + data["warnings"] + data["notes"] == len(problems)
    assert data["errors"] == sum(p["severity"] == "error" for p in problems)
    for problem in problems:
        assert list(problem) == [
            "file",
            "line",
            "column",
            "severity",
            "rule",
            "message",
            "hint",
        ]
        assert problem["severity"] in ("error", "warning", "note")
        # mkdocs.yml: SITE_URL is an example address, an `example-site-url` warning (§4).
        assert problem["file"].startswith("incidents/") or (
            problem["file"],
            problem["rule"],
        ) == ("mkdocs.yml", "example-site-url")
        assert (problem["line"] is None) == (problem["column"] is None)

    def key(p: dict[str, Any]) -> tuple[str, int, int, int]:
        return (p["file"], p["line"] is not None, p["line"] or 0, p["column"] or 0)

    assert problems == sorted(problems, key=key)
    assert {p["file"] for p in problems} >= {"incidents/a.yaml", "incidents/b.yaml"}
    assert path.parent == tmp_path


# --- §8: communication rules ---------------------------------------------------------------

# One open incident that breaks every rule of §8 (its postmortem, published early as a
# preliminary review, holds the vague action item).
EVERY_RULE_OF_8 = """\
title: Checkout errors
impact: major
components: [api]
started_at: 2026-12-01T10:00:00Z
updates:
  - at: 2026-12-01T11:00:00Z
    status: resolved
    message: Checkout works again.
  - at: 2026-12-01T11:30:00Z
    status: identified
    message: |
      We apologize for any inconvenience. Human error caused it, as bob@gmail.com found.
      Teh fix is rolling out.
postmortem:
  published_at: 2026-12-01T11:40:00Z
  apology: We are sorry.
  what_happened: It broke.
  why: A bug.
  what_we_did: We rolled back.
  impact: Checkout failed.
  prevention:
    - action: Improve monitoring
      status: planned
"""
SECTION_8 = {
    "non-apology",
    "blame",
    "private-data",
    "vague-action",
    "no-next-update",
    "slow-first-update",
    "spelling",
}


def test_section_8_rules_are_warnings_errors_under_strict_and_switchable(
    tmp_path: Path,
) -> None:
    def rules(*args: str, files: dict[str, str] | None = None, **options: Any) -> dict[str, str]:
        site = tmp_path / str(len(list(tmp_path.iterdir())))
        site.mkdir()
        make_site(site, files or {"x.yaml": EVERY_RULE_OF_8}, **options)
        result = candor("check", "--format", "json", "--now", NOW, *args, cwd=site)
        problems = json.loads(result.stdout)["problems"]
        return {p["rule"]: p["severity"] for p in problems if p["rule"] != "example-site-url"}

    # An update that re-opened a resolved incident does not resolve it: data-loss-unstated
    # is pinned on the resolving update by tests/test_updates.py.
    assert rules() == dict.fromkeys(SECTION_8, "warning")
    assert rules("--strict") == dict.fromkeys(SECTION_8, "error")
    assert rules(ignore=["spelling", "blame"]) == dict.fromkeys(
        SECTION_8 - {"spelling", "blame"}, "warning"
    )
    per_file = {"x.yaml": "ignore: [private-data]\n" + EVERY_RULE_OF_8}
    assert rules(files=per_file) == dict.fromkeys(SECTION_8 - {"private-data"}, "warning")
    # first_update_within: 15m by default; 2h lets a first update after 1 h pass
    assert "slow-first-update" not in rules(first_update_within="2h")
    resolved = EVERY_RULE_OF_8.replace("status: identified", "status: resolved")
    assert rules(files={"x.yaml": resolved})["data-loss-unstated"] == "warning"
    assert rules("--strict", files={"x.yaml": resolved})["data-loss-unstated"] == "error"
    assert "data-loss-unstated" not in rules(
        files={"x.yaml": resolved}, ignore=["data-loss-unstated"]
    )
    ignored = {"x.yaml": "ignore: [data-loss-unstated]\n" + resolved}
    assert "data-loss-unstated" not in rules(files=ignored)


def test_section_8_text_in_another_language_is_not_judged_by_english_only_rules(
    tmp_path: Path,
) -> None:
    japanese = EVERY_RULE_OF_8.replace(
        "      We apologize for any inconvenience. Human error caused it, as bob@gmail.com found.\n"
        "      Teh fix is rolling out.",
        "      ご迷惑をおかけして申し訳ございません。bob@gmail.com 様からご連絡をいただきました。",
    )
    make_site(tmp_path, {"x.yaml": japanese})
    result = candor("check", "--format", "json", "--now", NOW, cwd=tmp_path)
    found = {p["rule"] for p in json.loads(result.stdout)["problems"]}
    assert {"non-apology", "blame", "spelling"}.isdisjoint(found)
    assert {"private-data", "vague-action", "no-next-update"} <= found


# --- §5: what people get wrong at 3 a.m. never shows a traceback -------------------------------


@pytest.fixture(scope="module")
def oncall(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = make_site(
        tmp_path_factory.mktemp("oncall"),
        {"2026-12-01-slow-website.yaml": SLOW, "2026-11-28-database-upgrade.yaml": UPGRADE},
        timezone=ZONE,
    ).parent
    (folder / "docs").mkdir()
    return folder


MISTAKES = [
    (["update", "2026-12-01-slow-wbesite", "--status", "identified", "-m", "x"], 1, "did you mean"),
    (["update", "nothing-like-it", "--status", "identified", "-m", "x"], 1, "no incident"),
    (["update", "slow-website", "--status", "identifed", "-m", "x"], 2, "identified"),
    (["update", "slow-website", "--status", "scheduled", "-m", "x"], 1, "not a status"),
    (["update", "slow-website", "--status", "identified", "--at", "2026-12-02T09:00Z"], 1, ""),
    (["update", "slow-website", "--status", "identified", "-c", "nope=down"], 1, "nope"),
    (["update", "slow-website", "--status", "identified", "--at", "2026-03-29T02:30"], 1, ""),
    (["update", "slow-website", "--status", "identified", "--next", "soon", "-m", "x"], 2, ""),
    (["resolve", "nothing-like-it"], 1, "no incident"),
    (["new", "x", "--component", "nope", "-m", "x"], 1, "unknown component"),
    (["new", "   ", "-m", "x"], 1, "title"),
    (["new", "x", "--maintenance", "-m", "x"], 2, "--start"),
    (["postmortem", "nothing-like-it"], 1, "no incident"),
    (["status", "--now", "yesterday"], 1, "--now"),
    (["check", "--now", "2026-13-01T00:00"], 1, "--now"),
    (["build", "--now", "soon"], 1, "--now"),
    (["check", "--format", "yaml"], 2, "yaml"),
    (["build", "--out", "mkdocs.yml/site"], 1, "cannot build into"),
    (["build", "--out", "/proc/no/such/place"], 1, "cannot build into"),
]


@pytest.mark.parametrize(("args", "code", "says"), MISTAKES, ids=[" ".join(m[0]) for m in MISTAKES])
def test_mistakes_exit_cleanly_and_change_nothing(
    oncall: Path, args: list[str], code: int, says: str
) -> None:
    before = files_of(oncall / "incidents")
    # The editor would leave a mark: no mistake may get as far as opening it.
    mark = oncall / "editor-opened"
    editor = f"sh -c 'touch {mark}; exit 1' --"
    now = [] if "--now" in args else ["--now", NOW]
    result = candor(*args, *now, cwd=oncall, env={"EDITOR": editor, "VISUAL": editor})
    assert result.returncode == code, result.stdout + result.stderr
    assert says in result.stdout + result.stderr
    assert result.stderr.strip(), "a mistake is explained"
    assert not mark.exists(), "the editor opened before the mistake was found"
    assert files_of(oncall / "incidents") == before


# --- §5: ids by prefix, update --impact, new --started-at, --commit, durations --------------


def test_an_id_may_be_full_without_its_date_or_any_unambiguous_prefix(tmp_path: Path) -> None:
    other = SLOW.replace("Slow website", "Slow search").replace(
        "2026-12-01 12:00", "2026-11-30 12:00"
    )
    files = {
        "2026-12-01-slow-website.yaml": SLOW,
        "2026-11-30-slow-search.yaml": other,
    }
    folder = make_site(tmp_path, files, timezone=ZONE).parent
    for n, ident in enumerate(
        ["2026-12-01-slow-website", "slow-website", "slow-w", "2026-12-01"], start=1
    ):
        at = f"2026-12-01T12:{10 + n:02d}"
        done = candor("update", ident, "-s", "investigating", "-m", "x", "--at", at,
                      "--now", NOW, cwd=folder)  # fmt: skip
        assert done.returncode == 0, (ident, done.stderr)
    data = yaml.safe_load((folder / "incidents/2026-12-01-slow-website.yaml").read_text())
    assert len(data["updates"]) == 5
    ambiguous = candor("update", "slow", "-s", "identified", "-m", "x", "--now", NOW, cwd=folder)
    assert ambiguous.returncode == 1
    assert "2026-12-01-slow-website" in ambiguous.stderr
    assert "2026-11-30-slow-search" in ambiguous.stderr


def test_update_impact_is_the_incidents_impact_from_then_on(tmp_path: Path) -> None:
    folder = make_site(tmp_path, {"2026-12-01-slow-website.yaml": SLOW}, timezone=ZONE).parent
    done = candor("update", "slow-website", "-s", "identified", "--impact", "critical", "-m",
                  "The website is down.", "--now", NOW, cwd=folder)  # fmt: skip
    assert done.returncode == 0, done.stderr
    data = yaml.safe_load((folder / "incidents/2026-12-01-slow-website.yaml").read_text())
    assert data["impact"] == "minor" and data["updates"][-1]["impact"] == "critical"
    out = folder / "out"
    assert candor("build", "--out", str(out), "--now", NOW, cwd=folder).returncode == 0
    assert json.loads((out / "api/v2/status.json").read_text())["status"]["indicator"] == (
        "critical"
    )
    incident = json.loads((out / "api/v2/incidents.json").read_text())["incidents"][0]
    assert incident["impact"] == "critical"
    assert 'cd-im-critical">Critical<' in (out / "index.html").read_text()


def test_new_started_at_sets_started_at(tmp_path: Path) -> None:
    folder = make_site(tmp_path, {}, timezone=ZONE).parent
    made = candor("new", "Slow website", "--started-at", "2026-12-01T12:40", "-m", "Sorry.",
                  "--now", NOW, cwd=folder)  # fmt: skip
    assert made.returncode == 0, made.stderr
    data = yaml.safe_load((folder / made.stdout.strip()).read_text())
    assert str(data["started_at"]) == "2026-12-01 12:40:00+01:00"


def test_commit_message_says_what_changed(tmp_path: Path) -> None:
    folder = make_site(tmp_path, {"2026-12-01-slow-website.yaml": SLOW}, timezone=ZONE).parent
    git = ["git", "-c", "user.name=On Call", "-c", "user.email=oncall@example.com"]
    subprocess.run(["git", "init", "-q", "-b", "main"], cwd=folder, check=True)
    subprocess.run([*git, "add", "-A"], cwd=folder, check=True)
    subprocess.run([*git, "commit", "-qm", "start"], cwd=folder, check=True)
    identity = {
        "GIT_AUTHOR_NAME": "On Call", "GIT_AUTHOR_EMAIL": "oncall@example.com",
        "GIT_COMMITTER_NAME": "On Call", "GIT_COMMITTER_EMAIL": "oncall@example.com",
    }  # fmt: skip
    done = candor("update", "slow", "-s", "identified", "-m", "Found it.", "--commit",
                  "--now", NOW, cwd=folder, env=identity)  # fmt: skip
    assert done.returncode == 0, done.stderr
    subject = subprocess.run(["git", "log", "-1", "--format=%s"], cwd=folder, capture_output=True,
                             text=True, check=True).stdout.strip()  # fmt: skip
    assert subject == "Incident 2026-12-01-slow-website: identified"


def test_durations_of_a_day_or_more_read_3_d_4_h(tmp_path: Path) -> None:
    long = SLOW + ("  - at: 2026-12-04 16:30\n    status: resolved\n    message: Fixed.\n")
    folder = make_site(tmp_path, {"2026-12-01-slow-website.yaml": long}, timezone=ZONE).parent
    out = folder / "out"
    now = "2026-12-05T12:00Z"
    assert candor("build", "--out", str(out), "--now", now, cwd=folder).returncode == 0
    page = (out / "incidents/2026-12-01-slow-website/index.html").read_text()
    assert '<dt>Duration</dt><dd><span class="cd-nw">3 d 4 h</span></dd>' in page


def test_resolving_twice_is_refused_before_the_editor_opens(tmp_path: Path) -> None:
    folder = make_site(tmp_path, {"2026-12-01-slow-website.yaml": SLOW}, timezone=ZONE).parent
    first = candor("resolve", "slow-website", "-m", "Fixed.", "--now", NOW, cwd=folder)
    assert first.returncode == 0, first.stderr
    after = files_of(folder / "incidents")
    mark = folder / "editor-opened"
    editor = f"sh -c 'touch {mark}; exit 1' --"
    again = candor("resolve", "slow-website", "--now", NOW, cwd=folder, env={"EDITOR": editor})
    assert again.returncode == 1 and "already resolved" in again.stderr
    assert not mark.exists()
    assert files_of(folder / "incidents") == after


def test_resolving_a_maintenance_appends_completed(tmp_path: Path) -> None:
    running = UPGRADE.replace("2026-12-20 01:00", "2026-12-01 12:00")
    folder = make_site(tmp_path, {"2026-11-28-upgrade.yaml": running}, timezone=ZONE).parent
    result = candor("resolve", "upgrade", "-m", "Done.", "--now", NOW, cwd=folder)
    assert result.returncode == 0, result.stderr
    data = yaml.safe_load((folder / "incidents/2026-11-28-upgrade.yaml").read_text())
    assert data["updates"][-1]["status"] == "completed"
    assert data["updates"][-1]["at"]


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("🔥 Database on fire 🔥", "database-on-fire"),
        ("データベース障害", None),
        ("🔥🔥🔥", None),
    ],
)
def test_new_with_emoji_or_japanese_titles(tmp_path: Path, title: str, slug: str | None) -> None:
    folder = make_site(tmp_path, {}, timezone=ZONE).parent
    names = []
    for _ in range(3):
        result = candor(
            "new", title, "--impact", "minor", "-c", "api", "-m", "We are looking into it.",
            "--now", NOW, cwd=folder,
        )  # fmt: skip
        assert result.returncode == 0, result.stderr
        names.append(Path(result.stdout.strip().splitlines()[-1]).name)
    stem = Path(names[0]).stem
    # <date>-<slug> with today's date in the site's zone, then -2, -3.
    assert re.fullmatch(r"2026-12-01-[a-z0-9][a-z0-9-]*", stem)
    if slug:
        assert stem == f"2026-12-01-{slug}"
    assert names == [f"{stem}.yaml", f"{stem}-2.yaml", f"{stem}-3.yaml"]
    data = yaml.safe_load((folder / "incidents" / names[0]).read_text(encoding="utf-8"))
    assert data["title"] == title
    check = candor("check", "--now", NOW, cwd=folder)
    assert check.returncode == 0, check.stdout


def test_new_uses_the_date_in_the_configured_zone(tmp_path: Path) -> None:
    folder = make_site(tmp_path, {}, timezone="Asia/Tokyo").parent
    # 20:00Z on 1 December is already 2 December in Tokyo.
    result = candor("new", "Late", "-m", "Sorry.", "--now", "2026-12-01T20:00Z", cwd=folder)
    assert result.returncode == 0, result.stderr
    assert Path(result.stdout.strip().splitlines()[-1]).name == "2026-12-02-late.yaml"


def test_check_without_a_config_is_a_clean_error(tmp_path: Path) -> None:
    for fmt in ("text", "json", "github"):
        result = candor("check", "--format", fmt, cwd=tmp_path)
        assert result.returncode == 1
        assert "mkdocs.yml" in result.stdout + result.stderr


# --- §6: a long history: the home page stays small, earlier years move out -----------------


def _past_incident(day: str, n: int) -> str:
    return (
        f"title: Incident number {n}\nimpact: {('minor', 'major', 'none')[n % 3]}\n"
        f"components: [{('api', 'web', 'db')[n % 3]}]\nupdates:\n"
        f"  - at: {day} 10:00\n    status: investigating\n"
        f"    message: We are sorry; requests fail for some of you ({n}). We are on it.\n"
        f"  - at: {day} 11:00\n    status: resolved\n    message: All is well again ({n}).\n"
        + (
            f"postmortem:\n  published_at: {day} 18:00\n  apology: We are sorry.\n"
            "  what_happened: Requests failed.\n  why: A bug.\n  what_we_did: We fixed it.\n"
            "  impact: Some requests failed.\n  prevention: More tests.\n"
            if n % 3 == 1
            else ""
        )
    )


@pytest.fixture(scope="module")
def long_history(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("long")
    files: dict[str, str | bytes] = {}
    n = 0
    for year, count in ((2024, 40), (2025, 50), (2026, 40)):
        for i in range(count):
            n += 1
            day = f"{year}-{1 + i % 11:02d}-{1 + i % 27:02d}"
            files[f"{day}-incident-{n}.yaml"] = _past_incident(day, n)
    make_site(folder, files, timezone=ZONE)
    (folder / "docs").mkdir()
    result = candor("build", "--now", NOW, cwd=folder)
    assert result.returncode == 0, result.stderr
    return folder / "site"


def test_home_page_stays_under_60_kb_gzipped_with_a_long_history(long_history: Path) -> None:
    home = (long_history / "index.html").read_bytes()
    assert len(list((long_history / "incidents").glob("*/index.html"))) == 130
    assert len(gzip.compress(home, 9)) <= 60 * 1024


def test_earlier_years_move_to_their_own_linked_history_pages(long_history: Path) -> None:
    main = read(long_history, "history/index.html")
    assert 'href="2025/"' in main and 'href="2024/"' in main
    seen: dict[str, str] = {}
    for rel in ("history/index.html", "history/2025/index.html", "history/2024/index.html"):
        page = read(long_history, rel)
        for event in dict.fromkeys(re.findall(r'href="(?:\.\./)+incidents/([a-z0-9-]+)/"', page)):
            assert event not in seen, (event, rel, seen.get(event))
            seen[event] = rel
            assert rel == "history/index.html" or event.startswith(rel.split("/")[1])
        months = re.findall(r"<h2 id=\"m-\d+\">([^<]+)</h2>", page)
        assert months and len(months) == len(set(months))
    assert len(seen) == 130
    assert all(e.startswith("2026-") for e, rel in seen.items() if rel == "history/index.html")


# --- §3: uptime and day cells on the built home page ---------------------------------------


def test_uptime_bars_have_one_cell_per_day_in_the_zone_and_statuspage_uptime(
    site: Path,
) -> None:
    home = read(site, "index.html")
    # Each bar is drawn from runs of days of one status (`flex-grow` = days); the stylesheet
    # paints a cell per day. The days that were not fully operational are listed below it.
    bars = re.findall(
        r'<div class="cd-uptime">\s*<div class="cd-bar" role="img" aria-label="([^"]*)" '
        r'style="--days:(\d+)">(.*?)</div>(.*?)</div>\s*</li>',
        home,
        re.S,
    )
    assert len(bars) == len(COMPONENTS)
    days: dict[str, list[str]] = {}
    listed: dict[str, str] = {}
    for label, count, runs, rest in bars:
        cells = [
            status
            for status, length in re.findall(
                r'<i class="cd-s-([a-z_]+)" style="flex-grow:(\d+)">', runs
            )
            for _ in range(int(length))
        ]
        assert len(cells) == int(count) == 90
        days[label] = cells
        if label.startswith("Public API"):
            listed = dict(
                re.findall(r"<li><span class=\"cd-nw\">([^<]+)</span>(.*?)</li>", rest, re.S)
            )
    api_label = next(label for label in days if label.startswith("Public API"))
    cells = days[api_label]
    # The last cell is today (1 Dec 2026 in Berlin at NOW); the outage began at 23:30 UTC on
    # 31 October, which is 1 November in Berlin: cell 59.
    assert cells[58] == "operational" and cells[59] == "major_outage"
    assert "1 Nov 2026" in listed and "31 Oct 2026" not in listed
    assert len(listed) == sum(1 for c in cells if c != "operational")
    # 10 min partial outage (the impact, from started_at) + 30 min major outage in that day:
    # 1 - (30 + 0.3 * 10) / 1440 = 97.708 %, and over 90 days 1 - 33 / 129600 = 99.974 %.
    assert "Major outage" in listed["1 Nov 2026"] and "97.70%" in listed["1 Nov 2026"]
    assert "99.97%" in api_label
    # The label says what the bar shows, in words.
    assert f"{len(listed)} of 90 days not fully operational" in api_label


def test_every_command_takes_config_and_now() -> None:
    commands = ("new", "update", "resolve", "postmortem", "check", "build", "serve", "status")
    for command in (*commands, "notify"):
        result = CliRunner().invoke(main, [command, "--help"])
        assert result.exit_code == 0
        assert "--config" in result.output and "--now" in result.output, command


def test_section_4_trust_rules(tmp_path: Path) -> None:
    """§4: an example site_url warns; a missed promise followed by an update is a note that
    never fails --strict; a missing incidents_dir is a `config` error."""
    site = tmp_path / "a"
    site.mkdir()
    followed = (
        "title: Slow\nimpact: minor\ncomponents: [api]\nupdates:\n"
        "  - at: 2026-11-20T09:00Z\n    status: investigating\n    message: Looking.\n"
        "    next_update: 30m\n"
        "  - at: 2026-11-20T09:42Z\n    status: resolved\n    message: Fixed. No data was lost.\n"
    )
    make_site(site, {"x.yaml": followed})
    result = candor("check", "--strict", "--format", "json", "--now", NOW, cwd=site)
    severities = {p["rule"]: p["severity"] for p in json.loads(result.stdout)["problems"]}
    assert severities["missed-next-update"] == "note"
    assert severities["example-site-url"] == "error"  # a warning, under --strict
    assert candor("check", "--strict", "--now", NOW, "incidents/x.yaml", cwd=site).returncode == 0
    shutil.rmtree(site / "incidents")
    result = candor("check", "--format", "json", "--now", NOW, cwd=site)
    assert result.returncode == 1
    assert [p["rule"] for p in json.loads(result.stdout)["problems"]] == ["config"]


def test_init_makes_a_site_that_check_passes_and_that_builds(tmp_path: Path) -> None:
    """§5: `candor init DIR [--name N] [--url U] [--timezone TZ] [--component ID=NAME ...]`
    creates a new site; it passes `candor check` (only the About page's prompts warn) and
    builds the complete site (§6) with a `mkdocs.yml` of §2's keys alone."""
    site = tmp_path / "status"
    result = CliRunner().invoke(
        main,
        ["init", str(site), "--name", "Acme", "--url", "https://status.acme.io/",
         "--timezone", "Asia/Tokyo", "--component", "api=API", "--component", "web=Web"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    config = yaml.safe_load((site / "mkdocs.yml").read_text(encoding="utf-8"))
    assert set(config) <= {"site_name", "site_url", "docs_dir", "theme", "plugins", "nav"}
    assert "custom_dir" not in config["theme"]
    config_path = str(site / "mkdocs.yml")
    check = CliRunner().invoke(main, ["check", "--config", config_path, "--now", NOW])
    assert check.exit_code == 0 and "0 errors, 2 warnings" in check.output, check.output
    out = tmp_path / "out"
    built = CliRunner().invoke(
        main, ["build", "--config", config_path, "--now", NOW, "--out", str(out)]
    )
    assert built.exit_code == 0, built.output
    for path in ("index.html", "history/index.html", "components/web/index.html",
                 "subscribe/index.html", "history.rss", "history.atom", "maintenance.ics",
                 "badge.svg", "api/v2/summary.json"):  # fmt: skip
        assert (out / path).is_file(), path


# --- §4: publishing never runs --strict; a pull request is strict for its own files ---------


def _workflow_runs(name: str) -> list[str]:
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / name).read_text("utf-8"))
    return [
        line.strip()
        for job in workflow["jobs"].values()
        for step in job.get("steps", [])
        for line in str(step.get("run", "")).splitlines()
    ]


def test_publishing_never_runs_strict() -> None:
    runs = _workflow_runs("publish.yml")
    assert "candor check --format github" in runs
    assert not [line for line in runs if "--strict" in line]


def test_a_pull_requests_check_names_the_files_it_changes() -> None:
    # `--changed-since` names the files HEAD changes since the merge commit's first parent,
    # as FILE arguments would (tests/test_check_changed.py).
    runs = _workflow_runs("check.yml")
    assert "candor check --changed-since HEAD^1 --format github" in runs
    assert not [line for line in runs if "--strict" in line]  # never every file


def test_a_control_character_in_mkdocs_yml_fails_check_before_it_reaches_a_build(
    tmp_path: Path,
) -> None:
    """§4: control characters in any text, raw or as a YAML escape, are a `control-character`
    error at their place, and the config is checked as strictly as the files."""
    config = make_site(tmp_path, {})
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace("Test Status", '"Test \\e[31m Status"'), encoding="utf-8")
    result = CliRunner().invoke(main, ["check", "--config", str(config), "--format", "json"])
    assert result.exit_code == 1, result.output
    (problem,) = json.loads(result.output)["problems"]
    assert (problem["file"], problem["line"], problem["rule"]) == (
        "mkdocs.yml",
        1,
        "control-character",
    )
    assert problem["severity"] == "error" and "U+001B (ESC)" in problem["message"]
