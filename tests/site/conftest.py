"""Fixtures for the browser-level tests: the example site built once, a variant with an open
incident, a maintenance in progress and an incident in Japanese, the same with the `slate`
palette, and the Japanese site of tests/fixtures/ja, each served on 127.0.0.1; and one
headless Chromium (contexts with JavaScript off, as a customer with scripts blocked sees the
site, and on; light and dark system settings; desktop and phone)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from harness import (
    DESKTOP,
    PHONE,
    REPO,
    Site,
    build,
    japanese_example,
    open_example,
    serve,
)


@pytest.fixture(scope="session")
def example_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example site, built once at NOW (every incident resolved)."""
    return build(REPO / "mkdocs.yml", tmp_path_factory.mktemp("example") / "site")


@pytest.fixture(scope="session")
def open_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the example with an open incident and a maintenance in progress at NOW."""
    config = open_example(tmp_path_factory.mktemp("open-source"))
    return build(config, tmp_path_factory.mktemp("open") / "site")


@pytest.fixture(scope="session")
def ja_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The Japanese site of tests/fixtures/ja, built at NOW."""
    config = japanese_example(tmp_path_factory.mktemp("ja-source"))
    return build(config, tmp_path_factory.mktemp("ja") / "site")


@pytest.fixture(scope="session")
def slate_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The open-incident site with mkdocs-material's `slate` palette pinned."""
    config = open_example(tmp_path_factory.mktemp("slate-source"))
    text = config.read_text(encoding="utf-8")
    config.write_text(
        text.replace("  language: en\n", "  language: en\n  palette:\n    scheme: slate\n")
    )
    return build(config, tmp_path_factory.mktemp("slate") / "site")


@pytest.fixture(scope="session")
def example_site(example_build: Path) -> Iterator[Site]:
    with serve(example_build) as site:
        yield site


@pytest.fixture(scope="session")
def open_site(open_build: Path) -> Iterator[Site]:
    with serve(open_build) as site:
        yield site


@pytest.fixture(scope="session")
def ja_site(ja_build: Path) -> Iterator[Site]:
    with serve(ja_build) as site:
        yield site


@pytest.fixture(scope="session")
def slate_site(slate_build: Path) -> Iterator[Site]:
    with serve(slate_build) as site:
        yield site


def _context(browser: Any, **options: Any) -> Iterator[Any]:
    options.setdefault("viewport", DESKTOP)
    context = browser.new_context(**options)
    try:
        yield context
    finally:
        context.close()


@pytest.fixture(scope="session")
def nojs(browser: Any) -> Iterator[Any]:
    """A desktop context with JavaScript disabled. `page.evaluate` still works in it: it runs
    from outside, while the page's own scripts never do."""
    yield from _context(browser, java_script_enabled=False)


@pytest.fixture(scope="session")
def nojs_phone(browser: Any) -> Iterator[Any]:
    """JavaScript disabled, on a 390×844 phone screen."""
    yield from _context(
        browser, java_script_enabled=False, viewport=PHONE, is_mobile=True, has_touch=True
    )


@pytest.fixture(scope="session")
def js_phone(browser: Any) -> Iterator[Any]:
    """JavaScript on, on a 390×844 phone screen: the theme's scripts must not widen pages."""
    yield from _context(browser, viewport=PHONE, is_mobile=True, has_touch=True)


@pytest.fixture(scope="session")
def withjs(browser: Any) -> Iterator[Any]:
    """A desktop context with JavaScript on (the theme's scripts run; axe-core runs here)."""
    yield from _context(browser, java_script_enabled=True, color_scheme="light")


@pytest.fixture(scope="session")
def withjs_dark(browser: Any) -> Iterator[Any]:
    """As `withjs`, for a reader whose system is set to dark (prefers-color-scheme: dark)."""
    yield from _context(browser, java_script_enabled=True, color_scheme="dark")


@pytest.fixture(scope="session")
def nojs_dark_phone(browser: Any) -> Iterator[Any]:
    """JavaScript disabled, a 390×844 phone whose system is set to dark."""
    yield from _context(
        browser,
        java_script_enabled=False,
        viewport=PHONE,
        is_mobile=True,
        has_touch=True,
        color_scheme="dark",
    )


@pytest.fixture(scope="session")
def js_tokyo(browser: Any) -> Iterator[Any]:
    """JavaScript on, in a browser whose time zone is Asia/Tokyo (the site's is Berlin)."""
    yield from _context(browser, java_script_enabled=True, timezone_id="Asia/Tokyo")


@pytest.fixture(scope="session")
def js_berlin(browser: Any) -> Iterator[Any]:
    """JavaScript on, in the site's own time zone."""
    yield from _context(browser, java_script_enabled=True, timezone_id="Europe/Berlin")


@pytest.fixture
def new_page() -> Iterator[Callable[[Any], Any]]:
    """new_page(context) -> a fresh page in that context, closed after the test."""
    pages: list[Any] = []

    def make(context: Any) -> Any:
        page = context.new_page()
        pages.append(page)
        return page

    yield make
    for page in pages:
        page.close()
