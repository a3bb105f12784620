"""A site on disk for `candor notify` tests, its live copy, and the publish the workflow runs:
build, `candor notify --prepare`, deploy, `candor notify`, deploy again (the record).

Import as `from notify_sites import ...` (see candor_sites for why not conftest)."""

from __future__ import annotations

import base64
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

from candor_sites import make_site
from notify_receivers import Mailbox, Receiver

from generator.core.project import load_project
from generator.outputs.artifacts import build_artifacts
from generator.outputs.writer import write_artifacts

CANDOR = Path(sys.executable).parent / "candor"
TOKENS = {
    "webhook": "hookT0KEN5ecretA1b2C3",
    "slack": "T0SLACK/B0SLACK/xoxSlackS3cretZ9y8",
    "discord": "1234567890/discordS3cretTokenQw3rty",
    "teams": "workflows/abc/triggers/manual/paths/invoke?sig=teamsS1gnatureS3cret77",
}
MASTODON_TOKEN = "mastodonBearerS3cret4455"
SMTP_PASSWORD = "smtpPassw0rdS3cret"
HOOK_SECRET = "whsec_" + base64.b64encode(b"candor-webhook-test-secret-0001").decode()
SECRETS = [
    *(t.rsplit("/", 1)[-1].split("=")[-1] for t in TOKENS.values()),
    MASTODON_TOKEN,
    SMTP_PASSWORD,
    HOOK_SECRET.removeprefix("whsec_"),
]

INCIDENT = """\
title: Checkout errors
impact: major
components: [api]
updates:
  - at: 2026-12-01T09:00:00Z
    status: investigating
    message: |
      We're **sorry**: checkout fails for some customers. See [the guide](https://docs.example.com/retry).
    components: {api: partial_outage}
    next_update: 30m
"""
SECOND = """\
  - at: 2026-12-01T09:30:00Z
    status: identified
    message: A configuration change broke payments. We are rolling it back.
"""


EMAIL = {
    "type": "email",
    "host_env": "SMTP_HOST",
    "port_env": "SMTP_PORT",
    "user_env": "SMTP_USER",
    "password_env": "SMTP_PASSWORD",
    "to": "status@lists.example.com",
    "from": "noreply@status.example.com",
}


class Site:
    """A site on disk, its live copy, and the receivers its channels point at."""

    def __init__(self, tmp: Path, http: dict[str, Receiver], mailbox: Mailbox, **options: Any):
        self.tmp = tmp
        self.http = http
        self.mailbox = mailbox
        self.live = tmp / "live"
        self.live.mkdir()
        self.site = tmp / "site"
        channels = [
            {"type": "webhook", "url_env": "HOOK_URL", "secret_env": "HOOK_SECRET"},
            {"type": "slack", "url_env": "SLACK_URL"},
            {"type": "discord", "url_env": "DISCORD_URL", "retries": 1},
            {"type": "teams", "url_env": "TEAMS_URL"},
            {"type": "mastodon", "url_env": "MASTODON_URL", "token_env": "MASTODON_TOKEN"},
            {**EMAIL, "unsubscribe_url": "https://lists.example.com/unsubscribe"},
        ]
        options.setdefault("notify", channels)
        self.config = make_site(tmp, {}, **options)
        # Only the receivers a test started have an address (a test may start just one).
        urls = {kind: receiver.url for kind, receiver in http.items()}
        addresses = {
            "HOOK_URL": f"{urls.get('webhook')}/{TOKENS['webhook']}",
            "SLACK_URL": f"{urls.get('slack')}/services/{TOKENS['slack']}",
            "DISCORD_URL": f"{urls.get('discord')}/api/webhooks/{TOKENS['discord']}",
            "TEAMS_URL": f"{urls.get('teams')}/{TOKENS['teams']}",
            "MASTODON_URL": str(urls.get("mastodon")),
        }
        kinds = {"HOOK_URL": "webhook", "SLACK_URL": "slack", "DISCORD_URL": "discord"}
        kinds |= {"TEAMS_URL": "teams", "MASTODON_URL": "mastodon"}
        self.env = {
            **os.environ,
            **{name: url for name, url in addresses.items() if kinds[name] in urls},
            "HOOK_SECRET": HOOK_SECRET,
            "MASTODON_TOKEN": MASTODON_TOKEN,
            "SMTP_HOST": "127.0.0.1",
            "SMTP_PORT": str(mailbox.port),
            "SMTP_USER": mailbox.user,
            "SMTP_PASSWORD": SMTP_PASSWORD,
            "SSL_CERT_FILE": str(mailbox.ca_file),
        }
        self.env.pop("CANDOR_NOW", None)
        self.outputs: list[str] = []

    def write(self, name: str, text: str) -> None:
        (self.tmp / "incidents" / name).write_text(text, encoding="utf-8")

    def build(self, now: str) -> None:
        """What `candor build` writes that notify reads: the same artifacts, without mkdocs."""
        shutil.rmtree(self.site, ignore_errors=True)
        self.site.mkdir()
        project = load_project(self.config, now)
        write_artifacts(self.site, build_artifacts(project.settings, project.state()))

    def candor(self, *args: str, now: str) -> subprocess.CompletedProcess[str]:
        result = subprocess.run(
            [str(CANDOR), "notify", "--config", str(self.config), "--now", now, *args],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        self.outputs += [result.stdout, result.stderr]
        return result

    def deploy(self) -> None:
        shutil.rmtree(self.live)
        shutil.copytree(self.site, self.live)

    def publish(self, now: str, previous: str | None = None) -> subprocess.CompletedProcess[str]:
        self.build(now)
        before = previous or str(self.live)
        prepared = self.candor("--prepare", "--site", str(self.site), "--previous", before, now=now)
        assert prepared.returncode == 0, prepared.stdout + prepared.stderr
        self.deploy()
        sent = self.candor("--site", str(self.site), "--previous", before, now=now)
        self.deploy()  # the record, published: the workflow's second deploy
        return sent

    def counts(self) -> dict[str, int]:
        found = {kind: len(r.accepted) for kind, r in self.http.items()}
        found["email"] = len(self.mailbox.messages)
        return found
