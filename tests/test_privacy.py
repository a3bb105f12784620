"""`private-data` (generator/rules/privacy.py): addresses, internal hosts and credentials in
public text, at their place; documentation addresses, code and public links are fine."""

from __future__ import annotations

import pytest
from candor_sites import check_file, incident_text, rule_hits

FIRST = 10  # the message's first line in `incident_text`


def at(line_text: str, needle: str, line: int = FIRST) -> str:
    return f"{line}:{7 + line_text.index(needle)}"


@pytest.mark.parametrize(
    ("message", "needle", "what"),
    [
        ("Jana (jana.novak@gmail.com) reported it first.", "jana.novak", "an email address"),
        ("Requests from 81.2.69.160 were rejected.", "81.2", "an IP address"),
        ("The primary at 10.0.3.17 ran out of disk.", "10.0", "an internal IP address"),
        ("Traffic from fd12:3456:789a::1 was dropped.", "fd12", "an internal IP address"),
        ("The host db-3.prod.internal ran out of disk.", "db-3", "an internal host name"),
        ("Dashboards: https://grafana.corp/d/abc show it.", "https", "a link to an internal host"),
        ("We rotated ghp_aB3dE6gH9jK2mN5pQ8sT1vW4yZ7bC0eF3hJ6 at once.", "ghp_", "a GitHub token"),
        ("Use AKIAIOSFODNN7EXAMPLE for the bucket.", "AKIA", "an AWS access key"),
        ("Connect to postgres://app:hunter22@db.northwind.example/app", "postgres", "a password"),
        ("お問い合わせは sato.taro@gmail.com までご連絡ください。", "sato", "an email address"),
    ],
)
def test_private_data_is_found_at_its_place(message: str, needle: str, what: str) -> None:
    problems = [p for p in check_file(incident_text(message)) if p.rule == "private-data"]
    assert [f"{p.line}:{p.column}" for p in problems] == [at(message, needle)]
    assert f"shows {what}" in problems[0].message
    assert problems[0].severity == "warning"


def test_a_credential_is_never_repeated_in_the_report() -> None:
    token = "ghp_aB3dE6gH9jK2mN5pQ8sT1vW4yZ7bC0eF3hJ6"
    problems = check_file(incident_text(f"The token `{token}` was in the log."))
    found = [p for p in problems if p.rule == "private-data"]
    assert len(found) == 1, "a credential is reported even inside code"
    assert token not in str(found[0]) and "`ghp_…`" in found[0].message
    assert "revoke it now" in found[0].hint


def test_private_data_in_the_author_and_in_a_postmortem_section() -> None:
    text = incident_text(
        "All good now. No data was lost.",
        status="resolved",
        next_update=None,
        by="jonas.berg@northwind-cloud.com",
        tail=(
            "postmortem:\n"
            "  published_at: 2026-11-20T09:30:00Z\n"
            "  apology: We are sorry.\n"
            "  what_happened: |\n"
            "    The replica 192.168.10.4 fell behind.\n"
            "  why: A disk.\n  what_we_did: Replaced it.\n  impact: Slow reads.\n"
            "  prevention: We replaced the disk.\n"
        ),
    )
    assert rule_hits(text, "private-data") == ["7:9", "14:17"]


@pytest.mark.parametrize(
    "message",
    [
        # addresses set aside for documentation (RFC 2606, 5737, 3849)
        "For example, a request from 192.0.2.10 or 203.0.113.7 to 2001:db8::1 is refused.",
        "Write to someone@example.com or ops@status.example.org to test the webhook.",
        "Point it at host.example, api.test or db.invalid in your own tests.",
        # code: a command to run, a log line
        "Run `dig @10.0.0.2 www.northwind.example` to check, or:\n\n```\nping 10.1.2.3\n```",
        # public links and role mailboxes
        "See https://status.northwind.example/history/ or write to support@northwind.com.",
        # well-known public resolvers, versions, times
        "Resolvers such as 1.1.1.1 and 8.8.8.8 saw it; version 4.18.2 at 09:14:00 fixed it.",
        # words that only look like secrets
        "Rotate your API key in the dashboard; tokens issued before 09:00 still work.",
    ],
)
def test_private_data_near_misses(message: str) -> None:
    assert rule_hits(incident_text(message), "private-data") == []
