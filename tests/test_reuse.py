"""What a build keeps of an earlier output (generator/plugin/reuse.py): `serve`'s folder and
`candor build`'s spare. Files that come out the same are not written again, and the output
is the same, byte for byte, as a build from an empty folder, whatever the spare held."""

from __future__ import annotations

import os
import pickle
import shutil
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner
from test_incremental import NOW, example_site, tree

from generator.cli import main
from generator.core.cache import CACHE_DIR_ENV, CACHE_ENV, DEFAULT_DIR
from generator.outputs import urls
from generator.outputs.digest import FileSum, file_sums, site_digest
from generator.plugin import reuse
from generator.plugin.reuse import Record, Reuse, Spare

# --- moving the previous build aside ----------------------------------------------------------


def test_the_previous_build_leaves_the_folder_at_once_and_is_removed_after(tmp_path: Path) -> None:
    site = tmp_path / "site"
    for n in range(50):
        page = site / "incidents" / f"i-{n}" / "index.html"
        page.parent.mkdir(parents=True)
        page.write_text("old", encoding="utf-8")
    (site / "index.html").write_text("home", encoding="utf-8")

    remover = reuse.clear_aside(site)

    assert remover is not None
    assert list(site.iterdir()) == []  # empty before the thread has removed anything
    remover.join(timeout=60)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_an_empty_or_missing_folder_has_nothing_to_move(tmp_path: Path) -> None:
    (tmp_path / "site").mkdir()
    assert reuse.clear_aside(tmp_path / "site") is None
    assert reuse.clear_aside(tmp_path / "missing") is None
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_what_a_killed_serve_moved_aside_goes_with_the_next_rebuild(tmp_path: Path) -> None:
    left = tmp_path / f"{reuse.OLD_PREFIX}abcd1234"  # nobody holds its lock
    (left / "incidents").mkdir(parents=True)
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("home", encoding="utf-8")
    remover = reuse.clear_aside(site)
    assert remover is not None
    remover.join(timeout=60)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


# --- what the last build wrote ----------------------------------------------------------------

PAGE_A = "incidents/a/index.html"
PAGE_B = "incidents/b/index.html"


def write(site: Path, rel: str, text: str) -> None:
    path = site / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def built_once(site: Path) -> Reuse:
    """A build that wrote one page (`PAGE_A`, fingerprint "f") into the empty `site`."""
    site.mkdir()
    kept = Reuse()
    assert kept.begin(site, "key") is None  # nothing to move aside
    assert not kept.quick
    write(site, PAGE_A, "a")
    assert not kept.page_unchanged(PAGE_A, "f")
    kept.finish()
    return kept


def assert_emptied(remover: threading.Thread | None, site: Path) -> None:
    assert remover is not None
    remover.join(timeout=60)
    assert list(site.iterdir()) == []


def test_after_a_failed_rebuild_the_next_one_is_whole(tmp_path: Path) -> None:
    site = tmp_path / "site"
    kept = built_once(site)
    kept.begin(site, "key")
    assert kept.quick and kept.page_unchanged(PAGE_A, "f")
    kept.forget()
    remover = kept.begin(site, "key")
    assert not kept.quick
    assert_emptied(remover, site)


def test_another_site_key_makes_the_build_whole(tmp_path: Path) -> None:
    site = tmp_path / "site"
    kept = built_once(site)
    remover = kept.begin(site, "another key")
    assert not kept.quick and not kept.page_unchanged(PAGE_A, "f")
    assert_emptied(remover, site)


def test_what_the_last_build_wrote_and_this_one_did_not_is_removed(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    kept = Reuse()
    kept.begin(site, "key")
    for rel, name in ((PAGE_A, "a"), (PAGE_B, "b")):
        write(site, rel, name)
        kept.page_unchanged(rel, name)
    write(site, "feed.xml", "feed")
    kept.artifact_unchanged("feed.xml", b"feed")
    kept.finish()

    kept.begin(site, "key")
    assert kept.page_unchanged(PAGE_A, "a")
    assert not kept.page_unchanged(PAGE_B, "changed")
    kept.finish()
    assert (site / PAGE_B).is_file()
    assert not (site / "feed.xml").exists()

    kept.begin(site, "key")
    kept.page_unchanged(PAGE_B, "changed")
    kept.finish()
    assert sorted(p.name for p in (site / "incidents").iterdir()) == ["b"]


def test_a_tree_keeps_only_the_files_its_record_describes(tmp_path: Path) -> None:
    site = tmp_path / "site"
    for rel in (PAGE_A, PAGE_B, "feed.xml", "extra/CNAME"):
        write(site, rel, rel)
    record = Record("key", {PAGE_A: "a", PAGE_B: "b"}, {}, file_sums(site))
    write(site, PAGE_B, "edited by hand")  # another file now, whatever its size
    write(site, "new/page.html", "not the build's")
    (site / "link.html").symlink_to(site / PAGE_A)
    (site / "extra" / "CNAME").unlink()

    kept = Reuse()
    kept.start_from(record, site)

    assert sorted(tree(site)) == ["feed.xml", PAGE_A]
    assert not (site / "new").exists() and not (site / "extra").exists()
    kept.begin(site, "key")
    assert kept.quick
    assert kept.page_unchanged(PAGE_A, "a")
    assert not kept.page_unchanged(PAGE_B, "b")  # gone: written again


def test_the_files_found_as_recorded_are_not_looked_for_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = tmp_path / "site"
    for rel in (PAGE_A, PAGE_B):
        write(site, rel, rel)
    record = Record("key", {PAGE_A: "a", PAGE_B: "b"}, {}, file_sums(site))
    write(site, PAGE_B, "edited by hand")
    kept = Reuse()
    kept.start_from(record, site)
    kept.begin(site, "key")
    asked: list[str] = []
    real_isfile = os.path.isfile
    monkeypatch.setattr(os.path, "isfile", lambda path: asked.append(path) or real_isfile(path))

    assert kept.page_unchanged(PAGE_A, "a")
    assert asked == []  # start_from saw it, and a dirty build removes nothing
    write(site, PAGE_B, "b")  # written by this build, after start_from
    assert kept.page_unchanged(PAGE_B, "b")
    assert asked == [os.path.join(site, PAGE_B)]
    kept.finish()
    kept.begin(site, "key")
    (site / PAGE_A).unlink()
    assert not kept.page_unchanged(PAGE_A, "a")  # the next build asks again


def test_a_record_keeps_its_files_through_the_cache() -> None:
    site_sums = {PAGE_A: FileSum(3, 1_700_000_000_123_456_789, 42, bytes(range(32)))}
    record = Record("key", {PAGE_A: "a"}, {"feed.xml": b"digest"}, site_sums)
    again = pickle.loads(pickle.dumps(record, pickle.HIGHEST_PROTOCOL))
    assert again == record
    assert all(type(held) is FileSum for held in again.files.values())


# --- `candor build` starts from the site it last replaced -------------------------------------


def build(config: Path, out: Path, now: str = NOW, cached: bool = True) -> None:
    env = {CACHE_ENV: "on" if cached else "off", CACHE_DIR_ENV: ""}
    args = ["build", "--config", str(config), "--out", str(out), "--now", now]
    result = CliRunner().invoke(main, args, env=env)
    assert result.exit_code == 0, result.output


def spare_of(config: Path, out: Path) -> Path:
    return Spare(config.parent / DEFAULT_DIR, out.absolute()).folder


def identities(folder: Path) -> dict[str, tuple[int, int]]:
    """Each file's inode and time: a file written again (even in place) has another."""
    stats = {rel: os.stat(folder / rel) for rel in tree(folder)}
    return {rel: (stat.st_ino, stat.st_mtime_ns) for rel, stat in stats.items()}


@pytest.fixture
def example(tmp_path: Path) -> Path:
    return example_site(tmp_path / "site")


def assert_same_as_from_nothing(config: Path, out: Path, now: str = NOW) -> None:
    fresh = config.parent.parent / "fresh"
    build(config, fresh, now, cached=False)
    got, want = tree(out), tree(fresh)
    assert sorted(got) == sorted(want)
    assert [rel for rel in want if got[rel] != want[rel]] == []
    shutil.rmtree(fresh)


def test_the_replaced_site_is_the_spare_and_the_next_build_keeps_its_unchanged_files(
    example: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    build(example, out)
    first = identities(out)
    assert not spare_of(example, out).exists()  # nothing was replaced
    build(example, out)
    assert identities(spare_of(example, out)) == first  # the first build's files, moved

    edited = example.parent / "incidents" / "2026-11-22-object-storage-write-errors.yaml"
    text = edited.read_text(encoding="utf-8")
    edited.write_text(text.replace("write errors", "write failures"), encoding="utf-8")
    build(example, out)

    now = identities(out)
    kept = {rel for rel in now if first.get(rel) == now[rel]}
    # The incident's page and feed, and what lists it, are written again; another incident's
    # page and the theme's files are the first build's own.
    for rel in ("incidents/2026-11-22-object-storage-write-errors/index.html", "history.atom"):
        assert rel not in kept and rel in now
    assert "incidents/2026-01-14-slow-dashboard/index.html" in kept
    assert "assets/stylesheets/candor.css" in kept
    assert len(kept) > len(now) / 2
    assert_same_as_from_nothing(example, out)
    assert (out / urls.DIGEST).read_text(encoding="ascii") == site_digest(out) + "\n"


def test_whatever_happened_to_the_spare_the_build_is_the_same(
    example: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    for _ in range(2):
        build(example, out)
    spare = spare_of(example, out)
    page = spare / "incidents" / "2026-01-14-slow-dashboard" / "index.html"
    page.write_text("edited", encoding="utf-8")
    (spare / "CNAME").write_text("status.example.com", encoding="utf-8")
    (spare / "history.atom").unlink()
    shutil.rmtree(spare / "assets" / "stylesheets")
    build(example, out)
    assert_same_as_from_nothing(example, out)


def test_a_damaged_record_makes_a_whole_build(example: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    for _ in range(2):
        build(example, out)
    spare = Spare(example.parent / DEFAULT_DIR, out.absolute())
    entry = example.parent / DEFAULT_DIR / "entries" / spare.key
    entry.write_bytes(b"not a record")
    page = spare.folder / "incidents" / "2026-01-14-slow-dashboard" / "index.html"
    before = page.stat().st_mtime_ns
    build(example, out)
    assert_same_as_from_nothing(example, out)
    after = out / "incidents" / "2026-01-14-slow-dashboard" / "index.html"
    assert after.stat().st_mtime_ns != before  # nothing was taken on trust
    (form, _output, _spare) = pickle.loads(entry.read_bytes())
    assert form == reuse.RECORD_FORMAT


def test_a_changed_setting_starts_from_an_empty_folder(example: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    for _ in range(2):
        build(example, out)
    text = example.read_text(encoding="utf-8")
    example.write_text(text.replace("site_name: ", "site_name: New "), encoding="utf-8")
    build(example, out)
    assert_same_as_from_nothing(example, out)


def test_without_the_cache_there_is_no_spare(example: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    for _ in range(2):
        build(example, out, cached=False)
    assert not (example.parent / DEFAULT_DIR).exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "site"]


def test_a_failed_build_loses_the_spare_and_leaves_the_site(example: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    for _ in range(2):
        build(example, out)
    before = tree(out)
    broken = example.parent / "incidents" / "2026-11-23-dashboard-log-in-failing.yaml"
    broken.write_text("title: [unclosed\n", encoding="utf-8")
    result = CliRunner().invoke(
        main,
        ["build", "--config", str(example), "--out", str(out), "--now", NOW],
        env={CACHE_ENV: "on", CACHE_DIR_ENV: ""},
    )
    assert result.exit_code != 0
    assert tree(out) == before
    assert not spare_of(example, out).exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "site"]


def test_the_spares_of_outputs_not_built_for_a_week_go(example: Path, tmp_path: Path) -> None:
    old, out = tmp_path / "old", tmp_path / "out"
    for target in (old, old, out):
        build(example, target)
    spare = spare_of(example, old)
    assert spare.is_dir()
    week_ago = spare.stat().st_mtime - reuse.SPARE_KEPT - 60
    os.utime(spare, (week_ago, week_ago))
    build(example, out)  # puts `out`'s first site aside
    assert not spare.exists()
    assert spare_of(example, out).is_dir()
