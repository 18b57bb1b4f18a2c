"""Builds the Bolt app: signature checks, the listeners, and the error handler."""

from __future__ import annotations

import logging

from slack_bolt import App

from bot.services.container import Services
from bot.slack.gateway import SlackGateway, make_client
from bot.slack.listeners import register


def build_bolt_app(
    *, signing_secret: str, token: str, api_url: str, services: Services, verify_token: bool = True
) -> App:
    """``process_before_response`` makes replies ride in the ack body (see DESIGN.md, "3 seconds")."""
    client = make_client(token=token, base_url=api_url)
    app = App(
        signing_secret=signing_secret,
        client=client,
        process_before_response=True,
        token_verification_enabled=verify_token,
        logger=logging.getLogger("bot.slack.bolt"),
    )
    register(app, services, SlackGateway(client))
    return app
