"""The reference for ``bench/log_latency.py``: a Bolt app whose ``/log`` only acks, on the bot's server stack.

Everything between the socket and the listener is the bot's own: ``bot.web.Server`` (gunicorn gthread,
the same options), ``bot.web.WebApp`` (the same router and Bolt WSGI adapter), the same settings from
the environment (``PORT``, ``WEB_CONCURRENCY``, ``WEB_THREADS``, ``SLACK_SIGNING_SECRET``…), and Bolt's
default middleware with request verification. Only the listener differs: it acks and does nothing
else — no database, no reply text, no follow-up work. What the bot costs beyond this is the bot's.

Run from the repository root (the benchmark starts it itself):  python -m bench.bare_bolt
"""

from __future__ import annotations

import logging
import sys

from slack_bolt import Ack, App

from bot.config import ConfigError, Settings
from bot.slack.gateway import make_client
from bot.web import Server, WebApp


def build_bare_app(settings: Settings) -> App:
    """``/log`` acks with an empty body. The client points at ``SLACK_API_URL``: Bolt's lazy
    ``auth.test`` (once per worker, on the first request) must not reach the real Slack."""
    app = App(
        signing_secret=settings.slack_signing_secret,
        client=make_client(token=settings.slack_bot_token, base_url=settings.slack_api_url),
        token_verification_enabled=False,
        process_before_response=True,
        logger=logging.getLogger("bench.bare_bolt"),
    )

    @app.command("/log")
    def on_log(ack: Ack) -> None:
        ack()

    return app


def main() -> int:
    try:
        settings = Settings.from_env()
    except ConfigError as err:
        print(f"bare bolt: {err}", file=sys.stderr)
        return 2
    logging.basicConfig(
        level=settings.log_level,
        format="%(asctime)s %(levelname)s %(process)d %(name)s: %(message)s",
        stream=sys.stderr,
    )
    app = WebApp(build_bare_app(settings), health=lambda: None, signing_secret=settings.slack_signing_secret)
    Server(
        lambda: app,
        port=settings.port,
        workers=settings.web_concurrency,
        threads=settings.web_threads,
        on_fork=lambda: None,
    ).run()
    return 0


if __name__ == "__main__":
    sys.exit(main())
