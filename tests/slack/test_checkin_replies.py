"""What /checkin, its help and App Home say about a person's budget, hours and kudos."""

from __future__ import annotations

from datetime import UTC, datetime, time

import pytest

from bot.domain.types import Cadence, Stage
from bot.services.home import HomeView, RepHome
from bot.services.outcomes import CheckinView, Help, HoursChanged, KudosChanged
from bot.slack.messages.home import home_view
from bot.slack.messages.replies import render
from tests.support.fakeslack import visible_text


def view(**over) -> CheckinView:
    fields = {
        "user_id": "U0ANA",
        "is_self": True,
        "stage": Stage.STEADY,
        "cadence": Cadence.WEEKLY,
        "pinned": None,
        "since": datetime(2026, 10, 5, tzinfo=UTC),
        "reason": "4 weeks on the team and the last 3 weeks on track",
        "next_step": "8 more on-track weeks and I'll only check in monthly.",
        "hours": (time(8, 0), time(18, 0)),
        "checkin_at": time(9, 0),
        "tz": "Europe/Berlin",
    }
    return CheckinView(**{**fields, **over})


def said(outcome) -> str:
    return visible_text(render(outcome))


@pytest.mark.parametrize(
    ("stage", "cadence", "says"),
    [
        (
            Stage.ONBOARDING,
            Cadence.DAILY,
            "I'll message you at most once a working day while you're onboarding",
        ),
        (Stage.SUPPORT, Cadence.DAILY, "I'll message you at most once a working day while you're in support"),
        (Stage.STEADY, Cadence.WEEKLY, "I'll message you at most once a week while you're steady"),
        (Stage.AUTONOMOUS, Cadence.MONTHLY, "I'll message you at most once a month while you're autonomous"),
    ],
)
def test_the_budget_in_words(stage, cadence, says) -> None:
    assert says in said(view(stage=stage, cadence=cadence))


def test_a_pinned_budget_names_the_manager() -> None:
    text = said(view(cadence=Cadence.DAILY, pinned=Cadence.DAILY))
    assert "I'll message you at most once a working day: your manager set daily check-ins" in text
    assert "while you're" not in text


def test_hours_kudos_and_how_to_change_them() -> None:
    text = said(view())
    assert "between 08:00 and 18:00 your time (Europe/Berlin)" in text
    assert "Check-ins come on the week's first working day around 09:00; I only message you" in text
    assert "Kudos DMs are on" in text
    assert "`/checkin hours 09:00-17:00`" in text and "`/checkin mute kudos`" in text
    muted = said(view(kudos_muted=True, tz=None, hours=(time(9, 0), time(17, 0))))
    assert "between 09:00 and 17:00 in your Slack timezone" in muted
    assert "Kudos DMs are muted" in muted and "`/checkin unmute kudos`" in muted


def test_a_manager_reads_it_in_the_third_person() -> None:
    text = said(view(is_self=False, kudos_muted=True))
    assert "I'll message <@U0ANA> at most once a week while they're steady" in text
    assert "their time (Europe/Berlin)" in text and "their progress" in text
    assert "a manager set" in said(view(is_self=False, pinned=Cadence.WEEKLY))


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


def test_app_home_shows_the_hours_and_kudos() -> None:
    rep = RepHome(
        team_id=7,
        team_name="Sales East",
        today="2026-11-27",
        progress=(),
        streak=0,
        checkin=view(kudos_muted=True, hours=(time(10, 0), time(16, 0))),
        metrics=("calls",),
        week="2026-W48",
    )
    text = visible_text(home_view(HomeView(user_id="U0ANA", rep=rep, manager=None)))
    assert "I only message you between 10:00 and 16:00 your time (Europe/Berlin) · kudos DMs muted" in text
    assert "`/checkin hours 09:00-17:00`" in text and "`/checkin unmute kudos`" in text
