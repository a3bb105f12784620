"""Everything the site publishes besides its pages: feeds, the API, the calendar and the badge.

Pure: settings and derived state in, output-relative paths and bytes out; the plugin writes
them through the one writer, so a failed build leaves the previous output untouched."""

from __future__ import annotations

from generator.core.config import Settings
from generator.core.state import SiteState
from generator.outputs import urls
from generator.outputs.api import api_files
from generator.outputs.badge import badge_svg
from generator.outputs.feeds import Keep, history_feeds, incident_feeds
from generator.outputs.ics import maintenance_calendar


def build_artifacts(
    settings: Settings, state: SiteState, keep: Keep | None = None
) -> dict[str, bytes]:
    files: dict[str, bytes] = {}
    files.update(history_feeds(settings, state))
    files.update(incident_feeds(settings, state, keep))
    files.update(api_files(settings, state))
    files[urls.CALENDAR] = maintenance_calendar(settings, state)
    files[urls.BADGE] = badge_svg(settings, state)
    return dict(sorted(files.items()))
