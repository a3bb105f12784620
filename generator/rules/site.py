"""The example site must not reach a real one unnoticed: a copy of the template that keeps an
example address, or the example company's words on its hand-written pages, is warned about
before it is published (SPEC §4)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from generator.core.config import Settings
from generator.core.errors import Problem
from generator.core.languages import LANGUAGES, base_language
from generator.core.source import SourceMap

# The company the example site this repository ships speaks for.
EXAMPLE_COMPANY = re.compile(r"\bnorthwind\b", re.IGNORECASE)
# Names reserved for examples and tests (RFC 2606, RFC 6761): never a public site's host.
_EXAMPLE_DOMAINS = ("example.com", "example.net", "example.org")
_EXAMPLE_TLDS = ("example", "test", "invalid", "localhost")


def is_example_host(host: str) -> bool:
    host = host.lower().rstrip(".")
    if any(host == d or host.endswith("." + d) for d in _EXAMPLE_DOMAINS):
        return True
    return host.rsplit(".", 1)[-1] in _EXAMPLE_TLDS


def example_problems(settings: Settings, pages: Iterable[tuple[str, str]]) -> list[Problem]:
    problems: list[Problem] = []
    config = settings.config_path.name
    source = settings.source
    if is_example_host(settings.host):
        problems.append(
            Problem(
                config,
                *_pos(source, "site_url"),
                "warning",
                "example-site-url",
                f"`site_url` is `{settings.site_url}`, an example address: feeds, the API and "
                "every link would point at a site that is not yours",
                "set `site_url` to the address the page is published at, e.g. "
                "`https://owner.github.io/repo/` or `https://status.yourcompany.com/`",
            )
        )
        # The example itself, or a copy that keeps its address: that warning says it all.
        return problems
    if EXAMPLE_COMPANY.search(settings.site_name):
        problems.append(
            _example_text(config, _pos(source, "site_name"), "`site_name`", settings.site_name)
        )
    for page, line, column, word in _example_words(pages):
        problems.append(_example_text(page, (line, column), f"`{page}`", word))
    return problems


def _example_text(file: str, pos: tuple[int | None, int | None], where: str, word: str) -> Problem:
    return Problem(
        file,
        *pos,
        "warning",
        "example-text",
        f"{where} still names the example company ({word.strip()[:60]}) while `site_url` is "
        "your own address",
        "replace the example's words with your own (site_src/about.md is the example's About "
        "page), or delete the page",
    )


def _example_words(pages: Iterable[tuple[str, str]]) -> Iterator[tuple[str, int, int, str]]:
    """(page, line, column, word) of the first mention of the example company in each
    hand-written page."""
    for rel, text in pages:
        match = EXAMPLE_COMPANY.search(text)
        if match is not None:
            line, column = SourceMap(text).line_col(match.start())
            yield rel, line, column, match.group()


def _pos(source: SourceMap | None, *keys: str) -> tuple[int | None, int | None]:
    return source.value_pos(keys) if source is not None else (None, None)


def language_problems(settings: Settings) -> list[Problem]:
    """A theme language Candor has no words for: the site still builds, in English, under a
    `lang` that says otherwise, so it is a warning (SPEC §2: en and ja are complete)."""
    if base_language(settings.theme_language) in LANGUAGES:  # `ja_JP` too
        return []
    shown = settings.theme_language
    line, column = _pos(settings.source, "theme", "language")
    return [
        Problem(
            settings.config_path.name,
            line,
            column,
            "warning",
            "untranslated-language",
            f"`theme.language` is `{shown}`, a language Candor has no words for: its pages say "
            f'`lang="{shown}"` but show their labels and dates in English',
            f"set `theme.language` to one Candor speaks: {', '.join(LANGUAGES)} (or leave it "
            "out for English); `labels:` in the `candor` settings can reword labels, not dates",
        )
    ]
