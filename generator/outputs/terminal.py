"""`candor status`: the derived state as plain text, what an engineer reads before writing.

What needs a person comes first, most urgent first: an overdue promise of an update, then
how long each open incident has been silent, then the postmortems due. The overall state,
components and maintenance follow. Titles and names come from files anyone may have edited:
each is shown inert and on one line (`characters.inert`), so an escape sequence in a title
is printed, never acted on."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from generator.core.characters import inert
from generator.core.state import DESCRIPTIONS, EventState, SiteState
from generator.core.times import format_duration, format_local
from generator.outputs.i18n import label

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}-")


def _shown(value: str) -> str:
    return inert(value, one_line=True)


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


def short_id(ident: str, state: SiteState) -> str:
    """The id as a person types it: without its date when no other id shares the rest."""
    rest = _without_date(ident)
    if rest == ident or any(e.id != ident and _without_date(e.id) == rest for e in state.events):
        return ident
    return rest


def _without_date(ident: str) -> str:
    return ident[_DATED.end() :] if (_DATED := _DATE.match(ident)) else ident


def status_text(state: SiteState) -> str:
    now = state.now
    lines = [*_next(state), ""]
    lines += [
        f"{DESCRIPTIONS[state.indicator]} (indicator: {state.indicator})",
        f"as of {_when(now, state)}",
        "",
        "Components:",
    ]
    for group in state.groups:
        indent = "  "
        if group.name:
            lines.append(f"  {_shown(group.name)}: {_component_status(group.status)}")
            indent = "    "
        for member in group.members:
            c = member.component
            lines.append(f"{indent}{_shown(c.name)} ({c.id}): {_component_status(member.status)}")
    lines += ["", *_events("Open incidents", state.open_incidents, state)]
    lines += ["", *_events("Maintenance in progress", state.active_maintenance, state)]
    lines += ["", *_events("Upcoming maintenance", state.upcoming_maintenance, state)]
    return "\n".join(lines) + "\n"


def _next(state: SiteState) -> list[str]:
    """What needs a person, most urgent first, each with the command that answers it."""
    now = state.now
    ranked: list[tuple[tuple[int, float], list[str]]] = []
    for ev in [*state.open_incidents, *state.active_maintenance]:
        title = f"{ev.id}: {_shown(ev.event.title)}"
        last = ev.latest.at
        silent = f"    last update {_ago(now - last)} ({_when(last, state)})"
        command = f"    candor update {short_id(ev.id, state)} --status {ev.status}"
        due = ev.next_update_due
        if due is not None and due < now:
            promised = (
                f"    next update promised by {_when(due, state)}: "
                f"OVERDUE by {format_duration(now - due)}"
            )
            block = [f"  Update OVERDUE  {title}", promised, silent, command]
            ranked.append(((0, (due - now).total_seconds()), block))
            continue
        block = [f"  Open            {title}", silent]
        if due is not None:
            block.append(f"    next update due {_due(due, now, state)}")
        ranked.append(((1, (last - now).total_seconds()), [*block, command]))
    for ev in state.events:
        due = ev.postmortem_due
        if due is None:
            continue
        late = due < now
        ranked.append(
            (
                (2 if late else 3, (due - now).total_seconds()),
                [
                    f"  Postmortem {'OVERDUE' if late else 'due'}  "
                    f"{ev.id}: {_shown(ev.event.title)}",
                    f"    due {_due(due, now, state)}",
                    f"    candor postmortem {short_id(ev.id, state)} --edit",
                ],
            )
        )
    if not ranked:
        return ["Next: nothing is due."]
    ranked.sort(key=lambda item: item[0])
    return ["Next, most urgent first:", *(line for _, block in ranked for line in block)]


def _events(heading: str, events: list[EventState], state: SiteState) -> list[str]:
    now = state.now
    lines = [f"{heading}: {len(events) or 'none'}"]
    for event in events:
        lines.append(f"  {event.id}: {_shown(event.event.title)}")
        detail = f"    {event.status}" + (f", impact {event.impact}" if event.impact else "")
        if event.upcoming and event.event.is_maintenance:
            window = event.event.scheduled  # type: ignore[union-attr]
            detail += f", from {_when(window.start, state)} to {_when(window.end, state)}"
        lines.append(detail)
        if event.next_update_due is not None:
            lines.append(f"    next update due {_due(event.next_update_due, now, state)}")
        if not event.upcoming:
            last = event.latest.at
            lines.append(f"    last update {_ago(now - last)} ({_when(last, state)})")
    return lines
