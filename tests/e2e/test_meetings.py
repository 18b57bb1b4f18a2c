"""Team meetings and 1:1s on video through the running web process and ``clock --once``: the
commands (and their refusals) as Slack sends them, the reminder in the channel when it comes due, and
the 1:1 video link on the manager's prompt, its link button and Plan 1:1."""

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
from tests.support.signing import SlackSender
from tests.support.timewarp import MovableClock

pytestmark = pytest.mark.e2e

BOSS, REP = "U0MTBOSS", "U0MTREP"
CHANNEL = "C0MTSALES"
ZOOM = "https://zoom.us/j/5551234?pwd=xy&z=1"
VIDEO = "https://meet.example.com/one-on-ones"
FRIDAY = datetime(2026, 11, 27, 15, 0, tzinfo=UTC)


@pytest.fixture
def team(slack: SlackSender, fake_slack: FakeSlack, web_clock: MovableClock) -> None:
    web_clock.set(FRIDAY)
    fake_slack.add_user(BOSS, name="mtboss", tz="America/New_York")
    fake_slack.add_user(REP, name="mtrep", tz="America/New_York")
    created = slack.create_team(f"Meet East <#{CHANNEL}|meet-east> tz=America/New_York", user_id=BOSS)
    assert "Created *Meet East*" in created, created
    slack.command("/team", f"add <@{REP}|mtrep>", user_id=BOSS)
    slack.command("/goals", "team 20 calls/day", user_id=BOSS)
    fake_slack.wait_for(lambda f: len([c for c in f.calls("users.info") if c.status == 200]) >= 2, timeout=10)


def stored(engine) -> Team:
    with Session(engine) as session:
        return session.scalar(select(Team).where(Team.name == "Meet East"))


def escaped(url: str) -> str:
    return url.replace("&", "&amp;")  # as Slack escapes a link's address in command text


def test_the_commands_set_show_and_refuse(slack: SlackSender, team, engine) -> None:
    said = slack.command("/team", f"meeting thu 16:00 <{escaped(ZOOM)}|zoom.us/j/5551234>", user_id=BOSS)
    text = said.message_text
    assert "Team meeting: every Thursday 16:00 (America/New_York)" in text, text
    assert "At 15:45 <#C0MTSALES> gets a reminder" in text
    assert f"<{escaped(ZOOM)}|video>" in text
    t = stored(engine)
    assert (t.meeting_weekday, t.meeting_time, t.meeting_url) == (3, "16:00", ZOOM)

    shown = slack.command("/team", "meeting", user_id=REP).message_text  # anyone on the team may look
    assert "*Meet East* meets every Thursday 16:00" in shown, shown
    assert "/team meeting off" not in shown  # a rep isn't told how to change it

    for user, text, says in (
        (REP, f"meeting fri 10:00 <{ZOOM}>", "Only a team's managers can change it"),
        (BOSS, "meeting thu 16:00 <mailto:boss@example.com|boss@example.com>", "isn't a web link"),
        (BOSS, "meeting thu 16:00 <ftp://files.example.com/a>", "https://"),
        (BOSS, "meeting someday <https://zoom.us/j/1>", "weekday and a time"),
        (BOSS, "video <tel:+15551234|call>", "isn't a web link"),
        (BOSS, f"meeting sat 10:00 <{ZOOM}>", "Saturday isn't one of *Meet East*'s working days"),
        (REP, f"video <{VIDEO}>", "Only a team's managers can change it"),
    ):
        refused = slack.command("/team", text, user_id=user).message_text
        assert says in refused, (text, refused)
    assert (
        "/team meeting thu 16:00 https://zoom.us/j/123"
        in slack.command("/team", "meeting thu 16:00 <ftp://files.example.com/a>", user_id=BOSS).message_text
    )  # the right form
    t = stored(engine)
    assert (t.meeting_weekday, t.meeting_time, t.meeting_url, t.video_url) == (3, "16:00", ZOOM, None)

    moved = slack.command("/team", "meeting fri 09:30", user_id=BOSS).message_text  # the link stays
    assert "every Friday 09:30" in moved and "Team meeting: Friday 09:30 on <" in moved, moved
    assert stored(engine).meeting_url == ZOOM

    video = slack.command("/team", f"video <{VIDEO}|1:1 room>", user_id=BOSS).message_text
    assert "every 1:1 prompt and Plan 1:1 now carries the link" in video and f"<{VIDEO}|link>" in video
    assert stored(engine).video_url == VIDEO
    assert "1:1s on *Meet East* happen on" in slack.command("/team", "video", user_id=REP).message_text
    assert "/team meeting thu 16:00 https://…" in slack.command("/team", "help", user_id=BOSS).message_text

    assert "no longer carry a video link" in slack.command("/team", "video off", user_id=BOSS).message_text
    assert (
        "No more team meeting reminders" in slack.command("/team", "meeting off", user_id=BOSS).message_text
    )
    t = stored(engine)
    assert (t.meeting_weekday, t.meeting_time, t.meeting_url, t.video_url) == (None, None, None, None)
    assert "no team meeting to stop" in slack.command("/team", "meeting off", user_id=BOSS).message_text


def test_the_reminder_arrives_in_the_channel_on_time_with_its_link(
    slack: SlackSender, fake_slack: FakeSlack, team, database_url
) -> None:
    slack.command("/team", f"meeting thu 16:00 <{escaped(ZOOM)}>", user_id=BOSS)
    thursday = datetime(2026, 12, 3, 20, 45, tzinfo=UTC)  # 15:45 in New York
    clock_once(fake_slack, database_url, thursday - timedelta(minutes=10))
    assert not [c for c in fake_slack.calls("chat.postMessage") if c.params["channel"] == CHANNEL]
    clock_once(fake_slack, database_url, thursday)
    clock_once(fake_slack, database_url, thursday + timedelta(minutes=5))  # and again: still one
    [post] = [c for c in fake_slack.calls("chat.postMessage") if c.params["channel"] == CHANNEL]
    assert post.status == 200  # the fake Slack validated its blocks
    assert buttons(post.params)["open_link"]["url"] == ZOOM
    assert "Team meeting in 15 minutes — Meet East" in json.dumps(post.params, ensure_ascii=False)


def test_a_1on1_prompt_carries_the_video_link_and_plan_1on1_shows_it(
    slack: SlackSender, fake_slack: FakeSlack, team, database_url, web_clock: MovableClock
) -> None:
    slack.command("/team", f"video <{VIDEO}>", user_id=BOSS)
    monday = datetime(2026, 11, 30, 14, 5, tzinfo=UTC)  # 09:05 in New York: the manager's digest
    clock_once(fake_slack, database_url, monday - timedelta(hours=1))
    clock_once(fake_slack, database_url, monday)
    web_clock.set(monday + timedelta(minutes=5))
    [prompt] = [c for c in fake_slack.calls("chat.postMessage") if c.params["channel"] == BOSS]
    found = buttons(prompt.params)
    assert found["open_link"]["url"] == VIDEO and {"plan_one_on_one", "one_on_one_done"} <= set(found)

    clicked = slack.button("open_link", user_id=BOSS, value="{}", channel_id=prompt.response["channel"])
    assert clicked.status == 200  # acked; Slack opened the link itself

    slack.button(
        "plan_one_on_one",
        user_id=BOSS,
        value=found["plan_one_on_one"]["value"],
        channel_id=prompt.response["channel"],
    )
    view = opened_view(fake_slack)
    [room] = [b for b in view["blocks"] if b.get("block_id") == "video"]
    assert room["accessory"]["url"] == VIDEO
    values = {
        "metric:calls": {"value": {"type": "number_input", "value": "30"}},
        "until": {"value": {"type": "datepicker", "selected_date": "2026-12-14"}},
    }
    saved = slack.submit_view(
        "plan_one_on_one", values, user_id=BOSS, private_metadata=view["private_metadata"]
    )
    assert saved.status == 200
    [confirmation] = fake_slack.wait_for(
        lambda f: [
            c
            for c in f.calls("chat.postMessage")
            if c.params["channel"] == BOSS and "Saved the plan" in json.dumps(c.params)
        ],
        what="the manager's confirmation",
    )
    assert f"<{VIDEO}|join video>" in confirmation.params["text"]
