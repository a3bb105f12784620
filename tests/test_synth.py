"""The benchmark's synthetic history: realistic, deterministic, and clean under `--strict`."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType

import pytest
from click.testing import CliRunner

from generator.cli import main
from generator.core.project import load_project

ROOT = Path(__file__).resolve().parent.parent
NOW = "2026-12-01T12:00:00Z"
COUNT = 200


def _synth() -> ModuleType:
    spec = importlib.util.spec_from_file_location("synth", ROOT / "scripts" / "synth.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["synth"] = module  # dataclasses look their module up while being defined
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def history(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("synth")
    _synth().generate(out, COUNT, seed=7, now=NOW)
    return out


def test_history_passes_strict_check(history: Path) -> None:
    config = str(history / "mkdocs.yml")
    result = CliRunner().invoke(
        main, ["check", "--strict", "--format", "json", "--config", config, "--now", NOW]
    )
    report = json.loads(result.output)
    # The history keeps the example's mkdocs.yml, and so its example address (a warning that
    # --strict makes an error): nothing else.
    assert [p["rule"] for p in report["problems"]] == ["example-site-url"]
    assert report["files"] == COUNT
    assert result.exit_code == 1 and report["errors"] == 1


def test_history_is_realistic(history: Path) -> None:
    project = load_project(history / "mkdocs.yml", NOW)
    events = project.events
    assert len(events) == COUNT
    incidents = [e for e in events if not e.is_maintenance]
    maintenance = [e for e in events if e.is_maintenance]
    assert all(2 <= len(e.updates) <= 20 for e in events)
    assert max(len(e.updates) for e in events) >= 10  # some long incidents, not all short
    assert 0.12 <= sum(e.postmortem is not None for e in incidents) / len(incidents) <= 0.32
    assert any(isinstance(e.postmortem and e.postmortem.prevention, list) for e in incidents)
    assert any(isinstance(e.postmortem and e.postmortem.prevention, str) for e in incidents)
    assert 5 <= len(maintenance) <= 40
    assert len({c for e in events for c in e.affected}) >= 5
    years = {e.updates[0].at.year for e in events}
    assert len(years) >= 2
    assert max(u.at for e in events for u in e.updates) < project.now
    state = project.state()
    assert state.indicator == "none"
    assert not state.open_incidents and not state.active_maintenance
    assert (history / "site_src" / "about.md").is_file()


def test_same_seed_same_bytes(tmp_path: Path) -> None:
    synth = _synth()
    first = synth.generate(tmp_path / "a", 30, seed=11, now=NOW)
    second = synth.generate(tmp_path / "b", 30, seed=11, now=NOW)
    other = synth.generate(tmp_path / "c", 30, seed=12, now=NOW)
    assert [p.name for p in first] == [p.name for p in second]
    assert all(a.read_bytes() == b.read_bytes() for a, b in zip(first, second, strict=True))
    assert [p.read_bytes() for p in first] != [p.read_bytes() for p in other]
