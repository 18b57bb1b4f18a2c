"""What a listener reads back from Slack: the ids hidden in button values and ``private_metadata``, and
the workspace of an org-wide install. Slack signs the payload, not what the bot once put inside it, so a
member can replay a button or a modal with values of their choosing; and an Enterprise Grid org-wide
install sends ``"team": null``. Both go through the real web process."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.store.models import OneOnOne, StandupAnswer
from tests.e2e.test_commands import eventually
from tests.e2e.test_interactive import BOSS, CHANNEL, REP, buttons, monday_morning, opened_view
from tests.support.fakeslack import FakeSlack

pytestmark = pytest.mark.e2e

SHARE = {
    "wins": {"value": {"type": "plain_text_input", "value": "Closed Acme"}},
    "focus": {"value": {"type": "plain_text_input", "value": "Demos"}},
    "help": {"value": {"type": "plain_text_input", "value": ""}},
}


@pytest.fixture
def morning(slack, fake_slack, database_url, web_clock) -> dict:
    return monday_morning(slack, fake_slack, database_url, web_clock)


def _team_id(morning: dict) -> int:
    return json.loads(buttons(morning[CHANNEL].params)["share_week"]["value"])["team_id"]


def _answers(engine) -> list[StandupAnswer]:
    with Session(engine) as session:
        return list(session.scalars(select(StandupAnswer)))


def _said(fake: FakeSlack, text: str) -> list:
    return [c for c in fake.calls() if text in json.dumps(c.params)]


@pytest.mark.parametrize(
    "meta",
    [
        {"week": "<!channel> <https://evil.example|pay here>"},  # lands in the thread and the manager's DM
        {"week": "2026-W49-and-then-some"},  # longer than the column (VARCHAR(10) on PostgreSQL)
        {"week": "2026-W60"},  # the shape, but no such week
        {"week": ["2026-W49"]},
        {"team_id": "1 OR 1=1"},
        {"team_id": True},
        {"team_id": 2**63},
    ],
    ids=["mention", "overlong", "no-such-week", "list", "string-id", "bool-id", "huge-id"],
)
def test_a_forged_share_week_form_changes_nothing(slack, fake_slack, morning, engine, meta) -> None:
    forged = json.dumps({"team_id": _team_id(morning), "week": "2026-W49", **meta})
    reply = slack.submit_view("share_week", SHARE, user_id=REP, private_metadata=forged)
    assert reply.status == 200
    body = reply.json()
    assert body["response_action"] == "errors" and "out of date" in next(iter(body["errors"].values()))
    assert _answers(engine) == []
    assert not _said(fake_slack, "evil.example") and not _said(fake_slack, "and-then-some")
    # The real form still works afterwards: nothing was half-written.
    good = json.dumps({"team_id": _team_id(morning), "week": "2026-W49"})
    assert slack.submit_view("share_week", SHARE, user_id=REP, private_metadata=good).status == 200
    assert [a.week for a in _answers(engine)] == ["2026-W49"]
    eventually(lambda: all(a.posted_ts for a in _answers(engine)))  # its thread post is recorded


@pytest.mark.parametrize(
    "value",
    ['{"team_id": 1, "week": "<!here>"}', "not json", "[1]", '{"team_id": null}', "x" * 4000],
    ids=["mention-week", "not-json", "array", "null-id", "huge"],
)
def test_a_forged_share_week_button_opens_nothing(slack, fake_slack, morning, value) -> None:
    reply = slack.button("share_week", user_id=REP, value=value, channel_id=CHANNEL)
    assert reply.status == 200
    assert fake_slack.calls("views.open") == []


@pytest.mark.parametrize(
    "rep", ["<@U0IBOSS>", "U0IREP> <!channel", 42, None], ids=["mention", "injection", "int", "null"]
)
def test_a_forged_one_on_one_button_or_form_changes_nothing(slack, fake_slack, morning, engine, rep) -> None:
    value = json.dumps({"rep": rep, "team_id": _team_id(morning)})
    click = slack.button("one_on_one_done", user_id=BOSS, value=value)
    assert click.status == 200
    values = {"metric:calls": {"value": {"type": "number_input", "value": "30"}}}
    reply = slack.submit_view("plan_one_on_one", values, user_id=BOSS, private_metadata=value)
    assert reply.json()["response_action"] == "errors"
    with Session(engine) as session:
        assert session.scalar(select(func.count()).select_from(OneOnOne)) == 0
    assert fake_slack.responses(click.response_token) == [] and not _said(fake_slack, "!channel")


def test_org_wide_buttons_and_modals_take_the_workspace_from_the_user(
    slack, fake_slack, morning, engine, web_process
) -> None:
    """Enterprise Grid: ``team`` is null; the workspace is ``user.team_id``, as Bolt resolves it."""
    log_mark = len(web_process.log_text())
    share = buttons(morning[CHANNEL].params)["share_week"]
    opened = slack.button("share_week", user_id=REP, value=share["value"], channel_id=CHANNEL, org_wide=True)
    assert opened.status == 200
    view = opened_view(fake_slack)
    submitted = slack.submit_view(
        "share_week", SHARE, user_id=REP, private_metadata=view["private_metadata"], org_wide=True
    )
    assert submitted.status == 200 and not submitted.body.strip(b"{} \n")
    [answer] = eventually(lambda: [a for a in _answers(engine) if a.posted_ts])  # threaded, and recorded
    assert (answer.workspace_id, answer.week) == (slack.team_id, "2026-W49")

    prompt = buttons(morning[BOSS].params)
    done = slack.button(
        "one_on_one_done", user_id=BOSS, value=prompt["one_on_one_done"]["value"], org_wide=True
    )
    assert done.status == 200
    [confirmed] = fake_slack.wait_for(lambda f: f.responses(done.response_token), what="the 1:1 confirmation")
    assert "is done" in confirmed.text
    with Session(engine) as session:
        assert [o.workspace_id for o in session.scalars(select(OneOnOne))] == [slack.team_id]
    logged = web_process.log_text()[log_mark:]
    assert "Traceback" not in logged, logged[logged.find("Traceback") - 300 :][:3000]
