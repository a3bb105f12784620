"""The pages the plugin hands mkdocs (plugin/structure.py)."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from hypothesis import given
from hypothesis import strategies as st
from mkdocs.structure.files import File
from mkdocs.structure.pages import Page as MkPage

from generator.plugin.structure import GeneratedFile, GeneratedPage, plain_path

SEGMENT = st.text(alphabet="abcz09-_.~ %?#:/", min_size=0, max_size=6)
BASES = st.sampled_from(
    [
        "https://status.example.com/",
        "https://status.example.com",
        "https://owner.github.io/repo/",
        "https://owner.github.io/repo",
        "http://127.0.0.1:8000/",
        "https://example.com/a/../b/",
        "https://example.com/a//b/",
        "https://example.com/?q=1",
        "https://example.com/#top",
        "",
    ]
)


def _canonical(cls: type[MkPage], base: str, url: str) -> tuple[str | None, str | None]:
    page = object.__new__(cls)
    page.file = SimpleNamespace(url=url)  # type: ignore[assignment]
    cls._set_canonical_url(page, base or None)
    return page.canonical_url, page.abs_url


@given(BASES, st.lists(SEGMENT, max_size=4))
def test_a_generated_page_has_the_canonical_url_mkdocs_would_give_it(
    base: str, parts: list[str]
) -> None:
    url = "/".join(parts)
    assert _canonical(GeneratedPage, base, url) == _canonical(MkPage, base, url)


def test_plain_paths_are_the_ones_generated_pages_have() -> None:
    for url in ("", "incidents/2026-11-20-api/", "history/2025/", "a.html", "x/index.html"):
        assert plain_path(url), url
    for url in ("./a/", "../a", "a/../b/", "/a", "a b/", "a:b/", "a//b/", "a?b", "a#b"):
        assert not plain_path(url), url


NAMES = st.lists(st.sampled_from(["index.md", "index", "x", "a-1", "2025", "a b", "é", ".", ""]))


@given(NAMES, st.booleans())
def test_a_generated_file_has_the_names_mkdocs_would_give_it(parts: list[str], dirs: bool) -> None:
    """Its source, output and URL, which it sets itself for a plain `…/index.md`."""
    plugins = SimpleNamespace(_current_plugin="candor")
    config: Any = SimpleNamespace(site_dir="/out", use_directory_urls=dirs, plugins=plugins)
    src_uri = "/".join([*parts, "index.md"])
    ours = GeneratedFile.empty(config, src_uri)
    theirs = File.generated(config, src_uri, content="")
    assert (ours.src_uri, ours.src_path, ours.dest_uri, ours.url, ours.abs_dest_path) == (
        theirs.src_uri,
        theirs.src_path,
        theirs.dest_uri,
        theirs.url,
        theirs.abs_dest_path,
    )
