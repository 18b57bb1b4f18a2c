"""Bolt listeners: ack fast, call a service, render. They never touch the store."""

from __future__ import annotations

from slack_bolt import App

from bot.services.container import Services
from bot.slack.gateway import SlackGateway
from bot.slack.listeners import commands, errors


def register(app: App, services: Services, gateway: SlackGateway) -> None:
    errors.register(app)
    commands.register(app, services, gateway)
