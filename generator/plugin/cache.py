"""The build cache: the finished HTML of incident and postmortem pages, kept between builds so
that a build after one changed file renders only the pages that file decides.

Each entry is named by a key, the digest of everything that decides the page's text:

- the site: mkdocs.yml's bytes and the settings mkdocs resolved from it (`!ENV` values
  included), Candor's settings, every file of the site's own theme folder
  (`custom_dir`) and of `docs_dir` (the hand-written pages make the navigation and the footer's
  links), Candor's own code, templates and theme, and the versions of the libraries that
  render (mkdocs, mkdocs-material, Jinja, Markdown, nh3, feedgen, Python) and the rules of
  the site's time zone;
- the page: its address, title, description, feed and live notice, the incident's data, and
  what the clock makes of it: its derived state at "now" (status, impact, the updates
  published so far, whether the postmortem is out, next-update and postmortem due times)
  and on which side of "now" each due time lies. "Now" itself is not in the key: only which
  interval between the moments at which the page's text changes it falls in (and the date,
  which mkdocs writes into the sitemap).

What a page shows of "now" besides (the footer's "built at") and of the whole site (the
header's links) is not cached: the page is kept with holes where the theme puts Candor's
head, header and footer, and every build fills them afresh (`fill`). A full build goes
through the same holes, so the two give the same bytes.

The folder is `.candor-cache/` next to mkdocs.yml (`CANDOR_CACHE_DIR` moves it;
`CANDOR_CACHE=off` turns the cache off). It is safe to delete at any time; each build keeps
the entries it used and those another build used within the last hour.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import json
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path

from jinja2 import FileSystemBytecodeCache
from jinja2.bccache import Bucket
from mkdocs.config.defaults import MkDocsConfig

from generator.core import cache as shared
from generator.core.cache import CACHE_DIR_ENV, CACHE_ENV, DEFAULT_DIR, PRUNE_AFTER, cache_dir
from generator.core.config import Settings
from generator.core.state import EventState, SiteState
from generator.outputs import urls
from generator.outputs.pages import Planned

__all__ = ["CACHE_DIR_ENV", "CACHE_ENV", "DEFAULT_DIR", "PRUNE_AFTER", "Store", "cache_dir"]

# Bumped whenever what an entry holds changes shape.
FORMAT = "2"
# Kept: the pages of incidents, postmortems, components and earlier years' history (see
# `dependencies`). The home, current history and subscribe pages show the whole site and are
# always rendered.
# Where the theme places Candor's parts around a cached page: filled on every build.
HOLES = {name: f"\x00candor-{name}\x00" for name in ("head", "header", "footer")}
LIBRARIES = (
    "mkdocs",
    "mkdocs-material",
    "jinja2",
    "markdown",
    "markupsafe",
    "nh3",
    "pymdown-extensions",
    "feedgen",
    "lxml",
    "tzdata",
)


# The settings of mkdocs.yml that reach a page's HTML, as mkdocs resolved them: a value from
# the environment (`!ENV`) or an inherited file (`INHERIT`) is not in mkdocs.yml's bytes.
PAGE_SETTINGS = (
    "site_name",
    "site_url",
    "site_description",
    "site_author",
    "copyright",
    "repo_url",
    "repo_name",
    "edit_uri",
    "extra",
    "extra_css",
    "extra_javascript",
    "markdown_extensions",
    "mdx_configs",
    "nav",
    "use_directory_urls",
)


def resolved(config: MkDocsConfig) -> str:
    """mkdocs' settings that reach a page, as it resolved them (part of `site_key`)."""
    values = {key: config.get(key) for key in PAGE_SETTINGS}
    values["theme"] = dict(config.theme.items())
    values["plugins"] = {name: dict(plugin.config) for name, plugin in config.plugins.items()}
    return json.dumps(values, default=str, sort_keys=True)


def site_key(settings: Settings, custom_dir: str | None, docs_dir: str, resolved: str) -> str:
    """The part of every page's key that the whole site decides; `resolved`: mkdocs'
    settings as it read them."""
    digest = hashlib.sha256(f"candor-cache {FORMAT}\n".encode())
    digest.update(settings.config_path.read_bytes())
    digest.update(resolved.encode())
    # Every setting, present and future (the preview's links, say), but the output folder:
    # a site is the same wherever it is written.
    digest.update(repr(dataclasses.replace(settings, site_dir=Path())).encode())
    digest.update(settings.candor.model_dump_json().encode())
    digest.update(shared.versions(LIBRARIES).encode())
    digest.update(shared.zone(settings.tz.key))
    digest.update(shared.code().encode())
    shared.tree(digest, Path(custom_dir) if custom_dir else None)
    # The cache may live in docs_dir's parent, never inside it, but be safe either way.
    shared.tree(digest, Path(docs_dir), skip=[settings.root / DEFAULT_DIR])
    return digest.hexdigest()


def event_key(ev: EventState, now: datetime) -> str:
    """The incident's data and everything the clock makes of it, as the pages show it."""
    event = ev.event
    due = [ev.next_update_due, ev.postmortem_due]
    parts = (
        event.id,
        event.file,
        type(event).__name__,
        event.identity,
        ev.status,
        ev.impact,
        ev.active,
        ev.began,
        ev.first_update,
        ev.resolved_at,
        ev.time_to_first_update,
        ev.time_to_resolve,
        ev.time_to_report,
        ev.next_update_due,
        ev.postmortem_due,
        ev.postmortem_published,
        # The updates out at "now" (a first part of them all, which the data holds).
        len(ev.published),
        # Which updates are out at "now" (the feeds' test), and the postmortem.
        [u.at <= now for u in event.updates],
        # Which side of each due time "now" is on: "overdue" once it has passed.
        [moment is not None and moment < now for moment in due],
    )
    return hashlib.sha256(repr(parts).encode()).hexdigest()


def dependencies(state: SiteState, keys: Mapping[str, str]) -> dict[str, object]:
    """For each page that can be kept, by its `src_uri`: what decides its body besides the
    site and the page's own fields. An incident's and its postmortem's page: the incident; a
    component's: its bar, status and uptime and each incident listed; an earlier year's
    history page (only a long history has them): that year's incidents.
    `keys`: each incident's `event_key`, by id."""
    found: dict[str, object] = {}
    years: dict[int, list[str]] = {}
    for ev in state.events:
        found[urls.source(urls.incident(ev.id))] = keys[ev.id]
        found[urls.source(urls.postmortem(ev.id))] = keys[ev.id]
        years.setdefault(ev.history_time.astimezone(state.tz).year, []).append(keys[ev.id])
    for c in state.components:
        found[urls.source(urls.component(c.id))] = (repr(c), [keys.get(i) for i in c.event_ids])
    for year, listed in years.items():
        # The current year is listed by `history/`, which is always rendered: no such page.
        found[urls.source(urls.history_year(year))] = listed
    return found


def page_keys(
    site: str,
    pages: Mapping[str, Planned],
    state: SiteState,
    event_keys: Mapping[str, str],
    day: tuple[str, str],
) -> dict[str, str]:
    """Each cacheable page's key, by `src_uri`: the site's, the page's own fields, what
    decides its body (`dependencies`) and `day` (the sitemap's date and today's)."""
    found = dependencies(state, event_keys)
    keys = {}
    for src_uri, planned in pages.items():
        deps = found.get(src_uri)
        if deps is None:
            continue
        fields = (
            planned.src_uri,
            planned.url,
            planned.title,
            planned.kind,
            planned.description,
            planned.feed,
            planned.live,
        )
        keys[src_uri] = key(site, "page", fields, deps, day)
    return keys


def rows_key(site: str) -> str:
    """The entry holding the incidents' rows the last build showed (`KeptRows.export`)."""
    return key(site, "rows")


def key(site: str, *parts: object) -> str:
    """An entry's key: the site's, and what decides the entry (its kind first)."""
    digest = hashlib.sha256(site.encode())
    for part in parts:
        digest.update(b"\x00" + repr(part).encode())
    return digest.hexdigest()


def fill(holed: str, parts: Mapping[str, str]) -> str:
    """The page with Candor's parts of this build in its holes."""
    for name, hole in HOLES.items():
        holed = holed.replace(hole, parts[name])
    return holed


class _QuietBytecodeCache(FileSystemBytecodeCache):
    """A folder that cannot be read or written makes templates compile again, nothing else."""

    def load_bytecode(self, bucket: Bucket) -> None:
        with contextlib.suppress(OSError):
            super().load_bytecode(bucket)

    def dump_bytecode(self, bucket: Bucket) -> None:
        with contextlib.suppress(OSError):
            super().dump_bytecode(bucket)


class Store(shared.Store):
    """The build's entries (`entries/` in the cache folder), and its compiled templates."""

    def __init__(self, folder: Path) -> None:
        super().__init__(folder / "entries")

    def bytecode(self) -> FileSystemBytecodeCache | None:
        """Compiled templates, which Jinja checks against their source before use."""
        folder = self.folder.parent / "jinja"
        try:
            shared.make(self.folder.parent)
            folder.mkdir(exist_ok=True)
        except OSError:
            return None
        return _QuietBytecodeCache(str(folder))
