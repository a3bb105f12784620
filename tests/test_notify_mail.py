"""What the e-mail channel says when the SMTP server refuses: the server's own reply (it
explains the refusal), and where to look for a wrong login or a certificate that does not
verify; never the password. Against aiosmtpd on 127.0.0.1 with STARTTLS and a login."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from notify_receivers import Mailbox, start_mailbox
from notify_sites import EMAIL, INCIDENT, SMTP_PASSWORD, Site


@pytest.fixture
def site(tmp_path: Path) -> Iterator[Site]:
    box: Mailbox = start_mailbox(tmp_path, "status-bot", SMTP_PASSWORD)
    try:
        made = Site(tmp_path, {}, box, notify=[EMAIL])
        made.publish("2026-12-01T08:00Z")
        made.write("2026-12-01-checkout.yaml", INCIDENT)
        yield made
    finally:
        box.controller.stop()


def test_a_refused_message_shows_the_servers_reply(site: Site) -> None:
    site.mailbox.refuse = "554 5.7.1 rejected by policy"
    sent = site.publish("2026-12-01T09:05Z")
    assert sent.returncode == 1
    assert "email: FAILED" in sent.stdout
    assert "the server refused the message: SMTP 554 5.7.1 rejected by policy" in sent.stdout
    assert SMTP_PASSWORD not in sent.stdout + sent.stderr
    assert site.mailbox.messages == []


def test_a_wrong_password_names_the_variables_to_check(site: Site) -> None:
    site.env["SMTP_PASSWORD"] = "wrongPassw0rdS3cret"
    sent = site.publish("2026-12-01T09:05Z")
    assert sent.returncode == 1
    assert "the server refused the login (SMTP 535" in sent.stdout
    assert "check the user and password in SMTP_USER and SMTP_PASSWORD" in sent.stdout
    assert "wrongPassw0rdS3cret" not in sent.stdout + sent.stderr
    assert site.mailbox.messages == []


def test_a_certificate_that_does_not_verify_says_what_to_check(site: Site) -> None:
    del site.env["SSL_CERT_FILE"]  # the mailbox's certificate comes from a private CA
    sent = site.publish("2026-12-01T09:05Z")
    assert sent.returncode == 1
    assert "the SMTP server's certificate was not accepted" in sent.stdout, sent.stdout
    assert "SMTP_HOST" in sent.stdout and "trusted" in sent.stdout
    assert "Traceback" not in sent.stdout + sent.stderr
    assert site.mailbox.messages == []
