"""Typed, frozen settings read once from the environment by the composition root."""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from urllib.parse import urlsplit

DEFAULT_DATABASE_URL = "sqlite:///salesbot.db"
DEFAULT_SLACK_API_URL = "https://slack.com/api/"
# What an OAuth install asks for: the bot scopes of manifest.json (a test keeps the two equal).
DEFAULT_SCOPES = (
    "commands",
    "chat:write",
    "chat:write.public",
    "im:write",
    "users:read",
    "users:read.email",
    "files:write",
    "channels:history",
    "groups:history",
    "im:history",
    "channels:read",
    "groups:read",
)
DEFAULT_STATE_EXPIRATION_SECONDS = 600
# Where Slack sends an installer back to; the web process serves it (Bolt's default path).
OAUTH_REDIRECT_PATH = "/slack/oauth_redirect"
OAUTH_ONLY = ("SLACK_SCOPES", "SLACK_REDIRECT_URI", "SLACK_STATE_EXPIRATION_SECONDS")
# Slack shows the user an error when a request isn't answered within 3 s: work still running after
# the ack deadline is answered "working on it" and finishes through response_url (or a DM) within
# the work budget, counted from the request, or gives up with nothing written.
DEFAULT_ACK_DEADLINE_SECONDS = 2.0
DEFAULT_WORK_BUDGET_SECONDS = 30.0


class ConfigError(ValueError):
    """A setting is missing or malformed; the message is one line meant for a human."""


def normalize_database_url(url: str) -> str:
    """Accept the URLs hosting platforms hand out and point them at the psycopg 3 driver."""
    url = url.strip()
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def _redact(url: str) -> str:
    parts = urlsplit(url)
    if parts.password:
        netloc = parts.netloc.replace(f":{parts.password}@", ":***@")
        return parts._replace(netloc=netloc).geturl()
    return url


@dataclass(frozen=True)
class Settings:
    """Token mode (one workspace, ``SLACK_BOT_TOKEN``) unless ``SLACK_CLIENT_ID`` selects OAuth mode."""

    slack_bot_token: str = field(repr=False)
    slack_signing_secret: str = field(repr=False)
    slack_app_token: str | None = field(default=None, repr=False)
    slack_client_id: str | None = None
    slack_client_secret: str | None = field(default=None, repr=False)
    slack_scopes: tuple[str, ...] = DEFAULT_SCOPES
    slack_redirect_uri: str | None = None
    slack_state_expiration_seconds: int = DEFAULT_STATE_EXPIRATION_SECONDS
    slack_api_url: str = DEFAULT_SLACK_API_URL
    database_url: str = DEFAULT_DATABASE_URL
    port: int = 3000
    web_concurrency: int = 2
    web_threads: int = 8
    clock_send_workers: int = 8
    ack_deadline_seconds: float = DEFAULT_ACK_DEADLINE_SECONDS
    work_budget_seconds: float = DEFAULT_WORK_BUDGET_SECONDS
    log_level: str = "INFO"
    # The bot's public base URL (``https://salesbot.example.com``): what the CRM ingestion endpoints
    # that ``/team integrations`` shows start with, and what HubSpot signs. None: only paths are shown.
    public_url: str | None = None

    @property
    def database_url_redacted(self) -> str:
        return _redact(self.database_url)

    @property
    def oauth(self) -> bool:
        """Multi-workspace mode: workspaces install the app through OAuth, each with its own bot token."""
        return self.slack_client_id is not None

    @property
    def socket_mode(self) -> bool:
        """Slack's requests arrive over a WebSocket the bot opens (``SLACK_APP_TOKEN``), not by HTTP."""
        return self.slack_app_token is not None and not self.oauth

    @classmethod
    def from_env(
        cls,
        environ: Mapping[str, str] | None = None,
        *,
        require_slack: bool = True,
        require_secret: bool = True,
    ) -> Settings:
        env = os.environ if environ is None else environ

        def get(name: str) -> str | None:
            value = env.get(name)
            return value.strip() if value and value.strip() else None

        bot_token = get("SLACK_BOT_TOKEN")
        secret = get("SLACK_SIGNING_SECRET")
        client_id, client_secret = get("SLACK_CLIENT_ID"), get("SLACK_CLIENT_SECRET")
        oauth = require_slack and bool(client_id or client_secret)
        app_token = get("SLACK_APP_TOKEN")
        if app_token and not app_token.startswith("xapp-"):
            raise ConfigError("SLACK_APP_TOKEN must be an app-level token starting with xapp-")
        if oauth and app_token:
            raise ConfigError(
                "SLACK_APP_TOKEN (Socket Mode) serves one workspace and OAuth install needs HTTP: "
                "unset SLACK_APP_TOKEN, or SLACK_CLIENT_ID and SLACK_CLIENT_SECRET"
            )
        if oauth:
            _check_oauth(get, require_secret=require_secret)
        elif require_slack:
            # Over Socket Mode nothing comes by HTTP, so there is no signature to check.
            _check_token(get, require_secret=require_secret and not app_token)

        api_url = get("SLACK_API_URL") or DEFAULT_SLACK_API_URL
        parts = urlsplit(api_url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ConfigError(f"SLACK_API_URL must be an http(s) URL, got {api_url!r}")
        if not api_url.endswith("/"):
            api_url += "/"

        public_url = _public_url(get("PUBLIC_URL"))

        database_url = normalize_database_url(get("DATABASE_URL") or DEFAULT_DATABASE_URL)
        if not (database_url.startswith("sqlite") or database_url.startswith("postgresql")):
            raise ConfigError("DATABASE_URL must be a sqlite:/// or postgres:// URL")

        def integer(name: str, default: int, low: int, high: int) -> int:
            raw = get(name)
            if raw is None:
                return default
            try:
                value = int(raw)
            except ValueError:
                raise ConfigError(f"{name} must be a whole number, got {raw!r}") from None
            if not low <= value <= high:
                raise ConfigError(f"{name} must be between {low} and {high}, got {value}")
            return value

        def seconds(name: str, default: float, low: float, high: float) -> float:
            raw = get(name)
            if raw is None:
                return default
            try:
                value = float(raw)
            except ValueError:
                raise ConfigError(f"{name} must be a number of seconds, got {raw!r}") from None
            if not low <= value <= high:  # also refuses nan
                raise ConfigError(f"{name} must be between {low:g} and {high:g} seconds, got {raw}")
            return value

        ack_deadline = seconds("ACK_DEADLINE_SECONDS", DEFAULT_ACK_DEADLINE_SECONDS, 0.1, 2.9)
        work_budget = seconds("WORK_BUDGET_SECONDS", DEFAULT_WORK_BUDGET_SECONDS, ack_deadline, 600)

        log_level = (get("LOG_LEVEL") or "INFO").upper()
        if log_level not in ("DEBUG", "INFO", "WARNING", "ERROR"):
            raise ConfigError(f"LOG_LEVEL must be DEBUG, INFO, WARNING or ERROR, got {log_level!r}")

        return cls(
            slack_bot_token=bot_token or "",
            slack_signing_secret=secret or "",
            slack_app_token=app_token,
            slack_client_id=client_id if oauth else None,
            slack_client_secret=client_secret if oauth else None,
            slack_scopes=_scopes(get("SLACK_SCOPES")) if oauth else DEFAULT_SCOPES,
            slack_redirect_uri=_redirect_uri(get("SLACK_REDIRECT_URI")) if oauth else None,
            slack_state_expiration_seconds=integer(
                "SLACK_STATE_EXPIRATION_SECONDS", DEFAULT_STATE_EXPIRATION_SECONDS, 60, 86400
            ),
            slack_api_url=api_url,
            database_url=database_url,
            port=integer("PORT", 3000, 1, 65535),
            # SQLite takes one writer at a time, and writers in two processes wait for each other by
            # polling its file lock (sleeps of up to 100 ms): on SQLite one worker serves /log bursts
            # as fast as two, with a far shorter tail. PostgreSQL uses a worker per core.
            web_concurrency=integer("WEB_CONCURRENCY", 1 if database_url.startswith("sqlite") else 2, 1, 64),
            web_threads=integer("WEB_THREADS", 8, 1, 256),
            clock_send_workers=integer("CLOCK_SEND_WORKERS", 8, 1, 64),
            ack_deadline_seconds=ack_deadline,
            work_budget_seconds=work_budget,
            log_level=log_level,
            public_url=public_url,
        )


Getter = Callable[[str], str | None]


def _check_token(get: Getter, *, require_secret: bool) -> None:
    """Token mode, the default: one workspace, its bot token given."""
    needed = [("SLACK_BOT_TOKEN", get("SLACK_BOT_TOKEN"))]
    if require_secret:
        needed.append(("SLACK_SIGNING_SECRET", get("SLACK_SIGNING_SECRET")))
    missing = [n for n, v in needed if not v]
    if missing:
        raise ConfigError(f"{' and '.join(missing)} must be set (see README: Configuration)")
    if not str(get("SLACK_BOT_TOKEN")).startswith("xoxb-"):
        raise ConfigError("SLACK_BOT_TOKEN must be a bot token starting with xoxb-")
    leftover = [name for name in OAUTH_ONLY if get(name)]
    if leftover:
        raise ConfigError(
            f"{leftover[0]} only applies to OAuth install: set SLACK_CLIENT_ID and SLACK_CLIENT_SECRET "
            "instead of SLACK_BOT_TOKEN, or unset it"
        )


def _check_oauth(get: Getter, *, require_secret: bool) -> None:
    """OAuth mode: each installing workspace gets its own bot token, so a fixed one is a contradiction.

    The web process runs the install flow and needs the client secret and the signing secret; the
    clock only reads the stored installations, which the client ID alone selects.
    """
    if get("SLACK_BOT_TOKEN"):
        raise ConfigError(
            "set either SLACK_BOT_TOKEN (one workspace) or SLACK_CLIENT_ID and SLACK_CLIENT_SECRET "
            "(OAuth install), not both"
        )
    if not get("SLACK_CLIENT_ID"):
        raise ConfigError("SLACK_CLIENT_SECRET is set without SLACK_CLIENT_ID: OAuth install needs both")
    if require_secret and not get("SLACK_CLIENT_SECRET"):
        raise ConfigError("SLACK_CLIENT_ID is set without SLACK_CLIENT_SECRET: OAuth install needs both")
    if require_secret and not get("SLACK_SIGNING_SECRET"):
        raise ConfigError("SLACK_SIGNING_SECRET must be set (see README: Configuration)")


def _scopes(raw: str | None) -> tuple[str, ...]:
    """Slack's comma-separated scope list (Bolt's ``SLACK_SCOPES`` format); spaces are forgiven."""
    if raw is None:
        return DEFAULT_SCOPES
    scopes = tuple(s for s in re.split(r"[,\s]+", raw) if s)
    bad = [s for s in scopes if not re.fullmatch(r"[a-z][a-z0-9_.:]*", s)]
    if not scopes or bad:
        raise ConfigError(
            f"SLACK_SCOPES must be comma-separated bot scopes like commands,chat:write, got {raw!r}"
        )
    return scopes


def _redirect_uri(raw: str | None) -> str | None:
    """The Redirect URL registered with Slack; it must reach this app's callback path."""
    if raw is None:
        return None
    parts = urlsplit(raw)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ConfigError(f"SLACK_REDIRECT_URI must be an http(s) URL, got {raw!r}")
    if not parts.path.endswith(OAUTH_REDIRECT_PATH) or parts.query or parts.fragment:
        raise ConfigError(f"SLACK_REDIRECT_URI must end with {OAUTH_REDIRECT_PATH}, got {raw!r}")
    return raw


def _public_url(raw: str | None) -> str | None:
    """The base of public URLs: http(s), a host, no query or fragment; any trailing slash dropped."""
    if raw is None:
        return None
    parts = urlsplit(raw)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        raise ConfigError(f"PUBLIC_URL must be an http(s) URL like https://salesbot.example.com, got {raw!r}")
    return raw.rstrip("/")
