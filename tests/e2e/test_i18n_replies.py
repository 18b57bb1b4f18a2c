"""A rep who reads Albanian gets Albanian answers, through the real web process; the colleague next
to them still gets English. The language is set on the rep's profile directly, as ``/checkin
language sq`` will."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, update
from sqlalchemy.orm import Session

from bot.store.models import RepProfile
from tests.e2e.test_commands import ANA, BEN, CHANNEL, MANAGER, eventually, profiles_with_tz, rows
from tests.support.fakeslack import FakeSlack
from tests.support.signing import SlackSender

pytestmark = pytest.mark.e2e


@pytest.fixture
def team(slack: SlackSender, fake_slack: FakeSlack, engine: Engine) -> None:
    """Sales East, Maria managing Ana (who reads Albanian) and Ben (English), with default goals."""
    fake_slack.add_user(MANAGER, name="maria", tz="America/New_York")
    fake_slack.add_user(ANA, name="ana", tz="Europe/Tirane")
    fake_slack.add_user(BEN, name="ben", tz="Europe/Berlin")
    created = slack.create_team(f"Sales East {CHANNEL} tz=Europe/Tirane", user_id=MANAGER)
    assert "Created *Sales East*" in created, created
    slack.command("/team", f"add <@{ANA}|ana> <@{BEN}|ben>", user_id=MANAGER)
    eventually(lambda: {p.user_id for p in rows(engine, profiles_with_tz)} >= {ANA, BEN})
    reply = slack.command("/goals", "team 25 calls/day, 10 notes/day", user_id=MANAGER)
    assert "Goals set for the team default" in reply.message_text, reply.message_text
    with Session(engine) as session, session.begin():
        session.execute(update(RepProfile).where(RepProfile.user_id == ANA).values(language="sq"))


def test_a_rep_who_reads_albanian_gets_albanian_and_her_colleague_english(slack, team) -> None:
    ana = slack.command("/log", "25 calls, 4 notes", user_id=ANA).message_text
    assert "U regjistruan 25 telefonata, 4 shënime për sot." in ana, ana
    assert "*Sot:* telefonata 25/25 ✅ · shënime 4/10" in ana, ana
    assert "Anulo me `/log anulo`" in ana, ana

    ben = slack.command("/log", "25 calls, 4 notes", user_id=BEN).message_text
    assert "Logged 25 calls, 4 notes for today." in ben, ben
    assert "*Today:* calls 25/25 ✅ · notes 4/10" in ben, ben

    goals = slack.command("/goals", "", user_id=ANA).message_text
    assert "*Objektivat e tu*" in goals, goals
    assert "25/ditë objektiv _(parazgjedhja e ekipit)_" in goals, goals
    assert "*Your goals*" in slack.command("/goals", "", user_id=BEN).message_text


def test_the_help_speaks_the_callers_language(slack, team) -> None:
    assert "*Regjistro aktivitetin:*" in slack.command("/log", "help", user_id=ANA).message_text
    assert "*Log your activity:*" in slack.command("/log", "help", user_id=BEN).message_text
