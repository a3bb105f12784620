"""What the plugin hands mkdocs besides files: the page type of a generated page, and the
settings of mkdocs.yml that reach a page's HTML (for the build cache's key)."""

from __future__ import annotations

import json

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page as MkPage
from mkdocs.structure.toc import get_toc

# The settings of mkdocs.yml that reach a page's HTML, as mkdocs resolved them: a value from
# the environment (`!ENV`) or an inherited file (`INHERIT`) is not in mkdocs.yml's bytes.
_PAGE_SETTINGS = (
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


def resolved_settings(config: MkDocsConfig) -> str:
    """Those settings, as one text for the build cache's key."""
    values = {key: config.get(key) for key in _PAGE_SETTINGS}
    values["theme"] = dict(config.theme.items())
    values["plugins"] = {name: dict(plugin.config) for name, plugin in config.plugins.items()}
    return json.dumps(values, default=str, sort_keys=True)


class GeneratedPage(MkPage):
    """A generated page: its Markdown is always empty (the plugin supplies its HTML), so it
    skips setting up Python-Markdown and its extensions, which cost more than a page's own
    template, and takes what converting nothing gives."""

    def render(self, config: MkDocsConfig, files: Files) -> None:
        self.content = ""
        self.toc = get_toc([])
        self.present_anchor_ids = set()
        self.links_to_anchors = {}
