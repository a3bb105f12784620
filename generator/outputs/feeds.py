"""RSS 2.0 and Atom 1.0 feeds of every public update and published postmortem (SPEC §6).

An entry's id is the absolute URL of what it announces, so rebuilding the site, editing a
message or fixing a title never makes a reader show an update twice. Dates come from the
files, never from the clock, so the same input gives the same bytes."""

from __future__ import annotations

import heapq
import html
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from feedgen.feed import FeedGenerator

from generator.core.config import Settings
from generator.core.model import ActionItem, Postmortem
from generator.core.state import EventState, SiteState
from generator.outputs import markdown, plaintext, urls
from generator.outputs.api import page_updated
from generator.outputs.i18n import label
from generator.outputs.writer import Artifact

GENERATOR = "Candor"
# The build cache's say in an output that depends on the site and the given incidents alone
# (an incident's own feed, the calendar): given its name, them and how to make it, it returns
# the bytes, or the cache entry that holds them (made now if it is missing).
Keep = Callable[[str, Sequence[EventState], Callable[[], bytes]], Artifact]


@dataclass(frozen=True)
class Entry:
    id: str  # the permanent absolute URL of the update or postmortem
    event_id: str
    order: int  # update n (1-based); the postmortem sorts after every update
    title: str
    html: str
    at: datetime
    author: str | None


def _status(settings: Settings, status: str) -> str:
    keys = {"postmortem": "postmortem", "preliminary": "feed.preliminary"}
    return label(settings.language, keys.get(status, f"status.{status}"))


def postmortem_html(postmortem: Postmortem, language: str = "en") -> str:
    """Every section under its heading, in the order SPEC §6 gives, sanitised."""
    parts = []
    for section, body in postmortem.sections():
        parts.append(f"<h3>{html.escape(label(language, f'section.{section}'))}</h3>")
        if isinstance(body, list):
            parts.append(_action_list(body, language))
        else:
            parts.append(markdown.to_html(body))
    return "\n".join(parts)


def _action_list(items: Iterable[ActionItem], language: str) -> str:
    rows = []
    for item in items:
        detail = label(language, f"action.{item.status}")
        if item.due:
            detail += f", {label(language, 'action.due', date=item.due.isoformat())}"
        # As the postmortem page shows it: inline Markdown, sanitised.
        action = markdown.to_inline_html(item.action)
        rows.append(f"<li>{action} ({html.escape(detail)})</li>")
    return "<ul>" + "".join(rows) + "</ul>"


@dataclass(frozen=True)
class _Ref:
    """An entry before its HTML is rendered: enough to sort and trim the feed."""

    at: datetime
    event_id: str
    order: int
    state: EventState


def _refs(state: EventState) -> list[_Ref]:
    event = state.event
    event_id = event.id  # a private attribute of the model: slow to read, so read once
    refs = [_Ref(u.at, event_id, n, state) for n, u in enumerate(event.updates, start=1)]
    if state.postmortem_published and event.postmortem is not None:
        refs.append(_Ref(event.postmortem.published_at, event_id, len(event.updates) + 1, state))
    return refs


def _entry(settings: Settings, ref: _Ref) -> Entry:
    event = ref.state.event
    title = plaintext.line(event.title)
    if ref.order <= len(event.updates):
        update = event.updates[ref.order - 1]
        return Entry(
            id=urls.absolute(settings.site_url, urls.update(event.id, ref.order)),
            event_id=event.id,
            order=ref.order,
            title=f"{_status(settings, update.status)} — {title}",
            html=markdown.to_html(update.message),
            at=update.at,
            author=plaintext.line(update.by) if update.by else None,
        )
    assert event.postmortem is not None
    kind = "preliminary" if ref.state.preliminary else "postmortem"
    return Entry(
        id=urls.absolute(settings.site_url, urls.postmortem(event.id)),
        event_id=event.id,
        order=ref.order,
        title=f"{_status(settings, kind)} — {title}",
        html=postmortem_html(event.postmortem, settings.language),
        at=event.postmortem.published_at,
        author=None,
    )


def event_entries(settings: Settings, state: EventState) -> list[Entry]:
    """The entries one incident or maintenance contributes, oldest first."""
    return [_entry(settings, ref) for ref in _refs(state)]


class _Entries:
    """The entries of one build's feeds, newest first; ties by incident id, then update order,
    the postmortem last. Only the kept entries are rendered: a long history has thousands of
    updates and a feed shows `feed_entries` of them. The site's feed and each component's
    share the work: the entries any of them can show are found and sorted once (`_newest`),
    every entry rendered once however many feeds show it."""

    def __init__(self, settings: Settings, state: SiteState) -> None:
        self.settings = settings
        self._components = {c.id for c in state.components}
        self._newest = _newest(state, settings.candor.feed_entries, self._components)
        self._state = state
        self._made: dict[tuple[str, int], Entry] = {}

    def entries(self, component: str | None = None) -> list[Entry]:
        keep = self.settings.candor.feed_entries
        if component is None:
            kept = self._newest[:keep]
        else:
            kept = []
            newest = self._newest
            if component not in self._components:  # not among those `_newest` looked for
                newest = _newest(self._state, keep, {component})
            for ref in newest:
                if len(kept) >= keep:
                    break
                if component in ref.state.event.affected:
                    kept.append(ref)
        return [self._entry(ref) for ref in kept]

    def _entry(self, ref: _Ref) -> Entry:
        made = self._made.get((ref.event_id, ref.order))
        if made is None:
            made = self._made[(ref.event_id, ref.order)] = _entry(self.settings, ref)
        return made


def _newest(state: SiteState, keep: int, components: Collection[str]) -> list[_Ref]:
    """Every entry that can be among the newest `keep` of the site's feed or of one of
    `components`' feeds, newest first (ties by incident id, then update order).

    Incidents are taken by their newest entry, latest first, until each feed holds `keep`
    entries newer than anything the rest could add: a long history's other hundred thousand
    updates are never listed or sorted. What is returned holds the feeds' newest `keep` in
    order, and more; a feed's entries are the first `keep` of those that are its own."""
    now = state.now
    latest = []
    for event_state in state.events:
        out = event_state.newest_out  # its newest entry out at "now"
        if out is not None:
            latest.append((out.timestamp(), event_state))
    latest.sort(key=lambda pair: -pair[0])
    # Per feed (None: the site's), the times of its newest `keep` entries so far, oldest at
    # the top; a feed leaves once its oldest kept is newer than all the rest can add.
    open_feeds: dict[str | None, list[float]] = {None: [], **{c: [] for c in components}}
    found: list[_Ref] = []
    for newest, event_state in latest:
        for feed in [f for f, kept in open_feeds.items() if len(kept) >= keep and kept[0] > newest]:
            del open_feeds[feed]
        if not open_feeds:
            break
        affected = event_state.event.affected
        feeds = [f for f in open_feeds if f is None or f in affected]
        if not feeds:
            continue
        refs = [ref for ref in _refs(event_state) if ref.at <= now]
        found += refs
        for feed in feeds:
            kept = open_feeds[feed]
            for ref in refs:
                at = ref.at.timestamp()
                if len(kept) < keep:
                    heapq.heappush(kept, at)
                elif at > kept[0]:
                    heapq.heapreplace(kept, at)
    found.sort(key=lambda r: (-r.at.timestamp(), r.event_id, r.order))
    return found


def entries(settings: Settings, state: SiteState, component: str | None = None) -> list[Entry]:
    """The entries of the site's feed (or a component's), newest first (see `_Entries`)."""
    return _Entries(settings, state).entries(component)


def _generator(
    settings: Settings,
    title: str,
    self_url: str,
    page_url: str,
    updated: datetime,
    rss: bool = False,
    subtitle: bool = True,
) -> FeedGenerator:
    fg = FeedGenerator()
    fg.id(self_url)
    fg.title(title)
    # Titles are plain text (Atom says so with type="text"). An RSS <description> is HTML by
    # custom, the channel's as well as each item's: the title goes in escaped, so that a
    # reader rendering it shows it literally.
    if subtitle:
        fg.subtitle(html.escape(title, quote=False) if rss else title)
    fg.author({"name": plaintext.line(settings.site_name)})
    # RSS's channel <link> is the last one added: the page, not the feed itself.
    fg.link(href=self_url, rel="self")
    fg.link(href=page_url, rel="alternate")
    fg.language(settings.language)
    fg.generator(GENERATOR)
    # feedgen would stamp the clock here; the newest entry keeps rebuilds byte-identical.
    fg.updated(updated)
    fg.lastBuildDate(updated)
    return fg


def _add(fg: FeedGenerator, entry: Entry, atom: bool, published: bool = True) -> None:
    fe = fg.add_entry(order="append")
    fe.id(entry.id)
    fe.guid(entry.id, permalink=True)
    fe.title(entry.title)
    fe.link(href=entry.id, rel="alternate")
    if published:
        fe.published(entry.at)
    fe.updated(entry.at)
    if atom:
        fe.content(entry.html, type="html")
        if entry.author:
            fe.author({"name": entry.author})
    else:
        fe.description(entry.html)


def _feed_updated(found: list[Entry], state: SiteState, fallback: list[Entry]) -> datetime:
    if found:
        return found[0].at
    if fallback:
        return fallback[0].at
    return page_updated(state).astimezone(UTC)  # not the build's time: see SiteState.last_changed


def each_incident_feed(
    settings: Settings, state: SiteState, keep: Keep | None = None
) -> Iterator[tuple[str, Artifact]]:
    """`incidents/<id>/feed.atom` for every incident and maintenance, one at a time: its
    updates and its postmortem, with the same entries and ids as the site feed, newest first.
    With `keep` (the build cache), each feed is asked of it first: it depends on its
    incident alone."""
    for event_state in state.events:
        path = urls.incident_feed(event_state.event.id)

        def make(event_state: EventState = event_state) -> bytes:
            return incident_feed(settings, state, event_state)

        yield path, keep("feed", [event_state], make) if keep is not None else make()


def incident_feed(settings: Settings, state: SiteState, event_state: EventState) -> bytes:
    site = plaintext.line(settings.site_name)
    event = event_state.event
    own = [e for e in event_entries(settings, event_state) if e.at <= state.now]
    own.sort(key=lambda e: (-e.at.timestamp(), e.order))
    path = urls.incident_feed(event.id)
    page = urls.absolute(settings.site_url, urls.incident(event.id))
    updated = own[0].at if own else event_state.first_update
    title = f"{plaintext.line(event.title)} — {site}"
    # One feed per incident: tens of thousands of files in a long history, so each carries
    # only what a reader uses. No <subtitle> (it repeated the title), no <published> (an
    # update is published when it is dated: <updated> says it), no indentation.
    fg = _generator(
        settings, title, urls.absolute(settings.site_url, path), page, updated, subtitle=False
    )
    for entry in own:
        _add(fg, entry, atom=True, published=False)
    result: bytes = fg.atom_str(pretty=False)
    return result


def history_feeds(settings: Settings, state: SiteState) -> dict[str, bytes]:
    """`history.rss`, `history.atom` and `components/<id>/history.atom` for every component."""
    site = plaintext.line(settings.site_name)
    title = label(settings.language, "feed.title", site=site)
    found = _Entries(settings, state)
    everything = found.entries()
    updated = _feed_updated(everything, state, [])
    out: dict[str, bytes] = {}

    def url(path: str) -> str:
        return urls.absolute(settings.site_url, path)

    rss = _generator(settings, title, url(urls.RSS), url(urls.HISTORY), updated, rss=True)
    atom = _generator(settings, title, url(urls.ATOM), url(urls.HISTORY), updated)
    for entry in everything:
        _add(rss, entry, atom=False)
        _add(atom, entry, atom=True)
    out[urls.RSS] = rss.rss_str(pretty=True)
    out[urls.ATOM] = atom.atom_str(pretty=True)

    for component in state.components:
        own = found.entries(component.id)
        name = plaintext.line(component.component.name)
        path = urls.component_feed(component.id)
        fg = _generator(
            settings,
            f"{name} — {title}",
            url(path),
            url(urls.component(component.id)),
            _feed_updated(own, state, everything),
        )
        for entry in own:
            _add(fg, entry, atom=True)
        out[path] = fg.atom_str(pretty=True)
    return out
