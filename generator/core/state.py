"""Derived state at a moment: incident and maintenance status, component status, the overall
indicator, uptime and the times customers care about (SPEC §3). Computed once per build and
shared by the pages, feeds, API and `candor status`; nothing here knows about HTML."""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import cached_property
from zoneinfo import ZoneInfo

from generator.core import times
from generator.core.config import Component
from generator.core.metrics import CommunicationRecord, communication_record
from generator.core.model import COMPONENT_STATUSES, Event, Incident, Maintenance, Update

RANK: dict[str, int] = {status: rank for rank, status in enumerate(COMPONENT_STATUSES)}
IMPACT_RANK = {"none": 0, "minor": 1, "major": 2, "critical": 3}
IMPACT_STATUS = {
    "minor": "degraded_performance",
    "major": "partial_outage",
    "critical": "major_outage",
}
STATUS_IMPACT = {status: impact for impact, status in IMPACT_STATUS.items()}
DESCRIPTIONS = {
    "none": "All Systems Operational",
    "minor": "Minor Service Outage",
    "major": "Partial System Outage",
    "critical": "Major System Outage",
    "maintenance": "Service Under Maintenance",
}
# Statuspage's uptime: a partial outage costs 30% of its minutes, degradation nothing.
OUTAGE_WEIGHT = {"major_outage": 1.0, "partial_outage": 0.3}
FAR_FUTURE = datetime.max.replace(tzinfo=ZoneInfo("UTC"))


def worst(statuses: Iterable[str]) -> str:
    return max(statuses, key=RANK.__getitem__, default="operational")


def effect(event: Event, moment: datetime) -> dict[str, str]:
    """The status the event gives each affected component at `moment` (empty if inactive)."""
    if not event.is_active(moment):
        return {}
    made = event.updates_until(moment)
    if isinstance(event, Maintenance):
        default = "under_maintenance"
    else:
        default = IMPACT_STATUS.get(event.impact_after(made) or "none", "operational")
    given: dict[str, str] = {}
    for update in made:
        given.update(update.components)
    # Listed components, and those an update made so far named: a component first named at
    # 10:00 was not affected at 09:00.
    return {c: given.get(c, default) for c in (*event.components, *given)}


def component_statuses(
    events: Iterable[Event], moment: datetime, component_ids: Iterable[str]
) -> dict[str, str]:
    statuses = dict.fromkeys(component_ids, "operational")
    for event in events:
        for component, status in effect(event, moment).items():
            if component in statuses and RANK[status] > RANK[statuses[component]]:
                statuses[component] = status
    return statuses


def indicator(events: Iterable[Event], moment: datetime, statuses: dict[str, str]) -> str:
    events = list(events)
    rank = max(
        [
            IMPACT_RANK[e.impact_at(moment) or "none"]
            for e in events
            if isinstance(e, Incident) and e.is_active(moment)
        ]
        + [IMPACT_RANK[STATUS_IMPACT[s]] for s in statuses.values() if s in STATUS_IMPACT],
        default=0,
    )
    if rank == 0 and any(isinstance(e, Maintenance) and e.is_active(moment) for e in events):
        return "maintenance"
    return ("none", "minor", "major", "critical")[rank]


def change_points(event: Event) -> list[datetime]:
    points = [u.at for u in event.updates]
    if isinstance(event, Maintenance):
        points += [event.scheduled.start, event.scheduled.end]
    elif event.started_at:
        points.append(event.started_at)
    return points


def span(event: Event) -> tuple[datetime, datetime]:
    """When the event could change any status: from its first effect to its last."""
    points = change_points(event)
    end = max(points)
    if event.is_active(FAR_FUTURE - timedelta(days=1)):
        end = FAR_FUTURE
    return min(points), end


@dataclass(frozen=True)
class Segment:
    start: datetime
    end: datetime
    status: str


def timeline(
    events: Sequence[Event], component: str, start: datetime, end: datetime
) -> list[Segment]:
    """The component's status over [start, end) as constant segments."""
    relevant = [e for e in events if component in e.affected]
    points = sorted({start, *(p for e in relevant for p in change_points(e) if start < p < end)})
    # An event gives no status outside its span: only those whose span holds a point are
    # asked (a long history has thousands of points and hundreds of events).
    spans = [(e, *span(e)) for e in relevant]
    segments: list[Segment] = []
    for index, point in enumerate(points):
        stop = points[index + 1] if index + 1 < len(points) else end
        status = worst(
            effect(e, point).get(component, "operational")
            for e, first, last in spans
            if first <= point <= last
        )
        if segments and segments[-1].status == status:
            segments[-1] = Segment(segments[-1].start, stop, status)
        else:
            segments.append(Segment(point, stop, status))
    return segments


def uptime(segments: Iterable[Segment], start: datetime, end: datetime) -> float:
    total = (end - start).total_seconds()
    if total <= 0:
        return 1.0
    lost = sum(
        OUTAGE_WEIGHT.get(s.status, 0.0)
        * max(0.0, (min(s.end, end) - max(s.start, start)).total_seconds())
        for s in segments
    )
    return 1.0 - lost / total


@dataclass(frozen=True)
class UptimeDay:
    day: date
    status: str  # the worst status of the day, "operational" on a clean day
    uptime: float
    events: tuple[str, ...]  # ids of incidents and maintenance that touched the component


@dataclass
class ComponentState:
    component: Component
    status: str
    uptime: float
    days: list[UptimeDay]
    event_ids: list[str] = field(default_factory=list)  # newest first

    @property
    def id(self) -> str:
        return self.component.id


@dataclass
class Group:
    name: str | None
    members: list[ComponentState]

    @property
    def status(self) -> str:
        return worst(m.status for m in self.members)


@dataclass
class EventState:
    event: Event
    status: str  # incident status, or maintenance state
    impact: str | None  # the latest impact set (see `Event.impact_at`); maintenance may have none
    active: bool  # open incident, or maintenance in progress
    began: datetime
    first_update: datetime
    resolved_at: datetime | None
    time_to_first_update: timedelta
    time_to_resolve: timedelta | None
    time_to_report: timedelta | None
    next_update_due: datetime | None
    postmortem_due: datetime | None  # a required postmortem not yet written: when it is due
    postmortem_published: bool
    published: Sequence[Update]  # the updates made up to now, oldest first
    # The incident's id, a field: pages, feeds and keys ask for it a quarter of a million
    # times a build at 10,000 incidents: as a property, a twentieth of a `serve` rebuild.
    id: str = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.id = self.event.id

    @property
    def latest(self) -> Update:
        """The newest update readers can see (the first one, should none be made yet)."""
        return (self.published or self.event.updates)[-1]

    @property
    def preliminary(self) -> bool:
        """A postmortem published before the incident was resolved (as after long recoveries)."""
        postmortem = self.event.postmortem
        if postmortem is None:
            return False
        return self.resolved_at is None or postmortem.published_at < self.resolved_at

    @property
    def is_maintenance(self) -> bool:
        return isinstance(self.event, Maintenance)

    @property
    def upcoming(self) -> bool:
        return self.is_maintenance and self.status == "scheduled"

    @property
    def history_time(self) -> datetime:
        """Where it sits in history: maintenance by its window, incidents by their start."""
        return self.began

    @property
    def newest_out(self) -> datetime | None:
        """When the newest of what it published came out: the newest update out, or its
        postmortem once published; None while neither is."""
        moments = [u.at for u in self.published[-1:]]
        if self.postmortem_published and self.event.postmortem:
            moments.append(self.event.postmortem.published_at)
        return max(moments, default=None)

    @property
    def last_update(self) -> datetime:
        """Its last public change: the first update, or what it published since."""
        newest = self.newest_out
        return self.first_update if newest is None else max(self.first_update, newest)


@dataclass
class SiteState:
    now: datetime
    tz: ZoneInfo
    indicator: str
    components: list[ComponentState]
    groups: list[Group]
    events: list[EventState]  # newest first, as history shows them
    window_start: datetime
    uptime_days: int
    communication: CommunicationRecord  # the public record of the last 90 days

    @property
    def description(self) -> str:
        return DESCRIPTIONS[self.indicator]

    @cached_property
    def last_changed(self) -> datetime | None:
        """When what the site says last changed: the newest update or published postmortem,
        or a maintenance window opening or closing, up to now; None before anything happened.

        The API's `page.updated_at`, the feeds' and the sitemap's dates come from this rather
        than from the build, so that a build that changes nothing is byte-identical to the
        live site and is not deployed again, and the date stays true while that site stays
        up. Found once: pages, feeds and the API all ask, and it looks at every incident."""
        moments = [e.last_update for e in self.events if e.published]
        return max([*moments, *self._window_moments], default=None)

    @cached_property
    def status_changed(self) -> datetime | None:
        """When the status last changed: the newest update, or a maintenance window opening
        or closing, up to now; None before anything happened. What "Status unchanged since"
        and "Status last changed" say: a postmortem changes what the site says (see
        `last_changed`), not the status, however long after resolution it comes out."""
        moments = [e.published[-1].at for e in self.events if e.published]
        return max([*moments, *self._window_moments], default=None)

    @cached_property
    def _window_moments(self) -> list[datetime]:
        """Each maintenance window's opening and closing, up to now: the clock changes the
        status then, with no update."""
        moments = []
        for e in self.events:
            if isinstance(e.event, Maintenance):
                window = e.event.scheduled
                moments += [t for t in (window.start, window.end) if t <= self.now]
        return moments

    @cached_property
    def by_id(self) -> dict[str, EventState]:
        """Each incident by its id; made once (pages ask for it on every component)."""
        return {e.id: e for e in self.events}

    def component(self, component_id: str) -> ComponentState | None:
        return next((c for c in self.components if c.id == component_id), None)

    @property
    def open_incidents(self) -> list[EventState]:
        return [e for e in self.events if e.active and not e.is_maintenance]

    @property
    def active_maintenance(self) -> list[EventState]:
        return [e for e in self.events if e.active and e.is_maintenance]

    @property
    def upcoming_maintenance(self) -> list[EventState]:
        return sorted((e for e in self.events if e.upcoming), key=lambda e: e.history_time)


def event_state(
    event: Event, now: datetime, required_for: Sequence[str], postmortem_within: timedelta
) -> EventState:
    first = event.updates[0].at
    # A maintenance's clock starts with its window, not with the announcement days before.
    started = event.began
    resolving = event.resolving_update
    resolved_at = resolving.at if resolving else None
    status = event.status_at(now)
    if isinstance(event, Maintenance):
        resolved_at = resolved_at or (event.scheduled.end if status == "completed" else None)
    active = event.is_active(now)
    published = event.updates_until(now)
    latest = (published or event.updates)[-1]
    next_due = times.add(latest.at, latest.next_update) if active and latest.next_update else None
    postmortem = event.postmortem
    required = (
        isinstance(event, Incident)
        and event.peak_impact in required_for
        and resolved_at is not None
        and postmortem is None
    )
    return EventState(
        event=event,
        status=status,
        impact=event.impact_at(now),
        active=active,
        began=started,
        first_update=first,
        resolved_at=resolved_at,
        time_to_first_update=max(first - started, timedelta(0))
        if isinstance(event, Incident)
        else timedelta(0),
        time_to_resolve=(resolved_at - started) if resolved_at else None,
        time_to_report=(postmortem.published_at - resolved_at)
        if postmortem and resolved_at
        else None,
        next_update_due=next_due,
        postmortem_due=times.add(resolved_at, postmortem_within)
        if required and resolved_at
        else None,
        postmortem_published=bool(postmortem and postmortem.published_at <= now),
        published=published,
    )


def derive(
    events: Sequence[Event],
    components: Sequence[Component],
    now: datetime,
    tz: ZoneInfo,
    uptime_days: int = 90,
    required_for: Sequence[str] = ("major", "critical"),
    postmortem_within: timedelta = timedelta(hours=24),
) -> SiteState:
    now = now.astimezone(UTC)  # absolute arithmetic from here on (see `_midnight`)
    statuses = component_statuses(events, now, [c.id for c in components])
    window_start = now - timedelta(days=uptime_days)
    today = now.astimezone(tz).date()
    first_day = today - timedelta(days=uptime_days - 1)
    day_starts = [_midnight(first_day + timedelta(days=i), tz) for i in range(uptime_days + 1)]
    timeline_start = min(window_start, day_starts[0])
    overlapping = []
    for e in events:
        first, last = span(e)
        if last >= timeline_start and first <= now:
            overlapping.append(e)

    states = sorted(
        (event_state(e, now, required_for, postmortem_within) for e in events),
        key=lambda s: (s.history_time, s.id),
        reverse=True,
    )
    # Each component's incidents in history order (that of `states`), in one pass.
    touching: dict[str, list[str]] = {c.id: [] for c in components}
    for s in states:
        for affected in s.event.affected:
            if affected in touching:
                touching[affected].append(s.id)
    component_states = []
    for component in components:
        segments = timeline(overlapping, component.id, timeline_start, now)
        days = _days(segments, day_starts, now, overlapping, component.id, tz)
        component_states.append(
            ComponentState(
                component=component,
                status=statuses[component.id],
                uptime=uptime(segments, window_start, now),
                days=days,
                event_ids=touching[component.id],
            )
        )
    groups: list[Group] = []
    for state in component_states:
        name = state.component.group
        found = next((g for g in groups if g.name == name and name is not None), None)
        if found:
            found.members.append(state)
        else:
            groups.append(Group(name, [state]))
    return SiteState(
        now=now,
        tz=tz,
        indicator=indicator(events, now, statuses),
        components=component_states,
        groups=groups,
        events=states,
        window_start=window_start,
        uptime_days=uptime_days,
        communication=communication_record(states, now),
    )


def _midnight(day: date, tz: ZoneInfo) -> datetime:
    # In UTC, so that a DST day measures 23 or 25 hours (same-zone subtraction is by wall clock).
    return datetime.combine(day, time(0), tzinfo=tz).astimezone(UTC)


def _days(
    segments: list[Segment],
    day_starts: list[datetime],
    now: datetime,
    events: Sequence[Event],
    component: str,
    tz: ZoneInfo,
) -> list[UptimeDay]:
    days = []
    first_day = day_starts[0].astimezone(tz).date()
    # Each event's own spans, found once rather than once a day (90 days × every event).
    spans = sorted((e.id, _active_spans(e)) for e in events if component in e.affected)
    # With the first and last moment of each: most events are nowhere near most days.
    bounded = [(id_, active, active[0][0], active[-1][1]) for id_, active in spans if active]
    for index, (start, day_end) in enumerate(itertools.pairwise(day_starts)):
        end = min(day_end, now)
        inside = [s for s in segments if s.start < end and s.end > start]
        touched = tuple(
            id_
            for id_, active, first, last in bounded
            if first < end and last > start and any(a < end and b > start for a, b in active)
        )
        days.append(
            UptimeDay(
                day=first_day + timedelta(days=index),
                status=worst(s.status for s in inside),
                uptime=uptime(inside, start, end) if end > start else 1.0,
                events=touched,
            )
        )
    return days


def _active_spans(event: Event) -> list[tuple[datetime, datetime]]:
    """The spans in which the event gives its components a status: a day touches the event
    when it overlaps one (a maintenance announced weeks ahead touches only its work's days)."""
    points = sorted(set(change_points(event)))
    return [
        (point, points[index + 1] if index + 1 < len(points) else FAR_FUTURE)
        for index, point in enumerate(points)
        if event.is_active(point)
    ]
