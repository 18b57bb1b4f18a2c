"""Bolt listeners: ack fast, call a service, render. They never touch the store."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from slack_bolt import App

from bot.services.container import Services
from bot.slack.gateway import SlackGateway
from bot.slack.listeners import commands, errors, interactive


def register(app: App, services: Services, gateway: SlackGateway) -> None:
    # Follow-up work (Web API calls after an ack) runs here, never in the request thread.
    pool = ThreadPoolExecutor(max_workers=4, thread_name_prefix="followup")
    errors.register(app)
    commands.register(app, services, gateway, pool)
    interactive.register(app, services, gateway, pool)
