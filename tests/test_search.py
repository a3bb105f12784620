"""The search index's entry for each incident and maintenance (outputs/search.py)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from candor_sites import make_site

from generator.core.project import load_project
from generator.outputs.search import search_entries

NOW = "2026-11-23T12:00Z"
INCIDENT = """\
title: "Slow <b>API</b> & dashboard"
impact: major
components: [api]
updates:
  - at: 2026-11-20T09:00Z
    status: investigating
    message: We are looking into slow responses.
  - at: 2026-11-20T10:30Z
    status: resolved
    message: Fixed.
"""
MAINTENANCE = """\
title: Database upgrade
kind: maintenance
components: [api]
scheduled:
  start: 2026-11-25T22:00Z
  end: 2026-11-26T01:00Z
updates:
  - at: 2026-11-18T09:00Z
    status: scheduled
    message: We will upgrade the database.
"""


def test_one_escaped_line_per_incident_and_maintenance_newest_first(tmp_path: Path) -> None:
    config = make_site(
        tmp_path,
        {"2026-11-20-slow-api.yaml": INCIDENT, "2026-11-18-db-upgrade.yaml": MAINTENANCE},
    )
    project = load_project(config, NOW)
    state = project.state()
    entries = search_entries(project.settings, state)
    assert [e["location"] for e in entries] == [f"incidents/{ev.id}/" for ev in state.events]
    slow = next(e for e in entries if "slow-api" in e["location"])
    # The search box shows title and text as HTML: both escaped, so they read as written.
    assert slow["title"] == "Slow &lt;b&gt;API&lt;/b&gt; &amp; dashboard"
    assert slow["text"] == "Major · Resolved · 20 Nov 2026 · 1 h 30 min · Public API"
    upgrade = next(e for e in entries if "db-upgrade" in e["location"])
    # A window over midnight in the site's zone (UTC here) spans two days.
    assert upgrade["text"] == "Maintenance · Scheduled · 25 Nov 2026 – 26 Nov 2026 · Public API"

    preview = search_entries(replace(project.settings, preview=True), state)
    assert {e["location"] for e in preview} == {f"{e['location']}index.html" for e in entries}
