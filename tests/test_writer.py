"""The swap of a finished build, and the work files killed runs leave: the output path always
holds a whole site, and leftovers go on the next run, never a live run's."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from candor_sites import make_site
from click.testing import CliRunner

from generator.authoring import edit
from generator.cli import main
from generator.core import workfiles
from generator.core.errors import CandorError
from generator.outputs import writer
from generator.outputs.writer import write_artifacts

INCIDENT = """\
title: API errors
impact: major
components: [api]
updates:
  - at: 2026-11-20T09:14:00Z
    status: investigating
    message: We are sorry, the API fails. We are looking into it.
"""


def _site(folder: Path, marker: str) -> Path:
    folder.mkdir()
    (folder / "index.html").write_text(marker, encoding="utf-8")
    (folder / "deep").mkdir()
    (folder / "deep" / "page.html").write_text(marker, encoding="utf-8")
    return folder


def test_the_exchange_is_atomic_on_this_system(tmp_path: Path) -> None:
    a, b = _site(tmp_path / "a", "A"), _site(tmp_path / "b", "B")
    if not sys.platform.startswith("linux"):
        pytest.skip("RENAME_EXCHANGE is Linux's; other systems fall back to two renames")
    assert writer.exchange(a, b)
    assert (a / "index.html").read_text() == "B" and (b / "index.html").read_text() == "A"


@pytest.mark.parametrize("atomic", [True, False])
def test_swap_replaces_the_site_and_leaves_nothing_beside_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, atomic: bool
) -> None:
    if not atomic:
        monkeypatch.setattr(writer, "exchange", lambda a, b: False)
    target = _site(tmp_path / "site", "old")
    staging = _site(tmp_path / ".site.site.abcdefgh", "new")
    writer.swap(staging, target)
    assert (target / "index.html").read_text() == "new"
    assert (target / "deep" / "page.html").read_text() == "new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_there_is_never_a_moment_without_a_site(tmp_path: Path) -> None:
    if not sys.platform.startswith("linux"):
        pytest.skip("only the exchange closes the gap")
    target = _site(tmp_path / "site", "0")
    missing: list[int] = []
    done = threading.Event()

    def watch() -> None:
        while not done.is_set():
            if not os.path.exists(target / "index.html"):
                missing.append(1)

    watcher = threading.Thread(target=watch)
    watcher.start()
    try:
        for n in range(1, 300):
            staging = _site(tmp_path / f".site.site.{n:08d}", str(n))
            writer.swap(staging, target)
    finally:
        done.set()
        watcher.join()
    assert missing == []
    assert (target / "index.html").read_text() == "299"


def test_stale_staging_goes_and_a_live_one_stays(tmp_path: Path) -> None:
    target = tmp_path / "site"
    stale = _site(tmp_path / ".site.site.dead0001", "killed")
    old = _site(tmp_path / ".site.site.old.dead0002", "killed")
    live = workfiles.new_folder(tmp_path, writer.staging_prefix(target))
    other = _site(tmp_path / ".site.public.dead0003", "another output's")
    mine = _site(tmp_path / ".site.site.notours", "not a name Candor makes")
    try:
        removed = writer.clean_stale_staging(target)
        assert sorted(removed) == sorted([stale, old])
        assert live.path.is_dir() and other.is_dir() and mine.is_dir()
    finally:
        live.release()
    assert writer.clean_stale_staging(target) == [live.path]


def test_a_live_staging_folder_of_another_process_stays(tmp_path: Path) -> None:
    """The lock is the kernel's: a folder another process holds is never removed."""
    target = tmp_path / "site"
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from pathlib import Path; "
            "from generator.core import workfiles; "
            f"w = workfiles.new_folder(Path({str(tmp_path)!r}), '.site.site.'); "
            "print(w.path, flush=True); time.sleep(60)",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None
        live = Path(holder.stdout.readline().strip())
        assert writer.clean_stale_staging(target) == []
        assert live.is_dir()
    finally:
        holder.kill()
        holder.wait()
    assert writer.clean_stale_staging(target) == [live]


def test_stale_edit_temporaries_go_and_a_live_one_stays(tmp_path: Path) -> None:
    killed = [
        tmp_path / ".candor.abcd1234.tmp",
        tmp_path / ".2026-11-20-api-errors.yaml.k1ll3d__.tmp",  # an earlier version's name
    ]
    for path in killed:
        path.write_bytes(b"half")
    keep = [tmp_path / "2026-11-20-api-errors.yaml", tmp_path / ".notes.tmp"]
    for path in keep:
        path.write_bytes(b"data")
    live = workfiles.new_file(tmp_path, edit.TEMP_PREFIX, edit.TEMP_SUFFIX)
    try:
        assert sorted(edit.clean_stale_temps(tmp_path)) == sorted(killed)
        assert live.path.exists() and all(p.exists() for p in keep)
    finally:
        live.release()


def test_a_250_character_id_can_be_updated(tmp_path: Path) -> None:
    ident = "2026-11-20-" + "a" * 239
    assert len(ident) == 250 and len(f"{ident}.yaml") == 255
    config = make_site(tmp_path, {f"{ident}.yaml": INCIDENT})
    before = (tmp_path / "incidents" / f"{ident}.yaml").read_bytes()
    result = CliRunner().invoke(
        main,
        [
            "update",
            ident,
            "--status",
            "identified",
            "--message",
            "A bad deploy; we are rolling it back.",
            "--config",
            str(config),
            "--now",
            "2026-11-20T09:30Z",
        ],
    )
    assert result.exit_code == 0, result.output
    after = (tmp_path / "incidents" / f"{ident}.yaml").read_bytes()
    assert after.startswith(before) and b"status: identified" in after[len(before) :]
    assert sorted(p.name for p in (tmp_path / "incidents").iterdir()) == [f"{ident}.yaml"]


def test_a_build_removes_what_a_killed_build_left(tmp_path: Path) -> None:
    config = make_site(tmp_path, {"2026-11-20-api-errors.yaml": INCIDENT})
    out = tmp_path / "site"
    stale = _site(tmp_path / ".site.site.k1lled00", "half a build")
    long_ago = time.time() - 10
    os.utime(stale, (long_ago, long_ago))
    result = CliRunner().invoke(
        main, ["build", "--config", str(config), "--out", str(out), "--now", "2026-11-21T00:00Z"]
    )
    assert result.exit_code == 0, result.output
    assert not stale.exists()
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".site.")) == []


def test_an_output_folder_with_the_longest_name_builds_and_swaps(tmp_path: Path) -> None:
    config = make_site(tmp_path, {"2026-11-20-api-errors.yaml": INCIDENT})
    out = tmp_path / ("s" * 255)
    for _ in range(2):  # the first build makes the folder, the second swaps it
        result = CliRunner().invoke(
            main,
            ["build", "--config", str(config), "--out", str(out), "--now", "2026-11-21T00:00Z"],
        )
        assert result.exit_code == 0, result.output
        assert (out / "index.html").is_file()
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".site.")) == []


def test_artifacts_given_one_at_a_time_are_written_as_they_come(tmp_path: Path) -> None:
    written: list[bool] = []

    def pairs() -> Iterator[tuple[str, bytes]]:
        yield "a/feed.atom", b"one"
        written.append((tmp_path / "a" / "feed.atom").read_bytes() == b"one")
        yield "b.json", b"two"

    write_artifacts(tmp_path, pairs())
    assert written == [True]
    assert (tmp_path / "b.json").read_bytes() == b"two"
    with pytest.raises(CandorError, match="outside the site folder"):
        write_artifacts(tmp_path, iter([("../escape.txt", b"x")]))
