"""What the plugin makes of mkdocs' settings so that every page, generated or hand-written, is
self-contained and shows plain text as text, with Candor's theme in its place."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from markupsafe import Markup
from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.utils import CountHandler

from generator.core.characters import visible
from generator.core.config import CandorConfig

log = logging.getLogger("mkdocs.plugins.candor")

THEME_DIR = str(Path(__file__).parent / "theme")


class _Any(c.BaseConfigOption[Any]):
    """Accepts any value: Candor validates its section itself, with file:line:col errors."""

    def run_validation(self, value: object) -> Any:
        return value


class CandorPluginConfig(base.Config):
    """mkdocs' view of the `candor` section: every key of `CandorConfig`, each taken as it is
    (Candor validates the section itself, with file:line:col errors)."""

    # A class body's namespace is a plain dict: one option per key of the model, so that a
    # key added there is accepted here as well.
    locals().update({key: c.Optional(_Any()) for key in CandorConfig.model_fields})


def _not_candors(record: logging.LogRecord) -> bool:
    return not record.name.startswith(log.name)


def uncounted_in_strict() -> None:
    """Under `strict: true` mkdocs counts every warning logged under "mkdocs" during a build
    (a handler it adds before `on_config`) and aborts on any. Candor's own (a prompt left in a
    page, an incident gone silent) are not mkdocs' to count: a warning never stops a publish.
    They are shown all the same; mkdocs' own warnings keep counting, as the site asks."""
    for handler in logging.getLogger("mkdocs").handlers:
        if isinstance(handler, CountHandler) and _not_candors not in handler.filters:
            handler.addFilter(_not_candors)


def logo(config: MkDocsConfig) -> str | None:
    """`theme.logo`, when it is a file of the site: a logo from another host is a request the
    page must not make."""
    logo = config.theme.get("logo")
    if not logo:
        return None
    if "//" in str(logo).split("?")[0][:10] or str(logo).startswith("//"):
        log.warning(f"theme.logo: {logo} is left out: it would load from another host")
        return None
    return str(logo)


def add_theme(config: MkDocsConfig) -> None:
    """Candor's templates and stylesheet come with the package: after the site's own
    `custom_dir` (its overrides win, as they do over mkdocs-material's) and before the theme's."""
    dirs = config.theme.dirs
    if THEME_DIR not in dirs:
        dirs.insert(1 if config.theme.custom_dir else 0, THEME_DIR)


def striptags_as_text(value: object) -> Markup:
    return Markup.escape(Markup(str(value)).striptags())


def plain_text_names(config: MkDocsConfig) -> None:
    """`site_name` (and `site_description`, `site_author`, `repo_name`) are plain text, shown
    literally (SPEC §6), but mkdocs-material prints them unescaped: in the header, inside an
    `aria-label`, in `<title>` and `<meta>`. Each becomes Markup holding its escaped text,
    which is right in every template, whether it escapes the value (`| e` leaves Markup as it
    is) or not, whatever the layout of the pages and for hand-written pages too."""
    for key in ("site_name", "site_description", "site_author", "repo_name"):
        value = config.get(key)
        if isinstance(value, str) and not isinstance(value, Markup):
            config[key] = Markup.escape(visible(value))


def self_contained(config: MkDocsConfig) -> None:
    """No page may make a request to another host, whatever mkdocs.yml asks for: no web
    fonts, no analytics, no stylesheet or script from elsewhere. (The repository facts that
    mkdocs-material fetches for `repo_url` are turned off in theme/partials/source.html.)"""
    config.theme["font"] = False
    if config.extra.get("analytics"):
        log.warning("extra.analytics is ignored: a status page makes no request to another host")
        config.extra["analytics"] = None
    for option in ("extra_css", "extra_javascript"):
        kept = []
        for entry in config[option]:
            path = str(getattr(entry, "path", entry))
            if "//" in path.split("?")[0][:10] or path.startswith("//"):
                log.warning(f"{option}: {path} is left out: it would load from another host")
                continue
            kept.append(entry)
        config[option] = kept


def add_to_search(config: MkDocsConfig, entries: list[dict[str, str]]) -> None:
    """Candor's entries into mkdocs-material's search index, when the site has one."""
    for plugin in config.plugins.values():
        index = getattr(getattr(plugin, "search_index", None), "entries", None)
        if isinstance(index, list):
            index.extend(entries)
        if getattr(plugin, "search_index_prev", None) is not None:
            # In a dirty build mkdocs-material merges the previous index, assuming one page
            # changed; every page Candor leaves unbuilt is unsearched, so the index of this
            # build is already whole.
            plugin.search_index_prev = None
