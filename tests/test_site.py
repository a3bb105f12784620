"""Warnings about the site as a whole (generator/rules/site.py), through `candor check`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import main

CONFIG = """\
site_name: Acme Status
site_url: https://status.acme.io/
theme:
  name: material
  language: {language}
plugins:
  - candor:
      components: [{{id: api, name: Public API}}]
"""


def check(tmp_path: Path, language: str) -> tuple[int, list[dict[str, object]]]:
    (tmp_path / "incidents").mkdir()
    (tmp_path / "mkdocs.yml").write_text(CONFIG.format(language=language), encoding="utf-8")
    result = CliRunner().invoke(
        main, ["check", "--format", "json", "--config", str(tmp_path / "mkdocs.yml")]
    )
    return result.exit_code, json.loads(result.output)["problems"]


@pytest.mark.parametrize("language", ["fr", "pt-BR", "zh-Hant"])
def test_a_theme_language_candor_has_no_words_for_is_a_warning_at_its_value(
    tmp_path: Path, language: str
) -> None:
    code, problems = check(tmp_path, language)
    assert code == 0  # a warning: the site still builds, in English
    assert [(p["file"], p["line"], p["column"], p["severity"], p["rule"]) for p in problems] == [
        ("mkdocs.yml", 5, 13, "warning", "untranslated-language")
    ]
    assert problems[0]["message"] == (
        f"`theme.language` is `{language}`, a language Candor has no words for: its pages say "
        f'`lang="{language}"` but show their labels and dates in English'
    )
    assert "en, ja" in str(problems[0]["hint"])


@pytest.mark.parametrize("language", ["en", "ja"])
def test_the_languages_candor_speaks_are_not_warned_about(tmp_path: Path, language: str) -> None:
    assert check(tmp_path, language) == (0, [])
