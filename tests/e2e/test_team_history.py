"""A rep's past stays with the team it was made on (issue 12, item 2), through the real web process.

The attack: anyone can start a team, add a rep who has left another one, set them a quota — and then
read, on every surface a manager has, what the rep logged for their previous team. Each team's
managers must see a rep's numbers only from the entries made while the rep was on *their* team.
"""

from __future__ import annotations

import json

import pytest
from sqlalchemy import Engine, select

from bot.store.models import RepProfile
from tests.e2e.test_commands import eventually, rows
from tests.e2e.test_home import home_opened, published, view_of
from tests.support.fakeslack import FakeSlack
from tests.support.signing import SlackSender

pytestmark = pytest.mark.e2e

MARIA, SPY, ANA = "U0THMARIA", "U0THSPY", "U0THANA"
EAST, SPY_CHANNEL = "<#C0THEAST|th-east>", "<#C0THSPY|th-spy>"
# What Ana logs on Sales East: amounts that appear nowhere else in any reply.
OLD_REVENUE, OLD_CALLS = "$43,210", "37 calls"


def channel(fake: FakeSlack, channel_id: str, name: str, *members: str) -> None:
    """A channel in Slack's directory, with its members where the fake keeps them (a team's creator
    must be in its channel)."""
    fake.add_channel(channel_id, name=name, members=members)


def exported(slack: SlackSender, fake: FakeSlack, manager: str) -> list[list[str]]:
    """The CSV the manager's `/team export` uploads, as rows (header first)."""
    fake.reset()
    reply = slack.command("/team", "export", user_id=manager)
    assert "Exporting" in reply.message_text, reply.message_text
    fake.wait_for(lambda f: f.calls("files.completeUploadExternal"), what="the CSV upload")
    [upload] = fake.uploads.values()
    return [line.split(",") for line in upload.decode().splitlines()]


def home_text(slack: SlackSender, fake: FakeSlack, user: str) -> str:
    fake.reset()
    home_opened(slack, user)
    [call] = published(fake, user)
    return json.dumps(view_of(call), ensure_ascii=False)


@pytest.fixture
def moved(slack: SlackSender, fake_slack: FakeSlack, engine: Engine) -> None:
    """Ana logs on Sales East, is removed from it, and Spy's creator adds her and sets her a quota."""
    fake_slack.add_user(MARIA, name="thmaria", tz="America/New_York")
    fake_slack.add_user(SPY, name="thspy", tz="America/New_York")
    fake_slack.add_user(ANA, name="thana", tz="America/New_York")
    channel(fake_slack, "C0THEAST", "th-east", MARIA)
    channel(fake_slack, "C0THSPY", "th-spy", SPY)
    slack.create_team(f"Sales East {EAST} tz=America/New_York", user_id=MARIA)
    slack.command("/team", f"add <@{ANA}|thana>", user_id=MARIA)
    eventually(
        lambda: rows(engine, select(RepProfile).where(RepProfile.user_id == ANA, RepProfile.tz.is_not(None)))
    )
    slack.command("/goals", f"<@{ANA}|thana> quota $50k/month, 40 calls/day", user_id=MARIA)
    assert "Logged" in slack.command("/log", f"{OLD_CALLS}, {OLD_REVENUE}", user_id=ANA).message_text
    assert "Removed" in slack.command("/team", f"remove <@{ANA}|thana>", user_id=MARIA).message_text

    assert "Created *Spy*" in slack.create_team(f"Spy {SPY_CHANNEL} tz=America/New_York", user_id=SPY)
    assert "Added" in slack.command("/team", f"add <@{ANA}|thana>", user_id=SPY).message_text
    assert (
        "Goals set"
        in slack.command("/goals", f"<@{ANA}|thana> quota $50k/month, 40 calls/day", user_id=SPY).message_text
    )


def _no_old_numbers(text: str) -> None:
    for old in ("43,210", "43210", "43.2k", "37/40", "*37*", " 37 "):
        assert old not in text, (old, text)


def test_a_new_manager_sees_none_of_a_reps_past(slack, fake_slack, moved) -> None:
    goals = slack.command("/goals", f"<@{ANA}|thana>", user_id=SPY).message_text
    assert "revenue" in goals.lower(), goals
    _no_old_numbers(goals)
    assert "$0" in goals or "0/" in goals, goals

    table = slack.command("/team", "", user_id=SPY).message_text
    assert f"<@{ANA}>" in table, table
    _no_old_numbers(table)
    assert "never" in table, table  # nothing logged on Spy yet

    assert exported(slack, fake_slack, SPY) == [
        ["date", "rep_id", "rep_name", "metric", "amount", "note", "source", "logged_at_utc", "currency"]
    ]

    home = home_text(slack, fake_slack, SPY)
    assert f"<@{ANA}>" in home, home
    _no_old_numbers(home)

    # Ana's own view on Spy scores Spy's goals with Spy's entries only …
    own = slack.command("/goals", "", user_id=ANA).message_text
    _no_old_numbers(own)
    today = slack.command("/log", "", user_id=ANA).message_text
    _no_old_numbers(today)
    # … and her last entry on Sales East is Sales East's history now: not hers to undo from Spy.
    assert "nothing of yours" in slack.command("/log", "undo", user_id=ANA).message_text


def test_what_the_rep_logs_on_the_new_team_shows_there_and_only_there(slack, fake_slack, moved) -> None:
    logged = slack.command("/log", "12 calls, $1,500", user_id=ANA).message_text
    assert "calls 12/40" in logged, logged  # her own reply: this team's entries, not 37 + 12
    _no_old_numbers(logged)

    goals = slack.command("/goals", f"<@{ANA}|thana>", user_id=SPY).message_text
    assert "1,500" in goals, goals
    _no_old_numbers(goals)
    table = slack.command("/team", "", user_id=SPY).message_text
    assert "12/" in table, table
    _no_old_numbers(table)
    body = [row[1:5] for row in exported(slack, fake_slack, SPY)[1:]]
    assert sorted(body) == [[ANA, "thana", "calls", "12"], [ANA, "thana", "revenue", "1500"]]
    home = home_text(slack, fake_slack, SPY)
    assert "12" in home, home
    _no_old_numbers(home)

    # A rep is on one team at a time: Sales East can't add her while she is on Spy …
    refused = slack.command("/team", f"add <@{ANA}|thana>", user_id=MARIA).message_text
    assert "already a rep on *Spy*" in refused, refused
    # … and once she is back, Sales East sees its own entries and none of Spy's.
    slack.command("/team", f"remove <@{ANA}|thana>", user_id=SPY)
    assert "Added" in slack.command("/team", f"add <@{ANA}|thana>", user_id=MARIA).message_text
    east = slack.command("/goals", f"<@{ANA}|thana>", user_id=MARIA).message_text
    assert "43,210" in east, east
    assert "1,500" not in east and "44,710" not in east, east
    body = [row[1:5] for row in exported(slack, fake_slack, MARIA)[1:]]
    assert sorted(body) == [[ANA, "thana", "calls", "37"], [ANA, "thana", "revenue", "43210"]]
    home = home_text(slack, fake_slack, MARIA)
    assert "1,500" not in home and "*49*" not in home, home
