"""The digest published with the site, and what it proves: a build that changes nothing a
reader sees is byte-identical to the last one, so the publish workflow deploys nothing.

Pages date themselves from the last change of the status, never from the build; the
builds here run `candor build` for real at moments with and without an event between."""

from __future__ import annotations

import filecmp
import hashlib
import json
import os
import re
import shutil
from pathlib import Path

import pytest
from candor_sites import make_site
from click.testing import CliRunner

from generator.cli import main
from generator.outputs import urls
from generator.outputs.digest import folder_prefix, published_files, read_digest, site_digest

pytestmark = pytest.mark.slow

# An open incident whose last update (11:48) promises the next within 30 minutes (12:18),
# a maintenance in progress from 11:00 to 14:00, and a resolved incident: at 12:00 and 12:15
# nothing a reader sees differs; at 12:20 the promise is late. The open incident slows the
# API (degraded performance counts as up): during an outage the uptime figures fall minute
# by minute, and every run deploys, as it should.
OPEN = """\
title: Checkout errors
impact: minor
components: [api]
updates:
  - at: 2026-11-23T11:26:00Z
    status: investigating
    message: Some checkouts fail. We are looking into it.
  - at: 2026-11-23T11:48:00Z
    status: identified
    message: A configuration change caused it; we are rolling it back.
    next_update: 30m
"""
MAINTENANCE = """\
kind: maintenance
title: Database upgrade
components: [db]
scheduled:
  start: 2026-11-23T11:00:00Z
  end: 2026-11-23T14:00:00Z
updates:
  - at: 2026-11-20T10:00:00Z
    status: scheduled
    message: We will upgrade the database; writes pause for a few seconds.
"""
RESOLVED = """\
title: Slow website
impact: minor
components: [web]
updates:
  - at: 2026-11-22T09:00:00Z
    status: investigating
    message: The website is slow for some of you.
  - at: 2026-11-22T09:40:00Z
    status: resolved
    message: It is fast again. No data was lost.
"""
FILES = {
    "2026-11-23-checkout-errors.yaml": OPEN,
    "2026-11-20-database-upgrade.yaml": MAINTENANCE,
    "2026-11-22-slow-website.yaml": RESOLVED,
}


def build(config: Path, out: Path, now: str) -> Path:
    result = CliRunner().invoke(
        main, ["build", "--config", str(config), "--out", str(out), "--now", now]
    )
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture(scope="module")
def source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_site(tmp_path_factory.mktemp("source"), dict(FILES))


@pytest.fixture(scope="module")
def at_noon(source: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(source, tmp_path_factory.mktemp("noon") / "site", "2026-11-23T12:00Z")


def differing(a: Path, b: Path) -> list[str]:
    """Relative paths of files that differ or exist on one side only."""
    found = []
    names = {rel for rel, _ in published_files(a)} | {rel for rel, _ in published_files(b)}
    for rel in sorted(names):
        left, right = a / rel, b / rel
        if not (left.is_file() and right.is_file() and filecmp.cmp(left, right, shallow=False)):
            found.append(rel)
    return found


def test_the_build_publishes_the_digest_of_everything_else(at_noon: Path) -> None:
    published = (at_noon / urls.DIGEST).read_text(encoding="ascii")
    assert re.fullmatch(r"[0-9a-f]{64}\n", published)
    assert read_digest(published.encode()) == site_digest(at_noon)
    # Computed the documented way: sorted paths, each with its size and its bytes' SHA-256.
    total = hashlib.sha256()
    for rel, path in published_files(at_noon):
        data = path.read_bytes()
        total.update(f"{rel}\0{len(data)}\0".encode() + hashlib.sha256(data).digest())
    assert total.hexdigest() == site_digest(at_noon)
    names = [rel for rel, _ in published_files(at_noon)]
    assert {"index.html", "sitemap.xml", "history.atom", "api/v2/summary.json"} <= set(names)
    assert urls.DIGEST not in names


def test_the_same_input_and_now_give_the_same_digest(
    source: Path, at_noon: Path, tmp_path: Path
) -> None:
    again = build(source, tmp_path / "elsewhere" / "out", "2026-11-23T12:00Z")
    assert differing(at_noon, again) == []
    assert (again / urls.DIGEST).read_bytes() == (at_noon / urls.DIGEST).read_bytes()


def test_a_quarter_of_an_hour_without_an_event_changes_no_byte(
    source: Path, at_noon: Path, tmp_path: Path
) -> None:
    """12:15: the incident is still open, its promise not yet due, the maintenance still
    in progress; no page, feed, API file, calendar or sitemap may carry the clock."""
    later = build(source, tmp_path / "site", "2026-11-23T12:15Z")
    assert differing(at_noon, later) == []
    assert site_digest(later) == site_digest(at_noon)


def test_a_promise_falling_due_changes_the_digest(
    source: Path, at_noon: Path, tmp_path: Path
) -> None:
    late = build(source, tmp_path / "site", "2026-11-23T12:20Z")
    assert site_digest(late) != site_digest(at_noon)
    assert f"incidents/{sorted(FILES)[2].removesuffix('.yaml')}/index.html" in differing(
        at_noon, late
    )


def test_uptime_falls_with_the_clock_during_an_outage(source: Path, tmp_path: Path) -> None:
    """The one figure that honestly moves between events: an outage's share of the window."""
    files = dict(FILES)
    files["2026-11-23-checkout-errors.yaml"] = OPEN.replace("impact: minor", "impact: critical")
    (tmp_path / "src").mkdir()
    config = make_site(tmp_path / "src", files)
    noon = build(config, tmp_path / "noon", "2026-11-23T12:00Z")
    later = build(config, tmp_path / "later", "2026-11-23T12:15Z")
    assert site_digest(noon) != site_digest(later)
    figure = re.compile(r"([0-9.]+)% uptime over the last 90 days")
    before, after = (
        float(figure.findall((site / "components/api/index.html").read_text("utf-8"))[0])
        for site in (noon, later)
    )
    assert after < before < 100


def test_a_changed_update_changes_the_digest(at_noon: Path, tmp_path: Path) -> None:
    files = dict(FILES)
    files["2026-11-22-slow-website.yaml"] = RESOLVED.replace("fast again", "fast again now")
    (tmp_path / "src").mkdir()
    changed = build(make_site(tmp_path / "src", files), tmp_path / "site", "2026-11-23T12:00Z")
    assert site_digest(changed) != site_digest(at_noon)
    assert (changed / urls.DIGEST).read_bytes() != (at_noon / urls.DIGEST).read_bytes()


def test_the_footer_says_when_the_status_last_changed(at_noon: Path) -> None:
    home = (at_noon / "index.html").read_text(encoding="utf-8")
    # The newest update (11:48) is the last change, not the build at 12:00.
    assert 'Status last changed <time datetime="2026-11-23T11:48:00Z">' in home
    assert 'Status unchanged since <time datetime="2026-11-23T11:48:00Z">' in home
    assert "2026-11-23T12:00" not in home
    assert "Page built" not in home


# Resolved at 06:20 CET; its postmortem is published at 09:00 CET.
REVIEWED = """\
title: API errors
impact: major
components: [api]
updates:
  - at: 2026-11-24T05:40:00+01:00
    status: investigating
    message: Many API requests fail. We are investigating.
  - at: 2026-11-24T06:20:00+01:00
    status: resolved
    message: API requests work again. No data was lost.
postmortem:
  published_at: 2026-11-24T09:00:00+01:00
  apology: We are sorry for the errors you saw this morning.
  what_happened: API requests failed for forty minutes.
  why: A configuration change removed a route.
  what_we_did: We rolled the change back.
  impact: A third of API requests failed.
  prevention: We now canary every configuration change.
"""


@pytest.mark.parametrize("now", ["2026-11-24T08:59", "2026-11-24T12:00"])
def test_a_postmortem_published_later_does_not_change_when_the_status_last_changed(
    tmp_path: Path, now: str
) -> None:
    """Before and after the postmortem comes out, the home page and every page's footer
    date the status from its resolution (06:20 CET); the API's `page.updated_at` moves to
    the postmortem once it is out, as Statuspage's does with every public change."""
    (tmp_path / "src").mkdir()
    config = make_site(
        tmp_path / "src", {"2026-11-24-api-errors.yaml": REVIEWED}, timezone="Europe/Berlin"
    )
    site = build(config, tmp_path / "site", now)
    resolved = '<time datetime="2026-11-24T05:20:00Z">24 Nov 2026, 06:20 CET</time>'
    pages = ["index.html", "incidents/2026-11-24-api-errors/index.html", "history/index.html"]
    if now.endswith("12:00"):
        pages.append("incidents/2026-11-24-api-errors/postmortem/index.html")
    for rel in pages:
        html = (site / rel).read_text(encoding="utf-8")
        assert f"Status last changed {resolved}" in html, rel
    home = (site / "index.html").read_text(encoding="utf-8")
    assert f"Status unchanged since {resolved}" in home
    assert "09:00 CET" not in home
    updated = json.loads((site / "api/v2/status.json").read_text(encoding="utf-8"))["page"]
    out = now.endswith("12:00")
    assert updated["updated_at"] == (
        "2026-11-24T09:00:00+01:00" if out else "2026-11-24T06:20:00+01:00"
    )


def test_the_notify_record_and_hidden_files_are_not_part_of_the_site(
    at_noon: Path, tmp_path: Path
) -> None:
    copy = tmp_path / "site"
    shutil.copytree(at_noon, copy)
    before = site_digest(copy)
    (copy / urls.NOTIFY_RECORD).parent.mkdir(exist_ok=True)
    (copy / urls.NOTIFY_RECORD).write_text('{"kind": "candor notify record"}', encoding="utf-8")
    (copy / ".nojekyll").write_text("", encoding="utf-8")
    assert site_digest(copy) == before
    page = copy / "history" / "index.html"
    page.write_bytes(page.read_bytes() + b" ")
    assert site_digest(copy) != before


def test_moving_bytes_between_files_changes_the_digest(tmp_path: Path) -> None:
    one, two = tmp_path / "one", tmp_path / "two"
    for site, (a, b) in ((one, (b"ab", b"c")), (two, (b"a", b"bc"))):
        site.mkdir()
        (site / "a.txt").write_bytes(a)
        (site / "b.txt").write_bytes(b)
    assert site_digest(one) != site_digest(two)


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("a" * 64 + "\n", "a" * 64),
        ("A" * 64, None),
        ("<html>not found</html>", None),
        ("", None),
    ],
)
def test_only_a_digest_is_read_as_one(text: str, found: str | None) -> None:
    assert read_digest(text.encode()) == found


def test_a_folders_prefix_is_its_path_relative_to_the_walk(tmp_path: Path) -> None:
    for rel in ("a", "a/b", "a/b/c", "x y/é", "incidents/2026-11-20-api/postmortem"):
        (tmp_path / "site" / rel).mkdir(parents=True, exist_ok=True)
    for top in (str(tmp_path / "site"), str(tmp_path / "site") + os.sep):
        found = {folder_prefix(top, folder) for folder, _, _ in os.walk(top)}
        expected = {
            "" if rel == "." else rel.replace(os.sep, "/") + "/"
            for rel in (os.path.relpath(folder, top) for folder, _, _ in os.walk(top))
        }
        assert found == expected and "a/b/c/" in found and "" in found
