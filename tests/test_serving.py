"""`candor serve`'s quicker rebuilds: after a change to incident files only what changed is
written, and the result is the same as a whole build's; otherwise the previous build is moved
aside at once (reuse.py); the incident folder is polled more often than mkdocs polls the rest."""

from __future__ import annotations

import logging
import os
import re
import shutil
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.livereload import LiveReloadServer
from watchdog.observers import Observer
from watchdog.observers.polling import PollingObserver

from generator.core import filecache
from generator.core.cache import CACHE_DIR_ENV, CACHE_ENV
from generator.core.project import NOW_ENV
from generator.plugin import serving


def test_the_incident_folder_is_polled_more_often_than_other_paths(tmp_path: Path) -> None:
    docs, incidents = tmp_path / "docs", tmp_path / "incidents"
    docs.mkdir()
    incidents.mkdir()
    server = LiveReloadServer(builder=lambda: None, host="127.0.0.1", port=0, root=str(tmp_path))
    server.watch(str(docs))
    serving.watch_often(server, str(incidents))
    emitters = {Path(e.watch.path).name: e.timeout for e in server.observer.emitters}
    assert emitters == {"docs": 0.5, "incidents": serving.POLL}
    assert serving.POLL < 0.5
    assert server.observer.timeout == 0.5  # the server's own interval is left as it was


def test_a_saved_incident_file_starts_a_rebuild_through_the_systems_file_events(
    tmp_path: Path,
) -> None:
    docs, incidents = tmp_path / "docs", tmp_path / "incidents"
    docs.mkdir()
    incidents.mkdir()
    server = LiveReloadServer(builder=lambda: None, host="127.0.0.1", port=0, root=str(tmp_path))
    server.watch(str(docs))
    watcher = serving.watch_at_once(server, str(incidents))
    try:
        assert isinstance(watcher, Observer) and not isinstance(watcher, PollingObserver)
        # Not polled: the server's own observer still looks at docs only.
        assert [Path(e.watch.path).name for e in server.observer.emitters] == ["docs"]
        saved = incidents / "2026-11-20-api.yaml"
        saved.write_text("title: x\n", encoding="utf-8")
        with server._rebuild_cond:
            assert server._rebuild_cond.wait_for(lambda: server._want_rebuild, timeout=5)
        time.sleep(0.5)  # a write is several events (truncated, written): let them all come
        with server._rebuild_cond:
            server._want_rebuild = False
        # A rebuild reads the file: reading is no change, and starts no other rebuild.
        saved.read_text(encoding="utf-8")
        with server._rebuild_cond:
            assert not server._rebuild_cond.wait_for(lambda: server._want_rebuild, timeout=1)
    finally:
        if watcher is not None:
            watcher.stop()


def test_a_folder_the_system_cannot_watch_is_polled_instead(tmp_path: Path) -> None:
    server = LiveReloadServer(builder=lambda: None, host="127.0.0.1", port=0, root=str(tmp_path))
    assert serving.watch_at_once(server, str(tmp_path / "missing")) is None
    emitters = {Path(e.watch.path).name: e.timeout for e in server.observer.emitters}
    assert emitters == {"missing": serving.POLL}


def test_a_watch_the_system_refuses_a_moment_later_is_polled_instead(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[str] = []
    schedule = serving._ChangeObserver.schedule

    def refused_the_second_time(self: Any, handler: Any, path: str, **options: Any) -> Any:
        asked.append(path)
        if len(asked) > 1:
            raise OSError(28, "inotify watch limit reached")
        return schedule(self, handler, path, **options)

    monkeypatch.setattr(serving._ChangeObserver, "schedule", refused_the_second_time)
    server = LiveReloadServer(builder=lambda: None, host="127.0.0.1", port=0, root=str(tmp_path))
    assert serving.watch_at_once(server, str(tmp_path)) is None
    assert len(asked) == 2
    emitters = {e.watch.path: e.timeout for e in server.observer.emitters}
    assert emitters == {str(tmp_path): serving.POLL}


# --- rebuilds that write only what changed ----------------------------------------------------

ROOT = Path(__file__).resolve().parent.parent
NOW = "2026-11-23T12:00:00Z"
SERVE_URL = "http://127.0.0.1:8000/"
KEPT = "incidents/2026-01-14-slow-dashboard/index.html"


class Served:
    """Rebuilds as `candor serve` runs them: one plugin kept between them, dirty, into one
    folder; and, to compare with, a whole build of the same files into another."""

    def __init__(self, config: Path) -> None:
        self.config = config
        self.site = config.parent.parent / "served"
        self.plugin = self.load(self.site).plugins["candor"]
        self.load(self.site).plugins.on_startup(command="serve", dirty=True)
        assert self.plugin.reuse is not None

    def load(self, site: Path) -> MkDocsConfig:
        config = load_config(str(self.config), site_dir=str(site))
        config.site_url = SERVE_URL
        return config

    def rebuild(self) -> None:
        build(self.load(self.site), serve_url=SERVE_URL, dirty=True)

    def whole(self) -> Path:
        """A build that keeps nothing from earlier ones."""
        plugin = self.plugin
        kept = plugin.reuse, plugin.rows, plugin.theme_listing
        plugin.reuse = plugin.rows = plugin.theme_listing = None
        try:
            site = self.config.parent.parent / "whole"
            shutil.rmtree(site, ignore_errors=True)
            build(self.load(site), serve_url=SERVE_URL)
        finally:
            plugin.reuse, plugin.rows, plugin.theme_listing = kept
        return site


def tree(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def dated_long_ago(folder: Path) -> None:
    """Every file's time set to 1970, so that a file written after is told by its time."""
    for path in folder.rglob("*"):
        if path.is_file():
            os.utime(path, ns=(0, 0))


def rewritten(folder: Path) -> set[str]:
    """The files written since `dated_long_ago`."""
    return {
        str(p.relative_to(folder))
        for p in folder.rglob("*")
        if p.is_file() and p.stat().st_mtime_ns != 0
    }


@pytest.fixture
def served(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Served]:
    site = tmp_path / "project"
    site.mkdir()
    shutil.copy(ROOT / "mkdocs.yml", site / "mkdocs.yml")
    for name in ("incidents", "site_src", "theme"):
        shutil.copytree(ROOT / name, site / name)
    monkeypatch.setenv(NOW_ENV, NOW)
    monkeypatch.setenv(CACHE_ENV, "on")
    monkeypatch.delenv(CACHE_DIR_ENV, raising=False)
    served = Served(site / "mkdocs.yml")
    served.rebuild()
    yield served
    filecache.keep_in_memory(False)


def edit_message(incidents: Path) -> None:
    path = incidents / "2026-11-12-slow-api-responses-us-east.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("We ", "We now ", 1))


def edit_title(incidents: Path) -> None:
    """Listed on the history page, a component's page and the home page."""
    path = incidents / "2026-11-12-slow-api-responses-us-east.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r"^title: (.*)$", r"title: \1 (edited)", text, count=1, flags=re.M))


OPEN = (
    "title: Dashboard log-in failing\nimpact: major\ncomponents: [dashboard]\nupdates:\n"
    "  - at: 2026-11-23T11:00:00Z\n    status: investigating\n"
    "    message: Log-in to the dashboard fails for some customers.\n"
    "    components:\n      dashboard: partial_outage\n    next_update: 30m\n"
)


def add_incident(incidents: Path) -> None:
    """One of last spring, told late: the site's last change, in every footer, stays."""
    (incidents / "2026-04-02-dashboard-log-in-failing.yaml").write_text(
        OPEN.replace("2026-11-23T11:00:00Z", "2026-04-02T11:00:00Z").replace(
            "    next_update: 30m\n",
            "  - at: 2026-04-02T12:00:00Z\n    status: resolved\n"
            "    message: Log-in works again.\n"
            "    components:\n      dashboard: operational\n",
        ),
        encoding="utf-8",
    )


def delete_incident(incidents: Path) -> None:
    (incidents / "2026-02-03-expired-api-certificate.yaml").unlink()


@pytest.mark.parametrize(
    ("change", "its_pages"),
    [
        (edit_message, {"2026-11-12-slow-api-responses-us-east"}),
        (edit_title, {"2026-11-12-slow-api-responses-us-east"}),
        (add_incident, {"2026-04-02-dashboard-log-in-failing"}),
        (delete_incident, set()),
    ],
)
def test_a_rebuild_after_an_incident_changed_writes_only_what_changed(
    served: Served, change: Callable[[Path], None], its_pages: set[str]
) -> None:
    dated_long_ago(served.site)
    change(served.config.parent / "incidents")
    served.rebuild()
    assert tree(served.site) == tree(served.whole())
    written = rewritten(served.site)
    assert "index.html" in written  # the home page is always rendered
    incident_pages = {
        name.split("/")[1] for name in written if re.fullmatch(r"incidents/[^/]+/index.html", name)
    }
    assert incident_pages == its_pages  # every other incident's page left as it was


def test_a_deleted_incident_leaves_no_page_or_feed_behind(served: Served) -> None:
    gone = served.site / "incidents" / "2026-02-03-expired-api-certificate"
    assert (gone / "index.html").is_file()
    delete_incident(served.config.parent / "incidents")
    served.rebuild()
    assert not gone.exists()


def test_a_change_to_anything_but_incidents_rebuilds_every_file(served: Served) -> None:
    dated_long_ago(served.site)
    about = served.config.parent / "site_src" / "about.md"
    about.write_text(about.read_text(encoding="utf-8").replace("# ", "# Our ", 1))
    served.rebuild()
    assert tree(served.site) == tree(served.whole())
    assert KEPT in rewritten(served.site)


def test_the_clock_passing_a_promise_rebuilds_what_shows_it(
    served: Served, monkeypatch: pytest.MonkeyPatch
) -> None:
    (served.config.parent / "incidents" / "2026-11-23-dashboard-log-in-failing.yaml").write_text(
        OPEN, encoding="utf-8"
    )
    served.rebuild()
    monkeypatch.setenv(NOW_ENV, "2026-11-23T11:31:00Z")  # the next update is overdue
    served.rebuild()
    assert tree(served.site) == tree(served.whole())


def test_a_page_with_problems_then_fixed(served: Served) -> None:
    path = served.config.parent / "incidents" / "2026-11-12-slow-api-responses-us-east.yaml"
    good = path.read_bytes()
    path.write_text("title: [unclosed\n", encoding="utf-8")
    served.rebuild()
    home = (served.site / "index.html").read_bytes()
    assert b"2026-11-12-slow-api-responses-us-east.yaml" in home  # the problems page
    path.write_bytes(good)
    served.rebuild()
    assert tree(served.site) == tree(served.whole())


def test_mkdocs_warning_about_dirty_builds_is_not_shown(
    served: Served, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="mkdocs"):
        served.rebuild()
    assert not [r for r in caplog.records if "dirty" in r.getMessage()]


def test_an_update_that_changes_every_footer_rewrites_every_page(served: Served) -> None:
    """The site's last change is in every page's footer: pages from the cache are written
    again, straight from it, and the folder is what a whole build gives."""
    path = served.config.parent / "incidents" / "2026-11-12-slow-api-responses-us-east.yaml"
    path.write_text(
        path.read_text(encoding="utf-8")
        + "  - at: 2026-11-23T10:00:00Z\n    status: resolved\n"
        + "    message: A late note, the day after. The balancer stays out of service.\n",
        encoding="utf-8",
    )
    dated_long_ago(served.site)
    served.rebuild()
    assert tree(served.site) == tree(served.whole())
    assert KEPT in rewritten(served.site)


def test_an_edited_title_shows_in_every_list_that_shows_the_incident(served: Served) -> None:
    edit_title(served.config.parent / "incidents")
    served.rebuild()
    for page in ("history/index.html", "components/api/index.html"):
        assert "(edited)" in (served.site / page).read_text(encoding="utf-8"), page
