"""Everything the site publishes besides its pages: feeds, the API, the calendar and the badge.

Pure: settings and derived state in, output-relative paths and bytes out; the plugin writes
them through the one writer, so a failed build leaves the previous output untouched."""

from __future__ import annotations

from collections.abc import Iterator

from generator.core.config import Settings
from generator.core.state import SiteState
from generator.outputs import urls
from generator.outputs.api import api_files
from generator.outputs.badge import badge_svg
from generator.outputs.feeds import Keep, each_incident_feed, history_feeds
from generator.outputs.ics import calendar_events, maintenance_calendar
from generator.outputs.writer import Artifact


def build_artifacts(settings: Settings, state: SiteState) -> dict[str, bytes]:
    """Every artifact, by path."""
    found: dict[str, bytes] = {}
    for rel, data in sorted(each_artifact(settings, state)):
        assert isinstance(data, bytes)  # without the build cache, every one is made here
        found[rel] = data
    return found


def each_artifact(
    settings: Settings, state: SiteState, keep: Keep | None = None
) -> Iterator[tuple[str, Artifact]]:
    """Every artifact, one at a time: the writer writes each as it comes, so a long history's
    incident feeds (60 MB at 10,000 incidents) are never all held at once."""
    yield from history_feeds(settings, state).items()
    yield from each_incident_feed(settings, state, keep)
    yield from api_files(settings, state).items()
    maintenance = calendar_events(state)

    def calendar() -> bytes:
        return maintenance_calendar(settings, maintenance)

    yield urls.CALENDAR, keep("calendar", maintenance, calendar) if keep else calendar()
    yield urls.BADGE, badge_svg(settings, state)
