"""The theme's static files as mkdocs finds them, kept (plugin/theme_files.py): listed once
for installed packages, in memory and in the build cache; a `custom_dir` every time."""

from __future__ import annotations

import shutil
from pathlib import Path

import jinja2
import pytest
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files

from generator.core.cache import Store
from generator.plugin.theme_files import ThemeListing

ROOT = Path(__file__).resolve().parent.parent


def theme_files(config: MkDocsConfig) -> list[str]:
    files = Files([])
    files.add_files_from_theme(config.theme.get_env(), config)
    return sorted(f.src_uri for f in files)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    project = tmp_path / "project"
    shutil.copytree(ROOT / "theme", project / "theme")
    (project / "docs").mkdir()
    (project / "mkdocs.yml").write_text(
        "site_name: T\ntheme:\n  name: material\n  custom_dir: theme\n", encoding="utf-8"
    )
    return project


@pytest.fixture
def walked(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every theme folder listed from here on."""
    found: list[str] = []
    walk = jinja2.FileSystemLoader.list_templates

    def counted(loader: jinja2.FileSystemLoader) -> list[str]:
        found.extend(str(Path(p).resolve()) for p in loader.searchpath)
        return walk(loader)

    monkeypatch.setattr(jinja2.FileSystemLoader, "list_templates", counted)
    return found


def loaded(project: Path, listing: ThemeListing, store: Store | None = None) -> MkDocsConfig:
    config = load_config(str(project / "mkdocs.yml"))
    listing.keep(config, store, "site key" if store else "")
    return config


def test_the_installed_themes_files_are_listed_once_and_a_custom_dir_every_time(
    project: Path, walked: list[str]
) -> None:
    listing = ThemeListing()
    plain = load_config(str(project / "mkdocs.yml"))
    assert theme_files(loaded(project, listing)) == theme_files(plain)  # as mkdocs finds them
    assert len(walked) > 1

    walked.clear()
    (project / "theme" / "extra.css").write_text("p{}", encoding="utf-8")
    assert "extra.css" in theme_files(loaded(project, listing))
    assert walked == [str((project / "theme").resolve())]  # material's icons: not again


def test_the_next_build_takes_the_listing_from_the_build_cache(
    project: Path, walked: list[str], tmp_path: Path
) -> None:
    store = Store(tmp_path / "cache" / "entries")
    first = theme_files(loaded(project, ThemeListing(), store))
    assert len(walked) > 1

    walked.clear()
    assert theme_files(loaded(project, ThemeListing(), store)) == first  # another process
    assert walked == [str((project / "theme").resolve())]

    for entry in store.folder.iterdir():
        entry.write_bytes(b"{damaged")
    walked.clear()
    assert theme_files(loaded(project, ThemeListing(), store)) == first
    assert len(walked) > 1  # listed again, and kept again
