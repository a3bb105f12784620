"""What the plugin hands mkdocs for a generated page: its file and its page type."""

from __future__ import annotations

from collections.abc import Callable

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page as MkPage
from mkdocs.structure.toc import get_toc


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

    def render(self, config: MkDocsConfig, files: Files) -> None:
        self.content = ""
        self.toc = get_toc([])
        self.present_anchor_ids = set()
        self.links_to_anchors = {}


class GeneratedFile(File):
    """A generated page's file, held in memory. A dirty build (`candor serve`) asks each file
    whether its page must be built again; a generated page's answer comes from the plugin,
    which knows what decides the page (serving.Reuse). Elsewhere it is always yes."""

    judge: Callable[[File], bool] | None = None

    @classmethod
    def empty(cls, config: MkDocsConfig, src_uri: str) -> GeneratedFile:
        """The file of a generated page (its Markdown, always empty)."""
        file = cls.generated(config, src_uri, content="")
        assert isinstance(file, cls)
        return file

    def is_modified(self) -> bool:
        return True if self.judge is None else self.judge(self)
