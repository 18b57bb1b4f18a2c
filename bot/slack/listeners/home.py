"""App Home and the Events API: publish the Home tab when opened (and after a rep logs), and handle
each event once however often Slack retries it."""

from __future__ import annotations

import logging

from slack_bolt import App, BoltContext, BoltResponse

from bot.services.container import Services
from bot.slack.gateway import GatewayFor, SlackGateway
from bot.slack.listeners.followups import Later
from bot.slack.messages.home import home_view

log = logging.getLogger(__name__)


def publish_home(services: Services, gateway: SlackGateway, workspace_id: str, user_id: str) -> None:
    view = services.home.home(workspace_id=workspace_id, user_id=user_id)
    gateway.publish_home(user_id=user_id, view=home_view(view))


def register(app: App, services: Services, gateway_for: GatewayFor, later: Later) -> None:
    @app.middleware
    def once_per_event(body: dict, next) -> BoltResponse | None:
        """Events API retries (X-Slack-Retry-Num) carry the same event_id: answer them, do nothing."""
        event_id = body.get("event_id") if body.get("type") == "event_callback" else None
        if event_id and not services.home.first_delivery(
            event_id=str(event_id), workspace_id=str(body.get("team_id", ""))
        ):
            log.info("event %s already handled; ignoring a retry", event_id)
            return BoltResponse(status=200, body="")
        return next()

    @app.event("app_home_opened")
    def on_home_opened(event: dict, body: dict, context: BoltContext) -> None:
        if event.get("tab", "home") != "home":
            return  # the Messages tab
        workspace, user, gateway = str(body.get("team_id")), str(event["user"]), gateway_for(context)
        later(lambda: publish_home(services, gateway, workspace, user))
