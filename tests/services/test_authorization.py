"""Who may do what: every command that changes a team or reads someone else's numbers, tried by a rep,
a manager, an outsider and a user of another workspace. Refusals change nothing."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.services.outcomes import Notice, Problem
from bot.store.models import (
    AwayPeriod,
    Entry,
    Goal,
    Membership,
    OneOnOne,
    RepProfile,
    StageChange,
    StandupAnswer,
    Team,
)

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
    services.teams.team(
        workspace_id=W, user_id=BOSS, text="create Auth <#C0AUTH|auth> tz=UTC", in_channel="C0AUTH"
    )
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


# The buttons and modals, as the interactive listeners call them: (name, call(services, who, workspace)).
def _team_id(services) -> int:
    with Session(services.engine) as session:
        return session.scalar(select(Team.id))


ACTIONS = [
    (
        "plan a 1:1 (form)",
        lambda s, who, ws: s.coaching.plan_form(workspace_id=ws, manager=who, rep=PEER, team_id=_team_id(s)),
    ),
    (
        "plan a 1:1 (submit)",
        lambda s, who, ws: s.coaching.plan(
            workspace_id=ws, manager=who, rep=PEER, team_id=_team_id(s), targets={"calls": "40"}, until=None
        ),
    ),
    (
        "mark a 1:1 done",
        lambda s, who, ws: s.coaching.done(workspace_id=ws, manager=who, rep=PEER, team_id=_team_id(s)),
    ),
    (
        "share my week (form)",
        lambda s, who, ws: s.standup.form(workspace_id=ws, user_id=who, team_id=_team_id(s), week="2026-W48"),
    ),
    (
        "share my week (submit)",
        lambda s, who, ws: s.standup.share(
            workspace_id=ws,
            user_id=who,
            team_id=_team_id(s),
            week="2026-W48",
            wins="a win",
            focus="",
            help="",
        ),
    ),
    (
        "log activity (submit)",
        lambda s, who, ws: s.activity.log_form(
            workspace_id=ws,
            user_id=who,
            amounts={"calls": "5"},
            day=None,
            note=None,
            dedupe_key=f"m-{who}-{ws}",
        ),
    ),
]
# Who may press each: the team's manager for the 1:1 buttons, a rep of the team for the others.
ALLOWED = {
    "plan a 1:1 (form)": BOSS,
    "plan a 1:1 (submit)": BOSS,
    "mark a 1:1 done": BOSS,
    "share my week (form)": REP,
    "share my week (submit)": REP,
    "log activity (submit)": REP,
}


def action_snapshot(engine) -> tuple:
    with Session(engine) as session:
        extra = tuple(
            session.scalar(select(func.count()).select_from(model)) for model in (StandupAnswer, OneOnOne)
        )
    return (*snapshot(engine), *extra)


@pytest.mark.parametrize(("name", "action"), ACTIONS, ids=[n for n, _ in ACTIONS])
@pytest.mark.parametrize(
    ("who", "workspace"),
    [(REP, W), (BOSS, W), (OUTSIDER, W), (BOSS, OTHER_W), (REP, OTHER_W)],
    ids=[
        "a rep",
        "the manager",
        "an outsider",
        "the manager, from another workspace",
        "a rep, from another workspace",
    ],
)
def test_every_button_and_modal_refuses_whoever_may_not_press_it(
    team, engine, name, action, who, workspace
) -> None:
    allowed = ALLOWED[name] == who and workspace == W
    before = action_snapshot(engine)
    outcome = action(team, who, workspace)
    if allowed:
        assert not isinstance(outcome, Problem), outcome
    else:
        assert isinstance(outcome, Problem | Notice), outcome
        assert action_snapshot(engine) == before
