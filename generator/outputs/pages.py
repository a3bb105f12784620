"""Settings + SiteState → the generated pages, as HTML fragments with escaped titles.

Pure functions over the derived state: nothing here reads files or knows about mkdocs. The
plugin hands each `Page.body` to mkdocs-material as the page content and `Page.title` as its
title, already escaped, because mkdocs puts titles into `<title>`, headers and the search index
verbatim. Links between generated pages are relative, so the site works under any base path.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup, escape

from generator.core.channels import EmailChannel, MastodonChannel
from generator.core.config import Settings
from generator.core.errors import Problem
from generator.core.model import ActionItem, Update
from generator.core.state import ComponentState, EventState, SiteState, UptimeDay
from generator.outputs import markdown, plaintext, urls
from generator.outputs.api import api_time, last_changed, page_updated
from generator.outputs.i18n import Labels, labels
from generator.outputs.icons import ICONS, INDICATOR_ICON, STATUS_ICON

RECENT_DAYS = 14
# Past this many events, years before the current one get their own history pages.
SPLIT_HISTORY_AFTER = 100


@dataclass(frozen=True)
class Page:
    """One generated page: where it goes, its escaped title and its HTML body."""

    src_uri: str  # e.g. "incidents/<id>/index.md"
    url: str  # e.g. "incidents/<id>/"; "" for the home page
    title: str  # HTML-escaped: safe to place into markup verbatim
    body: str
    kind: str  # home | incident | postmortem | history | component | subscribe
    description: str = ""  # HTML-escaped one-line summary for <meta name="description">
    feed: str = ""  # the page's own Atom feed (site-relative), advertised in its <head>
    live: Live | None = None  # while an incident is open: what the page shows, to compare


@dataclass(frozen=True)
class Planned:
    """A generated page known by its address and title, its body rendered only when asked
    for: a long history then never holds every page's HTML at once."""

    src_uri: str
    url: str
    title: str
    kind: str
    make: Callable[[], str] = field(repr=False, compare=False)
    description: str = ""  # HTML-escaped, like the title
    feed: str = ""
    live: Live | None = None

    def render(self) -> Page:
        return Page(
            self.src_uri,
            self.url,
            self.title,
            self.make(),
            self.kind,
            self.description,
            self.feed,
            self.live,
        )


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


def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("generator.outputs", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
        # Templates ship with the package: no need to stat them again for every page.
        auto_reload=False,
    )
    env.filters["md"] = lambda text: Markup(markdown.to_html(text))
    env.filters["md_inline"] = lambda text: Markup(markdown.to_inline_html(text))
    env.filters["iso"] = iso
    env.globals.update(
        ICONS=ICONS, STATUS_ICON=STATUS_ICON, INDICATOR_ICON=INDICATOR_ICON, paths=urls
    )
    return env


_ENV: Environment | None = None


def template_env() -> Environment:
    global _ENV
    if _ENV is None:
        _ENV = environment()
    return _ENV


class PageContext:
    """The helpers every template gets, bound to one language, state and page URL."""

    def __init__(self, settings: Settings, state: SiteState) -> None:
        self.settings = settings
        self.state = state
        self.L: Labels = labels(settings.language, state.tz, settings.candor.labels)
        self.names = {c.id: c.name for c in settings.candor.components}
        # Pages date themselves from the last change, never from the build (api.last_changed).
        self.changed = last_changed(state)

    def render(self, template: str, page_url: str, **values: Any) -> str:
        def url(target: str) -> str:
            return urls.relative(page_url, target, self.settings.preview)

        def absolute(target: str) -> str:
            return urls.absolute(self.settings.site_url, target)

        return (
            template_env()
            .get_template(template)
            .render(
                L=self.L,
                T=self.markup_label,
                url=url,
                absolute=absolute,
                state=self.state,
                now=self.state.now,
                changed=self.changed,
                when=self.when,
                dur=self.duration,
                lang_of=self.lang_of,
                in_lang=self.in_lang,
                next_update=self.next_update,
                component_name=self.component_name,
                component_names=self.component_names,
                component_links=lambda ev: self.component_links(ev, url),
                bar_label=self.bar_label,
                page_data=self.page_data,
                record=self.record,
                runs=runs,
                uneven_days=self.uneven_days,
                summary=self.summary,
                **values,
            )
        )

    def indicator(self) -> str:
        return self.L.t(f"indicator.{self.state.indicator}")

    def describe(self, *parts: str) -> str:
        """A page's meta description: its parts and the site's name on one escaped line."""
        return describe(self.settings, *parts)

    def markup_label(self, key: str, **values: object) -> Markup:
        """A label whose placeholders may hold markup (e.g. a <time> element)."""
        return Markup(escape(self.L.t(key))).format(**values)

    def when(self, moment: datetime) -> Markup:
        """A moment in the site's zone, with UTC beside it; each part stays on one line, so a
        narrow screen never breaks "10:14 CET" apart."""
        local, utc = self.L.datetime_parts(moment)
        # Built directly: Markup.format costs a formatter pass per time, and a long history
        # shows tens of thousands of times.
        html = f'<time datetime="{iso(moment)}">{escape(local)}</time>'
        if utc is not None:
            gap = "" if self.L.language == "ja" else " "
            html += f'{gap}<span class="cd-utc">{escape(utc)}</span>'
        return Markup(html)

    def duration(self, delta: timedelta) -> Markup:
        """ "2 h 17 min", never broken across lines."""
        return Markup('<span class="cd-nw">{}</span>').format(self.L.duration(delta))

    def lang_of(self, ev: EventState) -> Markup:
        """` lang="ja"` on an incident's own text when it is written in another language."""
        tag = ev.event.written_in(self.L.language)
        return Markup(' lang="{}"').format(tag) if tag else Markup("")

    def in_lang(self, ev: EventState, text: str) -> Markup:
        """An incident's text inside a label of the site's own words, marked when it is
        written in another language."""
        if not ev.event.written_in(self.L.language):
            return Markup(escape(text))
        return Markup("<span{}>{}</span>").format(self.lang_of(ev), text)

    def next_update(self, ev: EventState) -> Markup:
        due = ev.next_update_due
        if due is None:
            return Markup("")
        key = "next_update.overdue" if due < self.state.now else "next_update"
        return self.markup_label(key, time=self.when(due))

    @property
    def page_data(self) -> Markup:
        """What the reader's-zone script needs: the site's zone and how to word the time."""
        return Markup('data-tz="{}" data-local-time="{}"').format(
            self.state.tz.key, self.L.t("time.local")
        )

    def component_name(self, component_id: str) -> str:
        return self.names.get(component_id, component_id)

    def component_names(self, ev: EventState) -> str:
        names = [self.component_name(c) for c in ev.event.affected]
        return self.L.t("list").join(names) if names else self.L.t("affected.none")

    def component_links(self, ev: EventState, url: Callable[[str], str]) -> Markup:
        if not ev.event.affected:
            return Markup(escape(self.L.t("affected.none")))
        links = [
            Markup('<a href="{}">{}</a>').format(url(urls.component(c)), self.component_name(c))
            for c in ev.event.affected
        ]
        return Markup(escape(self.L.t("list"))).join(links)

    def record(self) -> list[tuple[str, str]]:
        """The "How we communicate" figures as (label, value), empty without incidents."""
        r, L = self.state.communication, self.L
        if not r.incidents:
            return []
        first = r.median_time_to_first_update
        share = r.promises_kept_share
        report = r.median_time_to_postmortem
        return [
            (L.t("record.incidents"), str(r.incidents)),
            (L.t("record.first_update"), L.duration(first) if first is not None else "–"),
            (
                L.t("record.promises"),
                L.t(
                    "record.promises.value",
                    kept=r.promises_kept,
                    total=r.promises,
                    percent=L.share(share),
                )
                if share is not None
                else L.t("record.promises.none"),
            ),
            (
                L.t("record.postmortem"),
                L.duration(report) if report is not None else L.t("record.postmortem.none"),
            ),
        ]

    def bar_label(self, c: ComponentState) -> str:
        """What the uptime bar shows, in words, for those who cannot see its colours."""
        return self.L.t(
            "uptime.bar",
            name=c.component.name,
            percent=self.L.percent(c.uptime),
            days=len(c.days),
            count=sum(1 for d in c.days if d.status != "operational"),
        )

    def uneven_days(self, c: ComponentState) -> list[tuple[UptimeDay, list[EventState]]]:
        """The days of the bar that were not fully operational, newest first, each with the
        incidents and maintenance that touched it."""
        by_id = self.state.by_id
        return [
            (d, [by_id[i] for i in d.events if i in by_id])
            for d in reversed(c.days)
            if d.status != "operational"
        ]

    @staticmethod
    def summary(update: Update, limit: int = 140) -> str:
        return plaintext.summary(update.message, limit)


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def runs(c: ComponentState) -> list[tuple[str, int]]:
    """The bar's days as runs of one status (status, days): a handful of elements per bar
    instead of one per day; the stylesheet draws the day ticks."""
    found: list[tuple[str, int]] = []
    for d in c.days:
        if found and found[-1][0] == d.status:
            found[-1] = (d.status, found[-1][1] + 1)
        else:
            found.append((d.status, 1))
    return found


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

    def year(ev: EventState) -> int:
        return ev.history_time.astimezone(state.tz).year

    split = len(state.events) > SPLIT_HISTORY_AFTER
    main = [ev for ev in state.events if not split or year(ev) >= this_year]
    earlier = sorted({year(ev) for ev in state.events if year(ev) < this_year}, reverse=True)
    years = earlier if split else []

    def page(url: str, heading: str, events: list[EventState], years: list[int]) -> Planned:
        def body() -> str:
            months = by_month(ctx, events)
            return ctx.render("history.html", url, heading=heading, months=months, years=years)

        description = ctx.describe(heading)
        return Planned(urls.source(url), url, html.escape(heading), "history", body, description)

    pages = [page(urls.HISTORY, ctx.L.t("history.title"), main, years)]
    for y in years:
        events = [ev for ev in state.events if year(ev) == y]
        pages.append(page(urls.history_year(y), ctx.L.t("history.year", year=y), events, []))
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


def plan_site(settings: Settings, state: SiteState) -> list[Planned]:
    """Every generated page, in a stable order, none rendered yet."""
    ctx = PageContext(settings, state)
    pages = [plan_home(ctx)]
    for ev in state.events:
        pages.append(plan_incident(ctx, ev))
        if ev.event.postmortem is not None and ev.postmortem_published:
            pages.append(plan_postmortem(ctx, ev))
    pages += plan_history(ctx)
    pages += [plan_component(ctx, c) for c in state.components]
    pages.append(plan_subscribe(ctx))
    return pages


def render_site(settings: Settings, state: SiteState) -> list[Page]:
    """Every generated page, rendered, in a stable order."""
    return [planned.render() for planned in plan_site(settings, state)]


def render_problems(problems: Sequence[Problem]) -> Planned:
    """The page `candor serve` shows instead of the site while incident files have errors."""
    shown = [p for p in problems if p.severity == "error"] or list(problems)
    body = template_env().get_template("problems.html").render(problems=shown, count=len(shown))
    return Planned(urls.source(urls.HOME), urls.HOME, "Problems to fix", "problems", lambda: body)


def describe(settings: Settings, *parts: str) -> str:
    """One line of escaped plain text, e.g. `Title — Resolved — Site name`, for
    `<meta name="description">`, which mkdocs-material prints unescaped."""
    words = [" ".join(part.split()) for part in (*parts, settings.site_name)]
    return html.escape(" — ".join(word for word in words if word))


def site_description(settings: Settings, state: SiteState) -> str:
    """The fallback description of pages Candor does not generate (an About page)."""
    return describe(settings, labels(settings.language, state.tz).t(f"indicator.{state.indicator}"))


def now_date(state: SiteState) -> str:
    """The date mkdocs writes into the sitemap: the day of the last change, not of the build,
    so that a build that changes nothing is byte-identical to the live site."""
    return page_updated(state).astimezone(UTC).strftime("%Y-%m-%d")
