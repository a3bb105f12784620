"""Small incident sets for the feed, API, calendar and badge tests, and a one-call build."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from candor_sites import load_site

from generator.core.config import Settings
from generator.core.state import SiteState
from generator.outputs.artifacts import build_artifacts

RESOLVED = """\
title: Elevated API errors
impact: major
components: [api]
started_at: 2026-11-20T09:05:00Z
updates:
  - at: 2026-11-20T09:14:00Z
    status: investigating
    message: We're sorry, many API requests are failing. We are investigating.
  - at: 2026-11-20T09:40:00Z
    status: identified
    message: A bad configuration push. We are rolling it back.
    components: {api: partial_outage}
  - at: 2026-11-20T10:02:00Z
    status: resolved
    message: Error rates are back to normal.
    components: {api: operational}
postmortem:
  published_at: 2026-11-21T08:00:00Z
  apology: We are sorry for the errors you saw.
  what_happened: A configuration push broke the gateway.
  why: The push skipped the canary.
  what_we_did: We rolled it back.
  impact: 30% of API requests failed for 48 minutes.
  prevention:
    - action: Canary every configuration change
      status: done
"""

OPEN = """\
title: Slow website
impact: minor
components: [web]
updates:
  - at: 2026-11-30T23:30:00Z
    status: investigating
    message: The website is slow for some of you. We are looking into it.
    components: {web: degraded_performance}
"""

UPCOMING = """\
kind: maintenance
title: Database upgrade
components: [db]
scheduled:
  start: 2026-12-05T01:00:00Z
  end: 2026-12-05T03:00:00Z
updates:
  - at: 2026-11-25T10:00:00Z
    status: scheduled
    message: We will upgrade the database. Expect a few seconds of reconnects.
"""

COMPLETED = """\
kind: maintenance
title: Website host move
impact: none
components: [web]
scheduled:
  start: 2026-11-10T01:00:00Z
  end: 2026-11-10T02:00:00Z
updates:
  - at: 2026-11-03T10:00:00Z
    status: scheduled
    message: We will move the website to new hosts.
  - at: 2026-11-10T01:00:00Z
    status: in_progress
    message: The move has started.
    components: {web: under_maintenance}
  - at: 2026-11-10T01:40:00Z
    status: completed
    message: The move is complete.
    components: {web: operational}
"""

HOSTILE = """\
title: "<script>alert(1)</script>Outage <img src=x onerror=alert(2)>"
impact: minor
components: [api]
updates:
  - at: 2026-11-15T10:00:00Z
    status: investigating
    message: |
      Hello <script>alert(3)</script> <img src=x onerror="alert(4)">
      [click me](javascript:alert(5)) <a href="javascript:alert(6)">there</a>
      <iframe src="https://evil.example/"></iframe> <svg onload=alert(7)></svg>
  - at: 2026-11-15T11:00:00Z
    status: resolved
    message: Fixed. <style>body{display:none}</style><b onclick="alert(8)">bold</b>
postmortem:
  published_at: 2026-11-16T10:00:00Z
  apology: Sorry <script>alert(9)</script>
  what_happened: "[x](javascript:alert(10)) <img src=x onerror=alert(11)>"
  why: A bug.
  what_we_did: We fixed it.
  impact: Some requests failed.
  prevention: "<script>alert(12)</script>Tests."
"""

NOW = "2026-12-01T00:00Z"
STANDARD = {
    "2026-11-20-api-errors.yaml": RESOLVED,
    "2026-11-30-slow-website.yaml": OPEN,
    "2026-11-25-database-upgrade.yaml": UPCOMING,
    "2026-11-03-website-host-move.yaml": COMPLETED,
}
# Every update of every file above, plus the one published postmortem.
STANDARD_ENTRIES = 3 + 1 + 1 + 3 + 1
HOSTILE_MARKERS = ("<script", "onerror", "onload", "onclick", "javascript:", "<iframe", "<style")


def build(
    tmp_path: Path,
    files: dict[str, str | bytes],
    now: str = NOW,
    **options: Any,
) -> tuple[Settings, SiteState, dict[str, bytes]]:
    tmp_path.mkdir(parents=True, exist_ok=True)
    project = load_site(tmp_path, files, now, **options)
    state = project.state()
    return project.settings, state, build_artifacts(project.settings, state)
