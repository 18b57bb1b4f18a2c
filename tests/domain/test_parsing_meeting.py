"""``/team meeting`` and ``/team video``: a weekday, a time and a web link, as Slack sends them."""

from __future__ import annotations

from datetime import date, time

import pytest

from bot.domain.parsing import (
    ParseError,
    TeamMeeting,
    TeamMeetingOff,
    TeamMeetingShow,
    TeamVideo,
    TeamVideoShow,
    parse_team,
)

TODAY = date(2026, 11, 25)
ZOOM = "https://zoom.us/j/123456789"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("meeting", TeamMeetingShow()),
        ("meeting off", TeamMeetingOff()),
        ("meeting OFF", TeamMeetingOff()),
        ("meeting none", TeamMeetingOff()),
        (f"meeting thu 16:00 <{ZOOM}>", TeamMeeting(3, time(16, 0), ZOOM)),
        (f"meeting thu 16:00 <{ZOOM}|zoom.us/j/123456789>", TeamMeeting(3, time(16, 0), ZOOM)),
        (f"meeting Thursday at 4pm <{ZOOM}>", TeamMeeting(3, time(16, 0), ZOOM)),
        (f"meeting thursdays 4 pm <{ZOOM}>", TeamMeeting(3, time(16, 0), ZOOM)),
        (f"meeting <{ZOOM}> fri 09:30", TeamMeeting(4, time(9, 30), ZOOM)),
        (f"meeting mon 00:10 {ZOOM}", TeamMeeting(0, time(0, 10), ZOOM)),  # not linked by Slack
        ("meeting tue 10:00", TeamMeeting(1, time(10, 0), None)),  # keeps the link it has
        (
            "meeting wed 11:00 <https://meet.example.com/r?a=1&amp;b=2>",
            TeamMeeting(2, time(11, 0), "https://meet.example.com/r?a=1&b=2"),
        ),
        (
            "meeting wed 11:00 <http://intranet.local/room>",
            TeamMeeting(2, time(11, 0), "http://intranet.local/room"),
        ),
        ("meetings thu 16:00 <HTTPS://Zoom.us/j/1>", TeamMeeting(3, time(16, 0), "HTTPS://Zoom.us/j/1")),
        ("video", TeamVideoShow()),
        ("video off", TeamVideo(None)),
        (f"video <{ZOOM}>", TeamVideo(ZOOM)),
        (f"video <{ZOOM}|Zoom room>", TeamVideo(ZOOM)),
        (f"video {ZOOM}", TeamVideo(ZOOM)),
    ],
)
def test_meeting_and_video_accept(text: str, expected: object) -> None:
    assert parse_team(text, today=TODAY) == expected


@pytest.mark.parametrize(
    ("text", "says", "usage"),
    [
        ("meeting thu <https://zoom.us/j/1>", "weekday and a time", "/team meeting thu 16:00"),
        ("meeting 16:00 <https://zoom.us/j/1>", "weekday and a time", "/team meeting thu 16:00"),
        ("meeting <https://zoom.us/j/1>", "weekday and a time", "/team meeting thu 16:00"),
        ("meeting thu 25:00 <https://zoom.us/j/1>", "real time", "/team meeting thu 16:00"),
        ("meeting funday 16:00 <https://zoom.us/j/1>", "weekday", "/team meeting thu 16:00"),
        ("meeting thu 16:00 <mailto:boss@example.com|boss@example.com>", "isn't a web link", "/team meeting"),
        ("meeting thu 16:00 <ftp://files.example.com/x>", "https://", "/team meeting"),
        ("meeting thu 16:00 javascript://alert(1)", "isn't a web link", "/team meeting"),
        ("meeting thu 16:00 <https://>", "isn't a web link", "/team meeting"),
        ("meeting thu 16:00 <https://a.example/1> <https://b.example/2>", "one link", "/team meeting"),
        ("meeting thu 16:00 <https://a.example/1> <@U0AAA111|ana>", "@ana", "/team meeting"),
        ("meeting thu 16:00 <https://a.example/1> <!channel>", "@channel", "/team meeting"),
        ("meeting thu 16:00 <https://zoom.us/" + "x" * 500 + ">", "up to 500", "/team meeting"),
        ("video thu", "isn't a web link", "/team video https://"),
        ("video thu <https://zoom.us/j/1>", "only need the link", "/team video https://"),
        ("video <tel:+15551234|call me>", "isn't a web link", "/team video https://"),
        ("video zoom.us/j/1", "starting with `https://`", "/team video https://"),
        ("video <https://a.example/1> <https://b.example/2>", "one link", "/team video"),
        ("video <#C123ABC|sales>", "#sales", "/team video"),
    ],
)
def test_meeting_and_video_refuse_with_the_right_form(text: str, says: str, usage: str) -> None:
    result = parse_team(text, today=TODAY)
    assert isinstance(result, ParseError), result
    assert says.casefold() in result.message.casefold(), result.message
    assert usage in result.usage, result.usage


def test_a_refused_link_is_echoed_escaped() -> None:
    result = parse_team("video <javascript:alert(1)|<b>click</b>>", today=TODAY)
    assert isinstance(result, ParseError)
    assert "<b>" not in result.message
