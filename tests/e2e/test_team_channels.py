"""The standup hijack, through the running web process and ``clock --once``: a member created a team on
the channel Sales West uses and scheduled its standup; the clock dropped Sales West's standup (the key
was the channel) and Sales West's *Share my week* threaded under the hijacker's post. Now a channel has
one team, its giver must be in it, and a standup and its thread are the team's."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.store.models import Team
from tests.e2e.test_clock_cli import clock_once
from tests.e2e.test_interactive import buttons, opened_view
from tests.support.fakeslack import FakeSlack
from tests.support.signing import CHECKING, SlackSender
from tests.support.timewarp import MovableClock

pytestmark = pytest.mark.e2e

BOSS, REP, SPY = "U0TCBOSS", "U0TCREP", "U0TCSPY"
WEST, GENERAL, SECRET, SPYS = "C0TCWEST", "C0TCGENERAL", "G0TCSECRET", "C0TCSPY"
MONDAY = datetime(2026, 11, 30, 14, 5, tzinfo=UTC)  # 09:05 in New York: the 09:00 standup is due


@pytest.fixture
def sales_west(slack: SlackSender, fake_slack: FakeSlack, web_clock: MovableClock) -> None:
    web_clock.set(MONDAY - timedelta(days=3))
    for user in (BOSS, REP, SPY):
        fake_slack.add_user(user, name=user.lower(), tz="America/New_York")
    fake_slack.add_channel(GENERAL, name="general", members=[BOSS, REP])  # the spy isn't in it
    fake_slack.add_channel(SECRET, name="secret", is_private=True, members=[SPY], bot_is_member=False)
    created = slack.create_team(
        f"Sales West <#{WEST}|sales-west> tz=America/New_York", user_id=BOSS, members=[REP]
    )
    assert "Created *Sales West*" in created, created
    slack.command("/team", f"add <@{REP}|rep>", user_id=BOSS)
    fake_slack.wait_for(lambda f: len([c for c in f.calls("users.info") if c.ok]) >= 2, timeout=10)


def _answer(slack: SlackSender, fake: FakeSlack, reply) -> str:
    # Answered by response_url: after "Checking…", or an empty ack while the caller's timezone is fetched.
    assert reply.status == 200 and (not reply.body or CHECKING in reply.message_text), reply.message_text
    return fake.wait_for(lambda f: f.responses(reply.response_token), what="the answer")[0].text


def test_a_channel_another_team_uses_can_not_be_taken(
    slack, fake_slack, sales_west, database_url, engine
) -> None:
    checked_before = len(fake_slack.calls("conversations.members"))  # Sales West's own check
    taken = slack.command("/team", f"create Hijack <#{WEST}|sales-west> tz=UTC", user_id=SPY).message_text
    assert "already *Sales West*'s channel" in taken and "Nothing was changed" in taken
    # #general on the spy's say-so: Slack says they aren't in it.
    not_in = _answer(
        slack, fake_slack, slack.command("/team", f"create Hijack <#{GENERAL}|general>", user_id=SPY)
    )
    assert f"You're not in <#{GENERAL}>" in not_in
    # A private channel the bot isn't in: it can't see who is.
    unseen = _answer(
        slack, fake_slack, slack.command("/team", f"create Hijack <#{SECRET}|secret>", user_id=SPY)
    )
    assert f"I can't see <#{SECRET}>" in unseen and "/invite" in unseen
    # A name with a link in it is refused at once.
    linked = slack.command("/team", f"create Visit pay.example.com <#{SPYS}|spy>", user_id=SPY).message_text
    assert "can't contain a link" in linked
    with Session(engine) as session:
        assert [t.name for t in session.scalars(select(Team))] == ["Sales West"]
    asked = [c.params for c in fake_slack.calls("conversations.members")[checked_before:]]
    assert [p["channel"] for p in asked] == [GENERAL, SECRET]  # never for a refusal Slack needn't see

    # Monday: Sales West's standup is posted, once, in its channel; Share my week threads under it.
    clock_once(fake_slack, database_url, MONDAY)
    [standup] = [c for c in fake_slack.calls("chat.postMessage") if c.ok and c.params["channel"] == WEST]
    share = buttons(standup.params)["share_week"]
    slack.button("share_week", user_id=REP, value=share["value"], channel_id=WEST)
    view = opened_view(fake_slack)
    values = {
        k: {"value": {"type": "plain_text_input", "value": v}} for k, v in (("wins", "Acme"), ("focus", "Q1"))
    }
    values["help"] = {"value": {"type": "plain_text_input", "value": ""}}
    assert (
        slack.submit_view("share_week", values, user_id=REP, private_metadata=view["private_metadata"]).status
        == 200
    )
    thread = fake_slack.wait_for(
        lambda f: [c for c in f.calls("chat.postMessage") if c.ok and c.params.get("thread_ts")],
        what="the thread",
    )
    assert (thread[0].params["channel"], thread[0].params["thread_ts"]) == (WEST, standup.response["ts"])


def test_a_manager_moves_the_team_then_deletes_it(
    slack, fake_slack, sales_west, database_url, engine
) -> None:
    moved = _answer(slack, fake_slack, slack.command("/team", f"channel <#{GENERAL}|general>", user_id=BOSS))
    assert f"Its channel is now <#{GENERAL}> (was <#{WEST}>)" in moved
    assert (
        "Only a team's managers" in slack.command("/team", f"channel <#{WEST}|w>", user_id=REP).message_text
    )

    ask = slack.command("/team", "delete", user_id=BOSS).message_text
    assert "`/team delete Sales West`" in ask
    deleted = slack.command("/team", "delete Sales West", user_id=BOSS).message_text
    assert "Deleted *Sales West*" in deleted and f"<@{REP}> is free to join another team" in deleted
    clock_once(fake_slack, database_url, MONDAY)
    posted = [c.params for c in fake_slack.calls("chat.postMessage") if c.ok]
    assert posted == [], json.dumps(posted)[:500]
    assert "not on a team" in slack.command("/team", "", user_id=REP).message_text
    # Its name and its old channel are free again.
    again = slack.create_team(f"Sales West <#{WEST}|sales-west> tz=America/New_York", user_id=BOSS)
    assert "Created *Sales West*" in again, again
