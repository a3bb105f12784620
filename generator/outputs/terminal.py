"""`candor status`: the derived state as plain text, what an engineer reads before writing."""

from __future__ import annotations

from datetime import datetime, timedelta

from generator.core.state import DESCRIPTIONS, EventState, SiteState
from generator.core.times import format_duration, format_local
from generator.outputs.i18n import label


def _when(moment: datetime, state: SiteState) -> str:
    return format_local(moment, state.tz)


def _component_status(status: str) -> str:
    return label("en", f"component.{status}").lower()


def _ago(delta: timedelta) -> str:
    return f"{format_duration(delta)} ago" if delta >= timedelta(0) else "in the future"


def _due(moment: datetime, now: datetime, state: SiteState) -> str:
    if moment < now:
        return f"{_when(moment, state)}, OVERDUE by {format_duration(now - moment)}"
    return f"{_when(moment, state)}, in {format_duration(moment - now)}"


def status_text(state: SiteState) -> str:
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
            lines.append(f"  {group.name}: {_component_status(group.status)}")
            indent = "    "
        for member in group.members:
            c = member.component
            lines.append(f"{indent}{c.name} ({c.id}): {_component_status(member.status)}")
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
        impact = getattr(event.event, "impact", None)
        lines.append(f"  {event.id}: {event.event.title}")
        detail = f"    {event.status}" + (f", impact {impact}" if impact else "")
        if event.upcoming and event.event.is_maintenance:
            window = event.event.scheduled  # type: ignore[union-attr]
            detail += f", from {_when(window.start, state)} to {_when(window.end, state)}"
        lines.append(detail)
        if not event.upcoming:
            last = event.latest.at
            lines.append(f"    last update {_ago(now - last)} ({_when(last, state)})")
        if event.next_update_due is not None:
            lines.append(f"    next update due {_due(event.next_update_due, now, state)}")
    return lines
