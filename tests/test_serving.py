"""`candor serve`'s quicker rebuilds: the previous build moved aside at once, the incident
folder polled more often than mkdocs polls the rest."""

from __future__ import annotations

from pathlib import Path

from mkdocs.livereload import LiveReloadServer

from generator.plugin import serving


def test_the_previous_build_leaves_the_folder_at_once_and_is_removed_after(tmp_path: Path) -> None:
    site = tmp_path / "site"
    for n in range(50):
        page = site / "incidents" / f"i-{n}" / "index.html"
        page.parent.mkdir(parents=True)
        page.write_text("old", encoding="utf-8")
    (site / "index.html").write_text("home", encoding="utf-8")

    remover = serving.clear_aside(site)

    assert remover is not None
    assert list(site.iterdir()) == []  # empty before the thread has removed anything
    remover.join(timeout=60)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_an_empty_or_missing_folder_has_nothing_to_move(tmp_path: Path) -> None:
    (tmp_path / "site").mkdir()
    assert serving.clear_aside(tmp_path / "site") is None
    assert serving.clear_aside(tmp_path / "missing") is None
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


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


def test_what_a_killed_serve_moved_aside_goes_with_the_next_rebuild(tmp_path: Path) -> None:
    left = tmp_path / f"{serving.OLD_PREFIX}abcd1234"  # nobody holds its lock
    (left / "incidents").mkdir(parents=True)
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("home", encoding="utf-8")
    remover = serving.clear_aside(site)
    assert remover is not None
    remover.join(timeout=60)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]
