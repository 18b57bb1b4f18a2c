"""Typed, frozen settings read once from the environment by the composition root."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import urlsplit

DEFAULT_DATABASE_URL = "sqlite:///salesbot.db"
DEFAULT_SLACK_API_URL = "https://slack.com/api/"


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
    slack_bot_token: str = field(repr=False)
    slack_signing_secret: str = field(repr=False)
    slack_app_token: str | None = field(default=None, repr=False)
    slack_api_url: str = DEFAULT_SLACK_API_URL
    database_url: str = DEFAULT_DATABASE_URL
    port: int = 3000
    web_concurrency: int = 2
    web_threads: int = 8
    log_level: str = "INFO"

    @property
    def database_url_redacted(self) -> str:
        return _redact(self.database_url)

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
        if require_slack:
            needed = [("SLACK_BOT_TOKEN", bot_token)]
            if require_secret:
                needed.append(("SLACK_SIGNING_SECRET", secret))
            missing = [n for n, v in needed if not v]
            if missing:
                raise ConfigError(f"{' and '.join(missing)} must be set (see README: Configuration)")
            if not bot_token.startswith("xoxb-"):
                raise ConfigError("SLACK_BOT_TOKEN must be a bot token starting with xoxb-")
        app_token = get("SLACK_APP_TOKEN")
        if app_token and not app_token.startswith("xapp-"):
            raise ConfigError("SLACK_APP_TOKEN must be an app-level token starting with xapp-")

        api_url = get("SLACK_API_URL") or DEFAULT_SLACK_API_URL
        parts = urlsplit(api_url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ConfigError(f"SLACK_API_URL must be an http(s) URL, got {api_url!r}")
        if not api_url.endswith("/"):
            api_url += "/"

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

        log_level = (get("LOG_LEVEL") or "INFO").upper()
        if log_level not in ("DEBUG", "INFO", "WARNING", "ERROR"):
            raise ConfigError(f"LOG_LEVEL must be DEBUG, INFO, WARNING or ERROR, got {log_level!r}")

        return cls(
            slack_bot_token=bot_token or "",
            slack_signing_secret=secret or "",
            slack_app_token=app_token,
            slack_api_url=api_url,
            database_url=database_url,
            port=integer("PORT", 3000, 1, 65535),
            web_concurrency=integer("WEB_CONCURRENCY", 2, 1, 64),
            web_threads=integer("WEB_THREADS", 8, 1, 256),
            log_level=log_level,
        )
