"""The span of "now" in which the clock's findings on a file stay the same
(generator/rules/clock.py): anywhere inside it, the rules that read "now" find exactly what
they found where it was made. `candor check` reuses findings on that promise."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_incremental import ADDED, example_site
from test_synth import _synth

from generator.core.config import load_settings
from generator.core.errors import Problem
from generator.core.filecache import FileCache
from generator.core.load import LoadedFile, rel_path
from generator.rules import Context, clock_problems, clock_span, fixed_problems
from generator.rules.clock import moments
from generator.rules.events import written_times

SYNTH_NOW = "2026-12-01T12:00:00Z"
# From the example's first incident to a year after the synthetic history ends.
EARLIEST = datetime(2025, 1, 1, tzinfo=UTC)
LATEST = datetime(2027, 12, 1, tzinfo=UTC)


# Open, with no promise of the next update: it goes stale with nothing else said first.
QUIET = """\
title: Slow exports
impact: minor
components: [api]
updates:
  - at: 2026-11-23T09:00:00Z
    status: investigating
    message: We're sorry, exports are slow. We are looking into it.
  - at: 2026-11-23T09:20:00Z
    status: identified
    message: A full disk slows the export workers; we are adding space.
"""
# Its promise is overdue long before its window opens: the warning starts with the window.
PROMISED = """\
kind: maintenance
title: Network switch replacement
components: [api]
scheduled:
  start: 2026-11-25T20:00:00Z
  end: 2026-11-25T21:00:00Z
updates:
  - at: 2026-11-24T09:00:00Z
    status: scheduled
    message: We will replace two network switches.
    next_update: 1h
"""

# Each loaded file with a Context of its own site (its "now" is replaced in each test).
Files = list[tuple[Context, LoadedFile]]


def _loaded(config: Path) -> Files:
    settings = load_settings(config)
    fixed = Context(settings.candor, None)
    files = FileCache(None, settings.candor, settings.tz)
    return [
        (
            Context(settings.candor, EARLIEST),
            files.load(
                path,
                rel_path(path, settings.root),
                settings.tz,
                None,
                lambda f: fixed_problems(f, fixed),
            )[0],
        )
        for path in sorted((config.parent / "incidents").glob("*.yaml"))
    ]


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> Files:
    """The example site with an open incident, a postmortem due and maintenance ahead, and
    a synthetic history of 40 incidents."""
    example = example_site(
        tmp_path_factory.mktemp("example"),
        {
            **ADDED,
            "2026-11-23-slow-exports.yaml": QUIET,
            "2026-11-24-network-switch-replacement.yaml": PROMISED,
        },
    )
    history = tmp_path_factory.mktemp("history")
    _synth().generate(history, 40, seed=11, now=SYNTH_NOW)
    return _loaded(example) + _loaded(history / "mkdocs.yml")


def _at(ctx: Context, moment: datetime) -> Context:
    return Context(ctx.config, moment)


def _near(f: LoadedFile, ctx: Context) -> st.SearchStrategy[datetime]:
    """A moment on, just before or just after one of the file's, or anywhere."""
    found = sorted(moments(f, ctx))
    offsets = st.sampled_from([timedelta(0), timedelta(microseconds=1), -timedelta(microseconds=1)])
    anywhere = st.datetimes(
        min_value=EARLIEST.replace(tzinfo=None), max_value=LATEST.replace(tzinfo=None)
    ).map(lambda moment: moment.replace(tzinfo=UTC))
    if not found:
        return anywhere
    on_one = st.tuples(st.sampled_from(found), offsets).map(lambda pair: pair[0] + pair[1])
    return st.one_of(on_one, anywhere)


def _inside(after: datetime | None, before: datetime | None, share: float) -> datetime | None:
    """A moment strictly between `after` and `before` (a year past the open side)."""
    low = after if after is not None else (before or EARLIEST) - timedelta(days=365)
    high = before if before is not None else low + timedelta(days=365)
    moment = low + (high - low) * share
    moment = max(moment, low + timedelta(microseconds=1))
    moment = min(moment, high - timedelta(microseconds=1))
    return moment if low < moment < high else None


@settings(
    max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_findings_hold_across_their_span(sites: Files, data: st.DataObject) -> None:
    ctx, f = data.draw(st.sampled_from(sites))
    now = data.draw(_near(f, ctx))
    found, (after, before) = clock_span(f, _at(ctx, now))
    if after is not None and before is not None:
        assert after <= now <= before
    elsewhere = _inside(after, before, data.draw(st.floats(0, 1)))
    if elsewhere is None:
        return
    assert clock_problems(f, _at(ctx, elsewhere)) == found, (f.rel, now, elsewhere)


def test_spans_are_long_for_a_settled_history_and_short_while_open(sites: Files) -> None:
    """What makes the cache worth having: a resolved incident's findings hold from its last
    moment on, and an open one's that say how long ago something was hold for an instant."""
    open_ended = [f for ctx, f in sites if clock_span(f, _at(ctx, LATEST))[1][1] is None]
    assert len(open_ended) >= 0.9 * len(sites)
    stale: list[Problem] = []
    for ctx, f in sites:
        for moment in sorted(moments(f, ctx)):
            found, (after, before) = clock_span(f, _at(ctx, moment + timedelta(seconds=1)))
            if any(p.rule == "stale" for p in found):
                stale += found
                assert after == before == moment + timedelta(seconds=1)
    assert stale, "the sites hold an incident left open for longer than stale_after"


def test_findings_change_at_the_moments(sites: Files) -> None:
    """The spans are not vacuous: across the files' moments the findings do change, for
    each rule that reads the clock."""
    changed: set[str] = set()
    for ctx, f in sites:
        for moment in sorted(moments(f, ctx)):
            before = clock_problems(f, _at(ctx, moment - timedelta(microseconds=1)))
            after = clock_problems(f, _at(ctx, moment + timedelta(microseconds=1)))
            if before != after:
                changed |= {p.rule for p in before} ^ {p.rule for p in after}
                changed |= {p.rule for p in before if p not in after}
    expected = {"future-update", "stale", "missed-next-update", "missing-postmortem"}
    assert expected <= changed, changed


def test_every_minute_of_each_file(sites: Files) -> None:
    """Minute by minute from two hours before a file's first update to two days after its
    last (the sites' times and durations are whole minutes): wherever a span made at one
    minute holds the next, the findings there are the same."""
    minute = timedelta(minutes=1)
    compared = 0
    for ctx, f in sites[:24]:
        ats = [at for at in written_times(f, ctx)[0] if at is not None]
        moment, end = min(ats) - 120 * minute, max(ats) + timedelta(days=2)
        found, (after, before) = clock_span(f, _at(ctx, moment))
        while moment <= end:
            later = moment + minute
            later_found, later_span = clock_span(f, _at(ctx, later))
            if (after is None or after < later) and (before is None or later < before):
                assert later_found == found, (f.rel, moment, later)
                compared += 1
            moment, found, (after, before) = later, later_found, later_span
    assert compared > 50_000


def test_a_settled_file_gives_the_span_of_all_its_moments(sites: Files) -> None:
    """A file whose every moment is past gets its span without the moments being made:
    the same span they give, at each moment, just after and long after the last one."""
    from generator.rules.clock import _says_now, unchanged_between

    quick = 0
    for ctx, f in sites:
        found = sorted(moments(f, ctx))
        if not found:
            continue
        last = found[-1]
        for now in (*found[-3:], last + timedelta(microseconds=1), last + timedelta(days=900)):
            at = _at(ctx, now)
            findings = clock_problems(f, at)
            if any(_says_now(p) for p in findings):
                continue  # a finding that says how long ago: its own instant only
            earlier = [m for m in found if m < now]
            later = [m for m in found if m > now]
            expected = (now, now) if now in found else (max(earlier), min(later, default=None))
            assert unchanged_between(f, at, findings) == expected, (f.rel, now)
            quick += now > last
    assert quick > len(sites)
