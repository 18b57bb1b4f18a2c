"""Daily ceilings through the services: a day's total past one is refused whole, saying why; managers
change them for their own team."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.services.outcomes import Logged, Notice, OverCeiling, Problem
from bot.services.teams import TeamChanged
from bot.store.models import Entry, Team

W = "T0CEILING"
BOSS, ANA, BEN, WEST = "U0BOSS", "U0ANA", "U0BEN", "U0WEST"
TODAY = date(2026, 11, 25)  # the clock fixture's Wednesday, in New York


@pytest.fixture
def team(services):
    services.teams.team(
        workspace_id=W,
        user_id=BOSS,
        text="create Sales <#C0SALES|sales> tz=America/New_York",
        in_channel="C0SALES",
    )
    services.teams.team(workspace_id=W, user_id=BOSS, text=f"add <@{ANA}|ana> <@{BEN}|ben>")
    return services


def logged(engine, user_id: str = ANA) -> list[tuple[str, Decimal, date]]:
    with Session(engine) as session:
        rows = session.scalars(select(Entry).where(Entry.user_id == user_id).order_by(Entry.id))
        return [(e.metric_key, e.amount, e.day) for e in rows]


def log(services, text: str, user_id: str = ANA):
    return services.activity.log(workspace_id=W, user_id=user_id, text=text)


def test_a_day_past_the_ceiling_is_refused_with_the_numbers_and_nothing_recorded(team, engine) -> None:
    assert isinstance(log(team, "400 calls"), Logged)
    refused = log(team, "400 calls")
    assert isinstance(refused, OverCeiling)
    assert refused.message == (
        "Nothing was recorded: the daily ceiling for cold calls is 500 (400 logged for Wed 25 Nov). "
        "A manager can raise it: `/team ceiling calls 800`"
    )
    assert "Logging 400 would make 800. You can still log 100 more that day." in refused.usage
    assert "ask your manager" in refused.usage
    assert logged(engine) == [("calls", Decimal(400), TODAY)]
    assert isinstance(log(team, "100 calls"), Logged)  # up to the ceiling is fine
    assert "Nothing more fits that day." in log(team, "1 call").usage


def test_one_entry_past_the_ceiling_and_repeated_money_are_refused(team, engine) -> None:
    assert isinstance(log(team, "999 calls"), OverCeiling)
    assert isinstance(log(team, "$100,000,000"), OverCeiling)
    assert isinstance(log(team, "$6m"), Logged)
    refused = log(team, "$6m")
    assert isinstance(refused, OverCeiling)
    assert "the daily ceiling for revenue is $10m ($6m logged for Wed 25 Nov)" in refused.message
    assert logged(engine) == [("revenue", Decimal(6_000_000), TODAY)]


def test_a_multi_metric_log_is_all_or_nothing(team, engine) -> None:
    refused = log(team, "10 notes, 3 demos, 501 calls -- big day")
    assert isinstance(refused, OverCeiling) and "cold calls" in refused.message
    assert logged(engine) == []


def test_each_day_has_its_own_total(team, engine) -> None:
    assert isinstance(log(team, "yesterday 500 calls"), Logged)
    assert isinstance(log(team, "500 calls"), Logged)
    refused = log(team, "yesterday 1 call")
    assert isinstance(refused, OverCeiling) and "(500 logged for Tue 24 Nov)" in refused.message
    assert [day for _, _, day in logged(engine)] == [TODAY - timedelta(days=1), TODAY]


def test_undone_entries_free_the_room_and_reps_are_counted_apart(team) -> None:
    assert isinstance(log(team, "450 calls"), Logged)
    assert isinstance(log(team, "450 calls", user_id=BEN), Logged)
    assert isinstance(log(team, "100 calls"), OverCeiling)
    log(team, "undo")
    assert isinstance(log(team, "100 calls"), Logged)


def test_a_manager_changes_the_ceiling_for_their_team_and_a_rep_cannot(team, engine) -> None:
    assert isinstance(log(team, "400 calls"), Logged)
    refused = team.teams.team(workspace_id=W, user_id=ANA, text="ceiling calls 5000")
    assert isinstance(refused, Problem) and "Only a team's managers" in refused.message
    changed = team.teams.team(workspace_id=W, user_id=BOSS, text="ceiling calls 800")
    assert isinstance(changed, TeamChanged)
    assert changed.message == "Daily ceiling for cold calls on *Sales*: 800, was 500 (the default)."
    assert isinstance(log(team, "400 calls"), Logged)
    assert isinstance(log(team, "1 call"), OverCeiling)

    shown = team.teams.team(workspace_id=W, user_id=ANA, text="ceiling")  # reps may look
    assert isinstance(shown, TeamChanged)
    assert "• cold calls: 800\n" in shown.message
    assert "• revenue: $10,000,000 _(default)_" in shown.message

    back = team.teams.team(workspace_id=W, user_id=BOSS, text="ceiling calls default")
    assert back.message == "Daily ceiling for cold calls on *Sales*: 500 (the default), was 800."
    with Session(engine) as session:
        assert session.scalar(select(Team.daily_ceilings)) is None


def test_another_teams_manager_cannot_touch_this_teams_ceiling(team) -> None:
    team.teams.team(
        workspace_id=W, user_id=WEST, text="create West <#C0WEST|west> tz=America/Denver", in_channel="C0WEST"
    )
    team.teams.team(workspace_id=W, user_id=WEST, text="ceiling calls 1")
    assert isinstance(log(team, "400 calls"), Logged)  # Sales keeps its own (default) ceiling


def test_the_modal_refusal_fits_an_inline_error_on_its_metric(team, engine) -> None:
    kwargs = dict(workspace_id=W, user_id=ANA, day=None, note=None)
    first = team.activity.log_form(amounts={"calls": "300", "notes": "5"}, dedupe_key="view:V1", **kwargs)
    assert isinstance(first, Logged)
    # Slack retrying the same submission is recognised as such, not refused as too many.
    again = team.activity.log_form(amounts={"calls": "300", "notes": "5"}, dedupe_key="view:V1", **kwargs)
    assert isinstance(again, Notice) and "Already recorded" in again.message
    refused = team.activity.log_form(amounts={"notes": "5", "calls": "300"}, dedupe_key="view:V2", **kwargs)
    assert isinstance(refused, OverCeiling)
    assert refused.field == "metric:calls"
    plain = refused.message.replace("*", "").replace("`", "")
    assert len(plain) <= 150
    assert "day" not in refused.message and "date" not in refused.message  # else it lands on the picker
    assert sorted(k for k, _, _ in logged(engine)) == ["calls", "notes"]


@pytest.mark.parametrize(
    ("ceiling", "first", "then"),
    [
        ("ceiling revenue $100m", "$99,999,999.99", "$1"),  # the longest amounts
        ("ceiling notes 1000", "999 notes", "2 notes"),  # the longest label
    ],
)
def test_every_refusal_fits_an_inline_error(team, ceiling, first, then) -> None:
    team.teams.team(workspace_id=W, user_id=BOSS, text=ceiling)
    assert isinstance(log(team, first), Logged)
    refused = log(team, then)
    assert isinstance(refused, OverCeiling)
    assert len(refused.message.replace("*", "").replace("`", "")) <= 150, refused.message


def test_logs_at_once_never_pass_the_ceiling_together(team, engine) -> None:
    with ThreadPoolExecutor(max_workers=8) as pool:
        outcomes = list(pool.map(lambda _: log(team, "100 calls"), range(8)))
    assert sum(isinstance(o, Logged) for o in outcomes) == 5
    assert sum(isinstance(o, OverCeiling) for o in outcomes) == 3
    assert sum(amount for _, amount, _ in logged(engine)) == 500
