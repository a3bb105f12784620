"""For how long the clock's findings on a file stay what they are (`candor check` keeps them,
core/filecache.py, and a later check whose "now" falls in the same span reuses them without
loading the file's model or running a rule).

The rules that read "now" compare it with moments of the file: an update's time, when the
incident began, a maintenance window's ends, and each of those plus a duration (a promised
`next_update`, `stale_after`, `postmortem_within`). Between two such moments no comparison
can change its answer, so the findings are the same, unless their text itself says what
time it is or how long ago something was: those hold for their own moment only."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta

from generator.core import times
from generator.core.errors import Problem
from generator.core.load import LoadedFile
from generator.core.model import Maintenance
from generator.core.times import Span
from generator.rules.context import Context
from generator.rules.events import written_times

# Findings whose text reads the clock ("now is …", "… ago").
_SAYS_NOW = frozenset({"future-update", "stale"})


def _says_now(problem: Problem) -> bool:
    # A missed promise of an incident now over is a fact; one still awaited says "now".
    return problem.rule in _SAYS_NOW or (
        problem.rule == "missed-next-update" and problem.severity == "warning"
    )


def moments(f: LoadedFile, ctx: Context) -> set[datetime]:
    """Every moment at which a rule that reads "now" may change its answer on `f` (more
    than there are: a moment too many only makes a span shorter)."""
    return _every(*_anchors(f, ctx))


def _anchors(f: LoadedFile, ctx: Context) -> tuple[list[datetime], list[timedelta]]:
    """The file's own moments, and the durations each of them may be shifted by."""
    ats, started = written_times(f, ctx)
    found = [at for at in ats if at is not None]
    if started is not None:
        found.append(started)
    durations = [ctx.config.stale_after, ctx.config.postmortem_within]
    event = f.event
    if event is not None:
        durations += [u.next_update for u in event.updates if u.next_update is not None]
        if isinstance(event, Maintenance):
            found += [event.scheduled.start, event.scheduled.end]
    return found, durations


def _last(found: Sequence[datetime], durations: Sequence[timedelta]) -> datetime | None:
    """The latest of the moments `moments` gives (None: none, or one past the years Candor
    handles), without making the others."""
    if not found:
        return None
    top, longest = max(found), max(durations)
    return times.add(top, longest) if longest > timedelta(0) else top


def _every(found: Sequence[datetime], durations: Sequence[timedelta]) -> set[datetime]:
    """The file's moments and each of them shifted by each duration."""
    return set(found) | set(_shifted(found, durations))


def _shifted(found: Sequence[datetime], durations: Iterable[timedelta]) -> Iterable[datetime]:
    for delta in set(durations):
        for moment in found:
            later = times.add(moment, delta)
            if later is not None:
                yield later


def unchanged_between(f: LoadedFile, ctx: Context, findings: Sequence[Problem]) -> Span:
    """The moments (None: none) strictly between which "now" gives these same `findings`,
    made at `ctx.now`; both are `ctx.now` when they hold at that moment only."""
    now = ctx.now
    if any(_says_now(p) for p in findings):
        return now, now
    anchors = _anchors(f, ctx)
    # A settled incident, most of a long history: even its last moment shifted by the
    # longest duration is past, so "now" is after every moment and nothing lies ahead.
    last = _last(*anchors)
    if last is not None and last < now:
        return last, None
    found = _every(*anchors)
    if now in found:  # at a moment itself, `>` and `>=` answer differently
        return now, now
    after = max((m for m in found if m < now), default=None)
    before = min((m for m in found if m > now), default=None)
    return after, before
