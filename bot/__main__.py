"""The composition root: reads settings, builds the engine, services and Slack app, runs a sub-command.

python -m bot web       serve Slack's requests (gunicorn) on $PORT, or over Socket Mode
python -m bot migrate   bring the database schema to the newest revision
python -m bot --version (also installed as the ``salesbot`` command)
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from bot.config import ConfigError, Settings

if TYPE_CHECKING:  # the sub-commands import what they need when they run
    from slack_bolt import App
    from sqlalchemy import Engine

    from bot.slack.gateway import SlackGateway
    from bot.slack.installations import OAuthInstall, WorkspaceGateways

log = logging.getLogger("bot")


def _configure_logging(level: str) -> None:
    from bot.logs import configure

    configure(level)


def cmd_migrate(settings: Settings) -> int:
    from bot.migrate import upgrade

    log.info("migrating %s to head", settings.database_url_redacted)
    upgrade(settings.database_url)
    log.info("database is up to date")
    return 0


def _ready_engine(settings: Settings, *, pool_size: int = 5, max_overflow: int | None = None):
    """An engine on a reachable database at the newest revision — or one clear line saying what to do."""
    from sqlalchemy.exc import OperationalError

    from bot.migrate import pending
    from bot.store.db import make_engine

    engine = make_engine(settings.database_url, pool_size=pool_size, max_overflow=max_overflow)
    logging.getLogger("alembic").setLevel(logging.WARNING)  # only the revision check, not a migration
    try:
        reason = pending(engine, settings.database_url)
    except OperationalError as err:
        raise ConfigError(
            f"cannot reach the database ({settings.database_url_redacted}): {err.orig}"
        ) from None
    if reason:
        raise ConfigError(f"{reason}; run `python -m bot migrate` first")
    return engine


def cmd_web(settings: Settings) -> int:
    from slack_bolt.error import BoltError

    from bot.services import context
    from bot.services.container import build_services
    from bot.slack.app import build_bolt_app
    from bot.slack.listeners.followups import FOLLOW_UP_WORKERS
    from bot.web import Server, WebApp

    # A connection for every thread that may hold one at once, so none waits for the pool: the
    # request threads, as many work threads (commands' database work, see listeners/deadline.py),
    # the follow-ups and /health's probe.
    engine = _ready_engine(
        settings, pool_size=settings.web_threads, max_overflow=settings.web_threads + FOLLOW_UP_WORKERS + 1
    )
    services = build_services(
        engine,
        context.system_clock,
        public_url=settings.public_url,
        directory_for=_email_directory(settings, engine),
    )
    timing = {
        "ack_deadline": settings.ack_deadline_seconds,
        "work_budget": settings.work_budget_seconds,
        "work_threads": settings.web_threads,
    }

    def web_app(bolt_app) -> WebApp:
        return WebApp(
            bolt_app,
            services.health,
            # Over Socket Mode Slack sends nothing by HTTP: /slack/events is not served at all.
            signing_secret=None if settings.socket_mode else settings.slack_signing_secret,
            # A request's own thread never waits on the database past the ack deadline.
            request_limit=lambda: context.time_limit(settings.ack_deadline_seconds),
            ingest=services.integrations.receive,
            public_url=settings.public_url,
        )

    def bolt() -> App:
        if settings.oauth:
            return build_bolt_app(
                signing_secret=settings.slack_signing_secret,
                oauth=_oauth_install(settings, engine),
                api_url=settings.slack_api_url,
                services=services,
                **timing,
            )
        _check_slack(settings)
        try:
            return build_bolt_app(
                signing_secret=settings.slack_signing_secret,
                token=settings.slack_bot_token,
                api_url=settings.slack_api_url,
                services=services,
                **timing,
            )
        except BoltError as err:
            raise ConfigError(f"Slack rejected SLACK_BOT_TOKEN ({err})") from None
        except OSError as err:  # Slack went away since _check_slack
            raise ConfigError(_unreachable(settings, err)) from None

    def after_fork() -> None:
        engine.dispose(close=False)

    bolt_app = bolt()  # fail fast, with one line, before gunicorn starts
    app = web_app(bolt_app)
    start, stop = _socket_mode(settings, bolt_app) if settings.socket_mode else (None, None)
    log.info(
        "serving on port %d (%d workers × %d threads), %s",
        settings.port,
        settings.web_concurrency,
        settings.web_threads,
        "OAuth install for many workspaces"
        if settings.oauth
        else "one workspace (SLACK_BOT_TOKEN), Slack's requests over Socket Mode"
        if settings.socket_mode
        else "one workspace (SLACK_BOT_TOKEN)",
    )
    Server(
        lambda: app,
        port=settings.port,
        workers=settings.web_concurrency,
        threads=settings.web_threads,
        on_fork=after_fork,
        on_worker_start=start,
        on_worker_exit=stop,
    ).run()
    return 0


def _check_slack(settings: Settings) -> None:
    """Before anything serves: Slack answers and takes the tokens — or one line saying which doesn't.

    One try each, nothing logged: the Web API client's retries (seconds of them) and its traceback
    would bury the one thing a newcomer needs to read."""
    from slack_sdk.errors import SlackApiError

    from bot.slack.gateway import make_client

    quiet = logging.getLogger("bot.startup.slack")
    quiet.setLevel(logging.CRITICAL)
    client = make_client(
        token=settings.slack_bot_token, base_url=settings.slack_api_url, retries=False, logger=quiet
    )
    name = "SLACK_BOT_TOKEN"
    try:
        client.auth_test()
        if settings.socket_mode:
            name = "SLACK_APP_TOKEN"
            client.apps_connections_open(app_token=settings.slack_app_token)
    except SlackApiError as err:
        raise ConfigError(f"Slack rejected {name} ({err.response.get('error')})") from None
    except OSError as err:
        raise ConfigError(_unreachable(settings, err)) from None


def _unreachable(settings: Settings, err: OSError) -> str:
    reason = getattr(err, "reason", None) or err
    return f"cannot reach Slack at {settings.slack_api_url} ({reason}): check the network, or SLACK_API_URL"


def _socket_mode(settings: Settings, bolt_app: App) -> tuple[Callable[[], None], Callable[[], None]]:
    """What each web worker does about Socket Mode: connect once it serves (``/health`` answers
    meanwhile), and close as it stops, after answering the envelopes under way. Each worker holds
    a connection of its own; Slack spreads the envelopes over them."""
    from bot.services import context
    from bot.slack.gateway import make_client
    from bot.slack.socket_mode import SDK_LOGGER, SocketModeRunner

    runners: list[SocketModeRunner] = []

    def start() -> None:
        runner = SocketModeRunner(
            bolt_app,
            app_token=str(settings.slack_app_token),
            web_client=make_client(
                token=None,
                base_url=settings.slack_api_url,
                retries=False,
                logger=logging.getLogger(SDK_LOGGER),
            ),
            request_limit=lambda: context.time_limit(settings.ack_deadline_seconds),
            concurrency=settings.web_threads,
        )
        runners.append(runner)
        runner.start_in_background()

    def stop() -> None:
        while runners:
            runners.pop().close()

    return start, stop


def _oauth_install(settings: Settings, engine: Engine) -> OAuthInstall:
    """Bolt's install flow and per-workspace authorization, on the stores in our database."""
    from bot.slack.installations import build_oauth

    return build_oauth(
        engine=engine,
        api_url=settings.slack_api_url,
        client_id=settings.slack_client_id,
        client_secret=settings.slack_client_secret,
        scopes=settings.slack_scopes,
        redirect_uri=settings.slack_redirect_uri,
        state_expiration_seconds=settings.slack_state_expiration_seconds,
    )


def _email_directory(settings: Settings, engine: Engine):
    """Who looks a CRM's e-mails up in Slack for a workspace (``users.lookupByEmail``): the bot
    token's gateway, or each installed workspace's own. Short timeouts: a CRM waits, but not long."""
    from bot.slack.gateway import SlackGateway, make_client

    if settings.oauth:
        from bot.slack.installations import WorkspaceGateways, installation_store

        store = installation_store(engine, client_id=settings.slack_client_id)
        return WorkspaceGateways(store, api_url=settings.slack_api_url)
    gateway = SlackGateway(make_client(token=settings.slack_bot_token, base_url=settings.slack_api_url))
    return lambda _workspace_id: gateway


def _clock_gateways(settings: Settings, engine: Engine) -> SlackGateway | WorkspaceGateways:
    """What the clock posts through: the one bot token's gateway, or each workspace's own (OAuth)."""
    from bot.slack.gateway import SlackGateway, make_client

    if settings.oauth:
        from bot.slack.installations import WorkspaceGateways, installation_store

        store = installation_store(engine, client_id=settings.slack_client_id)
        return WorkspaceGateways(store, api_url=settings.slack_api_url)
    return SlackGateway(
        make_client(token=settings.slack_bot_token, base_url=settings.slack_api_url, retries=False)
    )


def cmd_clock(settings: Settings, *, once: bool, now: str | None, grace: float) -> int:
    from datetime import UTC, datetime, timedelta

    from bot.clock import run_forever, run_once
    from bot.services import context
    from bot.services.container import build_services
    from bot.slack.notifier import SlackNotifier

    instant = None
    if now:
        try:
            instant = datetime.fromisoformat(now.replace("Z", "+00:00"))
        except ValueError:
            raise ConfigError(
                f"--now must be an ISO 8601 instant like 2026-11-30T14:00:00Z, got {now!r}"
            ) from None
        if instant.tzinfo is None:
            raise ConfigError("--now needs a timezone, e.g. 2026-11-30T14:00:00Z")
        instant = instant.astimezone(UTC)
    engine = _ready_engine(settings)
    clock = (lambda: instant) if instant is not None else context.system_clock
    services = build_services(
        engine, clock, grace=timedelta(seconds=grace), send_workers=settings.clock_send_workers
    )
    sender = SlackNotifier(_clock_gateways(settings, engine))
    if once:
        report = run_once(services, sender, now=clock())
        print(report.summary())
        return 1 if report.failed else 0
    return run_forever(services, sender, clock=clock)


ENVIRONMENT = (
    "Settings come from the environment and from a .env file in the working directory (or the\n"
    "nearest one above it); a variable already set wins over .env. See README: Configuration."
)
WEB_HELP = """\
Serve Slack's commands, buttons, modals and events, and GET /health on $PORT.

Over HTTP (the default) Slack posts to /slack/events on $PORT. With SLACK_APP_TOKEN set the bot
opens Socket Mode connections to Slack instead, and needs no public URL (one workspace only).

Reads:
  SLACK_BOT_TOKEN       the bot token, xoxb-… (or SLACK_CLIENT_ID and SLACK_CLIENT_SECRET: OAuth)
  SLACK_SIGNING_SECRET  verifies Slack's HTTP requests (not needed over Socket Mode)
  SLACK_APP_TOKEN       an app-level token, xapp-…: Socket Mode
  SLACK_API_URL         the Web API's base URL (https://slack.com/api/)
  DATABASE_URL          SQLite file or PostgreSQL (sqlite:///salesbot.db); run `migrate` first
  PORT                  the HTTP port (3000)
  WEB_CONCURRENCY, WEB_THREADS, ACK_DEADLINE_SECONDS, WORK_BUDGET_SECONDS, LOG_LEVEL
"""
MIGRATE_HELP = """\
Bring the database's schema to the newest revision (safe to run again; run it before `web`).

Reads:
  DATABASE_URL          SQLite file or PostgreSQL (sqlite:///salesbot.db); postgres:// is accepted
  LOG_LEVEL             INFO
"""


def _prog() -> str:
    """How the user started us: the ``salesbot`` command, or ``python -m bot``."""
    return "salesbot" if Path(sys.argv[0]).name == "salesbot" else "python -m bot"


def cmd_i18n(argv: list[str]) -> int:
    """Extract the messages into locales/messages.pot, merge it into each catalogue, and list what a
    translator still has to do."""
    parser = argparse.ArgumentParser(prog=f"{_prog()} i18n", description=cmd_i18n.__doc__)
    parser.add_argument("--check", action="store_true", help="only list what the catalogues lack")
    args = parser.parse_args(argv)
    from bot.i18n import SOURCE, available
    from bot.i18n.catalogs import problems, update

    if not args.check:
        for path in update():
            print(f"wrote {path.relative_to(Path.cwd()) if path.is_relative_to(Path.cwd()) else path}")
    todo = 0
    for code in available():
        if code == SOURCE:
            continue
        found = problems(code)
        todo += len(found)
        print(f"{code}: {len(found)} to do" + "".join(f"\n  {p}" for p in found[:50]))
    return 1 if todo and args.check else 0


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["demo"]:  # needs no settings, no Slack, no database of yours
        from bot.demo import main as demo

        return demo(argv[1:])
    if argv[:1] == ["i18n"]:  # a developer's command: needs no settings either
        return cmd_i18n(argv[1:])
    from bot import __version__

    parser = argparse.ArgumentParser(
        prog=_prog(), description="Check-ins for a virtual sales team, in Slack.", epilog=ENVIRONMENT
    )
    parser.add_argument("--version", action="version", version=f"salesbot {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser(
        "web",
        help="serve Slack's requests on $PORT, or over Socket Mode",
        description=WEB_HELP,
        epilog=ENVIRONMENT,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub.add_parser(
        "migrate",
        help="upgrade the database schema to the newest revision",
        description=MIGRATE_HELP,
        epilog=ENVIRONMENT,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub.add_parser("demo", help="a simulated team over 8 weeks, no Slack needed (see --help)")
    sub.add_parser("i18n", help="extract the code's messages and update every language's catalogue")
    clock = sub.add_parser("clock", help="run the scheduler (check-ins, standups, alerts, kudos)")
    clock.add_argument(
        "--once", action="store_true", help="run what came due since the previous run, then exit"
    )
    clock.add_argument(
        "--now", help="the instant to run at (ISO 8601 with zone), e.g. for replaying a schedule"
    )
    clock.add_argument(
        "--grace",
        type=float,
        default=3600,
        help="misfire grace in seconds: older occurrences are skipped (1 h)",
    )
    args = parser.parse_args(argv)

    try:
        from dotenv import find_dotenv, load_dotenv

        load_dotenv(find_dotenv(usecwd=True), override=False)  # .env of the working directory, if any
    except ImportError:  # pragma: no cover - python-dotenv is a dependency
        pass
    try:
        settings = Settings.from_env(
            require_slack=args.command in ("web", "clock"), require_secret=args.command == "web"
        )
        _configure_logging(settings.log_level)
        if args.command == "migrate":
            return cmd_migrate(settings)
        if args.command == "clock":
            return cmd_clock(settings, once=args.once, now=args.now, grace=args.grace)
        return cmd_web(settings)
    except ConfigError as err:
        print(f"salesbot: {err}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
