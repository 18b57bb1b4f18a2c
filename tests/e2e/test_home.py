"""App Home and the Events API, as Slack drives them: url_verification, app_home_opened (and its
retries), the Home tab's buttons, and the refresh after a rep logs."""

from __future__ import annotations

import json

import pytest

from tests.e2e.test_interactive import buttons, opened_view
from tests.support.fakeslack import FakeSlack
from tests.support.signing import SlackSender

pytestmark = pytest.mark.e2e

BOSS, REP = "U0HBOSS", "U0HREP"


@pytest.fixture
def team(slack: SlackSender, fake_slack: FakeSlack) -> None:
    fake_slack.add_user(BOSS, name="hboss", tz="America/New_York")
    fake_slack.add_user(REP, name="hrep", tz="America/Chicago")
    slack.create_team("Home Team <#C0HOME|home> tz=America/New_York", user_id=BOSS)
    slack.command("/team", f"add <@{REP}|hrep>", user_id=BOSS)
    slack.command("/goals", "team 20 calls/day, 5 presentations/week", user_id=BOSS)
    slack.command("/goals", f"<@{REP}|hrep> quota $30k/month", user_id=BOSS)


def home_opened(slack: SlackSender, user: str, *, event_id: str | None = None, retry: int | None = None):
    event = {"type": "app_home_opened", "user": user, "channel": "D0HOME", "tab": "home", "event_ts": "1.2"}
    return slack.event(
        slack.envelope(event, event_id=event_id),
        retry_num=retry,
        retry_reason="http_timeout" if retry else None,
    )


def published(fake: FakeSlack, user: str, count: int = 1) -> list:
    calls = fake.wait_for(
        lambda f: len([c for c in f.calls("views.publish") if c.params.get("user_id") == user]) >= count,
        what=f"views.publish for {user}",
    )
    del calls
    return [c for c in fake.calls("views.publish") if c.params.get("user_id") == user]


def view_of(call) -> dict:
    view = call.params["view"]
    return json.loads(view) if isinstance(view, str) else view


def test_url_verification_is_answered(slack: SlackSender) -> None:
    reply = slack.event({"token": "x", "challenge": "3eZbrw1aBm2rZgRNFdxV", "type": "url_verification"})
    assert reply.status == 200
    assert "3eZbrw1aBm2rZgRNFdxV" in reply.text


def test_a_reps_home_shows_progress_streak_and_stage(slack, fake_slack, team) -> None:
    slack.command("/log", "12 calls, 2 demos, $4,000", user_id=REP)
    published(fake_slack, REP)  # the refresh a /log queues, or it may land after the reset
    fake_slack.reset()
    assert home_opened(slack, REP).status == 200
    [call] = published(fake_slack, REP)
    view = view_of(call)
    text = json.dumps(view, ensure_ascii=False)
    assert view["type"] == "home"
    assert "cold calls: *12* of 20" in text and "█" in text  # a readable progress bar
    assert "Stage: onboarding" in text and "each working day" in text
    assert {"log_activity", "share_week"} <= set(buttons({"blocks": view["blocks"]}))


def test_a_managers_home_has_the_team_table_and_the_1_1_buttons(slack, fake_slack, team) -> None:
    home_opened(slack, BOSS)
    [call] = published(fake_slack, BOSS)
    view = view_of(call)
    text = json.dumps(view, ensure_ascii=False)
    assert "Team — Home Team" in text and f"<@{REP}>" in text and "onboarding" in text
    found = buttons({"blocks": view["blocks"]})
    assert {"plan_one_on_one", "one_on_one_done"} <= set(found)
    slack.button("plan_one_on_one", user_id=BOSS, value=found["plan_one_on_one"]["value"])
    assert opened_view(fake_slack)["callback_id"] == "plan_one_on_one"


def test_the_log_button_on_home_opens_the_log_modal(slack, fake_slack, team) -> None:
    home_opened(slack, REP)
    [call] = published(fake_slack, REP)
    found = buttons({"blocks": view_of(call)["blocks"]})
    slack.button("log_activity", user_id=REP, value=found["log_activity"]["value"])
    modal = opened_view(fake_slack)
    assert modal["callback_id"] == "log_activity"
    assert {b["block_id"] for b in modal["blocks"] if b["type"] == "input"} >= {"metric:calls", "day"}


def test_retries_of_one_event_are_handled_once(slack, fake_slack, team) -> None:
    for retry in (None, 1, 2):
        assert home_opened(slack, REP, event_id="Ev0SAMEEVENT", retry=retry).status == 200
    home_opened(slack, BOSS)  # a different event, to know the earlier ones have been processed
    published(fake_slack, BOSS)
    assert len([c for c in fake_slack.calls("views.publish") if c.params.get("user_id") == REP]) == 1


def test_home_is_refreshed_after_a_rep_logs(slack, fake_slack, team) -> None:
    slack.command("/log", "7 calls", user_id=REP)
    [call] = published(fake_slack, REP)
    assert "cold calls: *7* of 20" in json.dumps(view_of(call), ensure_ascii=False)


def test_mark_1_1_done_from_home_records_once(slack, fake_slack, team, engine) -> None:
    from sqlalchemy import select
    from sqlalchemy.orm import Session

    from bot.store.models import OneOnOne

    home_opened(slack, BOSS)
    [call] = published(fake_slack, BOSS)
    value = buttons({"blocks": view_of(call)["blocks"]})["one_on_one_done"]["value"]
    clicks = [slack.button("one_on_one_done", user_id=BOSS, value=value) for _ in range(3)]
    assert all(c.status == 200 for c in clicks)
    for c in clicks:
        fake_slack.wait_for(lambda f, c=c: f.responses(c.response_token), what="the confirmations")
    with Session(engine) as session:
        assert [(o.rep_id, o.manager_id) for o in session.scalars(select(OneOnOne))] == [(REP, BOSS)]
    # A rep can't mark their own 1:1.
    refused = slack.button("one_on_one_done", user_id=REP, value=value)
    [answer] = fake_slack.wait_for(lambda f: f.responses(refused.response_token), what="the refusal")
    assert "Only" in answer.text
