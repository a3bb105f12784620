"""`data-loss-unstated`, `no-next-update` and `slow-first-update`
(generator/rules/updates.py)."""

from __future__ import annotations

import pytest
from candor_sites import check_file, incident_text, rule_hits

# --- data-loss-unstated ------------------------------------------------------------------


def resolved(message: str, **kw: object) -> str:
    return incident_text(message, status="resolved", next_update=None, **kw)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "message",
    [
        "Checkout has worked normally since 09:51. Thank you for your patience.",
        "Fixed. It is safe to retry those requests.",
        "The backlog is cleared and every queue is empty.",
        "予備ノードの追加が完了し、本件は解決いたしました。",
    ],
)
def test_a_resolution_that_does_not_say_whether_data_was_lost(message: str) -> None:
    problems = [p for p in check_file(resolved(message)) if p.rule == "data-loss-unstated"]
    # `message: |` is line 8; the problem points at the message
    assert [(p.line, p.column, p.severity) for p in problems] == [(8, 14, "warning")]
    assert problems[0].message == (
        "`updates[0]` resolves `x` without saying whether any data was lost"
    )
    assert problems[0].hint.startswith("say it, even when nothing was lost: ")


@pytest.mark.parametrize(
    "message",
    [
        "Fixed. No data was lost.",
        "Everything works again, and your data is safe.",
        "Uploads made between 09:14 and 09:20 were lost; we have emailed the 12 customers.",
        "All 4,130 delayed backups have completed, and nothing was lost.",
        "No committed write was lost on any cluster.",
        "本件は解決いたしました。お客様のデータが失われることはありませんでした。",
    ],
)
def test_resolutions_that_say_it(message: str) -> None:
    assert rule_hits(resolved(message), "data-loss-unstated") == []


@pytest.mark.parametrize(
    "text",
    [
        # not resolved yet
        incident_text("We are investigating the failed uploads."),
        # a statement in quotes is not the author's own: but here it is the open incident
        incident_text('Said "no data was lost" too early.', status="monitoring"),
        # maintenance completes; it is not an incident
        (
            "kind: maintenance\ntitle: Upgrade\ncomponents: [api]\n"
            "scheduled: {start: 2026-11-20T08:00:00Z, end: 2026-11-20T09:00:00Z}\n"
            "updates:\n  - at: 2026-11-20T09:00:00Z\n    status: completed\n"
            "    message: Done.\n"
        ),
        # another language: not judged
        resolved("Alles funktioniert wieder, und wir sind sehr froh darüber."),
    ],
)
def test_data_loss_near_misses(text: str) -> None:
    assert rule_hits(text, "data-loss-unstated") == []


def test_a_statement_only_in_quotes_does_not_count() -> None:
    text = resolved('A customer asked "was any data lost?" We will answer in the review.')
    assert rule_hits(text, "data-loss-unstated") == ["8:14"]


# --- no-next-update ----------------------------------------------------------------------


def open_incident(*updates: str) -> str:
    return "title: Checkout errors\nimpact: major\ncomponents: [api]\nupdates:\n" + "".join(updates)


def update(at: str, status: str, message: str, next_update: str | None = None) -> str:
    text = f"  - at: {at}\n    status: {status}\n    message: {message}\n"
    return text + (f"    next_update: {next_update}\n" if next_update else "")


def test_the_latest_update_of_an_open_incident_must_promise_the_next() -> None:
    text = open_incident(
        update("2026-11-20T09:14:00Z", "investigating", "Checkout fails.", "30m"),
        update("2026-11-20T09:40:00Z", "identified", "We found the cause."),
    )
    problems = [p for p in check_file(text, now="2026-11-20T09:45Z") if p.rule == "no-next-update"]
    assert [(p.line, p.column, p.severity) for p in problems] == [(9, 5, "warning")]
    assert problems[0].message == (
        "`updates[1]` is the latest update of open incident `x` (identified) and does not say "
        "when the next one comes"
    )
    assert "add `next_update: 30m`" in problems[0].hint


@pytest.mark.parametrize(
    ("message", "spec"),
    [
        ("We will update you within 45 minutes.", "45m"),
        ("Next update within the next two hours.", "2h"),
        ("30分以内に続報をお知らせいたします。", "30m"),
    ],
)
def test_a_promise_in_words_only_is_turned_into_the_field(message: str, spec: str) -> None:
    text = open_incident(update("2026-11-20T09:14:00Z", "investigating", message))
    problems = [p for p in check_file(text, now="2026-11-20T09:20Z") if p.rule == "no-next-update"]
    assert len(problems) == 1
    assert problems[0].hint == (
        f"the message promises one: add `next_update: {spec}` so the page shows when it is due"
    )


@pytest.mark.parametrize(
    ("text", "now"),
    [
        # the latest update promises one
        (
            open_incident(
                update("2026-11-20T09:14:00Z", "investigating", "Checkout fails."),
                update("2026-11-20T09:40:00Z", "identified", "Found it.", "30m"),
            ),
            "2026-11-20T09:45Z",
        ),
        # resolved: nothing more to promise
        (
            open_incident(
                update("2026-11-20T09:14:00Z", "investigating", "Checkout fails."),
                update("2026-11-20T09:40:00Z", "resolved", "Fixed. No data was lost."),
            ),
            "2026-11-20T09:45Z",
        ),
        # maintenance is announced by its window
        (
            "kind: maintenance\ntitle: Upgrade\ncomponents: [api]\n"
            "scheduled: {start: 2026-11-20T08:00:00Z, end: 2026-11-20T10:00:00Z}\n"
            "updates:\n  - at: 2026-11-20T08:00:00Z\n    status: in_progress\n"
            "    message: Started.\n",
            "2026-11-20T09:00Z",
        ),
    ],
)
def test_no_next_update_near_misses(text: str, now: str) -> None:
    assert rule_hits(text, "no-next-update", now=now) == []


# --- slow-first-update -------------------------------------------------------------------


def started(minutes_before: int, *updates: str) -> str:
    minutes = 9 * 60 + 14 - minutes_before  # the first update is at 09:14
    start = f"2026-11-20T{minutes // 60:02d}:{minutes % 60:02d}:00Z"
    return (
        f"title: Checkout errors\nimpact: major\ncomponents: [api]\nstarted_at: {start}\n"
        "updates:\n" + "".join(updates)
    )


FIRST = update("2026-11-20T09:14:00Z", "investigating", "Checkout fails.", "30m")


def test_a_late_first_word_on_an_open_incident_is_a_warning() -> None:
    problems = [
        p
        for p in check_file(started(40, FIRST), now="2026-11-20T09:20Z")
        if p.rule == "slow-first-update"
    ]
    assert [(p.line, p.column, p.severity) for p in problems] == [(6, 9, "warning")]
    assert problems[0].message == (
        "the first public update of `x` came 40 min after customers were affected (started_at "
        "2026-11-20 08:34 UTC, first update 2026-11-20 09:14 UTC; first_update_within: 15m)"
    )
    assert problems[0].hint.startswith("own the silence in the next update: “We're sorry we")


@pytest.mark.parametrize(
    ("text", "now"),
    [
        # owned in a later update: part of the record
        (
            started(
                40,
                FIRST,
                update(
                    "2026-11-20T09:40:00Z",
                    "identified",
                    "Found it. We should have told you sooner, and we are sorry.",
                    "30m",
                ),
            ),
            "2026-11-20T09:45Z",
        ),
        # resolved: part of the record
        (
            started(
                40,
                FIRST,
                update("2026-11-20T09:40:00Z", "resolved", "Fixed. No data was lost."),
            ),
            "2026-11-20T09:45Z",
        ),
        # owned in Japanese
        (
            started(
                40,
                update(
                    "2026-11-20T09:14:00Z",
                    "investigating",
                    "ご報告が遅くなり申し訳ございません。",
                    "30m",
                ),
            ),
            "2026-11-20T09:20Z",
        ),
    ],
)
def test_a_late_first_word_that_is_owned_or_over_is_a_note(text: str, now: str) -> None:
    problems = [p for p in check_file(text, now=now) if p.rule == "slow-first-update"]
    assert [p.severity for p in problems] == ["note"]
    assert problems[0].hint.startswith("part of the record, counted in the public time")


@pytest.mark.parametrize(
    ("text", "options"),
    [
        (started(15, FIRST), {}),  # exactly 15 minutes is within
        (started(5, FIRST), {}),
        (started(40, FIRST), {"first_update_within": "45m"}),
        (open_incident(FIRST), {}),  # no started_at: the first update is the start
    ],
)
def test_slow_first_update_near_misses(text: str, options: dict[str, str]) -> None:
    assert rule_hits(text, "slow-first-update", now="2026-11-20T09:20Z", **options) == []
