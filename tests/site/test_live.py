"""The live-update notice of an open incident's page, in real Chromium, against a copy of the
built site served on 127.0.0.1 whose `api/v2/status.json` changes under the page.

The page's clock is Playwright's (installed before the page loads), so "once a minute" is a
fast-forward, not a wait."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from harness import JA_ID, OPEN_ID, Site, open_page, serve

pytestmark = pytest.mark.browser

NOTICE = ".cd-live"


@pytest.fixture
def live_site(open_build: Path, tmp_path: Path) -> Iterator[Site]:
    root = tmp_path / "site"
    shutil.copytree(open_build, root)
    with serve(root) as site:
        yield site


def move_on(site: Site) -> None:
    """The site as the next publish leaves it: a newer update, a worse status."""
    path = site.root / "api" / "v2" / "status.json"
    status = json.loads(path.read_text(encoding="utf-8"))
    status["page"]["updated_at"] = "2026-11-23T13:30:00+01:00"
    path.write_text(json.dumps(status), encoding="utf-8")


def test_the_script_is_small_same_origin_and_deferred(open_build: Path) -> None:
    html = (open_build / "incidents" / OPEN_ID / "index.html").read_text(encoding="utf-8")
    tag = next(line for line in html.splitlines() if "candor-live.js" in line)
    assert " defer " in tag and 'src="../../assets/javascripts/candor-live.js"' in tag
    assert 'data-status="../../api/v2/status.json"' in tag
    script = open_build / "assets" / "javascripts" / "candor-live.js"
    assert script.stat().st_size < 4096
    assert "http" not in script.read_text(encoding="utf-8").replace("https://", "")
    # Resolved incidents and quiet pages do not load it.
    resolved = (open_build / "history" / "index.html").read_text(encoding="utf-8")
    assert "candor-live.js" not in resolved
    resolved = (open_build / "incidents" / JA_ID / "index.html").read_text(encoding="utf-8")
    assert "candor-live.js" not in resolved


def test_nothing_loads_the_script_once_every_incident_is_resolved(example_build: Path) -> None:
    pages = list(example_build.rglob("*.html"))
    assert len(pages) > 20
    assert [p for p in pages if "candor-live.js" in p.read_text(encoding="utf-8")] == []


def test_it_asks_once_a_minute_only_while_an_incident_is_open(
    live_site: Site, withjs: Any, new_page: Any
) -> None:
    for path, per_minute in ((f"incidents/{OPEN_ID}/", 1), (f"incidents/{JA_ID}/", 0)):
        page = new_page(withjs)
        asked: list[str] = []
        page.on("request", lambda r, asked=asked: asked.append(r.url))
        page.clock.install()
        open_page(page, live_site, path)
        page.clock.run_for(30_000)
        page.wait_for_timeout(200)
        assert [u for u in asked if "status.json" in u] == []  # not at once: in a minute
        page.clock.run_for(3 * 60_000)
        page.wait_for_timeout(500)
        polls = [u for u in asked if "status.json" in u]
        assert len(polls) == 3 * per_minute, (path, polls)
        assert all(u.startswith(live_site.url) for u in polls)
        page.close()


def test_a_page_behind_says_so_and_a_reload_keeps_the_readers_place(
    live_site: Site, withjs: Any, new_page: Any
) -> None:
    page = new_page(withjs)
    page.clock.install()
    open_page(page, live_site, f"incidents/{OPEN_ID}/")
    page.clock.fast_forward(61_000)
    page.wait_for_timeout(300)
    assert page.locator(NOTICE).count() == 0  # nothing changed: nothing said

    page.locator("#update-2").scroll_into_view_if_needed()
    page.evaluate("window.scrollBy(0, -40)")
    before = page.evaluate("document.getElementById('update-2').getBoundingClientRect().top")
    move_on(live_site)
    page.clock.fast_forward(61_000)
    notice = page.locator(NOTICE)
    notice.wait_for(state="visible", timeout=5000)
    assert notice.inner_text().startswith("New update")
    assert notice.get_attribute("role") == "status"
    # The notice moves nothing on the page.
    assert page.evaluate(
        "document.getElementById('update-2').getBoundingClientRect().top"
    ) == pytest.approx(before, abs=1)

    with page.expect_navigation():
        notice.get_by_role("button").click()
    page.wait_for_load_state("load")
    page.wait_for_timeout(300)
    after = page.evaluate("document.getElementById('update-2').getBoundingClientRect().top")
    assert after == pytest.approx(before, abs=2)
    assert page.locator(NOTICE).count() == 0


def test_no_notice_and_no_request_without_javascript(
    live_site: Site, nojs: Any, new_page: Any
) -> None:
    page = new_page(nojs)
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    move_on(live_site)
    open_page(page, live_site, f"incidents/{OPEN_ID}/")
    assert page.locator(NOTICE).count() == 0
    assert not [url for url in requests if "status.json" in url]
