"""App Home and the Events API: publish the Home tab when opened (and after a rep logs), and handle
each event once however often Slack retries it."""

from __future__ import annotations

import functools
import inspect
import logging
from collections.abc import Callable
from typing import Any

from slack_bolt import App, BoltContext, BoltResponse

from bot.services.container import Services
from bot.slack.gateway import GatewayFor, SlackGateway
from bot.slack.listeners import voices
from bot.slack.listeners.followups import Later
from bot.slack.listeners.voices import speaking_to
from bot.slack.messages.home import home_view

log = logging.getLogger(__name__)


def publish_home(services: Services, gateway: SlackGateway, workspace_id: str, user_id: str) -> None:
    """The viewer's Home tab, in the viewer's language."""
    with speaking_to(voices.of(services), workspace_id, user_id):
        view = services.home.home(workspace_id=workspace_id, user_id=user_id)
        gateway.publish_home(user_id=user_id, view=home_view(view))


Listener = Callable[..., None]


def _event_id(body: dict) -> str | None:
    event_id = body.get("event_id") if body.get("type") == "event_callback" else None
    return str(event_id) if event_id else None


def handled_once(services: Services) -> Callable[[Listener], Listener]:
    """Wraps an Events API listener (one that takes ``body``) so its event id is recorded when, and
    only when, it returns: a retry after a failure runs it again, a retry after a success does not
    (see ``register``'s middleware). Listeners must be safe to run twice, as two deliveries of one
    event may overlap."""

    def wrap(listener: Listener) -> Listener:
        if "body" not in inspect.signature(listener).parameters:
            raise TypeError(f"{listener.__name__} must take `body` to be handled once")

        @functools.wraps(listener)  # Bolt reads the arguments to pass from the wrapped listener
        def run(**kwargs: Any) -> None:
            listener(**kwargs)
            body = kwargs["body"]
            event_id = _event_id(body)
            if event_id:
                services.home.record_handled_event(
                    event_id=event_id, workspace_id=str(body.get("team_id", ""))
                )

        return run

    return wrap


def register(
    app: App, services: Services, gateway_for: GatewayFor, later: Later, once: Callable[[Listener], Listener]
) -> None:
    @app.middleware
    def once_per_event(body: dict, next) -> BoltResponse | None:
        """Events API retries (X-Slack-Retry-Num) carry the same event_id: once a try has succeeded,
        answer them and do nothing."""
        event_id = _event_id(body)
        if event_id and services.home.event_handled(event_id=event_id):
            log.info("event %s already handled; ignoring a retry", event_id)
            return BoltResponse(status=200, body="")
        return next()

    @app.event("app_home_opened")
    @once
    def on_home_opened(event: dict, body: dict, context: BoltContext) -> None:
        if event.get("tab", "home") != "home":
            return  # the Messages tab
        workspace, user, gateway = str(body.get("team_id")), str(event["user"]), gateway_for(context)
        later(lambda: publish_home(services, gateway, workspace, user))
