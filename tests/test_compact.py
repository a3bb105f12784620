"""Compact pages (generator/outputs/compact.py): fewer bytes, the same page. Whitespace runs
between tags shrink to one character, `<pre>`, `<textarea>`, `<script>` and `<style>` keep
every byte, and Candor's own pages lose mkdocs-material's furniture that only its (unloaded)
script uses. Checked on strings, then on the example site built with and without it: the
same elements, attributes and text, and in Chromium the same pixels."""

from __future__ import annotations

import gzip
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import html5lib
import pytest
from click.testing import CliRunner

from generator.cli import main
from generator.outputs.compact import compact, compact_page

ROOT = Path(__file__).resolve().parent.parent
NOW = "2026-11-23T12:00Z"
INCIDENT = "incidents/2026-03-09-dns-resolution-failures/index.html"
SHOWN = {
    "home": "index.html",
    "incident": INCIDENT,
    "postmortem": "incidents/2026-03-09-dns-resolution-failures/postmortem/index.html",
    "component": "components/api/index.html",
}


def test_whitespace_between_tags_becomes_one_character_of_its_kind() -> None:
    page = "<ul>\n    <li>a</li>\n\n      <li>b</li>   \n</ul>\n  <p><b>x</b>   <i>y</i></p>"
    assert compact(page) == "<ul>\n<li>a</li>\n<li>b</li>\n</ul>\n<p><b>x</b> <i>y</i></p>"


def test_text_keeps_its_words_and_single_spaces() -> None:
    page = "<p>Delays in <a href='#'>API</a> and\n    Billing</p>\n    text after\n  <b>bold</b>"
    result = compact(page)
    assert (
        result == "<p>Delays in <a href='#'>API</a> and\n    Billing</p>\ntext after\n<b>bold</b>"
    )
    assert _words(result) == _words(page)


def test_pre_textarea_script_and_style_keep_every_byte() -> None:
    kept = [
        "<pre><code>line\n    indented\n\n  <span>x</span>\n</code></pre>",
        "<PRE class='x'>\n   A\n</PRE >",
        "<textarea name=t>\n  two  spaces\n</textarea>",
        "<script>if (a >  b) {\n    c = '<i>  </i>'\n}</script>",
        "<style>\n  a > b  { color: red }\n</style>",
    ]
    page = "\n    ".join(["<div>", *kept, "</div>"])
    result = compact(page)
    for block in kept:
        assert block in result
    assert result == "\n".join(["<div>", *kept, "</div>"])


def test_an_unclosed_pre_is_kept_to_the_end() -> None:
    page = "<div>\n   <pre>\n   a\n   <b>x</b>\n"
    assert compact(page) == "<div>\n<pre>\n   a\n   <b>x</b>\n"


def test_non_breaking_and_other_spaces_are_text() -> None:
    page = "<p>\u00a0\u00a0</p>\n\u2003\u2003<p>\u3000</p>"
    assert compact(page) == page
    assert compact("<b>x</b>\u00a0 \u00a0<i>y</i>") == "<b>x</b>\u00a0 \u00a0<i>y</i>"


def test_compacting_twice_changes_nothing() -> None:
    sample = "<div>\n  <p>a</p>\n \t <pre>\n  b\n</pre>\n</div>\n  "
    once = compact(sample)
    assert once == "<div>\n<p>a</p>\n<pre>\n  b\n</pre>\n</div>\n"
    assert compact(once) == once


MATERIAL_SHELL = """<body dir="ltr">
    <input class="md-toggle" data-md-toggle="drawer" type="checkbox" id="__drawer" autocomplete="off">
    <input class="md-toggle" data-md-toggle="search" type="checkbox" id="__search" autocomplete="off">
    <label class="md-overlay" for="__drawer"></label>
    <div data-md-component="skip">
      {blank}
    </div>
    <div data-md-component="announce">
      {blank}
    </div>
    <header>h</header>
<script>var target=document.getElementById(location.hash.slice(1));target&&target.name&&(target.checked=target.name.startsWith("__tabbed_"))</script>
    <div class="md-dialog" data-md-component="dialog">
      <div class="md-dialog__inner md-typeset"></div>
    </div>
  </body>""".replace("{blank}", "")  # noqa: E501  (as mkdocs-material writes it)
SCOPE = '<script>__md_scope=new URL("../..",location),__md_get=(e,_=localStorage)=>e<<5</script>\n'


def test_candor_pages_lose_what_only_mkdocs_materials_script_uses() -> None:
    page = "<head>\n  " + SCOPE + "</head>\n" + MATERIAL_SHELL
    mine = compact_page(page, generated=True)
    assert mine == '<head>\n</head>\n<body dir="ltr">\n<header>h</header>\n</body>'
    # A hand-written page runs mkdocs-material's script: it keeps all of it.
    theirs = compact_page(page, generated=False)
    assert theirs == compact(page)
    for kept in ("md-toggle", "md-overlay", "md-dialog", "__md_scope", "__tabbed_"):
        assert kept in theirs


def test_the_storage_helpers_stay_when_another_script_calls_them() -> None:
    page = "<head>\n" + SCOPE + '<script>var palette=__md_get("__palette")</script>\n</head>'
    assert "__md_scope" in compact_page(page, generated=True)


def test_an_announcement_a_site_adds_stays() -> None:
    page = '<div data-md-component="announce">\n  <aside>News</aside>\n</div>\n'
    assert "News" in compact_page(page, generated=True)


# --- the example site, built with and without compaction --------------------------------


def _build(tmp: Path, name: str) -> Path:
    folder = tmp / name
    folder.mkdir()
    (folder / "mkdocs.yml").write_bytes((ROOT / "mkdocs.yml").read_bytes())
    for part in ("incidents", "site_src", "theme"):
        _copy(ROOT / part, folder / part)
    out = folder / "site"
    result = CliRunner().invoke(
        main, ["build", "--config", str(folder / "mkdocs.yml"), "--out", str(out), "--now", NOW]
    )
    assert result.exit_code == 0, result.output
    return out


def _copy(source: Path, target: Path) -> None:
    for path in source.rglob("*"):
        if path.is_file():
            (target / path.relative_to(source)).parent.mkdir(parents=True, exist_ok=True)
            (target / path.relative_to(source)).write_bytes(path.read_bytes())


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(compacted, as the templates wrote it): the second with compaction turned off."""
    tmp = tmp_path_factory.mktemp("compact")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("CANDOR_CACHE", "off")
        compacted = _build(tmp, "compacted")
        patch.setattr("generator.plugin.candor.compact_page", lambda page, generated: page)
        loose = _build(tmp, "loose")
    return compacted, loose


# What compaction takes off Candor's pages: mkdocs-material's, for its own script.
def _material_unused(name: str, attrs: dict[str, str], text: str) -> bool:
    classes = attrs.get("class", "").split()
    component = attrs.get("data-md-component")
    return (
        (name == "input" and "md-toggle" in classes)
        or (name == "label" and "md-overlay" in classes)
        or (name == "div" and component in ("skip", "announce", "dialog") and not text.strip())
        or (name == "script" and text.startswith(("__md_scope=", "var target=document")))
    )


_VERBATIM = {"pre", "textarea", "script", "style"}


def _events(page: str, generated: bool) -> list[tuple[Any, ...]]:
    """The page as a parser sees it: elements with their attributes, and text with each run
    of whitespace made one space, except inside the elements where whitespace counts."""
    tree = html5lib.parse(page, namespaceHTMLElements=False)
    found: list[tuple[Any, ...]] = []

    def text(value: str, verbatim: bool) -> None:
        if found and found[-1][0] == "text" and not verbatim and not found[-1][2]:
            value = found.pop()[1] + value
        found.append(("text", value, verbatim))

    def walk(node: Any, verbatim: bool) -> None:
        name = node.tag
        attrs = dict(node.attrib)
        inner = "".join(node.itertext())
        if generated and _material_unused(name, attrs, inner):
            if node.tail:
                text(node.tail, verbatim)
            return
        found.append(("start", name, sorted(attrs.items())))
        if node.text:
            text(node.text, verbatim or name in _VERBATIM)
        for child in node:
            walk(child, verbatim or name in _VERBATIM)
        found.append(("end", name))
        if node.tail:
            text(node.tail, verbatim)

    walk(tree, False)
    return [
        ("text", re.sub(r"[ \t\r\n\f]+", " ", e[1]), False) if e[0] == "text" and not e[2] else e
        for e in found
    ]


def _pages(site: Path) -> Iterator[Path]:
    """Every page; not 404.html, a template of the theme that mkdocs writes as it is."""
    pages = (p.relative_to(site) for p in sorted(site.rglob("*.html")))
    return (p for p in pages if p.as_posix() != "404.html")


@pytest.mark.slow
def test_every_page_has_the_same_elements_attributes_and_text(builds: tuple[Path, Path]) -> None:
    compacted, loose = builds
    pages = list(_pages(loose))
    assert INCIDENT in [p.as_posix() for p in pages] and len(pages) > 20
    smaller = 0
    for rel in pages:
        after = (compacted / rel).read_text(encoding="utf-8")
        before = (loose / rel).read_text(encoding="utf-8")
        generated = "cd-page" in before
        assert _events(after, generated) == _events(before, generated), rel
        for block in re.findall(r"<pre[ >].*?</pre>", before, re.S):
            assert block in after, rel
        smaller += len(before) - len(after)
    assert smaller > 0


@pytest.mark.slow
def test_no_page_is_left_with_indentation_between_tags(builds: tuple[Path, Path]) -> None:
    compacted, _ = builds
    for rel in _pages(compacted):
        page = (compacted / rel).read_text(encoding="utf-8")
        outside = re.sub(r"<(pre|script|style|textarea)[ >].*?</\1>", "<kept>", page, flags=re.S)
        assert not re.search(r">[ \t]*\n[ \t\n]+<|>[ \t]{2,}<", outside), rel
        assert compact(page) == page, rel


@pytest.mark.slow
def test_only_hand_written_pages_keep_mkdocs_materials_script_furniture(
    builds: tuple[Path, Path],
) -> None:
    compacted, _ = builds
    for rel in _pages(compacted):
        page = (compacted / rel).read_text(encoding="utf-8")
        if "cd-page" in page:
            assert "md-toggle" not in page and "__md_scope" not in page, rel
            assert "md-dialog" not in page and "__tabbed_" not in page, rel
    about = (compacted / "about" / "index.html").read_text(encoding="utf-8")
    assert "md-toggle" in about and "__md_scope" in about and "md-dialog" in about


@pytest.mark.slow
def test_the_compacted_site_is_smaller_and_the_same_for_the_same_input(
    builds: tuple[Path, Path], tmp_path: Path
) -> None:
    compacted, loose = builds
    incident_after = (compacted / INCIDENT).stat().st_size
    incident_before = (loose / INCIDENT).stat().st_size
    assert incident_after < incident_before * 0.9
    again = _build(tmp_path, "again")
    files = sorted(p.relative_to(compacted) for p in compacted.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(again) for p in again.rglob("*") if p.is_file())
    for rel in files:
        assert (again / rel).read_bytes() == (compacted / rel).read_bytes(), rel


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.parametrize(
    ("width", "height", "scheme"), [(1280, 900, "light"), (390, 844, "light"), (1280, 900, "dark")]
)
def test_pages_look_exactly_as_before(
    builds: tuple[Path, Path], browser: Any, width: int, height: int, scheme: str
) -> None:
    compacted, loose = builds
    context = browser.new_context(viewport={"width": width, "height": height}, color_scheme=scheme)
    try:
        page = context.new_page()
        for name, rel in SHOWN.items():
            shots = []
            for site in (loose, compacted):
                page.goto((site / rel).as_uri())
                shots.append(page.screenshot(full_page=True))
            assert shots[0] == shots[1], f"{name} at {width}×{height}, {scheme}"
    finally:
        context.close()


def _words(html: str) -> list[str]:
    return re.sub(r"<[^>]+>", " ", html).split()


@pytest.mark.slow
def test_the_sitemap_lists_every_page_with_its_date_one_line_each(
    builds: tuple[Path, Path],
) -> None:
    compacted, _ = builds
    raw = (compacted / "sitemap.xml").read_bytes()
    assert raw.startswith(b'<?xml version="1.0" encoding="UTF-8"?>\n<urlset')
    root = ElementTree.fromstring(raw)
    ns = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
    listed = {
        url.findtext(f"{ns}loc"): url.findtext(f"{ns}lastmod") for url in root.iter(f"{ns}url")
    }
    site_url = "https://status.northwind.example/"
    pages = {
        site_url + rel.as_posix().removesuffix("index.html")
        for rel in _pages(compacted)
        if rel.name == "index.html"
    }
    assert set(listed) == pages
    assert len(set(listed.values())) == 1 and re.fullmatch(r"\d{4}-\d\d-\d\d", listed[site_url])
    assert raw.count(b"\n") == len(listed) + 2 and b"  " not in raw
    assert gzip.decompress((compacted / "sitemap.xml.gz").read_bytes()) == raw
