"""One log format for every line a process writes: the bot's own, gunicorn's and the libraries'."""

from __future__ import annotations

import logging
import sys

LOG_FORMAT = "%(asctime)s %(levelname)s %(process)d %(name)s: %(message)s"

# Loggers that talk at INFO about their own plumbing, which nobody running the bot needs to read:
# Alembic lists every plugin it sets up, slack_sdk's Socket Mode client narrates each session (the
# bot logs its own one-line account of connecting and reconnecting, see bot/slack/socket_mode.py).
CHATTY = ("alembic.runtime.plugins", "bot.slack.socket_mode.sdk")


def configure(level: str) -> None:
    """Every record to stderr in :data:`LOG_FORMAT`; the chatty loggers only from WARNING on, unless
    ``level`` is DEBUG."""
    logging.basicConfig(level=level, format=LOG_FORMAT, stream=sys.stderr)
    if level != "DEBUG":
        for name in CHATTY:
            logging.getLogger(name).setLevel(logging.WARNING)
