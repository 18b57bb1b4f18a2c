"""Settings come from the environment once; a bad one stops start-up with a single clear line."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from bot.config import DEFAULT_SCOPES, ConfigError, Settings

GOOD = {"SLACK_BOT_TOKEN": "xoxb-1-2-abc", "SLACK_SIGNING_SECRET": "s3cret"}
OAUTH = {
    "SLACK_CLIENT_ID": "1111.2222",
    "SLACK_CLIENT_SECRET": "c1ient-s3cret",
    "SLACK_SIGNING_SECRET": "s3cret",
}
MANIFEST = Path(__file__).resolve().parent.parent / "manifest.json"
SOCKET_MANIFEST = MANIFEST.with_name("manifest.socket.json")
APP_TOKEN = "xapp-1-A0SALESBOT-1-abc"


def _with(base: dict[str, str], changes: dict[str, str | None]) -> dict[str, str]:
    """``base`` with ``changes`` applied; None removes a variable."""
    env = {**base, **changes}
    return {k: v for k, v in env.items() if v is not None}


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
        ({"PUBLIC_URL": "https://bot.example.com/"}, "public_url", "https://bot.example.com"),
        ({"PUBLIC_URL": "http://10.0.0.5:3000/sales"}, "public_url", "http://10.0.0.5:3000/sales"),
        ({"PORT": "8080"}, "port", 8080),
        ({"PORT": " 8080 "}, "port", 8080),
        ({"WEB_CONCURRENCY": "4"}, "web_concurrency", 4),
        ({}, "web_concurrency", 1),  # SQLite takes one writer at a time: one worker
        ({"DATABASE_URL": "postgres://u@db/app"}, "web_concurrency", 2),
        ({"DATABASE_URL": "postgres://u@db/app", "WEB_CONCURRENCY": "3"}, "web_concurrency", 3),
        ({"CLOCK_SEND_WORKERS": "16"}, "clock_send_workers", 16),
        ({}, "clock_send_workers", 8),
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
        ({"CLOCK_SEND_WORKERS": "0"}, "CLOCK_SEND_WORKERS"),
        ({"SLACK_API_URL": "slack.com/api"}, "SLACK_API_URL"),
        ({"PUBLIC_URL": "bot.example.com"}, "PUBLIC_URL"),
        ({"PUBLIC_URL": "ftp://bot.example.com"}, "PUBLIC_URL"),
        ({"PUBLIC_URL": "https://bot.example.com/?x=1"}, "PUBLIC_URL"),
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


def test_token_mode_is_the_default() -> None:
    s = Settings.from_env(GOOD)
    assert s.oauth is False
    assert s.slack_client_id is None and s.slack_client_secret is None
    assert s.slack_bot_token == "xoxb-1-2-abc"


def test_a_client_id_and_secret_select_oauth_mode() -> None:
    s = Settings.from_env(OAUTH)
    assert s.oauth is True
    assert (s.slack_client_id, s.slack_client_secret) == ("1111.2222", "c1ient-s3cret")
    assert s.slack_bot_token == ""
    assert s.slack_scopes == DEFAULT_SCOPES
    assert s.slack_redirect_uri is None
    assert s.slack_state_expiration_seconds == 600


@pytest.mark.parametrize(
    ("env", "field", "expected"),
    [
        ({"SLACK_SCOPES": "commands, chat:write"}, "slack_scopes", ("commands", "chat:write")),
        (
            {"SLACK_REDIRECT_URI": "https://sales.example.com/slack/oauth_redirect"},
            "slack_redirect_uri",
            "https://sales.example.com/slack/oauth_redirect",
        ),
        ({"SLACK_STATE_EXPIRATION_SECONDS": "300"}, "slack_state_expiration_seconds", 300),
    ],
)
def test_oauth_values_are_read(env: dict, field: str, expected: object) -> None:
    assert getattr(Settings.from_env({**OAUTH, **env}), field) == expected


@pytest.mark.parametrize(
    ("env", "mentions"),
    [
        ({"SLACK_CLIENT_SECRET": None}, "SLACK_CLIENT_ID is set without SLACK_CLIENT_SECRET"),
        ({"SLACK_CLIENT_ID": None}, "SLACK_CLIENT_SECRET is set without SLACK_CLIENT_ID"),
        ({"SLACK_BOT_TOKEN": "xoxb-1-2-abc"}, "not both"),
        ({"SLACK_SIGNING_SECRET": None}, "SLACK_SIGNING_SECRET must be set"),
        ({"SLACK_SCOPES": "commands;chat write"}, "SLACK_SCOPES"),
        ({"SLACK_SCOPES": " , "}, "SLACK_SCOPES"),
        ({"SLACK_REDIRECT_URI": "sales.example.com/slack/oauth_redirect"}, "SLACK_REDIRECT_URI"),
        ({"SLACK_REDIRECT_URI": "https://sales.example.com/callback"}, "/slack/oauth_redirect"),
        ({"SLACK_STATE_EXPIRATION_SECONDS": "5"}, "SLACK_STATE_EXPIRATION_SECONDS"),
    ],
)
def test_half_configured_oauth_is_refused_with_a_reason(env: dict, mentions: str) -> None:
    with pytest.raises(ConfigError, match=mentions) as caught:
        Settings.from_env(_with(OAUTH, env))
    assert "\n" not in str(caught.value)


@pytest.mark.parametrize("name", ["SLACK_SCOPES", "SLACK_REDIRECT_URI", "SLACK_STATE_EXPIRATION_SECONDS"])
def test_oauth_settings_without_a_client_id_are_refused(name: str) -> None:
    value = {"SLACK_REDIRECT_URI": "https://sales.example.com/slack/oauth_redirect"}.get(name, "300")
    with pytest.raises(ConfigError, match=f"{name} only applies to OAuth install"):
        Settings.from_env({**GOOD, name: value})


def test_the_clock_needs_only_the_client_id_in_oauth_mode() -> None:
    s = Settings.from_env({"SLACK_CLIENT_ID": "1111.2222"}, require_secret=False)
    assert s.oauth is True and s.slack_client_secret is None


def test_the_client_secret_never_appears_in_repr() -> None:
    assert "c1ient-s3cret" not in repr(Settings.from_env(OAUTH))


def test_an_install_asks_for_the_manifests_bot_scopes() -> None:
    manifest = json.loads(MANIFEST.read_text())
    assert list(DEFAULT_SCOPES) == manifest["oauth_config"]["scopes"]["bot"]


def test_the_socket_mode_manifest_is_the_http_one_without_request_urls() -> None:
    http, socket = json.loads(MANIFEST.read_text()), json.loads(SOCKET_MANIFEST.read_text())
    assert socket["oauth_config"]["scopes"]["bot"] == list(DEFAULT_SCOPES)
    assert socket["settings"]["socket_mode_enabled"] is True
    assert "YOUR-HOST" not in SOCKET_MANIFEST.read_text()  # no request URL, no redirect URL

    def without_urls(node):
        if isinstance(node, dict):
            return {
                k: without_urls(v)
                for k, v in node.items()
                if k not in ("url", "request_url", "redirect_urls", "socket_mode_enabled")
            }
        return [without_urls(v) for v in node] if isinstance(node, list) else node

    assert without_urls(socket) == without_urls(http)  # same commands, events, scopes, texts


def test_an_app_token_selects_socket_mode_without_a_signing_secret() -> None:
    s = Settings.from_env({"SLACK_BOT_TOKEN": "xoxb-1-2-abc", "SLACK_APP_TOKEN": APP_TOKEN})
    assert s.socket_mode is True and s.slack_signing_secret == ""
    assert APP_TOKEN not in repr(s)
    assert Settings.from_env(GOOD).socket_mode is False


@pytest.mark.parametrize("require_secret", [True, False], ids=["web", "clock"])
def test_an_app_token_with_oauth_settings_is_refused_in_one_line(require_secret: bool) -> None:
    with pytest.raises(ConfigError) as refused:
        Settings.from_env({**OAUTH, "SLACK_APP_TOKEN": APP_TOKEN}, require_secret=require_secret)
    message = str(refused.value)
    assert "\n" not in message
    assert "SLACK_APP_TOKEN" in message and "OAuth" in message and "HTTP" in message


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


def test_web_with_half_an_oauth_setup_exits_with_one_clear_line(tmp_path) -> None:
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(tmp_path),
        "SLACK_CLIENT_ID": "1111.2222",
        "SLACK_SIGNING_SECRET": "s",
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
    assert result.stderr.strip().splitlines() == [
        "salesbot: SLACK_CLIENT_ID is set without SLACK_CLIENT_SECRET: OAuth install needs both"
    ]
