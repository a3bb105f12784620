"""What `candor notify` could send now: the site feed's entries and the maintenance messages
the clock brings (reminders before a window, "started" and "completed" when the clock alone
changes a maintenance's state).

Each message has a permanent key. For feed entries it is the entry's id, the absolute URL of
the update or postmortem (`outputs/urls.py`), so editing a message or rebuilding the site
never makes it new again. The record of what each channel was sent holds these keys."""

from __future__ import annotations

from collections.abc import Container, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from generator.core.config import Settings
from generator.core.model import Maintenance, Update
from generator.core.state import EventState, SiteState, effect
from generator.core.times import format_duration_spec
from generator.outputs import feeds, markdown, plaintext, urls
from generator.outputs.i18n import Labels, labels

# "completed" still goes out this long after a window closed (a channel that was down, a
# late run); later it is history, not news.
COMPLETED_GRACE = timedelta(hours=24)


@dataclass(frozen=True)
class ComponentLine:
    id: str
    name: str  # plain text
    status: str  # operational, partial_outage, ...
    status_label: str


@dataclass(frozen=True)
class Site:
    """What every channel needs to know about the site itself."""

    name: str  # plain text
    url: str  # site_url, ending in "/"
    host: str
    language: str
    labels: Labels

    @classmethod
    def of(cls, settings: Settings) -> Site:
        return cls(
            name=plaintext.line(settings.site_name),
            url=settings.site_url,
            host=settings.host,
            language=settings.language,
            labels=labels(settings.language, settings.tz),
        )

    def when(self, moment: datetime) -> str:
        return self.labels.datetime(moment)


@dataclass(frozen=True)
class Message:
    key: str  # permanent: the feed entry's id, or the key of a maintenance message
    kind: str  # update | postmortem | reminder | started | completed
    slug: str  # `<event id>.update-3`: for Message-IDs and webhook ids
    thread: str  # the slug of the event's first update: mail clients thread on it
    event_id: str
    event_kind: str  # incident | maintenance
    event_title: str  # plain text
    impact: str | None
    title: str  # plain: "Identified — Elevated API errors"
    status: str  # the status this message announces (an update's, "postmortem", ...)
    status_label: str
    at: datetime  # when it happened
    url: str  # where it is on the site: #update-n, the postmortem, or the incident page
    page_url: str  # the incident's page
    feed_url: str  # the incident's own feed
    markdown: str  # the body as Markdown that renders to what the page shows
    html: str  # the body as the page shows it (sanitised)
    text: str  # the body as plain text: what the page shows, no markup
    number: int | None  # update n, for updates
    author: str | None
    components: tuple[ComponentLine, ...]
    window: tuple[datetime, datetime] | None  # maintenance
    link_label: str  # "Read update 3 on the status page"

    @property
    def is_clock(self) -> bool:
        """A maintenance message the clock brings, not an entry of the feed."""
        return self.kind in ("reminder", "started", "completed")


def candidates(
    settings: Settings, state: SiteState, live_ids: Container[str] | None = None
) -> list[Message]:
    """Everything that may go out at `state.now`, oldest first: the site feed's entries
    (only those `live_ids` holds, when given: never announce what the deployed site does not
    show) and the clock's maintenance messages."""
    site = Site.of(settings)
    by_id = state.by_id
    found = []
    for entry in feeds.entries(settings, state):
        if live_ids is not None and entry.id not in live_ids:
            continue
        found.append(_from_entry(site, settings, by_id[entry.event_id], entry))
    for event_state in state.events:
        found += _clock(site, settings, event_state, state.now)
    found.sort(key=lambda m: (m.at, m.event_id, m.number or 0, m.kind))
    return found


def _common(site: Site, event_state: EventState) -> dict[str, object]:
    event = event_state.event
    window = (
        (event.scheduled.start, event.scheduled.end) if isinstance(event, Maintenance) else None
    )
    return {
        "thread": f"{event.id}.update-1",
        "event_id": event.id,
        "event_kind": "maintenance" if isinstance(event, Maintenance) else "incident",
        "event_title": plaintext.line(event.title),
        "impact": event_state.impact,  # the latest set (an update may change it)
        "page_url": urls.absolute(site.url, urls.incident(event.id)),
        "feed_url": urls.absolute(site.url, urls.incident_feed(event.id)),
        "window": window,
    }


def _components(site: Site, settings: Settings, event_state: EventState, at: datetime):
    """Each affected component with the status this event gave it at `at`."""
    event = event_state.event
    given = effect(event, at)
    names = {c.id: c.name for c in settings.candor.components}
    lines = []
    for component_id in event.affected:
        status = given.get(component_id, "operational")
        lines.append(
            ComponentLine(
                id=component_id,
                name=plaintext.line(names.get(component_id, component_id)),
                status=status,
                status_label=site.labels.t(f"component.{status}"),
            )
        )
    return tuple(lines)


def _from_entry(
    site: Site, settings: Settings, event_state: EventState, entry: feeds.Entry
) -> Message:
    event = event_state.event
    common = _common(site, event_state)
    if entry.order <= len(event.updates):
        update: Update = event.updates[entry.order - 1]
        return Message(
            key=entry.id,
            kind="update",
            slug=f"{event.id}.update-{entry.order}",
            title=entry.title,
            status=update.status,
            status_label=site.labels.t(f"status.{update.status}"),
            at=update.at,
            url=entry.id,
            markdown=plaintext.markdown(update.message),
            html=markdown.to_html(update.message),
            text=plaintext.text(update.message),
            number=entry.order,
            author=entry.author,
            components=_components(site, settings, event_state, update.at),
            link_label=site.labels.t("notify.read", n=entry.order),
            **common,  # type: ignore[arg-type]
        )
    postmortem = event.postmortem
    assert postmortem is not None
    status = "preliminary" if event_state.preliminary else "postmortem"
    label = site.labels.t("feed.preliminary" if event_state.preliminary else "postmortem")
    # The apology leads; the link carries the rest of the report.
    return Message(
        key=entry.id,
        kind="postmortem",
        slug=f"{event.id}.postmortem",
        title=entry.title,
        status=status,
        status_label=label,
        at=postmortem.published_at,
        url=entry.id,
        markdown=plaintext.markdown(postmortem.apology),
        html=markdown.to_html(postmortem.apology),
        text=plaintext.text(postmortem.apology),
        number=None,
        author=None,
        components=_components(site, settings, event_state, postmortem.published_at),
        link_label=site.labels.t(
            "postmortem.preliminary_link" if event_state.preliminary else "postmortem.link"
        ),
        **common,  # type: ignore[arg-type]
    )


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%MZ")


def _clock(site: Site, settings: Settings, event_state: EventState, now: datetime) -> list[Message]:
    """The maintenance messages due at `now`: only while the clock alone decides the state
    (the last update still says `scheduled`); an update the team posts is in the feed."""
    event = event_state.event
    if not isinstance(event, Maintenance) or not event_state.published:
        return []
    if event_state.published[-1].status != "scheduled":
        return []
    start, end = event.scheduled.start, event.scheduled.end
    announced = event.updates[0].at
    if now < start:
        # Only the nearest lead that is due: a run after a quiet day sends "in 1 h", not also
        # "in 1 d". A lead longer than the notice the announcement gave is left out.
        due = [lead for lead in settings.candor.remind_before if start - lead <= now]
        due = [lead for lead in due if announced < start - lead]
        if not due:
            return []
        lead = min(due)
        return [_maintenance(site, settings, event_state, "reminder", start - lead, lead)]
    if now < end:
        return [_maintenance(site, settings, event_state, "started", start, None)]
    if now < end + COMPLETED_GRACE:
        return [_maintenance(site, settings, event_state, "completed", end, None)]
    return []


def _maintenance(
    site: Site,
    settings: Settings,
    event_state: EventState,
    kind: str,
    at: datetime,
    lead: timedelta | None,
) -> Message:
    event = event_state.event
    assert isinstance(event, Maintenance)
    start, end = event.scheduled.start, event.scheduled.end
    common = _common(site, event_state)
    title = plaintext.line(event.title)
    window = site.labels.t("notify.window", start=site.when(start), end=site.when(end))
    latest = event_state.latest
    if kind == "reminder":
        assert lead is not None
        heading = site.labels.t("notify.reminder", lead=site.labels.duration(lead))
        fragment = f"reminder-{format_duration_spec(lead)}-{_stamp(start)}"
        status = "scheduled"
        body = f"{_escape_markdown(window)}\n\n{latest.message}"
    elif kind == "started":
        heading = site.labels.t("notify.started")
        fragment = f"started-{_stamp(start)}"
        status = "in_progress"
        body = _escape_markdown(
            site.labels.t("notify.started_body", start=site.when(start), end=site.when(end))
        )
    else:
        heading = site.labels.t("notify.completed")
        fragment = f"completed-{_stamp(end)}"
        status = "completed"
        body = _escape_markdown(site.labels.t("notify.completed_body", end=site.when(end)))
    page = str(common["page_url"])
    return Message(
        key=f"{page}#{fragment}",
        kind=kind,
        slug=f"{event.id}.{fragment.lower()}",
        title=f"{heading} — {title}",
        status=status,
        status_label=site.labels.t(f"status.{status}"),
        at=at,
        url=page,
        markdown=plaintext.markdown(body),
        html=markdown.to_html(body),
        text=plaintext.text(body),
        number=None,
        author=None,
        components=_components(site, settings, event_state, max(at, start)),
        link_label=site.labels.t("notify.open"),
        **common,  # type: ignore[arg-type]
    )


def _escape_markdown(text: str) -> str:
    """Sentences Candor writes itself, read literally by Markdown."""
    return "".join(f"\\{c}" if c in "\\`*_{}[]()#+-.!<>|" else c for c in text)


def keys(messages: Sequence[Message]) -> set[str]:
    return {m.key for m in messages}
