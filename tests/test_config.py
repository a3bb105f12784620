"""mkdocs.yml → Settings, and every config error at its place with a hint."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest
from candor_sites import make_site
from pydantic import ValidationError

from generator.core.config import CandorConfig, load_settings
from generator.core.errors import ConfigError

HEAD = "site_name: S\nsite_url: https://status.example.com\nplugins:\n  - search\n  - candor:\n"


@pytest.fixture(autouse=True)
def incidents_folder(tmp_path: Path) -> None:
    """Every config here names (or defaults to) an incidents folder, which must exist."""
    (tmp_path / "incidents").mkdir(exist_ok=True)


def problems(tmp_path: Path, text: str) -> list[tuple[str, str, str]]:
    (tmp_path / "mkdocs.yml").write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_settings(tmp_path / "mkdocs.yml")
    return [(p.location(), p.rule, p.hint) for p in info.value.problems]


def test_settings_from_a_full_config(tmp_path: Path) -> None:
    path = make_site(tmp_path, {}, timezone="Asia/Tokyo", stale_after="2h")
    settings = load_settings(path)
    assert settings.site_url == "https://status.example.com/"
    assert settings.root == tmp_path and settings.incidents_dir == tmp_path / "incidents"
    assert settings.tz.key == "Asia/Tokyo" and settings.host == "status.example.com"
    assert settings.candor.stale_after == timedelta(hours=2)
    assert [c.id for c in settings.candor.components] == ["api", "web", "db"]


def test_defaults_for_a_bare_plugin_entry(tmp_path: Path) -> None:
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: S\nsite_url: https://s.example/status\ntheme:\n  name: material\n"
        "  language: ja\nplugins:\n  - candor\n",
        encoding="utf-8",
    )
    settings = load_settings(tmp_path / "mkdocs.yml")
    c = settings.candor
    assert (c.timezone, c.uptime_days, c.feed_entries) == ("UTC", 90, 50)
    assert c.stale_after == timedelta(minutes=60) and c.postmortem_within == timedelta(hours=24)
    assert c.postmortem_required_for == ["major", "critical"]
    assert settings.site_url == "https://s.example/status/" and settings.language == "ja"


def test_mkdocs_python_tags_elsewhere_are_accepted(tmp_path: Path) -> None:
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: S\nsite_url: https://s.example/\nmarkdown_extensions:\n  - pymdownx.emoji:\n"
        "      emoji_index: !!python/name:material.extensions.emoji.twemoji\nplugins:\n"
        "  candor:\n    timezone: UTC\n",
        encoding="utf-8",
    )
    assert load_settings(tmp_path / "mkdocs.yml").candor.timezone == "UTC"


@pytest.mark.parametrize(
    ("section", "where", "rule", "hint"),
    [
        (
            "      timezon: UTC\n",
            "6:7",
            "unknown-key",
            "did you mean `timezone`? Allowed here: incidents_dir, templates_dir, timezone, "
            "uptime_days, feed_entries, stale_after, postmortem_within, postmortem_required_for, "
            "first_update_within, ignore, components, notify, remind_before, labels.",
        ),
        (
            "      timezone: Europe/Berln\n",
            "6:17",
            "invalid-value",
            "did you mean `Europe/Berlin`? Use a name such as UTC, Europe/Berlin or Asia/Tokyo.",
        ),
        (
            "      stale_after: 1 hour\n",
            "6:20",
            "invalid-value",
            "write a whole number of minutes or hours, e.g. 30m or 2h",
        ),
        (
            "      postmortem_within: 0h\n",
            "6:26",
            "invalid-value",
            "a duration must be positive; write a whole number of minutes or hours, e.g. 30m or 2h",
        ),
        (
            "      postmortem_required_for: [major, severe]\n",
            "6:40",
            "invalid-value",
            "Allowed: none, minor, major, critical.",
        ),
        ("      uptime_days: lots\n", "6:20", "invalid-value", "check the value"),
        (
            "      components:\n        - id: api\n          name: A\n"
            "        - id: api\n          name: B\n",
            "9:15",
            "duplicate-component",
            "give every component its own id; pages and API URLs are built from it",
        ),
        (
            "      components:\n        - id: Public API\n          name: A\n",
            "7:15",
            "invalid-value",
            "use lower-case letters, digits and hyphens, e.g. `public-api`",
        ),
        (
            "      components:\n        - id: api\n",
            "7:11",
            "missing-field",
            "add `name:` to this mapping",
        ),
        (
            "      components:\n        - id: api\n          name: A\n          grup: Core\n",
            "9:11",
            "unknown-key",
            "did you mean `group`? Allowed here: id, name, description, group.",
        ),
    ],
    ids=[
        "unknown-key",
        "timezone",
        "duration",
        "zero-duration",
        "impact-list",
        "integer",
        "duplicate-component",
        "component-id",
        "component-name",
        "component-key",
    ],
)
def test_candor_section_errors(
    tmp_path: Path, section: str, where: str, rule: str, hint: str
) -> None:
    assert problems(tmp_path, HEAD + section) == [(f"mkdocs.yml:{where}", rule, hint)]


def test_several_section_errors_are_reported_together(tmp_path: Path) -> None:
    text = HEAD + "      timezon: UTC\n      stale_after: soon\n"
    assert [p[:2] for p in problems(tmp_path, text)] == [
        ("mkdocs.yml:6:7", "unknown-key"),
        ("mkdocs.yml:7:20", "invalid-value"),
    ]


@pytest.mark.parametrize(
    ("text", "where", "rule", "hint"),
    [
        (
            "site_name: S\nplugins:\n  - candor\n",
            "mkdocs.yml:1:1",
            "config",
            "add `site_url: https://status.example.com/` to mkdocs.yml",
        ),
        (
            "site_name: S\nsite_url: ''\nplugins:\n  - candor\n",
            "mkdocs.yml:2:1",
            "config",
            "add `site_url: https://status.example.com/` to mkdocs.yml",
        ),
        (
            "site_name: S\nsite_url: /status/\nplugins:\n  - candor\n",
            "mkdocs.yml:2:11",
            "config",
            "write it in full, e.g. `https://status.example.com/`",
        ),
        (
            "site_name: S\nsite_url: status.example.com\nplugins:\n  - candor\n",
            "mkdocs.yml:2:11",
            "config",
            "write it in full, e.g. `https://status.example.com/`",
        ),
        (
            "site_name: S\nsite_url: https://s.example/\nplugins:\n  - search\n",
            "mkdocs.yml:3:1",
            "config",
            "add `- candor` (with its settings) under `plugins:` in mkdocs.yml",
        ),
        (
            "site_name: S\nsite_url: https://s.example/\nplugins:\n  - candor: [a]\n",
            "mkdocs.yml:4:13",
            "config",
            "indent the settings under `- candor:`, e.g. `timezone: UTC`",
        ),
        ("- a\n", "mkdocs.yml:1:1", "config", "start with `site_name:`"),
        (
            "site_name: [\n",
            "mkdocs.yml:2:1",
            "yaml-syntax",
            "check quotes, colons and indentation on this line",
        ),
        (
            "site_name: S\nsite_name: T\n",
            "mkdocs.yml:2:1",
            "duplicate-key",
            "keep one of them: YAML would silently use only the last",
        ),
    ],
    ids=[
        "no-site-url",
        "empty-site-url",
        "relative-site-url",
        "no-scheme",
        "no-plugin",
        "section-list",
        "not-mapping",
        "syntax",
        "duplicate-key",
    ],
)
def test_file_level_config_errors(
    tmp_path: Path, text: str, where: str, rule: str, hint: str
) -> None:
    assert problems(tmp_path, text) == [(where, rule, hint)]


def test_a_colon_in_a_config_value_gets_a_hint_for_that_value(tmp_path: Path) -> None:
    text = "site_name: Acme: Status\nsite_url: https://status.acme.io/\n"
    assert problems(tmp_path, text) == [
        (
            "mkdocs.yml:1:16",
            "yaml-syntax",
            "a value contains ': '; put it in quotes: `site_name: 'Acme: Status'`",
        )
    ]


@pytest.mark.parametrize(
    ("written", "said"),
    [
        ("ignore: stale", "a list of rule ids, e.g. `[spelling]`"),
        ("remind_before: 1h", "a list of durations, e.g. `[24h, 1h]`"),
        ("postmortem_required_for: major", "a list of impacts, e.g. `[major, critical]`"),
        ("components: api", "a list of components, each `- id: …` with its `name:`"),
    ],
)
def test_a_list_setting_given_one_value_says_what_its_list_holds(
    tmp_path: Path, written: str, said: str
) -> None:
    (tmp_path / "mkdocs.yml").write_text(HEAD + f"      {written}\n", encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_settings(tmp_path / "mkdocs.yml")
    messages = [p.message for p in info.value.problems if p.rule == "invalid-value"]
    value = written.split(": ")[1]
    assert messages == [f"`{written.split(':')[0]}` is `{value}`; it must be {said}"]


def test_missing_config_file_has_no_line(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as info:
        load_settings(tmp_path / "mkdocs.yml")
    (problem,) = info.value.problems
    assert problem.line is None and "no config file at" in problem.message
    assert problem.hint == "run Candor in the folder that holds mkdocs.yml, or pass --config PATH"


def test_site_url_and_section_errors_are_reported_together(tmp_path: Path) -> None:
    text = "site_name: S\nplugins:\n  - candor:\n      timezon: UTC\n"
    assert [p[:2] for p in problems(tmp_path, text)] == [
        ("mkdocs.yml:1:1", "config"),
        ("mkdocs.yml:4:7", "unknown-key"),
    ]


def test_config_defaults_and_lookup() -> None:
    config = CandorConfig.model_validate({"components": [{"id": "api", "name": "API"}]})
    assert config.tz.key == "UTC" and config.uptime_days == 90
    assert config.component("api") is not None and config.component("web") is None
    with pytest.raises(ValidationError, match="is used twice"):
        CandorConfig.model_validate(
            {"components": [{"id": "a", "name": "A"}, {"id": "a", "name": "B"}]}
        )
    with pytest.raises(ValidationError, match="not an IANA time zone"):
        CandorConfig.model_validate({"timezone": "Nowhere/City"})


@pytest.mark.parametrize(
    ("url", "wrong"),
    [
        ('https://status.example.com/"><img src=x onerror=alert(1)>', '`"` does not belong'),
        ("https://status.example.com/'onmouseover='alert(1)", "`'` does not belong"),
        ("https://status.example.com/<script>", "`<` does not belong"),
        ("https://status.example.com/a b/", "` ` does not belong"),
        ("https://status.example.com/a\\b/", "`\\` does not belong"),
        ("https://status.example.com/a&b/", "`&` does not belong"),
        ("https://status.example.com/%zz/", "must start an escape"),
        ("https://user:secret@status.example.com/", "user name or password"),
        ("https://status.example.com/?utm=1", "query"),
        ("https://status.example.com/#top", "fragment"),
        ("https://status.example.com:0/", "port"),
        ("https://status.example.com:99999/", "port"),
        ("https://bad_host!.example.com/", "its host"),
        ("https://bücher.example/", "xn--"),
        ("javascript:alert(1)//", "absolute http(s) URL"),
        ("ftp://status.example.com/", "absolute http(s) URL"),
    ],
)
def test_a_site_url_that_is_not_a_plain_address_is_a_config_error(
    tmp_path: Path, url: str, wrong: str
) -> None:
    text = f"site_name: S\nsite_url: {json.dumps(url)}\nplugins:\n  - candor\n"
    (tmp_path / "mkdocs.yml").write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_settings(tmp_path / "mkdocs.yml")
    (problem,) = caught.value.problems
    assert (problem.file, problem.line, problem.column, problem.rule) == (
        "mkdocs.yml",
        2,
        11,
        "config",
    )
    assert problem.message.startswith(f"`site_url` is `{url}`; ") and wrong in problem.message


@pytest.mark.parametrize(
    "url",
    [
        "https://status.example.com/",
        "https://status.example.com",
        "http://127.0.0.1:8000/",
        "https://[2001:db8::1]:8443/status/",
        "https://owner.github.io/repo-name/",
        "https://xn--bcher-kva.example/a%20b/~x/(1)/",
        "HTTPS://Status.Example.COM/",
    ],
)
def test_a_plain_site_url_is_fine(tmp_path: Path, url: str) -> None:
    text = f"site_name: S\nsite_url: {json.dumps(url)}\nplugins:\n  - candor\n"
    (tmp_path / "mkdocs.yml").write_text(text, encoding="utf-8")
    assert load_settings(tmp_path / "mkdocs.yml").site_url == url.rstrip("/") + "/"


THEMED = (
    "site_name: S\nsite_url: https://status.example.com\n"
    "theme:\n  name: material\n  language: {language}\n{custom}"
    "plugins:\n  - candor:\n      components: [{{id: api, name: API}}]\n"
)


@pytest.mark.parametrize(
    ("language", "close"), [("zz", None), ("en_GB", "en"), ("EN", "en"), ("pt_br", "pt-BR")]
)
def test_a_theme_language_mkdocs_material_cannot_build_is_a_config_error(
    tmp_path: Path, language: str, close: str | None
) -> None:
    found = problems(tmp_path, THEMED.format(language=language, custom=""))
    assert [p[:2] for p in found] == [("mkdocs.yml:5:13", "config")]
    hint = found[0][2]
    assert hint.startswith(f"did you mean `{close}`? " if close else "Candor's own words")
    assert "Candor's own words come in en and ja" in hint
    known = hint.split("mkdocs-material knows: ")[1].rstrip(".").split(", ")
    assert {"en", "ja", "fr", "pt-BR", "zh-TW"} <= set(known) and language not in known


@pytest.mark.parametrize("language", ["en", "ja", "fr", "pt-BR"])
def test_a_theme_language_mkdocs_material_knows_is_fine(tmp_path: Path, language: str) -> None:
    (tmp_path / "incidents").mkdir(exist_ok=True)
    (tmp_path / "mkdocs.yml").write_text(THEMED.format(language=language, custom=""), "utf-8")
    settings = load_settings(tmp_path / "mkdocs.yml")
    assert settings.language == (language if language in ("en", "ja") else "en")


def test_a_language_of_the_sites_own_theme_folder_is_fine(tmp_path: Path) -> None:
    (tmp_path / "overrides" / "partials" / "languages").mkdir(parents=True)
    (tmp_path / "overrides" / "partials" / "languages" / "zz.html").write_text("", "utf-8")
    text = THEMED.format(language="zz", custom="  custom_dir: overrides\n")
    (tmp_path / "mkdocs.yml").write_text(text, "utf-8")
    assert load_settings(tmp_path / "mkdocs.yml").language == "en"


def test_a_control_character_in_the_config_is_an_error_at_its_escape(tmp_path: Path) -> None:
    """SPEC §4: control characters in any text, written as a YAML escape, are a
    `control-character` error at the escape; the config is checked as strictly as the files."""
    text = (
        'site_name: "Acme \\x1b[31m Status"\nsite_url: https://status.acme.io/\nplugins:\n'
        '  - candor:\n      components:\n        - {id: api, name: "API \\u0007"}\n'
    )
    (tmp_path / "mkdocs.yml").write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_settings(tmp_path / "mkdocs.yml")
    found = [(p.location(), p.rule, p.severity) for p in info.value.problems]
    assert found == [
        ("mkdocs.yml:1:18", "control-character", "error"),
        ("mkdocs.yml:6:32", "control-character", "error"),
    ]
    messages = [p.message for p in info.value.problems]
    assert "`site_name` holds the control character U+001B (ESC)" in messages[0]
    assert "`plugins[0].candor.components[0].name`" in messages[1] and "U+0007" in messages[1]


def test_a_raw_control_character_in_the_config_stands_alone(tmp_path: Path) -> None:
    text = "site_name: Acme \x01 Status\nsite_url: https://status.acme.io/\nplugins:\n  - candor\n"
    assert problems(tmp_path, text) == [
        (
            "mkdocs.yml:1:17",
            "control-character",
            "delete it: control characters (colour codes pasted from a log, a bell, a stray NUL) "
            "are not text and would reach readers' feeds and terminals",
        )
    ]
