"""The four slash commands.

Database work runs before the response and its reply rides in the ack body (a few milliseconds);
anything that calls the Web API — profile lookups — runs after it, in a lazy listener. The ack handler
hands follow-up work to the lazy listener through the request context, which Bolt copies to it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from slack_bolt import Ack, App, BoltContext, Respond

from bot.services.container import Services
from bot.services.outcomes import Problem
from bot.services.teams import NeedsTimezone, TeamChanged
from bot.slack.gateway import SlackGateway
from bot.slack.messages.replies import render

log = logging.getLogger(__name__)

FOLLOWUP = "salesbot_followup"

NO_TIMEZONE = Problem(
    "I couldn't read your Slack timezone, so I didn't create the team.",
    "Name it instead: `/team create Sales East #sales-east tz=America/New_York`.",
)


def _args(command: dict) -> dict[str, str]:
    return {
        "workspace_id": command["team_id"],
        "user_id": command["user_id"],
        "text": command.get("text") or "",
    }


def register(app: App, services: Services, gateway: SlackGateway) -> None:
    def followup(command: dict, context: BoltContext, respond: Respond) -> None:
        """After the ack: refresh Slack profiles we need, and finish work that waited on one."""
        work = context.get(FOLLOWUP) or {}
        workspace = command["team_id"]
        users = [command["user_id"], *work.get("refresh", [])]
        services.profiles.refresh(workspace_id=workspace, user_ids=users, directory=gateway)
        if work.get("retry_team"):
            outcome = services.teams.team(**_args(command))
            respond(**render(NO_TIMEZONE if isinstance(outcome, NeedsTimezone) else outcome))

    def listener(name: str, call: Callable[..., object]) -> Callable[..., None]:
        def on_command(ack: Ack, command: dict, context: BoltContext) -> None:
            outcome = call(**_args(command))
            if isinstance(outcome, NeedsTimezone):
                context[FOLLOWUP] = {"retry_team": True}
                ack()  # answered through response_url once Slack has told us the caller's timezone
                return
            if isinstance(outcome, TeamChanged) and outcome.refresh_users:
                context[FOLLOWUP] = {"refresh": list(outcome.refresh_users)}
            ack(**render(outcome))

        on_command.__name__ = f"on_{name}"
        return on_command

    app.command("/log")(ack=listener("log", services.activity.log), lazy=[followup])
    app.command("/goals")(ack=listener("goals", services.goals.goals), lazy=[followup])
    app.command("/team")(ack=listener("team", services.teams.team), lazy=[followup])
    app.command("/checkin")(ack=listener("checkin", services.checkin.checkin), lazy=[followup])
