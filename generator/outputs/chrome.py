"""What surrounds every generated page: the header (logo, site name, Subscribe), the footer
(the site's pages, feeds and API, when the status was last updated) and the links in `<head>`.

Rendered with Candor's own templates (autoescape, StrictUndefined), so every text from the
config (`site_name`, page titles, `copyright`) is escaped here, whatever the theme does.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from markupsafe import Markup

from generator.core.config import Settings
from generator.core.state import SiteState
from generator.outputs import urls
from generator.outputs.i18n import labels
from generator.outputs.templating import PageContext, template_env

# The links a rendering of the chrome made: (target, link as written), in order.
Links = tuple[tuple[str, str], ...]

# How the generated pages choose light or dark: from the reader's system setting, or always
# the one the site's palette pins.
Scheme = Literal["auto", "light", "dark"]


@dataclass(frozen=True)
class SiteLink:
    """A hand-written page the footer links: its title (plain text) and its site path."""

    title: str
    url: str


@dataclass(frozen=True)
class Parts:
    """The pieces the theme's candor.html places around a generated page's body."""

    head: Markup
    header: Markup
    footer: Markup
    scripts: Markup
    lang: str  # the language of Candor's words when the theme's differs, else ""


def palette_scheme(palette: object) -> Scheme:
    """mkdocs-material's `theme.palette` → how generated pages pick light or dark. No palette,
    or a palette that switches on `prefers-color-scheme`, follows the reader's system; one
    palette (or toggles without a media query, which need a script) pins its scheme."""
    if not palette:
        return "auto"
    entries = [palette] if isinstance(palette, dict) else list(palette)  # type: ignore[call-overload]
    options = [p for p in entries if isinstance(p, dict)]
    if len(options) > 1 and any("prefers-color-scheme" in str(p.get("media", "")) for p in options):
        return "auto"
    first = options[0] if options else {}
    return "dark" if first.get("scheme") == "slate" else "light"


# Inline styles: hand-written pages load mkdocs-material's stylesheet, not Candor's.
PREVIEW_STYLE = (
    "margin:0;padding:.6rem 1rem;background:#fff3cd;color:#3d2f00;border-bottom:2px solid "
    "#b58a00;font:600 1rem/1.4 system-ui,sans-serif;text-align:center"
)
BODY = re.compile(r"<body\b[^>]*>", re.I)


def with_preview_banner(page: str, settings: Settings, state: SiteState) -> str:
    """`page` with the banner of a pull request's preview first in its body: whoever opens
    the preview must not take it for the live status."""
    words = labels(settings.language, state.tz, settings.candor.labels)
    banner = Markup('<p class="cd-preview" role="note" style="{}">{}</p>').format(
        PREVIEW_STYLE, words.t("preview.banner")
    )
    found = BODY.search(page)
    if found is None:
        return page
    return page[: found.end()] + str(banner) + page[found.end() :]


class Chrome:
    """The header, footer and head links of every generated page of one build."""

    def __init__(
        self,
        settings: Settings,
        state: SiteState,
        links: Sequence[SiteLink] = (),
        *,
        logo: str | None = None,
        scheme: Scheme = "auto",
        theme_language: str = "",
        copyright: str | None = None,
    ) -> None:
        self.ctx = PageContext(settings, state)
        self.settings = settings
        self.links = list(links)
        self.logo = logo
        self.scheme = scheme
        self.copyright = copyright
        # Candor speaks the site's language (en or ja); a theme in another language would mark
        # Candor's English words with its own `lang`.
        primary = (theme_language or settings.language).split("-")[0].split("_")[0].lower()
        self.lang = "" if primary == settings.language else settings.language
        self._made: list[tuple[Links, Parts]] = []
        self._by_url: dict[str, Parts] = {}
        self._by_depth: dict[int, tuple[frozenset[str], Parts]] = {}

    def parts(self, page_url: str) -> Parts:
        made = self._by_url.get(page_url)
        if made is None:
            made = self._by_url[page_url] = self._parts(page_url)
        return made

    def _parts(self, page_url: str) -> Parts:
        # A page's parts differ from another's only through the links `url` makes. A link to
        # a target outside the page's first folder is "../" once per folder the page is in,
        # then the target: pages as deep, whose first folder none of a rendering's links
        # enters, get that rendering (every incident page, say) without a link worked out.
        folders = _folders(page_url)
        if folders is not None:
            same_depth = self._by_depth.get(len(folders))
            if same_depth is not None and not (folders and folders[0] in same_depth[0]):
                return same_depth[1]
        links, made = self._rendered(page_url)
        entered = _first_folders(links)
        if folders is not None and entered is not None and not (folders and folders[0] in entered):
            self._by_depth[len(folders)] = (entered, made)
        return made

    def _rendered(self, page_url: str) -> tuple[Links, Parts]:
        """A rendering whose every link comes out the same for this page, or a new one."""
        for links, made in self._made:
            if all(
                urls.relative(page_url, target, self.settings.preview) == found
                for target, found in links
            ):
                return links, made
        used: dict[str, str] = {}

        def url(target: str) -> str:
            used[target] = urls.relative(page_url, target, self.settings.preview)
            return used[target]

        values = {
            "L": self.ctx.L,
            "words": self.ctx.L.words,
            "T": self.ctx.markup_label,
            "url": url,
            "when": self.ctx.when,
            "paths": urls,
            "site_name": self.settings.site_name,
            "links": self.links,
            "logo": self.logo,
            "scheme": self.scheme,
            "lang": self.lang,
            "now": self.ctx.state.now,
            "changed": self.ctx.changed,
            "copyright": self.copyright,
        }
        env = template_env()
        made = Parts(
            head=Markup(env.get_template("_head.html").render(**values)),
            header=Markup(env.get_template("_header.html").render(**values)),
            footer=Markup(env.get_template("_footer.html").render(**values)),
            scripts=Markup(""),
            lang=self.lang,
        )
        self._made.insert(0, (tuple(used.items()), made))
        return self._made[0]


def _folders(page_url: str) -> list[str] | None:
    """The folders a page is in, as `urls.relative` takes them; None when one is a dot."""
    start = page_url if page_url.endswith("/") or not page_url else posixpath.dirname(page_url)
    folders = [part for part in start.split("/") if part]
    return None if any(part in (".", "..") for part in folders) else folders


def _first_folders(links: Links) -> frozenset[str] | None:
    """The first folder of every linked site path; None when a path has a dot part, which
    `urls.relative` resolves."""
    found = set()
    for target, _ in links:
        if target.startswith(("http://", "https://", "#")):
            continue  # left as they are, wherever the page is
        parts = [part for part in target.split("/") if part]
        if any(part.startswith(".") for part in parts):
            return None
        if parts:
            found.add(parts[0])
    return frozenset(found)
