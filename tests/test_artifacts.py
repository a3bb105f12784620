"""A plain `mkdocs build` of the example site publishes every feed, API document, the
calendar and the badge at the paths SPEC §6 names, each one valid for its readers."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import feedparser
import pytest
import yaml
from test_api import ENDPOINTS, validate

from generator.core.project import load_project
from generator.outputs.artifacts import build_artifacts

ROOT = Path(__file__).resolve().parent.parent
NOW = "2026-11-23T12:00Z"
SPEC_PATHS = [
    "history.rss",
    "history.atom",
    "maintenance.ics",
    "badge.svg",
    *ENDPOINTS,
]


def _mkdocs_build(config: Path, out: Path) -> None:
    mkdocs = Path(sys.executable).parent / "mkdocs"
    env = {**os.environ, "CANDOR_NOW": NOW}
    run = subprocess.run(
        [str(mkdocs), "build", "--quiet", "-f", str(config), "-d", str(out)],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert run.returncode == 0, run.stdout + run.stderr


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    project = tmp_path_factory.mktemp("example")
    shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    for name in ("incidents", "site_src", "theme"):
        shutil.copytree(ROOT / name, project / name)
    out = project / "built"
    _mkdocs_build(project / "mkdocs.yml", out)
    return project / "mkdocs.yml", out


def _component_ids(config: Path) -> list[str]:
    data = yaml.safe_load(config.read_text(encoding="utf-8"))
    section = next(p["candor"] for p in data["plugins"] if isinstance(p, dict) and "candor" in p)
    return [c["id"] for c in section["components"]]


def test_every_spec_artifact_is_published(example: tuple[Path, Path]) -> None:
    config, out = example
    components = _component_ids(config)
    assert len(components) == 9
    for path in SPEC_PATHS + [f"components/{c}/history.atom" for c in components]:
        assert (out / path).is_file(), path


def test_published_files_are_what_build_artifacts_makes(example: tuple[Path, Path]) -> None:
    config, out = example
    project = load_project(config, NOW)
    for path, data in build_artifacts(project.settings, project.state()).items():
        assert (out / path).read_bytes() == data, path


def test_api_documents_are_valid_against_the_schemas(example: tuple[Path, Path]) -> None:
    _, out = example
    for path in ENDPOINTS:
        validate(path, json.loads((out / path).read_text(encoding="utf-8")))
    summary = json.loads((out / "api/v2/summary.json").read_text(encoding="utf-8"))
    assert summary["status"] == {"indicator": "none", "description": "All Systems Operational"}
    assert summary["page"]["url"] == "https://status.northwind.example"
    incidents = json.loads((out / "api/v2/incidents.json").read_text(encoding="utf-8"))
    assert len(incidents["incidents"]) == 12


def test_feeds_calendar_and_badge_parse(example: tuple[Path, Path]) -> None:
    config, out = example
    for path in ["history.rss", "history.atom"] + [
        f"components/{c}/history.atom" for c in _component_ids(config)
    ]:
        feed = feedparser.parse((out / path).read_bytes())
        assert not feed.bozo, (path, feed.get("bozo_exception"))
    assert len(feedparser.parse((out / "history.atom").read_bytes()).entries) == 50
    ics = (out / "maintenance.ics").read_bytes()
    assert ics.count(b"BEGIN:VEVENT") == 2
    assert ics.count(b"\n") == ics.count(b"\r\n")
    badge = ET.fromstring((out / "badge.svg").read_bytes())
    assert badge.find("{http://www.w3.org/2000/svg}title") is not None
