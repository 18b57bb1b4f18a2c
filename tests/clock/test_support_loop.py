"""Tip 6 of a good sales manager, end to end through the clock: a quota alert → support at once →
a 1:1 with an agenda → short-term activity goals with an end date, tracked in check-ins → results
recover → the bot says so to both, and steps back."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.services.outcomes import CheckinView, GoalsView
from bot.store.models import Goal, RepProfile, StageChange
from tests.clock.conftest import BOSS, NY, ZONES, W, hours


def local(sent, user) -> datetime:
    return sent.at.astimezone(ZoneInfo(ZONES[user]))


def stage_of(engine, user: str) -> str:
    with Session(engine) as session:
        return session.scalar(select(RepProfile.stage).where(RepProfile.user_id == user))


def test_the_support_loop(spread_team, tick, sender, clock, engine) -> None:
    services = spread_team
    with Session(engine) as session, session.begin():
        profile = session.scalar(select(RepProfile).where(RepProfile.user_id == NY))
        profile.stage = "steady"
        profile.evaluated_week = date(2026, 11, 2)
    clock.set("2026-11-02T12:00:00+00:00")
    services.goals.goals(workspace_id=W, user_id=BOSS, text=f"<@{NY}|ny> quota $40k/month")
    for day in ("2026-11-02", "2026-11-03", "2026-11-04", "2026-11-05", "2026-11-06"):
        clock.set(f"{day}T15:00:00+00:00")
        services.activity.log(workspace_id=W, user_id=NY, text="20 calls, 1 demo")

    # No revenue: by Mon 9 Nov pace is 0 % with 29 % of the month gone — alert, and support at once.
    for instant in hours("2026-11-06T00:00:00+00:00", "2026-11-10T14:00:00+00:00"):
        tick(instant)
    assert stage_of(engine, NY) == "support"
    [alert] = sender.of("quota_alert", BOSS)
    assert alert.payload["agenda"]["weeks"] and alert.payload["team_id"]
    assert local(alert, BOSS) == datetime(2026, 11, 9, 17, 0, tzinfo=ZoneInfo(ZONES[BOSS]))
    # The rep had Monday's check-in already: the move waits for Tuesday's, and leads it.
    [to_rep] = sender.of("stage_change", NY)
    assert to_rep.payload["to"] == "support" and "quota pace at 0 %" in to_rep.payload["reason"]
    assert local(to_rep, NY) == datetime(2026, 11, 10, 9, 0, tzinfo=ZoneInfo(ZONES[NY]))
    [tuesday] = [m for m in sender.dms(NY) if local(m, NY).date() == date(2026, 11, 10)]
    assert [i["kind"] for i in tuesday.payload["items"]] == ["stage_change", "checkin"]
    # The manager had the alert at once; the stage change comes with Tuesday's morning digest.
    [to_boss] = [s for s in sender.of("stage_change", BOSS) if s.payload["rep"] == NY]
    assert to_boss.payload["to"] == "support"
    assert local(to_boss, BOSS) == datetime(2026, 11, 10, 8, 0, tzinfo=ZoneInfo(ZONES[BOSS]))

    # /checkin explains it with the numbers.
    clock.set("2026-11-10T14:30:00+00:00")
    view = services.checkin.checkin(workspace_id=W, user_id=NY, text="")
    assert isinstance(view, CheckinView) and view.stage.value == "support"
    assert "quota pace at 0 %" in view.reason
    assert view.next_step == "2 more on-track weeks in a row and I'll step back to a weekly check-in."

    # The 1:1: a short-term goal of 30 calls a day until 24 Nov, tracked in check-ins.
    planned = services.coaching.plan(
        workspace_id=W,
        manager=BOSS,
        rep=NY,
        team_id=alert.payload["team_id"],
        targets={"calls": "30"},
        until=date(2026, 11, 24),
    )
    assert planned.items == [("cold calls", "30", "day")]
    goals = services.goals.goals(workspace_id=W, user_id=NY, text="")
    assert isinstance(goals, GoalsView)
    assert [(g.metric.key, g.target, g.until) for g in goals.goals if g.until] == [
        ("calls", 30, date(2026, 11, 24))
    ]
    for instant in hours("2026-11-10T15:00:00+00:00", "2026-11-11T15:00:00+00:00"):
        tick(instant)
    checkin = sender.of("checkin", NY)[-1]
    assert checkin.payload["plan"] == [
        {"label": "cold calls", "target": "30", "period": "day", "until": "2026-11-24"}
    ]

    # Two strong weeks and a big deal: back on track. Monday's evaluation steps back to steady,
    # tells both, and ends the short-term goals.
    for day in range(11, 28):
        d = date(2026, 11, day)
        if d.weekday() < 5:
            clock.set(f"{d.isoformat()}T15:00:00+00:00")
            services.activity.log(
                workspace_id=W, user_id=NY, text="30 calls, 1 demo" + (", 1 deal $45k" if day == 12 else "")
            )
        for instant in hours(f"{d.isoformat()}T16:00:00+00:00", f"{d.isoformat()}T23:00:00+00:00"):
            tick(instant)
    for instant in hours("2026-11-28T00:00:00+00:00", "2026-11-30T15:00:00+00:00"):
        tick(instant)
    assert stage_of(engine, NY) == "steady"
    back = [s for s in sender.of("stage_change", NY) if s.payload["to"] == "steady"]
    assert len(back) == 1 and "back on track 2 weeks in a row" in back[0].payload["reason"]
    assert [s.payload["to"] for s in sender.of("stage_change", BOSS) if s.payload["rep"] == NY] == [
        "support",
        "steady",
    ]
    assert len(sender.of("back_on_track", NY)) == 1
    with Session(engine) as session:
        plan = session.scalars(select(Goal).where(Goal.user_id == NY, Goal.ends_on.is_not(None))).one()
        changes = [
            (c.from_stage, c.to_stage)
            for c in session.scalars(
                select(StageChange).where(StageChange.user_id == NY).order_by(StageChange.id)
            )
        ]
    assert plan.effective_to is not None
    assert changes[-2:] == [("steady", "support"), ("support", "steady")]
