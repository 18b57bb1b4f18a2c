"""Bolt listeners: ack fast, call a service, render. They never touch the store."""

from __future__ import annotations

from slack_bolt import App

from bot.services.container import Services
from bot.slack.gateway import GatewayFor
from bot.slack.listeners import commands, errors, home, installs, interactive, voices
from bot.slack.listeners.deadline import DEFAULT_BUDGET, DEFAULT_DEADLINE, Deadline
from bot.slack.listeners.followups import MAX_PENDING_VIEWS, VIEW_WORKERS, make_later
from bot.slack.listeners.voices import remembered


def register(
    app: App,
    services: Services,
    gateway_for: GatewayFor,
    *,
    oauth: bool = False,
    ack_deadline: float = DEFAULT_DEADLINE,
    work_budget: float = DEFAULT_BUDGET,
    work_threads: int = 8,
) -> None:
    """``gateway_for`` gives each request the gateway of its own workspace (see ``bot.slack.app``)."""
    # Follow-up work (Web API calls after an ack) runs here, never in the request thread.
    later = make_later()
    # Modals open on a lane of their own: a trigger_id is good for 3 s, so it never waits behind them.
    open_views = make_later(VIEW_WORKERS, MAX_PENDING_VIEWS, name="views")
    # Commands', buttons' and modals' own work runs on a pool of its own, so a slow database holds
    # neither a request thread past the ack deadline nor the follow-ups; one thread per request thread.
    deadline = Deadline(
        later=later,
        gateway_for=gateway_for,
        deadline=ack_deadline,
        budget=work_budget,
        workers=work_threads,
        voice_for=remembered(voices.of(services)),  # its answers at the deadline can't wait on the database
    )
    once = home.handled_once(services)  # an Events API listener's success marks its event handled
    errors.register(app, voices.of(services))
    home.register(app, services, gateway_for, later, once)
    commands.register(app, services, gateway_for, later, deadline)
    interactive.register(app, services, gateway_for, later, deadline, open_views=open_views)
    interactive.register_coaching(app, services, gateway_for, later, deadline, open_views=open_views)
    installs.register(app, oauth=oauth, once=once)
