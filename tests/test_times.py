"""Timestamps, durations and zones as SPEC §3 writes them."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.core import times
from generator.core.times import (
    format_duration_spec,
    now_from,
    parse_duration,
    parse_timestamp,
    zone,
)

BERLIN = zone("Europe/Berlin")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-11-20T09:14:00Z", datetime(2026, 11, 20, 9, 14, tzinfo=UTC)),
        ("2026-11-20T09:14Z", datetime(2026, 11, 20, 9, 14, tzinfo=UTC)),
        ("2026-11-20 09:14", datetime(2026, 11, 20, 8, 14, tzinfo=UTC)),  # CET, +01:00
        ("2026-07-20T09:14", datetime(2026, 7, 20, 7, 14, tzinfo=UTC)),  # CEST, +02:00
        ("2026-11-20t09:14:05.25z", datetime(2026, 11, 20, 9, 14, 5, 250000, tzinfo=UTC)),
        ("2026-11-20T18:14+09:00", datetime(2026, 11, 20, 9, 14, tzinfo=UTC)),
        ("2026-11-20T04:14-0500", datetime(2026, 11, 20, 9, 14, tzinfo=UTC)),
        ("  2026-11-20T09:14Z  ", datetime(2026, 11, 20, 9, 14, tzinfo=UTC)),
    ],
)
def test_parse_timestamp(text: str, expected: datetime) -> None:
    parsed = parse_timestamp(text, BERLIN)
    assert parsed == expected and parsed.tzinfo is not None


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("2026-11-20", "is not a timestamp"),
        ("20.11.2026 09:14", "is not a timestamp"),
        ("2026-02-30T09:14Z", "is not a real date and time"),
        ("2026-11-20T24:00Z", "is not a real date and time"),
        ("2026-11-20T09:14+24:00", "impossible UTC offset"),
        ("2026-03-29T02:30", "does not exist in Europe/Berlin (clocks go forward)"),
        ("2026-10-25T02:30", "happens twice in Europe/Berlin (clocks go back)"),
    ],
)
def test_bad_timestamps(text: str, words: str) -> None:
    with pytest.raises(ValueError, match=words.replace("(", r"\(").replace(")", r"\)")):
        parse_timestamp(text, BERLIN)


def test_dst_edges_are_exact() -> None:
    # The last minute before the gap and the first after it exist; so do both sides of the
    # repeated hour when the offset is given.
    assert parse_timestamp("2026-03-29T01:59", BERLIN) == datetime(2026, 3, 29, 0, 59, tzinfo=UTC)
    assert parse_timestamp("2026-03-29T03:00", BERLIN) == datetime(2026, 3, 29, 1, 0, tzinfo=UTC)
    first = parse_timestamp("2026-10-25T02:30+02:00", BERLIN)
    second = parse_timestamp("2026-10-25T02:30+01:00", BERLIN)
    assert second - first == timedelta(hours=1)


def test_durations_across_a_dst_change_are_absolute() -> None:
    before = parse_timestamp("2026-10-25T01:30", BERLIN)  # CEST
    after = parse_timestamp("2026-10-25T03:30", BERLIN)  # CET
    assert after - before == timedelta(hours=3)


def test_naive_times_in_utc_zone_never_fail() -> None:
    assert parse_timestamp("2026-03-29T02:30", zone("UTC")).hour == 2


@pytest.mark.parametrize(
    ("text", "expected"),
    [("30m", timedelta(minutes=30)), ("2h", timedelta(hours=2)), (" 90M ", timedelta(minutes=90))],
)
def test_parse_duration(text: str, expected: timedelta) -> None:
    assert parse_duration(text) == expected


@pytest.mark.parametrize("text", ["30", "1.5h", "30 minutes", "1d", "-5m", "", "m"])
def test_bad_durations(text: str) -> None:
    with pytest.raises(ValueError, match="is not a duration"):
        parse_duration(text)


def test_zero_duration() -> None:
    with pytest.raises(ValueError, match="a duration must be positive"):
        parse_duration("0m")


def test_format_duration_spec_round_trips() -> None:
    for spec in ("30m", "2h", "90m", "1h"):
        assert format_duration_spec(parse_duration(spec)) == spec


@pytest.mark.parametrize("name", ["Mars/Olympus", "", " UTC", "../etc/passwd", "/etc/localtime"])
def test_bad_zone_names(name: str) -> None:
    with pytest.raises(ValueError, match="is not an IANA time zone name"):
        zone(name)


def test_now_from_value_and_clock() -> None:
    assert now_from("2026-11-20T09:14Z", BERLIN) == datetime(2026, 11, 20, 9, 14, tzinfo=UTC)
    clock = now_from(None, BERLIN)
    assert clock.microsecond == 0 and clock.utcoffset() == timedelta(0)
    assert abs(datetime.now(UTC) - clock) < timedelta(minutes=5)
    assert now_from("2026-11-20T10:14+01:00", BERLIN).tzinfo == timezone(timedelta(hours=1))


# The shortcut for `…T09:14:00Z` and `…T09:14Z` gives what the general pattern gives: the same
# moment, or the same error message.
_DIGITS = st.text(alphabet="0123456789", min_size=2, max_size=2)


def _outcome(text: str) -> object:
    try:
        moment = parse_timestamp(text, BERLIN)
    except ValueError as exc:
        return str(exc)
    return (moment, moment.tzinfo)


@settings(max_examples=300, deadline=None)
@given(
    st.text(alphabet="0123456789", min_size=4, max_size=4),
    st.lists(_DIGITS, min_size=5, max_size=5),
    st.sampled_from([":00Z", "Z", ":60Z", ":5Z", "z", ":00+00:00"]),
)
def test_plain_utc_shortcut_agrees_with_the_pattern(year: str, parts: list[str], tail: str) -> None:
    month, day, hour, minute, second = parts
    tail = tail.replace("00", second, 1)
    text = f"{year}-{month}-{day}T{hour}:{minute}{tail}"
    fast = _outcome(text)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(times, "_PLAIN_UTC", re.compile(r"(?!)"))
        assert _outcome(text) == fast


@settings(max_examples=200, deadline=None)
@given(
    st.datetimes(min_value=datetime(1970, 1, 1), max_value=datetime(9999, 12, 29)), st.booleans()
)
def test_plain_utc_shortcut_reads_real_moments(moment: datetime, seconds: bool) -> None:
    text = moment.strftime("%Y-%m-%dT%H:%M" + (":%S" if seconds else "")) + "Z"
    fast = _outcome(text)
    assert fast == (moment.replace(microsecond=0, second=moment.second * seconds, tzinfo=UTC), UTC)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(times, "_PLAIN_UTC", re.compile(r"(?!)"))
        assert _outcome(text) == fast
