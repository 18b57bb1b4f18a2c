"""Use cases driven in-process with a clock the test controls: dates, daylight saving, away days, pace."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from bot.services.activity import ActivityService
from bot.services.outcomes import GoalsView, Logged, Problem, ProgressView, TeamTable
from bot.services.profiles import UserInfo
from bot.store.models import Entry

W = "T0SCENARIO"
BOSS, ANA = "U0BOSS", "U0ANA"


class Directory:
    """A stand-in for Slack's users.info."""

    def __init__(self, **zones: str) -> None:
        self.zones = zones
        self.asked: list[str] = []

    def user_info(self, user_id: str) -> UserInfo | None:
        self.asked.append(user_id)
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
    services.goals.goals(workspace_id=W, user_id=BOSS, text="team 20 calls/day, quota $40k/month")
    return services


def days_logged(engine) -> list[date]:
    with Session(engine) as session:
        return list(session.scalars(select(Entry.day).order_by(Entry.id)))


@pytest.mark.parametrize(
    ("instant", "tz", "expected"),
    [
        # 23:30 in Los Angeles is already tomorrow in UTC; the rep's own date wins.
        ("2026-11-04T07:30:00+00:00", "America/Los_Angeles", date(2026, 11, 3)),
        ("2026-11-04T07:30:00+00:00", "Europe/Berlin", date(2026, 11, 4)),
        # The US fall-back night (1 Nov 2026): 05:30 UTC is 01:30 EDT or EST — still 1 Nov.
        ("2026-11-01T05:30:00+00:00", "America/New_York", date(2026, 11, 1)),
        # The EU spring-forward morning: 01:30 UTC is 03:30 CEST on 29 Mar.
        ("2026-03-29T01:30:00+00:00", "Europe/Berlin", date(2026, 3, 29)),
        ("2026-11-04T10:30:00+00:00", "Asia/Kolkata", date(2026, 11, 4)),
    ],
)
def test_log_uses_the_reps_local_date(team, clock, engine, instant, tz, expected) -> None:
    team.profiles.refresh(workspace_id=W, user_ids=[ANA], directory=Directory(U0ANA=tz))
    clock.set(instant)
    outcome = team.activity.log(workspace_id=W, user_id=ANA, text="5 calls")
    assert isinstance(outcome, Logged)
    assert outcome.day == outcome.today == expected
    assert days_logged(engine) == [expected]


def test_until_slack_answers_the_team_timezone_is_used(team, clock, engine) -> None:
    team.profiles.refresh(workspace_id=W, user_ids=[ANA], directory=Directory())  # users.info: not found
    clock.set("2026-11-04T03:30:00+00:00")  # 22:30 on 3 Nov in New York
    team.activity.log(workspace_id=W, user_id=ANA, text="5 calls")
    assert days_logged(engine) == [date(2026, 11, 3)]


def test_profiles_are_fetched_once_a_day(team, clock) -> None:
    directory = Directory(U0ANA="Europe/Berlin")
    assert team.profiles.refresh(workspace_id=W, user_ids=[ANA], directory=directory) == 1
    clock.advance(hours=2)
    assert team.profiles.refresh(workspace_id=W, user_ids=[ANA], directory=directory) == 0
    clock.advance(hours=23)
    assert team.profiles.refresh(workspace_id=W, user_ids=[ANA], directory=directory) == 1
    assert directory.asked == [ANA, ANA]


def test_quota_pace_and_away_days_pro_rate_the_month(team, clock) -> None:
    # November 2026 has 21 working days Mon–Fri. Ana is away the week of the 16th (5 days).
    clock.set("2026-11-09T15:00:00+00:00")
    assert not isinstance(
        team.checkin.checkin(workspace_id=W, user_id=ANA, text="away 2026-11-16 to 2026-11-20"), Problem
    )
    team.activity.log(workspace_id=W, user_id=ANA, text="$10,000")
    view = team.goals.goals(workspace_id=W, user_id=ANA, text="")
    assert isinstance(view, GoalsView)
    [quota] = [line for line in view.progress if line.metric.key == "revenue"]
    # Quota pro-rated: 40,000 × 16/21; 6 of 16 counted days elapsed by Mon 9 Nov (inclusive).
    assert quota.target == Decimal(40000) * 16 / 21
    expected = Decimal(40000) * 16 / 21 * 6 / 16
    assert quota.pace == pytest.approx(float(Decimal(10000) / expected))


def test_a_daily_goal_met_is_celebrated_in_the_reply(team, clock) -> None:
    clock.set("2026-11-04T15:00:00+00:00")
    first = team.activity.log(workspace_id=W, user_id=ANA, text="15 calls")
    second = team.activity.log(workspace_id=W, user_id=ANA, text="5 calls")
    [before] = [line for line in first.progress if line.metric.key == "calls"]
    [after] = [line for line in second.progress if line.metric.key == "calls"]
    assert (before.actual, before.met) == (Decimal(15), False)
    assert (after.actual, after.met) == (Decimal(20), True)


def test_weekends_carry_no_daily_target(team, clock) -> None:
    clock.set("2026-11-07T15:00:00+00:00")  # Saturday
    outcome = team.activity.log(workspace_id=W, user_id=ANA, text="3 calls")
    [calls] = [line for line in outcome.progress if line.metric.key == "calls"]
    assert calls.target == 0
    assert calls.ratio is None


def test_public_holidays_are_days_off_once_the_team_says_so(team, clock) -> None:
    clock.set("2026-11-26T15:00:00+00:00")  # Thanksgiving
    [calls] = [
        ln
        for ln in team.activity.log(workspace_id=W, user_id=ANA, text="1 calls").progress
        if ln.metric.key == "calls"
    ]
    assert calls.target == 20
    team.teams.team(workspace_id=W, user_id=BOSS, text="holidays US")
    view = team.activity.log(workspace_id=W, user_id=ANA, text="")
    assert isinstance(view, ProgressView)
    [calls] = [ln for ln in view.progress if ln.metric.key == "calls"]
    assert calls.target == 0


def test_the_managers_table_lists_every_rep_with_stage(team, clock) -> None:
    clock.set("2026-11-04T15:00:00+00:00")
    team.activity.log(workspace_id=W, user_id=ANA, text="30 calls")
    table = team.teams.team(workspace_id=W, user_id=BOSS, text="")
    assert isinstance(table, TeamTable)
    [row] = table.rows
    assert (row.user_id, row.stage.value, row.last_logged) == (ANA, "onboarding", date(2026, 11, 4))
    [calls] = [ln for ln in row.progress if ln.metric.key == "calls"]
    assert (calls.actual, calls.target) == (Decimal(30), Decimal(100))  # 20/day over the 5-day week


def test_undo_only_reaches_back_24_hours(team, clock) -> None:
    clock.set("2026-11-04T15:00:00+00:00")
    team.activity.log(workspace_id=W, user_id=ANA, text="5 calls")
    clock.advance(hours=24, seconds=1)
    assert isinstance(team.activity.log(workspace_id=W, user_id=ANA, text="undo"), Problem)


def test_a_log_whose_progress_cannot_be_read_back_is_still_confirmed(
    team, clock, engine, monkeypatch
) -> None:
    """The database went away between the committed insert and the progress read: the entry is
    stored, so the outcome must confirm it (a "nothing was recorded" would invite a duplicate)."""
    clock.set("2026-11-04T15:00:00+00:00")

    def database_gone(*args, **kwargs):
        raise OperationalError("SELECT …", None, OSError("server closed the connection unexpectedly"))

    monkeypatch.setattr(ActivityService, "_progress", database_gone)
    outcome = team.activity.log(workspace_id=W, user_id=ANA, text="5 calls")
    assert isinstance(outcome, Logged)
    assert outcome.progress is None
    assert days_logged(engine) == [date(2026, 11, 4)]
