"""The authoring commands' newer options (generator/authoring): `update --impact`,
`new --started-at`, a bare `-c` written out, ids by prefix, and the editor that shows what
the writer needs (generator/authoring/buffer.py) and never loses what they wrote."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from candor_sites import make_site
from click.testing import CliRunner

from generator.cli import main
from generator.core.load import load_file
from generator.core.project import load_project
from generator.core.times import zone

CANDOR = Path(sys.executable).with_name("candor")
NOW = "2026-11-20T10:00:00Z"
OPEN = """\
title: API errors
impact: minor
components: [api]
updates:
  - at: 2026-11-20T09:14:00Z
    status: investigating
    message: We're sorry, some API requests fail.
    next_update: 30m
    by: Aiko
"""


@pytest.fixture
def site(tmp_path: Path) -> Path:
    return make_site(tmp_path, {"2026-11-20-api-errors.yaml": OPEN})


def run(config: Path, *args: str, input: str | None = None, **env: str) -> Any:
    return CliRunner().invoke(
        main,
        [args[0], "--config", str(config), *args[1:]],
        input=input,
        env={"CANDOR_NOW": NOW, **env},
    )


def event(path: Path) -> Any:
    loaded = load_file(path, path.name, zone("UTC"))
    assert loaded.event is not None, loaded.problems
    return loaded.event


def incident(config: Path, name: str = "2026-11-20-api-errors") -> Path:
    return config.parent / "incidents" / f"{name}.yaml"


# --- update --impact ------------------------------------------------------------------------


def test_update_impact_is_recorded_in_that_update(site: Path) -> None:
    path = incident(site)
    before = path.read_bytes()
    result = run(site, "update", "api", "-s", "identified", "--impact", "Critical", "-m", "Worse.")
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        "incidents/2026-11-20-api-errors.yaml: added an update: identified, "
        "impact raised to critical\n"
    )
    after = path.read_bytes()
    assert after.startswith(before)
    assert after[len(before) :].decode().splitlines()[:3] == [
        "  - at: 2026-11-20T10:00:00Z",
        "    status: identified",
        "    impact: critical",
    ]
    loaded = event(path)
    assert loaded.impact == "minor"  # where it started
    state = load_project(site, NOW).state()
    assert state.indicator == "critical"
    assert state.by_id["2026-11-20-api-errors"].impact == "critical"
    lowered = run(site, "update", "api", "-s", "monitoring", "--impact", "minor", "-m", "Better.")
    assert "impact lowered to minor" in lowered.stdout
    assert load_project(site, NOW).state().indicator == "minor"


def test_update_impact_outside_the_list_is_a_usage_error(site: Path) -> None:
    before = incident(site).read_bytes()
    result = run(site, "update", "api", "-s", "identified", "--impact", "huge", "-m", "x")
    assert result.exit_code == 2 and "'huge' is not one of" in result.output
    assert incident(site).read_bytes() == before


# --- new --started-at and a bare -c ------------------------------------------------------------


def test_new_started_at_is_written_and_counted(site: Path) -> None:
    result = run(
        site, "new", "Login fails", "--impact", "major", "-c", "web", "--started-at", "09:48",
        "-m", "We're sorry: logging in fails.",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    path = site.parent / result.stdout.strip()
    text = path.read_text(encoding="utf-8")
    assert "started_at: 2026-11-20T09:48:00Z   # when customers were first affected\n" in text
    state = load_project(site, NOW).state().by_id[path.stem]
    assert state.time_to_first_update.total_seconds() == 12 * 60
    # A bare `-c web` means the status the impact implies, and the file says so.
    assert event(path).updates[0].components == {"web": "partial_outage"}
    assert "      web: partial_outage\n" in text


@pytest.mark.parametrize(
    ("started", "says"),
    [
        ("23:50", "--started-at 2026-11-20 23:50 UTC is in the future (now is 2026-11-20 10:00 "
         "UTC); for yesterday write the date too: --started-at 2026-11-19T23:50"),
        ("2026-11-20T11:00Z", "--started-at 2026-11-20 11:00 UTC is in the future"),
        ("2026-11-20T09:00Z", "--started-at 2026-11-20 09:00 UTC is after the first update"),
        ("soon", "is not a time"),
    ],
)  # fmt: skip
def test_new_started_at_mistakes_create_nothing(site: Path, started: str, says: str) -> None:
    before = sorted((site.parent / "incidents").iterdir())
    at = ["--at", "08:30"] if "after the first" in says else []
    result = run(site, "new", "Login fails", "--started-at", started, "-m", "Sorry.", *at)
    assert result.exit_code in (1, 2)
    assert says in result.output
    assert sorted((site.parent / "incidents").iterdir()) == before


def test_new_with_impact_none_writes_operational(site: Path) -> None:
    result = run(site, "new", "Slow emails", "--impact", "none", "-c", "db", "-m", "Sorry.")
    assert event(site.parent / result.stdout.strip()).updates[0].components == {"db": "operational"}


# --- ids by prefix -----------------------------------------------------------------------------


def test_an_ambiguous_id_lists_the_candidates(tmp_path: Path) -> None:
    config = make_site(
        tmp_path,
        {
            "2026-11-20-api-errors.yaml": OPEN,
            "2026-11-19-api-latency.yaml": OPEN.replace("API errors", "API latency")
            .replace("2026-11-20", "2026-11-19")
            .replace("investigating", "resolved"),
        },
    )
    before = incident(config).read_bytes()
    result = run(config, "update", "api", "-s", "identified", "-m", "x")
    assert result.exit_code == 1
    assert result.output == (
        "Error: `api` could be any of 2 files in incidents/:\n"
        "  2026-11-20-api-errors (investigating): API errors\n"
        "  2026-11-19-api-latency (resolved): API latency\n"
        "type more of the id, e.g. the first one in full\n"
    )
    assert incident(config).read_bytes() == before
    assert run(config, "update", "api-e", "-s", "identified", "-m", "x").exit_code == 0


# --- the editor ----------------------------------------------------------------------------------


def recording_editor(tmp_path: Path, text: str) -> dict[str, str]:
    """An editor that saves what it was shown and writes `text` above it."""
    script = tmp_path / "editor.py"
    script.write_text(
        "import sys\n"
        "path = sys.argv[-1]\n"
        "shown = open(path, encoding='utf-8').read()\n"
        f"open({str(tmp_path / 'shown.txt')!r}, 'w', encoding='utf-8').write(shown)\n"
        f"open(path, 'w', encoding='utf-8').write({text!r} + shown)\n",
        encoding="utf-8",
    )
    return {"EDITOR": f"{sys.executable} {script}"}


def test_the_editor_shows_the_status_the_overdue_promise_and_the_previous_update(
    site: Path, tmp_path: Path
) -> None:
    env = recording_editor(tmp_path, "Found it: a bad deploy.\n")
    result = run(site, "update", "api", "-s", "identified", "--impact", "major", **env)
    assert result.exit_code == 0, result.output
    shown = (tmp_path / "shown.txt").read_text(encoding="utf-8")
    assert shown == (
        "\n\n# ------------------------ >8 ------------------------\n"
        "# Write the update above this line.\n"
        "# Everything from the line above on is ignored. Save an empty text to abort.\n"
        "#\n"
        "# Incident 2026-11-20-api-errors: API errors\n"
        "# Status: investigating → identified; impact minor → major\n"
        "# The next update was promised by 2026-11-20 09:44 UTC: OVERDUE by 16 min.\n"
        "#\n"
        "# The previous update, 2026-11-20 09:14 UTC (46 min ago), investigating, by Aiko:\n"
        "#   We're sorry, some API requests fail.\n"
    )
    assert event(incident(site)).updates[-1].message == "Found it: a bad deploy.\n"


def test_the_resolve_editor_shows_a_promise_still_to_come(site: Path, tmp_path: Path) -> None:
    env = recording_editor(tmp_path, "Fixed.\n")
    result = run(site, "resolve", "api", "--now", "2026-11-20T09:30Z", **env)
    assert result.exit_code == 0, result.output
    shown = (tmp_path / "shown.txt").read_text(encoding="utf-8")
    assert "# Status: investigating → resolved; impact minor (--impact changes it)\n" in shown
    assert "# The next update is promised by 2026-11-20 09:44 UTC, in 14 min.\n" in shown


def test_text_written_in_the_editor_is_kept_when_the_update_is_refused(
    site: Path, tmp_path: Path
) -> None:
    before = incident(site).read_bytes()
    env = recording_editor(tmp_path, "We found the cause: TODO fill in.\n")
    result = run(site, "update", "api", "-s", "identified", **env)
    assert result.exit_code == 1
    assert "placeholder" in result.output
    kept = re.search(r"what you wrote is kept in (\S+\.md); pass it back with", result.output)
    assert kept, result.output
    assert Path(kept[1]).read_text(encoding="utf-8") == "We found the cause: TODO fill in.\n"
    assert incident(site).read_bytes() == before
    Path(kept[1]).unlink()


def test_no_message_and_no_terminal_is_a_clear_error_not_a_hang(site: Path) -> None:
    if not CANDOR.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{CANDOR} is missing: run `make build`")
        pytest.skip(f"{CANDOR} is not installed")
    env = {k: v for k, v in os.environ.items() if k not in ("EDITOR", "VISUAL")}
    result = subprocess.run(
        [str(CANDOR), "update", "api", "-s", "identified", "--now", NOW],
        cwd=site.parent,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert "there is no terminal to open an editor on, and $EDITOR is not set; pass the update" in (
        result.stderr
    )


def on_a_terminal(args: list[str], cwd: Path, env: dict[str, str]) -> tuple[int, str]:
    """The installed command with a pseudo-terminal for its stdin, stdout and stderr, as a
    person at 3 a.m. runs it; what it printed there."""
    if not CANDOR.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{CANDOR} is missing: run `make build`")
        pytest.skip(f"{CANDOR} is not installed")
    import pty

    leader, follower = pty.openpty()
    with subprocess.Popen(
        [str(CANDOR), *args], cwd=cwd, env=env, stdin=follower, stdout=follower, stderr=follower
    ) as process:
        os.close(follower)
        shown = b""
        while True:
            try:
                chunk = os.read(leader, 4096)
            except OSError:  # the terminal closed: the command has finished
                break
            if not chunk:
                break
            shown += chunk
        code = process.wait(timeout=60)
    os.close(leader)
    return code, shown.decode("utf-8", "replace").replace("\r\n", "\n")


@pytest.mark.parametrize("command", ["update", "resolve"])
def test_on_a_terminal_without_message_the_editor_opens_on_the_update_and_promise(
    site: Path, tmp_path: Path, command: str
) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("VISUAL", "CANDOR_NOW")}
    env |= recording_editor(tmp_path, "Written at the terminal.\n")
    args = [command, "api", "--now", NOW] + (["-s", "identified"] if command == "update" else [])
    code, printed = on_a_terminal(args, site.parent, env)
    assert code == 0, printed
    shown = (tmp_path / "shown.txt").read_text(encoding="utf-8")
    assert "# The next update was promised by 2026-11-20 09:44 UTC: OVERDUE by 16 min.\n" in shown
    assert (
        "# The previous update, 2026-11-20 09:14 UTC (46 min ago), investigating, by Aiko:\n"
        in shown
    )
    assert "#   We're sorry, some API requests fail.\n" in shown
    assert event(incident(site)).updates[-1].message == "Written at the terminal.\n"
    assert "incidents/2026-11-20-api-errors.yaml: " in printed and "Traceback" not in printed
