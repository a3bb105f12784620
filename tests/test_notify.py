"""`candor notify` end to end, as the publish workflow runs it, against real receivers on
127.0.0.1: an HTTP server per webhook kind and an SMTP server with STARTTLS and a login.

A publish is: build the site, `candor notify --prepare` (carry the live record into it),
deploy (copy it to the live folder), `candor notify` (send), deploy again (the record)."""

from __future__ import annotations

import base64
import shutil
import subprocess
import time
from collections.abc import Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from threading import Thread
from typing import Any

import pytest
import yaml
from candor_sites import make_site
from click.testing import CliRunner
from notify_receivers import Mailbox, Receiver, start, start_mailbox, stop
from notify_sites import (
    CANDOR,
    EMAIL,
    HOOK_SECRET,
    INCIDENT,
    MASTODON_TOKEN,
    SECOND,
    SECRETS,
    SMTP_PASSWORD,
    Site,
)
from standardwebhooks import Webhook

from generator.cli import main
from generator.notify import slack


@pytest.fixture
def receivers() -> Iterator[dict[str, Receiver]]:
    kinds = {"webhook": 200, "slack": 200, "discord": 204, "teams": 202, "mastodon": 200}
    started = {kind: start(Receiver(kind, ok=ok)) for kind, ok in kinds.items()}
    yield started
    for receiver in started.values():
        stop(receiver)


@pytest.fixture
def mailbox(tmp_path: Path) -> Iterator[Mailbox]:
    box = start_mailbox(tmp_path, "status-bot", SMTP_PASSWORD)
    yield box
    box.controller.stop()


@pytest.fixture
def site(tmp_path: Path, receivers: dict[str, Receiver], mailbox: Mailbox) -> Site:
    return Site(tmp_path, receivers, mailbox)


def assert_no_secret_anywhere(site: Site) -> None:
    texts = [*site.outputs]
    texts += [p.read_text("utf-8", "replace") for p in site.live.rglob("*") if p.is_file()]
    texts += [(site.tmp / "mkdocs.yml").read_text("utf-8")]
    for text in texts:
        for secret in SECRETS:
            assert secret not in text


def test_each_new_entry_arrives_once_on_every_channel(site: Site) -> None:
    first = site.publish("2026-12-01T08:00Z")
    assert first.returncode == 0, first.stdout + first.stderr
    assert set(site.counts().values()) == {0}

    site.write("2026-12-01-checkout.yaml", INCIDENT)
    sent = site.publish("2026-12-01T09:05Z")
    assert sent.returncode == 0, sent.stdout + sent.stderr
    assert site.counts() == dict.fromkeys(site.counts(), 1), sent.stdout
    assert "Sent 6 messages to 6 channels." in sent.stdout

    site.write("2026-12-01-checkout.yaml", INCIDENT + SECOND)
    sent = site.publish("2026-12-01T09:35Z")
    assert sent.returncode == 0, sent.stdout + sent.stderr
    assert site.counts() == dict.fromkeys(site.counts(), 2)

    # A re-run of the same publish, and a publish with the second message edited: nothing.
    again = site.publish("2026-12-01T09:50Z")
    assert again.returncode == 0 and "Sent 0 messages to 6 channels." in again.stdout
    assert site.counts() == dict.fromkeys(site.counts(), 2)
    site.write("2026-12-01-checkout.yaml", INCIDENT + SECOND.replace("rolling it back", "done"))
    edited = site.publish("2026-12-01T10:05Z")
    assert edited.returncode == 0
    assert site.counts() == dict.fromkeys(site.counts(), 2)
    assert "nothing new" in edited.stdout

    url = "https://status.example.com/incidents/2026-12-01-checkout/"
    record = (site.live / "notify" / "sent.json").read_text(encoding="utf-8")
    assert f'"{url}#update-2"' in record
    assert_no_secret_anywhere(site)


def test_every_channel_gets_its_own_format(site: Site) -> None:
    site.publish("2026-12-01T08:00Z")
    site.write("2026-12-01-checkout.yaml", INCIDENT)
    site.publish("2026-12-01T09:05Z")
    site.write("2026-12-01-checkout.yaml", INCIDENT + SECOND)
    site.publish("2026-12-01T09:35Z")
    url = "https://status.example.com/incidents/2026-12-01-checkout/#update-1"

    hook = site.http["webhook"].accepted[0]
    body = Webhook(HOOK_SECRET).verify(hook.body, hook.headers)
    assert body["type"] == "incident.updated"
    assert body["data"]["id"] == url and body["data"]["status"] == "investigating"
    assert body["data"]["components"] == [
        {"id": "api", "name": "Public API", "status": "partial_outage"}
    ]
    assert body["data"]["incident"]["feed"].endswith("/incidents/2026-12-01-checkout/feed.atom")
    ids = [r.headers["webhook-id"] for r in site.http["webhook"].accepted]
    assert len(set(ids)) == 2
    tampered = dict(hook.headers, **{"webhook-signature": "v1,AAAA"})
    with pytest.raises(Exception, match="signature"):
        Webhook(HOOK_SECRET).verify(hook.body, tampered)

    slack = site.http["slack"].accepted[0].json()
    assert slack["blocks"][0]["text"]["text"] == "Investigating — Checkout errors"
    section = slack["blocks"][2]["text"]["text"]
    assert "*sorry*" in section and "<https://docs.example.com/retry|the guide>" in section
    assert f"<{url}|Read update 1 on the status page>" in slack["blocks"][3]["text"]["text"]

    discord = site.http["discord"].accepted[0].json()
    embed = discord["embeds"][0]
    assert embed["url"] == url and "**sorry**" in embed["description"]
    assert discord["allowed_mentions"] == {"parse": []}

    teams = site.http["teams"].accepted[0].json()
    card = teams["attachments"][0]["content"]
    assert card["type"] == "AdaptiveCard" and card["actions"][0]["url"] == url

    toot = site.http["mastodon"].accepted[0]
    assert toot.path == "/api/v1/statuses"
    assert toot.headers["authorization"] == f"Bearer {MASTODON_TOKEN}"
    assert toot.headers["idempotency-key"]
    status = toot.json()["status"]
    assert status.startswith("Investigating — Checkout errors\n\n") and status.endswith(url)
    assert len(status) <= 500

    first, second = site.mailbox.messages
    assert site.mailbox.envelopes[0] == ("noreply@status.example.com", ["status@lists.example.com"])
    assert first["Subject"] == "[Test Status] Investigating — Checkout errors"
    assert first["Message-ID"] == "<2026-12-01-checkout.update-1.email@status.example.com>"
    assert first["In-Reply-To"] is None
    assert second["In-Reply-To"] == first["Message-ID"] == second["References"]
    assert first["List-Unsubscribe"] == "<https://lists.example.com/unsubscribe>"
    parts = {part.get_content_type(): part for part in first.walk()}
    assert "We're sorry: checkout fails" in parts["text/plain"].get_content()
    assert "<strong>sorry</strong>" in parts["text/html"].get_content()


def test_a_channel_that_answers_500_then_200_gets_it_once(site: Site) -> None:
    site.publish("2026-12-01T08:00Z")
    site.http["slack"].script = [500]
    site.http["mastodon"].script = [(429, {"Retry-After": "2"})]
    site.write("2026-12-01-checkout.yaml", INCIDENT)
    sent = site.publish("2026-12-01T09:05Z")
    assert sent.returncode == 0, sent.stdout + sent.stderr
    assert (len(site.http["slack"].refused), len(site.http["slack"].accepted)) == (1, 1)
    assert "HTTP 500" in sent.stdout and "retrying" in sent.stdout
    mastodon = site.http["mastodon"]
    assert (len(mastodon.refused), len(mastodon.accepted)) == (1, 1)
    assert "retrying in 2 s" in sent.stdout  # Retry-After, not the 1 s backoff
    assert (
        mastodon.accepted[0].headers["idempotency-key"]
        == mastodon.refused[0].headers["idempotency-key"]
    )
    assert site.counts() == dict.fromkeys(site.counts(), 1)


def test_a_channel_failing_for_good_gets_it_on_the_next_run_and_no_one_twice(site: Site) -> None:
    site.publish("2026-12-01T08:00Z")
    site.http["discord"].ok = 404  # a deleted webhook: no retry helps
    site.http["teams"].script = [503, 503]  # retried, still failing: the channel allows 3
    site.http["teams"].script += [503, 503]
    site.write("2026-12-01-checkout.yaml", INCIDENT)
    sent = site.publish("2026-12-01T09:05Z")
    assert sent.returncode == 1
    assert "discord: FAILED" in sent.stdout and "teams: FAILED" in sent.stdout
    assert "2 channels failed (discord, teams)" in sent.stdout
    assert site.counts() == {
        "webhook": 1,
        "slack": 1,
        "discord": 0,
        "teams": 0,
        "mastodon": 1,
        "email": 1,
    }
    assert len(site.http["teams"].refused) == 4  # 1 attempt + 3 retries

    site.http["discord"].ok = 204
    later = site.publish("2026-12-01T09:20Z")
    assert later.returncode == 0, later.stdout + later.stderr
    assert site.counts() == dict.fromkeys(site.counts(), 1)
    assert_no_secret_anywhere(site)


def test_a_re_run_of_the_notify_job_alone_sends_nothing_twice(site: Site, tmp_path: Path) -> None:
    """The job re-run uses the site its build uploaded (with the record as it was before
    sending); the live record, read over HTTP, knows what the first attempt sent."""
    site.publish("2026-12-01T08:00Z")
    site.write("2026-12-01-checkout.yaml", INCIDENT)
    site.build("2026-12-01T09:05Z")
    prepared = site.candor(
        "--prepare", "--site", str(site.site), "--previous", str(site.live), now="2026-12-01T09:05Z"
    )
    assert prepared.returncode == 0
    uploaded = tmp_path / "uploaded"
    shutil.copytree(site.site, uploaded)
    site.deploy()
    handler = partial(SimpleHTTPRequestHandler, directory=str(site.live))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    Thread(target=server.serve_forever, daemon=True).start()
    live_url = f"http://127.0.0.1:{server.server_address[1]}/"
    try:
        first = site.candor(
            "--site", str(site.site), "--previous", live_url, now="2026-12-01T09:06Z"
        )
        assert first.returncode == 0
        site.deploy()
        assert site.counts() == dict.fromkeys(site.counts(), 1)
        rerun = site.candor(
            "--site", str(uploaded), "--previous", live_url, now="2026-12-01T09:20Z"
        )
        assert rerun.returncode == 0, rerun.stdout + rerun.stderr
        assert site.counts() == dict.fromkeys(site.counts(), 1)
    finally:
        server.shutdown()
        server.server_close()


def test_dry_run_shows_what_would_go_where_and_sends_nothing(site: Site, tmp_path: Path) -> None:
    site.publish("2026-12-01T08:00Z")
    site.write("2026-12-01-checkout.yaml", INCIDENT)
    site.build("2026-12-01T09:05Z")
    summary = tmp_path / "summary.md"
    before = (site.site / "notify" / "sent.json").exists()
    dry = site.candor(
        "--dry-run",
        "--site",
        str(site.site),
        "--previous",
        str(site.live),
        "--summary",
        str(summary),
        now="2026-12-01T09:05Z",
    )
    assert dry.returncode == 0, dry.stdout + dry.stderr
    assert "slack: would send 1 message" in dry.stdout
    assert "Investigating — Checkout errors — https://status.example.com/incidents/" in dry.stdout
    assert set(site.counts().values()) == {0}
    assert (site.site / "notify" / "sent.json").exists() == before
    text = summary.read_text(encoding="utf-8")
    assert "| email | Investigating — Checkout errors |" in text and "would send" in text
    assert_no_secret_anywhere(site)


MAINTENANCE = """\
kind: maintenance
title: Database upgrade
components: [db]
scheduled: {start: 2026-12-10T02:00:00Z, end: 2026-12-10T04:00:00Z}
updates:
  - at: 2026-12-07T10:00:00Z
    status: scheduled
    message: We will upgrade the database. Writes pause for up to five minutes.
"""


def test_maintenance_reminders_fire_once_per_lead_then_started_and_completed(
    tmp_path: Path, receivers: dict[str, Receiver], mailbox: Mailbox
) -> None:
    site = Site(
        tmp_path,
        receivers,
        mailbox,
        notify=[{"type": "slack", "url_env": "SLACK_URL"}],
        remind_before=["24h", "1h"],
    )
    site.publish("2026-12-07T09:00Z")
    site.write("2026-12-10-db.yaml", MAINTENANCE)
    runs = [
        "2026-12-07T10:05Z",  # the announcement
        "2026-12-08T20:00Z",  # 30 h before: nothing
        "2026-12-09T02:10Z",  # 24 h reminder
        "2026-12-09T02:25Z",  # nothing
        "2026-12-09T12:00Z",  # nothing
        "2026-12-10T01:10Z",  # 1 h reminder
        "2026-12-10T01:40Z",  # nothing
        "2026-12-10T02:05Z",  # started (the clock changed the state)
        "2026-12-10T03:00Z",  # nothing
        "2026-12-10T04:10Z",  # completed
        "2026-12-10T06:00Z",  # nothing
    ]
    for now in runs:
        result = site.publish(now)
        assert result.returncode == 0, result.stdout + result.stderr
    titles = [r.json()["blocks"][0]["text"]["text"] for r in receivers["slack"].accepted]
    assert titles == [
        "Scheduled — Database upgrade",
        "Maintenance starts in 1 d — Database upgrade",
        "Maintenance starts in 1 h — Database upgrade",
        "Maintenance started — Database upgrade",
        "Maintenance completed — Database upgrade",
    ]


def test_secrets_in_the_config_are_refused_without_being_echoed(tmp_path: Path) -> None:
    config = make_site(
        tmp_path,
        {},
        notify=[
            {"type": "slack", "url_env": "https://hooks.slack.com/services/T1/B2/s3cretvalue99"}
        ],
    )
    result = subprocess.run(
        [str(CANDOR), "notify", "--config", str(config), "--dry-run"],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1
    assert "names an environment variable" in result.stdout + result.stderr
    assert "s3cretvalue99" not in result.stdout + result.stderr


def test_a_missing_secret_fails_that_channel_only(site: Site) -> None:
    site.publish("2026-12-01T08:00Z")
    del site.env["SLACK_URL"]
    site.write("2026-12-01-checkout.yaml", INCIDENT)
    sent = site.publish("2026-12-01T09:05Z")
    assert sent.returncode == 1
    assert "SLACK_URL is not set" in sent.stdout
    assert site.counts()["slack"] == 0 and site.counts()["webhook"] == 1
    record = yaml.safe_load((site.live / "notify" / "sent.json").read_text(encoding="utf-8"))
    assert record["channels"]["slack"]["sent"] == {}


def test_the_retry_after_wait_is_honoured(site: Site) -> None:
    site.publish("2026-12-01T08:00Z")
    site.http["webhook"].script = [(503, {"Retry-After": "2"})]
    site.write("2026-12-01-checkout.yaml", INCIDENT)
    started = time.monotonic()
    assert site.publish("2026-12-01T09:05Z").returncode == 0
    assert time.monotonic() - started >= 2
    assert len(site.http["webhook"].accepted) == 1


BASIC_PASSWORD = "Pw5ecretBasic99"
QUERY_TOKEN = "QueryS3cretTok3n99"
BROKEN_URL = "not-a-url-UnexpectedS3cret77"


def test_no_secret_in_any_output_from_a_url_query_basic_auth_or_an_exception(
    tmp_path: Path, receivers: dict[str, Receiver], mailbox: Mailbox
) -> None:
    """Receivers that quote the request back in their refusals, a URL that urllib cannot
    even parse: stdout, stderr, the job summary and the published record stay clean."""
    site = Site(
        tmp_path,
        receivers,
        mailbox,
        notify=[
            {"type": "webhook", "url_env": "HOOK_URL", "secret_env": "HOOK_SECRET"},
            {"type": "slack", "url_env": "SLACK_URL"},
        ],
    )
    hook = receivers["webhook"]
    base = hook.url.replace("http://", f"http://hook-user:{BASIC_PASSWORD}@")
    site.env["HOOK_URL"] = f"{base}/hook?token={QUERY_TOKEN}"
    site.env["SLACK_URL"] = BROKEN_URL
    secrets = [BASIC_PASSWORD, QUERY_TOKEN, BROKEN_URL, "UnexpectedS3cret77"]
    secrets.append(base64.b64encode(f"hook-user:{BASIC_PASSWORD}".encode()).decode())
    site.publish("2026-12-01T08:00Z")
    site.write("2026-12-01-checkout.yaml", INCIDENT)
    hook.ok, hook.echo = 401, True
    summary = tmp_path / "summary.md"

    def attempt(now: str) -> subprocess.CompletedProcess[str]:
        site.build(now)
        live = str(site.live)
        prepared = site.candor("--prepare", "--site", str(site.site), "--previous", live, now=now)
        assert prepared.returncode == 0, prepared.stdout + prepared.stderr
        site.deploy()
        sent = site.candor(
            "--site", str(site.site), "--previous", live, "--summary", str(summary), now=now
        )
        site.deploy()
        return sent

    failed = attempt("2026-12-01T09:05Z")
    assert failed.returncode == 1
    assert "webhook: FAILED" in failed.stdout and "HTTP 401" in failed.stdout
    assert '"authorization": "Basic ***", "path": "***"' in failed.stdout  # quoted, redacted
    assert "SLACK_URL does not hold an http(s) URL" in failed.stdout, failed.stdout
    # The user and password travelled as basic auth, not as part of the host name.
    (refused,) = hook.refused
    assert refused.path == f"/hook?token={QUERY_TOKEN}"
    assert refused.headers["authorization"] == f"Basic {secrets[-1]}"
    assert "hook-user" not in refused.headers["host"]

    hook.ok, hook.echo = 200, False
    assert attempt("2026-12-01T09:20Z").returncode == 1  # slack is still broken
    assert len(hook.accepted) == 1
    Webhook(HOOK_SECRET).verify(hook.accepted[0].body, hook.accepted[0].headers)
    texts = [*site.outputs, summary.read_text(encoding="utf-8")]
    texts += [p.read_text("utf-8", "replace") for p in site.live.rglob("*") if p.is_file()]
    for text in texts:
        for secret in secrets:
            assert secret not in text


def test_email_over_implicit_tls_with_a_login(
    tmp_path: Path, receivers: dict[str, Receiver]
) -> None:
    box = start_mailbox(tmp_path, "status-bot", SMTP_PASSWORD, implicit_tls=True)
    try:
        site = Site(tmp_path, receivers, box, notify=[{**EMAIL, "security": "tls"}])
        site.publish("2026-12-01T08:00Z")
        site.write("2026-12-01-checkout.yaml", INCIDENT)
        sent = site.publish("2026-12-01T09:05Z")
        assert sent.returncode == 0, sent.stdout + sent.stderr
        (mail,) = box.messages
        assert mail["Message-ID"] == "<2026-12-01-checkout.update-1.email@status.example.com>"
        assert mail["List-Unsubscribe"] is None  # no unsubscribe_url configured
        assert {p.get_content_type() for p in mail.walk()} >= {"text/plain", "text/html"}
        # The wrong password is refused by the server, and never shown.
        site.env["SMTP_PASSWORD"] = "wrongPassw0rdS3cret"
        site.write("2026-12-01-checkout.yaml", INCIDENT + SECOND)
        refused = site.publish("2026-12-01T09:35Z")
        assert refused.returncode == 1
        assert "the server refused the login (SMTP 535 5.7.8" in refused.stdout
        assert "wrongPassw0rdS3cret" not in refused.stdout + refused.stderr
        assert len(box.messages) == 1
    finally:
        box.controller.stop()


def test_email_never_sends_a_login_over_a_plain_connection(site: Site) -> None:
    site.publish("2026-12-01T08:00Z")
    config = yaml.safe_load((site.tmp / "mkdocs.yml").read_text(encoding="utf-8"))
    config["plugins"][0]["candor"]["notify"] = [{**EMAIL, "security": "none"}]
    (site.tmp / "mkdocs.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
    site.write("2026-12-01-checkout.yaml", INCIDENT)
    sent = site.publish("2026-12-01T09:05Z")
    assert sent.returncode == 1
    assert "refusing to send the SMTP password over an unencrypted connection" in sent.stdout
    assert SMTP_PASSWORD not in sent.stdout + sent.stderr
    assert site.mailbox.messages == []


def test_previous_may_be_the_record_or_the_feed_as_a_file(site: Site, tmp_path: Path) -> None:
    """A fresh build (no record carried in) judged against a saved copy of what was live."""
    site.publish("2026-12-01T08:00Z")
    site.write("2026-12-01-checkout.yaml", INCIDENT)
    assert site.publish("2026-12-01T09:05Z").returncode == 0
    saved = tmp_path / "saved"
    saved.mkdir()
    shutil.copy(site.live / "notify" / "sent.json", saved / "sent.json")
    site.write("2026-12-01-checkout.yaml", INCIDENT + SECOND)

    def fresh(previous: Path, now: str) -> subprocess.CompletedProcess[str]:
        site.build(now)
        return site.candor("--site", str(site.site), "--previous", str(previous), now=now)

    # The record as a file: update 1 was sent; update 2 is new everywhere.
    by_record = fresh(saved / "sent.json", "2026-12-01T09:35Z")
    assert by_record.returncode == 0, by_record.stdout + by_record.stderr
    assert site.counts() == dict.fromkeys(site.counts(), 2)
    # The feed as a file (no record anywhere): what it lists was announced already, so a
    # channel without a record starts after it and nothing is sent twice.
    site.deploy()
    shutil.copy(site.live / "history.atom", saved / "history.atom")
    (site.site / "notify" / "sent.json").unlink()
    by_feed = fresh(saved / "history.atom", "2026-12-01T09:36Z")
    assert by_feed.returncode == 0, by_feed.stdout + by_feed.stderr
    assert "a new channel; 2 messages already public are not sent to it" in by_feed.stdout
    assert site.counts() == dict.fromkeys(site.counts(), 2)
    missing = fresh(saved / "nothing.json", "2026-12-01T09:37Z")
    assert missing.returncode == 1
    assert f"{saved / 'nothing.json'}: no such file or folder" in missing.stderr
    assert "Nothing was sent" in missing.stderr
    assert site.counts() == dict.fromkeys(site.counts(), 2)


def test_a_run_killed_half_way_still_has_its_record_published(
    tmp_path: Path, receivers: dict[str, Receiver], mailbox: Mailbox, monkeypatch: Any
) -> None:
    """`record=changed` reaches $GITHUB_OUTPUT before the first send, so the workflow's
    republish step runs even when notify dies after a channel took a message."""
    site = Site(tmp_path, receivers, mailbox, notify=[{"type": "slack", "url_env": "SLACK_URL"}])
    site.publish("2026-12-01T08:00Z")
    site.write("2026-12-01-checkout.yaml", INCIDENT + SECOND)
    now = "2026-12-01T09:35Z"
    site.build(now)
    live = str(site.live)
    assert site.candor("--prepare", "--site", str(site.site), "--previous", live, now=now)
    site.deploy()
    real = slack.Sender.send
    calls: list[str] = []

    def dies_on_the_second(self: Any, message: Any) -> None:
        calls.append(message.key)
        if len(calls) == 2:
            raise KeyboardInterrupt  # the runner is stopped, the process killed
        real(self, message)

    monkeypatch.setattr(slack.Sender, "send", dies_on_the_second)
    output = tmp_path / "github-output"
    result = CliRunner().invoke(
        main,
        ["notify", "--config", str(site.config), "--now", now, "--site", str(site.site),
         "--previous", live, "--github-output", str(output)],
        env=site.env,
    )  # fmt: skip
    assert result.exit_code != 0 and len(calls) == 2
    assert len(receivers["slack"].accepted) == 1
    assert output.read_text(encoding="utf-8") == "record=changed\n"
    record = yaml.safe_load((site.site / "notify" / "sent.json").read_text(encoding="utf-8"))
    assert list(record["channels"]["slack"]["sent"]) == [calls[0]]
