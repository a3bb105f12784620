"""What the plugin hands mkdocs besides files: the page type of a generated page."""

from __future__ import annotations

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page as MkPage
from mkdocs.structure.toc import get_toc


class GeneratedPage(MkPage):
    """A generated page: its Markdown is always empty (the plugin supplies its HTML), so it
    skips setting up Python-Markdown and its extensions, which cost more than a page's own
    template, and takes what converting nothing gives."""

    def render(self, config: MkDocsConfig, files: Files) -> None:
        self.content = ""
        self.toc = get_toc([])
        self.present_anchor_ids = set()
        self.links_to_anchors = {}
