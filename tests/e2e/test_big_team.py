"""A 200-rep team through the running bot: the manager's ``/team`` table and App Home, each in one
message or view that Slack accepts (the signed requests' acks and the fake's views.publish are read
by Slack's rules), the counts first and who needs a look next."""

from __future__ import annotations

import re

import pytest

from bot.slack.messages import home, replies
from tests.e2e.test_home import home_opened, published, view_of
from tests.support import blockkit
from tests.support.fakeslack import FakeSlack, visible_text
from tests.support.signing import SlackSender

pytestmark = pytest.mark.e2e

BOSS = "U0BIGBOSS"
REPS = [f"U0BIG{i:05d}" for i in range(200)]


@pytest.fixture
def big_team(slack: SlackSender, fake_slack: FakeSlack) -> None:
    fake_slack.add_user(BOSS, name="bigboss", tz="America/New_York")
    for i, rep in enumerate(REPS):
        fake_slack.add_user(rep, name=f"rep{i}", tz="America/New_York")
    slack.create_team("Sales Big <#C0BIGE2E|big> tz=America/New_York", user_id=BOSS)
    for start in range(0, len(REPS), 50):
        batch = " ".join(f"<@{u}|rep{start + i}>" for i, u in enumerate(REPS[start : start + 50]))
        assert slack.command("/team", f"add {batch}", user_id=BOSS).status == 200
    slack.command("/goals", "team 20 calls/day", user_id=BOSS)
    for rep in REPS[::2]:  # half the team has logged this week
        assert slack.command("/log", "12 calls", user_id=rep).status == 200


def test_a_managers_team_table_of_200_reps_is_one_message_slack_accepts(slack, fake_slack, big_team) -> None:
    reply = slack.command("/team", "", user_id=BOSS)
    assert reply.status == 200
    body = reply.json()
    assert blockkit.review("response_url", body).refusal is None  # what Slack would do with the ack
    assert blockkit.blocks_text(body["blocks"]) <= replies.BUDGET
    text = visible_text({"blocks": body["blocks"]})
    assert text.startswith("*Sales Big* — week of")
    assert "*200 reps* · 100 logged this week · 100 need a look" in text  # the other half never logged
    named = re.findall(r"<@(U0BIG\d+)>", text)
    assert named[:10] == REPS[1:20:2]  # who needs a look first: here, the ones who never logged
    [hidden] = re.findall(r"…and (\d+) more reps: `/team export`", text)
    assert len(named) + int(hidden) == len(REPS) and len(set(named)) == len(named)


def test_a_managers_home_of_200_reps_publishes_and_leads_with_the_counts(slack, fake_slack, big_team) -> None:
    before = len([c for c in fake_slack.calls("views.publish") if c.params.get("user_id") == BOSS])
    assert home_opened(slack, BOSS).status == 200
    call = published(fake_slack, BOSS, before + 1)[-1]
    fake_slack.wait_for(lambda f: call.response is not None, what="the answer to views.publish")
    assert call.ok, fake_slack.transcript()  # the strict fake took the view
    view = view_of(call)
    text = visible_text(view)
    assert "*200 reps* · 100 logged this week · 100 need a look" in text
    named = re.findall(r"<@(U0BIG\d+)>", text)
    assert named == REPS[1::2][: home.SHOWN]
    assert f"…and {len(REPS) - home.SHOWN} more reps" in text
