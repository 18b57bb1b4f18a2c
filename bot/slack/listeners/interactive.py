"""Buttons and modals: Share my week, and Log activity.

Opening a modal needs the Web API (``views.open``), so it happens right after the ack; a submission
is validated and stored before the response, so errors show inline in the modal. Each runs with the
ack deadline (``deadline.py``): a submission the database can't take in time closes the modal and
its outcome comes in a DM.
"""

from __future__ import annotations

import logging

from slack_bolt import Ack, App, BoltContext

from bot.i18n import _, speaking
from bot.i18n import formats as fmt
from bot.services.coaching import Invalid, Planned
from bot.services.container import Services
from bot.services.outcomes import Logged, Notice, Problem, esc
from bot.slack.gateway import GatewayFor, SlackGateway
from bot.slack.listeners import hidden, voices
from bot.slack.listeners.deadline import Deadline
from bot.slack.listeners.followups import Later
from bot.slack.listeners.home import publish_home
from bot.slack.listeners.voices import heard
from bot.slack.messages.format import noun
from bot.slack.messages.modals import (
    PER,
    log_activity_modal,
    plan_one_on_one_modal,
    share_answer_message,
    share_week_modal,
)
from bot.slack.messages.replies import render
from bot.slack.messages.scheduled import LINK_ACTION

log = logging.getLogger(__name__)


def _state(view: dict) -> dict[str, object]:
    """block_id → the submitted value of its one element; anything malformed is skipped."""
    out: dict[str, object] = {}
    values = (view.get("state") or {}).get("values") if isinstance(view.get("state"), dict) else None
    if not isinstance(values, dict):
        return out
    for block_id, elements in values.items():
        if not isinstance(elements, dict):
            continue
        for element in elements.values():
            if not isinstance(element, dict):
                continue
            value = (
                element.get("selected_date") if element.get("type") == "datepicker" else element.get("value")
            )
            if isinstance(value, str | int | float) and not isinstance(value, bool):
                out[str(block_id)] = str(value)
    return out


def _refused(what: str, body: dict) -> None:
    """A payload whose hidden state or workspace doesn't fit: nothing changes, one log line."""
    log.warning("ignored a %s %s: its hidden state or workspace has the wrong shape", what, body.get("type"))


def register(
    app: App,
    services: Services,
    gateway_for: GatewayFor,
    later: Later,
    deadline: Deadline,
    *,
    open_views: Later,
) -> None:
    """``open_views`` is the lane modals open on (``views.open`` must beat its trigger's 3 s)."""
    speak = heard(voices.of(services))  # each click and submission in the clicking user's voice

    # --- Share my week --------------------------------------------------------------------

    @app.action("share_week")
    @deadline.action
    @speak
    def open_share_week(ack: Ack, body: dict, context: BoltContext) -> None:
        ack()
        ref, workspace = hidden.share_ref(hidden.button_value(body)), hidden.workspace(context)
        if ref is None or workspace is None:
            return _refused("share_week", body)
        form = services.standup.form(
            workspace_id=workspace, user_id=body["user"]["id"], team_id=ref.team_id, week=ref.week
        )
        if isinstance(form, Problem):
            return
        view = share_week_modal(team_id=form.team_id, week=form.week, team=form.team, previous=form.previous)
        gateway = gateway_for(context)
        open_views(lambda: gateway.open_view(trigger_id=body["trigger_id"], view=view))

    @app.view("share_week")
    @deadline.view
    @speak
    def submit_share_week(ack: Ack, body: dict, view: dict, context: BoltContext) -> None:
        ref, workspace = hidden.share_ref(hidden.view_metadata(view)), hidden.workspace(context)
        if ref is None or workspace is None:
            ack(response_action="errors", errors={"wins": _(hidden.STALE_FORM)})
            return _refused("share_week", body)
        values = _state(view)
        result = services.standup.share(
            workspace_id=workspace,
            user_id=body["user"]["id"],
            team_id=ref.team_id,
            week=ref.week,
            wins=str(values.get("wins") or ""),
            focus=str(values.get("focus") or ""),
            help=str(values.get("help") or ""),
        )
        if isinstance(result, Problem):
            ack(response_action="errors", errors={"wins": result.message})
            return
        ack()
        if result.thread_ts:
            with speaking(result.language):  # posted in the team's channel, in the team's language
                message = share_answer_message(
                    user_id=result.user_id, wins=result.wins, focus=result.focus, help=result.help
                )
            gateway = gateway_for(context)

            def post() -> None:
                if result.posted_ts:
                    gateway.update(channel=result.channel, ts=result.posted_ts, message=message)
                else:
                    _, ts = gateway.post(channel=result.channel, thread_ts=result.thread_ts, message=message)
                    services.standup.posted(answer_id=result.answer_id, ts=ts)

            later(post)

    # --- Log activity ---------------------------------------------------------------------

    @app.action("log_activity")
    @deadline.action
    @speak
    def open_log_activity(ack: Ack, body: dict, context: BoltContext) -> None:
        ack()
        ref, workspace = hidden.log_ref(hidden.button_value(body)), hidden.workspace(context)
        if ref is None or workspace is None:
            return _refused("log_activity", body)
        metrics = services.activity.form_metrics(
            workspace_id=workspace, user_id=body["user"]["id"], keys=list(ref.metrics)
        )
        if isinstance(metrics, Problem):
            return
        view = log_activity_modal(team_id=ref.team_id, metrics=metrics.metrics, today=metrics.today)
        gateway = gateway_for(context)
        open_views(lambda: gateway.open_view(trigger_id=body["trigger_id"], view=view))

    @app.view("log_activity")
    @deadline.view
    @speak
    def submit_log_activity(ack: Ack, body: dict, view: dict, context: BoltContext) -> None:
        workspace = hidden.workspace(context)
        if workspace is None:
            ack(response_action="errors", errors={"day": _(hidden.STALE_FORM)})
            return _refused("log_activity", body)
        values = _state(view)
        amounts = {k.split(":", 1)[1]: str(v) for k, v in values.items() if k.startswith("metric:") and v}
        raw_day = values.get("day")
        day = hidden.iso_date(raw_day) if raw_day else None
        if raw_day and day is None:
            ack(response_action="errors", errors={"day": _("Pick a date from the calendar.")})
            return
        outcome = services.activity.log_form(
            workspace_id=workspace,
            user_id=body["user"]["id"],
            amounts=amounts,
            day=day,
            note=str(values.get("note") or "") or None,
            dedupe_key=f"view:{view.get('id')}",
        )
        if isinstance(outcome, Problem):
            block = getattr(outcome, "field", "") or (
                "day" if any(word in outcome.message for word in _DAY_WORDS) else _first_metric_block(values)
            )
            ack(response_action="errors", errors={block: _plain(outcome.message)})
            return
        ack()
        if isinstance(outcome, Logged | Notice):
            user, gateway = body["user"]["id"], gateway_for(context)
            later(lambda: gateway.post(channel=user, message=render(outcome)))
            if isinstance(outcome, Logged):
                later(lambda: publish_home(services, gateway, workspace, user))


def register_coaching(
    app: App,
    services: Services,
    gateway_for: GatewayFor,
    later: Later,
    deadline: Deadline,
    *,
    open_views: Later,
) -> None:
    """Plan 1:1 and Mark 1:1 done, on a manager's alert or 1:1 prompt."""
    speak = heard(voices.of(services))

    @app.action("plan_one_on_one")
    @deadline.action
    @speak
    def open_plan(ack: Ack, body: dict, context: BoltContext) -> None:
        ack()
        ref, workspace = hidden.rep_ref(hidden.button_value(body)), hidden.workspace(context)
        if ref is None or workspace is None:
            return _refused("plan_one_on_one", body)
        form = services.coaching.plan_form(
            workspace_id=workspace, manager=body["user"]["id"], rep=ref.rep, team_id=ref.team_id
        )
        if isinstance(form, Problem):
            return
        view = plan_one_on_one_modal(
            rep=form.rep, team_id=form.team_id, metrics=form.metrics, until=form.until, video=form.video
        )
        gateway = gateway_for(context)
        open_views(lambda: gateway.open_view(trigger_id=body["trigger_id"], view=view))

    @app.view("plan_one_on_one")
    @deadline.view
    @speak
    def submit_plan(ack: Ack, body: dict, view: dict, context: BoltContext) -> None:
        ref, workspace = hidden.rep_ref(hidden.view_metadata(view)), hidden.workspace(context)
        if ref is None or workspace is None:
            ack(response_action="errors", errors={"until": _(hidden.STALE_FORM)})
            return _refused("plan_one_on_one", body)
        values = _state(view)
        until = hidden.iso_date(values.get("until"))  # none or malformed: the service asks for one
        outcome = services.coaching.plan(
            workspace_id=workspace,
            manager=body["user"]["id"],
            rep=ref.rep,
            team_id=ref.team_id,
            targets={k.split(":", 1)[1]: str(v) for k, v in values.items() if k.startswith("metric:") and v},
            until=until,
        )
        if isinstance(outcome, Invalid):
            ack(response_action="errors", errors={outcome.field: outcome.message})
            return
        if isinstance(outcome, Problem):
            ack(response_action="errors", errors={"until": _plain(outcome.message)})
            return
        ack()
        gateway = gateway_for(context)
        later(lambda: _tell_plan(gateway, outcome))

    @app.action(LINK_ACTION)
    def open_link(ack: Ack) -> None:
        """A link button (the team meeting's, a 1:1's video room): Slack opens it; nothing to do."""
        ack()

    @app.action("one_on_one_done")
    @deadline.action
    @speak
    def mark_done(ack: Ack, body: dict, respond, context: BoltContext) -> None:
        ref, workspace = hidden.rep_ref(hidden.button_value(body)), hidden.workspace(context)
        if ref is None or workspace is None:
            ack()
            return _refused("one_on_one_done", body)
        outcome = services.coaching.done(
            workspace_id=workspace, manager=body["user"]["id"], rep=ref.rep, team_id=ref.team_id
        )
        ack()
        later(lambda: respond(**{**render(outcome), "replace_original": False}))


def _tell_plan(gateway: SlackGateway, plan: Planned) -> None:
    goals = _(", ").join(
        _(
            "{target} {metric} {per}",
            target=target,
            metric=noun(label, target),
            per=_(PER[period]) if period in PER else period,
        )
        for label, target, period in plan.items
    )
    text = _(
        "Saved the plan for <@{rep}>: {goals}, until {until}. It shows in their check-ins, and I'll tell "
        "them in my next message to them, inside their working hours.",
        rep=plan.rep,
        goals=goals,
        until=fmt.short_date(plan.until),
    )
    if plan.video:
        text += " " + _("Your 1:1 room: <{url}|join video>.", url=esc(plan.video))
    gateway.post(channel=plan.manager, message={"text": text})


# A problem about the day (shown by the date picker): its words in the languages the bot speaks.
_DAY_WORDS = ("date", "day", "datë", "datën", "ditë", "ditën", "dita")


def _first_metric_block(values: dict[str, object]) -> str:
    return next((k for k in values if k.startswith("metric:")), "day")


def _plain(text: str) -> str:
    """Inline modal errors are plain text: drop mrkdwn emphasis and emoji codes."""
    return text.replace(":warning: ", "").replace("*", "").replace("`", "")[:150]
