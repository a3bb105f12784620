"""Everything the site publishes besides its pages: feeds, the API, the calendar and the badge.

Pure: settings and derived state in, output-relative paths and bytes out; the plugin writes
them through the one writer, so a failed build leaves the previous output untouched."""

from __future__ import annotations

from .api import api_files
from .badge import badge_svg
from .config import Settings
from .feeds import history_feeds
from .ics import maintenance_calendar
from .state import SiteState


def build_artifacts(settings: Settings, state: SiteState) -> dict[str, bytes]:
    files: dict[str, bytes] = {}
    files.update(history_feeds(settings, state))
    files.update(api_files(settings, state))
    files["maintenance.ics"] = maintenance_calendar(settings, state)
    files["badge.svg"] = badge_svg(settings, state)
    return dict(sorted(files.items()))
