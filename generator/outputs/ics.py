"""`maintenance.ics`: every scheduled maintenance as one calendar event (SPEC §6).

Calendar apps match events by UID and take a higher SEQUENCE as a change, so the UID is the
file id and SEQUENCE counts the updates: a subscriber's calendar follows a moved window or a
new status without ever showing the maintenance twice."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC
from typing import TYPE_CHECKING

from generator.core.config import Settings
from generator.core.model import Maintenance
from generator.core.state import EventState, SiteState
from generator.outputs import plaintext, urls
from generator.outputs.i18n import label

if TYPE_CHECKING:
    from icalendar import Event

PRODID = "-//Candor//Status calendar//EN"


def _description(settings: Settings, event_state: EventState) -> str:
    """The latest update first (what subscribers need now), then the announcement."""
    updates = event_state.event.updates
    latest, first = updates[-1], updates[0]
    status = label(settings.language, f"status.{event_state.status}")
    parts = [f"{status}: {plaintext.text(latest.message)}"]
    if len(updates) > 1:
        parts.append(plaintext.text(first.message))
    parts.append(urls.absolute(settings.site_url, urls.incident(event_state.id)))
    return "\n\n".join(parts)


def _vevent(settings: Settings, event_state: EventState) -> Event:
    event = event_state.event
    assert isinstance(event, Maintenance)
    from icalendar import Event  # a build that takes the calendar from its cache never needs it

    vevent = Event()
    vevent.add("uid", f"{event.id}@{settings.host}")
    vevent.add("dtstamp", event.updates[-1].at.astimezone(UTC))
    vevent.add("dtstart", event.scheduled.start.astimezone(UTC))
    vevent.add("dtend", event.scheduled.end.astimezone(UTC))
    vevent.add("created", event.updates[0].at.astimezone(UTC))
    vevent.add("last-modified", event.updates[-1].at.astimezone(UTC))
    vevent.add("sequence", len(event.updates) - 1)
    vevent.add("summary", plaintext.line(event.title))
    vevent.add("description", _description(settings, event_state))
    vevent.add("url", urls.absolute(settings.site_url, urls.incident(event.id)))
    # Every state keeps the event on the calendar: a completed maintenance is history
    # subscribers may want to look back on; it never blocks anyone's free time.
    vevent.add("status", "CONFIRMED")
    vevent.add("transp", "TRANSPARENT")
    return vevent


def calendar_events(state: SiteState) -> list[EventState]:
    """Every maintenance, in the calendar's order."""
    return sorted((e for e in state.events if e.is_maintenance), key=lambda e: (e.began, e.id))


def maintenance_calendar(settings: Settings, maintenance: Sequence[EventState]) -> bytes:
    """The calendar of `maintenance` (`calendar_events`): it depends on them alone."""
    from icalendar import Calendar

    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    name = label(settings.language, "calendar.title", site=plaintext.line(settings.site_name))
    calendar.add("x-wr-calname", name)
    for event_state in maintenance:
        calendar.add_component(_vevent(settings, event_state))
    return bytes(calendar.to_ical())
