"""The composition root: reads settings, builds the engine, services and Slack app, runs a sub-command.

python -m bot web       serve Slack's requests (gunicorn) on $PORT
python -m bot migrate   bring the database schema to the newest revision
"""

from __future__ import annotations

import argparse
import logging
import sys

from bot.config import ConfigError, Settings

log = logging.getLogger("bot")


def _configure_logging(level: str) -> None:
    logging.basicConfig(
        level=level,
        format="%(asctime)s %(levelname)s %(process)d %(name)s: %(message)s",
        stream=sys.stderr,
    )


def cmd_migrate(settings: Settings) -> int:
    from bot.migrate import upgrade

    log.info("migrating %s to head", settings.database_url_redacted)
    upgrade(settings.database_url)
    log.info("database is up to date")
    return 0


def cmd_web(settings: Settings) -> int:
    from slack_bolt.error import BoltError
    from sqlalchemy.exc import OperationalError

    from bot.migrate import pending
    from bot.services.container import build_services
    from bot.slack.app import build_bolt_app
    from bot.store.db import make_engine
    from bot.web import Server, WebApp

    engine = make_engine(settings.database_url, pool_size=settings.web_threads)
    logging.getLogger("alembic").setLevel(logging.WARNING)  # only the revision check, not a migration
    try:
        reason = pending(engine, settings.database_url)
    except OperationalError as err:
        raise ConfigError(
            f"cannot reach the database ({settings.database_url_redacted}): {err.orig}"
        ) from None
    if reason:
        raise ConfigError(f"{reason}; run `python -m bot migrate` first")
    services = build_services(engine)

    def load() -> WebApp:
        try:
            bolt_app = build_bolt_app(
                signing_secret=settings.slack_signing_secret,
                token=settings.slack_bot_token,
                api_url=settings.slack_api_url,
                services=services,
            )
        except BoltError as err:
            raise ConfigError(f"Slack rejected SLACK_BOT_TOKEN ({err})") from None
        return WebApp(bolt_app, services.healthy)

    def after_fork() -> None:
        engine.dispose(close=False)

    app = load()  # fail fast, with one line, before gunicorn starts
    log.info(
        "serving on port %d (%d workers × %d threads)",
        settings.port,
        settings.web_concurrency,
        settings.web_threads,
    )
    Server(
        lambda: app,
        port=settings.port,
        workers=settings.web_concurrency,
        threads=settings.web_threads,
        on_fork=after_fork,
    ).run()
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bot", description="Check-ins for a virtual sales team, in Slack."
    )
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("web", help="serve Slack's requests on $PORT")
    sub.add_parser("migrate", help="upgrade the database schema to the newest revision")
    args = parser.parse_args(argv)

    try:
        from dotenv import find_dotenv, load_dotenv

        load_dotenv(find_dotenv(usecwd=True), override=False)  # .env of the working directory, if any
    except ImportError:  # pragma: no cover - python-dotenv is a dependency
        pass
    try:
        settings = Settings.from_env(require_slack=args.command == "web")
        _configure_logging(settings.log_level)
        if args.command == "migrate":
            return cmd_migrate(settings)
        return cmd_web(settings)
    except ConfigError as err:
        print(f"salesbot: {err}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
