"""The team meeting's reminder in the channel, and the 1:1 video link on the manager's prompts and on
Plan 1:1: what a person reads, and that Slack would accept it however big the team or long the answers."""

from __future__ import annotations

import json
import re

from bot.slack.messages import channel
from bot.slack.messages.modals import plan_one_on_one_modal
from bot.slack.messages.scheduled import BUDGET, CHANNEL_KINDS, LINK_ACTION, render, text_size
from tests.slack.test_scheduled_messages import (
    AGENDA,
    QUOTA,
    assert_valid_message,
    assert_valid_view,
    mentions,
    standup,
)
from tests.support import blockkit
from tests.support.fakeslack import visible_text

ZOOM = "https://zoom.us/j/123?pwd=a&b=c"
VIDEO = "https://meet.example.com/one-on-ones"


def meeting(**over) -> dict:
    base = standup(
        meeting_day="2026-12-03",
        meeting_time="16:00",
        tz="America/New_York",
        url=ZOOM,
        wins=[{"user": "U0ANA", "text": "Closed Acme", "week": "2026-W49"}],
        wins_more=0,
        help=[{"user": "U0BEN", "text": "Pricing objections", "week": "2026-W49"}],
        help_more=0,
    )
    return {**base, **over}


def links(message: dict) -> dict[str, str]:
    """Link buttons: their text → the address they open."""
    out = {}
    for block in message["blocks"]:
        for element in block.get("elements", []) if block["type"] == "actions" else []:
            if "url" in element:
                assert element["action_id"] == LINK_ACTION
                out[element["text"]["text"]] = element["url"]
    return out


def test_every_channel_kind_has_its_builder() -> None:
    assert set(channel._RENDERERS) == CHANNEL_KINDS


def test_the_reminder_carries_the_link_as_a_button_and_in_the_text() -> None:
    message = render("meeting", "C0SALES", meeting())
    assert_valid_message(message)
    assert links(message) == {"Join the meeting": ZOOM}
    shown = visible_text(message)
    assert "<https://zoom.us/j/123?pwd=a&amp;b=c|Join the meeting>" in shown
    assert "Thu 3 Dec, 16:00* (America/New_York)" in shown
    assert "zoom.us/j/123" in message["text"]


def test_kudos_only_reminder_never_shows_a_reps_numbers() -> None:
    rows = [{"user": "U0ANA", "totals": {"calls": "130"}}, {"user": "U0CAL", "totals": {"calls": "12"}}]
    message = render("meeting", "C0SALES", meeting(kudos=["U0ANA"], rows=rows, wins=[], help=[]))
    assert mentions(message) == {"U0ANA"}
    assert "130" not in visible_text(message) and " 12" not in visible_text(message)
    assert "Your own numbers stay between you and your manager" in visible_text(message)


def test_a_public_scoreboard_reminder_shows_each_reps_line() -> None:
    rows = [{"user": "U0CAL", "totals": {"calls": "12"}}]
    message = render("meeting", "C0SALES", meeting(scoreboard="public", rows=rows))
    assert "<@U0CAL> — cold calls 12" in visible_text(message)


def test_nothing_shared_yet_says_so() -> None:
    message = render("meeting", "C0SALES", meeting(kudos=[], wins=[], help=[], lines=[]))
    shown = visible_text(message)
    assert "Nothing logged last week." in shown
    assert "No wins shared yet" in shown and "Nobody asked for a hand" in shown
    assert_valid_message(message)


def test_answers_are_escaped() -> None:
    nasty = "Ping <!channel> & <@U0BOSS> <https://evil.example|click>"
    message = render(
        "meeting", "C0SALES", meeting(help=[{"user": "U0BEN", "text": nasty, "week": "2026-W49"}])
    )
    assert "&lt;!channel&gt; &amp; &lt;@U0BOSS&gt;" in visible_text(message)
    assert "<!channel>" not in json.dumps(message) and "U0BOSS" not in mentions(message)


def test_a_big_team_with_long_answers_is_summarised_within_slacks_limits() -> None:
    long = "word " * 200
    said = [{"user": f"U{i:08d}", "text": long, "week": "2026-W49"} for i in range(30)]
    rows = [{"user": f"U{i:08d}", "totals": {"calls": str(i)}} for i in range(200)]
    payload = meeting(
        kudos=[f"U{i:08d}" for i in range(200)],
        wins=said,
        wins_more=170,
        help=said,
        help_more=12,
        scoreboard="public",
        rows=rows,
    )
    message = render("meeting", "C0SALES", payload)
    assert_valid_message(message)
    assert text_size(message["blocks"]) <= BUDGET
    shown = visible_text(message)
    assert re.search(r"…and \d+ more in the standup's thread", shown)
    more = [int(n) for n in re.findall(r"…and (\d+) more in the standup's thread", shown)]
    assert any(n > 170 for n in more) and any(12 < n < 170 for n in more)
    assert links(message) == {"Join the meeting": ZOOM}  # the button stays


# --- the 1:1 video link -----------------------------------------------------------------------


def one_on_one(**over) -> dict:
    payload = {"rep": "U0REP1", "team": "Sales East", "team_id": 7, "stage": "steady", "reason": "cadence",
               "alert": None, "agenda": AGENDA}  # fmt: skip
    return {**payload, **over}


def test_a_1on1_prompt_carries_the_teams_video_link() -> None:
    message = render("one_on_one", "U0MGR", one_on_one(video=VIDEO))
    assert_valid_message(message)
    assert links(message) == {"Join video": VIDEO}
    actions = [e["action_id"] for b in message["blocks"] if b["type"] == "actions" for e in b["elements"]]
    assert actions == ["plan_one_on_one", "one_on_one_done", LINK_ACTION]


def test_a_quota_alert_carries_it_too_and_without_a_link_there_is_no_button() -> None:
    assert links(render("quota_alert", "U0MGR", {**QUOTA, "team_id": 7, "video": VIDEO})) == {
        "Join video": VIDEO
    }
    assert links(render("one_on_one", "U0MGR", one_on_one())) == {}


def test_the_morning_digest_keeps_each_prompts_link() -> None:
    items = [
        {"id": i, "kind": "one_on_one", "payload": one_on_one(rep=f"U0REP{i}", video=VIDEO)} for i in (1, 2)
    ]
    message = render(
        "dm", "U0MGR", {"items": items, "role": "manager", "slot": "digest", "why": {"role": "manager"}}
    )
    assert blockkit.review("chat.postMessage", {"channel": "U0MGR", **message}).refusal is None
    assert sum(1 for b in message["blocks"] for e in b.get("elements", []) if e.get("url") == VIDEO) == 2


def test_plan_1on1_shows_the_video_room() -> None:
    metrics = [{"key": "calls", "label": "cold calls", "unit": "count", "period": "day", "current": "25"}]
    view = plan_one_on_one_modal(rep="U0REP1", team_id=7, metrics=metrics, until="2026-12-14", video=VIDEO)
    assert_valid_view(view)
    [room] = [b for b in view["blocks"] if b.get("block_id") == "video"]
    assert room["accessory"]["url"] == VIDEO and VIDEO in room["text"]["text"]
    plain = plan_one_on_one_modal(rep="U0REP1", team_id=7, metrics=metrics, until="2026-12-14")
    assert all(b.get("block_id") != "video" for b in plain["blocks"])
