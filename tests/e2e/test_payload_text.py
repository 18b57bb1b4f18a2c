"""The word "payload" in what people type: bolt-python takes any form body holding the text ``payload``
for an interaction and answered such a slash command 404. Signed requests to the running server."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.store.models import Entry, Team
from tests.support.fakeslack import FakeSlack
from tests.support.signing import SlackSender

pytestmark = pytest.mark.e2e

BOSS, REP = "U0PLBOSS", "U0PLREP"


@pytest.fixture
def payload_team(slack: SlackSender, fake_slack: FakeSlack) -> None:
    fake_slack.add_user(BOSS, name="payload", tz="America/New_York")  # a user named "payload"
    fake_slack.add_user(REP, name="payload=rep", tz="America/New_York")
    created = slack.create_team(
        "Payload Team <#C0PAYLOAD|payload-deck> tz=America/New_York",
        user_id=BOSS,
        channel_name="payload",  # typed in a channel called #payload
    )
    assert "Created *Payload Team*" in created, created
    reply = slack.command("/team", f"add <@{REP}|payload=rep>", user_id=BOSS, user_name="payload")
    assert reply.status == 200 and "Added" in reply.message_text, reply.text


@pytest.mark.parametrize(
    "note",
    [
        "sent the payload deck to Acme",
        "payload=deck",
        "payload={}",
        "%7B not json",
        "a payload of %7B%22a%22",
    ],
)
def test_a_note_with_payload_in_it_is_logged(slack, payload_team, engine, note) -> None:
    reply = slack.command(
        "/log", f"2 calls -- {note}", user_id=REP, user_name="payload=rep", channel_name="payload"
    )
    assert reply.status == 200, reply.text
    assert "Logged 2 calls" in reply.message_text
    with Session(engine) as session:
        [entry] = session.scalars(select(Entry).where(Entry.user_id == REP))
    assert (entry.amount, entry.note) == (2, note)


def test_a_button_pressed_by_a_user_named_payload_still_works(slack, payload_team, fake_slack) -> None:
    reply = slack.button("log_activity", user_id=REP, value='{"metrics": ["calls"]}')
    assert reply.status == 200
    fake_slack.wait_for(lambda f: f.calls("views.open"), what="the Log activity modal")


def test_a_team_named_payload_is_stored_as_typed(slack, payload_team, engine) -> None:
    table = slack.command("/team", "", user_id=BOSS, user_name="payload", channel_name="payload")
    assert table.status == 200 and "*Payload Team*" in table.message_text
    with Session(engine) as session:
        assert session.scalar(select(Team.name)) == "Payload Team"
