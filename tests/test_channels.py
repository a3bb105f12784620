"""The `notify:` channels of mkdocs.yml (generator/core/channels.py): a `*_env` setting holds
the name of an environment variable; a token, password or URL pasted there instead is
refused at its place and never repeated, by `candor check` and by `candor notify`."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace
from typing import cast

import pytest
from candor_sites import make_site
from click.testing import CliRunner

from generator.cli import main
from generator.core.channels import MastodonChannel, is_env_name
from generator.core.config import Settings
from generator.notify.channel import MissingSecret
from generator.notify.mastodon import Sender as Mastodon
from generator.notify.messages import Site
from generator.notify.run import redactor

TOKEN = "Zq8vK3mN0pLrT5wXy7bC2dF4gH6jA1sE9uI0oP3qRk"
PASSWORD = "Tr0ub4dorAndHorseBattery9"
NOW = "2026-12-01T00:00Z"


@pytest.mark.parametrize(
    "name",
    [
        "SLACK_WEBHOOK_URL",
        "STATUS_WEBHOOK_SECRET",
        "MASTODON_TOKEN",
        "SMTP_PASSWORD",
        "SMTP_PORT",
        "GITHUB_TOKEN",
        "HOOK",
        "S3_BUCKET_URL",
        "SMTP2GO_PASSWORD",
        "_PRIVATE",
    ],
)
def test_names_as_people_write_them_pass(name: str) -> None:
    assert is_env_name(name)


@pytest.mark.parametrize(
    "value",
    [
        TOKEN,
        PASSWORD,
        "hunter2",  # lower case: a password, or a name GitHub would not keep as written
        "https://hooks.slack.com/services/T1/B2/xyz",
        "JBSWY3DPEHPK3PXP",  # a base32 secret is all capitals and digits
        "AKIAIOSFODNN7EXAMPLE",
        "9LIVES",
        "",
    ],
)
def test_values_that_are_not_names_are_refused(value: str) -> None:
    assert not is_env_name(value)


def test_check_refuses_a_pasted_token_or_password_at_its_place_without_repeating_it(
    tmp_path: Path,
) -> None:
    config = make_site(
        tmp_path,
        {},
        notify=[
            {"type": "mastodon", "url_env": "MASTODON_URL", "token_env": TOKEN},
            {
                "type": "email",
                "host_env": "SMTP_HOST",
                "password_env": PASSWORD,
                "to": "list@lists.example.com",
                "from": "status@example.com",
            },
        ],
    )
    lines = config.read_text(encoding="utf-8").splitlines()
    token_line = next(i for i, line in enumerate(lines, 1) if TOKEN in line)
    password_line = next(i for i, line in enumerate(lines, 1) if PASSWORD in line)
    result = CliRunner().invoke(
        main, ["check", "--config", str(config), "--now", NOW, "--format", "json"]
    )
    assert result.exit_code == 1
    assert TOKEN not in result.output and PASSWORD not in result.output
    problems = json.loads(result.output)["problems"]
    places = {(p["line"], p["severity"], p["rule"]) for p in problems}
    assert (token_line, "error", "invalid-value") in places
    assert (password_line, "error", "invalid-value") in places
    assert all(p["column"] for p in problems)
    assert any("names an environment variable" in p["message"] for p in problems)

    notify = CliRunner().invoke(main, ["notify", "--config", str(config), "--dry-run"])
    assert notify.exit_code == 1
    assert TOKEN not in notify.output and PASSWORD not in notify.output
    assert "names an environment variable" in notify.output


def test_notify_never_quotes_a_setting_that_is_not_a_name() -> None:
    """Should a value check refuses reach a channel anyway (a config built in code), the error
    names the setting, not its value, and the redactor hides the value too."""
    config = MastodonChannel.model_construct(
        type="mastodon", url_env="MASTODON_URL", token_env=TOKEN, name=None, retries=0
    )
    env = {"MASTODON_URL": "https://mastodon.example"}
    sender = Mastodon(config, env, Site.__new__(Site))
    with pytest.raises(MissingSecret) as info:
        sender.secret("token_env")
    assert TOKEN not in str(info.value)
    assert "the variable named in `token_env` is not set" in str(info.value)

    settings = cast(Settings, SimpleNamespace(candor=SimpleNamespace(notify=[config])))
    assert TOKEN not in redactor(settings, env)(f"mastodon: {TOKEN} is not set")
