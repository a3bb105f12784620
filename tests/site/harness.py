"""What the site tests share: the real `candor build`, a 127.0.0.1 server, the pages to
visit, the incident files added for an open-incident build, and the tool check.

The builds run the installed `candor` command the way a team's CI would, so the tests see
exactly the bytes a customer's browser receives."""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import re
import shutil
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from candor_sites import CHROMIUM

from generator.outputs.plaintext import text as plain

REPO = Path(__file__).resolve().parents[2]
NOW = "2026-11-23T12:00Z"
AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
VNU = REPO / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}

# The open incident added to a copy of the example: posted shortly before NOW, its latest
# update promises the next one in 30 minutes (11:48 UTC + 30 min = 12:18 UTC, 13:18 in Berlin).
OPEN_ID = "2026-11-23-api-requests-failing"
OPEN_TITLE = "API requests failing in every region"
OPEN_FIRST = "We're sorry: most requests to the Public API are failing with errors"
OPEN_LATEST = "A configuration change to the API gateway removed a routing rule"
OPEN_NEXT_LOCAL = "13:18"
OPEN_NEXT_UTC = "12:18"
# Its messages hold what real updates hold: a list, inline code, a link, a table and a long
# URL, so that layout, contrast and wrapping are tested on them.
LONG_URL = (
    "https://status.northwind.example/components/api/?region=eu-central-1&view=detailed"
    "&since=2026-11-23T11:20:00Z&until=2026-11-23T12:00:00Z"
)
OPEN_INCIDENT = f"""\
title: {OPEN_TITLE}
impact: major
components: [api]
started_at: 2026-11-23T11:20:00Z
updates:
  - at: 2026-11-23T11:26:00Z
    status: investigating
    message: |
      {OPEN_FIRST}. We are investigating and will update you within 30 minutes.

      What we know so far:

      - requests to `api.northwind.example` fail with `502 Bad Gateway`;
      - the [dashboard](https://console.northwind.example/) loads, but its API calls fail;
      - each region's error rate: {LONG_URL}
    components:
      api: major_outage
    next_update: 30m
    by: Mira, on-call SRE
  - at: 2026-11-23T11:48:00Z
    status: identified
    message: |
      {OPEN_LATEST} for every region. We are rolling that change back now; requests
      should start succeeding region by region as it completes.

      | Region | Rollback |
      |---|---|
      | eu-central-1 | done |
      | us-east-1 | in progress |

      Retry failed requests: a `POST` with an `Idempotency-Key` header is safe to retry
      ([how retries work](https://docs.northwind.example/api/retries)).
    components:
      api: major_outage
    next_update: 30m
    by: Mira, on-call SRE
"""
# An incident written in Japanese on the English site: its text is marked `lang="ja"`.
JA_ID = "2026-11-21-tokyo-dashboard-slow"
JA_TITLE = "東京リージョンで管理画面の表示が遅くなりました"
JA_INCIDENT = f"""\
title: {JA_TITLE}
impact: minor
language: ja
components: [dashboard]
updates:
  - at: 2026-11-21T01:10:00Z
    status: investigating
    message: |
      ご迷惑をおかけして申し訳ございません。東京リージョンで管理画面の表示に時間がかかっています。
    next_update: 30m
  - at: 2026-11-21T01:35:00Z
    status: resolved
    message: |
      キャッシュサーバーを再起動し、表示速度は通常に戻りました。データの損失はありません。
"""
MAINTENANCE_ID = "2026-11-20-backup-storage-migration"
MAINTENANCE_TITLE = "Backup storage migration"
MAINTENANCE = f"""\
kind: maintenance
title: {MAINTENANCE_TITLE}
components: [backups]
scheduled:
  start: 2026-11-23T11:00:00Z
  end: 2026-11-23T14:00:00Z
updates:
  - at: 2026-11-20T10:00:00Z
    status: scheduled
    message: |
      On Monday 23 November, from 12:00 to 15:00 CET, we will move stored backups to new
      storage. Scheduled backups will run late during the window; none will be skipped.
  - at: 2026-11-23T11:00:00Z
    status: in_progress
    message: |
      The migration has started. Backups scheduled during the window will run after it.
    components:
      backups: under_maintenance
"""


def need(*tools: str) -> None:
    """Skip when a tool a test drives is missing, but fail under CI=true: a browser test
    that silently stops running in CI is worse than none."""
    checks: dict[str, Callable[[], bool]] = {
        "chromium": CHROMIUM.exists,
        "playwright": lambda: _importable("playwright.sync_api"),
        "java": lambda: shutil.which("java") is not None,
        "axe-core": AXE.exists,
        "vnu-jar": VNU.exists,
    }
    missing = [tool for tool in tools if not checks[tool]()]
    if not missing:
        return
    message = f"missing {', '.join(missing)}: run `make test` (scripts/install-test-deps.sh)"
    if os.environ.get("CI") == "true":
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


def _importable(module: str) -> bool:
    try:
        __import__(module)
    except ImportError:
        return False
    return True


def candor_command() -> list[str]:
    """The installed `candor` script beside this interpreter (the project's venv)."""
    script = Path(sys.executable).with_name("candor")
    if not script.exists():
        script = REPO / ".venv" / "bin" / "candor"
    return [str(script)]


def build(config: Path, out: Path) -> Path:
    """`candor build --config CONFIG --out OUT --now NOW`; the test fails with the
    command's own output when the build does."""
    result = subprocess.run(
        [*candor_command(), "build", "--config", str(config), "--out", str(out), "--now", NOW],
        cwd=config.parent,
        capture_output=True,
        text=True,
        timeout=300,
    )
    if result.returncode != 0:
        pytest.fail(
            f"candor build failed ({result.returncode}):\n{result.stdout}\n{result.stderr}",
            pytrace=False,
        )
    if not (out / "index.html").exists():
        pytest.fail(f"candor build wrote no {out / 'index.html'}", pytrace=False)
    return out


def copy_example(target: Path) -> Path:
    """The example site's sources (config, incidents, pages, theme) in `target`."""
    target.mkdir(parents=True, exist_ok=True)
    shutil.copy2(REPO / "mkdocs.yml", target / "mkdocs.yml")
    for folder in ("incidents", "site_src", "theme"):
        if (REPO / folder).exists():
            shutil.copytree(REPO / folder, target / folder)
    return target / "mkdocs.yml"


def open_example(target: Path) -> Path:
    """The example site with an open incident, a maintenance in progress and an incident in
    Japanese added (the site the browser tests, screenshots and benchmarks show)."""
    config = copy_example(target)
    for name, text in (
        (OPEN_ID, OPEN_INCIDENT),
        (MAINTENANCE_ID, MAINTENANCE),
        (JA_ID, JA_INCIDENT),
    ):
        (target / "incidents" / f"{name}.yaml").write_text(text, encoding="utf-8")
    return config


def japanese_example(target: Path) -> Path:
    """The Japanese site of tests/fixtures/ja, copied to `target`."""
    shutil.copytree(JA_SITE, target, dirs_exist_ok=True)
    return target / "mkdocs.yml"


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@dataclass(frozen=True)
class Site:
    """A built site on disk and the 127.0.0.1 URL it is served at (ends with /)."""

    root: Path
    url: str

    def page(self, path: str = "") -> str:
        return self.url + path


@contextlib.contextmanager
def serve(root: Path) -> Iterator[Site]:
    """Serve `root` on a free 127.0.0.1 port from a thread, for the duration."""
    handler = functools.partial(_QuietHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield Site(root, f"http://127.0.0.1:{server.server_address[1]}/")
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


# An example incident with a published postmortem and several updates.
EXAMPLE_INCIDENT = "2026-09-29-frankfurt-network-partition"

# The Japanese site (tests/fixtures/ja): Japanese labels, Asia/Tokyo, an open incident, a
# postmortem with action items, an upcoming maintenance and one incident in English.
JA_SITE = REPO / "tests" / "fixtures" / "ja"
JA_OPEN_ID = "2026-11-23-api-errors-tokyo"
JA_PAGES = {
    "home": "",
    "incident": f"incidents/{JA_OPEN_ID}/",
    "postmortem": "incidents/2026-11-10-database-failover/postmortem/",
    "maintenance": "incidents/2026-11-26-storage-maintenance/",
    "english-incident": "incidents/2026-11-18-storage-latency/",
    "history": "history/",
    "component": "components/api/",
    "subscribe": "subscribe/",
}

# The pages every browser-level check visits, in the open-incident build (which holds the
# whole example as well): name -> path under the site.
PAGES = {
    "home": "",
    "incident": f"incidents/{OPEN_ID}/",
    "resolved-incident": f"incidents/{EXAMPLE_INCIDENT}/",
    "postmortem": f"incidents/{EXAMPLE_INCIDENT}/postmortem/",
    "maintenance": f"incidents/{MAINTENANCE_ID}/",
    "history": "history/",
    "component": "components/api/",
    "japanese-incident": f"incidents/{JA_ID}/",
    "subscribe": "subscribe/",
}


def open_page(page: Any, site: Site, path: str) -> Any:
    """Load `path` and insist the server had it (a 404 page would pass many checks)."""
    response = page.goto(site.page(path), wait_until="load")
    assert response is not None and response.status == 200, f"{site.page(path)}: not found"
    return page


def squash(text: str) -> str:
    """Whitespace collapsed, for comparing rendered text with source text."""
    return re.sub(r"\s+", " ", text).strip()


def update_snippets(text: str) -> list[str]:
    """For each update of an incident file's text: the opening words of its message as a
    reader sees them (Markdown removed), enough to tell the updates apart."""
    data = yaml.safe_load(text)
    return [" ".join(plain(u["message"]).split()[:8]) for u in data["updates"]]
