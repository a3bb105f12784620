"""The parts of `candor notify`: markup for each chat, length limits, the record, redaction,
retry timing and the maintenance clock."""

from __future__ import annotations

import base64
import json
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from candor_sites import make_site

from generator.core.config import load_settings
from generator.core.errors import ConfigError
from generator.core.project import load_project
from generator.notify import delivery, markup, mastodon, run
from generator.notify import discord as discord_channel
from generator.notify import slack as slack_channel
from generator.notify import teams as teams_channel
from generator.notify.messages import candidates
from generator.notify.record import Record, RecordError
from generator.notify.redact import MASK, Redactor
from generator.outputs.markdown import to_html

HOSTILE = "Hi <!channel> @everyone <@U123> **bold** [x](javascript:alert(1)) <script>x</script>"


def test_slack_markup_never_pings_and_keeps_links_and_emphasis() -> None:
    text = markup.render(to_html(HOSTILE + " [docs](https://docs.example.com/a_b)"), markup.SLACK)
    assert "<!channel>" not in text and "&lt;!channel&gt;" in text
    assert "<@U123>" not in text
    assert "*bold*" in text
    assert "<https://docs.example.com/a_b|docs>" in text
    assert "javascript" not in text and "<script" not in text


def test_discord_and_teams_escape_their_markdown() -> None:
    html = to_html("a \\*literal\\* star, _under_ and [link](https://e.example/x)")
    discord = markup.render(html, markup.DISCORD)
    assert "\\*literal\\*" in discord and "*under*" in discord
    assert "[link](https://e.example/x)" in discord
    teams = markup.render(html, markup.TEAMS)
    assert "\\*literal\\*" in teams and "_under_" in teams


def test_fitted_keeps_whole_blocks_or_cuts_plain_text() -> None:
    html = to_html("First **para**.\n\nSecond para is longer than the rest.\n\nThird.")
    assert markup.fitted(html, "p", markup.SLACK, 1000).count("\n\n") == 2
    two = markup.fitted(html, "p", markup.SLACK, 30)
    assert two == "First *para*.\n\n…"
    long = "word " * 200
    cut = markup.fitted(to_html(long), long, markup.SLACK, 50)
    assert len(cut) <= 50 and cut.endswith("…") and "*" not in cut


def test_mastodon_counts_a_link_as_23_characters() -> None:
    assert mastodon.length("see https://example.com/" + "x" * 200) == 4 + 23


def test_the_redactor_hides_secrets_and_the_pieces_errors_quote() -> None:
    url = "https://hooks.slack.com/services/T0ABC123/B0DEF456/xoxSecretToken999"
    redact = Redactor([url, "whsec_c2VjcmV0c2VjcmV0", ""])
    assert redact(f"POST {url} failed") == f"POST {MASK} failed"
    assert "xoxSecretToken999" not in redact("token xoxSecretToken999 leaked")
    assert "T0ABC123" not in redact("/services/T0ABC123/B0DEF456/xoxSecretToken999")
    assert redact("the services are fine") == "the services are fine"
    assert "c2VjcmV0c2VjcmV0" not in redact("secret c2VjcmV0c2VjcmV0")


def test_records_merge_by_union_and_are_written_atomically(tmp_path: Path) -> None:
    when = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
    a, b = Record(), Record()
    a.start("slack", {"k0"})
    a.add("slack", "k1", when)
    b.add("slack", "k2", when + timedelta(minutes=1))
    b.add("email", "k1", when)
    merged = a.merge(b)
    assert merged.channels["slack"].has("k1") and merged.channels["slack"].has("k2")
    assert merged.channels["slack"].has("k0") and merged.channels["email"].has("k1")
    # A channel no longer configured goes; every key of the others stays, in the feed or not.
    kept = merged.only(["slack"])
    assert set(kept.channels) == {"slack"} and kept.channels["slack"].has("k2")
    path = tmp_path / "notify" / "sent.json"
    kept.write(path)
    assert Record.from_json(path.read_text(encoding="utf-8")).channels["slack"].sent == {
        "k1": "2026-12-01T09:00:00Z",
        "k2": "2026-12-01T09:01:00Z",
    }
    assert [p.name for p in path.parent.iterdir()] == ["sent.json"]
    with pytest.raises(RecordError):
        Record.from_json('{"kind": "something else"}')


def test_retry_after_in_seconds_or_as_a_date() -> None:
    now = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
    assert delivery.retry_after("7") == 7.0
    assert delivery.retry_after("Tue, 01 Dec 2026 09:00:30 GMT", lambda: now) == 30.0
    assert delivery.retry_after("soon") is None


def test_retries_back_off_and_honour_the_longer_wait() -> None:
    waits: list[float] = []
    answers = [delivery.DeliveryError("503", retry=True), delivery.DeliveryError("429", True, 5.0)]

    def attempt() -> str:
        if answers:
            raise answers.pop(0)
        return "ok"

    assert delivery.with_retries(attempt, retries=3, sleep=waits.append) == "ok"
    assert waits == [1.0, 5.0]
    with pytest.raises(delivery.DeliveryError, match="left for the next run"):
        delivery.with_retries(
            lambda: (_ for _ in ()).throw(delivery.DeliveryError("429", True, 3600.0)),
            retries=3,
            sleep=waits.append,
        )
    with pytest.raises(delivery.DeliveryError, match="404"):
        delivery.with_retries(
            lambda: (_ for _ in ()).throw(delivery.DeliveryError("404")), 3, waits.append
        )
    assert len(waits) == 2  # a refusal is never retried


MAINTENANCE = """\
kind: maintenance
title: Upgrade
components: [db]
scheduled: {start: 2026-12-10T02:00:00Z, end: 2026-12-10T04:00:00Z}
updates:
  - at: 2026-12-09T20:00:00Z
    status: scheduled
    message: Announced only six hours ahead.
"""


def test_a_reminder_never_repeats_a_fresh_announcement(tmp_path: Path) -> None:
    config = make_site(tmp_path, {"m.yaml": MAINTENANCE}, remind_before=["24h", "1h"])
    at = load_project(config, "2026-12-09T20:30Z")
    assert [m.kind for m in candidates(at.settings, at.state())] == ["update"]
    later = load_project(config, "2026-12-10T01:15Z")
    found = [m for m in candidates(later.settings, later.state()) if m.is_clock]
    assert [m.title for m in found] == ["Maintenance starts in 1 h — Upgrade"]


def test_a_maintenance_the_team_updates_gets_no_clock_messages(tmp_path: Path) -> None:
    text = MAINTENANCE + (
        "  - at: 2026-12-10T02:01:00Z\n    status: in_progress\n    message: Started.\n"
    )
    config = make_site(tmp_path, {"m.yaml": text}, remind_before=["1h"])
    project = load_project(config, "2026-12-10T02:30Z")
    assert not [m for m in candidates(project.settings, project.state()) if m.is_clock]


def test_channel_config_errors_point_at_the_place(tmp_path: Path) -> None:
    config = make_site(
        tmp_path,
        {},
        notify=[
            {"type": "slak", "url_env": "X"},
            {"type": "webhook", "url_env": "A"},
            {"type": "slack", "url_env": "B"},
            {"type": "slack", "url_env": "C"},
            {"type": "email", "host_env": "H", "to": "list", "from": "a@b.example"},
        ],
    )
    with pytest.raises(ConfigError) as info:
        load_settings(config)
    found = {(p.rule, p.message.split(";")[0]) for p in info.value.problems}
    assert ("invalid-value", "`notify[0].type` is `slak`, not a channel type") in found
    assert ("missing-field", "missing required field `secret_env` in notify[1]") in found
    assert ("duplicate-channel", "two channels are called `slack` (entries 3 and 4)") in found
    assert any("`list` is not an e-mail address" in message for _, message in found)


def test_basic_auth_in_a_url_becomes_the_authorization_header_and_is_redacted() -> None:
    url = "https://ops:p%40ss%3Aw0rd99@hooks.example.com/in?key=abc"
    bare, header = delivery.credentials(url)
    assert bare == "https://hooks.example.com/in?key=abc"
    assert header == "Basic " + base64.b64encode(b"ops:p@ss:w0rd99").decode()
    assert delivery.credentials("https://hooks.example.com/in") == (
        "https://hooks.example.com/in",
        None,
    )
    redact = Redactor([url])
    for shown in ("p%40ss%3Aw0rd99", "p@ss:w0rd99", header.removeprefix("Basic ")):
        assert redact(f"the server said {shown}") == f"the server said {MASK}"


def _long_incident(message: str, title: str = "Checkout errors") -> str:
    body = "".join(f"      {line}\n" if line else "\n" for line in message.split("\n"))
    return (
        f"title: {title}\nimpact: major\ncomponents: [api]\nupdates:\n"
        "  - at: 2026-12-01T09:00:00Z\n    status: investigating\n    message: |\n"
        f"{body}    next_update: 30m\n"
    )


ONE_BLOCK = "We're sorry. " + " ".join(f"word{n}" for n in range(5000))
MANY_BLOCKS = "\n\n".join(
    f"Step **{n}**: see [the runbook](https://docs.example.com/{n}) "
    + " ".join(f"w{n}x{m}" for m in range(100))
    for n in range(60)
)


@pytest.mark.parametrize("message", [ONE_BLOCK, MANY_BLOCKS], ids=["one-block", "many-blocks"])
def test_a_very_long_update_is_cut_cleanly_within_each_apis_limits_with_its_link(
    tmp_path: Path, message: str
) -> None:
    channels = [
        {"type": "slack", "url_env": "S"},
        {"type": "discord", "url_env": "D"},
        {"type": "teams", "url_env": "T"},
        {"type": "mastodon", "url_env": "M", "token_env": "MT"},
        {"type": "mastodon", "name": "big-toots", "url_env": "M", "token_env": "MT",
         "max_characters": 1000},
    ]  # fmt: skip
    title = "Checkout errors " + "and more " * 40
    incident = _long_incident(message, title.strip())
    config = make_site(tmp_path, {"2026-12-01-c.yaml": incident}, notify=channels)
    project = load_project(config, "2026-12-01T09:05Z")
    (update,) = candidates(project.settings, project.state())
    url = "https://status.example.com/incidents/2026-12-01-c/#update-1"
    assert update.url == url
    payloads = {s.name: s.payload(update) for s in run.senders(project.settings, {})}

    def balanced(text: str, *marks: str) -> None:
        for mark in marks:
            assert text.count(mark) % 2 == 0, (mark, text[-200:])

    slack = payloads["slack"]["blocks"]
    assert len(slack[0]["text"]["text"]) <= slack_channel.HEADER_LIMIT
    body = slack[2]["text"]["text"]
    assert len(body) <= slack_channel.SECTION_LIMIT and body.endswith("…")
    assert body.count("<") == body.count(">")
    balanced(body, "*")
    assert slack[3]["text"]["text"] == f"<{url}|Read update 1 on the status page>"

    discord_payload = payloads["discord"]
    assert len(discord_payload.get("content", "")) <= 2000
    embed = discord_payload["embeds"][0]
    assert len(embed["title"]) <= discord_channel.TITLE_LIMIT and embed["url"] == url
    description = embed["description"]
    assert len(description) <= discord_channel.DESCRIPTION_LIMIT
    text, link = description.rsplit("\n\n", 1)
    assert text.endswith("…") and link == f"[Read update 1 on the status page]({url})"
    assert text.count("[") == text.count("]")
    balanced(text.replace("**", ""), "*")
    total = len(embed["title"]) + len(description) + len(embed["footer"]["text"])
    total += sum(len(f["name"]) + len(f["value"]) for f in embed["fields"])
    assert total <= discord_channel.TOTAL_LIMIT

    teams = payloads["teams"]
    assert len(json.dumps(teams, ensure_ascii=False).encode()) <= teams_channel.SIZE_LIMIT
    card = teams["attachments"][0]["content"]
    assert card["actions"][0]["url"] == url
    assert card["body"][-1]["text"].endswith("…")

    for name, limit in (("mastodon", 500), ("big-toots", 1000)):
        status = payloads[name]["status"]
        assert limit - 30 < mastodon.length(status) <= limit, name
        assert status.endswith(f"…\n\n{url}"), status[-120:]


def test_teams_facts_show_component_names_as_text(tmp_path: Path) -> None:
    from generator.notify.run import senders

    name = "[x](vbscript:msgbox(1)) *API*"
    config = make_site(
        tmp_path,
        {"2026-11-30-a.yaml": INCIDENT_FOR_TEAMS},
        components=[{"id": "api", "name": name}],
        notify=[{"type": "teams", "url_env": "HOOK"}],
    )
    project = load_project(config, "2026-11-30T10:05Z")
    (message,) = candidates(project.settings, project.state())
    (teams,) = senders(project.settings, {"HOOK": "https://hooks.example.com/x"})
    card = teams.payload(message)["attachments"][0]["content"]
    facts = {
        f["title"]: f["value"] for b in card["body"] if b["type"] == "FactSet" for f in b["facts"]
    }
    affected = facts["Affected components"]
    assert affected == markup.TEAMS.escape(f"{name}: Partial outage")
    assert re.search(r"(?<!\\)\]\(vbscript", affected) is None


INCIDENT_FOR_TEAMS = """\
title: API errors
impact: major
components: [api]
updates:
  - at: 2026-11-30T10:00:00Z
    status: investigating
    message: Looking into it.
    next_update: 30m
"""
