"""maintenance.ics: one event per maintenance, stable UID, window in UTC, CRLF lines."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from artifact_sites import COMPLETED, HOSTILE_MARKERS, STANDARD, UPCOMING, build
from icalendar import Calendar


def events(data: bytes) -> dict[str, object]:
    calendar = Calendar.from_ical(data)
    return {str(e["UID"]): e for e in calendar.walk("VEVENT")}


def test_one_event_per_maintenance_with_uid_window_and_link(tmp_path: Path) -> None:
    _, _, out = build(tmp_path, STANDARD, timezone="Europe/Berlin")
    data = out["maintenance.ics"]
    found = events(data)
    assert sorted(found) == [
        "2026-11-03-website-host-move@status.example.com",
        "2026-11-25-database-upgrade@status.example.com",
    ]
    done = found["2026-11-03-website-host-move@status.example.com"]
    assert done["DTSTART"].dt == datetime(2026, 11, 10, 1, 0, tzinfo=UTC)
    assert done["DTEND"].dt == datetime(2026, 11, 10, 2, 0, tzinfo=UTC)
    assert done["DTSTAMP"].dt == datetime(2026, 11, 10, 1, 40, tzinfo=UTC)
    assert done["SEQUENCE"] == 2
    assert str(done["STATUS"]) == "CONFIRMED"
    assert str(done["SUMMARY"]) == "Website host move"
    assert str(done["URL"]) == "https://status.example.com/incidents/2026-11-03-website-host-move/"
    assert str(done["DESCRIPTION"]).startswith("Completed: The move is complete.")
    assert "We will move the website to new hosts." in str(done["DESCRIPTION"])
    upcoming = found["2026-11-25-database-upgrade@status.example.com"]
    assert upcoming["SEQUENCE"] == 0
    assert str(upcoming["DESCRIPTION"]).startswith("Scheduled: We will upgrade the database.")
    assert b"DTSTART:20261205T010000Z\r\n" in data
    assert b"BEGIN:VEVENT" in data and b"PRODID:" in data


def test_every_line_ends_with_crlf(tmp_path: Path) -> None:
    data = build(tmp_path, STANDARD)[2]["maintenance.ics"]
    assert data.endswith(b"\r\n")
    assert data.count(b"\n") == data.count(b"\r\n")
    assert all(len(line) <= 75 for line in data.split(b"\r\n"))


def test_uid_stays_and_sequence_grows_when_an_update_is_added(tmp_path: Path) -> None:
    before = events(build(tmp_path / "a", {"m.yaml": UPCOMING})[2]["maintenance.ics"])
    moved = UPCOMING.replace("2026-12-05T01:00", "2026-12-06T01:00").replace(
        "2026-12-05T03:00", "2026-12-06T03:00"
    ) + (
        "  - at: 2026-11-28T10:00:00Z\n    status: scheduled\n"
        "    message: We moved the window by one day.\n"
    )
    after = events(build(tmp_path / "b", {"m.yaml": moved})[2]["maintenance.ics"])
    assert list(before) == list(after) == ["m@status.example.com"]
    old, new = before["m@status.example.com"], after["m@status.example.com"]
    assert (old["SEQUENCE"], new["SEQUENCE"]) == (0, 1)
    assert new["DTSTART"].dt == datetime(2026, 12, 6, 1, 0, tzinfo=UTC)
    assert new["DTSTAMP"].dt == datetime(2026, 11, 28, 10, 0, tzinfo=UTC)


def test_no_maintenance_gives_an_empty_valid_calendar(tmp_path: Path) -> None:
    data = build(tmp_path, {})[2]["maintenance.ics"]
    assert events(data) == {}
    assert data.startswith(b"BEGIN:VCALENDAR\r\n")


def test_hostile_text_is_plain_in_the_calendar(tmp_path: Path) -> None:
    hostile = COMPLETED.replace(
        "title: Website host move", 'title: "<script>alert(1)</script>Move"'
    ).replace("The move is complete.", "Done <img src=x onerror=alert(2)> [x](javascript:alert(3))")
    data = build(tmp_path, {"m.yaml": hostile})[2]["maintenance.ics"]
    (event,) = events(data).values()
    assert str(event["SUMMARY"]) == "<script>alert(1)</script>Move"  # a title: literal
    description = str(event["DESCRIPTION"]).lower()
    assert all(marker not in description for marker in HOSTILE_MARKERS)
    assert description.startswith("completed: done x\n\n")
