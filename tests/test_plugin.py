"""The plugin under plain `mkdocs build`: fonts off, errors abort with check's messages."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
NOW_404 = "2026-11-23T12:00Z"


def mkdocs_build(
    tmp_path: Path, extra_incident: str | None = None
) -> subprocess.CompletedProcess[str]:
    for name in ("incidents", "site_src", "theme"):
        shutil.copytree(ROOT / name, tmp_path / name)
    config = (
        (ROOT / "mkdocs.yml")
        .read_text()
        .replace("  language: en\n", "  language: en\n  font:\n    text: Roboto\n")
    )
    (tmp_path / "mkdocs.yml").write_text(config, encoding="utf-8")
    if extra_incident:
        (tmp_path / "incidents" / "2026-11-22-bad.yaml").write_text(extra_incident)
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-q", "-f", "mkdocs.yml"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={"CANDOR_NOW": "2026-11-23T12:00Z", "PATH": "/usr/bin:/bin"},
        timeout=300,
    )


@pytest.mark.slow
def test_plain_mkdocs_build_without_google_fonts(tmp_path: Path) -> None:
    result = mkdocs_build(tmp_path)
    assert result.returncode == 0, result.stderr
    home = (tmp_path / "site" / "index.html").read_text()
    assert "fonts.googleapis.com" not in home
    assert "assets/stylesheets/candor.css" in home
    assert (tmp_path / "site" / "incidents" / "2026-01-14-slow-dashboard" / "index.html").is_file()
    assert not (tmp_path / "site_src" / "incidents").exists()  # never written into docs_dir


@pytest.mark.slow
def test_invalid_incident_aborts_mkdocs_build(tmp_path: Path) -> None:
    result = mkdocs_build(tmp_path, "title: Bad\nimpact: huge\nupdates: []\n")
    assert result.returncode == 1
    assert "incidents/2026-11-22-bad.yaml:2" in result.stderr + result.stdout
    assert "Traceback" not in result.stderr


def test_plugin_schema_has_exactly_the_models_keys() -> None:
    from generator.core.config import CandorConfig
    from generator.plugin import CandorPluginConfig

    assert [key for key, _ in CandorPluginConfig._schema] == list(CandorConfig.model_fields)


@pytest.mark.slow
@pytest.mark.parametrize(
    ("config", "heading"),
    [
        ("tests/fixtures/ja/mkdocs.yml", "404 – ページが見つかりません"),
        ("mkdocs.yml", "404 – Page not found"),
    ],
)
def test_the_404_page_speaks_the_sites_language(tmp_path: Path, config: str, heading: str) -> None:
    from click.testing import CliRunner

    from generator.cli import main

    out = tmp_path / "site"
    args = ["build", "--config", str(ROOT / config), "--out", str(out), "--now", NOW_404]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    page = (out / "404.html").read_text(encoding="utf-8")
    assert f"<h1>{heading}</h1>" in page
    assert "Not found" not in page


@pytest.mark.slow
def test_no_control_character_reaches_the_404_page(tmp_path: Path) -> None:
    """The 404 page is a theme template, not a page: a site's own 404.html (in custom_dir)
    that holds a control character shows it as U+FFFD, as every page does."""
    from click.testing import CliRunner

    from generator.cli import main

    site = tmp_path / "src"
    for name in ("incidents", "site_src", "theme"):
        shutil.copytree(ROOT / name, site / name)
    shutil.copy(ROOT / "mkdocs.yml", site / "mkdocs.yml")
    (site / "theme" / "404.html").write_text(
        '{% extends "main.html" %}{% block content %}<h1>Gone \x1b[31m\x07</h1>{% endblock %}',
        encoding="utf-8",
    )
    out = tmp_path / "site"
    args = ["build", "--config", str(site / "mkdocs.yml"), "--out", str(out), "--now", NOW_404]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    page = (out / "404.html").read_text(encoding="utf-8")
    assert "<h1>Gone \ufffd[31m\ufffd</h1>" in page
    assert not any(ch in page for ch in "\x1b\x07")


def test_a_build_imports_nothing_only_serving_or_a_second_process_needs(tmp_path: Path) -> None:
    """Each `candor build` is a new process, and every module it imports is part of what the
    smallest rebuild costs (BENCHMARKS.md)."""
    for name in ("incidents", "site_src", "theme"):
        shutil.copytree(ROOT / name, tmp_path / name)
    shutil.copy(ROOT / "mkdocs.yml", tmp_path / "mkdocs.yml")
    unneeded = (
        "generator.plugin.serving",
        "mkdocs.livereload",
        "watchdog",
        "multiprocessing",
        "urllib.request",
    )
    code = (
        "import sys\n"
        "from generator.cli import main\n"
        "main(['build', '--config', 'mkdocs.yml', '--out', 'out'], standalone_mode=False)\n"
        f"print([name for name in {unneeded!r} if name in sys.modules])\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={"CANDOR_NOW": NOW_404, "PATH": "/usr/bin:/bin", "CANDOR_CACHE": "off"},
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "out" / "index.html").is_file()
    assert done.stdout.strip().splitlines()[-1] == "[]"


def init_site(tmp_path: Path, strict: bool) -> Path:
    """A fresh `candor init` site: its About page holds two prompts, Candor's own warnings."""
    from click.testing import CliRunner

    from generator.cli import main

    site = tmp_path / "s"
    args = ["init", str(site), "--name", "Acme", "--url", "https://status.acme.io/"]
    result = CliRunner().invoke(main, [*args, "--component", "api=API"])
    assert result.exit_code == 0, result.output
    if strict:
        with (site / "mkdocs.yml").open("a", encoding="utf-8") as config:
            config.write("strict: true\n")
    return site


def candor_build(site: Path) -> subprocess.CompletedProcess[str]:
    candor = str(Path(sys.executable).parent / "candor")
    return subprocess.run(
        [candor, "build", "--config", "mkdocs.yml", "--out", "out", "--now", NOW_404],
        cwd=site,
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin", "CANDOR_CACHE": "off"},
        timeout=300,
    )


def test_strict_mode_does_not_count_candors_own_warnings(tmp_path: Path) -> None:
    """Under `strict: true` the build aborted on the About page's prompts; a warning of
    Candor's never stops a publish. It is still shown, as mkdocs shows its own."""
    site = init_site(tmp_path, strict=True)
    result = candor_build(site)
    assert result.returncode == 0, result.stderr
    assert "strict mode" not in result.stderr
    assert result.stderr.count("warning: the page still holds a prompt to fill in") == 2
    assert (site / "out" / "index.html").is_file()


def test_strict_mode_still_counts_mkdocs_own_warnings(tmp_path: Path) -> None:
    site = init_site(tmp_path, strict=True)
    config = site / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    config.write_text(
        text.replace("  - About: about.md\n", "  - About: about.md\n  - Gone: gone.md\n")
    )
    result = candor_build(site)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "gone.md" in result.stderr and "Aborted with 1 warnings in strict mode!" in result.stderr
    assert not (site / "out").exists()
