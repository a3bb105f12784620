"""What the site's search box finds of the incidents: one entry per incident and maintenance,
its title, and one line of what it was — impact, status, the day, for how long, what it
touched, whether there is a postmortem — linking to its own page.

Incident pages themselves stay out of the index (each in full made it tens of megabytes for a
long history), and so do the history pages that list them: a search for "database" answers
with the incidents, each on its own line, not with a month of the history. Made from the
state, not by reading rendered pages, so it costs next to nothing.

Entries take mkdocs-material's form (`location`, `title`, `text`); the search box shows title
and text as HTML, so both are escaped text."""

from __future__ import annotations

import html

from generator.core.config import Settings
from generator.core.model import Maintenance
from generator.core.state import EventState, SiteState
from generator.outputs import urls
from generator.outputs.i18n import Labels, labels


def search_entries(settings: Settings, state: SiteState) -> list[dict[str, str]]:
    """The index entries of every incident and maintenance, newest first, as the history
    lists them."""
    words = labels(settings.language, state.tz, settings.candor.labels)
    names = {c.id: c.name for c in settings.candor.components}
    return [_entry(ev, words, names, settings.preview) for ev in state.events]


def _entry(ev: EventState, L: Labels, names: dict[str, str], files: bool) -> dict[str, str]:
    location = urls.incident(ev.id) + ("index.html" if files else "")
    kind = L.t("maintenance") if ev.is_maintenance else L.t(f"impact.{ev.impact}")
    parts = [kind, L.t(f"status.{ev.status}")]
    # Days, not times: the entry says which incident it is; its page says the rest.
    if isinstance(ev.event, Maintenance):
        start, end = L.day(ev.event.scheduled.start), L.day(ev.event.scheduled.end)
        parts.append(start if start == end else L.t("range", start=start, end=end))
    else:
        parts.append(L.day(ev.began))
        if ev.time_to_resolve is not None:
            parts.append(L.duration(ev.time_to_resolve))
    affected = [names.get(c, c) for c in ev.event.affected]
    if affected:
        parts.append(L.t("list").join(affected))
    if ev.postmortem_published:
        parts.append(L.t("postmortem"))
    return {
        "location": location,
        "title": html.escape(ev.event.title),
        "text": html.escape(L.t("sep").join(parts)),
    }
