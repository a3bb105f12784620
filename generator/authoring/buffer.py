"""The text `$EDITOR` opens on, as `git commit` does it: room to write at the top, and below
a scissors line, as comments, what the writer needs in front of them: the incident, its
status, the promise due (overdue, or in how long) and the previous update."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from generator.core.state import EventState
from generator.core.times import format_duration, format_local

SCISSORS = "# ------------------------ >8 ------------------------"


def editor_text(what: str, context: Sequence[str], start: str = "") -> str:
    """`start` to edit (or room to write), the scissors line, then `context` as comments."""
    head = [
        f"Write the {what} above this line.",
        "Everything from the line above on is ignored. Save an empty text to abort.",
        "",
    ]
    comments = "\n".join(f"# {line}".rstrip() for line in (*head, *context))
    return f"{start.rstrip()}\n\n{SCISSORS}\n{comments}\n"


def written(text: str) -> str:
    """What was written above the scissors line."""
    return text.split(SCISSORS, 1)[0]


def update_context(
    state: EventState, new_status: str, now: datetime, tz: ZoneInfo, impact: str | None = None
) -> list[str]:
    """For `update` and `resolve`: where things stand, what is due, what was said last."""
    event, last = state.event, state.latest
    kind = "Maintenance" if event.is_maintenance else "Incident"
    status = f"Status: {state.status} → {new_status}"
    if impact and impact != state.impact:
        status += f"; impact {state.impact or 'none'} → {impact}"
    elif state.impact and not event.is_maintenance:
        status += f"; impact {state.impact} (--impact changes it)"
    heading = (
        f"The previous update, {format_local(last.at, tz)} "
        f"({format_duration(now - last.at)} ago), {last.status}"
    )
    if last.by:
        heading += f", by {' '.join(last.by.split())}"
    return [
        f"{kind} {event.id}: {' '.join(event.title.split())}",
        status,
        promise(state, now, tz),
        "",
        heading + ":",
        *(f"  {line}".rstrip() for line in last.message.rstrip("\n").split("\n")),
    ]


def promise(state: EventState, now: datetime, tz: ZoneInfo) -> str:
    """The promise of the next update: overdue, or due in how long."""
    due = state.next_update_due
    if due is None:
        if state.active:
            return "No next update is promised: say when the next one will come (--next 30m)."
        return "No next update is due."
    when = format_local(due, tz)
    if due < now:
        return f"The next update was promised by {when}: OVERDUE by {format_duration(now - due)}."
    return f"The next update is promised by {when}, in {format_duration(due - now)}."


def new_context(title: str, impact: str | None, components: Sequence[str]) -> list[str]:
    return [
        f"New incident: {' '.join(title.split())}",
        f"Impact {impact or 'none'}; components: {', '.join(components) or 'none'}",
        "",
        "Replace every [[ prompt ]] with the facts; customers read this first.",
        "Apologise, say what is affected, and when the next update will come.",
    ]


POSTMORTEM_CONTEXT = (
    "This is YAML: keep the keys and the indentation, write each section under its key.",
    "Replace every [[ prompt ]]; `candor check` refuses any that is left.",
)
