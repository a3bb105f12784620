"""The site's words looked up for one language and zone, and how dates, times, durations and
percentages are written; the words themselves are the catalogue in `words`.

Labels are looked up by key; a missing key is a bug, so `Labels.t` raises instead of showing
the key to a customer. Times are shown in the configured zone with UTC beside them, because
readers of a status page are spread over the world."""

from __future__ import annotations

import datetime as dt
import difflib
import string
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from functools import cached_property
from zoneinfo import ZoneInfo

from generator.core import times
from generator.core.config import Settings, candor_section
from generator.core.errors import Problem
from generator.core.source import SourceError, compose
from generator.outputs.words import CATALOGS, MONTHS_EN, MONTHS_EN_LONG


def label(language: str, key: str, **values: object) -> str:
    """One label where no time zone is involved (feeds, API, calendar)."""
    text = CATALOGS[language if language in CATALOGS else "en"][key]
    return text.format(**values) if values else text


@dataclass(frozen=True)
class Labels:
    """The labels and formats of one language, in one time zone, with the site's own words
    (`candor: labels:` in mkdocs.yml) in place of the catalogue's."""

    language: str
    tz: ZoneInfo
    overrides: Mapping[str, str] = field(default_factory=dict, hash=False)

    def t(self, key: str, **values: object) -> str:
        text = self.words[key]
        return text.format(**values) if values else text

    @cached_property
    def words(self) -> Mapping[str, str]:
        """Every label without values: the site's own where it gives one, else the
        catalogue's. Templates look a label up in it (`words["updates"]`), cheaper than
        calling `t` a hundred times a page."""
        return {**CATALOGS[self.language], **{k: v for k, v in self.overrides.items() if v}}

    def datetime(self, moment: dt.datetime) -> str:
        return format_datetime(moment, self.tz, self.language)

    def datetime_parts(self, moment: dt.datetime) -> tuple[str, str | None]:
        """The local time, and UTC in parentheses (None in a UTC site), for pages that keep
        each part on one line."""
        return datetime_parts(moment, self.tz, self.language)

    def date(self, day: dt.date) -> str:
        return format_date(day, self.language)

    def day(self, moment: dt.datetime) -> str:
        return format_date(moment.astimezone(self.tz).date(), self.language)

    def month(self, moment: dt.datetime) -> str:
        local = moment.astimezone(self.tz)
        if self.language == "ja":
            return f"{local.year}年{local.month}月"
        return f"{MONTHS_EN_LONG[local.month - 1]} {local.year}"

    def duration(self, delta: dt.timedelta) -> str:
        return format_duration(delta, self.language)

    def percent(self, fraction: float) -> str:
        return format_percent(fraction)

    def share(self, fraction: float) -> str:
        return format_share(fraction)


def labels(language: str, tz: ZoneInfo, overrides: Mapping[str, str] | None = None) -> Labels:
    return Labels(language if language in CATALOGS else "en", tz, dict(overrides or {}))


def fields(text: str) -> set[str]:
    """The `{placeholders}` of a label (ValueError for stray braces)."""
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def override_problems(settings: Settings) -> list[Problem]:
    """`candor: labels:` entries the pages could not use: an unknown key, or a placeholder
    the label does not have. `candor check` reports them; the build refuses them."""
    overrides = settings.candor.labels
    if not overrides:
        return []
    catalog = CATALOGS[settings.language]
    try:
        data, source = compose(settings.config_path.read_text(encoding="utf-8"), allow_tags=True)
        _, prefix = candor_section(data)
    except (OSError, UnicodeDecodeError, SourceError):  # read fine moments ago: no place then
        source, prefix = None, None

    def problem(key: str, message: str, hint: str, at_value: bool = False) -> Problem:
        line = column = None
        if source is not None and prefix is not None:
            path = (*prefix, "labels", key)
            line, column = source.value_pos(path) if at_value else source.key_pos(path)
        return Problem(settings.config_path.name, line, column, "error", "config", message, hint)

    problems = []
    for key, text in overrides.items():
        if key not in catalog:
            close = difflib.get_close_matches(key, list(catalog), n=1)
            keys = "the keys are those of generator/outputs/words.py, e.g. `home.subscribe`"
            hint = f"did you mean `{close[0]}`? {keys[0].upper()}{keys[1:]}" if close else keys
            problems.append(problem(key, f"`labels.{key}` is not one of the site's labels", hint))
            continue
        allowed = fields(catalog[key])
        try:
            used = fields(text)
        except ValueError:
            problems.append(
                problem(
                    key,
                    f"`labels.{key}` has a stray `{{` or `}}`",
                    "write {{ and }} for a literal brace; placeholders look like {time}",
                    at_value=True,
                )
            )
            continue
        unknown = sorted(used - allowed)
        if unknown:
            can = ", ".join(f"{{{name}}}" for name in sorted(allowed)) or "no placeholders"
            problems.append(
                problem(
                    key,
                    f"`labels.{key}` uses {', '.join(f'{{{u}}}' for u in unknown)}, "
                    "which this label does not have",
                    f"this label can use {can}",
                    at_value=True,
                )
            )
    return problems


def format_date(day: date, language: str = "en") -> str:
    if language == "ja":
        return f"{day.year}年{day.month}月{day.day}日"
    return f"{day.day} {MONTHS_EN[day.month - 1]} {day.year}"


def format_datetime(moment: datetime, tz: ZoneInfo, language: str = "en") -> str:
    """'20 Nov 2026, 10:14 CET (09:14 UTC)'; the UTC part names its date when that differs."""
    local, utc = datetime_parts(moment, tz, language)
    if utc is None:
        return local
    return f"{local}{utc}" if language == "ja" else f"{local} {utc}"


def datetime_parts(moment: datetime, tz: ZoneInfo, language: str = "en") -> tuple[str, str | None]:
    """('20 Nov 2026, 10:14 CET', '(09:14 UTC)'); no UTC part in a UTC site."""
    local = moment.astimezone(tz)
    utc = moment.astimezone(UTC)
    zone_name = local.tzname() or tz.key
    clock = f"{local:%H:%M} {zone_name}"
    if language == "ja":
        head = f"{format_date(local.date(), 'ja')} {clock}"
    else:
        head = f"{format_date(local.date())}, {clock}"
    if local.utcoffset() == timedelta(0) and zone_name == "UTC":
        return head, None
    utc_text = f"{utc:%H:%M} UTC"
    if utc.date() != local.date():
        short = (
            f"{utc.month}月{utc.day}日"
            if language == "ja"
            else f"{utc.day} {MONTHS_EN[utc.month - 1]}"
        )
        utc_text = f"{short} {utc_text}"
    return head, f"（{utc_text}）" if language == "ja" else f"({utc_text})"


def format_duration(delta: timedelta, language: str = "en") -> str:
    """'2 h 17 min', '45 min', '3 d 4 h' / '2時間17分', '45分', '3日4時間'."""
    if language != "ja":
        return times.format_duration(delta)
    days, hours, minutes = times.duration_parts(delta)
    if days:
        return f"{days}日{hours}時間" if hours else f"{days}日"
    if hours and minutes:
        return f"{hours}時間{minutes}分"
    return f"{hours}時間" if hours else f"{minutes}分"


def format_share(fraction: float) -> str:
    """A share in whole percent, rounded down: 10 of 12 is 83%, never a kinder 84%."""
    return f"{int(fraction * 100 + 1e-9)}%"


def format_percent(fraction: float) -> str:
    """Uptime with two decimals, never rounded up to a perfect 100% that was not."""
    hundredths = int(fraction * 10000 + 1e-9)
    return f"{hundredths // 100}.{hundredths % 100:02d}%"
