"""`candor check` from the command line: formats, exit codes, --now, --config."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import html5lib
import pytest
from candor_sites import make_site as make_any_site
from click.testing import CliRunner

from generator.cli import COMMANDS, main

REPO = Path(__file__).resolve().parent.parent
NOW = "2026-12-01T00:00Z"


def make_site(tmp_path: Path, files: dict[str, str | bytes], **options: object) -> Path:
    """A site whose open incident `b` promises no next update, and need not here: these tests
    are about the report, not about that rule (tests/test_updates.py)."""
    path = make_any_site(tmp_path, files, ignore=["no-next-update"], **options)
    # A real address: an example one is a warning of its own (tested below).
    text = path.read_text(encoding="utf-8").replace("status.example.com", "status.acme.dev")
    path.write_text(text, encoding="utf-8")
    return path


def incident(
    title: str = "Slow dashboard",
    impact: str = "minor",
    at: str = "2026-11-20T09:14Z",
    status: str = "resolved",
) -> str:
    return (
        f"title: {title}\nimpact: {impact}\ncomponents: [web]\nupdates:\n"
        f"  - at: {at}\n    status: {status}\n    message: |\n"
        "      Pages load slowly. No data was lost.\n"
    )


FILES = {
    "a.yaml": incident(title="Outage TODO", impact="mayor"),  # 1:15 placeholder, 2:9 impact
    "b.yaml": incident(at="2026-11-30T20:00Z", status="investigating"),  # stale
    "c.yaml": incident(),
    "d.yaml": incident(),
    "d.yml": incident(),
}


@pytest.fixture
def site(tmp_path: Path) -> Path:
    return make_site(tmp_path, FILES)


def run(*args: str, env: dict[str, str] | None = None) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args), env=env)
    output = result.output
    assert "Traceback" not in output, output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, output


def test_text_lists_problems_sorted_with_a_summary(site: Path) -> None:
    code, out = run("check", "--config", str(site), "--now", NOW)
    assert code == 1
    lines = [line for line in out.splitlines() if not line.startswith("    hint:")]
    assert lines == [
        "incidents/a.yaml:1:15: error: `title` still holds a placeholder word: `TODO` "
        "[placeholder]",
        "incidents/a.yaml:2:9: error: `impact` is `mayor`, not an allowed value [invalid-value]",
        "incidents/b.yaml:5:9: warning: `b` is open (investigating) and its last update was "
        "4 h ago (stale_after: 1h) [stale]",
        "incidents/d.yaml: error: id `d` is also used by d.yml [duplicate-id]",
        "incidents/d.yml: error: id `d` is also used by d.yaml [duplicate-id]",
        "4 errors, 1 warning in 5 files",
    ]
    assert "    hint: did you mean `major`? Allowed: none, minor, major, critical." in out


def test_exit_0_on_a_clean_site_and_warnings_alone(tmp_path: Path) -> None:
    path = make_site(tmp_path, {"b.yaml": FILES["b.yaml"], "c.yaml": FILES["c.yaml"]})
    assert run("check", "--config", str(path), "--now", "2026-11-30T20:30Z") == (
        0,
        "No problems in 2 files.\n",
    )
    code, out = run("check", "--config", str(path), "--now", NOW)
    assert code == 0 and out.splitlines()[-1] == "0 errors, 1 warning in 2 files"
    code, out = run("check", "--strict", "--config", str(path), "--now", NOW)
    assert code == 1 and "error: `b` is open" in out
    assert out.splitlines()[-1] == "1 error, 0 warnings in 2 files"


def test_github_annotations(site: Path) -> None:
    code, out = run("check", "--format", "github", "--config", str(site), "--now", NOW)
    assert code == 1
    annotations = [line for line in out.splitlines() if line.startswith("::")]
    assert annotations[0] == (
        "::error file=incidents/a.yaml,line=1,col=15,title=candor placeholder::"
        "`title` still holds a placeholder word: `TODO` — "
        "replace it with the real text before publishing"
    )
    assert annotations[2].startswith(
        "::warning file=incidents/b.yaml,line=5,col=9,title=candor stale::"
    )
    assert annotations[3].startswith("::error file=incidents/d.yaml,title=candor duplicate-id::")
    assert len(annotations) == 5


def test_json_shape_and_order(site: Path) -> None:
    code, out = run("check", "--format", "json", "--config", str(site), "--now", NOW)
    assert code == 1
    data = json.loads(out)
    assert list(data) == ["files", "errors", "warnings", "notes", "problems"]
    assert (data["files"], data["errors"], data["warnings"]) == (5, 4, 1)
    assert [
        (p["file"], p["line"], p["column"], p["severity"], p["rule"]) for p in data["problems"]
    ] == [
        ("incidents/a.yaml", 1, 15, "error", "placeholder"),
        ("incidents/a.yaml", 2, 9, "error", "invalid-value"),
        ("incidents/b.yaml", 5, 9, "warning", "stale"),
        ("incidents/d.yaml", None, None, "error", "duplicate-id"),
        ("incidents/d.yml", None, None, "error", "duplicate-id"),
    ]
    for problem in data["problems"]:
        assert list(problem) == ["file", "line", "column", "severity", "rule", "message", "hint"]
        assert problem["message"] and problem["hint"]


def test_json_puts_placeless_problems_first_within_a_file(tmp_path: Path) -> None:
    files = {"d.yaml": incident(title="TBD"), "d.yml": incident()}
    path = make_site(tmp_path, files)
    data = json.loads(run("check", "--format", "json", "--config", str(path), "--now", NOW)[1])
    assert [(p["file"], p["line"]) for p in data["problems"]] == [
        ("incidents/d.yaml", None),
        ("incidents/d.yaml", 1),
        ("incidents/d.yml", None),
    ]


def test_json_strict_counts_warnings_as_errors(site: Path) -> None:
    data = json.loads(
        run("check", "--strict", "--format", "json", "--config", str(site), "--now", NOW)[1]
    )
    assert (data["errors"], data["warnings"]) == (5, 0)
    assert {p["severity"] for p in data["problems"]} == {"error"}


def test_now_and_candor_now(tmp_path: Path) -> None:
    path = make_site(tmp_path, {"b.yaml": FILES["b.yaml"]})
    # Before the update: it is in the future, an error.
    code, out = run("check", "--config", str(path), "--now", "2026-11-30T19:00Z")
    assert code == 1 and "[future-update]" in out
    code, out = run("check", "--config", str(path), env={"CANDOR_NOW": "2026-11-30T19:00Z"})
    assert code == 1 and "[future-update]" in out
    # --now wins over CANDOR_NOW; a naive value is read in the configured zone (UTC here).
    code, out = run(
        "check",
        "--config",
        str(path),
        "--now",
        "2026-11-30 20:30",
        env={"CANDOR_NOW": "2026-11-30T19:00Z"},
    )
    assert (code, out) == (0, "No problems in 1 file.\n")


def test_config_from_another_working_directory(
    site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    data = json.loads(run("check", "--format", "json", "--config", str(site), "--now", NOW)[1])
    assert data["files"] == 5 and data["problems"][0]["file"] == "incidents/a.yaml"
    monkeypatch.chdir(site.parent)
    code, out = run("check", "--now", NOW)  # the default: mkdocs.yml in the current folder
    assert code == 1 and out.splitlines()[-1] == "4 errors, 1 warning in 5 files"


def test_usage_errors_exit_2(site: Path) -> None:
    code, out = run("check", "--config", str(site), "--bogus")
    assert code == 2 and "No such option" in out and "--bogus" in out
    code, out = run("check", "--config", str(site), "--format", "xml")
    assert code == 2 and "'xml' is not one of 'text', 'github', 'json'" in out


@pytest.mark.parametrize("fmt", ["text", "github", "json"])
def test_missing_config_is_a_clean_error(tmp_path: Path, fmt: str) -> None:
    code, out = run("check", "--format", fmt, "--config", str(tmp_path / "mkdocs.yml"))
    assert code == 1 and "no config file at" in out


def test_config_with_errors_is_reported_in_each_format(tmp_path: Path) -> None:
    path = make_site(tmp_path, {}, timezone="Mars/Base", stale_after="soon")
    code, out = run("check", "--config", str(path))
    assert code == 1 and "mkdocs.yml:" in out and "[invalid-value]" in out
    code, out = run("check", "--format", "json", "--config", str(path))
    data = json.loads(out)
    assert code == 1 and data["errors"] == 2 and data["files"] == 0
    assert {p["file"] for p in data["problems"]} == {"mkdocs.yml"}
    code, out = run("check", "--format", "github", "--config", str(path))
    assert code == 1 and out.startswith("::error file=mkdocs.yml,line=")


@pytest.mark.parametrize("value", ["garbage", "2026-03-29T02:30", "2026-13-01T00:00Z"])
def test_bad_now_is_a_clean_error(tmp_path: Path, value: str) -> None:
    path = make_site(tmp_path, {}, timezone="Europe/Berlin")
    code, out = run("check", "--config", str(path), "--now", value)
    assert code == 1 and out.startswith("Error: --now: ")
    code, out = run("check", "--config", str(path), env={"CANDOR_NOW": value})
    assert code == 1 and out.startswith("Error: CANDOR_NOW: ")


@pytest.mark.parametrize("now", ["2026-11-23T00:00", "2027-06-01T00:00", "2030-01-01T00:00"])
def test_example_site_passes_strict(now: str) -> None:
    # Every incident file held to --strict, as a pull request that changes them all would be.
    files = sorted(str(p) for p in (REPO / "incidents").glob("*.yaml"))
    code, out = run("check", "--strict", "--config", str(REPO / "mkdocs.yml"), "--now", now, *files)
    assert code == 0, out
    # The example lives at an example address: a copy is told until it sets its own.
    assert out.count(": warning: ") == 1
    assert "mkdocs.yml:2:11: warning: `site_url` is" in out and "[example-site-url]" in out
    # Four incidents posted their first update late: facts of the record, never failing.
    assert out.count(": note: ") == 4 and out.count("[slow-first-update]") == 4


def test_console_script_in_a_subprocess(site: Path, tmp_path: Path) -> None:
    candor = REPO / ".venv" / "bin" / "candor"
    if not candor.exists():
        assert os.environ.get("CI") != "true", f"{candor} is missing"
        pytest.skip("no .venv/bin/candor")
    result = subprocess.run(
        [str(candor), "check", "--format", "json", "--config", str(site)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={**os.environ, "CANDOR_NOW": NOW},
        check=False,
    )
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert json.loads(result.stdout)["errors"] == 4


def test_check_loads_only_its_own_code(site: Path) -> None:
    """Each command's module is imported when it runs: `candor check` does not load the
    build, the feeds or the notification code (a fresh interpreter, as a user runs it)."""
    script = (
        "import sys\n"
        "from generator.cli import main\n"
        "try:\n"
        f"    main(['check', '--config', {str(site)!r}, '--now', {NOW!r}])\n"
        "except SystemExit as exc:\n"
        "    print('exit', exc.code)\n"
        "print(*sorted(m for m in sys.modules if m.split('.')[0] in ('generator', 'mkdocs')))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=False
    )
    assert "Traceback" not in result.stderr, result.stderr
    loaded = set(result.stdout.splitlines()[-1].split())
    assert "exit 1" in result.stdout and "generator.cli.check" in loaded
    for module in ("generator.cli.site", "generator.cli.notify", "generator.outputs.feeds"):
        assert module not in loaded, module
    # Only the authoring parts that check reads (git for --changed, templates): not the
    # commands that write incident files, nor their scaffolding.
    for module in ("generator.authoring.changes", "generator.authoring.scaffold"):
        assert module not in loaded, module
    assert not any(m.startswith("generator.notify") for m in loaded)
    # The plugin package for mkdocs' validation of mkdocs.yml, not the plugin or its build.
    assert {m for m in loaded if m.startswith("generator.plugin")} == {
        "generator.plugin",
        "generator.plugin.mkdocs_config",
    }
    # mkdocs' validation of mkdocs.yml, but not its build, server or commands.
    assert "mkdocs.config.defaults" in loaded
    assert not any(m.startswith(("mkdocs.commands", "mkdocs.livereload")) for m in loaded)


def test_every_command_is_listed_and_runs() -> None:
    """`candor --help` lists every command, and each one's own help works."""
    listed = run("--help")[1]
    assert set(COMMANDS) == {
        line.split()[0] for line in listed.split("Commands:")[1].splitlines() if line.strip()
    }
    for name in COMMANDS:
        code, out = run(name, "--help")
        assert code == 0 and out.startswith(f"Usage: main {name} [OPTIONS]"), (name, out)
    code, out = run("nosuch")
    assert code == 2 and "No such command 'nosuch'" in out


def test_labels_the_pages_cannot_use_are_errors_of_check_and_of_the_build(tmp_path: Path) -> None:
    config = make_site(tmp_path, {"c.yaml": incident()}, labels={"next_update": "Next by {tme}"})
    result = CliRunner().invoke(main, ["check", "--config", str(config), "--now", NOW])
    assert result.exit_code == 1
    assert "mkdocs.yml:" in result.output and "`labels.next_update` uses {tme}" in result.output
    (tmp_path / "docs").mkdir()
    build = CliRunner().invoke(
        main, ["build", "--config", str(config), "--now", NOW, "--out", str(tmp_path / "out")]
    )
    assert build.exit_code == 1 and "`labels.next_update` uses {tme}" in build.output
    assert not (tmp_path / "out").exists()


# --- issue: publishing you can trust ---------------------------------------------------------

MISSED = (
    "title: Slow dashboard\nimpact: minor\ncomponents: [web]\nupdates:\n"
    "  - at: 2026-11-20T09:00Z\n    status: investigating\n    message: Looking.\n"
    "    next_update: 30m\n"
    "  - at: 2026-11-20T09:42Z\n    status: resolved\n    message: |\n"
    "      Pages load fast again. No data was lost.\n"
)


def test_a_resolved_incident_with_a_missed_promise_passes_strict_as_a_note(
    tmp_path: Path,
) -> None:
    path = make_site(tmp_path, {"a.yaml": MISSED})
    code, out = run("check", "--strict", "--config", str(path), "--now", NOW)
    assert code == 0 and "note: `updates[0]` promised" in out
    data = json.loads(
        run("check", "--strict", "--format", "json", "--config", str(path), "--now", NOW)[1]
    )
    assert (data["errors"], data["warnings"], data["notes"]) == (0, 0, 1)
    assert data["problems"][0]["severity"] == "note"
    code, out = run("check", "--strict", "--format", "github", "--config", str(path), "--now", NOW)
    assert code == 0 and out.startswith("::notice file=incidents/a.yaml,line=8,col=18,")


def test_strict_holds_only_the_named_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # b.yaml: unchanged, open and silent for 4 hours (a clock-driven `stale` warning).
    path = make_site(tmp_path, {"b.yaml": FILES["b.yaml"], "changed.yaml": FILES["c.yaml"]})
    monkeypatch.chdir(tmp_path)
    code, out = run("check", "--strict", "--now", NOW, "incidents/changed.yaml")
    assert code == 0 and "warning: `b` is open" in out
    code, _ = run("check", "--strict", "--now", NOW, str(tmp_path / "incidents" / "b.yaml"))
    assert code == 1
    # A file the pull request deleted may be named; mkdocs.yml only when named.
    assert run("check", "--strict", "--now", NOW, "incidents/gone.yaml", "mkdocs.yml")[0] == 0
    assert path.name == "mkdocs.yml"


@pytest.mark.parametrize("named", ["README.md", "/etc/passwd", "incidents/../mkdocs.yaml"])
def test_naming_a_file_check_does_not_read_is_a_usage_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, named: str
) -> None:
    make_site(tmp_path, {"c.yaml": FILES["c.yaml"]})
    monkeypatch.chdir(tmp_path)
    code, out = run("check", "--strict", "--now", NOW, named)
    assert code == 2 and "is not an incident file in incidents/" in out


def test_an_ansi_colour_code_fails_check_at_its_place_and_never_reaches_the_build(
    tmp_path: Path,
) -> None:
    text = incident().replace("Pages load slowly.", "Pages load slowly: \x1b[31mERROR\x1b[0m.")
    path = make_site(tmp_path, {"a.yaml": text})
    code, out = run("check", "--config", str(path), "--now", NOW)
    assert code == 1
    assert "incidents/a.yaml:8:26: error: the file holds the control character U+001B (ESC)" in out
    code, out = run("build", "--config", str(path), "--now", NOW, "--out", str(tmp_path / "out"))
    assert code == 1 and "control-character" in out and not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    ("section", "wrong"),
    [
        ("incidents_dir: ''", "`incidents_dir` is empty"),
        ("incidents_dir: incident", "`incidents_dir` (incident) does not exist"),
        ("incidents_dir: /", "is not a folder inside the config's folder"),
        ("incidents_dir: ..", "is not a folder inside the config's folder"),
        ("incidents_dir: mkdocs.yml", "is a file, not a folder"),
    ],
)
def test_an_unusable_incidents_dir_fails_check_and_build(
    tmp_path: Path, section: str, wrong: str
) -> None:
    (tmp_path / "incidents").mkdir()
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: S\nsite_url: https://status.acme.dev/\nplugins:\n  - candor:\n"
        f"      {section}\n      components: [{{id: api, name: API}}]\n",
        encoding="utf-8",
    )
    config = str(tmp_path / "mkdocs.yml")
    code, out = run("check", "--config", config, "--now", NOW)
    assert code == 1 and wrong in out and "mkdocs.yml:5:22: error:" in out
    assert "No problems" not in out
    code, out = run("build", "--config", config, "--now", NOW, "--out", str(tmp_path / "out"))
    assert code == 1 and wrong in out and not (tmp_path / "out").exists()


def test_an_empty_components_list_is_a_config_error(tmp_path: Path) -> None:
    (tmp_path / "incidents").mkdir()
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: S\nsite_url: https://status.acme.dev/\nplugins:\n  - candor:\n"
        "      components: []\n",
        encoding="utf-8",
    )
    code, out = run("check", "--config", str(tmp_path / "mkdocs.yml"), "--now", NOW)
    assert code == 1 and "mkdocs.yml:5:19: error: `components` is empty" in out


@pytest.mark.parametrize("command", ["check", "build", "status"])
@pytest.mark.parametrize("now", ["9999-12-31T23:59Z", "0001-01-01T00:30+01:00"])
def test_a_now_out_of_range_is_a_clear_error(tmp_path: Path, command: str, now: str) -> None:
    path = make_site(tmp_path, {"c.yaml": FILES["c.yaml"]})
    code, out = run(command, "--config", str(path), "--now", now)
    assert code == 1 and "outside 1970-01-01 to 9999-12-30 (UTC)" in out


@pytest.mark.parametrize(
    ("replace", "with_", "where", "rule"),
    [
        ("at: 2026-11-20T09:14Z", "at: 9999-12-31T23:59:59Z", "5:9", "invalid-timestamp"),
        ("at: 2026-11-20T09:14Z", "at: 0001-01-01T00:30+01:00", "5:9", "invalid-timestamp"),
        (
            "status: resolved",
            "status: resolved\n    next_update: 80000000h",
            "7:18",
            "invalid-value",
        ),
    ],
)
def test_extreme_dates_and_durations_are_errors_at_their_place(
    tmp_path: Path, replace: str, with_: str, where: str, rule: str
) -> None:
    path = make_site(tmp_path, {"a.yaml": incident().replace(replace, with_)})
    code, out = run("check", "--config", str(path), "--now", NOW)
    assert code == 1 and f"incidents/a.yaml:{where}: error:" in out and f"[{rule}]" in out


def test_update_with_an_out_of_range_now_or_at_is_refused_and_the_file_kept(
    tmp_path: Path,
) -> None:
    path = make_site(tmp_path, {"b.yaml": FILES["b.yaml"]})
    before = (tmp_path / "incidents" / "b.yaml").read_bytes()
    for option in (["--now", "9999-12-31T23:59Z"], ["--at", "9999-12-31T23:59Z"]):
        code, out = run(
            "update",
            "b",
            "--status",
            "identified",
            "--message",
            "Found it.",
            "--config",
            str(path),
            *option,
        )
        assert code == 1 and "outside 1970-01-01 to 9999-12-30" in out, out
    assert (tmp_path / "incidents" / "b.yaml").read_bytes() == before


def test_an_example_site_url_is_a_warning_at_its_place(tmp_path: Path) -> None:
    path = make_any_site(tmp_path, {})
    code, out = run("check", "--config", str(path), "--now", NOW)
    assert (
        code == 0 and "mkdocs.yml:2:11: warning: `site_url` is `https://status.example.com/`" in out
    )


def _themed(tmp_path: Path, language: str) -> Path:
    config = make_site(tmp_path, {"c.yaml": incident()})
    text = config.read_text("utf-8") + f"theme:\n  name: material\n  language: {language}\n"
    config.write_text(text, "utf-8")
    (tmp_path / "docs").mkdir()
    return config


@pytest.mark.slow
def test_a_theme_language_check_refuses_never_reaches_the_build(tmp_path: Path) -> None:
    config = _themed(tmp_path, "zz")
    result = CliRunner().invoke(
        main, ["check", "--config", str(config), "--now", NOW, "--format", "json"]
    )
    assert result.exit_code == 1
    (problem,) = json.loads(result.stdout)["problems"]
    line = config.read_text("utf-8").splitlines().index("  language: zz") + 1
    assert (problem["file"], problem["line"], problem["column"], problem["rule"]) == (
        "mkdocs.yml",
        line,
        13,
        "config",
    )
    assert "en and ja" in problem["hint"] and "pt-BR" in problem["hint"]
    out = tmp_path / "out"
    build = CliRunner().invoke(
        main, ["build", "--config", str(config), "--now", NOW, "--out", str(out)]
    )
    assert build.exit_code == 1 and "`theme.language` is `zz`" in build.output
    assert "Traceback" not in build.output and not out.exists()


@pytest.mark.slow
@pytest.mark.parametrize("language", ["fr", "pt-BR"])
def test_a_theme_language_check_accepts_builds(tmp_path: Path, language: str) -> None:
    (tmp_path / "site").mkdir()
    config = _themed(tmp_path / "site", language)
    check = CliRunner().invoke(main, ["check", "--config", str(config), "--now", NOW])
    assert check.exit_code == 0, check.output
    out = tmp_path / "out"
    build = CliRunner().invoke(
        main, ["build", "--config", str(config), "--now", NOW, "--out", str(out)]
    )
    assert build.exit_code == 0, build.output
    page = html5lib.parse((out / "index.html").read_text("utf-8"), namespaceHTMLElements=False)
    assert str(page.get("lang")).split("-")[0] == language.split("-")[0]


def test_a_page_that_is_not_utf8_fails_check_and_the_build_alike(tmp_path: Path) -> None:
    """The build used to stop at such a page with a traceback, after check had passed it."""
    config = make_site(tmp_path, {"c.yaml": incident()})
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "broken.md").write_bytes(b"# Notes\n\xff\xfe bad")
    expected = "docs/broken.md:2:1: error: byte 0xff is not valid UTF-8"
    code, output = run("check", "--config", str(config), "--now", NOW)
    assert code == 1 and expected in output and "save the file as UTF-8" in output
    out = tmp_path / "out"
    candor = str(Path(sys.executable).parent / "candor")
    result = subprocess.run(
        [candor, "build", "--config", str(config), "--now", NOW, "--out", str(out)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    assert expected in result.stderr and "nothing was built" in result.stderr
    assert not out.exists()
