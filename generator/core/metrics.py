"""The team's public record of how it communicates (the home page's "How we communicate" and
`communication` in `api/v2/summary.json`): computed once, from the derived state's facts.

Over the incidents that began in the last `RECORD_DAYS` days (maintenance is planned, not a
failure, and is left out):
- the median time to the first public update (`EventState.time_to_first_update`);
- how many promised updates (`next_update`) came on time: every promise whose outcome is
  known, a missed one counted as missed however late the next update came, an overdue one
  of an open incident counted as missed too; a promise not yet due is left out;
- the median time from resolution to the postmortem, over published postmortems (one
  published before resolution, a preliminary review, counts as 0: readers had it at once);
- the number of incidents."""

from __future__ import annotations

import statistics
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from generator.core.model import Incident

if TYPE_CHECKING:  # state.py imports this module to build the record
    from generator.core.state import EventState

RECORD_DAYS = 90


@dataclass(frozen=True)
class CommunicationRecord:
    days: int
    since: datetime  # the start of the window; it ends at "now"
    incidents: int
    median_time_to_first_update: timedelta | None  # None: no incident
    promises: int  # promised updates whose outcome is known
    promises_kept: int
    postmortems: int  # published postmortems of resolved incidents
    median_time_to_postmortem: timedelta | None  # None: no postmortem

    @property
    def promises_kept_share(self) -> float | None:
        """Kept promises as a share of all known outcomes; None when nothing was promised."""
        return self.promises_kept / self.promises if self.promises else None


def _median(values: list[timedelta]) -> timedelta | None:
    if not values:
        return None
    seconds = statistics.median(v.total_seconds() for v in values)
    return timedelta(seconds=seconds)


def communication_record(
    events: Iterable[EventState], now: datetime, days: int = RECORD_DAYS
) -> CommunicationRecord:
    since = now - timedelta(days=days)
    incidents = [e for e in events if isinstance(e.event, Incident) and since <= e.began <= now]
    kept = known = 0
    for state in incidents:
        for promise in state.event.promises():
            if state.event.updates[promise.index].at > now:
                continue  # not published yet
            if promise.followed_at is not None and promise.followed_at <= now:
                known += 1
                kept += bool(promise.kept)
            elif promise.overdue(now):
                known += 1  # awaited and late: a promise broken in public right now
    reports = [
        max(state.time_to_report, timedelta(0))
        for state in incidents
        if state.time_to_report is not None and state.postmortem_published
    ]
    return CommunicationRecord(
        days=days,
        since=since,
        incidents=len(incidents),
        median_time_to_first_update=_median([s.time_to_first_update for s in incidents]),
        promises=known,
        promises_kept=kept,
        postmortems=len(reports),
        median_time_to_postmortem=_median(reports),
    )
