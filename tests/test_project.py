"""`check_project`: the problems `load_project` finds, in one process or in two."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import pytest
from candor_sites import make_site

from generator.core import project
from generator.core.project import check_project, load_project

GOOD = """\
title: Slow API
impact: minor
components: [api]
updates:
  - at: 2026-11-20T09:00Z
    status: investigating
    message: Slow.
    next_update: 30m
  - at: 2026-11-20T10:00Z
    status: resolved
    message: Fine again.
"""
FILES: dict[str, str | bytes] = {
    "a-good.yaml": GOOD,
    "b-future.yaml": GOOD.replace("2026-11-20T10:00Z", "2027-01-01T00:00Z"),
    "c-placeholder.yaml": GOOD.replace("Slow.", "TODO <customer name> [[say sorry]]"),
    "d-unsafe.yaml": GOOD.replace("Slow.", '"<script>x</script> \\x3ciframe"'),
    "e-syntax.yaml": "title: [unclosed\n",
    "f-dup.yaml": GOOD,
    "f-dup.yml": "title: x\n  bad: indent\n",
    "g-unknown.yaml": GOOD.replace("[api]", "[apii]") + "extra: 1\n",
    "h-anchor.yaml": GOOD.replace("impact: minor", "impact: &i minor"),
    "Bad Name.yaml": GOOD,
    "i-empty.yaml": "# nothing\n\n",
    "j-bytes.yaml": b"title: \xff\n",
}


@pytest.mark.parametrize(("parallel_from", "chunk"), [(10_000, 50), (1, 50), (1, 1), (1, 5)])
def test_same_problems_as_load_project(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, parallel_from: int, chunk: int
) -> None:
    config = make_site(tmp_path, FILES)
    monkeypatch.setattr(project, "PARALLEL_FROM", parallel_from)
    monkeypatch.setattr(project, "CHUNK", chunk)
    checked = check_project(config, "2026-12-01T00:00Z")
    loaded = load_project(config, "2026-12-01T00:00Z")
    assert checked.count == len(loaded.files) == len(FILES)
    assert checked.problems == loaded.problems
    rules = {p.rule for p in checked.problems}
    assert {"future-update", "placeholder", "unsafe-html", "duplicate-id", "anchor"} <= rules
    assert [p.as_error() for p in checked.problems] == checked.strict().problems


def test_without_a_second_core_it_stays_in_one_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = make_site(tmp_path, FILES)
    monkeypatch.setattr(project, "PARALLEL_FROM", 1)
    monkeypatch.setattr(project, "_fork_context", lambda: None)
    assert (
        check_project(config, "2026-12-01T00:00Z").problems
        == load_project(config, "2026-12-01T00:00Z").problems
    )


def test_loaded_files_keep_their_models_and_problems_but_not_their_source(tmp_path: Path) -> None:
    # A long history's source text and positions are most of what loading holds; the build
    # needs only the models once every file is checked.
    config = make_site(tmp_path, {"a-good.yaml": GOOD, "b-future.yaml": FILES["b-future.yaml"]})
    loaded = load_project(config, "2026-12-01T00:00Z")
    assert [f.id for f in loaded.files] == ["a-good", "b-future"]
    assert all(f.event is not None and f.source is None and f.data is None for f in loaded.files)
    # Found while the source was there: each at its line.
    assert "future-update" in {p.rule for p in loaded.problems}
    assert all(p.line is not None for p in loaded.problems if p.rule != "config")
    assert [e.title for e in loaded.events] == ["Slow API", "Slow API"]


def _recording(monkeypatch: pytest.MonkeyPatch, log: Path, second: str | None) -> None:
    """Each chunk's process written to `log`; the first process slowed a little, so that the
    second surely takes chunks; `second` "killed" or "raises": what the second process does
    after its first chunk."""
    first, check = os.getpid(), project._Job.check

    def recorded(job: project._Job, paths: list[Path]) -> list[project.Problem]:
        with log.open("a", encoding="utf-8") as out:
            out.write(f"{'first' if os.getpid() == first else 'second'} {len(paths)}\n")
        if os.getpid() == first:
            time.sleep(0.05)
        elif second == "killed":
            os.kill(os.getpid(), signal.SIGKILL)
        elif second == "raises":
            raise RuntimeError("the second process fails")
        return check(job, paths)

    monkeypatch.setattr(project._Job, "check", recorded)


def _checked_in_chunks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, second: str | None
) -> tuple[Path, project.Checked, Path]:
    """FILES checked in two processes, one file a chunk, each chunk taken logged."""
    config = make_site(tmp_path, FILES)
    monkeypatch.setattr(project, "PARALLEL_FROM", 1)
    monkeypatch.setattr(project, "CHUNK", 1)
    log = tmp_path / "chunks.log"
    _recording(monkeypatch, log, second)
    return config, check_project(config, "2026-12-01T00:00Z"), log


def test_both_processes_take_chunks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Whichever process is free takes the next chunk: both take some, each file once."""
    config, checked, log = _checked_in_chunks(tmp_path, monkeypatch, None)
    assert checked.problems == load_project(config, "2026-12-01T00:00Z").problems
    taken = log.read_text(encoding="utf-8").split("\n")[:-1]
    assert len(taken) == len(FILES)
    assert {line.split()[0] for line in taken} == {"first", "second"}


@pytest.mark.parametrize("second", ["killed", "raises"])
def test_a_second_process_that_fails_changes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str], second: str
) -> None:
    """The chunks it took are checked by the first process; nothing of its failure shows."""
    config, checked, log = _checked_in_chunks(tmp_path, monkeypatch, second)
    assert "second 1" in log.read_text(encoding="utf-8")
    monkeypatch.undo()
    assert checked.problems == load_project(config, "2026-12-01T00:00Z").problems
    captured = capfd.readouterr()
    assert "Traceback" not in captured.err and "fails" not in captured.err


def test_never_more_chunks_than_the_pipe_holds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A history longer than the pipe's numbers allow is cut into fewer, larger chunks."""
    config = make_site(tmp_path, FILES)
    monkeypatch.setattr(project, "PARALLEL_FROM", 1)
    monkeypatch.setattr(project, "CHUNK", 1)
    monkeypatch.setattr(project, "_MOST_CHUNKS", 4)
    log = tmp_path / "chunks.log"
    _recording(monkeypatch, log, None)
    checked = check_project(config, "2026-12-01T00:00Z")
    sizes = sorted(int(line.split()[1]) for line in log.read_text(encoding="utf-8").splitlines())
    assert sizes == [3, 3, 3, 3] and len(FILES) == 12
    monkeypatch.undo()
    assert checked.problems == load_project(config, "2026-12-01T00:00Z").problems
