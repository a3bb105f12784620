"""The build cache (generator/plugin/cache.py): a build that takes pages from the cache gives
the same bytes, file for file, as a full build without it, whatever changed in between."""

from __future__ import annotations

import importlib.util
import os
import pickle
import re
import shutil
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import main
from generator.core.project import load_project
from generator.outputs import urls
from generator.plugin import cache, reuse

ROOT = Path(__file__).resolve().parent.parent
NOW = "2026-11-23T12:00:00Z"

# An open incident with a promised next update (due 12:30) and a postmortem due (it is major
# and resolved), and a maintenance that starts at 13:00 and ends at 14:00 on the same day.
OPEN = """\
title: Dashboard log-in failing
impact: major
components: [dashboard]
updates:
  - at: 2026-11-23T11:00:00Z
    status: investigating
    message: Log-in to the dashboard fails for some customers. We are looking into it.
    components:
      dashboard: partial_outage
    next_update: 30m
  - at: 2026-11-23T12:00:00Z
    status: identified
    message: A faulty session store node. We are replacing it.
    next_update: 30m
"""
RESOLVED = """\
title: Object storage write errors
impact: major
components: [object-storage]
updates:
  - at: 2026-11-22T20:00:00Z
    status: investigating
    message: Writes to object storage fail in one region.
    components:
      object-storage: major_outage
  - at: 2026-11-22T21:00:00Z
    status: resolved
    message: Writes work again since 20:50. We will publish a postmortem.
    components:
      object-storage: operational
"""
MAINTENANCE = """\
kind: maintenance
title: Database storage upgrade
impact: none
components: [database]
scheduled:
  start: 2026-11-23T13:00:00Z
  end: 2026-11-23T14:00:00Z
updates:
  - at: 2026-11-20T09:00:00Z
    status: scheduled
    message: We will move the managed databases to faster disks.
"""
ADDED = {
    "2026-11-23-dashboard-log-in-failing.yaml": OPEN,
    "2026-11-22-object-storage-write-errors.yaml": RESOLVED,
    "2026-11-20-database-storage-upgrade.yaml": MAINTENANCE,
}
UPDATE = """\
  - at: 2026-11-23T12:10:00Z
    status: monitoring
    message: The node is replaced; log-in works again. We are watching it.
    components:
      dashboard: operational
"""


def example_site(site: Path, added: dict[str, str] = ADDED) -> Path:
    """The example site laid out in `site`, with the `added` incident files; its config."""
    site.mkdir(exist_ok=True)
    shutil.copy(ROOT / "mkdocs.yml", site / "mkdocs.yml")
    for name in ("incidents", "site_src", "theme"):
        shutil.copytree(ROOT / name, site / name)
    for name, text in added.items():
        (site / "incidents" / name).write_text(text, encoding="utf-8")
    return site / "mkdocs.yml"


@pytest.fixture
def example(tmp_path: Path) -> Path:
    """The example site with an open incident, a postmortem due and maintenance ahead."""
    return example_site(tmp_path / "site")


def build(config: Path, out: Path, now: str, cached: bool = True, *options: str) -> None:
    env = {cache.CACHE_ENV: "on" if cached else "off", cache.CACHE_DIR_ENV: ""}
    args = ["build", "--config", str(config), "--out", str(out), "--now", now, *options]
    result = CliRunner().invoke(main, args, env=env)
    assert result.exit_code == 0, result.output


def tree(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def entries(config: Path) -> set[str]:
    """The entries of pages and rows (not the records of each output, plugin/reuse.py)."""
    found = (config.parent / cache.DEFAULT_DIR / "entries").glob("*")
    return {p.name for p in found if not p.name.startswith(reuse.RECORD_PREFIX)}


def assert_same_as_full(config: Path, now: str) -> set[str]:
    """Build with the cache and without; the trees must match byte for byte. Returns the
    cache entries this build added (the pages it rendered)."""
    work = config.parent.parent
    before = entries(config)
    build(config, work / "incremental", now)
    added = entries(config) - before
    build(config, work / "full", now, cached=False)
    got, want = tree(work / "incremental"), tree(work / "full")
    assert sorted(got) == sorted(want)
    different = [name for name in want if got[name] != want[name]]
    assert different == []
    return added


def warm(config: Path, now: str = NOW) -> None:
    """Fill the cache, and give the next build into `incremental` a spare to start from (the
    site the second build replaced, plugin/reuse.py): each change below goes through it."""
    for _ in range(2):
        build(config, config.parent.parent / "incremental", now)
    assert entries(config), "the first build fills the cache"


def incident(config: Path, name: str) -> Path:
    return config.parent / "incidents" / name


def test_unchanged_site_renders_nothing_again(example: Path) -> None:
    warm(example)
    assert assert_same_as_full(example, NOW) == set()


def test_cached_pages_are_what_the_build_uses(example: Path) -> None:
    """Not a silent full build: an entry's text reaches the output."""
    warm(example)
    folder = example.parent / cache.DEFAULT_DIR / "entries"
    for entry in folder.iterdir():
        data = entry.read_bytes().replace(b"</body>", b"<!-- from the cache --></body>")
        entry.write_bytes(data.replace(b"</feed>", b"<!-- from the cache --></feed>"))
    out = example.parent.parent / "again"
    build(example, out, NOW)
    page = out / "incidents" / "2026-11-23-dashboard-log-in-failing" / "index.html"
    assert "<!-- from the cache -->" in page.read_text(encoding="utf-8")
    feed = out / "incidents" / "2026-11-23-dashboard-log-in-failing" / "feed.atom"
    assert "<!-- from the cache -->" in feed.read_text(encoding="utf-8")
    assert "<!-- from the cache -->" not in (out / "index.html").read_text(encoding="utf-8")


def test_new_update(example: Path) -> None:
    warm(example)
    path = incident(example, "2026-11-23-dashboard-log-in-failing.yaml")
    path.write_text(path.read_text() + UPDATE, encoding="utf-8")
    added = assert_same_as_full(example, "2026-11-23T12:20:00Z")
    assert added  # that incident's page is rendered again …
    assert len(added) < len(entries(example)) // 2  # … and not every page


def test_edited_message(example: Path) -> None:
    warm(example)
    path = incident(example, "2026-09-29-frankfurt-network-partition.yaml")
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("Frankfurt", "Frankfurt am Main", 1), encoding="utf-8")
    added = assert_same_as_full(example, NOW)
    affected = load_project(example, NOW).state().by_id[path.stem].event.affected
    # Its page, its postmortem, its feed and the page of each component it touched.
    assert len(added) == 3 + len(affected)


def test_an_unchanged_incidents_feed_is_neither_read_nor_written(
    example: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each incident's feed is told unchanged by its cache entry's key: after one edited
    incident, only that one's feed is read from the cache and written; a feed missing from
    the output is written again."""
    warm(example)
    path = incident(example, "2026-09-29-frankfurt-network-partition.yaml")
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("Frankfurt", "Frankfurt am Main", 1), encoding="utf-8")
    # From the site the next build starts from (its spare, plugin/reuse.py).
    spare = example.parent / cache.DEFAULT_DIR / reuse.SPARE
    (gone,) = spare.glob(f"*/{urls.incident_feed('2026-01-14-slow-dashboard')}")
    gone.unlink()
    read: list[str] = []
    real_get = cache.Store.get

    def get(self: cache.Store, key: str) -> bytes | None:
        found = real_get(self, key)
        if found is not None and found.startswith(b"<?xml") and b"<feed" in found[:200]:
            read.append(found.decode("utf-8"))
        return found

    monkeypatch.setattr(cache.Store, "get", get)
    assert_same_as_full(example, NOW)
    feeds = sorted(re.search(r"incidents/([^/]+)/feed\.atom", f)[1] for f in read)  # type: ignore[index]
    assert feeds == ["2026-01-14-slow-dashboard"]
    built = example.parent.parent / "incremental" / urls.incident_feed(path.stem)
    assert "Frankfurt am Main" in built.read_text(encoding="utf-8")


def test_new_incident(example: Path) -> None:
    warm(example)
    text = RESOLVED.replace("Object storage write errors", "Invoices sent twice")
    incident(example, "2026-11-21-invoices-sent-twice.yaml").write_text(text, encoding="utf-8")
    # Its page, its feed and its component's page.
    assert len(assert_same_as_full(example, NOW)) == 3


def test_deleted_incident(example: Path) -> None:
    warm(example)
    affected = load_project(example, NOW).state().by_id["2026-01-14-slow-dashboard"].event.affected
    incident(example, "2026-01-14-slow-dashboard.yaml").unlink()
    assert len(assert_same_as_full(example, NOW)) == len(affected)  # their component pages
    assert not (
        example.parent.parent / "incremental" / "incidents" / "2026-01-14-slow-dashboard"
    ).exists()


def test_component_renamed(example: Path) -> None:
    warm(example)
    text = example.read_text(encoding="utf-8")
    example.write_text(text.replace("name: Public API", "name: Public REST API"), encoding="utf-8")
    assert assert_same_as_full(example, NOW)


def test_theme_changed(example: Path) -> None:
    """A site's own template in custom_dir: every page shows it, cached or not."""
    warm(example)
    own = (ROOT / "generator" / "plugin" / "theme" / "main.html").read_text(encoding="utf-8")
    main_html = example.parent / "theme" / "main.html"
    main_html.write_text(
        own + '\n{% block extrahead %}<meta name="x-test" content="1">{% endblock %}\n',
        encoding="utf-8",
    )
    assert assert_same_as_full(example, NOW)
    page = example.parent.parent / "full" / "incidents" / "2026-01-14-slow-dashboard" / "index.html"
    assert 'name="x-test"' in page.read_text(encoding="utf-8")


def test_setting_from_the_environment_changed(
    example: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A value mkdocs.yml takes from the environment is not in its bytes, but is in the key."""
    text = example.read_text(encoding="utf-8")
    example.write_text(text + "extra:\n  note: !ENV [CANDOR_TEST_NOTE, none]\n", encoding="utf-8")
    own = (ROOT / "generator" / "plugin" / "theme" / "main.html").read_text(encoding="utf-8")
    (example.parent / "theme" / "main.html").write_text(
        own + '\n{% block extrahead %}<meta name="x-note" content="{{ config.extra.note }}">'
        "{% endblock %}\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("CANDOR_TEST_NOTE", "first")
    warm(example)
    monkeypatch.setenv("CANDOR_TEST_NOTE", "second")
    assert assert_same_as_full(example, NOW)
    page = example.parent.parent / "incremental" / "incidents" / "2026-01-14-slow-dashboard"
    assert 'content="second"' in (page / "index.html").read_text(encoding="utf-8")


def test_hand_written_page_changed(example: Path) -> None:
    warm(example)
    about = example.parent / "site_src" / "about.md"
    about.write_text(about.read_text(encoding="utf-8").replace("# ", "# Our ", 1))
    assert_same_as_full(example, NOW)


@pytest.mark.parametrize(
    "later",
    [
        pytest.param("2026-11-23T12:05:00Z", id="minutes-later-same-interval"),
        pytest.param("2026-11-23T12:31:00Z", id="promise-due-time-passed"),
        pytest.param("2026-11-23T13:01:00Z", id="maintenance-starts"),
        pytest.param("2026-11-23T14:01:00Z", id="maintenance-ends"),
        pytest.param("2026-11-23T21:01:00Z", id="postmortem-due-time-passed"),
        pytest.param("2026-11-24T00:01:00Z", id="day-boundary"),
    ],
)
def test_clock_passes_a_moment(example: Path, later: str) -> None:
    warm(example)
    assert_same_as_full(example, later)


def test_clock_within_an_interval_reuses_every_incident_page(example: Path) -> None:
    warm(example, "2026-11-23T12:01:00Z")
    # Only the dashboard's page: its uptime so far changes by the minute while it is down.
    assert len(assert_same_as_full(example, "2026-11-23T12:05:00Z")) == 1


def test_a_preview_and_a_published_build_take_nothing_of_each_other(example: Path) -> None:
    """A preview's links name index.html and its pages carry a banner: built after a
    published build with the same cache (and back), it is what a full preview build is."""
    warm(example)
    work = example.parent.parent
    build(example, work / "preview", NOW, True, "--preview")
    build(example, work / "preview-full", NOW, False, "--preview")
    assert tree(work / "preview") == tree(work / "preview-full")
    page = work / "preview" / "incidents" / "2026-11-23-dashboard-log-in-failing" / "index.html"
    assert b"cd-preview" in page.read_bytes()
    assert_same_as_full(example, NOW)


def test_deleted_cache_gives_the_same_site(example: Path) -> None:
    warm(example)
    shutil.rmtree(example.parent / cache.DEFAULT_DIR)
    assert assert_same_as_full(example, NOW)


def test_cache_keeps_only_what_the_last_build_used(
    example: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cache, "PRUNE_AFTER", 0.0)
    warm(example)
    count = len(entries(example))
    for hour in ("13", "14", "15"):
        build(example, example.parent.parent / "later", f"2026-11-23T{hour}:30:00Z")
    assert len(entries(example)) == count


def test_cache_leaves_what_another_build_just_used(example: Path) -> None:
    """`candor serve` and `candor build` at once: neither prunes what the other is using."""
    warm(example)
    other = example.parent / cache.DEFAULT_DIR / "entries" / ("0" * 64)
    other.write_bytes(b"another build's page")
    build(example, example.parent.parent / "again", NOW)
    assert other.is_file()
    old = time.time() - 2 * cache.PRUNE_AFTER
    os.utime(other, (old, old))
    build(example, example.parent.parent / "again", NOW)
    assert not other.exists()


def test_cache_off_and_moved(
    example: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert cache.cache_dir(example, {cache.CACHE_ENV: "off"}) is None
    moved = tmp_path / "elsewhere"
    assert cache.cache_dir(example, {cache.CACHE_DIR_ENV: str(moved)}) == moved
    assert cache.cache_dir(example, {}) == example.parent / ".candor-cache"
    build(example, tmp_path / "off", NOW, cached=False)
    assert not (example.parent / cache.DEFAULT_DIR).exists()


def test_long_history_with_pages_for_earlier_years(tmp_path: Path) -> None:
    """Past 100 events, earlier years get pages of their own, kept like incident pages: one
    changed incident renders its year's page again, and the search index stays whole."""
    spec = importlib.util.spec_from_file_location("synth", ROOT / "scripts" / "synth.py")
    assert spec and spec.loader
    synth = importlib.util.module_from_spec(spec)
    sys.modules["synth"] = synth  # dataclasses look their module up while being defined
    spec.loader.exec_module(synth)
    now = "2026-12-01T12:00:00Z"
    files = synth.generate(tmp_path / "site", 150, seed=3, now=now)
    config = tmp_path / "site" / "mkdocs.yml"
    warm(config, now)
    assert (tmp_path / "incremental" / "history" / "2025" / "index.html").is_file()
    assert assert_same_as_full(config, now) == set()
    oldest = sorted(files)[0]
    assert oldest.name.startswith("2024") or oldest.name.startswith("2025")
    text = oldest.read_text(encoding="utf-8")
    oldest.write_text(text.replace("title: ", "title: Earlier, ", 1), encoding="utf-8")
    added = assert_same_as_full(config, now)
    # Its page, its feed, its postmortem if any, its components' pages, its year's page.
    assert 4 <= len(added) <= 8
    year = oldest.name[:4]
    shown = (tmp_path / "incremental" / "history" / year / "index.html").read_text()
    assert "Earlier, " in shown


def test_unusable_cache_folder_only_makes_the_build_slower(example: Path, tmp_path: Path) -> None:
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the cache would go")
    env = {cache.CACHE_DIR_ENV: str(blocked)}
    out = tmp_path / "out"
    result = CliRunner().invoke(
        main, ["build", "--config", str(example), "--out", str(out), "--now", NOW], env=env
    )
    assert result.exit_code == 0, result.output
    build(example, tmp_path / "full", NOW, cached=False)
    assert tree(out) == tree(tmp_path / "full")


def test_a_second_build_in_one_process_takes_its_own_now(
    example: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """mkdocs keeps the plugin between builds in one process: `--now` of one build must not
    become the next one's."""
    build(example, example.parent.parent / "first", NOW)
    monkeypatch.setenv("CANDOR_NOW", "2026-11-22T12:00:00Z")  # before the open incident began
    result = CliRunner().invoke(
        main, ["build", "--config", str(example), "--out", str(example.parent.parent / "second")]
    )
    assert result.exit_code != 0
    assert "future-update" in result.output


def _rows(data: bytes) -> dict[tuple[str, str], str] | None:
    """The rows an entry holds, when it is the entry of the incident lists' rows."""
    try:
        found = pickle.loads(data)
    except Exception:
        return None
    if isinstance(found, dict) and found and all(type(k) is tuple for k in found):
        return found
    return None


def _rows_entry(config: Path) -> Path:
    """The entry holding the rows of the incident lists (the one pickled mapping of rows)."""
    folder = config.parent / cache.DEFAULT_DIR / "entries"
    found = [p for p in folder.iterdir() if _rows(p.read_bytes()) is not None]
    assert len(found) == 1, found
    return found[0]


def test_the_lists_take_each_unchanged_incidents_row_from_the_last_build(example: Path) -> None:
    warm(example)
    entry = _rows_entry(example)
    rows = _rows(entry.read_bytes())
    assert rows and all(len(k) == 2 and isinstance(html, str) for k, html in rows.items())
    marked = {k: html.replace("</li>", "<!-- kept --></li>") for k, html in rows.items()}
    entry.write_bytes(pickle.dumps(marked))
    out = example.parent.parent / "again"
    build(example, out, NOW)
    assert "<!-- kept -->" in (out / "history" / "index.html").read_text(encoding="utf-8")


def test_damaged_rows_are_made_again(example: Path) -> None:
    warm(example)
    entry = _rows_entry(example)
    entry.write_bytes(pickle.dumps({("not", "a row"): 3, "x": 1}))
    assert_same_as_full(example, NOW)
