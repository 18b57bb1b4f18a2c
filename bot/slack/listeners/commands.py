"""The four slash commands.

Database work runs before the response and its reply rides in the ack body (a few milliseconds) —
unless the database is slow: past the ack deadline the rep is told "Saving…" and gets the true reply
through ``response_url`` (see ``deadline.py``).
Anything that calls the Web API — Slack profile lookups, and a ``/team create`` that waits for the
caller's timezone — is handed to a small pool of follow-up threads, and only when there is such work:
most commands have none, so they pay nothing for it.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from slack_bolt import Ack, App, BoltContext, Respond

from bot.i18n import _, n_
from bot.services.container import Services
from bot.services.export import Export
from bot.services.outcomes import Logged, Problem, esc
from bot.services.teams import NeedsChannelCheck, NeedsTimezone, TeamChanged, not_in_channel
from bot.slack.gateway import GatewayFor, SlackGateway
from bot.slack.listeners import voices
from bot.slack.listeners.deadline import Deadline
from bot.slack.listeners.followups import Later
from bot.slack.listeners.home import publish_home
from bot.slack.listeners.voices import speaking_to
from bot.slack.messages.replies import render

log = logging.getLogger(__name__)


def no_timezone() -> Problem:
    return Problem(
        _("I couldn't read your Slack timezone, so I didn't create the team."),
        _("Name it instead: `/team create Sales East #sales-east tz=America/New_York`."),
    )


def channel_unchecked() -> Problem:
    return Problem(
        _("I couldn't check the channel's members just now, so I didn't change anything."),
        _("Try again in a minute."),
    )


def export_failed() -> Problem:
    return Problem(
        _("I couldn't upload the CSV to our DM just now — nothing was lost."),
        _("Try `/team export` again in a minute."),
    )


def _args(command: dict) -> dict[str, str]:
    return {
        "workspace_id": command["team_id"],
        "user_id": command["user_id"],
        "text": command.get("text") or "",
    }


def _after(seconds: float, work: Callable[[], None]) -> None:
    timer = threading.Timer(seconds, work)
    timer.daemon = True
    timer.start()


HOME_REFRESH_EVERY = 5.0  # seconds: a rep's Home tab is republished at most this often after /log


def _home_refresher(
    services: Services,
    later: Later,
    *,
    every: float = HOME_REFRESH_EVERY,
    after: Callable[[float, Callable[[], None]], None] = _after,
    monotonic: Callable[[], float] = time.monotonic,
) -> Callable[[SlackGateway, str, str], None]:
    """``refresh(gateway, workspace, user)`` republishes the user's Home tab after a /log, on the
    follow-up pool — at most once queued per user, and at most once every ``every`` seconds: a
    refresh reads the database when it runs, so it shows every /log made before it starts. A burst
    of /log then costs one Home refresh per rep, the last one a few seconds behind at most, and the
    tab ends up the same."""
    queued: set[tuple[str, str]] = set()
    published: dict[tuple[str, str], float] = {}
    lock = threading.Lock()

    def refresh(gateway: SlackGateway, workspace: str, user: str) -> None:
        key = (workspace, user)
        with lock:
            if key in queued:
                return
            queued.add(key)
            wait = published.get(key, -every) + every - monotonic()

        def publish() -> None:
            with lock:
                queued.discard(key)  # from here on, a newer /log queues a refresh of its own
                published[key] = monotonic()
            publish_home(services, gateway, workspace, user)

        try:
            if wait > 0:
                after(wait, lambda: later(publish))
            else:
                later(publish)
        except BaseException:
            with lock:
                queued.discard(key)
            raise

    return refresh


def register(app: App, services: Services, gateway_for: GatewayFor, later: Later, deadline: Deadline) -> None:
    refresh_home = _home_refresher(services, later)

    def refresh(
        gateway: SlackGateway, workspace: str, users: list[str], *, trust_memory: bool = True
    ) -> None:
        services.profiles.refresh(
            workspace_id=workspace, user_ids=users, directory=gateway, trust_memory=trust_memory
        )

    def finish_team(gateway: SlackGateway, command: dict, respond: Respond, outcome: object) -> None:
        """``/team create`` or ``/team channel`` once Slack has said what it needed: the caller's
        timezone (their profile), then whether they are in the channel; each answered by response_url."""
        workspace, caller = command["team_id"], command["user_id"]
        refreshed = isinstance(outcome, NeedsTimezone)
        if refreshed:  # the timezone is needed now: ask Slack, whatever this process remembers
            refresh(gateway, workspace, [caller], trust_memory=False)
            outcome = services.teams.team(**_args(command))
        if isinstance(outcome, NeedsChannelCheck):
            try:
                member = gateway.channel_has_member(channel=outcome.channel_id, user_id=outcome.user_id)
            except Exception:
                log.exception("couldn't read the members of %s", outcome.channel_id)
                respond(**render(channel_unchecked()))
                return
            if member:
                outcome = services.teams.team(**_args(command), in_channel=outcome.channel_id)
            else:
                outcome = not_in_channel(outcome.channel_id, visible=member is False)
        if isinstance(outcome, NeedsTimezone | NeedsChannelCheck):
            outcome = no_timezone() if isinstance(outcome, NeedsTimezone) else channel_unchecked()
        respond(**render(outcome))
        if not refreshed and services.profiles.may_be_stale(workspace_id=workspace, user_ids=[caller]):
            refresh(gateway, workspace, [caller])

    def deliver_export(gateway: SlackGateway, export: Export, respond: Respond) -> None:
        try:
            gateway.upload_to_dm(
                user_id=export.user_id,
                filename=export.filename,
                title=export.title,
                content=export.content,
                comment=n_(
                    "Here's *{team}*: {n} entry.",
                    "Here's *{team}*: {n} entries.",
                    export.rows,
                    team=esc(export.team_name),
                ),
            )
        except Exception:
            log.exception("CSV export upload failed")
            respond(**render(export_failed()))

    def listener(name: str, call: Callable[..., object]) -> Callable[..., None]:
        def on_command(ack: Ack, command: dict, respond: Respond, context: BoltContext) -> None:
            # The caller's language for the call (a service's words) and the reply; the follow-ups
            # queued here keep it (``later`` runs each in the context it was queued in).
            with speaking_to(voices.of(services), command["team_id"], command["user_id"]):
                answer(ack, command, respond, context)

        def answer(ack: Ack, command: dict, respond: Respond, context: BoltContext) -> None:
            outcome = call(**_args(command))
            gateway = gateway_for(context)
            if isinstance(outcome, NeedsTimezone | NeedsChannelCheck):
                # Answered through response_url once Slack has told us the caller's timezone and
                # whether they are in the channel.
                if isinstance(outcome, NeedsChannelCheck):
                    ack(**render(outcome))
                else:
                    ack()
                later(lambda: finish_team(gateway, command, respond, outcome))
                return
            ack(**render(outcome))
            if isinstance(outcome, Logged):  # the Home tab shows the new numbers
                refresh_home(gateway, command["team_id"], command["user_id"])
            if isinstance(outcome, Export):
                later(lambda: deliver_export(gateway, outcome, respond))
            workspace, caller = command["team_id"], command["user_id"]
            if isinstance(outcome, TeamChanged) and outcome.refresh_users:
                # People just added: check the database, not this process's memory.
                later(
                    lambda: refresh(gateway, workspace, [caller, *outcome.refresh_users], trust_memory=False)
                )
            elif services.profiles.may_be_stale(workspace_id=workspace, user_ids=[caller]):
                later(lambda: refresh(gateway, workspace, [caller]))

        on_command.__name__ = f"on_{name}"
        return on_command

    app.command("/log")(deadline.command(listener("log", services.activity.log)))
    app.command("/goals")(deadline.command(listener("goals", services.goals.goals)))
    app.command("/team")(deadline.command(listener("team", services.teams.team)))
    app.command("/checkin")(deadline.command(listener("checkin", services.checkin.checkin)))
