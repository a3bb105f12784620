"""The rules of SPEC §4 over loaded files: placeholders, components, times and warnings."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from candor_sites import check_file as check_any_file
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from generator import rules
from generator.core.config import CandorConfig
from generator.core.errors import Problem
from generator.core.load import load_file
from generator.core.model import SWITCHABLE_RULES
from generator.core.times import zone
from generator.rules import SCAFFOLD_CLOSE, SCAFFOLD_OPEN, find_placeholders


def check_file(text: str | bytes, **options: Any) -> list[Problem]:
    """The rules of SPEC §4 alone: the communication rules (SPEC §8, which would also judge
    these small fixtures' wording) are switched off here and tested in their own modules."""
    return check_any_file(text, **{"ignore": list(SWITCHABLE_RULES), **options})


TS_HINT = "write it as YYYY-MM-DDTHH:MM[:SS][Z|±HH:MM], e.g. 2026-11-20T09:14:00Z"
PLACEHOLDER_HINT = "replace it with the real text before publishing"


def incident(message: str = "All good.", style: str = "|", impact: str = "minor") -> str:
    body = "\n".join("      " + line if line else "" for line in message.split("\n"))
    return (
        "title: Slow dashboard\n"
        f"impact: {impact}\n"
        "components: [web]\n"
        "updates:\n"
        "  - at: 2026-11-20T09:14:00Z\n"
        "    status: resolved\n"
        f"    message: {style}\n"
        f"{body}\n"
    )


def found(text: str, **kw: object) -> list[tuple[str, str]]:
    return [(p.location(), p.rule) for p in check_file(text, **kw)]  # type: ignore[arg-type]


# --- placeholders -----------------------------------------------------------------------


@pytest.mark.parametrize("style", ["|", ">", "|-", ">+"])
@pytest.mark.parametrize(
    ("line", "needle", "what"),
    [
        ("We are sorry. TODO: say what broke.", "TODO", "a placeholder word"),
        ("Fix expected by TBD.", "TBD", "a placeholder word"),
        ("FIXME explain the cause", "FIXME", "a placeholder word"),
        ("Affected regions: XXX", "XXX", "a placeholder word"),
        ("Dear {{ customer }}, we apologise.", "{{ customer }}", "a template placeholder"),
        ("Hello <customer name>, sorry.", "<customer name>", "an angle-bracket blank"),
        ("Start: <date>", "<date>", "an angle-bracket blank"),
        (
            f"{SCAFFOLD_OPEN}Apologise in one sentence{SCAFFOLD_CLOSE} and more",
            f"{SCAFFOLD_OPEN}Apologise in one sentence{SCAFFOLD_CLOSE}",
            "a prompt of the scaffold",
        ),
    ],
)
def test_placeholder_in_block_string_is_found_at_its_text(
    style: str, line: str, needle: str, what: str
) -> None:
    text = incident(f"First line is fine.\n\nSecond paragraph. {line}", style)
    problems = check_file(text)
    assert len(problems) == 1, [str(p) for p in problems]
    column = 7 + len("Second paragraph. ") + line.index(needle)
    p = problems[0]
    assert (p.location(), p.rule, p.hint) == (
        f"incidents/x.yaml:10:{column}",
        "placeholder",
        PLACEHOLDER_HINT,
    )
    assert p.message == f"`updates[0].message` still holds {what}: `{needle}`"


def test_every_occurrence_is_reported_at_its_own_place() -> None:
    text = incident("TODO one\n`TODO` in code\nthen TODO two")
    assert found(text) == [
        ("incidents/x.yaml:8:7", "placeholder"),
        ("incidents/x.yaml:10:12", "placeholder"),
    ]


@pytest.mark.parametrize("style", ["|", "|-", ">"])
def test_a_prompt_over_two_lines_is_found_where_it_starts_and_quoted_on_one_line(
    style: str,
) -> None:
    message = (
        f"We're sorry: about {SCAFFOLD_OPEN} how many, e.g. one in\nten {SCAFFOLD_CLOSE} fail."
    )
    problems = check_file(incident(message, style))
    assert [(p.location(), p.rule) for p in problems] == [("incidents/x.yaml:8:26", "placeholder")]
    assert problems[0].message == (
        "`updates[0].message` still holds a prompt of the scaffold: "
        f"`{SCAFFOLD_OPEN} how many, e.g. one in ten {SCAFFOLD_CLOSE}`"
    )
    assert "\n" not in problems[0].message


def test_a_placeholder_is_not_placed_on_a_comment_of_the_block_header() -> None:
    text = incident("We are looking into it. TODO add a time.").replace(
        "message: |", "message: |  # TODO: shorter"
    )
    assert found(text) == [("incidents/x.yaml:8:31", "placeholder")]


def test_unsafe_html_over_a_line_break_is_quoted_on_one_line() -> None:
    problems = check_file(incident("A picture: <\nscript>alert(1)</script>"))
    assert [(p.location(), p.rule) for p in problems] == [("incidents/x.yaml:8:18", "unsafe-html")]
    assert "`< script`" in problems[0].message


def test_placeholders_in_plain_and_quoted_scalars() -> None:
    text = incident().replace("title: Slow dashboard", 'title: "Outage in <region>"')
    text = text.replace("components: [web]", "components: [web]\nstarted_at: 2026-11-20T09:00Z")
    text = text.replace("    status: resolved", "    status: resolved\n    by: TBD")
    assert found(text) == [
        ("incidents/x.yaml:1:19", "placeholder"),
        ("incidents/x.yaml:8:9", "placeholder"),
    ]


@pytest.mark.parametrize(
    "line",
    [
        "We saw 5xx errors and 4xx responses.",
        "Set `TODO_LIMIT` to `{{ value }}` in the config.",
        "Run ``echo TODO`` to see.",
        'Text in <b>bold</b>, <em>emphasis</em>, a <br/> and <a href="/x">link</a>.',
        "See <https://status.example.com/incidents/> or <ops@example.com>.",
        "Costs dropped: 3 < 5 and 7 > 2.",
        "Todo lists and TODOS are words; so is tbd in lower case.",
        "An xxx-large instance and XXXL shirts.",
        "Use a [link](https://example.com) and [another][ref].",
    ],
)
def test_ordinary_text_is_not_a_placeholder(line: str) -> None:
    assert found(incident(f"Intro.\n{line}")) == []


def test_fenced_code_is_exempt() -> None:
    message = "Run this:\n\n```\nTODO = {{ x }}  # <name>\n```\n\nAnd this:\n~~~\nFIXME\n~~~\nDone."
    assert found(incident(message)) == []


def test_find_placeholders_offsets() -> None:
    text = "a TODO b {{x}} <your name> [[fill me]]"
    got = sorted((offset, what) for offset, what, _ in find_placeholders(text))
    assert got == [(2, "TODO"), (9, "{{x}}"), (15, "<your name>"), (27, "[[fill me]]")]


def test_unsafe_html_is_a_warning_not_an_error() -> None:
    problems = check_file(incident("Look <script>alert(1)</script> here"))
    assert [(p.location(), p.rule, p.severity) for p in problems] == [
        ("incidents/x.yaml:8:12", "unsafe-html", "warning")
    ]


@pytest.mark.parametrize("quoted", [False, True])
def test_each_unsafe_html_is_reported_at_its_own_column(quoted: bool) -> None:
    message = "<script>a()</script> then <script>b()</script> and <SCRIPT>c()</SCRIPT>"
    text = incident(message)
    if quoted:
        text = text.replace(f"message: |\n      {message}", f'message: "{message}"')
    line, start = (7, 15) if quoted else (8, 7)
    assert [(p.location(), p.rule) for p in check_file(text)] == [
        (f"incidents/x.yaml:{line}:{start + message.index(needle)}", "unsafe-html")
        for needle in ("<script>a", "<script>b", "<SCRIPT>c")
    ]


# --- components -------------------------------------------------------------------------


def test_unknown_component_in_list_and_in_update() -> None:
    text = incident().replace("components: [web]", "components: [web, wbe]")
    text = text.replace(
        "    status: resolved", "    status: resolved\n    components: {apii: operational}"
    )
    problems = check_file(text)
    assert [(p.location(), p.rule, p.hint) for p in problems] == [
        (
            "incidents/x.yaml:3:19",
            "unknown-component",
            "did you mean `web`? Known components: api, web, db.",
        ),
        (
            "incidents/x.yaml:7:18",
            "unknown-component",
            "did you mean `api`? Known components: api, web, db.",
        ),
    ]
    assert problems[0].message == (
        "`components[1]` names component `wbe`, which mkdocs.yml does not list"
    )


# --- times ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("yesterday", "`updates[0].at`: 'yesterday' is not a timestamp"),
        ("2026-11-31T09:14", "`updates[0].at`: '2026-11-31T09:14' is not a real date and time"),
        ("2026-11-20T25:00Z", "`updates[0].at`: '2026-11-20T25:00Z' is not a real date and time"),
        ("2026-11-20", "`updates[0].at`: '2026-11-20' is not a timestamp"),
        ("2026-11-20T09:14+25:00", "`updates[0].at`: '2026-11-20T09:14+25:00' has an impossible"),
    ],
)
def test_timestamp_that_does_not_parse(value: str, message: str) -> None:
    problems = check_file(incident().replace("2026-11-20T09:14:00Z", value))
    assert [(p.location(), p.rule, p.hint) for p in problems] == [
        ("incidents/x.yaml:5:9", "invalid-timestamp", TS_HINT)
    ]
    assert problems[0].message.startswith(message)


@pytest.mark.parametrize(
    ("value", "words", "hint"),
    [
        ("2026-03-29T02:30", "does not exist in Europe/Berlin", "add the UTC offset; " + TS_HINT),
        (
            "2026-10-25 02:30",
            "happens twice in Europe/Berlin",
            "add the UTC offset you mean; " + TS_HINT,
        ),
    ],
)
def test_naive_time_in_a_dst_change_is_refused(value: str, words: str, hint: str) -> None:
    text = incident().replace("2026-11-20T09:14:00Z", value)
    problems = check_file(text, timezone="Europe/Berlin")
    assert [(p.location(), p.rule, p.hint) for p in problems] == [
        ("incidents/x.yaml:5:9", "invalid-timestamp", hint)
    ]
    assert words in problems[0].message


def test_naive_time_with_offset_in_a_dst_change_is_fine() -> None:
    text = incident().replace("2026-11-20T09:14:00Z", "2026-10-25T02:30+01:00")
    assert check_file(text, timezone="Europe/Berlin") == []


def test_updates_out_of_order_and_equal_times() -> None:
    text = incident().replace("resolved", "investigating") + (
        "  - at: 2026-11-20T09:14:00Z\n    status: identified\n    message: Same minute.\n"
        "  - at: 2026-11-20T09:00:00Z\n    status: resolved\n    message: Earlier.\n"
    )
    problems = check_file(text)
    assert [(p.location(), p.rule, p.hint) for p in problems] == [
        (
            "incidents/x.yaml:12:9",
            "out-of-order",
            "updates are oldest first: append new ones at the end, or correct the time",
        )
    ]
    assert "`updates[2].at` (2026-11-20 09:00 UTC) is earlier" in problems[0].message


def test_update_in_the_future() -> None:
    text = incident().replace("2026-11-20T09:14:00Z", "2026-12-01T00:01Z")
    problems = check_file(text, now="2026-12-01T00:00Z")
    assert [(p.location(), p.rule, p.hint) for p in problems] == [
        (
            "incidents/x.yaml:5:9",
            "future-update",
            "check the date and the UTC offset; an update is posted when it happens",
        )
    ]
    assert check_file(text, now="2026-12-01T00:01Z") == []


def test_started_at_after_the_first_update() -> None:
    text = "started_at: 2026-11-20T10:00Z\n" + incident()
    assert found(text) == [("incidents/x.yaml:1:13", "started-after-first-update")]


def with_postmortem(published_at: str, top: str = "") -> str:
    """`incident()` (one update, resolved at 09:14 UTC) with a postmortem published then;
    `published_at` sits at line 10, column 17 (one line further down per line of `top`)."""
    return (
        top
        + incident()
        + f"postmortem:\n  published_at: {published_at}\n  apology: We are sorry.\n"
        "  what_happened: a\n  why: b\n  what_we_did: c\n  impact: d\n  prevention: e\n"
    )


def test_a_postmortem_published_before_the_incident_began() -> None:
    # A typo'd year: the report would read as written 6 years before resolution.
    problems = check_file(with_postmortem("2020-11-20T10:00Z"))
    assert [(p.location(), p.rule, p.severity) for p in problems] == [
        ("incidents/x.yaml:10:17", "postmortem-before-start", "error")
    ]
    assert problems[0].message == (
        "`postmortem.published_at` (2020-11-20 10:00 UTC) is before the incident began "
        "(its first update: 2026-11-20 09:14 UTC)"
    )
    assert "check the year and the UTC offset" in problems[0].hint
    # With `started_at`, that is the start: before it is wrong, between it and the first
    # update (a preliminary review of a silent start) is not.
    top = "started_at: 2026-11-20T09:00Z\n"
    problems = check_file(with_postmortem("2026-11-20T08:59Z", top))
    assert [(p.location(), p.rule) for p in problems] == [
        ("incidents/x.yaml:11:17", "postmortem-before-start")
    ]
    assert "(`started_at`: 2026-11-20 09:00 UTC)" in problems[0].message
    assert check_file(with_postmortem("2026-11-20T09:00Z", top)) == []
    # A `started_at` after the first update is one error, not a second one here.
    top = "started_at: 2026-11-20T10:00Z\n"
    assert found(with_postmortem("2026-11-20T09:30Z", top)) == [
        ("incidents/x.yaml:1:13", "started-after-first-update")
    ]


def test_a_preliminary_postmortem_after_the_start_is_fine() -> None:
    text = incident().replace("resolved", "investigating") + (
        "  - at: 2026-11-20T12:00Z\n    status: resolved\n    message: Fixed.\n"
        "postmortem:\n  published_at: 2026-11-20T11:00Z\n  apology: We are sorry.\n"
        "  what_happened: a\n  why: b\n  what_we_did: c\n  impact: d\n  prevention: e\n"
    )
    assert check_file(text) == []
    assert check_file(with_postmortem("2026-11-20T09:14Z")) == []


def test_a_failed_model_still_hears_its_postmortem_is_dated_too_early() -> None:
    text = with_postmortem("2020-11-20T10:00Z").replace("impact: minor", "impact: severe")
    assert found(text) == [
        ("incidents/x.yaml:2:9", "invalid-value"),
        ("incidents/x.yaml:10:17", "postmortem-before-start"),
    ]


# --- one pass ---------------------------------------------------------------------------

ONE_PASS = """\
title: API errors
impact: severe
components: [api, apii]
updates:
  - at: 2026-11-20T10:00:00Z
    status: investigating
    message: Looking.
  - at: 2026-11-20T09:00:00Z
    status: resolved
    message: Fixed.
"""


def test_a_file_with_an_invalid_impact_reports_every_problem_in_one_run() -> None:
    problems = check_file(ONE_PASS)
    assert [(p.location(), p.rule) for p in problems] == [
        ("incidents/x.yaml:2:9", "invalid-value"),
        ("incidents/x.yaml:3:19", "unknown-component"),
        ("incidents/x.yaml:8:9", "out-of-order"),
    ]
    assert "`impact` is `severe`" in problems[0].message
    assert "`apii`" in problems[1].message and problems[1].hint.startswith("did you mean `api`?")
    assert "`updates[1].at` (2026-11-20 09:00 UTC) is earlier" in problems[2].message


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        # Other field-level errors: each beside the structural problems, never instead.
        (("status: resolved", "status: fixed"), ("incidents/x.yaml:9:13", "invalid-value")),
        (("    message: Fixed.\n", ""), ("incidents/x.yaml:8:5", "missing-field")),
        (("title: API errors\n", "title: API errors\nseverity: major\n"), None),
        (("title: API errors", "title: ''"), ("incidents/x.yaml:1:8", "empty-field")),
    ],
)
def test_other_field_errors_keep_the_structural_problems(
    change: tuple[str, str], expected: tuple[str, str] | None
) -> None:
    text = ONE_PASS.replace("impact: severe", "impact: major").replace(*change)
    got = [(p.location(), p.rule) for p in check_file(text)]
    shift = 1 if expected is None else 0  # the added `severity:` line moves the rest down
    structural = [
        (f"incidents/x.yaml:{3 + shift}:19", "unknown-component"),
        (f"incidents/x.yaml:{8 + shift}:9", "out-of-order"),
    ]
    if expected is None:
        expected = ("incidents/x.yaml:2:1", "unknown-key")
    assert sorted(got) == sorted([expected, *structural])


def test_a_failed_model_still_gets_its_time_and_component_checks() -> None:
    text = (
        ONE_PASS.replace("impact: severe", "impact: severe\nstarted_at: 2026-11-20T11:00Z")
        .replace("2026-11-20T09:00:00Z", "yesterday")
        .replace("    status: resolved\n", "    status: resolved\n    components: {wbe: major}\n")
    )
    text += "  - at: 2026-12-02T00:00Z\n    status: resolved\n    message: Later.\n"
    got = [(p.location(), p.rule) for p in check_file(text, now="2026-12-01T00:00Z")]
    assert got == [
        ("incidents/x.yaml:2:9", "invalid-value"),
        ("incidents/x.yaml:3:13", "started-after-first-update"),
        ("incidents/x.yaml:4:19", "unknown-component"),
        ("incidents/x.yaml:9:9", "invalid-timestamp"),
        ("incidents/x.yaml:11:18", "unknown-component"),
        ("incidents/x.yaml:11:23", "invalid-value"),
        ("incidents/x.yaml:13:9", "future-update"),
    ]


@pytest.mark.parametrize(
    ("broken", "expected"),
    [
        ("impact: severe\n  bad indent: [", ("incidents/x.yaml:3:13", "yaml-syntax")),
        ("impact: severe\n\timpact: x", ("incidents/x.yaml:3:1", "tab-indentation")),
        ("impact: &a severe", ("incidents/x.yaml:2:9", "anchor")),
    ],
)
def test_a_yaml_level_problem_still_stands_alone(broken: str, expected: tuple[str, str]) -> None:
    problems = check_file(ONE_PASS.replace("impact: severe", broken))
    assert [(p.location(), p.rule) for p in problems] == [expected]


# --- warnings ---------------------------------------------------------------------------

OPEN = """\
title: API errors
impact: major
components: [api]
updates:
  - at: 2026-11-20T09:00Z
    status: investigating
    message: Looking.
    next_update: 30m
  - at: 2026-11-20T09:45Z
    status: identified
    message: Found it.
    next_update: 1h
"""


KEPT = OPEN.replace("09:45Z", "09:30Z")


def warnings(text: str, now: str, **kw: object) -> list[tuple[str, str, str]]:
    """Warnings and notes (a missed promise that was followed is a note, see below)."""
    problems = check_file(text, now=now, **kw)  # type: ignore[arg-type]
    assert all(p.severity in ("warning", "note") for p in problems)
    return [(p.location(), p.rule, p.message) for p in problems]


def test_a_missed_promise_followed_by_an_update_is_a_note_an_overdue_one_a_warning() -> None:
    severities = {
        (p.location(), p.rule): p.severity for p in check_file(OPEN, now="2026-11-20T10:46Z")
    }
    assert severities[("incidents/x.yaml:8:18", "missed-next-update")] == "note"
    assert severities[("incidents/x.yaml:12:18", "missed-next-update")] == "warning"


def test_open_incident_warnings_at_a_moment() -> None:
    # 10:40: 55 min after the last update; the first promise (by 09:30) was missed.
    assert warnings(OPEN, "2026-11-20T10:40Z") == [
        (
            "incidents/x.yaml:8:18",
            "missed-next-update",
            "`updates[0]` promised the next update within 30m (by 2026-11-20 09:30 UTC); "
            "the next came at 2026-11-20 09:45 UTC",
        )
    ]
    # 10:46: silent for 61 min (stale) and the second promise (by 10:45) missed too.
    got = warnings(OPEN, "2026-11-20T10:46Z")
    assert [g[:2] for g in got] == [
        ("incidents/x.yaml:8:18", "missed-next-update"),
        ("incidents/x.yaml:9:9", "stale"),
        ("incidents/x.yaml:12:18", "missed-next-update"),
    ]
    assert got[1][2] == (
        "`x` is open (identified) and its last update was 1 h 1 min ago (stale_after: 1h)"
    )
    assert got[2][2].endswith("none has been posted yet (now 2026-11-20 10:46 UTC)")


def test_stale_after_is_configurable_and_strictly_later() -> None:
    assert [w[1] for w in warnings(OPEN, "2026-11-20T10:45Z", stale_after="2h")] == [
        "missed-next-update"
    ]
    assert "stale" not in [w[1] for w in warnings(OPEN, "2026-11-20T10:45Z")]
    assert "stale" in [w[1] for w in warnings(OPEN, "2026-11-20T10:45:01Z")]


def test_a_kept_promise_is_no_warning() -> None:
    text = KEPT + ("  - at: 2026-11-20T10:30Z\n    status: resolved\n    message: Fixed.\n")
    assert warnings(text, "2026-11-20T11:00Z") == []


def test_resolved_incident_is_not_stale_and_its_last_promise_is_void() -> None:
    text = (
        KEPT
        + "  - at: 2026-11-20T10:00Z\n    status: resolved\n    message: Fixed.\n"
        + "    next_update: 5m\n"
    )
    assert warnings(text, "2026-11-20T10:30Z") == []


def test_missing_postmortem_after_postmortem_within() -> None:
    text = KEPT + "  - at: 2026-11-20T10:00Z\n    status: resolved\n    message: Fixed.\n"
    assert warnings(text, "2026-11-21T10:00Z") == []
    problems = check_file(text, now="2026-11-21T10:01Z")
    assert [(p.location(), p.rule, p.hint) for p in problems] == [
        (
            "incidents/x.yaml:14:13",
            "missing-postmortem",
            "run `candor postmortem x` and fill in every section",
        )
    ]
    assert warnings(text, "2026-11-21T11:00Z", postmortem_within="2h")[0][1] == (
        "missing-postmortem"
    )
    # Only for impacts that require one.
    assert warnings(text.replace("impact: major", "impact: minor"), "2027-01-01T00:00Z") == []
    assert warnings(text, "2027-01-01T00:00Z", postmortem_required_for=["critical"]) == []


def test_a_postmortem_is_owed_for_the_worst_impact_the_incident_had() -> None:
    lowered = KEPT.replace("impact: major", "impact: minor") + (
        "  - at: 2026-11-20T09:50Z\n    status: monitoring\n    impact: critical\n"
        "    message: Worse.\n"
        "  - at: 2026-11-20T09:55Z\n    status: monitoring\n    impact: minor\n"
        "    message: Better.\n"
        "  - at: 2026-11-20T10:00Z\n    status: resolved\n    message: Fixed.\n"
    )
    problems = check_file(lowered, now="2026-11-21T10:01Z")
    assert [p.rule for p in problems] == ["missing-postmortem"]
    assert problems[0].message.startswith("`x` (critical) was resolved at")


def test_a_postmortem_satisfies_the_rule() -> None:
    text = (
        KEPT
        + "  - at: 2026-11-20T10:00Z\n    status: resolved\n    message: Fixed.\n"
        + (
            "postmortem:\n  published_at: 2026-11-21T09:00Z\n  apology: We are sorry.\n"
            "  what_happened: a\n  why: b\n  what_we_did: c\n  impact: d\n  prevention: e\n"
        )
    )
    assert warnings(text, "2027-01-01T00:00Z") == []


MAINTENANCE = """\
kind: maintenance
title: Database upgrade
components: [db]
scheduled:
  start: 2026-11-10T01:00Z
  end: 2026-11-10T03:00Z
updates:
  - at: 2026-11-01T10:00Z
    status: scheduled
    message: We will upgrade the database.
  - at: 2026-11-10T01:00Z
    status: in_progress
    message: Started.
"""


def test_maintenance_is_never_stale() -> None:
    # In progress for weeks, no update since: no `stale` (nor missing postmortem).
    assert warnings(MAINTENANCE, "2026-12-01T00:00Z") == []


def test_maintenance_missed_promise_is_still_reported() -> None:
    text = MAINTENANCE + "    next_update: 30m\n"
    assert [w[:2] for w in warnings(text, "2026-11-10T02:00Z")] == [
        ("incidents/x.yaml:14:18", "missed-next-update")
    ]


def test_announcement_after_the_window_is_a_warning() -> None:
    text = MAINTENANCE.replace("2026-11-01T10:00Z", "2026-11-10T04:00Z").replace(
        "  - at: 2026-11-10T01:00Z\n    status: in_progress\n    message: Started.\n", ""
    )
    assert [w[:2] for w in warnings(text, "2026-12-01T00:00Z")] == [
        ("incidents/x.yaml:8:9", "late-announcement")
    ]


def test_a_file_with_model_errors_gets_no_time_rules() -> None:
    text = OPEN.replace("impact: major", "impact: huge")
    assert [p.rule for p in check_file(text, now="2027-01-01T00:00Z")] == ["invalid-value"]


UTC_ZONE = zone("UTC")
NOW = datetime(2026, 12, 1, tzinfo=UTC)

# The text rules skip a file whose source holds nothing they look for; what they report must
# not change for it, whatever the quoting, folding, escapes or letters of the text.
_TEXT_PIECES = st.sampled_from(
    [
        *"ab <>=:[]{}\n\\\"'",
        *["TODO", "TBD", "FIXME", "XXX", "script", "iframe", "style", "onclick", "on", "click"],
        *["javascript", "JavaScript", "javaſcript", "İ", "ı", "K", "\\x3c", "\\t", "\\\n"],
    ]
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@example("a onclick = b", "")
@example("JavaScript :x", "'")
@example("javaſcript:x TODO", "")
@example("\\x3cscript> {{x}}", '"')
@example("<\\tiframe \\x5b[x]]", '"')
@example("java\\\nscript: TB\\\nD", '"')
@given(st.lists(_TEXT_PIECES, max_size=30).map("".join), st.sampled_from(['"', "'", "|", ">", ""]))
def test_text_rules_report_the_same_without_the_shortcut(body: str, style: str) -> None:
    if style in ("|", ">"):
        text = f"title: t\nmessage: {style}\n" + "".join(f"  {line}\n" for line in body.split("\n"))
    else:
        text = f"title: t\nmessage: {style}{body}{style}\n"
    loaded = load_file(Path("incidents/x.yaml"), "incidents/x.yaml", UTC_ZONE, text.encode())
    ctx = rules.Context(CandorConfig(), NOW)
    fast = rules.check_file(loaded, ctx)
    always = tuple((rule, lambda _text: True) for rule, _ in rules._TEXT_RULE_TRIGGERS)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(rules, "_TEXT_RULE_TRIGGERS", always)
        assert rules.check_file(loaded, ctx) == fast
