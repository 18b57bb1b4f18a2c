"""Who may do what: every command that changes a team or reads someone else's numbers, tried by a rep,
a manager, an outsider and a user of another workspace. Refusals change nothing."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.services.outcomes import Problem
from bot.store.models import AwayPeriod, Entry, Goal, Membership, RepProfile, StageChange, Team

W, OTHER_W = "T0AUTH", "T0ELSEWHERE"
BOSS, REP, PEER, OUTSIDER = "U0ABOSS", "U0AREP", "U0APEER", "U0AOUT"

# (command, text) that only a manager of the rep's team may run.
MANAGER_ONLY = [
    ("goals", f"<@{PEER}|peer> 30 calls/day"),
    ("goals", "team 30 calls/day"),
    ("goals", f"<@{PEER}|peer> quota $10k/month"),
    ("goals", f"<@{PEER}|peer> clear calls"),
    ("team", f"add <@{OUTSIDER}|out>"),
    ("team", f"remove <@{PEER}|peer>"),
    ("team", f"managers add <@{REP}|rep>"),
    ("team", "standup fri 16:00"),
    ("team", "workdays mon-thu"),
    ("team", "holidays US"),
    ("team", "scoreboard public"),
    ("team", "export"),
    ("checkin", f"<@{PEER}|peer> monthly"),
    ("checkin", f"<@{PEER}|peer>"),
    ("goals", f"<@{PEER}|peer>"),
]


def snapshot(engine) -> tuple:
    with Session(engine) as session:
        counts = [
            session.scalar(select(func.count()).select_from(model))
            for model in (Entry, Goal, Membership, RepProfile, StageChange, AwayPeriod, Team)
        ]
        return (
            *counts,
            session.scalar(select(Team.standup_weekday)),
            session.scalar(select(Team.scoreboard)),
            session.scalar(select(RepProfile.pinned_cadence).where(RepProfile.user_id == PEER)),
            session.scalar(select(func.count()).select_from(Goal).where(Goal.effective_to.is_(None))),
            session.scalar(
                select(func.count()).select_from(Membership).where(Membership.removed_at.is_(None))
            ),
        )


@pytest.fixture
def team(services, clock):
    clock.set("2026-11-24T15:00:00+00:00")
    services.teams.team(workspace_id=W, user_id=BOSS, text="create Auth <#C0AUTH|auth> tz=UTC")
    services.teams.team(workspace_id=W, user_id=BOSS, text=f"add <@{REP}|rep> <@{PEER}|peer>")
    services.goals.goals(workspace_id=W, user_id=BOSS, text="team 20 calls/day")
    services.goals.goals(workspace_id=W, user_id=BOSS, text=f"<@{PEER}|peer> 25 calls/day")
    services.activity.log(workspace_id=W, user_id=PEER, text="3 calls")
    return services


def run(services, command: str, user: str, text: str, workspace: str = W):
    call = {"goals": services.goals.goals, "team": services.teams.team, "checkin": services.checkin.checkin}[
        command
    ]
    return call(workspace_id=workspace, user_id=user, text=text)


@pytest.mark.parametrize(("command", "text"), MANAGER_ONLY, ids=[f"{c} {t}" for c, t in MANAGER_ONLY])
@pytest.mark.parametrize(
    ("who", "workspace"),
    [(REP, W), (OUTSIDER, W), (BOSS, OTHER_W)],
    ids=["a rep", "an outsider", "the manager, from another workspace"],
)
def test_only_the_manager_may(team, engine, command, text, who, workspace) -> None:
    before = snapshot(engine)
    outcome = run(team, command, who, text, workspace)
    assert isinstance(outcome, Problem), outcome
    assert snapshot(engine) == before


@pytest.mark.parametrize(("command", "text"), MANAGER_ONLY, ids=[f"{c} {t}" for c, t in MANAGER_ONLY])
def test_the_manager_may(team, command, text) -> None:
    assert not isinstance(run(team, command, BOSS, text), Problem)


def test_a_rep_sees_team_totals_but_not_a_teammates_line(team) -> None:
    view = team.teams.team(workspace_id=W, user_id=REP, text="")
    assert view.public_rows == ()
    assert [m.key for m, _ in view.totals] == ["calls"]


def test_logging_is_for_reps_of_this_workspace_only(team, engine) -> None:
    before = snapshot(engine)
    for who, workspace in ((OUTSIDER, W), (REP, OTHER_W), (BOSS, W)):
        assert isinstance(team.activity.log(workspace_id=workspace, user_id=who, text="5 calls"), Problem)
    assert snapshot(engine) == before
