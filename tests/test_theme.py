"""The theme that ships inside the package (generator/plugin/theme): any mkdocs-material site
that lists the `candor` plugin gets Candor's styled pages, with or without a `custom_dir` of
its own, whose overrides win as they do over mkdocs-material's."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from generator.cli import main
from generator.plugin.site_config import THEME_DIR

pytestmark = pytest.mark.slow

NOW = "2026-12-04T12:00Z"
INCIDENT_PAGE = "incidents/2026-12-04-slow-dashboard/index.html"
INCIDENT = """\
title: Slow dashboard
impact: minor
components: [web]
updates:
  - at: 2026-12-04T09:00:00Z
    status: resolved
    message: |
      We're sorry: the dashboard was slow for 20 minutes. No data was lost.
"""


def foreign_site(folder: Path, custom_dir: str | None = None) -> Path:
    """A documentation site as a team already has it: `docs/` with its own pages, mkdocs'
    defaults everywhere, and `candor` added to its plugins."""
    theme: dict[str, object] = {"name": "material", "palette": {"primary": "indigo"}}
    if custom_dir:
        theme["custom_dir"] = custom_dir
    config = {
        "site_name": "Docs of Contoso",
        "site_url": "https://docs.contoso.org/",
        "theme": theme,
        "markdown_extensions": ["admonition"],
        "plugins": [
            "search",
            {"candor": {"components": [{"id": "web", "name": "Web app"}]}},
        ],
    }
    (folder / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False), "utf-8")
    (folder / "docs").mkdir()
    (folder / "docs" / "guide.md").write_text("# Guide\n\n!!! note\n    Read me.\n", "utf-8")
    (folder / "incidents").mkdir()
    (folder / "incidents" / "2026-12-04-slow-dashboard.yaml").write_text(INCIDENT, "utf-8")
    return folder / "mkdocs.yml"


def build(config: Path) -> Path:
    out = config.parent / "out"
    result = CliRunner().invoke(
        main, ["build", "--config", str(config), "--now", NOW, "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    return out


def read(out: Path, path: str) -> str:
    return (out / path).read_text(encoding="utf-8")


def assert_candor_pages_are_styled(out: Path) -> None:
    stylesheet = (out / "assets" / "stylesheets" / "candor.css").read_text(encoding="utf-8")
    packaged = Path(THEME_DIR, "assets", "stylesheets", "candor.css").read_text(encoding="utf-8")
    assert stylesheet == packaged
    for page, link in [
        ("index.html", 'href="assets/stylesheets/candor.css"'),
        (INCIDENT_PAGE, 'href="../../assets/stylesheets/candor.css"'),
        ("history/index.html", 'href="../assets/stylesheets/candor.css"'),
    ]:
        html = read(out, page)
        assert link in html, page
        assert 'class="cd-wrap"' in html, page  # Candor's layout, not a documentation page
    assert "Slow dashboard" in read(out, INCIDENT_PAGE)


def test_a_site_without_custom_dir_gets_the_styled_pages(tmp_path: Path) -> None:
    out = build(foreign_site(tmp_path))
    assert_candor_pages_are_styled(out)
    # Its own pages keep mkdocs-material's layout, with Candor's Subscribe link in the header.
    guide = read(out, "guide/index.html")
    assert 'class="admonition note"' in guide
    assert "cd-header-subscribe" in guide
    assert (out / "api" / "v2" / "summary.json").is_file()


def test_a_sites_own_block_override_wins_on_every_page(tmp_path: Path) -> None:
    config = foreign_site(tmp_path, custom_dir="overrides")
    overrides = tmp_path / "overrides"
    overrides.mkdir()
    (overrides / "main.html").write_text(
        '{% extends "base.html" %}\n'
        '{% block announce %}<b class="ours">Contoso maintenance on Sunday</b>{% endblock %}\n',
        encoding="utf-8",
    )
    out = build(config)
    assert_candor_pages_are_styled(out)
    for page in (
        "index.html",
        "incidents/2026-12-04-slow-dashboard/index.html",
        "guide/index.html",
    ):
        assert '<b class="ours">Contoso maintenance on Sunday</b>' in read(out, page), page


def test_a_sites_own_file_wins_over_candors(tmp_path: Path) -> None:
    config = foreign_site(tmp_path, custom_dir="overrides")
    own = tmp_path / "overrides" / "assets" / "stylesheets" / "candor.css"
    own.parent.mkdir(parents=True)
    own.write_text(".cd-wrap{max-width:50rem}\n", encoding="utf-8")
    out = build(config)
    assert read(out, "assets/stylesheets/candor.css") == ".cd-wrap{max-width:50rem}\n"
    assert 'href="assets/stylesheets/candor.css"' in read(out, "index.html")


def test_the_plugin_adds_the_theme_once_after_the_sites_own(tmp_path: Path) -> None:
    from mkdocs.config import load_config

    config_path = foreign_site(tmp_path, custom_dir="overrides")
    (tmp_path / "overrides").mkdir()
    config = load_config(str(config_path))
    plugin = config.plugins["candor"]
    for _ in range(2):  # `mkdocs serve` runs on_config again on every rebuild
        plugin.on_config(config)
    dirs = config.theme.dirs
    assert dirs.count(THEME_DIR) == 1
    assert dirs.index(str(tmp_path / "overrides")) < dirs.index(THEME_DIR)
    assert dirs.index(THEME_DIR) < next(i for i, d in enumerate(dirs) if "material" in d)
