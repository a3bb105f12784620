"""Fixtures shared by the whole suite; the helpers themselves live in `candor_sites`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from candor_sites import COMPONENTS, check_file, load_site, make_site

__all__ = ["COMPONENTS", "check_file", "load_site", "make_site"]


@pytest.fixture
def site_project(tmp_path: Path) -> Any:
    """site_project(files, now=..., **candor_options) -> Project, in this test's tmp_path."""

    def make(files: dict[str, str | bytes], now: str = "2026-12-01T00:00Z", **options: Any):
        return load_site(tmp_path, files, now, **options)

    return make
