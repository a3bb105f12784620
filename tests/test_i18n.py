import re
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from candor_sites import make_site

from generator.core.config import Settings, load_settings
from generator.outputs.i18n import (
    format_date,
    format_datetime,
    format_duration,
    labels,
    override_problems,
)
from generator.outputs.words import CATALOGS

BERLIN = ZoneInfo("Europe/Berlin")


def test_catalogs_are_complete_in_both_languages() -> None:
    assert set(CATALOGS["en"]) == set(CATALOGS["ja"])
    assert all(text.strip() for text in CATALOGS["ja"].values())


@pytest.mark.parametrize(
    ("minutes", "en", "ja"),
    [
        (137, "2 h 17 min", "2時間17分"),
        (45, "45 min", "45分"),
        (120, "2 h", "2時間"),
        (0, "0 min", "0分"),
        (23 * 60 + 59, "23 h 59 min", "23時間59分"),
        (24 * 60, "1 d", "1日"),
        (24 * 60 + 59, "1 d", "1日"),
        (3 * 24 * 60 + 4 * 60 + 30, "3 d 4 h", "3日4時間"),
        (505 * 60 + 6, "21 d 1 h", "21日1時間"),
    ],
)
def test_durations(minutes: int, en: str, ja: str) -> None:
    assert format_duration(timedelta(minutes=minutes)) == en
    assert format_duration(timedelta(minutes=minutes), "ja") == ja


def test_duration_rounds_down_to_whole_minutes() -> None:
    assert format_duration(timedelta(minutes=137, seconds=59)) == "2 h 17 min"


def test_datetime_in_zone_with_utc() -> None:
    moment = datetime(2026, 11, 20, 9, 14, tzinfo=UTC)
    assert format_datetime(moment, BERLIN) == "20 Nov 2026, 10:14 CET (09:14 UTC)"
    assert format_datetime(moment, BERLIN, "ja") == "2026年11月20日 10:14 CET（09:14 UTC）"


def test_datetime_in_utc_is_not_repeated() -> None:
    moment = datetime(2026, 11, 20, 9, 14, tzinfo=UTC)
    assert format_datetime(moment, ZoneInfo("UTC")) == "20 Nov 2026, 09:14 UTC"


def test_utc_part_names_its_day_when_it_differs() -> None:
    moment = datetime(2026, 11, 20, 23, 30, tzinfo=UTC)
    assert (
        format_datetime(moment, ZoneInfo("Asia/Tokyo"))
        == "21 Nov 2026, 08:30 JST (20 Nov 23:30 UTC)"
    )


def test_summer_time_zone_name() -> None:
    moment = datetime(2026, 7, 1, 12, 0, tzinfo=UTC)
    assert "14:00 CEST (12:00 UTC)" in format_datetime(moment, BERLIN)


def test_labels_in_japanese() -> None:
    ja = labels("ja", BERLIN)
    assert ja.t("section.apology") == "お詫び"
    assert ja.t("indicator.none") != CATALOGS["en"]["indicator.none"]
    assert ja.t("action.count", done=3, total=5) == "5件中3件完了"
    assert format_date(date(2026, 11, 20), "ja") == "2026年11月20日"
    assert ja.month(datetime(2026, 11, 30, 23, 30, tzinfo=UTC)) == "2026年12月"


def test_unknown_language_falls_back_to_english() -> None:
    assert labels("fr", BERLIN).t("status.resolved") == "Resolved"


def test_percent_never_rounds_up_to_perfect() -> None:
    assert labels("en", BERLIN).percent(0.99999) == "99.99%"
    assert labels("en", BERLIN).percent(1.0) == "100.00%"


def test_every_language_the_config_accepts_has_a_catalogue_with_every_key() -> None:
    from generator.core.config import LANGUAGES

    assert set(CATALOGS) == set(LANGUAGES)
    for language in LANGUAGES:
        assert set(CATALOGS[language]) == set(CATALOGS["en"]), language


def test_japanese_labels_use_full_width_punctuation() -> None:
    """One style: full-width parentheses and colons, and no space between Japanese and Latin
    letters or digits (a colon between digits, as in 21:00, is part of a time)."""
    cjk = "[\u3000-\u30ff\u4e00-\u9fff\uff01-\uff5e]"
    for key, text in CATALOGS["ja"].items():
        if key.startswith(("feed.", "calendar.")):
            continue  # feed and calendar titles join the site's name with a dash
        assert not re.search(r"[()]", text), (key, text)
        assert not re.search(r"(?<!\d):|:(?!\d)", text), (key, text)
        assert not re.search(rf"{cjk} [A-Za-z0-9{{]|[A-Za-z0-9}}] {cjk}", text), (key, text)


def test_overrides_replace_the_catalogue_key_by_key() -> None:
    words = labels("en", BERLIN, {"home.subscribe": "Follow us", "next_update": "Next: {time}"})
    assert words.t("home.subscribe") == "Follow us"
    assert words.t("next_update", time="10:00") == "Next: 10:00"
    assert words.t("home.components") == "Components"


def override_site(tmp_path: Path, overrides: str) -> Settings:
    path = make_site(tmp_path, {})
    text = path.read_text(encoding="utf-8").replace(
        "    timezone: UTC\n", "    timezone: UTC\n    labels:\n" + overrides
    )
    path.write_text(text, encoding="utf-8")
    return load_settings(path)


def test_override_problems_name_the_key_and_place(tmp_path: Path) -> None:
    settings = override_site(
        tmp_path,
        "      home.subscrbe: Follow us\n"
        "      next_update: 'Next by {tme}'\n"
        "      posted: 'Posted {'\n"
        "      home.components: Services\n",
    )
    assert settings.candor.labels["home.components"] == "Services"
    found = override_problems(settings)
    assert [(p.file, p.rule) for p in found] == [("mkdocs.yml", "config")] * 3
    unknown, field, brace = found
    assert "`labels.home.subscrbe` is not one of the site's labels" in unknown.message
    assert "did you mean `home.subscribe`?" in (unknown.hint or "")
    assert "{tme}" in field.message and "{time}" in (field.hint or "")
    assert "stray" in brace.message
    lines = settings.config_path.read_text().splitlines()
    assert [lines[p.line - 1].strip().split(":")[0] for p in found if p.line] == [
        "home.subscrbe",
        "next_update",
        "posted",
    ]


def test_no_override_problems_for_usable_labels(tmp_path: Path) -> None:
    settings = override_site(tmp_path, "      next_update: 'Next update by {time}, promised'\n")
    assert override_problems(settings) == []
