"""No team-scoped read counts another team's entries: the same reps' entries on another team of the
same workspace — on the same days, a hundred times larger — change nothing that the first team's
manager, its channel or its reps see (issue 12, item 2).

A rep moves between teams (`/team remove`, then another team's `/team add`), and a rep may log a
past day after a move, so one rep's entries on one day can belong to two teams; only ``Entry.team_id``
tells them apart. As in the workspace-isolation test, this builds the team alone and records everything
its people can see (every command's read, App Home, the CSV export, a refused /log, what the clock
would send), then gives the same reps entries on another team and checks that nothing changed.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.domain.schedule import Window
from bot.store import queries as q
from bot.store.models import StandupAnswer, Team

W = "T0HISTORY"
BOSS, SPY = "U0HBOSS", "U0HSPY"
ANA, BEN, CAT = "U0HANA", "U0HBEN", "U0HCAT"  # Cat logs once, then goes quiet
NOW = "2026-11-25T23:00:00+00:00"  # a Wednesday, 18:00 in New York: after that day's evaluation
MONDAY = "2026-11-23T15:00:00+00:00"  # 10:00 in New York, after the standup


def create_team(services, *, workspace_id: str, user_id: str, text: str):
    """`/team create …`, answering the channel-membership check (when there is one) as Slack would
    for a creator who is in the channel."""
    outcome = services.teams.team(workspace_id=workspace_id, user_id=user_id, text=text)
    if type(outcome).__name__ == "NeedsChannelCheck":
        outcome = services.teams.team(
            workspace_id=workspace_id, user_id=user_id, text=text, in_channel=outcome.channel_id
        )
    return outcome


def build(services, clock, engine) -> int:
    """Mirror over a week and a half, as in the workspace-isolation test, plus a quiet rep and a
    quota behind pace. Returns the team's id."""
    clock.set("2026-11-13T15:00:00+00:00")
    team, goals, log, checkin = (
        services.teams.team,
        services.goals.goals,
        services.activity.log,
        services.checkin.checkin,
    )
    create_team(
        services, workspace_id=W, user_id=BOSS, text="create Mirror <#C0HMIRROR|mirror> tz=America/New_York"
    )
    team(workspace_id=W, user_id=BOSS, text=f"add <@{ANA}|ana> <@{BEN}|ben> <@{CAT}|cat>")
    team(workspace_id=W, user_id=BOSS, text="scoreboard public")
    team(workspace_id=W, user_id=BOSS, text="ceiling calls 500")
    goals(workspace_id=W, user_id=BOSS, text="team 5 calls/day, 1 presentations/week")
    goals(workspace_id=W, user_id=BOSS, text=f"<@{ANA}|ana> quota $10k/month")
    goals(workspace_id=W, user_id=BOSS, text=f"<@{BEN}|ben> quota $20k/month")
    checkin(workspace_id=W, user_id=BEN, text="away nov 23-24")
    for day in range(12):
        clock.set("2026-11-14T20:00:00+00:00")
        clock.advance(days=day)
        log(workspace_id=W, user_id=ANA, text="4 calls, 1 presentations, $1,250 revenue")
        if day % 3 == 0:
            log(workspace_id=W, user_id=BEN, text="3 calls")
        if day == 0:
            log(workspace_id=W, user_id=CAT, text="2 calls")
    log(workspace_id=W, user_id=ANA, text="undo")
    with Session(engine) as session:
        return session.scalar(select(Team.id).where(Team.workspace_id == W, Team.name == "Mirror"))


def observe(services, clock, team_id: int) -> list[str]:
    """Everything Mirror's manager, channel and reps can read, as text, at the same instant."""
    clock.set(NOW)
    reads = [
        ("team", BOSS, ""),
        ("team", ANA, ""),
        ("team", BOSS, "export"),
        ("log", ANA, ""),
        ("log", BEN, ""),
        ("log", ANA, "week"),
        ("log", BEN, "week"),
        ("log", CAT, "week"),
        ("log", ANA, "498 calls yesterday"),  # refused: past the ceiling with what Mirror holds
        ("goals", ANA, ""),
        ("goals", BOSS, f"<@{ANA}|ana>"),
        ("goals", BOSS, f"<@{BEN}|ben>"),
        ("goals", BOSS, f"<@{CAT}|cat>"),
        ("goals", BOSS, "team"),
        ("checkin", ANA, ""),
        ("checkin", BOSS, f"<@{BEN}|ben>"),
        ("checkin", BOSS, f"<@{CAT}|cat>"),
        ("log", ANA, "undo"),  # nothing of hers on Mirror in the last 24 h: nothing to undo
    ]
    calls = {
        "team": services.teams.team,
        "log": services.activity.log,
        "goals": services.goals.goals,
        "checkin": services.checkin.checkin,
    }
    seen = [repr(calls[c](workspace_id=W, user_id=u, text=t)) for c, u, t in reads]
    seen += [repr(services.home.home(workspace_id=W, user_id=u)) for u in (BOSS, ANA, BEN, CAT)]
    for at in (MONDAY, NOW):  # Monday's 1:1 round is planned on Monday; the rest by Wednesday night
        clock.set(at)
        plan = services.clock.plan(
            Window(since=clock() - timedelta(days=3), now=clock(), grace=timedelta(days=3))
        )
        seen += sorted(repr(m) for m in plan if m.team_id == team_id)
    return seen


def elsewhere(services, clock, engine) -> None:
    """Spy, another team of the same workspace; the same reps' entries on it, every day from
    mid-October, a hundred times Mirror's — as the store records a /log made while on Spy — and
    their "Share my week" answers there."""
    clock.set("2026-11-25T12:00:00+00:00")
    create_team(services, workspace_id=W, user_id=SPY, text="create Spy <#C0HSPY|spy> tz=America/New_York")
    with Session(engine) as session, session.begin():
        spy = session.scalar(select(Team.id).where(Team.workspace_id == W, Team.name == "Spy"))
        day = date(2026, 10, 15)
        while day <= date(2026, 11, 25):
            for rep in (ANA, BEN, CAT):
                q.add_entries(
                    session=session,
                    workspace_id=W,
                    team_id=spy,
                    user_id=rep,
                    items=[
                        ("calls", Decimal(400)),
                        ("presentations", Decimal(100)),
                        ("emails", Decimal(300)),
                        ("revenue", Decimal(125_000)),
                    ],
                    day=day,
                    note="on Spy",
                    source="command",
                    now=clock(),  # within the last 24 h: the newest entries any of them made
                )
            day += timedelta(days=1)
        for rep in (ANA, BEN, CAT):  # and what they asked of Spy in its standup thread
            session.add(
                StandupAnswer(
                    workspace_id=W,
                    team_id=spy,
                    user_id=rep,
                    week="2026-W47",
                    help="on Spy: more leads",
                    created_at=clock(),
                    updated_at=clock(),
                )
            )


def test_another_teams_entries_change_nothing_a_team_sees(services, clock, engine) -> None:
    mirror = build(services, clock, engine)
    alone = observe(services, clock, mirror)
    assert any("1250" in line for line in alone)  # there is something to see …
    kinds = {line.split("kind='")[1].split("'")[0] for line in alone if "kind='" in line}
    assert {"standup", "one_on_one", "quota_alert", "quiet", "checkin", "kudos"} <= kinds, kinds
    assert any("OverCeiling" in line for line in alone)
    assert "nothing of yours" in alone[17], alone[17]

    elsewhere(services, clock, engine)
    spy_export = services.teams.team(workspace_id=W, user_id=SPY, text="export")
    assert spy_export.rows == 25 * 3 * 4  # November's: Spy's entries are there, for Spy …
    assert observe(services, clock, mirror) == alone  # … and Mirror sees exactly what it saw before
