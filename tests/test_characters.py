"""Characters that are not text never reach a reader: U+FFFD in outputs, a visible escape in
the terminal (`candor status`, `candor check` in every format, error messages)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from candor_sites import make_site
from click.testing import CliRunner

from generator.cli import main
from generator.core import characters
from generator.core.errors import CandorError
from generator.outputs import plaintext

# An OSC that retitles the terminal, a CSI colour, a C1 CSI, a bell and a lone CR.
HOSTILE = "\x1b]0;pwned\x07Red \x1b[31mAlert\x1b[0m \x9b2J\rgone"
FORBIDDEN = ["\x1b", "\x07", "\x9b", "\r", "\x00"]


def test_inert_shows_every_control_character_as_an_escape() -> None:
    assert characters.inert(HOSTILE) == ("\\e]0;pwned\\aRed \\e[31mAlert\\e[0m \\u009b2J\\rgone")
    assert characters.inert("line 1\nline 2\ttab") == "line 1\nline 2\ttab"
    assert characters.inert("title\nOpen incidents: none", one_line=True) == (
        "title\\nOpen incidents: none"
    )
    assert characters.inert("\x00\x7f\ud800\ufffe") == "\\u0000\\u007f\\ud800\\ufffe"


def test_visible_replaces_what_is_not_text_and_keeps_the_rest() -> None:
    assert characters.visible("a\x00b\x1bc\x85d\ufffee") == "a\ufffdb\ufffdc\ufffdd\ufffde"
    assert characters.visible("tab\tand\nnew line\r\n日本") == "tab\tand\nnew line\r\n日本"
    assert plaintext.line("a\x00b\x1b]0;pwned\x07c\x9bd") == "a\ufffdb\ufffd]0;pwned\ufffdc\ufffdd"


def test_json_safe_keeps_the_values() -> None:
    value = {"title": HOSTILE + "\ud800 日本"}
    text = characters.json_safe(json.dumps(value, ensure_ascii=False))
    assert all(char not in text for char in FORBIDDEN)
    assert json.loads(text) == value
    assert "日本" in text


def test_error_messages_are_inert() -> None:
    assert CandorError(f"bad value `{HOSTILE}`").format_message() == (
        f"bad value `{characters.inert(HOSTILE)}`"
    )


def _quoted(value: str) -> str:
    """A YAML double-quoted scalar: the escapes spell the control characters."""
    return json.dumps(value)


INCIDENT = f"""\
title: {_quoted(HOSTILE)}
impact: major
components: [api]
updates:
  - at: 2026-11-30T23:00:00Z
    status: investigating
    message: We are looking into it.
    next_update: 30m
    by: {_quoted(HOSTILE)}
"""
BAD_VALUE = f"""\
title: Broken
impact: {_quoted("major" + HOSTILE)}
components: [api]
updates:
  - at: 2026-11-30T23:00:00Z
    status: investigating
    message: We are looking into it.
"""


def _site(tmp_path: Path) -> Path:
    files = {"2026-11-30-escape.yaml": INCIDENT, "2026-11-30-bad.yaml": BAD_VALUE}
    return make_site(tmp_path, files)


@pytest.mark.parametrize(
    "args",
    [
        ["status"],
        ["check"],
        ["check", "--format", "github"],
        ["check", "--format", "json"],
        ["check", "--strict"],
    ],
)
def test_no_escape_sequence_reaches_the_terminal(tmp_path: Path, args: list[str]) -> None:
    config = _site(tmp_path)
    result = CliRunner().invoke(
        main, [*args, "--config", str(config), "--now", "2026-12-01T00:00Z"]
    )
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    output = result.stdout + result.stderr
    assert all(char not in output for char in FORBIDDEN), repr(output)
    # The bad impact is reported, its value shown inert.
    if args[0] == "check":
        assert result.exit_code == 1
    if args[0] == "check" and args[-1] != "json":
        assert "major\\e]0;pwned\\a" in output
    if args[-1] == "json":
        found = json.loads(result.stdout)
        assert any(HOSTILE in p["message"] for p in found["problems"])
    if args == ["status"]:
        # Shown inert, or left out as a file with errors: never acted on.
        shown = f"2026-11-30-escape: {characters.inert(HOSTILE, one_line=True)}"
        assert shown in output or "has errors: incidents/2026-11-30-escape.yaml" in output


def test_a_subprocess_gets_no_escape_bytes(tmp_path: Path) -> None:
    config = _site(tmp_path)
    for args in (["status"], ["check"], ["check", "--format", "github"]):
        done = subprocess.run(
            [str(Path(sys.executable).parent / "candor"), *args, "--config", str(config)],
            capture_output=True,
            env={"CANDOR_NOW": "2026-12-01T00:00Z", "PATH": "/usr/bin:/bin"},
            check=False,
        )
        raw = done.stdout + done.stderr
        assert b"Traceback" not in raw
        assert all(byte not in raw for byte in (b"\x1b", b"\x07", b"\xc2\x9b", b"\r")), raw


CANDOR = str(Path(sys.executable).parent / "candor")
ESCAPE_BYTES = (b"\x1b", b"\x07", b"\xc2\x9b", b"\r", b"\x00")


def _run(config: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    done = subprocess.run(
        [CANDOR, *args, "--config", str(config)],
        capture_output=True,
        env={"CANDOR_NOW": "2026-11-30T23:30Z", "PATH": "/usr/bin:/bin"},
        check=False,
    )
    raw = done.stdout + done.stderr
    assert b"Traceback" not in raw
    assert all(byte not in raw for byte in ESCAPE_BYTES), raw
    return done


def test_new_update_and_resolve_print_no_escape_bytes(tmp_path: Path) -> None:
    config = make_site(tmp_path, {"2026-11-30-escape.yaml": INCIDENT})
    title = "API \x1b]0;pwned\x07 errors"
    _run(config, "new", title, "--impact", "major", "--component", "api", "--message", HOSTILE)
    _run(config, "update", "escape", "--status", "identified", "--message", HOSTILE)
    _run(config, "update", "escape", "--status", "monitoring", "--by", "\x1b[2J\x9b2J")
    _run(config, "resolve", "escape", "--message", HOSTILE)
    _run(config, "postmortem", "escape")


def test_notify_prints_no_escape_bytes(tmp_path: Path) -> None:
    config = make_site(
        tmp_path,
        {"2026-11-30-escape.yaml": INCIDENT},
        notify=[{"type": "slack", "url_env": "HOOK_URL"}],
    )
    previous = tmp_path / "previous"
    previous.mkdir()
    (previous / "history.atom").write_text('<feed xmlns="http://www.w3.org/2005/Atom"/>')
    done = _run(config, "notify", "--dry-run", "--previous", str(previous))
    out = done.stdout.decode("utf-8")
    # Sent with the title as text, or refused as a file with errors: never acted on.
    assert ("would send" in out and "]0;pwned" in out) or "control-character" in (
        out + done.stderr.decode("utf-8")
    )


NOT_TEXT = "a\x00b\x1b]0;pwned\x07c\x9bd\x7fe"
EVERY_FIELD = f"""\
title: {_quoted("Title " + NOT_TEXT)}
impact: major
components: [api]
updates:
  - at: 2026-11-30T22:00:00Z
    status: investigating
    message: {_quoted("Message " + NOT_TEXT)}
    by: {_quoted("By " + NOT_TEXT)}
  - at: 2026-11-30T23:00:00Z
    status: resolved
    message: Fixed.
postmortem:
  published_at: 2026-11-30T23:30:00Z
  apology: {_quoted("Sorry " + NOT_TEXT)}
  what_happened: Things.
  why: Reasons.
  what_we_did: Fixes.
  impact: Some.
  prevention:
    - action: {_quoted("Act " + NOT_TEXT)}
      status: done
"""


def test_no_character_that_is_not_text_reaches_any_output(tmp_path: Path) -> None:
    # Whatever check says of these (SPEC §4 makes them errors), the outputs never carry them.
    from xml.etree import ElementTree

    from generator.core.project import load_project
    from generator.outputs.artifacts import build_artifacts
    from generator.outputs.pages import plan_site

    config = make_site(tmp_path, {"2026-11-30-every.yaml": EVERY_FIELD})
    project = load_project(config, "2026-12-01T00:00Z")
    state = project.derive()
    assert [e.id for e in state.events] == ["2026-11-30-every"]
    outputs = {p: d.decode("utf-8") for p, d in build_artifacts(project.settings, state).items()}
    # As the plugin hands them on: the body made, then what on_post_page does to every page.
    pages = plan_site(project.settings, state)
    outputs |= {page.src_uri: characters.visible(page.make()) for page in pages}
    for path, text in outputs.items():
        assert characters.NOT_TEXT.search(text) is None, (path, repr(text[:200]))
        if path.endswith(".json"):
            json.loads(text)
        elif path.endswith((".atom", ".rss", ".svg")):
            ElementTree.fromstring(text)
    incidents = json.loads(outputs["api/v2/incidents.json"])["incidents"]
    assert incidents[0]["name"] == "Title a\ufffdb\ufffd]0;pwned\ufffdc\ufffdd\ufffde"
    assert "]0;pwned" in outputs["incidents/2026-11-30-every/index.md"]
