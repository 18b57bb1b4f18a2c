"""Settings come from the environment once; a bad one stops start-up with a single clear line."""

from __future__ import annotations

import subprocess
import sys

import pytest

from bot.config import ConfigError, Settings

GOOD = {"SLACK_BOT_TOKEN": "xoxb-1-2-abc", "SLACK_SIGNING_SECRET": "s3cret"}


def test_defaults() -> None:
    s = Settings.from_env(GOOD)
    assert s.database_url == "sqlite:///salesbot.db"
    assert s.slack_api_url == "https://slack.com/api/"
    assert s.port == 3000
    assert s.slack_app_token is None


@pytest.mark.parametrize(
    ("env", "field", "expected"),
    [
        (
            {"DATABASE_URL": "postgres://u:p@db:5432/app"},
            "database_url",
            "postgresql+psycopg://u:p@db:5432/app",
        ),
        ({"DATABASE_URL": "postgresql://u@db/app"}, "database_url", "postgresql+psycopg://u@db/app"),
        ({"DATABASE_URL": "sqlite:////var/data/bot.db"}, "database_url", "sqlite:////var/data/bot.db"),
        ({"SLACK_API_URL": "http://127.0.0.1:9999/api"}, "slack_api_url", "http://127.0.0.1:9999/api/"),
        ({"SLACK_API_URL": "https://slack-gov.com/api/"}, "slack_api_url", "https://slack-gov.com/api/"),
        ({"PORT": "8080"}, "port", 8080),
        ({"PORT": " 8080 "}, "port", 8080),
        ({"WEB_CONCURRENCY": "4"}, "web_concurrency", 4),
        ({"LOG_LEVEL": "debug"}, "log_level", "DEBUG"),
        ({"SLACK_APP_TOKEN": "xapp-1-abc"}, "slack_app_token", "xapp-1-abc"),
    ],
)
def test_values_are_read_and_normalised(env: dict, field: str, expected: object) -> None:
    assert getattr(Settings.from_env({**GOOD, **env}), field) == expected


@pytest.mark.parametrize(
    ("env", "mentions"),
    [
        ({"SLACK_BOT_TOKEN": ""}, "SLACK_BOT_TOKEN"),
        ({"SLACK_SIGNING_SECRET": "  "}, "SLACK_SIGNING_SECRET"),
        ({"SLACK_BOT_TOKEN": "xoxp-user-token"}, "xoxb-"),
        ({"SLACK_APP_TOKEN": "xoxb-wrong-kind"}, "xapp-"),
        ({"PORT": "eighty"}, "PORT"),
        ({"PORT": "70000"}, "PORT"),
        ({"SLACK_API_URL": "slack.com/api"}, "SLACK_API_URL"),
        ({"DATABASE_URL": "mysql://x@y/z"}, "DATABASE_URL"),
        ({"LOG_LEVEL": "LOUD"}, "LOG_LEVEL"),
    ],
)
def test_bad_settings_are_refused_with_a_reason(env: dict, mentions: str) -> None:
    with pytest.raises(ConfigError, match=mentions):
        Settings.from_env({**GOOD, **env})


def test_secrets_never_appear_in_repr_and_passwords_are_redacted() -> None:
    s = Settings.from_env({**GOOD, "DATABASE_URL": "postgres://app:hunter2@db/app"})
    assert "xoxb-1-2-abc" not in repr(s)
    assert "s3cret" not in repr(s)
    assert "hunter2" not in s.database_url_redacted


def test_migrate_needs_no_slack_settings() -> None:
    assert Settings.from_env({}, require_slack=False).slack_bot_token == ""


def test_web_without_settings_exits_with_one_clear_line(tmp_path) -> None:
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "-m", "bot", "web"],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "salesbot: SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET must be set (see README: Configuration)"
    ]


def test_web_against_an_unmigrated_database_says_what_to_run(tmp_path) -> None:
    env = {
        **GOOD,
        "PATH": "/usr/bin:/bin",
        "HOME": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path}/new.db",
    }
    result = subprocess.run(
        [sys.executable, "-m", "bot", "web"],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    last = result.stderr.strip().splitlines()[-1]
    assert last == "salesbot: the database has no tables yet; run `python -m bot migrate` first"
