"""What the plugin hands mkdocs for a generated page (its file and its page type), and what it
takes from mkdocs' navigation."""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Callable
from pathlib import PurePath
from typing import Any
from urllib.parse import urljoin, urlsplit

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Section
from mkdocs.structure.pages import Page as MkPage
from mkdocs.structure.toc import get_toc

from generator.outputs.chrome import SiteLink
from generator.outputs.urls import SOURCE_INDEX

PLAIN_PATH = re.compile(r"(?:[A-Za-z0-9_.~-]+/)*[A-Za-z0-9_.~-]*")


def plain_path(url: str) -> bool:
    """A relative path that joins onto a base unchanged: no scheme, query, fragment, leading
    slash or dot segment, nothing to quote."""
    return PLAIN_PATH.fullmatch(url) is not None and not any(
        part in (".", "..") for part in url.split("/")
    )


@functools.lru_cache(maxsize=8)
def _plain_base(base: str) -> tuple[str, str] | None:
    """`base` with its final slash, and its path, when joining a plain path onto it only
    appends (no query, fragment or dot segment for the join to drop); None otherwise."""
    folder = base if base.endswith("/") else base + "/"
    if urljoin(folder, "x/") != folder + "x/":
        return None
    return folder, urlsplit(folder).path


class GeneratedPage(MkPage):
    """A generated page: its Markdown is always empty (the plugin supplies its HTML), so it
    skips setting up Python-Markdown and its extensions, which cost more than a page's own
    template, and takes what converting nothing gives."""

    def __init__(self, file: File, config: MkDocsConfig) -> None:
        super().__init__(None, file, config)
        # What converting nothing gives, already: a page the build skips (one the plugin
        # writes from the cache) is still asked for its links after every page is built.
        self.present_anchor_ids = set()
        self.links_to_anchors = {}

    def _set_canonical_url(self, base: str | None) -> None:
        # mkdocs joins and splits the URL for each page, a tenth of setting one up: a
        # generated page's URL is a plain relative path, which a plain base simply prefixes.
        plain, url = _plain_base(base) if base else None, self.url
        if plain is None or not plain_path(url):
            super()._set_canonical_url(base)
            return
        folder, path = plain
        self.canonical_url, self.abs_url = folder + url, path + url

    def render(self, config: MkDocsConfig, files: Files) -> None:
        self.content = ""
        self.toc = get_toc([])
        self.present_anchor_ids = set()
        self.links_to_anchors = {}


class GeneratedFile(File):
    """A generated page's file, held in memory. A dirty build (`candor build`, `candor serve`)
    asks each file whether mkdocs must build its page: the plugin answers no for a page
    found in the build cache, which it writes itself. Elsewhere the answer is always yes."""

    judge: Callable[[File], bool] | None = None

    @classmethod
    def empty(cls, config: MkDocsConfig, src_uri: str) -> GeneratedFile:
        """The file of a generated page (its Markdown, always empty)."""
        file = cls.generated(config, src_uri, content="")
        assert isinstance(file, cls)
        folder = src_uri.removesuffix(SOURCE_INDEX)
        if (src_uri == SOURCE_INDEX or src_uri.endswith("/" + SOURCE_INDEX)) and plain_path(folder):
            # What mkdocs would make of the name, without its path handling and quoting,
            # which do nothing to a plain one (12,021 pages at 10,000 incidents).
            file.dest_uri = folder + "index.html"
            file.url = (folder or "./") if config.use_directory_urls else file.dest_uri
        return file

    # `File.__init__` sets the source's name through this, which mkdocs passes through
    # pathlib: for a generated page's plain name, a copy of it.
    @property
    def src_path(self) -> str:
        return os.path.normpath(self.src_uri)

    @src_path.setter
    def src_path(self, value: str) -> None:
        self.src_uri = value if plain_path(value) else PurePath(value).as_posix()

    def is_modified(self) -> bool:
        return True if self.judge is None else self.judge(self)


def without_generated(items: list[Any], src_uris: set[str]) -> list[Any]:
    """The nav items minus generated pages, at any depth (auto navs list every file)."""
    kept = []
    for item in items:
        if isinstance(item, Section):
            item.children = without_generated(item.children, src_uris)
            if item.children:
                kept.append(item)
        elif isinstance(item, MkPage) and item.file.src_uri in src_uris and item.file.generated_by:
            continue
        else:
            kept.append(item)
    return kept


def site_links(items: list[Any]) -> list[SiteLink]:
    """The pages of the navigation (hand-written ones: generated pages are never in it),
    sections flattened, for the footer of generated pages."""
    links = []
    for item in items:
        if isinstance(item, Section):
            links += site_links(item.children)
        elif getattr(item, "url", None) is not None and item.title:
            links.append(SiteLink(str(item.title), str(item.url)))
    return links
