"""The set-based queries behind the team table answer exactly what their one-rep versions answer,
and every read of entries counts the team it reads for, never a rep's entries on another team."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from bot.store import queries as q
from bot.store.models import AwayPeriod, Team

W = "T0QUERIES"
NOW = datetime(2026, 11, 25, 15, 0, tzinfo=UTC)


def _team(session: Session, name: str = "East") -> int:
    q.ensure_workspace(session=session, workspace_id=W, now=NOW)
    team = Team(
        workspace_id=W,
        name=name,
        name_key=name.casefold(),
        channel_id=f"C0{name.upper()}",
        timezone="America/New_York",
        created_by="U0BOSS",
        created_at=NOW,
    )
    session.add(team)
    session.flush()
    return team.id


def _log(session: Session, team: int, user_id: str, day: date, *items: tuple[str, str]) -> None:
    q.add_entries(
        session=session,
        workspace_id=W,
        team_id=team,
        user_id=user_id,
        items=[(metric, Decimal(amount)) for metric, amount in items],
        day=day,
        note=None,
        source="command",
        now=NOW,
    )


def _away(session: Session, user_id: str, start: date, end: date) -> None:
    session.add(AwayPeriod(workspace_id=W, user_id=user_id, start=start, end=end, created_at=NOW))


def test_last_logged_skips_undone_entries_and_people_who_never_logged(engine: Engine) -> None:
    with Session(engine) as session, session.begin():
        t = _team(session)
        _log(session, t, "U0ANA", date(2026, 11, 2), ("calls", "5"))
        _log(session, t, "U0ANA", date(2026, 11, 20), ("calls", "3"), ("emails", "2"))
        _log(session, t, "U0BEN", date(2026, 11, 10), ("calls", "1"))
        for entry in q.latest_batch(session=session, workspace_id=W, team_id=t, user_id="U0BEN", since=NOW):
            entry.deleted_at = NOW  # undone: Ben has nothing live
        _log(session, t, "U0CAT", date(2026, 10, 30), ("deals", "1"))
        _log(session, t, "U0CAT", date(2026, 11, 24), ("deals", "1"))
        for entry in q.latest_batch(session=session, workspace_id=W, team_id=t, user_id="U0CAT", since=NOW):
            entry.deleted_at = NOW  # the later one undone: the earlier one counts

        last = q.last_logged(
            session=session, workspace_id=W, team_id=t, user_ids=["U0ANA", "U0BEN", "U0CAT", "U0DAN", "U0ANA"]
        )

    assert last == {"U0ANA": date(2026, 11, 20), "U0CAT": date(2026, 10, 30)}


def test_last_logged_answers_for_more_reps_than_one_statement_holds(engine: Engine) -> None:
    reps = [f"U0REP{i:04d}" for i in range(450)]
    with Session(engine) as session, session.begin():
        t = _team(session)
        for i, rep in enumerate(reps[::3]):
            _log(session, t, rep, date(2026, 11, 1) + timedelta(days=i % 20), ("calls", "1"))

        last = q.last_logged(session=session, workspace_id=W, team_id=t, user_ids=reps)

    assert last == {rep: date(2026, 11, 1) + timedelta(days=i % 20) for i, rep in enumerate(reps[::3])}


def test_daily_sums_and_away_days_by_rep_match_one_rep_at_a_time(engine: Engine) -> None:
    start, end = date(2026, 11, 2), date(2026, 11, 29)
    reps = ["U0ANA", "U0BEN", "U0CAT"]
    with Session(engine) as session, session.begin():
        t = _team(session)
        _log(session, t, "U0ANA", date(2026, 11, 1), ("calls", "9"))  # before the window
        _log(session, t, "U0ANA", date(2026, 11, 2), ("calls", "5"), ("revenue", "1250.50"))
        _log(session, t, "U0ANA", date(2026, 11, 2), ("calls", "2"))
        _log(session, t, "U0ANA", date(2026, 11, 30), ("calls", "9"))  # after it
        _log(session, t, "U0BEN", date(2026, 11, 10), ("emails", "4"))
        for entry in q.latest_batch(session=session, workspace_id=W, team_id=t, user_id="U0BEN", since=NOW):
            entry.deleted_at = NOW
        _log(session, t, "U0BEN", date(2026, 11, 12), ("presentations", "1"))
        _away(session, "U0ANA", date(2026, 10, 28), date(2026, 11, 3))
        _away(session, "U0ANA", date(2026, 11, 27), date(2026, 12, 4))
        _away(session, "U0BEN", date(2026, 12, 1), date(2026, 12, 5))  # outside the window
        session.flush()

        daily = q.daily_sums_by_rep(
            session=session, workspace_id=W, team_id=t, user_ids=reps, start=start, end=end
        )
        away = q.away_days_by_rep(session=session, workspace_id=W, user_ids=reps, start=start, end=end)

        for rep in reps:
            one = q.daily_sums(session=session, workspace_id=W, team_id=t, user_id=rep, start=start, end=end)
            assert daily.get(rep, {}) == one
            days = q.away_days(session=session, workspace_id=W, user_id=rep, start=start, end=end)
            assert away.get(rep, frozenset()) == days

    assert daily["U0ANA"] == {date(2026, 11, 2): {"calls": Decimal(7), "revenue": Decimal("1250.50")}}
    assert "U0CAT" not in daily
    assert away["U0ANA"] == {
        date(2026, 11, 2),
        date(2026, 11, 3),
        date(2026, 11, 27),
        date(2026, 11, 28),
        date(2026, 11, 29),
    }


def test_every_read_counts_only_the_team_it_reads_for(engine: Engine) -> None:
    """Ana logged on West before she moved to East, and again after (a past day, backdated on West
    before the move): on one day, entries of two teams. Each read for East sees East's alone."""
    day = date(2026, 11, 23)
    with Session(engine) as session, session.begin():
        east, west = _team(session, "East"), _team(session, "West")
        _log(session, west, "U0ANA", day - timedelta(days=3), ("calls", "500"))
        _log(session, west, "U0ANA", day, ("calls", "400"), ("revenue", "90000"))
        _log(session, east, "U0ANA", day, ("calls", "4"))
        _log(session, west, "U0BEN", day, ("calls", "9"))  # Ben never logged on East

        def reads(team: int) -> tuple:
            reps = ["U0ANA", "U0BEN"]
            start, end = day - timedelta(days=7), day
            batch = q.latest_batch(session=session, workspace_id=W, team_id=team, user_id="U0ANA", since=NOW)
            return (
                q.sums_by_metric(
                    session=session, workspace_id=W, team_id=team, user_ids=reps, start=start, end=end
                ),
                q.daily_sums(
                    session=session, workspace_id=W, team_id=team, user_id="U0ANA", start=start, end=end
                ),
                q.daily_sums_by_rep(
                    session=session, workspace_id=W, team_id=team, user_ids=reps, start=start, end=end
                ),
                q.last_logged(session=session, workspace_id=W, team_id=team, user_ids=reps),
                q.logged_days(
                    session=session, workspace_id=W, team_id=team, user_id="U0ANA", start=start, end=end
                ),
                sorted((e.metric_key, e.amount) for e in batch),
                sorted(
                    (e.user_id, e.amount)
                    for e in q.team_entries(session=session, team_id=team, start=start, end=end)
                ),
            )

        assert reads(east) == (
            {"U0ANA": {"calls": Decimal(4)}},
            {day: {"calls": Decimal(4)}},
            {"U0ANA": {day: {"calls": Decimal(4)}}},
            {"U0ANA": day},
            {day},
            [("calls", Decimal(4))],
            [("U0ANA", Decimal(4))],
        )
        assert reads(west)[3] == {"U0ANA": day, "U0BEN": day}
        assert reads(west)[4] == {day - timedelta(days=3), day}
