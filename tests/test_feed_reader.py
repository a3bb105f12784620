"""A real feed reader (Debian's newsboat) sees each update exactly once across rebuilds."""

from __future__ import annotations

import functools
import itertools
import os
import shutil
import sqlite3
import subprocess
import threading
import time
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from artifact_sites import OPEN, RESOLVED, build

_DEPLOYS = itertools.count(1)
FEEDS = ("history.rss", "history.atom", "components/web/history.atom")


def _newsboat() -> str:
    found = shutil.which("newsboat")
    if found is None:
        if os.environ.get("CI") == "true":
            pytest.fail("newsboat is missing: run scripts/install-test-deps.sh")
        pytest.skip("newsboat is not installed (scripts/install-test-deps.sh installs it)")
    return found


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[Path, str]]:
    root = tmp_path / "www"
    root.mkdir()
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(root)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield root, f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def _publish(tmp_path: Path, name: str, files: dict[str, str | bytes], root: Path) -> int:
    _, state, out = build(tmp_path / name, files)
    published = next(_DEPLOYS)
    for path in FEEDS:
        target = root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(out[path])
        # The server answers If-Modified-Since by mtime in whole seconds: move it on, as a
        # deploy minutes later would, so the reader fetches the new version.
        moment = time.time() + 60 * published
        os.utime(target, (moment, moment))
    return sum(len(e.event.updates) for e in state.events)


def _reload(newsboat: str, home: Path, base: str) -> dict[str, list[str]]:
    """Reload every feed as its own subscriber (newsboat keeps one item per guid across all
    the feeds in a cache); return the guids each one stored, in the order it stored them."""
    env = {**os.environ, "HOME": str(home), "XDG_CONFIG_HOME": str(home), "NO_PROXY": "*"}
    for proxy in ("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY"):
        env.pop(proxy, None)
    items: dict[str, list[str]] = {}
    for n, path in enumerate(FEEDS):
        folder = home / f"subscriber-{n}"
        folder.mkdir(exist_ok=True)
        (folder / "urls").write_text(f"{base}{path}\n", encoding="utf-8")
        (folder / "config").write_text("", encoding="utf-8")
        cache = folder / "cache.db"
        command = [newsboat, "-x", "reload", "-u", str(folder / "urls"), "-c", str(cache)]
        subprocess.run(
            [*command, "-C", str(folder / "config")],
            env=env,
            check=True,
            capture_output=True,
            timeout=120,
        )
        with sqlite3.connect(cache) as db:
            rows = db.execute("SELECT feedurl, guid FROM rss_item ORDER BY id").fetchall()
        assert {feed for feed, _ in rows} <= {f"{base}{path}"}
        items[path] = [guid for _, guid in rows]
    return items


def test_newsboat_sees_each_update_once_across_rebuilds(
    tmp_path: Path, served: tuple[Path, str]
) -> None:
    newsboat = _newsboat()
    root, base = served
    home = tmp_path / "reader"
    home.mkdir()

    files: dict[str, str | bytes] = {"2026-11-30-slow-website.yaml": OPEN}
    assert _publish(tmp_path, "one", files, root) == 1
    first = _reload(newsboat, home, base)
    assert {path: len(guids) for path, guids in first.items()} == dict.fromkeys(FEEDS, 1)

    # Rebuilding the same files, then appending an update and editing an earlier message:
    # the reader gets exactly the one new update, and nothing twice.
    _publish(tmp_path, "again", files, root)
    assert _reload(newsboat, home, base) == first
    files = {
        "2026-11-30-slow-website.yaml": OPEN.replace("We are looking", "We are looking hard")
        + "  - at: 2026-11-30T23:50:00Z\n    status: identified\n"
        "    message: A cache node is overloaded.\n",
        "2026-11-20-api-errors.yaml": RESOLVED,
    }
    updates = _publish(tmp_path, "two", files, root)
    assert updates == 2 + 3
    second = _reload(newsboat, home, base)
    for path in ("history.rss", "history.atom"):
        assert len(second[path]) == updates + 1  # and the postmortem
        assert len(set(second[path])) == len(second[path])
    assert sorted(second["components/web/history.atom"]) == [
        "https://status.example.com/incidents/2026-11-30-slow-website/#update-1",
        "https://status.example.com/incidents/2026-11-30-slow-website/#update-2",
    ]
