"""Settings + SiteState → the generated pages, as HTML fragments with escaped titles.

Pure functions over the derived state: nothing here reads files or knows about mkdocs. The
plugin hands each page's `make()` to mkdocs-material as the page content, when mkdocs renders
that page, and `Planned.title` as its title, already escaped, because mkdocs puts titles into
`<title>`, headers and the search index verbatim. Links between generated pages are relative,
so the site works under any base path.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from generator.core.channels import EmailChannel, MastodonChannel
from generator.core.characters import visible
from generator.core.config import Settings
from generator.core.errors import Problem
from generator.core.model import ActionItem, Update
from generator.core.state import ComponentState, EventState, SiteState
from generator.outputs import urls
from generator.outputs.api import api_time, page_updated
from generator.outputs.i18n import labels
from generator.outputs.templating import KeptRows, PageContext, describe, template_env

RECENT_DAYS = 14
# Past this many events, years before the current one get their own history pages.
SPLIT_HISTORY_AFTER = 100


@dataclass(frozen=True)
class Planned:
    """A generated page known by its address and title, its body rendered only when asked
    for: a long history then never holds every page's HTML at once."""

    src_uri: str  # e.g. "incidents/<id>/index.md"
    url: str  # e.g. "incidents/<id>/"; "" for the home page
    title: str  # HTML-escaped: safe to place into markup verbatim
    kind: str  # home | incident | postmortem | history | component | subscribe
    make: Callable[[], str] = field(repr=False, compare=False)  # the HTML body
    description: str = ""  # HTML-escaped one-line summary for <meta name="description">
    feed: str = ""  # the page's own Atom feed (site-relative), advertised in its <head>
    live: Live | None = None  # while an incident is open: what the page shows, to compare

    def __post_init__(self) -> None:
        # mkdocs copies the title into <title>, the navigation and the search index.
        object.__setattr__(self, "title", visible(self.title))
        object.__setattr__(self, "description", visible(self.description))


@dataclass(frozen=True)
class Live:
    """What an open incident's page embeds for its update script: the values of
    `api/v2/status.json` it was built with, and the words of the notice it may show."""

    updated: str  # page.updated_at
    indicator: str  # status.indicator
    status_url: str  # site-relative: api/v2/status.json
    behind: str
    reload: str


@dataclass(frozen=True)
class Actions:
    items: list[ActionItem]
    done: int
    total: int


def numbered(ev: EventState) -> list[tuple[int, Update]]:
    """Updates with their permanent 1-based numbers, in file order."""
    return list(enumerate(ev.event.updates, start=1))


def live(ctx: PageContext) -> Live | None:
    """Set while an incident is open or a maintenance is in progress: the pages that show
    it then load a small script that says when the page is behind."""
    state = ctx.state
    if not state.open_incidents and not state.active_maintenance:
        return None
    return Live(
        updated=api_time(page_updated(state), state) or "",
        indicator=state.indicator,
        status_url=urls.api("status.json"),
        behind=ctx.L.t("live.behind"),
        reload=ctx.L.t("live.reload"),
    )


def plan_home(ctx: PageContext) -> Planned:
    state = ctx.state
    title = html.escape(ctx.L.t(f"indicator.{state.indicator}"))

    def body() -> str:
        return ctx.render("home.html", "", recent=recent_days(state))

    return Planned(
        urls.source(urls.HOME),
        urls.HOME,
        title,
        "home",
        body,
        ctx.describe(ctx.indicator()),
        feed=urls.ATOM,
        live=live(ctx),
    )


def plan_subscribe(ctx: PageContext) -> Planned:
    channels = ctx.settings.candor.notify
    signup = [c.signup_url for c in channels if isinstance(c, EmailChannel) and c.signup_url]
    mastodon = [c.profile_url for c in channels if isinstance(c, MastodonChannel) and c.profile_url]
    title = ctx.L.t("subscribe.title")

    def body() -> str:
        return ctx.render(
            "subscribe.html", urls.SUBSCRIBE, signup_urls=signup, mastodon_urls=mastodon
        )

    return Planned(
        urls.source(urls.SUBSCRIBE),
        urls.SUBSCRIBE,
        html.escape(title),
        "subscribe",
        body,
        ctx.describe(title),
        feed=urls.ATOM,
    )


def recent_days(state: SiteState, days: int = RECENT_DAYS) -> list[tuple[date, list[EventState]]]:
    """The last `days` days in the display zone, newest first, each with what began then."""
    today = state.now.astimezone(state.tz).date()
    by_day: dict[date, list[EventState]] = {}
    for ev in state.events:
        if ev.upcoming:
            continue
        by_day.setdefault(ev.history_time.astimezone(state.tz).date(), []).append(ev)
    return [
        (day, by_day.get(day, []))
        for day in (today - timedelta(days=offset) for offset in range(days))
    ]


def plan_incident(ctx: PageContext, ev: EventState) -> Planned:
    url = urls.incident(ev.id)

    def body() -> str:
        return ctx.render("incident.html", url, ev=ev, updates=numbered(ev))

    description = ctx.describe(ev.event.title, ctx.L.t(f"status.{ev.status}"))
    return Planned(
        urls.source(url),
        url,
        html.escape(ev.event.title),
        "incident",
        body,
        description,
        feed=urls.incident_feed(ev.id),
        live=live(ctx) if ev.active else None,
    )


def plan_postmortem(ctx: PageContext, ev: EventState) -> Planned:
    url = urls.postmortem(ev.id)
    title = ctx.L.t("postmortem.title", title=ev.event.title)
    return Planned(
        urls.source(url),
        url,
        html.escape(title),
        "postmortem",
        lambda: _postmortem(ctx, ev, url),
        ctx.describe(title),
    )


def _postmortem(ctx: PageContext, ev: EventState, url: str) -> str:
    pm = ev.event.postmortem
    assert pm is not None
    actions = None
    if isinstance(pm.prevention, list):
        done = sum(1 for item in pm.prevention if item.status == "done")
        actions = Actions(list(pm.prevention), done, len(pm.prevention))
    return ctx.render(
        "postmortem.html",
        url,
        ev=ev,
        sections=pm.sections(),
        actions=actions,
        updates=numbered(ev),
    )


def by_month(ctx: PageContext, events: Iterable[EventState]) -> list[tuple[str, list[EventState]]]:
    months: dict[str, list[EventState]] = {}
    for ev in events:  # already newest first
        months.setdefault(ctx.L.month(ev.history_time), []).append(ev)
    return list(months.items())


def plan_history(ctx: PageContext) -> list[Planned]:
    """`history/`, plus `history/<YYYY>/` for earlier years once the list grows long."""
    state = ctx.state
    this_year = state.now.astimezone(state.tz).year

    # Each event's year once: a long history has 10,000 events and a dozen years.
    years_of = [ev.history_time.astimezone(state.tz).year for ev in state.events]
    by_year: dict[int, list[EventState]] = {}
    for ev, y in zip(state.events, years_of, strict=True):
        by_year.setdefault(y, []).append(ev)
    split = len(state.events) > SPLIT_HISTORY_AFTER
    main = [ev for ev, y in zip(state.events, years_of, strict=True) if not split or y >= this_year]
    earlier = sorted((y for y in by_year if y < this_year), reverse=True)
    years = earlier if split else []

    def page(url: str, heading: str, events: list[EventState], years: list[int]) -> Planned:
        def body() -> str:
            months = by_month(ctx, events)
            return ctx.render("history.html", url, heading=heading, months=months, years=years)

        description = ctx.describe(heading)
        return Planned(urls.source(url), url, html.escape(heading), "history", body, description)

    pages = [page(urls.HISTORY, ctx.L.t("history.title"), main, years)]
    for y in years:
        pages.append(page(urls.history_year(y), ctx.L.t("history.year", year=y), by_year[y], []))
    return pages


def plan_component(ctx: PageContext, c: ComponentState) -> Planned:
    url = urls.component(c.id)

    def body() -> str:
        by_id = ctx.state.by_id
        events = [by_id[i] for i in c.event_ids if i in by_id]
        return ctx.render("component.html", url, c=c, events=events)

    status = ctx.L.t(f"component.{c.status}")
    description = ctx.describe(c.component.name, status, c.component.description or "")
    return Planned(
        urls.source(url),
        url,
        html.escape(c.component.name),
        "component",
        body,
        description,
        feed=urls.component_feed(c.id),
    )


def plan_site(settings: Settings, state: SiteState, rows: KeptRows | None = None) -> list[Planned]:
    """Every generated page, in a stable order, none rendered yet; `rows`: incidents' rows
    kept from an earlier build (`candor serve`)."""
    ctx = PageContext(settings, state, rows)
    pages = [plan_home(ctx)]
    for ev in state.events:
        pages.append(plan_incident(ctx, ev))
        if ev.event.postmortem is not None and ev.postmortem_published:
            pages.append(plan_postmortem(ctx, ev))
    pages += plan_history(ctx)
    pages += [plan_component(ctx, c) for c in state.components]
    pages.append(plan_subscribe(ctx))
    return pages


def render_problems(problems: Sequence[Problem]) -> Planned:
    """The page `candor serve` shows instead of the site while incident files have errors."""
    shown = [p for p in problems if p.severity == "error"] or list(problems)
    body = template_env().get_template("problems.html").render(problems=shown, count=len(shown))
    return Planned(urls.source(urls.HOME), urls.HOME, "Problems to fix", "problems", lambda: body)


def site_description(settings: Settings, state: SiteState) -> str:
    """The fallback description of pages Candor does not generate (an About page)."""
    return describe(settings, labels(settings.language, state.tz).t(f"indicator.{state.indicator}"))


GZIP_LAST_DAY = datetime(2106, 2, 7, tzinfo=UTC)


def now_date(state: SiteState) -> str:
    """The date mkdocs writes into the sitemap: the day of the last change, not of the build,
    so that a build that changes nothing is byte-identical to the live site.

    mkdocs also stamps the gzipped sitemap with it, and a gzip header holds seconds since 1970
    in 32 bits: a later change (say, in year 9999) is dated on the last day it can carry."""
    return min(page_updated(state).astimezone(UTC), GZIP_LAST_DAY).strftime("%Y-%m-%d")
