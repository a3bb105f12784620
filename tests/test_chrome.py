"""The header, footer and head links around every generated page: escaped config text,
the scheme a palette asks for, the Subscribe link, the language of Candor's words."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from candor_sites import load_site
from site_scan import scan_html

from generator.outputs.chrome import Chrome, SiteLink, palette_scheme, with_preview_banner

HOSTILE = '<img src=x onerror="alert(1)">Status & co'


def chrome(tmp_path: Path, **options: object) -> Chrome:
    project = load_site(tmp_path, {})
    settings = replace(project.settings, site_name=HOSTILE)
    return Chrome(settings, project.state(), **options)  # type: ignore[arg-type]


def test_config_text_is_escaped_everywhere(tmp_path: Path) -> None:
    parts = chrome(
        tmp_path,
        links=[SiteLink("<script>alert(2)</script>About", "about/")],
        copyright='<b onclick="alert(3)">© Us</b>',
    ).parts("incidents/x/")
    for html in (parts.head, parts.header, parts.footer):
        assert scan_html(str(html)) == [], html
    assert "&lt;img src=x onerror=&#34;alert(1)&#34;&gt;Status &amp; co" in parts.header
    assert "&lt;script&gt;alert(2)&lt;/script&gt;About" in parts.footer
    assert "&lt;b onclick=&#34;alert(3)&#34;&gt;© Us&lt;/b&gt;" in parts.footer


def test_links_are_relative_to_the_page(tmp_path: Path) -> None:
    parts = chrome(tmp_path, links=[SiteLink("About", "about/")]).parts("incidents/x/")
    assert 'href="../../subscribe/"' in parts.header and 'href="../../"' in parts.header
    assert 'href="../../about/"' in parts.footer and 'href="../../history.atom"' in parts.footer
    assert 'href="../../history.rss"' in parts.head


def test_the_site_logo_or_a_default_mark(tmp_path: Path) -> None:
    assert '<svg class="cd-brand__logo"' in chrome(tmp_path).parts("").header
    header = chrome(tmp_path, logo="assets/logo.svg").parts("history/").header
    assert '<img class="cd-brand__logo" src="../assets/logo.svg" alt=""' in header


@pytest.mark.parametrize(
    ("palette", "scheme"),
    [
        (None, "auto"),
        ({}, "auto"),
        ({"scheme": "slate"}, "dark"),
        ({"scheme": "default", "primary": "teal"}, "light"),
        (
            [
                {"media": "(prefers-color-scheme: light)", "scheme": "default"},
                {"media": "(prefers-color-scheme: dark)", "scheme": "slate"},
            ],
            "auto",
        ),
        ([{"scheme": "slate"}, {"scheme": "default"}], "dark"),  # toggles need a script
        ([{"scheme": "default"}], "light"),
    ],
)
def test_palette_scheme(palette: object, scheme: str) -> None:
    assert palette_scheme(palette) == scheme


def test_the_scheme_reaches_the_page(tmp_path: Path) -> None:
    parts = chrome(tmp_path, scheme="dark").parts("")
    assert 'class="cd-header cd-scheme-dark"' in parts.header
    assert '<meta name="color-scheme" content="dark">' in parts.head


def test_candor_words_are_marked_when_the_theme_speaks_another_language(tmp_path: Path) -> None:
    assert chrome(tmp_path, theme_language="en").parts("").lang == ""
    german = chrome(tmp_path, theme_language="de").parts("")
    assert german.lang == "en" and 'lang="en"' in german.header and 'lang="en"' in german.footer


def test_a_preview_links_files_and_says_it_is_a_preview(tmp_path: Path) -> None:
    project = load_site(tmp_path, {})
    preview = replace(project.settings, preview=True)
    parts = Chrome(preview, project.state(), [SiteLink("About", "about.html")]).parts("history/")
    assert 'href="../subscribe/index.html"' in parts.header
    assert 'href="../index.html"' in parts.header
    assert 'href="../about.html"' in parts.footer
    page = '<html><body class="x">\n<main>Hi</main></body></html>'
    shown = with_preview_banner(page, preview, project.state())
    assert shown.startswith('<html><body class="x"><p class="cd-preview" role="note" style="')
    assert "Preview of a pull request: not the live status page.</p>\n<main>" in shown
    assert scan_html(shown) == []
    # The published site links folders and has no banner.
    published = Chrome(project.settings, project.state()).parts("history/")
    assert 'href="../subscribe/"' in published.header
    assert "cd-preview" not in published.header + published.footer


PAGE_URLS = [
    "incidents/a/",
    "",
    "incidents/b/",
    "about/",
    "about/team/",
    "incidents/a/postmortem/",
    "history/",
    "history/2025/",
    "components/api/",
    "subscribe/",
    "incidents/c/postmortem/",
    "components/web/",
    "a.html",
    "about/x.html",
    "feeds/x/y/z/",
]


@pytest.mark.parametrize("preview", [False, True])
def test_pages_sharing_a_rendering_get_the_parts_a_rendering_of_their_own_gives(
    tmp_path: Path, preview: bool
) -> None:
    project = load_site(tmp_path, {})
    settings = replace(project.settings, preview=preview)
    state = project.state()
    links = [SiteLink("About", "about/"), SiteLink("Team", "about/team/"), SiteLink("Up", "a.html")]
    shared = Chrome(settings, state, links)
    for url in PAGE_URLS + PAGE_URLS[::-1]:
        assert shared.parts(url) == Chrome(settings, state, links).parts(url), url
