"""Fixtures shared by the whole suite; the helpers themselves live in `candor_sites`."""

from __future__ import annotations

import importlib.util
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from candor_sites import CHROMIUM, CHROMIUM_ARGS, COMPONENTS, check_file, load_site, make_site

__all__ = ["COMPONENTS", "check_file", "load_site", "make_site"]


@pytest.fixture
def site_project(tmp_path: Path) -> Any:
    """site_project(files, now=..., **candor_options) -> Project, in this test's tmp_path."""

    def make(files: dict[str, str | bytes], now: str = "2026-12-01T00:00Z", **options: Any):
        return load_site(tmp_path, files, now, **options)

    return make


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """One headless Debian Chromium for the whole session. Playwright's sync API runs one
    instance at a time, so every browser test, wherever it lives, shares this one."""
    missing = [
        name
        for name, present in (
            ("chromium", CHROMIUM.exists()),
            ("playwright", importlib.util.find_spec("playwright") is not None),
        )
        if not present
    ]
    if missing:
        # A browser test that silently stops running in CI is worse than none.
        if os.environ.get("CI") == "true":
            pytest.fail(f"{', '.join(missing)} missing: `make test` installs it")
        pytest.skip(f"{', '.join(missing)} not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        try:
            yield chromium
        finally:
            chromium.close()
