"""Incident templates (generator/authoring/templates.py): `candor templates`, `candor new
--template NAME`, their validation at file:line:col, and the three the example ships."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from candor_sites import make_site
from click.testing import CliRunner

from generator.authoring.templates import load_templates
from generator.cli import main
from generator.core.config import load_settings
from generator.core.load import load_file
from generator.core.times import zone

ROOT = Path(__file__).resolve().parent.parent
NOW = "2026-11-20T10:00:00Z"

GOOD = """\
description: The website is down for everyone
title: Website unavailable
impact: critical
components: [web]
next_update: 15m
message: |
  We're sorry: since [[ when ]], our website does not load for anyone.

  We are working on it and will update you within 15 minutes.
"""


def run(config: Path, *args: str, **env: str) -> Any:
    return CliRunner().invoke(
        main, [args[0], "--config", str(config), *args[1:]], env={"CANDOR_NOW": NOW, **env}
    )


def site_with(tmp_path: Path, templates: dict[str, str], **options: Any) -> Path:
    config = make_site(tmp_path, {}, **options)
    folder = tmp_path / options.get("templates_dir", "templates")
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in templates.items():
        (folder / name).write_text(text, encoding="utf-8")
    return config


def created(config: Path, output: str) -> Any:
    path = config.parent / output.strip().splitlines()[0]
    loaded = load_file(path, path.name, zone("UTC"))
    assert loaded.event is not None, loaded.problems
    return loaded.event


def test_templates_lists_each_with_its_description(tmp_path: Path) -> None:
    config = site_with(
        tmp_path,
        {"website-down.yaml": GOOD, "slow.yml": GOOD.replace("down for", "slow for")},
    )
    result = run(config, "templates")
    assert result.exit_code == 0, result.output
    assert result.output == (
        "slow          The website is slow for everyone\n"
        "website-down  The website is down for everyone\n"
    )


def test_new_from_a_template_writes_its_title_impact_components_and_message(
    tmp_path: Path,
) -> None:
    config = site_with(tmp_path, {"website-down.yaml": GOOD})
    result = run(config, "new", "--template", "website-down")
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == "incidents/2026-11-20-website-unavailable.yaml"
    event = created(config, result.stdout)
    assert (event.title, event.impact, event.components) == (
        "Website unavailable",
        "critical",
        ["web"],
    )
    first = event.updates[0]
    # The status the impact implies is written out, not left to a default.
    assert first.components == {"web": "major_outage"}
    assert first.next_update.total_seconds() == 15 * 60
    assert first.message.startswith("We're sorry: since [[ when ]]")
    assert "Replace each [[ prompt ]]" in result.stderr
    check = run(config, "check")
    assert check.exit_code == 1
    assert re.search(r"website-unavailable\.yaml:\d+:\d+: error: .*\[\[ when \]\]", check.output)


def test_options_win_over_the_template_and_components_add_to_it(tmp_path: Path) -> None:
    config = site_with(tmp_path, {"website-down.yaml": GOOD})
    result = run(
        config, "new", "Checkout is down", "-t", "website-down", "--impact", "major",
        "-c", "api", "-c", "db=degraded", "-m", "We're sorry: checkout fails.", "--next", "30m",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    event = created(config, result.stdout)
    assert (event.title, event.impact, event.components) == (
        "Checkout is down",
        "major",
        ["web", "api", "db"],
    )
    first = event.updates[0]
    assert first.components == {
        "web": "partial_outage",
        "api": "partial_outage",
        "db": "degraded_performance",
    }
    assert first.message == "We're sorry: checkout fails.\n"
    assert first.next_update.total_seconds() == 30 * 60
    assert run(config, "check").exit_code == 0


BROKEN = [
    ("impact: critical", "impact: critcal", "3:9", "invalid-value", "did you mean `critical`?"),
    ("title: Website", "titel: Website", "2:1", "unknown-key", "did you mean `title`?"),
    ("components: [web]", "components: [wbe]", "4:14", "unknown-component", "did you mean `web`?"),
    ("next_update: 15m", "next_update: soon", "5:14", "invalid-value", "30m or 2h"),
    ("message: |", "message: [", "7:22", "yaml-syntax", "check quotes"),
]


@pytest.mark.parametrize(("old", "new", "where", "rule", "hint"), BROKEN)
def test_a_broken_template_is_an_error_at_its_file_line_and_column(
    tmp_path: Path, old: str, new: str, where: str, rule: str, hint: str
) -> None:
    config = site_with(tmp_path, {"website-down.yaml": GOOD.replace(old, new)})
    before = sorted((tmp_path / "incidents").iterdir())
    result = run(config, "new", "--template", "website-down")
    assert result.exit_code == 1
    assert f"templates/website-down.yaml:{where}: error: " in result.output
    assert f"[{rule}]" in result.output and hint in result.output
    assert sorted((tmp_path / "incidents").iterdir()) == before
    listed = run(config, "templates")
    assert listed.exit_code == 1
    assert "website-down  (broken: run `candor templates` to see why)" in listed.stdout
    assert f"templates/website-down.yaml:{where}: error: " in listed.stderr
    # check finds it in review: a warning, never a reason to hold back a publish.
    check = run(config, "check")
    assert check.exit_code == 0
    assert f"templates/website-down.yaml:{where}: warning: " in check.output
    assert "[template]" in check.output
    assert run(config, "check", "--strict").exit_code == 1


def test_an_unknown_template_names_the_ones_there_are(tmp_path: Path) -> None:
    config = site_with(tmp_path, {"website-down.yaml": GOOD})
    result = run(config, "new", "--template", "website")
    assert result.exit_code == 1
    assert "no template `website` in templates/ (templates: website-down)" in result.output


def test_new_needs_a_title_or_a_template(tmp_path: Path) -> None:
    result = run(site_with(tmp_path, {}), "new")
    assert result.exit_code == 2
    assert "give a TITLE, or --template NAME" in result.output


def test_templates_are_never_read_as_incidents(tmp_path: Path) -> None:
    config = site_with(tmp_path, {"website-down.yaml": GOOD}, templates_dir="drafts/templates")
    settings = load_settings(config)
    assert [t.name for t in load_templates(settings)] == ["website-down"]
    check = run(config, "check", "--format", "json")
    assert '"files": 0' in check.output
    assert run(config, "new", "-t", "website-down").exit_code == 0
    assert run(config, "check", "--format", "json").output.count('"file": "incidents/') > 0


@pytest.mark.parametrize("folder", ["incidents", "incidents/templates", "./incidents/"])
def test_a_templates_dir_inside_the_incidents_dir_is_a_config_error(
    tmp_path: Path, folder: str
) -> None:
    config = make_site(tmp_path, {}, templates_dir=folder)
    result = run(config, "check")
    assert result.exit_code == 1
    assert "`templates_dir`" in result.output and "would be read as incidents" in result.output


# --- the example's templates ------------------------------------------------------------------


def example_templates() -> list[Path]:
    return sorted((ROOT / "templates").glob("*.yaml"))


def test_the_example_ships_three_valid_templates() -> None:
    settings = load_settings(ROOT / "mkdocs.yml")
    loaded = load_templates(settings)
    assert [t.name for t in loaded] == [
        "database-failover",
        "elevated-error-rates",
        "third-party-outage",
    ]
    assert all(t.template is not None and not t.problems for t in loaded), loaded
    for t in loaded:
        assert t.template is not None
        # Apology first, prompts for the facts, and a promise of the next update.
        assert t.template.message.startswith("We're sorry: ")
        assert "[[" in t.template.message
        assert t.template.next_update is not None
        assert "update you within 30 minutes" in t.template.message


@pytest.mark.parametrize("template", example_templates(), ids=lambda p: p.stem)
def test_each_example_template_once_filled_in_passes_check(tmp_path: Path, template: Path) -> None:
    folder = tmp_path / "site"
    (folder / "incidents").mkdir(parents=True)
    shutil.copy(ROOT / "mkdocs.yml", folder / "mkdocs.yml")
    shutil.copytree(ROOT / "templates", folder / "templates")
    shutil.copytree(ROOT / "theme", folder / "theme")  # mkdocs.yml's `theme.custom_dir`
    config = folder / "mkdocs.yml"
    made = run(config, "new", "--template", template.stem)
    assert made.exit_code == 0, made.output
    path = folder / made.stdout.strip()
    assert run(config, "check").exit_code == 1
    text = re.sub(r"\[\[.*?\]\]", "the facts", path.read_text(encoding="utf-8"), flags=re.S)
    path.write_text(text, encoding="utf-8")
    checked = run(config, "check")
    assert checked.exit_code == 0, checked.output
    data = yaml.safe_load(text)
    assert data["updates"][0]["status"] == "investigating"
