"""The `candor` mkdocs plugin: glue between mkdocs' build events and Candor's pure stages.

on_config    load and check the incident files (errors abort the build), derive the state
             once, plan every generated page (address and title), and turn on what the site
             needs. The loaded files (source text, positions) are let go once checked.
on_files     add the generated pages as files that exist only in memory (never in docs_dir).
on_nav       keep generated pages out of the navigation.
on_page_*    give each generated page its escaped title, skipping Python-Markdown for it;
             render its body just before the theme renders the page (before search reads
             it) and let it go once the page is written, so that a long history never holds
             every body at once; hand each its header and footer; date every page from "now"
             the sitemap from the last change, not the build.
on_post_build  write feeds, API, calendar and badge through the writer.
on_pre_build move the previous build aside instead of letting mkdocs delete it file by
             file, or, after a change to incident files only, keep every file that stays the
             same (`serve`: the served folder; `build`: the site it last replaced, reuse.py).
on_serve     rebuild as soon as an incident file changes (the system's file events; where
             there are none, polled more often than other paths); on_shutdown stops that.

Incident, postmortem and component pages are kept in the build cache (cache.py): a page whose
key is found there is handed to mkdocs as a page that needs no Markdown and a template that
renders nothing, and its saved HTML, with this build's head, header and footer, becomes its
output. `candor build` and `candor serve` go further: they build dirty (`build` into an
empty folder), mkdocs skips the pages found in the cache (GeneratedFile asks the plugin),
and on_post_build writes them straight from it, through the same last steps as every page
(`_finished`), leaving alone those whose file already holds them (reuse.Reuse).
Every generated page skips Python-Markdown: its Markdown is always empty.
"""

from __future__ import annotations

import contextlib
import logging
import os
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jinja2 import Environment
from markupsafe import Markup
from mkdocs.config.config_options import ExtraScriptValue
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page as MkPage
from mkdocs.utils import write_file

from generator.core import filecache
from generator.core.characters import inert, visible
from generator.core.config import Settings, load_settings
from generator.core.errors import CandorError, ConfigError, Problem
from generator.core.project import NOW_ENV, load_project
from generator.core.state import EventState, SiteState
from generator.outputs import urls
from generator.outputs.api import page_updated
from generator.outputs.artifacts import each_artifact
from generator.outputs.chrome import Chrome, palette_scheme, with_preview_banner
from generator.outputs.compact import compact_page
from generator.outputs.i18n import labels, override_problems
from generator.outputs.pages import (
    Planned,
    now_date,
    plan_site,
    render_problems,
    site_description,
    template_env,
)
from generator.outputs.search import search_entries
from generator.outputs.templating import KeptRows
from generator.outputs.writer import Kept, write_artifacts
from generator.plugin import cache, collector, reuse, site_config
from generator.plugin.site_config import CandorPluginConfig
from generator.plugin.structure import (
    GeneratedFile,
    GeneratedPage,
    site_links,
    without_generated,
)
from generator.plugin.theme_files import ThemeListing

if TYPE_CHECKING:  # only `candor serve` starts them; a build need not import them
    from mkdocs.livereload import LiveReloadServer
    from watchdog.observers.api import BaseObserver

log = logging.getLogger("mkdocs.plugins.candor")

STYLESHEET = "assets/stylesheets/candor.css"
# Adds the reader's own time zone to every shown time, where the browser runs scripts.
SCRIPT = "assets/javascripts/candor-time.js"
# Generated pages have a template of their own, which extends the site's `main.html`: a site
# that overrides a block of mkdocs-material in its own `main.html` keeps it on Candor's pages.
TEMPLATE = "candor.html"
# What mkdocs renders for a page found in the build cache: nothing (the plugin supplies it).
CACHED_TEMPLATE = "candor-cached.html"
# Extensions hand-written pages (an About page, say) commonly need; harmless when unused.
EXTENSIONS = ("attr_list", "md_in_html", "admonition", "tables", "toc")
# Pages left out of the search index, which has one short entry per incident instead
# (outputs/search.py). Indexing every page in full made the index tens of megabytes for a
# long history, too heavy for the phone that downloads it.
UNSEARCHED = frozenset({"incident", "postmortem", "component", "subscribe", "history"})


class CandorPlugin(BasePlugin[CandorPluginConfig]):
    supports_multiple_instances = False

    def __init__(self) -> None:
        super().__init__()
        self.now: str | None = None  # set by `candor build --now`; else $CANDOR_NOW, else clock
        self.preview = False  # set by `candor build --preview`
        # Set by `candor build`, which builds dirty into an empty folder: the pages found in
        # the build cache skip mkdocs' page loop and are written straight from it.
        self.direct = False
        self.settings: Settings | None = None
        self.state: SiteState | None = None
        self.pages: dict[str, Planned] = {}
        self.chrome: Chrome | None = None
        self.serving = False
        # `candor serve` builds dirty: what the previous rebuild wrote, to write only changes.
        self.reuse: reuse.Reuse | None = None
        # `candor build`: the site it last replaced, which it starts from (set per build).
        self.spare: reuse.Spare | None = None
        self.rows: KeptRows | None = None
        self.theme_listing: ThemeListing | None = None
        self.watcher: BaseObserver | None = None
        self.nav: Navigation | None = None
        self.files: Files | None = None
        self.cache: cache.Store | None = None
        self.site_key = ""
        self.keys: dict[str, str] = {}  # src_uri → cache key, for the pages kept in the cache
        self.hits: set[str] = set()  # src_uris whose page comes from the cache
        self.event_keys: dict[str, str] = {}  # incident id → cache.event_key
        # When the status last changed, and its day: every page is dated from it. Derived
        # once a build (it looks at every incident), not once a page.
        self.updated: datetime | None = None
        self.update_date = ""

    def on_startup(self, *, command: str, dirty: bool) -> None:
        # Defining on_startup also keeps this object across `mkdocs serve` rebuilds.
        self.serving = command == "serve"
        # mkdocs keeps this object between builds in one process: what one build was told
        # (`candor build --now`) is not the next one's.
        self.now, self.preview, self.direct = None, False, False
        self.reuse = reuse.Reuse() if self.serving and dirty else None
        self.spare = None
        self.rows = KeptRows() if self.reuse is not None else None
        self.theme_listing = ThemeListing()
        if self.serving:
            filecache.keep_in_memory()  # each rebuild loads only the files that changed
        if self.reuse is not None:
            logging.getLogger("mkdocs.commands.build").addFilter(reuse.QUIET_DIRTY_BUILD)

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        site_config.uncounted_in_strict()
        return collector.settle(lambda: self._configure(config))

    def _configure(self, config: MkDocsConfig) -> MkDocsConfig:
        self.settings = self.state = self.chrome = self.cache = self.updated = None
        self.keys, self.hits, self.event_keys, self.site_key = {}, set(), {}, ""
        try:
            project = load_project(config.config_file_path, self.now or os.environ.get(NOW_ENV))
            unusable = override_problems(project.settings)
            if unusable:
                raise ConfigError(unusable)
            for warning in project.warnings:
                log.warning(inert(str(warning)))  # a terminal reads it
            state = project.state()
        except CandorError as exc:
            if not self.serving:
                raise Abort(exc.format_message()) from None
            # A live preview shows the problems instead of dying on a half-saved file.
            log.error(exc.format_message())
            problems = getattr(exc, "problems", None) or [
                Problem("mkdocs.yml", None, None, "error", "config", exc.format_message())
            ]
            self.pages = {urls.source(urls.HOME): render_problems(problems)}
        else:
            # Only settings and state are kept: the project holds every file's source text
            # and position map, which nothing needs after the checks.
            settings = replace(project.settings, preview=self.preview)
            self.settings, self.state = settings, state
            self.updated, self.update_date = page_updated(state), now_date(state)
            if self.direct:  # `candor build`: the rows of the last build, from the cache
                self.rows = KeptRows()
            self.pages = {p.src_uri: p for p in plan_site(settings, state, self.rows)}
            self._plan_cache(config, settings, state)
            if self.rows is not None:
                earlier = None
                if self.cache is not None and self.direct:
                    earlier = self.cache.get(cache.rows_key(self.site_key))
                self.rows.begin(self.site_key, self.event_keys, earlier)
            # The header's link to the subscribe page and the 404 page's heading, in the
            # site's words (mkdocs-material says "Not found" in English whatever the language).
            words = labels(project.settings.language, state.tz, project.settings.candor.labels)
            config.theme["candor_subscribe"] = words.t("subscribe.link")
            config.theme["candor_not_found"] = words.t("notfound.title")
            if not config.site_description:
                # Every page gets a <meta name="description">: generated pages their own,
                # hand-written ones this, unless they or mkdocs.yml give one.
                config.site_description = Markup(site_description(project.settings, state))

        site_config.self_contained(config)
        site_config.plain_text_names(config)
        # SPEC paths are folders with index.html; a preview, opened from a folder, links the
        # files themselves.
        config.use_directory_urls = not self.preview
        if self.preview and not config.extra.get("homepage"):
            # mkdocs-material's logo links "." (the home page is not in the nav): a folder.
            config.extra["homepage"] = "index.html"
        for name in EXTENSIONS:
            if name not in config.markdown_extensions:
                config.markdown_extensions.append(name)
        # Generated pages link the stylesheet themselves (theme/candor.html), alone: it is not
        # an extra_css, which every hand-written page would load on top of mkdocs-material's.
        if STYLESHEET in config.extra_css:
            config.extra_css.remove(STYLESHEET)
        if SCRIPT not in [str(script) for script in config.extra_javascript]:
            script = ExtraScriptValue(SCRIPT)
            script.defer = True
            config.extra_javascript.append(script)
        site_config.add_theme(config)
        if self.theme_listing is not None:
            self.theme_listing.keep(config, self.cache, self.site_key)
        return config

    def _plan_cache(self, config: MkDocsConfig, settings: Settings, state: SiteState) -> None:
        """Each cacheable page's key, and which of them the cache already holds."""
        folder = cache.cache_dir(settings.config_path)
        if folder is None:
            return
        self.cache = cache.Store(folder)
        site = self.site_key = cache.site_key(
            settings, config.theme.custom_dir, config.docs_dir, cache.resolved(config)
        )
        # The sitemap's date, and today's in the site's zone (uptime bars end today).
        day = (self.update_date, state.now.astimezone(state.tz).date().isoformat())
        self.event_keys = {ev.id: cache.event_key(ev, state.now) for ev in state.events}
        self.keys = cache.page_keys(site, self.pages, state, self.event_keys, day)
        self.hits = {src_uri for src_uri, key in self.keys.items() if self.cache.has(key)}

    def on_env(self, env: Environment, *, config: MkDocsConfig, files: Files) -> Environment:
        # mkdocs' templates are not autoescaped, and Jinja's `striptags` unescapes: a title
        # held escaped ("&lt;img …&gt;") came out as markup wherever a template stripped its
        # tags (mkdocs-material's <title>, a feed link's title attribute). Stripped text is
        # text: it comes out escaped, in whatever template uses the filter.
        env.filters["striptags"] = site_config.striptags_as_text
        if self.cache is not None:
            # Compiling the theme's templates is a good part of a small rebuild's time.
            jinja = self.cache.bytecode()
            env.bytecode_cache = jinja
            template_env().bytecode_cache = jinja
        return env

    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        site_dir = Path(config.site_dir)
        if self.reuse is not None:  # a dirty build: mkdocs leaves the folder as it is
            if self.spare is not None and self.cache is not None:
                self.spare.read(self.cache.get(self.spare.key))
                if self.spare.taken and self.spare.spare is not None:
                    self.reuse.start_from(self.spare.spare, site_dir)
            self.reuse.begin(site_dir, self.site_key or None)
        elif self.serving:  # before mkdocs empties the served folder, file by file
            reuse.clear_aside(site_dir)

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        self.files = files
        for src_uri in self.pages:
            existing = files.src_uris.get(src_uri)
            if existing is not None:
                log.warning(
                    f"{config.docs_dir}/{src_uri} is replaced by the page Candor generates there; "
                    "rename it to keep it"
                )
                files.remove(existing)
            file = GeneratedFile.empty(config, src_uri)
            # Incident pages never appear in the navigation; the home page does (as its root).
            file.inclusion = InclusionLevel.NOT_IN_NAV
            if self.direct or self.reuse is not None:
                file.judge = self._not_cached
            files.append(file)
            GeneratedPage(file, config)
        if self.reuse is not None and self.reuse.quick:
            # Hand-written pages describe the site's status: a dirty build renders them again.
            for page in files.documentation_pages():
                if not isinstance(page, GeneratedFile):
                    with contextlib.suppress(OSError):
                        os.unlink(page.abs_dest_path)
        return files

    def _not_cached(self, file: File) -> bool:
        return file.src_uri not in self.hits

    def _fingerprint(self, src_uri: str) -> str | None:
        """What a page's file was written from, for `serve` to tell whether it changed."""
        key, planned = self.keys.get(src_uri), self.pages.get(src_uri)
        if self.reuse is None or key is None or planned is None or self.chrome is None:
            return None
        return self.reuse.fingerprint(key, self.chrome.parts(planned.url))

    def on_nav(self, nav: Navigation, *, config: MkDocsConfig, files: Files) -> Navigation:
        nav.items = without_generated(nav.items, set(self.pages))
        self.nav = nav
        if self.state is not None:
            # The sitemap's date, for pages the build may skip as well (cached ones).
            for file in files.documentation_pages():
                if file.page is not None:
                    file.page.update_date = self.update_date
        return nav

    def on_page_markdown(
        self, markdown: str, *, page: MkPage, config: MkDocsConfig, files: Files
    ) -> str:
        if self.state is not None:
            page.update_date = self.update_date
        if (generated := self._generated(page)) is None:
            return markdown
        page.meta["title"] = generated.title
        page.meta["candor"] = generated.kind
        page.meta["hide"] = ["toc"]
        page.meta["template"] = CACHED_TEMPLATE if page.file.src_uri in self.hits else TEMPLATE
        if generated.description:
            page.meta["description"] = generated.description
        if generated.kind in UNSEARCHED:
            page.meta["search"] = {"exclude": True}
        if generated.feed:
            page.meta["candor_feed"] = generated.feed
        if generated.live is not None:
            page.meta["candor_live"] = generated.live
        return ""

    def _generated(self, page: MkPage) -> Planned | None:
        generated = self.pages.get(page.file.src_uri)
        return generated if generated is not None and page.file.generated_by else None

    def on_page_content(
        self, html: str, *, page: MkPage, config: MkDocsConfig, files: Files
    ) -> str:
        generated = self._generated(page)
        if generated is None or generated.kind in UNSEARCHED or page.file.src_uri in self.hits:
            return html
        return generated.make()  # before the search plugin reads it, to index it

    # After the search plugin, which runs a pattern over every page's content (0.1 ms a
    # page): a page it leaves out gets its body once the plugin has passed it by.
    @event_priority(-100)
    def on_page_context(
        self, context: Any, *, page: MkPage, config: MkDocsConfig, nav: Navigation
    ) -> Any:
        if self.updated is not None:
            # mkdocs' own themes print the build's time in the home page: the last change
            # instead, so that a build that changes nothing changes no byte.
            context["build_date_utc"] = self.updated
        generated = self._generated(page)
        if generated is None:
            return context  # hand-written: mkdocs-material's layout (theme/main.html)
        chrome = self._chrome(config, nav)
        if page.file.src_uri in self.hits:
            return context  # rendered from the cache in on_post_page
        if generated.kind in UNSEARCHED:
            page.content = generated.make()
        if chrome is None:
            # The problems page of `candor serve`: no state to build a header from.
            context["candor"] = dict.fromkeys(("head", "header", "footer", "scripts", "lang"), "")
        elif page.file.src_uri in self.keys:
            # Holes where this build's header and footer go: the page is kept without them.
            parts = chrome.parts(generated.url)
            context["candor"] = dict(cache.HOLES, scripts=parts.scripts, lang=parts.lang)
        else:
            context["candor"] = chrome.parts(generated.url)
        return context

    def _chrome(self, config: MkDocsConfig, nav: Navigation) -> Chrome | None:
        """One per build, made at the first page, when every page's title is known."""
        if self.chrome is None and self.settings is not None and self.state is not None:
            self.chrome = Chrome(
                self.settings,
                self.state,
                site_links(nav.items),
                logo=site_config.logo(config),
                scheme=palette_scheme(config.theme.get("palette")),
                theme_language=str(config.theme.get("language") or ""),
                copyright=config.copyright,
            )
        return self.chrome

    def on_post_page(self, output: str, *, page: MkPage, config: MkDocsConfig) -> str:
        generated = self._generated(page)
        if generated is not None:
            page.content = None  # written: nothing reads it again
            output = self._from_cache(page.file.src_uri, generated, output)
            if self.reuse is not None:
                self.reuse.written(page.file.dest_uri, self._fingerprint(page.file.src_uri))
        return self._finished(output, generated is not None)

    def _finished(self, output: str, generated: bool) -> str:
        """A page as it is written, whichever way it was made."""
        if self.preview and self.settings is not None and self.state is not None:
            output = with_preview_banner(output, self.settings, self.state)
        output = compact_page(output, generated=generated)
        # Whatever template printed it, no character that is not text reaches a page.
        return visible(output)

    def _write_cached(self, files: Files) -> None:
        """The pages found in the cache, which mkdocs skipped; in `serve`, those whose file
        holds what they would be written from are left as they are."""
        for src_uri in sorted(self.hits):
            file = files.src_uris.get(src_uri)
            assert file is not None
            if self.reuse is not None and self.reuse.page_unchanged(
                file.dest_uri, self._fingerprint(src_uri)
            ):
                continue
            output = self._finished(self._from_cache(src_uri, self.pages[src_uri], ""), True)
            write_file(output.encode("utf-8", errors="xmlcharrefreplace"), file.abs_dest_path)

    def on_post_template(
        self, output_content: str, *, template_name: str, config: MkDocsConfig
    ) -> str:
        # The 404 page is a template of the theme, not a page: it gets what pages get.
        if self.preview and self.settings is not None and self.state is not None:
            output_content = with_preview_banner(output_content, self.settings, self.state)
        return visible(output_content)

    def _from_cache(self, src_uri: str, generated: Planned, output: str) -> str:
        """A cacheable page: kept (when just rendered) or taken from the cache, then given
        this build's header and footer."""
        key = self.keys.get(src_uri)
        if key is None or self.cache is None or self.chrome is None:
            return output
        if src_uri in self.hits:
            held = self.cache.get(key)
            if held is not None:
                output = held.decode("utf-8")
            else:
                raise Abort(
                    f"the build cache {self.cache.folder} changed during the build "
                    f"({generated.url or '/'}); run the build again"
                )
        else:
            self.cache.put(key, output.encode("utf-8"))
        parts = self.chrome.parts(generated.url)
        return cache.fill(
            output, {"head": parts.head, "header": parts.header, "footer": parts.footer}
        )

    @event_priority(50)  # before the search plugin writes its index
    def on_post_build(self, *, config: MkDocsConfig) -> None:
        writes_cached = self.direct or self.reuse is not None
        if writes_cached and self.files is not None and self.nav is not None:
            self._chrome(config, self.nav)
            self._write_cached(self.files)
        if self.settings is None or self.state is None:  # `serve`'s problems page
            site_config.add_to_search(config, [])
        else:
            site_config.add_to_search(config, search_entries(self.settings, self.state))
            keep = self._keep if self.cache is not None else None
            unchanged = self.reuse.artifact_unchanged if self.reuse is not None else None
            artifacts = each_artifact(self.settings, self.state, keep)
            write_artifacts(Path(config.site_dir), artifacts, unchanged)
        if self.reuse is not None:
            self.reuse.finish()
        if self.cache is not None:
            if self.direct and self.rows is not None:
                self.cache.put(cache.rows_key(self.site_key), self.rows.export())
            self.cache.prune(cache.PRUNE_AFTER)
        collector.release()

    def on_build_error(self, *, error: Exception) -> None:
        collector.release()
        if self.reuse is not None:
            self.reuse.forget()

    def _keep(self, name: str, events: Sequence[EventState], make: Callable[[], bytes]) -> Kept:
        """An incident's own feed, the calendar: read from the cache (or made) if written."""
        store = self.cache
        assert store is not None
        key = cache.key(self.site_key, name, [self.event_keys[ev.id] for ev in events])
        store.hold(key)
        return Kept(key, lambda: store.keep(key, make))

    def on_serve(
        self, server: LiveReloadServer, *, config: MkDocsConfig, builder: Any
    ) -> LiveReloadServer:
        # Imported here: the watching (watchdog, mkdocs' server) is of no use to a build.
        from generator.plugin import serving

        # Watched even when the first load failed, so fixing the file brings the site back.
        with contextlib.suppress(CandorError):
            incidents = str(load_settings(config.config_file_path).incidents_dir)
            self.watcher = serving.watch_at_once(server, incidents)
        return server

    def on_shutdown(self) -> None:
        if self.watcher is not None:
            self.watcher.stop()
            self.watcher = None
