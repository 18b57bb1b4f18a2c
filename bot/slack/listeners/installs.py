"""When a workspace removes the app or revokes its tokens.

In OAuth mode its stored installation goes (Bolt's own handlers delete it), so nothing is sent there
again. In token mode there is nothing to delete, but whoever runs the bot must learn that
SLACK_BOT_TOKEN has stopped working.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from slack_bolt import App, BoltContext

from bot.slack.listeners.home import Listener

log = logging.getLogger(__name__)


def register(app: App, *, oauth: bool, once: Callable[[Listener], Listener]) -> None:
    """``once`` records each event as handled when its listener succeeds (see ``home.handled_once``):
    an uninstall that failed is tried again when Slack retries it."""
    if oauth:
        _forget_installations(app, once)
    else:
        _warn_about_the_token(app, once)


def _forget_installations(app: App, once: Callable[[Listener], Listener]) -> None:
    forget_workspace = app.default_app_uninstalled_event_listener()
    forget_tokens = app.default_tokens_revoked_event_listener()

    @app.event("app_uninstalled")
    @once
    def on_uninstalled(body: dict, context: BoltContext) -> None:
        forget_workspace(context=context)
        log.info("uninstalled from workspace %s: its installation is deleted", context.team_id)

    @app.event("tokens_revoked")
    @once
    def on_tokens_revoked(body: dict, event: dict, context: BoltContext) -> None:
        forget_tokens(event=event, context=context)
        log.info("tokens revoked in workspace %s: deleted them", context.team_id)


def _warn_about_the_token(app: App, once: Callable[[Listener], Listener]) -> None:
    @app.event("app_uninstalled")
    @once
    def on_uninstalled(body: dict, context: BoltContext) -> None:
        log.warning("the app was removed from workspace %s: SLACK_BOT_TOKEN no longer works", context.team_id)

    @app.event("tokens_revoked")
    @once
    def on_tokens_revoked(body: dict, event: dict, context: BoltContext) -> None:
        if (event.get("tokens") or {}).get("bot"):
            log.warning(
                "workspace %s revoked the bot token: SLACK_BOT_TOKEN no longer works", context.team_id
            )
