"""The self-starter reads: each day's first live entry on the team, and the unprompted DMs that went."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from bot.store import outbox as ob
from bot.store import queries as q
from bot.store import self_starter as reads
from bot.store.models import Entry
from tests.store.test_queries import NOW, W, _team

DAY = date(2026, 11, 24)
EARLY, LATE = datetime(2026, 11, 24, 13, 30, tzinfo=UTC), datetime(2026, 11, 24, 17, 0, tzinfo=UTC)


def _log(session: Session, team: int, user_id: str, day: date, at: datetime, source: str = "command") -> None:
    q.add_entries(
        session=session,
        workspace_id=W,
        team_id=team,
        user_id=user_id,
        items=[("calls", Decimal(5))],
        day=day,
        note=None,
        source=source,
        now=at,
    )


def test_first_entries_are_the_earliest_live_one_per_rep_and_day_on_the_team(engine: Engine) -> None:
    with Session(engine) as session, session.begin():
        east, west = _team(session, "East"), _team(session, "West")
        _log(session, east, "U0ANA", DAY, LATE, source="import")
        _log(session, east, "U0ANA", DAY, EARLY)
        _log(session, east, "U0ANA", DAY - timedelta(days=1), LATE)  # backfilled the next day
        _log(session, west, "U0ANA", DAY + timedelta(days=1), EARLY)  # another team's history
        _log(session, east, "U0BEN", DAY, EARLY - timedelta(hours=1))
        for e in session.scalars(select(Entry).where(Entry.user_id == "U0BEN")):
            e.deleted_at = NOW  # undone
        _log(session, east, "U0BEN", DAY, LATE)
        _log(session, east, "U0CARA", DAY - timedelta(days=30), EARLY)  # before ``start``
        session.flush()
        got = reads.first_entries(
            session=session,
            workspace_id=W,
            team_id=east,
            user_ids=["U0ANA", "U0BEN", "U0CARA"],
            start=DAY - timedelta(days=7),
        )
        nobody = reads.first_entries(session=session, workspace_id=W, team_id=east, user_ids=[], start=DAY)
    assert got == {"U0ANA": {DAY: EARLY, DAY - timedelta(days=1): LATE}, "U0BEN": {DAY: LATE}}
    assert nobody == {}


def _dm(
    session: Session, target: str, period: str, at: datetime, *, kind: str = "dm", sent: bool = True
) -> None:
    row = ob.insert_one(
        session=session,
        message=ob.Message(W, kind, target, period, at, {"items": []}),
        now=at,
    )
    assert row is not None
    if sent:
        ob.mark_sent(session=session, row_id=row, channel=target, ts="1.0", now=at)


def test_nudges_are_the_dms_that_went_out_to_the_rep(engine: Engine) -> None:
    with Session(engine) as session, session.begin():
        _team(session)
        _dm(session, "U0ANA", "2026-11-24#day", EARLY)
        _dm(session, "U0ANA", "2026-11-25#day", EARLY + timedelta(days=1), sent=False)  # not (yet) sent
        _dm(session, "U0ANA", "2026-11-10#day", EARLY - timedelta(days=14))  # before ``since``
        _dm(session, "U0ANA", "w48", EARLY, kind="checkin")  # an item: it went inside its "dm"
        _dm(session, "U0BOSS", "2026-11-24#digest", EARLY)  # someone else
        got = reads.nudges(
            session=session, workspace_id=W, user_ids=["U0ANA", "U0BEN"], since=EARLY - timedelta(days=7)
        )
    assert got == {"U0ANA": [EARLY]}
