"""Bolt listeners: ack fast, call a service, render. They never touch the store."""

from __future__ import annotations

from slack_bolt import App

from bot.services.container import Services
from bot.slack.gateway import GatewayFor
from bot.slack.listeners import commands, errors, home, installs, interactive
from bot.slack.listeners.followups import make_later


def register(app: App, services: Services, gateway_for: GatewayFor, *, oauth: bool = False) -> None:
    """``gateway_for`` gives each request the gateway of its own workspace (see ``bot.slack.app``)."""
    # Follow-up work (Web API calls after an ack) runs here, never in the request thread.
    later = make_later()
    once = home.handled_once(services)  # an Events API listener's success marks its event handled
    errors.register(app)
    home.register(app, services, gateway_for, later, once)
    commands.register(app, services, gateway_for, later)
    interactive.register(app, services, gateway_for, later)
    interactive.register_coaching(app, services, gateway_for, later)
    installs.register(app, oauth=oauth, once=once)
