"""candor new / update / resolve / postmortem / status / serve, through Click and the shell."""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

import html5lib
import pytest
from candor_sites import make_site
from click.shell_completion import ShellComplete
from click.testing import CliRunner

from generator.authoring import edit
from generator.cli import main
from generator.core.load import load_file
from generator.core.times import zone

ROOT = Path(__file__).resolve().parent.parent
CANDOR = ROOT / ".venv" / "bin" / "candor"
NOW = "2026-11-20T10:00:00Z"

OPEN = """\
title: API errors   # keep me
impact: major
components: [api]
updates:
  - at: 2026-11-20T09:14:00Z
    status: investigating
    message: 'We''re sorry: the API fails.'
    next_update: 30m
"""
MAINT = """\
title: Database upgrade
kind: maintenance
components: [db]
scheduled: {start: 2026-11-20T09:00:00Z, end: 2026-11-20T11:00:00Z}
updates:
  - at: 2026-11-19T09:00:00Z
    status: scheduled
    message: We will upgrade the database.
"""


@pytest.fixture
def site(tmp_path: Path) -> Path:
    return make_site(
        tmp_path,
        {"2026-11-20-api-errors.yaml": OPEN, "2026-11-20-db-upgrade.yaml": MAINT},
    )


def run(config: Path, *args: str, input: str | None = None, **env: str) -> Any:
    runner = CliRunner()
    return runner.invoke(
        main,
        [args[0], "--config", str(config), *args[1:]],
        input=input,
        env={"CANDOR_NOW": NOW, **env},
    )


def incident(config: Path, name: str = "2026-11-20-api-errors") -> Path:
    return config.parent / "incidents" / f"{name}.yaml"


def event(path: Path) -> Any:
    loaded = load_file(path, path.name, zone("UTC"))
    assert loaded.event is not None, loaded.problems
    return loaded.event


# --- update ------------------------------------------------------------------------------


def test_update_appends_and_keeps_every_byte(site: Path) -> None:
    path = incident(site)
    before = path.read_bytes()
    result = run(
        site, "update", "2026-11-20-api-errors", "--status", "Identified", "-m", "Found it.",
        "-c", "api=down", "--next", "1h", "--by", "Aiko", "--at", "09:40",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "added an update: identified" in result.output
    after = path.read_bytes()
    assert after.startswith(before)
    last = event(path).updates[-1]
    assert (last.status, last.message, last.by) == ("identified", "Found it.\n", "Aiko")
    assert last.components == {"api": "major_outage"}
    assert last.at.isoformat() == "2026-11-20T09:40:00+00:00"


def test_update_by_slug_and_message_from_stdin(site: Path) -> None:
    result = run(site, "update", "api-errors", "-s", "monitoring", "-m", "-", input="From stdin\n")
    assert result.exit_code == 0, result.output
    assert event(incident(site)).updates[-1].message == "From stdin\n"


def test_update_opens_the_editor(site: Path, tmp_path: Path) -> None:
    script = tmp_path / "editor.sh"
    script.write_text('#!/bin/sh\nsleep 0.05\nprintf "Written in the editor\\n" > "$1"\n')
    script.chmod(0o755)
    result = run(site, "update", "api-errors", "-s", "monitoring", EDITOR=str(script))
    assert result.exit_code == 0, result.output
    assert event(incident(site)).updates[-1].message == "Written in the editor\n"


def test_update_aborted_in_the_editor_changes_nothing(site: Path) -> None:
    before = incident(site).read_bytes()
    result = run(site, "update", "api-errors", "-s", "monitoring", EDITOR="true")
    assert result.exit_code == 1
    assert "nothing changed" in result.output
    assert incident(site).read_bytes() == before


UPDATE = ["update", "api-errors", "-s", "monitoring", "-m", "x"]
ERRORS = [
    (["update", "api-erors", *UPDATE[2:]], 1, "did you mean `2026-11-20-api-errors`"),
    (["update", "nothing-like-it", *UPDATE[2:]], 1, "no incident or maintenance"),
    (["update", "api-errors", "-s", "completed", "-m", "x"], 1, "use one of: investigating,"),
    (["update", "db-upgrade", "-s", "monitoring", "-m", "x"], 1, "use one of: scheduled,"),
    (["update", "api-errors", "-s", "fixed", "-m", "x"], 2, "'fixed' is not one of"),
    ([*UPDATE, "-c", "apx=ok"], 1, "did you mean `api`"),
    ([*UPDATE, "-c", "api=broken"], 2, "not a component status"),
    ([*UPDATE, "-c", "api"], 2, "names no status"),
    ([*UPDATE, "--next", "soon"], 2, "not a duration"),
    ([*UPDATE, "--at", "09:00"], 1, "earlier than the last update"),
    ([*UPDATE, "--at", "yesterday"], 2, "is not a time"),
    ([*UPDATE, "--at", "2026-11-21T09:00Z"], 1, "in the future"),
    ([*UPDATE[:-1], "TODO write this"], 1, "placeholder"),
    ([*UPDATE[:-1], "  \n"], 1, "empty"),
    (["update", "api-errors", "-m", "x"], 2, "Missing option '--status'"),
    (["resolve", "api-errors", "-m", "x", "-c", "wbe=ok"], 1, "did you mean `web`"),
    (["resolve", "nope", "-m", "x"], 1, "no incident or maintenance"),
    (["postmortem", "nope"], 1, "no incident or maintenance"),
]


@pytest.mark.parametrize(("args", "code", "message"), ERRORS)
def test_errors_change_nothing(site: Path, args: list[str], code: int, message: str) -> None:
    folder = site.parent / "incidents"
    before = {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in folder.iterdir()}
    result = run(site, *args)
    assert result.exit_code == code, result.output
    assert message in result.output
    assert "Traceback" not in result.output
    after = {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in folder.iterdir()}
    assert after == before


def test_the_placeholder_error_names_file_and_line(site: Path) -> None:
    result = run(site, "update", "api-errors", "-s", "monitoring", "-m", "fix <describe it>")
    assert result.exit_code == 1
    assert re.search(r"incidents/2026-11-20-api-errors\.yaml:\d+:\d+: error", result.output)


def test_a_file_changed_during_the_update_is_not_overwritten(
    site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = incident(site)
    real = edit.append_update

    def and_someone_saves(raw: bytes, update: Any, tz: Any) -> bytes:
        result = real(raw, update, tz)
        path.write_bytes(raw + b"# someone else's edit\n")
        return result

    monkeypatch.setattr("generator.authoring.site.append_update", and_someone_saves)
    result = run(site, "update", "api-errors", "-s", "monitoring", "-m", "x")
    assert result.exit_code == 1
    assert "changed on disk" in result.output
    assert path.read_bytes().endswith(b"# someone else's edit\n")


def test_a_file_with_errors_is_not_updated(tmp_path: Path) -> None:
    config = make_site(tmp_path, {"bad.yaml": OPEN.replace("impact: major", "impact: huge")})
    before = (tmp_path / "incidents" / "bad.yaml").read_bytes()
    result = run(config, "update", "bad", "-s", "monitoring", "-m", "x")
    assert result.exit_code == 1
    assert "fix them first" in result.output
    assert (tmp_path / "incidents" / "bad.yaml").read_bytes() == before


# --- resolve -------------------------------------------------------------------------------


def test_resolve_sets_every_affected_component_operational(site: Path) -> None:
    result = run(site, "resolve", "api-errors", "-m", "Fixed.", "-c", "db=degraded")
    assert result.exit_code == 0, result.output
    last = event(incident(site)).updates[-1]
    assert last.status == "resolved"
    assert last.components == {"api": "operational", "db": "degraded_performance"}
    again = run(site, "resolve", "api-errors", "-m", "Again.")
    assert again.exit_code == 1 and "already resolved" in again.output


def test_resolve_completes_a_maintenance(site: Path) -> None:
    result = run(site, "resolve", "db-upgrade", "-m", "Done.")
    assert result.exit_code == 0, result.output
    assert "completed" in result.output
    assert event(incident(site, "2026-11-20-db-upgrade")).updates[-1].status == "completed"


# --- new -----------------------------------------------------------------------------------


def test_new_with_a_message_passes_check(site: Path) -> None:
    result = run(
        site, "new", "Website is down", "--impact", "critical", "-c", "web",
        "-c", "api=major_outage", "-m", "We're sorry: the website is down.", "--next", "30m",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == "incidents/2026-11-20-website-is-down.yaml"
    created = event(site.parent / result.stdout.strip())
    assert created.impact == "critical" and created.components == ["web", "api"]
    assert created.updates[0].status == "investigating"
    assert run(site, "check").exit_code == 0


def test_new_without_a_message_writes_a_scaffold_check_refuses(site: Path) -> None:
    result = run(site, "new", "Login fails", "-c", "api")
    assert result.exit_code == 0, result.output
    path = site.parent / result.stdout.strip()
    text = path.read_text(encoding="utf-8")
    assert "Apologise first" in text.split("status: investigating")[1].split("\n")[2]
    check = run(site, "check")
    assert check.exit_code == 1
    lines = text.splitlines()
    for match in re.finditer(r"2026-11-20-login-fails\.yaml:(\d+):(\d+): error", check.output):
        assert lines[int(match[1]) - 1][int(match[2]) - 1 :].startswith("[[")
    assert len(re.findall(r"login-fails\.yaml:\d+:\d+: error", check.output)) == 3


@pytest.mark.parametrize(
    ("title", "name"),
    [
        ("Café déjà vu – API", "2026-11-20-cafe-deja-vu-api"),
        ("データベース障害", "2026-11-20-incident"),
        ("Ｆｕｌｌｗｉｄｔｈ API ５００ errors", "2026-11-20-fullwidth-api-500-errors"),
    ],
)
def test_new_slugs(site: Path, title: str, name: str) -> None:
    result = run(site, "new", title, "-m", "Sorry.")
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == f"incidents/{name}.yaml"
    assert event(site.parent / result.stdout.strip()).title == title


def test_new_adds_a_suffix_on_a_clash_and_uses_the_site_day(tmp_path: Path) -> None:
    config = make_site(tmp_path, {}, timezone="Asia/Tokyo")
    outputs = [run(config, "new", "API errors", "-m", "Sorry.").stdout.strip() for _ in range(3)]
    # 10:00 UTC is 19:00 in Tokyo: still the 20th; at 16:00 UTC it is the 21st there.
    assert outputs == [
        "incidents/2026-11-20-api-errors.yaml",
        "incidents/2026-11-20-api-errors-2.yaml",
        "incidents/2026-11-20-api-errors-3.yaml",
    ]
    late = run(config, "new", "API errors", "-m", "Sorry.", CANDOR_NOW="2026-11-20T16:00Z")
    assert late.stdout.strip() == "incidents/2026-11-21-api-errors.yaml"


def test_new_maintenance(site: Path) -> None:
    result = run(
        site, "new", "Network upgrade", "--maintenance", "--start", "2026-11-22T02:00",
        "--end", "2026-11-22T04:00", "-c", "api", "-m", "We will upgrade the network.",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    created = event(site.parent / result.stdout.strip())
    assert created.is_maintenance and created.updates[0].status == "scheduled"
    assert created.scheduled.start.isoformat() == "2026-11-22T02:00:00+00:00"
    assert run(site, "check").exit_code == 0


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["--maintenance"], 2, "--maintenance needs --start and --end"),
        (["--start", "2026-11-22T02:00"], 2, "are for --maintenance"),
        (["-c", "wbe"], 1, "did you mean `web`"),
        (["--impact", "huge"], 2, "'huge' is not one of"),
        (["-m", "TBD"], 1, "placeholder"),
    ],
)
def test_new_errors_create_nothing(site: Path, args: list[str], code: int, message: str) -> None:
    before = sorted((site.parent / "incidents").iterdir())
    result = run(site, "new", "Something", *args)
    assert result.exit_code == code, result.output
    assert message in result.output
    assert sorted((site.parent / "incidents").iterdir()) == before


# --- postmortem ------------------------------------------------------------------------------


def test_postmortem_skeleton_keeps_every_byte_and_check_refuses_each_prompt(site: Path) -> None:
    assert run(site, "resolve", "api-errors", "-m", "Fixed.", "--at", "09:50").exit_code == 0
    path = incident(site)
    before = path.read_bytes()
    result = run(site, "postmortem", "api-errors")
    assert result.exit_code == 0, result.output
    after = path.read_bytes()
    assert after.startswith(before)
    section = after[len(before) :].decode()
    assert "#   impact: major; components: Public API (api)" in section
    assert "first update: 20 Nov 2026, 09:14 UTC" in section
    assert "(duration 36 min)" in section
    assert "published_at: 2026-11-20T10:00:00Z" in section
    assert "first person" in section and 'Not "for any inconvenience"' in section
    check = run(site, "check")
    assert check.exit_code == 1
    lines = after.decode().splitlines()
    places = re.findall(r"api-errors\.yaml:(\d+):(\d+): error: `postmortem\.(\w+)", check.output)
    assert [p[2] for p in places] == [
        "apology", "what_happened", "why", "what_we_did", "impact", "prevention",
    ]  # fmt: skip
    for line, column, _ in places:
        assert lines[int(line) - 1][int(column) - 1 :].startswith("[[")
    again = run(site, "postmortem", "api-errors")
    assert again.exit_code == 1 and "already has a postmortem" in again.output


# --- status and completion -------------------------------------------------------------------


def test_status_shows_what_is_open_and_due(site: Path) -> None:
    result = run(site, "status")
    assert result.exit_code == 0, result.output
    out = result.output
    # What needs a person comes first: the overdue promise, with the command that answers it.
    assert out.startswith(
        "Next, most urgent first:\n"
        "  Update OVERDUE  2026-11-20-api-errors: API errors\n"
        "    next update promised by 2026-11-20 09:44 UTC: OVERDUE by 16 min\n"
        "    last update 46 min ago (2026-11-20 09:14 UTC)\n"
        "    candor update api-errors --status investigating\n"
    ), out
    assert "\nPartial System Outage (indicator: major)\n" in out
    assert "Public API (api): partial outage" in out
    assert "2026-11-20-api-errors: API errors" in out
    assert "next update due 2026-11-20 09:44 UTC, OVERDUE by 16 min" in out
    assert "Maintenance in progress: 1" in out and "2026-11-20-db-upgrade" in out


def test_status_orders_what_is_due_by_urgency(tmp_path: Path) -> None:
    quiet = OPEN.replace("    next_update: 30m\n", "").replace("API errors", "Slow logins")
    later = OPEN.replace("09:14", "09:50").replace("API errors", "Slow search")
    done = OPEN.replace("title: API errors", "title: Lost emails") + (
        "  - at: 2026-11-19T10:00:00Z\n    status: resolved\n    message: Fixed.\n"
    ).replace("2026-11-19", "2026-11-20").replace("10:00", "09:30")
    config = make_site(
        tmp_path,
        {
            "2026-11-20-api-errors.yaml": OPEN,
            "2026-11-20-slow-logins.yaml": quiet,
            "2026-11-20-slow-search.yaml": later,
            "2026-11-19-lost-emails.yaml": done.replace("2026-11-20T09", "2026-11-19T09"),
        },
    )
    out = run(config, "status", "--now", "2026-11-20T10:00Z").output
    heads = [line.split("  ")[1] for line in out.split("\n\n")[0].splitlines()[1:]
             if not line.startswith("    ")]  # fmt: skip
    assert heads == [
        "Update OVERDUE",  # api-errors: promised 09:44
        "Open",  # slow-logins: silent since 09:14, no promise
        "Open",  # slow-search: last update 09:50, next due 10:20
        "Postmortem OVERDUE",  # lost-emails: resolved 19 Nov 09:30, due 24 h later
    ]
    blocks = out.split("\n\n")[0]
    assert blocks.index("slow-logins") < blocks.index("slow-search") < blocks.index("lost-emails")
    assert "    last update 10 min ago (2026-11-20 09:50 UTC)\n" in blocks
    assert "    next update due 2026-11-20 10:20 UTC, in 20 min\n" in blocks
    assert "    due 2026-11-20 09:30 UTC, OVERDUE by 30 min\n" in blocks
    assert "    candor postmortem lost-emails --edit" in blocks


def test_status_with_nothing_due(tmp_path: Path) -> None:
    out = run(make_site(tmp_path, {}), "status").output
    assert out.startswith("Next: nothing is due.\n\nAll Systems Operational")


def test_status_lists_a_postmortem_due(site: Path) -> None:
    run(site, "resolve", "api-errors", "-m", "Fixed.", "--at", "09:50")
    result = run(site, "status", "--now", "2026-11-22T10:00Z")
    assert "Postmortem OVERDUE  2026-11-20-api-errors: API errors" in result.output
    assert "due 2026-11-21 09:50 UTC, OVERDUE by 1 d" in result.output
    assert "candor postmortem api-errors --edit" in result.output


def _complete(args: list[str], incomplete: str) -> list[str]:
    completer = ShellComplete(main, {}, "candor", "_CANDOR_COMPLETE")
    return [c.value for c in completer.get_completions(args, incomplete)]


def test_completion_of_ids_statuses_and_components(site: Path) -> None:
    config = ["--config", str(site)]
    assert _complete(["update", *config], "2026") == [
        "2026-11-20-db-upgrade",
        "2026-11-20-api-errors",
    ]
    assert _complete(["update", *config, "api-errors", "--status"], "") == [
        "investigating", "identified", "monitoring", "resolved",
    ]  # fmt: skip
    assert _complete(["update", *config, "api-errors", "-s", "monitoring", "-c"], "w") == ["web"]
    assert "api=major_outage" in _complete(["resolve", *config, "x", "-c"], "api=ma")


# --- the installed command, end to end ---------------------------------------------------------


def test_console_script_new_update_resolve_postmortem_check(tmp_path: Path) -> None:
    if not CANDOR.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{CANDOR} is missing: run `make build`")
        pytest.skip(f"{CANDOR} is not installed")
    config = make_site(tmp_path, {})
    env = {**os.environ, "CANDOR_NOW": "2026-11-20T09:00Z"}

    def candor(*args: str, now: str | None = None) -> subprocess.CompletedProcess[str]:
        e = {**env, "CANDOR_NOW": now} if now else env
        return subprocess.run(
            [str(CANDOR), *args], cwd=tmp_path, env=e, capture_output=True, text=True, timeout=60
        )

    made = candor("new", "Checkout errors", "--impact", "major", "-c", "api", "-m", "Sorry!")
    assert made.returncode == 0, made.stderr
    ident = Path(made.stdout.strip()).stem
    assert ident == "2026-11-20-checkout-errors"
    step = candor("update", ident, "-s", "identified", "-m", "Bad deploy.", now="2026-11-20T09:20Z")
    assert step.returncode == 0, step.stderr
    done = candor("resolve", ident, "-m", "Rolled back.", now="2026-11-20T09:45Z")
    assert done.returncode == 0, done.stderr
    assert candor("check", now="2026-11-20T09:50Z").returncode == 0
    pm = candor("postmortem", ident, now="2026-11-20T12:00Z")
    assert pm.returncode == 0, pm.stderr
    check = candor("check", now="2026-11-20T12:00Z")
    assert check.returncode == 1
    assert (
        len(re.findall(rf"incidents/{ident}\.yaml:\d+:\d+: error: .*\[placeholder\]", check.stdout))
        == 6
    )
    loaded = event(config.parent / "incidents" / f"{ident}.yaml")
    assert [u.status for u in loaded.updates] == ["investigating", "identified", "resolved"]


# --- serve -----------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return str(response.read().decode("utf-8"))
    except OSError:
        return None


def _wait_for(url: str, text: str, seconds: float = 60) -> str:
    """The page at `url` once it contains `text` (a rebuild takes a moment), else the last."""
    deadline = time.monotonic() + seconds
    page = ""
    while time.monotonic() < deadline:
        page = _fetch(url) or ""
        if text in page:
            break
        time.sleep(0.3)
    return page


def _wait_until_gone(url: str, seconds: float = 60) -> bool:
    """Whether the page at `url` stops being served (404) within `seconds`."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if _fetch(url) is None:
            return True
        time.sleep(0.3)
    return False


def test_serve_rebuilds_when_an_incident_file_changes(tmp_path: Path) -> None:
    for name in ("mkdocs.yml", "incidents", "site_src", "theme"):
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, tmp_path / name)
        elif source.exists():
            shutil.copy(source, tmp_path / name)
    port = _free_port()
    url = f"http://127.0.0.1:{port}/incidents/2026-11-12-slow-api-responses-us-east/"
    if not CANDOR.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{CANDOR} is missing: run `make build`")
        pytest.skip(f"{CANDOR} is not installed")
    # A file, not a pipe: mkdocs logs every rebuild and a full pipe would stall the server.
    log = (tmp_path / "serve.log").open("wb")
    # The served folder, and each build's files moved aside from it, live in TMPDIR.
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    # Started with Ctrl-C's default meaning: a shell running the tests in the background
    # hands its children SIGINT ignored, and Python keeps an ignored SIGINT ignored.
    with_ctrl_c = "import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_DFL); " + (
        "os.execv(sys.argv[1], sys.argv[1:])"
    )
    process = subprocess.Popen(
        [
            sys.executable,
            "-c",
            with_ctrl_c,
            str(CANDOR),
            "serve",
            "--dev-addr",
            f"127.0.0.1:{port}",
        ],
        cwd=tmp_path,
        # A hang dumps every thread's stack into the log (SIGABRT below).
        env={
            **os.environ,
            "CANDOR_NOW": "2026-11-20T10:00Z",
            "TMPDIR": str(temporary),
            "PYTHONFAULTHANDLER": "1",
        },
        stdout=subprocess.DEVNULL,
        stderr=log,
    )
    try:
        page = None
        deadline = time.monotonic() + 90
        while page is None and time.monotonic() < deadline:
            if process.poll() is not None:
                serve_log = (tmp_path / "serve.log").read_text(errors="replace")
                pytest.fail(f"candor serve exited: {serve_log[-2000:]}")
            time.sleep(0.3)
            page = _fetch(url)
        assert page is not None, "candor serve did not answer within 90 s"
        assert "Slow API responses in us-east" in page
        path = tmp_path / "incidents" / "2026-11-12-slow-api-responses-us-east.yaml"
        path.write_text(
            path.read_text(encoding="utf-8").replace(
                "title: Slow API responses in us-east", "title: Sluggish API in us-east"
            ),
            encoding="utf-8",
        )
        page = _wait_for(url, "Sluggish API in us-east")
        assert "Sluggish API in us-east" in page

        # A broken save shows the problems, with their place, instead of killing the server.
        good = path.read_text(encoding="utf-8")
        path.write_text(good.replace("impact: minor", "impact: minr"), encoding="utf-8")
        home = f"http://127.0.0.1:{port}/"
        page = _wait_for(home, "before this site can be published")
        assert "before this site can be published" in page
        assert "incidents/2026-11-12-slow-api-responses-us-east.yaml:2:9" in page
        assert "did you mean `minor`?" in page
        assert process.poll() is None, "candor serve died on a broken file"
        path.write_text(good, encoding="utf-8")
        page = _wait_for(url, "Sluggish API in us-east")
        assert "Sluggish API in us-east" in page

        # The previous build goes whole: a deleted incident's page is not served on.
        path.unlink()
        assert _wait_until_gone(url), "the deleted incident's page is still served"
        home_page = _fetch(home)
        assert home_page is not None and "Sluggish API in us-east" not in home_page

        # Stopped with Ctrl-C, it leaves nothing in TMPDIR: the served folder and every
        # earlier build moved aside are removed.
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.send_signal(signal.SIGABRT)
            process.wait(timeout=30)
            serve_log = (tmp_path / "serve.log").read_text(errors="replace")
            pytest.fail(f"candor serve did not stop on Ctrl-C:\n{serve_log[-6000:]}")
        assert sorted(p.name for p in temporary.iterdir()) == []
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


# --- the longest ids ---------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize("suffix", [".yaml", ".yml"])
def test_the_longest_id_a_file_name_allows_is_updated_resolved_and_built(
    tmp_path: Path, suffix: str
) -> None:
    # File names have at most 255 bytes: the id takes all that the extension leaves.
    ident = "2026-11-20-" + "a" * (255 - len(suffix) - 11)
    assert len(ident + suffix) == 255
    config = make_site(tmp_path, {ident + suffix: OPEN})
    path = tmp_path / "incidents" / (ident + suffix)
    steps = [
        ["update", "aaaa", "--status", "identified", "--message", "A bad deploy."],
        ["resolve", ident, "--message", "Rolled back; no data was lost.", "--at", NOW],
    ]
    for args in steps:
        before = path.read_bytes()
        result = run(config, *args)
        assert result.exit_code == 0, result.output
        assert path.read_bytes().startswith(before) and path.read_bytes() != before
    assert event(path).updates[-1].status == "resolved"
    (tmp_path / "docs").mkdir()
    assert run(config, "check").exit_code == 0
    out = tmp_path / "out"
    result = run(config, "build", "--out", str(out))
    assert result.exit_code == 0, result.output
    page = (out / "incidents" / ident / "index.html").read_text("utf-8")
    document = html5lib.parse(page, namespaceHTMLElements=False)
    assert "".join(document.find(".//h1").itertext()).strip() == "API errors"
    resolved = path.read_bytes()
    result = run(config, "postmortem", ident)
    assert result.exit_code == 0, result.output
    assert path.read_bytes().startswith(resolved) and b"postmortem:" in path.read_bytes()
    assert sorted(p.name for p in path.parent.iterdir()) == [path.name]
