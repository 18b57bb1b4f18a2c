"""No read crosses workspaces: a second workspace that mirrors the first — the same user IDs, the same
team name and channel, different numbers — changes nothing that anyone in the first one sees.

Slack user IDs are unique per workspace only, so every query must be scoped by workspace. Rather than
trust each query by reading it, this test builds workspace A alone and records everything its people
can see (every command's read, App Home, the CSV export, what the clock would send), then builds a
mirror B in the same database, with seven times the activity, and checks that A's view is unchanged.
"""

from __future__ import annotations

from datetime import timedelta

from bot.domain.schedule import Window

A, B = "T0MIRRORA", "T0MIRRORB"
BOSS, ANA, BEN = "U0MBOSS", "U0MANA", "U0MBEN"
NOW = "2026-11-25T21:00:00+00:00"  # a Wednesday evening, after the 17:00 evaluation in New York


def build(services, clock, workspace: str, k: int) -> None:
    """One team over a week and a half, its numbers scaled by ``k``."""
    clock.set("2026-11-13T15:00:00+00:00")
    team, goals, log, checkin = (
        services.teams.team,
        services.goals.goals,
        services.activity.log,
        services.checkin.checkin,
    )
    team(
        workspace_id=workspace,
        user_id=BOSS,
        text="create Mirror <#C0MIRROR|mirror> tz=America/New_York",
        in_channel="C0MIRROR",
    )
    team(workspace_id=workspace, user_id=BOSS, text=f"add <@{ANA}|ana> <@{BEN}|ben>")
    team(workspace_id=workspace, user_id=BOSS, text="scoreboard public")
    goals(workspace_id=workspace, user_id=BOSS, text=f"team {5 * k} calls/day, {k} presentations/week")
    goals(workspace_id=workspace, user_id=BOSS, text=f"<@{ANA}|ana> quota ${10 * k}k/month")
    checkin(workspace_id=workspace, user_id=BEN, text="away nov 23-24")
    for day in range(12):
        clock.set("2026-11-14T20:00:00+00:00")
        clock.advance(days=day)
        log(workspace_id=workspace, user_id=ANA, text=f"{4 * k} calls, {k} presentations, ${k},250 revenue")
        if day % 3 == 0:
            log(workspace_id=workspace, user_id=BEN, text=f"{3 * k} calls")
    log(workspace_id=workspace, user_id=ANA, text="undo")


def observe(services, clock, workspace: str) -> list[str]:
    """Everything the people of ``workspace`` can read, as text, at the same instant."""
    clock.set(NOW)
    reads = [
        ("team", BOSS, ""),
        ("team", ANA, ""),
        ("team", BOSS, "export"),
        ("log", ANA, "week"),
        ("log", BEN, "week"),
        ("goals", ANA, ""),
        ("goals", BOSS, f"<@{ANA}|ana>"),
        ("checkin", ANA, ""),
        ("checkin", BOSS, f"<@{BEN}|ben>"),
    ]
    calls = {
        "team": services.teams.team,
        "log": services.activity.log,
        "goals": services.goals.goals,
        "checkin": services.checkin.checkin,
    }
    seen = [repr(calls[c](workspace_id=workspace, user_id=u, text=t)) for c, u, t in reads]
    seen += [repr(services.home.home(workspace_id=workspace, user_id=u)) for u in (BOSS, ANA, BEN)]
    plan = services.clock.plan(
        Window(since=clock() - timedelta(days=3), now=clock(), grace=timedelta(days=3))
    )
    seen += sorted(repr(m) for m in plan if m.workspace_id == workspace)
    return seen


def test_a_mirror_workspace_changes_nothing_the_first_one_sees(services, clock) -> None:
    build(services, clock, A, k=1)
    alone = observe(services, clock, A)
    assert len(alone) > 12 and any("1250" in line for line in alone)  # there is something to see
    build(services, clock, B, k=7)
    mirrored = observe(services, clock, B)
    assert mirrored != alone  # B's people see B's (larger) numbers …
    assert observe(services, clock, A) == alone  # … and A's people see exactly what they saw before
