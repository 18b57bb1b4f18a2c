"""What /checkin help and its confirmations say about a person's hours and kudos."""

from __future__ import annotations

from datetime import time

from bot.services.outcomes import Help, HoursChanged, KudosChanged
from bot.slack.messages.replies import render
from tests.support.fakeslack import visible_text


def said(outcome) -> str:
    return visible_text(render(outcome))


def test_help_lists_hours_and_kudos() -> None:
    text = said(Help("/checkin"))
    assert "`/checkin hours 09:00-17:00`" in text and "06:00 to 21:00" in text
    assert "`/checkin hours default` (08:00–18:00)" in text
    assert "`/checkin mute kudos`" in text and "`/checkin unmute kudos`" in text


def test_the_confirmations() -> None:
    assert said(HoursChanged((time(9, 0), time(17, 0)), "Europe/Berlin", default=False)).startswith(
        "I'll only message you between 09:00 and 17:00 your time (Europe/Berlin), on your working days."
    )
    assert "in your Slack timezone" in said(HoursChanged((time(9, 0), time(17, 0)), None, default=False))
    assert "Back to the default hours" in said(HoursChanged((time(8, 0), time(18, 0)), None, default=True))
    assert "Kudos muted. No more praise DMs" in said(KudosChanged(muted=True, already=False))
    assert "Kudos are already on" in said(KudosChanged(muted=False, already=True))
