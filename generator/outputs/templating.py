"""What every page template gets: the Jinja environment (StrictUndefined, autoescape) and
the helpers bound to one language, state and page URL: times, durations, names, links, the
uptime bar's words and the communication record.

Pages (`pages`) and the chrome around them (`chrome`) render through it; nothing here knows
which pages exist."""

from __future__ import annotations

import html
import pickle
import string
from collections import OrderedDict
from collections.abc import Callable, Mapping
from datetime import datetime, timedelta
from functools import lru_cache
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup, escape

from generator.core import times
from generator.core.config import Settings
from generator.core.model import Update
from generator.core.state import ComponentState, EventState, SiteState, UptimeDay
from generator.outputs import markdown, plaintext, urls
from generator.outputs.i18n import Labels, labels
from generator.outputs.icons import ICONS, INDICATOR_ICON, STATUS_ICON

# How many formatted moments a page context keeps (PageContext.when).
KEPT_MOMENTS = 2048


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


def format_label(text: str, values: Mapping[str, object]) -> Markup:
    """`text` escaped, its placeholders filled with `values` escaped (Markup stays as it is):
    what `Markup(escape(text)).format(**values)` gives."""
    if not _named_fields_only(text):  # `{0}`, `{a.b}`, `{a:>5}`: the formatter's own way
        return Markup(escape(text)).format(**values)
    # For bare `{name}` fields, each value escaped once without Markup.format's formatter
    # pass, which cost a tenth of rendering a page.
    return Markup(str(escape(text)).format_map({k: escape(v) for k, v in values.items()}))


@lru_cache(maxsize=512)
def _named_fields_only(text: str) -> bool:
    """Whether every placeholder of a label is a bare `{name}`."""
    try:
        fields = list(string.Formatter().parse(text))
    except ValueError:  # unmatched braces: Markup.format reports them
        return False
    return all(
        name is None or (name.isidentifier() and not spec and conversion is None)
        for _, name, spec, conversion in fields
    )


class KeptRows:
    """Incidents' rows in the lists of the home, history and component pages, kept from one
    rebuild of `candor serve` to the next: a long history's page is a thousand rows of which
    an edit changes one.

    A row is decided by its incident's key (its data and what the clock makes of it, as the
    build cache keys an incident's page), the site's key (settings, theme, Candor itself) and
    the URL of the page it is on (its links are relative). A row stays while its incident's
    key is current, also through builds that take its page from the build cache and so never
    ask for it: the next change to that page then makes only the rows that changed. Rows of
    an incident deleted or changed are dropped at the next build. `candor build` keeps them
    in the build cache (`export`)."""

    def __init__(self) -> None:
        self.site = ""
        self.keys: Mapping[str, str] = {}
        # Rows kept from before, as text: wrapped as Markup only when a page shows one.
        self._previous: dict[tuple[str, str], str] = {}
        self._shown: dict[tuple[str, str], Markup] = {}

    def begin(self, site: str, keys: Mapping[str, str], earlier: bytes | None = None) -> None:
        """A new build, with the site's key and each incident's, by id (none: keep no row);
        `earlier`: what `export` gave in an earlier build of the same site."""
        same = bool(site) and site == self.site
        kept = self._rows() if same else {}
        if earlier is not None and site and not same:
            kept = _exported(earlier)
        current = set(keys.values())
        self._previous = {entry: made for entry, made in kept.items() if entry[0] in current}
        self._shown = {}
        self.site, self.keys = site, keys

    def export(self) -> bytes:
        """The rows this build showed or kept, for the next build in another process.
        Pickled: a long history's rows are 20 MB, which JSON took three to five times as
        long to write and read."""
        rows = {entry: str(made) for entry, made in self._rows().items()}
        return pickle.dumps(rows, protocol=pickle.HIGHEST_PROTOCOL)

    def _rows(self) -> dict[tuple[str, str], str]:
        """Every row held now: those kept from before, and those this build showed."""
        return {**self._previous, **self._shown}

    def row(self, ev: EventState, page_url: str, make: Callable[[EventState], Markup]) -> Markup:
        key = self.keys.get(ev.id)
        if key is None:
            return make(ev)
        entry = (key, page_url)
        made = self._shown.get(entry)
        if made is None:
            kept = self._previous.get(entry)
            made = make(ev) if kept is None else Markup(kept)
            self._shown[entry] = made
        return made


def _exported(data: bytes) -> dict[tuple[str, str], str]:
    """The rows `KeptRows.export` gave; none from an entry damaged or of another shape."""
    try:
        found = pickle.loads(data)
        return {
            (key, url): made
            for (key, url), made in found.items()
            if isinstance(key, str) and isinstance(url, str) and isinstance(made, str)
        }
    except Exception:
        return {}


class PageContext:
    """The helpers every template gets, bound to one language, state and page URL."""

    def __init__(self, settings: Settings, state: SiteState, rows: KeptRows | None = None) -> None:
        self.settings = settings
        self.state = state
        self.rows = rows
        self.L: Labels = labels(settings.language, state.tz, settings.candor.labels)
        self.names = {c.id: c.name for c in settings.candor.components}
        # "Status last changed" and "Status unchanged since": the last change of the status,
        # never the build nor a postmortem published since (see SiteState.status_changed).
        self.changed = state.status_changed
        # A moment often appears several times on a page and on the next (an incident's,
        # its postmortem): the latest few thousand are kept, never a long history's every one.
        self._when: OrderedDict[datetime, Markup] = OrderedDict()

    def render(self, template: str, page_url: str, **values: Any) -> str:
        def url(target: str) -> str:
            return urls.relative(page_url, target, self.settings.preview)

        def absolute(target: str) -> str:
            return urls.absolute(self.settings.site_url, target)

        def row(ev: EventState, make: Callable[[EventState], Markup]) -> Markup:
            """An incident's row in a list (the `event_item` macro, handed in)."""
            return make(ev) if self.rows is None else self.rows.row(ev, page_url, make)

        return (
            template_env()
            .get_template(template)
            .render(
                L=self.L,
                words=self.L.words,
                T=self.markup_label,
                url=url,
                absolute=absolute,
                row=row,
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
        return format_label(self.L.t(key), values)

    def when(self, moment: datetime) -> Markup:
        """A moment in the site's zone, with UTC beside it; each part stays on one line, so a
        narrow screen never breaks "10:14 CET" apart."""
        made = self._when.get(moment)
        if made is not None:
            self._when.move_to_end(moment)
            return made
        local, utc = self.L.datetime_parts(moment)
        # Built directly: Markup.format costs a formatter pass per time, and a long history
        # shows tens of thousands of times.
        html = f'<time datetime="{times.format_utc(moment)}">{escape(local)}</time>'
        if utc is not None:
            gap = "" if self.L.language == "ja" else " "
            html += f'{gap}<span class="cd-utc">{escape(utc)}</span>'
        made = self._when[moment] = Markup(html)
        if len(self._when) > KEPT_MOMENTS:
            self._when.popitem(last=False)
        return made

    def duration(self, delta: timedelta) -> Markup:
        """ "2 h 17 min", never broken across lines."""
        return Markup(f'<span class="cd-nw">{escape(self.L.duration(delta))}</span>')

    def lang_of(self, ev: EventState) -> Markup:
        """` lang="ja"` on an incident's own text when it is written in another language."""
        tag = ev.event.written_in(self.L.language)
        return Markup(f' lang="{escape(tag)}"') if tag else Markup("")

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
            Markup(
                f'<a href="{escape(url(urls.component(c)))}">{escape(self.component_name(c))}</a>'
            )
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


def describe(settings: Settings, *parts: str) -> str:
    """One line of escaped plain text, e.g. `Title — Resolved — Site name`, for
    `<meta name="description">`, which mkdocs-material prints unescaped."""
    words = [" ".join(part.split()) for part in (*parts, settings.site_name)]
    return html.escape(" — ".join(word for word in words if word))
