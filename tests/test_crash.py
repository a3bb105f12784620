"""kill -9 at random moments: a build never leaves the output broken or missing, an update
never leaves the incident file half-written, and the next run removes what was left.

Each run is a real `candor` process, killed after a random delay drawn over its own measured
duration (biased towards the end, where the swap and the rename happen). The number of kills
per test is `CANDOR_CRASH_RUNS` (default 20)."""

from __future__ import annotations

import hashlib
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from candor_sites import make_site

CANDOR = str(Path(sys.executable).parent / "candor")
RUNS = int(os.environ.get("CANDOR_CRASH_RUNS", "20"))
NOW = "2026-11-20T10:00Z"
INCIDENT = """\
title: API errors
impact: major
components: [api]
updates:
  - at: 2026-11-20T09:14:00Z
    status: investigating
    message: We are sorry, the API fails. We are looking into it.
    next_update: 30m
"""
UPDATE = [
    "update",
    "api-errors",
    "--status",
    "identified",
    "--message",
    "A bad deploy; we are rolling it back.",
    "--at",
    "2026-11-20T09:40Z",
]


def snapshot(folder: Path) -> dict[str, str]:
    """Every file under `folder` by its relative path, as a hash of its bytes."""
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def run(config: Path, *args: str) -> float:
    started = time.monotonic()
    done = subprocess.run(
        [CANDOR, *args, "--config", str(config), "--now", NOW],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return time.monotonic() - started


def kill_after(config: Path, delay: float, *args: str) -> None:
    process = subprocess.Popen(
        [CANDOR, *args, "--config", str(config), "--now", NOW],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    time.sleep(delay)
    if process.poll() is None:
        os.kill(process.pid, signal.SIGKILL)
    process.wait()


def leftovers(folder: Path, keep: set[str]) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name not in keep)


@pytest.mark.slow
def test_a_killed_build_leaves_the_previous_or_the_new_site(tmp_path: Path) -> None:
    config = make_site(tmp_path, {"2026-11-20-api-errors.yaml": INCIDENT})
    with config.open("a", encoding="utf-8") as handle:
        handle.write("theme:\n  name: material\n")  # mkdocs' own theme stamps the clock
    out = tmp_path / "site"
    run(config, "build", "--out", str(out))
    old = snapshot(out)
    keep_old = tmp_path / "old-copy"
    shutil.copytree(out, keep_old)
    # The new input: one more update, so the new site differs from the old one.
    incident = tmp_path / "incidents" / "2026-11-20-api-errors.yaml"
    run(config, *UPDATE)
    reference = tmp_path / "reference"
    duration = run(config, "build", "--out", str(reference))
    new = snapshot(reference)
    shutil.rmtree(reference)
    assert new != old
    rng = random.Random(14)
    outcomes = {"old": 0, "new": 0}
    for _ in range(RUNS):
        kill_after(config, rng.uniform(0.3, 1.1) * duration, "build", "--out", str(out))
        found = snapshot(out)
        assert found in (old, new), "the output is neither the old site nor the new one"
        if found == new:
            outcomes["new"] += 1
            shutil.rmtree(out)
            shutil.copytree(keep_old, out)  # back to the old site for the next kill
        else:
            outcomes["old"] += 1
    assert incident.is_file()
    run(config, "build", "--out", str(out))
    assert snapshot(out) == new
    keep = {"site", "old-copy", "incidents", "mkdocs.yml", "docs", ".candor-cache"}
    assert leftovers(tmp_path, keep) == []
    # The build cache keeps what the last build used, and no half-written entry.
    entries = list((tmp_path / ".candor-cache" / "entries").iterdir())
    assert entries
    assert [e.name for e in entries if e.name.startswith(".")] == []
    # Kills landed both before and after the swap (so the test did test something).
    assert outcomes["old"] > 0, outcomes


@pytest.mark.slow
def test_a_killed_update_leaves_the_file_whole(tmp_path: Path) -> None:
    config = make_site(tmp_path, {"2026-11-20-api-errors.yaml": INCIDENT})
    incident = tmp_path / "incidents" / "2026-11-20-api-errors.yaml"
    old = incident.read_bytes()
    duration = run(config, *UPDATE)
    new = incident.read_bytes()
    assert new.startswith(old) and new != old
    incident.write_bytes(old)
    rng = random.Random(14)
    outcomes = {"old": 0, "new": 0}
    for _ in range(RUNS):
        kill_after(config, rng.uniform(0.5, 1.1) * duration, *UPDATE)
        found = incident.read_bytes()
        assert found in (old, new), "the file is neither the old one nor the complete new one"
        outcomes["old" if found == old else "new"] += 1
        if found == new:
            incident.write_bytes(old)
    run(config, *UPDATE)
    assert incident.read_bytes() == new
    assert leftovers(incident.parent, {incident.name}) == []
    assert outcomes["old"] > 0, outcomes
