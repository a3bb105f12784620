"""The public communication record (generator/core/metrics.py): pinned at a fixed `--now`
with known figures, in `api/v2/summary.json` and on the home page, in English and Japanese,
and honest when there is nothing to count."""

from __future__ import annotations

import json
import re
from datetime import timedelta
from pathlib import Path

import pytest
import yaml
from candor_sites import load_site, make_site
from click.testing import CliRunner

from generator.cli import main

NOW = "2026-11-30T12:00:00Z"


def incident(
    title: str, started: str | None, updates: list[tuple[str, str, str | None]], extra: str = ""
) -> str:
    lines = [f"title: {title}", "impact: major", "components: [api]"]
    if started:
        lines.append(f"started_at: {started}")
    lines.append("updates:")
    for at, status, promise in updates:
        lines += [f"  - at: {at}", f"    status: {status}", "    message: Checkout fails."]
        lines += [f"    next_update: {promise}"] if promise else []
    return "\n".join(lines) + "\n" + extra


def postmortem(published: str) -> str:
    return (
        f"postmortem:\n  published_at: {published}\n  apology: We are sorry.\n"
        "  what_happened: It broke.\n  why: A bug.\n  what_we_did: We fixed it.\n"
        "  impact: Checkout failed.\n  prevention: We test this case now.\n"
    )


# Incidents that began in the 90 days before NOW: first updates after 5, 20 and 45 minutes
# (median 20 min); promises kept, missed, kept, and one overdue on the open incident (2 of
# 4); postmortems 22 h and 3 h after resolution (median 12 h 30 min). One incident from
# before the window and a maintenance in it do not count.
FILES = {
    "2026-11-01-a.yaml": incident(
        "A",
        "2026-11-01T10:00:00Z",
        [
            ("2026-11-01T10:05:00Z", "investigating", "30m"),
            ("2026-11-01T10:30:00Z", "identified", "30m"),  # kept (due 10:35)
            ("2026-11-01T11:10:00Z", "resolved", None),  # missed (due 11:00)
        ],
        postmortem("2026-11-02T09:10:00Z"),
    ),
    "2026-11-10-b.yaml": incident(
        "B",
        "2026-11-10T08:00:00Z",
        [
            ("2026-11-10T08:20:00Z", "investigating", "1h"),
            ("2026-11-10T09:00:00Z", "resolved", None),  # kept (due 09:20)
        ],
        postmortem("2026-11-10T12:00:00Z"),
    ),
    "2026-11-30-c.yaml": incident(
        "C",
        "2026-11-30T10:00:00Z",
        [("2026-11-30T10:45:00Z", "investigating", "30m")],  # overdue since 11:15
    ),
    "2026-08-01-old.yaml": incident(
        "Old", None, [("2026-08-01T10:00:00Z", "resolved", None)], postmortem("2026-08-02T10:00Z")
    ),
    "2026-11-20-upgrade.yaml": (
        "kind: maintenance\ntitle: Upgrade\ncomponents: [api]\n"
        "scheduled: {start: 2026-11-20T02:00:00Z, end: 2026-11-20T03:00:00Z}\n"
        "updates:\n  - at: 2026-11-20T02:00:00Z\n    status: in_progress\n"
        "    message: Started.\n    next_update: 15m\n"
        "  - at: 2026-11-20T03:00:00Z\n    status: completed\n    message: Done.\n"
    ),
}

EXPECTED_JSON = {
    "window_days": 90,
    "from": "2026-09-01",
    "to": "2026-11-30",
    "incidents": 3,
    "median_minutes_to_first_update": 20,
    "promised_updates": 4,
    "promised_updates_on_time": 2,
    "on_time_share": 0.5,
    "postmortems": 2,
    "median_minutes_to_postmortem": 750,
}


def test_the_record_in_the_derived_state(tmp_path: Path) -> None:
    record = load_site(tmp_path, FILES, now=NOW).derive().communication
    assert (record.incidents, record.promises, record.promises_kept, record.postmortems) == (
        3,
        4,
        2,
        2,
    )
    assert record.median_time_to_first_update == timedelta(minutes=20)
    assert record.median_time_to_postmortem == timedelta(hours=12, minutes=30)
    assert record.promises_kept_share == 0.5


def build(tmp_path: Path, files: dict[str, str], language: str = "en") -> Path:
    tmp_path.mkdir(parents=True, exist_ok=True)
    config = make_site(tmp_path, files)
    data = yaml.safe_load(config.read_text(encoding="utf-8"))
    data["theme"] = {"name": "material", "language": language}
    config.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    out = tmp_path / "site"
    result = CliRunner().invoke(
        main, ["build", "--config", str(config), "--out", str(out), "--now", NOW]
    )
    assert result.exit_code == 0, result.output
    return out


def record_block(site: Path) -> tuple[list[tuple[str, str]], str]:
    page = (site / "index.html").read_text(encoding="utf-8")
    block = re.search(r'<section class="cd-section cd-record".*?</section>', page, re.S)
    assert block, "the home page has a communication record"
    pairs = re.findall(r"<dt>(.*?)</dt><dd>(.*?)</dd>", block.group(0))
    return pairs, re.sub(r"<[^>]+>", " ", block.group(0))


@pytest.mark.slow
def test_the_record_in_the_api_and_on_the_home_page(tmp_path: Path) -> None:
    site = build(tmp_path / "en", FILES)
    summary = json.loads((site / "api/v2/summary.json").read_text(encoding="utf-8"))
    assert list(summary)[-2:] == ["status", "communication"]
    assert summary["communication"] == EXPECTED_JSON
    pairs, text = record_block(site)
    assert pairs == [
        ("Incidents", "3"),
        ("Median time to the first public update", "20 min"),
        ("Promised updates posted on time", "2 of 4 (50%)"),
        ("Median time from resolution to postmortem", "12 h 30 min"),
    ]
    assert "How we communicate" in text and "last 90 days" in text


@pytest.mark.slow
def test_the_record_in_japanese(tmp_path: Path) -> None:
    pairs, text = record_block(build(tmp_path, FILES, language="ja"))
    assert pairs == [
        ("障害の件数", "3"),
        ("最初の公表までの時間（中央値）", "20分"),
        ("予告した時刻までに掲載した続報", "4件中2件（50%）"),
        ("解決から事後報告書の公開までの時間（中央値）", "12時間30分"),
    ]
    assert "情報発信の実績" in text and "過去90日間" in text


@pytest.mark.slow
@pytest.mark.parametrize(
    ("language", "words"),
    [("en", "No incidents in the last 90 days."), ("ja", "過去90日間に障害はありません。")],
)
def test_no_incidents_is_said_plainly(tmp_path: Path, language: str, words: str) -> None:
    files = {"2026-08-01-old.yaml": FILES["2026-08-01-old.yaml"]}
    site = build(tmp_path, files, language=language)
    pairs, text = record_block(site)
    assert pairs == [] and words in text
    summary = json.loads((site / "api/v2/summary.json").read_text(encoding="utf-8"))
    assert summary["communication"] | {"from": None, "to": None} == {
        **EXPECTED_JSON,
        "from": None,
        "to": None,
        "incidents": 0,
        "median_minutes_to_first_update": None,
        "promised_updates": 0,
        "promised_updates_on_time": 0,
        "on_time_share": None,
        "postmortems": 0,
        "median_minutes_to_postmortem": None,
    }


def test_a_preliminary_review_counts_as_at_once_and_pending_promises_do_not_count(
    tmp_path: Path,
) -> None:
    files = {
        "2026-11-29-d.yaml": incident(
            "D",
            None,
            [
                ("2026-11-29T10:00:00Z", "investigating", "1h"),
                ("2026-11-29T10:30:00Z", "resolved", None),
            ],
            postmortem("2026-11-29T10:20:00Z"),  # before resolution
        ),
        "2026-11-30-e.yaml": incident(
            "E",
            None,
            [("2026-11-30T11:50:00Z", "investigating", "30m")],  # due 12:20
        ),
    }
    record = load_site(tmp_path, files, now=NOW).derive().communication
    assert record.median_time_to_postmortem == timedelta(0)
    assert (record.promises, record.promises_kept) == (1, 1)
    assert record.median_time_to_first_update == timedelta(0)  # no started_at: SPEC §3
