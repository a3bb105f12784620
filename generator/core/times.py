"""Timestamps, durations and time zones, read the forgiving way an on-call engineer types them."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

_TIMESTAMP = re.compile(
    r"""^\s*(?P<y>\d{4})-(?P<mo>\d{2})-(?P<d>\d{2})[Tt ]
        (?P<h>\d{2}):(?P<mi>\d{2})(?::(?P<s>\d{2})(?:\.(?P<f>\d{1,6}))?)?
        \s*(?P<tz>[Zz]|[+-]\d{2}:?\d{2})?\s*$""",
    re.VERBOSE,
)
_PLAIN_UTC = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d(?::\d\d)?Z", re.ASCII)
# `--at 03:35`: a time of day, today in the site's zone.
CLOCK_TIME = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*$")
_DURATION = re.compile(r"^\s*(?P<n>\d+)\s*(?P<unit>[mh])\s*$", re.IGNORECASE)

# The moments and durations Candor works with (SPEC §4): every sum it makes (an update's time
# plus its `next_update`, a resolution plus `postmortem_within`) stays inside what a date can
# hold, and no calendar, feed or page meets a year before 1970 or after 9999. The last two
# days of 9999 are left out: a moment is also shown in the site's zone (up to 14 hours
# ahead) and its day ends at the next midnight, both of which would be in year 10000.
EARLIEST = datetime(1970, 1, 1, tzinfo=UTC)
LATEST = datetime(9999, 12, 30, tzinfo=UTC)
MAX_DURATION = timedelta(days=366)
# Two moments (None: no bound) strictly between which something stays the same.
Span = tuple[datetime | None, datetime | None]
RANGE = "outside 1970-01-01 to 9999-12-30 (UTC), the moments Candor handles"

TIMESTAMP_FORMAT_HINT = "write it as YYYY-MM-DDTHH:MM[:SS][Z|±HH:MM], e.g. 2026-11-20T09:14:00Z"
DURATION_HINT = "write a whole number of minutes or hours, e.g. 30m or 2h"


def zone(name: str) -> ZoneInfo:
    """The IANA zone `name`; ValueError with a readable message when there is none."""
    try:
        if not name or name != name.strip() or name.startswith(("/", ".")):
            raise ZoneInfoNotFoundError(name)
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise ValueError(
            f"{name!r} is not an IANA time zone name (e.g. UTC, Europe/Berlin, Asia/Tokyo)"
        ) from None


def parse_timestamp(text: str, tz: ZoneInfo) -> datetime:
    """An aware datetime; a naive time is read in `tz`, and must exist there exactly once."""
    if _PLAIN_UTC.fullmatch(text) and text[11:13] < "24":
        # The forms `candor` writes (2026-11-20T09:14:00Z, 09:14Z): a long history holds tens of
        # thousands, and the general pattern costs several times more. Same result.
        try:
            parsed = datetime.fromisoformat(text)
        except ValueError:
            pass  # not a real date: the general path says why
        else:
            return within_range(parsed, text)
    match = _TIMESTAMP.match(text)
    if not match:
        raise ValueError(f"{text!r} is not a timestamp")
    g = match.groupdict()
    try:
        naive = datetime(
            int(g["y"]),
            int(g["mo"]),
            int(g["d"]),
            int(g["h"]),
            int(g["mi"]),
            int(g["s"] or 0),
            int((g["f"] or "0").ljust(6, "0")),
        )
    except ValueError as exc:
        raise ValueError(f"{text!r} is not a real date and time ({exc})") from None
    offset = g["tz"]
    if not offset:
        return localize(naive, tz, text)
    if offset in ("Z", "z"):
        return within_range(naive.replace(tzinfo=UTC), text)
    digits = offset[1:].replace(":", "")
    hours, minutes = int(digits[:2]), int(digits[2:])
    if hours > 23 or minutes > 59:
        raise ValueError(f"{text!r} has an impossible UTC offset {offset}")
    delta = timedelta(hours=hours, minutes=minutes)
    return within_range(naive.replace(tzinfo=_fixed(-delta if offset[0] == "-" else delta)), text)


def in_range(moment: datetime) -> bool:
    """Whether an aware moment lies within the years Candor handles (EARLIEST..LATEST)."""
    try:
        return EARLIEST <= moment.astimezone(UTC) <= LATEST
    except OverflowError:  # year 1 at +01:00 is in year 0 in UTC: no datetime can hold it
        return False


def within_range(moment: datetime, shown: str) -> datetime:
    if not in_range(moment):
        raise ValueError(f"{shown!r} is {RANGE}")
    return moment


def add(moment: datetime, delta: timedelta) -> datetime | None:
    """`moment + delta`, or None when the sum is outside the years Candor handles."""
    try:
        total = moment + delta
    except OverflowError:
        return None
    return total if in_range(total) else None


def localize(naive: datetime, tz: ZoneInfo, shown: str) -> datetime:
    early, late = naive.replace(tzinfo=tz, fold=0), naive.replace(tzinfo=tz, fold=1)
    within_range(early, shown)
    within_range(late, shown)
    if early.astimezone(UTC).astimezone(tz).replace(tzinfo=None) != naive:
        raise ValueError(
            f"{shown!r} does not exist in {tz.key} (clocks go forward); add the UTC offset"
        )
    if early.utcoffset() != late.utcoffset():
        raise ValueError(
            f"{shown!r} happens twice in {tz.key} (clocks go back); add the UTC offset you mean"
        )
    # In UTC: Python subtracts two datetimes of one ZoneInfo by wall clock, which is an
    # hour off across a DST change; every caller converts to the display zone anyway.
    return early.astimezone(UTC)


def _fixed(delta: timedelta) -> timezone:
    return timezone(delta)


def parse_duration(text: str) -> timedelta:
    match = _DURATION.match(text)
    if not match:
        raise ValueError(f"{text!r} is not a duration")
    digits = match["n"].lstrip("0") or "0"
    n = int(digits) if len(digits) <= 12 else 10**12
    if n == 0:
        raise ValueError(f"{text!r} is zero; a duration must be positive")
    minutes = n if match["unit"].lower() == "m" else n * 60
    if minutes > MAX_DURATION.total_seconds() // 60:
        raise ValueError(f"{text!r} is longer than 366 days, the longest duration Candor takes")
    return timedelta(minutes=minutes)


def duration_parts(delta: timedelta) -> tuple[int, int, int]:
    """(days, hours, minutes) of a duration as people read it: whole minutes, rounded down;
    from a day on, whole hours (the minutes of a three-day outage are noise)."""
    minutes = max(0, int(abs(delta).total_seconds()) // 60)
    hours, minutes = divmod(minutes, 60)
    if hours < 24:
        return 0, hours, minutes
    days, hours = divmod(hours, 24)
    return days, hours, 0


def format_duration(delta: timedelta) -> str:
    """'45 min', '2 h 17 min'; a day or more '3 d 4 h' (or '3 d')."""
    days, hours, minutes = duration_parts(delta)
    if days:
        return f"{days} d {hours} h" if hours else f"{days} d"
    if hours and minutes:
        return f"{hours} h {minutes} min"
    return f"{hours} h" if hours else f"{minutes} min"


def format_local(moment: datetime, tz: ZoneInfo) -> str:
    """A moment as engineers read it in messages and the terminal: '2026-11-20 10:44 CET'."""
    local = moment.astimezone(tz)
    return f"{local:%Y-%m-%d %H:%M} {local.tzname() or tz.key}"


def format_utc(moment: datetime) -> str:
    """A moment as machines read it: '2026-11-20T09:14:00Z' (a `<time datetime>`, a webhook's
    timestamp, the notify record)."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def format_duration_spec(delta: timedelta) -> str:
    """The `Nm`/`Nh` form of a duration, as it is written in files."""
    minutes = int(delta.total_seconds() // 60)
    return f"{minutes // 60}h" if minutes % 60 == 0 else f"{minutes}m"


def now_from(value: str | None, tz: ZoneInfo) -> datetime:
    """`--now`/`CANDOR_NOW` if given, else the clock; seconds kept, microseconds dropped."""
    if value:
        return parse_timestamp(value, tz)
    return datetime.now(UTC).replace(microsecond=0)
