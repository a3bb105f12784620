"""The record of what each channel was sent (`notify/sent.json`): it only grows, so an entry
that leaves the feed and comes back is never news again, and a record that cannot be read or
written is a clean error, never a traceback."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
import yaml
from notify_receivers import Receiver, start, start_mailbox, stop
from notify_sites import INCIDENT, SECOND, SMTP_PASSWORD, Site

from generator.notify.record import Record, RecordError, read

URL = "https://status.example.com/incidents/2026-12-01-checkout/"


@pytest.fixture
def site(tmp_path: Path) -> Iterator[Site]:
    slack = start(Receiver("slack"))
    box = start_mailbox(tmp_path, "status-bot", SMTP_PASSWORD)
    try:
        yield Site(
            tmp_path, {"slack": slack}, box, notify=[{"type": "slack", "url_env": "SLACK_URL"}]
        )
    finally:
        box.controller.stop()
        stop(slack)


def set_option(site: Site, key: str, value: object) -> None:
    config = yaml.safe_load(site.config.read_text(encoding="utf-8"))
    config["plugins"][0]["candor"][key] = value
    site.config.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")


def sent_keys(site: Site) -> set[str]:
    record = json.loads((site.live / "notify" / "sent.json").read_text(encoding="utf-8"))
    return set(record["channels"]["slack"]["sent"])


def test_an_entry_that_leaves_the_feed_and_comes_back_is_not_sent_again(site: Site) -> None:
    site.publish("2026-12-01T08:00Z")
    site.write("2026-12-01-checkout.yaml", INCIDENT + SECOND)
    assert site.publish("2026-12-01T09:35Z").returncode == 0
    assert site.counts()["slack"] == 2

    # A shorter feed drops update 1 from it for a while; the record still holds it.
    set_option(site, "feed_entries", 1)
    assert site.publish("2026-12-01T10:00Z").returncode == 0
    assert sent_keys(site) == {f"{URL}#update-1", f"{URL}#update-2"}
    set_option(site, "feed_entries", 50)
    back = site.publish("2026-12-01T10:30Z")
    assert back.returncode == 0, back.stdout + back.stderr
    assert "slack: nothing new" in back.stdout
    assert site.counts()["slack"] == 2

    # The incident's file moved away for a publish, then restored: nothing is sent again.
    moved = site.tmp / "incidents" / "2026-12-01-checkout.yaml"
    parked = site.tmp / "parked.yaml"
    moved.rename(parked)
    assert site.publish("2026-12-01T11:00Z").returncode == 0
    parked.rename(moved)
    restored = site.publish("2026-12-01T11:30Z")
    assert restored.returncode == 0, restored.stdout + restored.stderr
    assert "slack: nothing new" in restored.stdout
    assert site.counts()["slack"] == 2


def test_a_first_publish_still_sends_nothing(site: Site) -> None:
    site.write("2026-12-01-checkout.yaml", INCIDENT + SECOND)
    first = site.publish("2026-12-01T09:35Z")
    assert first.returncode == 0, first.stdout + first.stderr
    prepared = site.outputs[0]  # the note comes from --prepare, which started the record
    assert "the 2 messages live now are its starting point" in prepared
    assert site.counts()["slack"] == 0


def test_a_record_that_is_a_folder_is_a_clean_error(site: Site) -> None:
    site.publish("2026-12-01T08:00Z")
    site.write("2026-12-01-checkout.yaml", INCIDENT)
    site.build("2026-12-01T09:05Z")
    record = site.site / "notify" / "sent.json"
    record.mkdir(parents=True)
    live = str(site.live)
    sent = site.candor("--site", str(site.site), "--previous", live, now="2026-12-01T09:05Z")
    assert sent.returncode == 1
    assert "Traceback" not in sent.stderr and "IsADirectoryError" not in sent.stderr
    assert f"{record}: a folder is in the way of the record" in sent.stderr, sent.stderr
    assert "remove it" in sent.stderr
    assert site.counts()["slack"] == 0
    # Preparing never stops the deploy: it warns, in the same words.
    prepared = site.candor(
        "--prepare", "--site", str(site.site), "--previous", live, now="2026-12-01T09:05Z"
    )
    assert prepared.returncode == 0
    assert "::warning::" in prepared.stdout and "a folder is in the way" in prepared.stdout
    assert "Traceback" not in prepared.stdout + prepared.stderr


def test_reading_or_writing_a_record_says_which_file_and_what_to_do(tmp_path: Path) -> None:
    folder = tmp_path / "sent.json"
    folder.mkdir()
    with pytest.raises(RecordError, match="a folder is in the way of the record: remove it"):
        read(folder)
    record = Record()
    record.add("slack", "k1", datetime(2026, 12, 1, tzinfo=UTC))
    with pytest.raises(RecordError, match="a folder is in the way of the record: remove it"):
        record.write(folder)
    blocked = tmp_path / "file"
    blocked.write_text("", encoding="utf-8")
    with pytest.raises(RecordError, match="cannot write the record"):
        record.write(blocked / "notify" / "sent.json")
    assert not list(tmp_path.glob(".sent.*"))  # no temporary file left behind
