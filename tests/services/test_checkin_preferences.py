"""/checkin hours and kudos: each person's own, stored on their profile; and what /checkin says of them."""

from __future__ import annotations

from datetime import time

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.domain.types import Cadence, Stage
from bot.services.outcomes import CheckinView, HoursChanged, KudosChanged, Problem
from bot.services.profiles import UserInfo
from bot.slack.messages.replies import render
from bot.store.models import RepProfile, StageChange
from tests.support.fakeslack import visible_text

W = "T0PREFS"
BOSS, ANA, NOBODY = "U0BOSS", "U0ANA", "U0NOBODY"


class Directory:
    def __init__(self, **zones: str) -> None:
        self.zones = zones

    def user_info(self, user_id: str) -> UserInfo | None:
        tz = self.zones.get(user_id)
        return UserInfo(user_id, user_id.lower(), tz) if tz else None


@pytest.fixture
def team(services, clock):
    clock.set("2026-11-02T14:00:00+00:00")  # a Monday
    services.teams.team(
        workspace_id=W,
        user_id=BOSS,
        text="create Sales <#C0SALES|sales> tz=America/New_York",
        in_channel="C0SALES",
    )
    services.teams.team(workspace_id=W, user_id=BOSS, text=f"add <@{ANA}|ana>")
    services.profiles.refresh(workspace_id=W, user_ids=[ANA], directory=Directory(U0ANA="Europe/Berlin"))
    return services


def profile(engine, user_id: str) -> RepProfile | None:
    with Session(engine) as session:
        return session.scalar(
            select(RepProfile).where(RepProfile.workspace_id == W, RepProfile.user_id == user_id)
        )


def checkin(services, user_id: str, text: str):
    return services.checkin.checkin(workspace_id=W, user_id=user_id, text=text)


def test_a_rep_sets_their_hours_and_is_told_in_words(team, engine) -> None:
    outcome = checkin(team, ANA, "hours 09:00-17:00")
    assert outcome == HoursChanged((time(9, 0), time(17, 0)), "Europe/Berlin", default=False)
    prof = profile(engine, ANA)
    assert (prof.dm_from, prof.dm_until) == ("09:00", "17:00")
    said = visible_text(render(outcome))
    assert (
        "I'll only message you between 09:00 and 17:00 your time (Europe/Berlin), on your working days."
        in said
    )
    assert "/checkin hours default" in said


def test_back_to_the_default_hours(team, engine) -> None:
    checkin(team, ANA, "hours 9am-5pm")
    outcome = checkin(team, ANA, "hours default")
    assert outcome == HoursChanged((time(8, 0), time(18, 0)), "Europe/Berlin", default=True)
    prof = profile(engine, ANA)
    assert (prof.dm_from, prof.dm_until) == (None, None)
    assert "between 08:00 and 18:00 your time (Europe/Berlin)" in visible_text(render(outcome))
    assert checkin(team, ANA, "hours reset") == outcome


def test_a_manager_sets_their_own_hours(team, engine) -> None:
    outcome = checkin(team, BOSS, "hours 10-16")
    assert isinstance(outcome, HoursChanged)
    assert (profile(engine, BOSS).dm_from, profile(engine, BOSS).dm_until) == ("10:00", "16:00")
    assert profile(engine, ANA).dm_from is None  # nobody else's changed


def test_someone_without_a_profile_gets_one_and_their_slack_timezone_is_named(services, engine) -> None:
    assert profile(engine, NOBODY) is None
    outcome = checkin(services, NOBODY, "hours 09:00–17:00")
    assert outcome == HoursChanged((time(9, 0), time(17, 0)), None, default=False)
    assert "between 09:00 and 17:00 in your Slack timezone" in visible_text(render(outcome))
    prof = profile(engine, NOBODY)
    assert (prof.dm_from, prof.dm_until, prof.stage) == ("09:00", "17:00", Stage.ONBOARDING.value)
    with Session(engine) as session:  # created as everywhere else: with its first stage recorded
        assert (
            session.scalar(select(StageChange.reason).where(StageChange.user_id == NOBODY)) == "joined a team"
        )


@pytest.mark.parametrize(
    "text", ["hours 9-5", "hours 5-9", "hours 9-22", "hours 9:00-9:30", "hours", "hours soon"]
)
def test_bad_hours_change_nothing_and_show_an_example(team, engine, text) -> None:
    checkin(team, ANA, "hours 10-16")
    outcome = checkin(team, ANA, text)
    assert isinstance(outcome, Problem)
    assert "/checkin hours 09:00-17:00" in (outcome.message + (outcome.usage or ""))
    prof = profile(engine, ANA)
    assert (prof.dm_from, prof.dm_until) == ("10:00", "16:00")


def test_bad_hours_create_no_profile(services, engine) -> None:
    assert isinstance(checkin(services, NOBODY, "hours 22-23"), Problem)
    assert profile(engine, NOBODY) is None


def test_mute_and_unmute_kudos(team, engine) -> None:
    outcome = checkin(team, ANA, "mute kudos")
    assert outcome == KudosChanged(muted=True, already=False)
    assert profile(engine, ANA).mute_kudos is True
    said = visible_text(render(outcome))
    assert (
        "No more praise DMs; you'll still see your progress in `/log` replies and the weekly standup." in said
    )
    assert "/checkin unmute kudos" in said
    assert checkin(team, ANA, "mute kudos") == KudosChanged(muted=True, already=True)
    assert "already muted" in visible_text(render(checkin(team, ANA, "mute kudos")))

    outcome = checkin(team, ANA, "unmute kudos")
    assert outcome == KudosChanged(muted=False, already=False)
    assert profile(engine, ANA).mute_kudos is False
    assert "Kudos are back on" in visible_text(render(outcome))


def test_a_manager_mutes_their_own_kudos(team, engine) -> None:
    assert checkin(team, BOSS, "mute kudos") == KudosChanged(muted=True, already=False)
    assert profile(engine, BOSS).mute_kudos is True
    assert profile(engine, ANA).mute_kudos is False


def test_nobody_sets_another_persons_hours(team, engine) -> None:
    outcome = checkin(team, BOSS, f"<@{ANA}|ana> hours 9-17")
    assert isinstance(outcome, Problem) and "each person's own" in outcome.message
    assert profile(engine, ANA).dm_from is None


# --- what /checkin says: the budget, the hours, kudos ------------------------------------------


def view(services, user_id: str = ANA, text: str = "") -> tuple[CheckinView, str]:
    outcome = checkin(services, user_id, text)
    assert isinstance(outcome, CheckinView), outcome
    return outcome, visible_text(render(outcome))


def test_checkin_states_the_budget_hours_and_kudos_of_an_onboarding_rep(team) -> None:
    outcome, said = view(team)
    assert outcome.hours == (time(8, 0), time(18, 0)) and not outcome.kudos_muted
    assert "I'll message you at most once a working day while you're onboarding" in said
    assert "between 08:00 and 18:00 your time (Europe/Berlin)" in said
    assert "Check-ins come each working day around 09:00" in said
    assert "Kudos DMs are on" in said
    assert "`/checkin hours 09:00-17:00`" in said and "`/checkin mute kudos`" in said


@pytest.mark.parametrize(
    ("stage", "says"),
    [
        (Stage.ONBOARDING, "at most once a working day while you're onboarding"),
        (Stage.SUPPORT, "at most once a working day while you're in support"),
        (Stage.STEADY, "at most once a week while you're steady"),
        (Stage.AUTONOMOUS, "at most once a month while you're autonomous"),
    ],
)
def test_the_budget_follows_the_stage(team, engine, stage, says) -> None:
    with Session(engine) as session, session.begin():
        session.get(RepProfile, (W, ANA)).stage = stage.value
    assert says in view(team)[1]


def test_a_pin_sets_the_budget_and_says_who_set_it(team) -> None:
    checkin(team, BOSS, f"<@{ANA}|ana> daily")
    outcome, said = view(team)
    assert outcome.cadence is Cadence.DAILY
    assert "I'll message you at most once a working day: your manager set daily check-ins" in said
    checkin(team, BOSS, f"<@{ANA}|ana> monthly")
    assert "at most once a month: your manager set monthly check-ins" in view(team)[1]


def test_checkin_shows_the_chosen_hours_and_muted_kudos(team) -> None:
    checkin(team, ANA, "hours 10:30-16:00")
    checkin(team, ANA, "mute kudos")
    outcome, said = view(team)
    assert outcome.hours == (time(10, 30), time(16, 0)) and outcome.kudos_muted
    assert "between 10:30 and 16:00 your time (Europe/Berlin)" in said
    assert "around 10:30" in said  # the 09:00 check-in waits for the hours to open
    assert "Kudos DMs are muted" in said
    assert "`/checkin unmute kudos`" in said


def test_a_manager_reads_a_reps_budget_and_hours_in_the_third_person(team) -> None:
    checkin(team, ANA, "hours 9-17")
    checkin(team, ANA, "mute kudos")
    _, said = view(team, BOSS, f"<@{ANA}|ana>")
    assert "I'll message <@U0ANA> at most once a working day while they're onboarding" in said
    assert "between 09:00 and 17:00 their time (Europe/Berlin)" in said
    assert "Kudos DMs are muted: their progress" in said
    assert "/checkin hours" not in said  # not theirs to change


def test_a_manager_without_reps_is_pointed_to_their_own_hours(team) -> None:
    outcome = checkin(team, BOSS, "")
    assert isinstance(outcome, Problem)
    assert "/checkin hours 09:00-17:00" in outcome.usage
