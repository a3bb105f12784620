"""`candor status`: the derived state as plain text, what an engineer reads before writing."""

from __future__ import annotations

from datetime import datetime, timedelta

from generator.core.state import DESCRIPTIONS, EventState, SiteState
from generator.outputs.i18n import format_duration

LABELS = {
    "operational": "operational",
    "under_maintenance": "under maintenance",
    "degraded_performance": "degraded performance",
    "partial_outage": "partial outage",
    "major_outage": "major outage",
}


def _when(moment: datetime, state: SiteState) -> str:
    local = moment.astimezone(state.tz)
    return f"{local:%Y-%m-%d %H:%M} {local.tzname() or state.tz.key}"


def _ago(delta: timedelta) -> str:
    return f"{format_duration(delta)} ago" if delta >= timedelta(0) else "in the future"


def _due(moment: datetime, now: datetime, state: SiteState) -> str:
    if moment < now:
        return f"{_when(moment, state)}, OVERDUE by {format_duration(now - moment)}"
    return f"{_when(moment, state)}, in {format_duration(moment - now)}"


def render(state: SiteState) -> str:
    now = state.now
    lines = [
        f"{DESCRIPTIONS[state.indicator]} (indicator: {state.indicator})",
        f"as of {_when(now, state)}",
        "",
        "Components:",
    ]
    for group in state.groups:
        indent = "  "
        if group.name:
            lines.append(f"  {group.name}: {LABELS.get(group.status, group.status)}")
            indent = "    "
        for member in group.members:
            c = member.component
            lines.append(f"{indent}{c.name} ({c.id}): {LABELS.get(member.status, member.status)}")
    lines += ["", *_events("Open incidents", state.open_incidents, state)]
    lines += ["", *_events("Maintenance in progress", state.active_maintenance, state)]
    lines += ["", *_events("Upcoming maintenance", state.upcoming_maintenance, state)]
    due = [e for e in state.events if e.postmortem_due is not None]
    lines += ["", f"Postmortems due: {len(due) or 'none'}"]
    for event in sorted(due, key=lambda e: e.postmortem_due or now):
        assert event.postmortem_due is not None
        lines.append(f"  {event.id}: {event.event.title}")
        lines.append(f"    due {_due(event.postmortem_due, now, state)}")
        lines.append(f"    write it: candor postmortem {event.id}")
    return "\n".join(lines) + "\n"


def _events(heading: str, events: list[EventState], state: SiteState) -> list[str]:
    now = state.now
    lines = [f"{heading}: {len(events) or 'none'}"]
    for event in events:
        last = [u for u in event.event.updates if u.at <= now][-1:] or event.event.updates[-1:]
        impact = getattr(event.event, "impact", None)
        lines.append(f"  {event.id}: {event.event.title}")
        detail = f"    {event.status}" + (f", impact {impact}" if impact else "")
        if event.upcoming and event.event.is_maintenance:
            window = event.event.scheduled  # type: ignore[union-attr]
            detail += f", from {_when(window.start, state)} to {_when(window.end, state)}"
        lines.append(detail)
        if last and not event.upcoming:
            lines.append(f"    last update {_ago(now - last[0].at)} ({_when(last[0].at, state)})")
        if event.next_update_due is not None:
            lines.append(f"    next update due {_due(event.next_update_due, now, state)}")
    return lines
