"""Buttons the clock's messages carry, clicked as Slack would: signed block_actions, the modal the bot
opens, and the view_submission Slack sends back."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.store.models import Entry, StandupAnswer
from tests.e2e.test_clock_cli import clock_once
from tests.e2e.test_commands import eventually
from tests.support.fakeslack import FakeSlack
from tests.support.signing import SlackSender
from tests.support.timewarp import MovableClock

pytestmark = pytest.mark.e2e

BOSS, REP = "U0IBOSS", "U0IREP"
CHANNEL = "C0ISTAND"
MONDAY_NY_MORNING = datetime(2026, 11, 30, 14, 5, tzinfo=UTC)


def buttons(post_params: dict) -> dict[str, dict]:
    blocks = post_params.get("blocks") or []
    if isinstance(blocks, str):
        blocks = json.loads(blocks)
    found = {}
    for block in blocks:
        for element in block.get("elements", []) if block.get("type") == "actions" else []:
            if element.get("type") == "button":
                found[element["action_id"]] = element
        accessory = block.get("accessory") or {}
        if accessory.get("type") == "button":
            found[accessory["action_id"]] = accessory
    return found


def opened_view(fake: FakeSlack) -> dict:
    call = fake.wait_for(lambda f: f.calls("views.open"), what="views.open")[-1]
    view = call.params["view"]
    return json.loads(view) if isinstance(view, str) else view


@pytest.fixture
def morning(slack: SlackSender, fake_slack: FakeSlack, database_url: str, web_clock: MovableClock):
    return monday_morning(slack, fake_slack, database_url, web_clock)


def monday_morning(slack: SlackSender, fake_slack: FakeSlack, database_url: str, web_clock: MovableClock):
    """The team is set up the Friday before; the clock posts Monday's messages; the test then
    presses their buttons a few minutes later, all in the bot's time. Returns the posts by channel."""
    web_clock.set(MONDAY_NY_MORNING - timedelta(days=3))
    fake_slack.add_user(BOSS, name="iboss", tz="America/New_York")
    fake_slack.add_user(REP, name="irep", tz="America/New_York")
    slack.create_team(f"Interactive <#{CHANNEL}|standup> tz=America/New_York", user_id=BOSS)
    slack.command("/team", f"add <@{REP}|irep>", user_id=BOSS)
    slack.command("/goals", "team 20 calls/day, 5 presentations/week", user_id=BOSS)
    fake_slack.wait_for(lambda f: len([c for c in f.calls("users.info") if c.status == 200]) >= 2, timeout=10)
    clock_once(fake_slack, database_url, MONDAY_NY_MORNING - timedelta(hours=1))
    clock_once(fake_slack, database_url, MONDAY_NY_MORNING)
    web_clock.set(MONDAY_NY_MORNING + timedelta(minutes=5))
    return {c.params["channel"]: c for c in fake_slack.calls("chat.postMessage") if c.status == 200}


def test_share_my_week_from_the_standup_lands_in_its_thread(slack, fake_slack, morning, engine) -> None:
    standup = morning[CHANNEL]
    share = buttons(standup.params)["share_week"]
    reply = slack.button("share_week", user_id=REP, value=share["value"], channel_id=CHANNEL)
    assert reply.status == 200
    view = opened_view(fake_slack)
    assert view["callback_id"] == "share_week"
    labels = [b["label"]["text"] for b in view["blocks"] if b["type"] == "input"]
    assert labels == ["Wins last week", "Focus this week", "Where I could use help"]

    values = {
        "wins": {"value": {"type": "plain_text_input", "value": "Closed Acme <3"}},
        "focus": {"value": {"type": "plain_text_input", "value": "Demos for the Q1 pipeline"}},
        "help": {"value": {"type": "plain_text_input", "value": "Pricing objections"}},
    }
    submitted = slack.submit_view(
        "share_week", values, user_id=REP, private_metadata=view["private_metadata"]
    )
    assert submitted.status == 200 and not submitted.body.strip(b"{} \n")  # an empty ack closes the modal
    thread = fake_slack.wait_for(
        lambda f: [c for c in f.calls("chat.postMessage") if c.params.get("thread_ts")],
        what="the thread reply",
    )[0]
    assert thread.params["channel"] == CHANNEL
    assert thread.params["thread_ts"] == standup.response["ts"]
    assert "Closed Acme &lt;3" in json.dumps(thread.params)
    answer = eventually(lambda: _posted_answer(engine))  # the thread ts is saved right after the post
    assert (answer.week, answer.help, answer.posted_ts) == (
        "2026-W49",
        "Pricing objections",
        thread.response["ts"],
    )


def _posted_answer(engine) -> StandupAnswer | None:
    with Session(engine) as session:
        answer = session.scalar(select(StandupAnswer))
    return answer if answer is not None and answer.posted_ts else None


def test_an_empty_share_is_refused_inline(slack, fake_slack, morning, engine) -> None:
    meta = json.dumps(
        {
            "team_id": json.loads(buttons(morning[CHANNEL].params)["share_week"]["value"])["team_id"],
            "week": "2026-W49",
        }
    )
    blank = {k: {"value": {"type": "plain_text_input", "value": ""}} for k in ("wins", "focus", "help")}
    reply = slack.submit_view("share_week", blank, user_id=REP, private_metadata=meta)
    assert reply.json()["response_action"] == "errors"
    with Session(engine) as session:
        assert list(session.scalars(select(StandupAnswer))) == []


def test_log_activity_from_the_check_in_records_once(slack, fake_slack, morning, engine) -> None:
    checkin = morning[REP]
    log_button = buttons(checkin.params)["log_activity"]
    slack.button(
        "log_activity", user_id=REP, value=log_button["value"], channel_id=checkin.response["channel"]
    )
    view = opened_view(fake_slack)
    assert view["callback_id"] == "log_activity"
    today = MONDAY_NY_MORNING.astimezone(ZoneInfo("America/New_York")).date().isoformat()
    values = {
        "metric:calls": {"value": {"type": "number_input", "value": "12"}},
        "metric:presentations": {"value": {"type": "number_input", "value": "2"}},
        "day": {"value": {"type": "datepicker", "selected_date": today}},
        "note": {"value": {"type": "plain_text_input", "value": "from the modal"}},
    }
    first = slack.submit_view(
        "log_activity", values, user_id=REP, private_metadata=view["private_metadata"], view_id="V0LOGONE"
    )
    again = slack.submit_view(
        "log_activity", values, user_id=REP, private_metadata=view["private_metadata"], view_id="V0LOGONE"
    )
    assert first.status == again.status == 200
    with Session(engine) as session:
        rows = list(session.scalars(select(Entry).where(Entry.user_id == REP)))
    assert sorted((e.metric_key, e.amount, e.source, e.note) for e in rows) == [
        ("calls", Decimal(12), "modal", "from the modal"),
        ("presentations", Decimal(2), "modal", "from the modal"),
    ]
    confirmation = fake_slack.wait_for(
        lambda f: [
            c
            for c in f.calls("chat.postMessage")
            if c.params["channel"] == REP and "Logged" in json.dumps(c.params)
        ],
        what="the confirmation DM",
    )
    assert len(confirmation) == 1


def test_bad_modal_numbers_show_inline_and_record_nothing(slack, fake_slack, morning, engine) -> None:
    values = {
        "metric:calls": {"value": {"type": "number_input", "value": "5000"}},
        "day": {"value": {"type": "datepicker", "selected_date": "2020-01-01"}},
    }
    reply = slack.submit_view("log_activity", values, user_id=REP, private_metadata='{"team_id": 1}')
    body = reply.json()
    assert body["response_action"] == "errors"
    assert set(body["errors"]) <= {"metric:calls", "day"}
    with Session(engine) as session:
        assert list(session.scalars(select(Entry).where(Entry.user_id == REP))) == []


def test_plan_one_on_one_and_mark_it_done_from_the_managers_prompt(
    slack, fake_slack, morning, engine, database_url
) -> None:
    from bot.store.models import Goal, OneOnOne

    prompt = morning[BOSS]
    found = buttons(prompt.params)
    assert {"plan_one_on_one", "one_on_one_done"} <= set(found)
    slack.button(
        "plan_one_on_one",
        user_id=BOSS,
        value=found["plan_one_on_one"]["value"],
        channel_id=prompt.response["channel"],
    )
    view = opened_view(fake_slack)
    assert view["callback_id"] == "plan_one_on_one"
    until = (
        MONDAY_NY_MORNING.astimezone(ZoneInfo("America/New_York")).date() + timedelta(days=14)
    ).isoformat()
    values = {
        "metric:calls": {"value": {"type": "number_input", "value": "30"}},
        "until": {"value": {"type": "datepicker", "selected_date": until}},
    }
    # A rep can't plan their own 1:1 goals; the manager can.
    refused = slack.submit_view(
        "plan_one_on_one", values, user_id=REP, private_metadata=view["private_metadata"]
    )
    assert refused.json()["response_action"] == "errors"
    for _ in range(2):  # a double submit keeps one plan
        saved = slack.submit_view(
            "plan_one_on_one", values, user_id=BOSS, private_metadata=view["private_metadata"]
        )
        assert saved.status == 200
    fake_slack.wait_for(
        lambda f: [
            c
            for c in f.calls("chat.postMessage")
            if c.params["channel"] == BOSS and "Saved the plan" in json.dumps(c.params)
        ],
        what="the manager's confirmation",
    )
    # The rep had Monday's check-in: the plan leads Tuesday's one message, through the clock.
    assert not [c for c in fake_slack.calls("chat.postMessage") if "you agreed" in json.dumps(c.params)]
    clock_once(fake_slack, database_url, MONDAY_NY_MORNING + timedelta(days=1))
    told = [
        c
        for c in fake_slack.calls("chat.postMessage")
        if c.params["channel"] == REP and "you agreed" in json.dumps(c.params)
    ]
    assert len(told) == 1 and "30 cold calls a day" in json.dumps(told[0].params)
    assert told[0].params["metadata"]["event_payload"]["items"] == "support_plan,checkin"
    with Session(engine) as session:
        [plan] = session.scalars(
            select(Goal).where(Goal.user_id == REP, Goal.ends_on.is_not(None), Goal.effective_to.is_(None))
        )
    assert (plan.metric_key, plan.target, plan.ends_on.isoformat(), plan.set_by) == (
        "calls",
        Decimal(30),
        until,
        BOSS,
    )

    clicks = [  # a double click notes it once
        slack.button(
            "one_on_one_done",
            user_id=BOSS,
            value=found["one_on_one_done"]["value"],
            channel_id=prompt.response["channel"],
        )
        for _ in range(2)
    ]
    answers = [
        fake_slack.wait_for(lambda f, c=c: f.responses(c.response_token), what="the confirmation")[0]
        for c in clicks
    ]
    assert "1:1 with <@U0IREP> is done" in answers[-1].text
    with Session(engine) as session:
        assert len(list(session.scalars(select(OneOnOne)))) == 1
