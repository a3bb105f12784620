"""The promise between the commands (SPEC §4): when `candor check` exits 0, `candor build` on
the same files and `--now` succeeds. Hypothesis writes incident files with arbitrary Unicode
(control characters raw and escaped, surrogates, RTL, emoji, NUL), extreme dates and
durations, odd Markdown and HTML; whatever check passes, a real mkdocs build must build.

CANDOR_PROMISE_EXAMPLES sets how many examples run (default 200; CI may ask for more)."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from generator.cli import main

EXAMPLES = int(os.environ.get("CANDOR_PROMISE_EXAMPLES", "200"))

CONFIG = """\
site_name: Promise Status
site_url: https://status.promise.dev/
theme:
  name: material
plugins:
  - candor:
      timezone: Europe/Berlin
      uptime_days: 3
      feed_entries: 5
      components:
        - {id: api, name: Public API}
        - {id: web, name: Website, group: Core}
"""

# Pieces people paste into status updates, and pieces meant to break things: those a check
# lets through, and control characters, which it must refuse.
SNIPPETS = [
    "\u202eevil\u202c",
    "שלום",
    "🙂",
    "\ufeff",
    "\u2028",
    "\u00a0",
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<!-- unclosed",
    "`Vec<u8>`",
    "`<timeout>`",
    "[details](javascript:alert(1))",
    "java&#115;cript:",
    "&amp; &lt; &",
    "**bold** _it_ ~~x~~",
    "```\ncode\n```",
    "| a | b |\n|---|---|\n| 1 | 2 |",
    "# heading",
    "]]>",
    "\\",
    "\t",
    "> quote",
    "1. one\n2. two",
    "https://example.org/a?b=c&d=e",
    "<https://example.org/>",
    "%s %(x)s {0}",
]
CONTROLS = ["\x1b[31mERROR\x1b[0m", "\x00", "\x07", "\x85", "\x7f", "\ud800", "\uffff", "\r"]
GOOD_TIMES = [
    "2026-11-20T09:14:00Z",
    "2026-11-20T10:14:00",
    "2026-11-20T11:00+01:00",
    "1970-01-01T00:00:00Z",
    "1970-01-01T00:30+00:30",
    "9999-12-29T22:00:00Z",
]
TIMES = [
    *GOOD_TIMES,
    "2026-03-29T02:30:00",
    "9999-12-31T23:59:59Z",
    "0001-01-01T00:30+01:00",
    "2026-02-30T00:00Z",
]
DURATIONS = ["1m", "30m", "24h", "8784h", "8785h", "527040m", "80000000h", "0m"]
NOWS = ["2026-11-21T12:00Z", "9999-12-29T23:59Z", "1970-01-02T00:00Z"]

_GOOD_CHARS = st.characters(blacklist_categories=("Cc", "Cs", "Cn"))
_SAFE_MIX = st.lists(
    st.sampled_from(SNIPPETS) | st.text(_GOOD_CHARS, max_size=8), min_size=1, max_size=5
).map(" ".join)
_ANY_MIX = st.lists(
    st.sampled_from(SNIPPETS + CONTROLS) | st.text(max_size=8), min_size=1, max_size=5
).map(" ".join)
# A quarter of the files are hostile: any text, any time. The others would pass the check
# often enough that most examples go on to a build.
SAFE_TEXT = st.one_of(st.text(_GOOD_CHARS, min_size=1, max_size=30), _SAFE_MIX)
ANY_TEXT = st.one_of(SAFE_TEXT, _ANY_MIX, st.text(max_size=30))
SAFE_MOMENT = st.sampled_from(GOOD_TIMES)
ANY_MOMENT = st.sampled_from(TIMES)


def scalar(value: str, raw: bool) -> str:
    """A YAML scalar: JSON quoting (control characters become escapes), or a raw block."""
    if not raw:
        return json.dumps(value, ensure_ascii=False)
    return "|\n" + "".join(f"      {line}\n" for line in (value or "x").split("\n"))


@st.composite
def incident_file(draw: Any) -> str:
    hostile = draw(st.integers(0, 3)) == 0
    text = ANY_TEXT if hostile else SAFE_TEXT
    moment = ANY_MOMENT if hostile else SAFE_MOMENT
    maintenance = draw(st.booleans())
    lines = [f"title: {scalar(draw(text), False)}"]
    statuses = (
        ["scheduled", "in_progress", "verifying", "completed"]
        if maintenance
        else ["investigating", "identified", "monitoring", "resolved"]
    )
    if maintenance:
        start, end = sorted(draw(st.lists(moment, min_size=2, max_size=2)))
        lines += ["kind: maintenance", f'scheduled: {{start: "{start}", end: "{end}"}}']
    else:
        lines.append(f"impact: {draw(st.sampled_from(['none', 'minor', 'major', 'critical']))}")
    lines.append(f"components: {draw(st.sampled_from(['[]', '[api]', '[api, web]']))}")
    if draw(st.booleans()):
        lines.append(f'started_at: "{draw(moment)}"')
    lines.append("updates:")
    for at in sorted(draw(st.lists(moment, min_size=1, max_size=3))):
        lines += [
            f'  - at: "{at}"',
            f"    status: {draw(st.sampled_from(statuses))}",
            f"    message: {scalar(draw(text), draw(st.booleans()))}",
        ]
        if draw(st.booleans()):
            durations = DURATIONS if hostile else DURATIONS[:4]
            lines.append(f"    next_update: {draw(st.sampled_from(durations))}")
        if draw(st.booleans()):
            lines.append("    components: {api: major_outage}")
    if draw(st.booleans()):
        lines += [
            "postmortem:",
            f'  published_at: "{draw(moment)}"',
            *(
                f"  {key}: {scalar(draw(text), False)}"
                for key in ("apology", "what_happened", "why", "what_we_did", "impact")
            ),
            "  prevention:",
            f"    - action: {scalar(draw(text), False)}",
            f"      status: {draw(st.sampled_from(['planned', 'done']))}",
            f"      due: {draw(st.sampled_from(['1969-12-31', '2026-12-01', '9999-12-31']))}",
        ]
    return "\n".join(lines) + "\n"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("promise")
    (folder / "mkdocs.yml").write_text(CONFIG, encoding="utf-8")
    (folder / "incidents").mkdir()
    return folder


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(files=st.lists(incident_file(), min_size=1, max_size=3), now=st.sampled_from(NOWS))
def test_whatever_check_passes_builds(site: Path, files: list[str], now: str) -> None:
    incidents = site / "incidents"
    shutil.rmtree(incidents)
    incidents.mkdir()
    for index, content in enumerate(files):
        (incidents / f"2026-11-20-incident-{index}.yaml").write_bytes(
            content.encode("utf-8", "surrogatepass")
        )
    config = str(site / "mkdocs.yml")
    result = CliRunner().invoke(
        main, ["check", "--format", "json", "--config", config, "--now", now]
    )
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert result.exit_code in (0, 1), result.output
    if result.exit_code == 1:
        event(
            "check failed: "
            + ", ".join(
                sorted(
                    {
                        p["rule"]
                        for p in json.loads(result.output)["problems"]
                        if p["severity"] == "error"
                    }
                )
            )
        )
        return
    event("check passed: built")
    report = json.loads(result.output)
    assert report["errors"] == 0
    built = CliRunner().invoke(
        main, ["build", "--config", config, "--out", str(site / "out"), "--now", now]
    )
    assert built.exit_code == 0 and built.exception is None, (files, built.output)
    assert "Traceback" not in built.output
    assert (site / "out" / "index.html").is_file()
    # The public record never shows a negative time to postmortem (a preliminary review,
    # published before resolution, counts as 0; one before the incident began fails check).
    summary = json.loads((site / "out" / "api/v2/summary.json").read_text(encoding="utf-8"))
    minutes = summary["communication"]["median_minutes_to_postmortem"]
    assert minutes is None or minutes >= 0, files
