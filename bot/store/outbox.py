"""The outbox: at most one message per natural key, claimed by compare-and-set, marked with Slack's ts."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import and_, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from bot.store.models import ClockState, Outbox

PENDING, SENDING, SENT, FAILED, SKIPPED = "pending", "sending", "sent", "failed", "skipped"
MERGED = "merged"  # an item the attention policy put into a "dm" row (``merged_into``); settles with it


@dataclass(frozen=True)
class Message:
    """A message the clock wants sent, before it has a row."""

    workspace_id: str
    kind: str
    target: str
    period: str
    due_at: datetime
    payload: dict[str, Any]
    subject: str = ""
    team_id: int | None = None


_NATURAL_KEY = ["workspace_id", "kind", "target", "subject", "period"]


def _row(m: Message, now: datetime) -> dict[str, Any]:
    return {
        "workspace_id": m.workspace_id,
        "kind": m.kind,
        "target": m.target,
        "period": m.period,
        "subject": m.subject,
        "team_id": m.team_id,
        "due_at": m.due_at,
        "payload": m.payload,
        "status": PENDING,
        "attempts": 0,
        "created_at": now,
    }


def _insert_new(session: Session, rows: list[dict[str, Any]]):
    """INSERT … ON CONFLICT (natural key) DO NOTHING RETURNING id: the ids of the rows that were new
    (rowcount isn't reliable for a multi-row INSERT … ON CONFLICT)."""
    insert = pg_insert if session.bind.dialect.name == "postgresql" else sqlite_insert
    return session.execute(
        insert(Outbox).values(rows).on_conflict_do_nothing(index_elements=_NATURAL_KEY).returning(Outbox.id)
    ).all()


def enqueue(*, session: Session, messages: Iterable[Message], now: datetime) -> int:
    """Insert the messages whose natural key is new; returns how many were new."""
    rows = [_row(m, now) for m in messages]
    return sum(len(_insert_new(session, rows[start : start + 500])) for start in range(0, len(rows), 500))


def insert_one(*, session: Session, message: Message, now: datetime) -> int | None:
    """Insert one message under its natural key; its id, or None when the key is taken."""
    new = _insert_new(session, [_row(message, now)])
    return new[0][0] if new else None


def _settle_items(session: Session, envelope_ids, **values: Any) -> None:
    """The items a "dm" row carried share its fate: sent with its ts, failed or skipped with it."""
    session.execute(
        update(Outbox)
        .where(Outbox.merged_into.in_(envelope_ids), Outbox.status == MERGED)
        .values(**values)
        .execution_options(synchronize_session=False)
    )


def existing_keys(
    *, session: Session, workspace_id: str, kinds: Iterable[str], period: str | None = None
) -> set[tuple[str, str, str]]:
    """(kind, target-or-subject, period) of rows already in the outbox, for "only once" decisions."""
    query = select(Outbox.kind, Outbox.target, Outbox.subject, Outbox.period).where(
        Outbox.workspace_id == workspace_id, Outbox.kind.in_(list(kinds))
    )
    if period is not None:
        query = query.where(Outbox.period == period)
    out = set()
    for kind, target, subject, per in session.execute(query):
        out.add((kind, subject or target, per))
    return out


def ready(*, session: Session, now: datetime, limit: int = 20_000) -> list[Outbox]:
    """Pending rows whose time has come (and whose retry back-off, if any, has passed)."""
    return list(
        session.scalars(
            select(Outbox)
            .where(
                Outbox.status == PENDING,
                Outbox.due_at <= now,
                or_(Outbox.next_attempt_at.is_(None), Outbox.next_attempt_at <= now),
            )
            .order_by(Outbox.due_at, Outbox.id)
            .limit(limit)
        )
    )


def claim(*, session: Session, row_id: int, worker: str, now: datetime) -> bool:
    """Compare-and-set pending → sending. Exactly one claimant wins, on SQLite and PostgreSQL alike."""
    result = session.execute(
        update(Outbox)
        .where(and_(Outbox.id == row_id, Outbox.status == PENDING))
        .values(status=SENDING, claimed_by=worker, claimed_at=now, attempts=Outbox.attempts + 1)
    )
    return result.rowcount == 1


def mark_sent(*, session: Session, row_id: int, channel: str | None, ts: str | None, now: datetime) -> None:
    session.execute(
        update(Outbox)
        .where(Outbox.id == row_id)
        .values(status=SENT, sent_at=now, slack_channel=channel, slack_ts=ts, error=None)
    )
    _settle_items(session, [row_id], status=SENT, sent_at=now, slack_channel=channel, slack_ts=ts)


def release(
    *, session: Session, row_id: int, retry_at: datetime, error: str, worker: str | None = None
) -> bool:
    """The send provably failed (429, 5xx, timeout): back to pending, to try again at ``retry_at``.

    With ``worker``, only if that worker's claim still stands (compare-and-set: two clocks settling
    the same dead claim can't both release it)."""
    query = update(Outbox).where(Outbox.id == row_id, Outbox.status == SENDING)
    if worker is not None:
        query = query.where(Outbox.claimed_by == worker)
    result = session.execute(query.values(status=PENDING, next_attempt_at=retry_at, error=error[:500]))
    return result.rowcount == 1


def stale_claims(*, session: Session, before: datetime) -> list[Outbox]:
    """Rows claimed before ``before`` and never marked: their clock stopped between claim and mark."""
    return list(
        session.scalars(
            select(Outbox)
            .where(Outbox.status == SENDING, Outbox.claimed_at < before)
            .order_by(Outbox.claimed_at, Outbox.id)
        )
    )


def settle(
    *,
    session: Session,
    row_id: int,
    worker: str | None,
    now: datetime,
    status: str = SENT,
    channel: str | None = None,
    ts: str | None = None,
    error: str | None = None,
) -> bool:
    """Close a dead claim as ``status`` (sent, with Slack's ts, or skipped), if it still stands."""
    result = session.execute(
        update(Outbox)
        .where(Outbox.id == row_id, Outbox.status == SENDING, Outbox.claimed_by == worker)
        .values(
            status=status,
            sent_at=now if status == SENT else None,
            slack_channel=channel,
            slack_ts=ts,
            error=error,
        )
    )
    if result.rowcount == 1:
        _settle_items(
            session,
            [row_id],
            status=status,
            sent_at=now if status == SENT else None,
            slack_channel=channel,
            slack_ts=ts,
            error=error,
        )
    return result.rowcount == 1


def postpone(*, session: Session, row_id: int, until: datetime) -> None:
    """A pending row that can't go yet (its thread's first message hasn't): try again at ``until``."""
    session.execute(
        update(Outbox).where(Outbox.id == row_id, Outbox.status == PENDING).values(next_attempt_at=until)
    )


def thread_parent(*, session: Session, workspace_id: str, ref: dict[str, Any]) -> Outbox | None:
    """The row whose message a reply in a thread follows: ``ref`` names it by kind, subject and
    period — not by target, which follows a team that moves channel (``move_standups``)."""
    return session.scalar(
        select(Outbox).where(
            Outbox.workspace_id == workspace_id,
            Outbox.kind == str(ref.get("kind")),
            Outbox.subject == str(ref.get("subject") or ""),
            Outbox.period == str(ref.get("period")),
        )
    )


def mark_failed(*, session: Session, row_id: int, error: str, status: str = FAILED) -> None:
    session.execute(update(Outbox).where(Outbox.id == row_id).values(status=status, error=error[:500]))
    _settle_items(session, [row_id], status=status, error=error[:500])


def expire(*, session: Session, before: datetime, keep: Iterable[str] = ()) -> int:
    """Pending rows due before ``before`` are past the grace: skipped, never sent late. Rows of the
    kinds in ``keep`` are left alone: the attention policy holds those and judges when they're stale."""
    query = select(Outbox.id).where(Outbox.status == PENDING, Outbox.due_at < before)
    if keep:
        query = query.where(Outbox.kind.not_in(list(keep)))
    expired = list(session.scalars(query))
    for start in range(0, len(expired), 500):
        ids = expired[start : start + 500]
        session.execute(
            update(Outbox)
            .where(Outbox.id.in_(ids), Outbox.status == PENDING)
            .values(status=SKIPPED, error="past the misfire grace")
            .execution_options(synchronize_session=False)
        )
        _settle_items(
            session, ids, status=SKIPPED, error="the message carrying it was past the misfire grace"
        )
    return len(expired)


def standup_subject(team_id: int) -> str:
    """A standup's ``subject``: its team. Standups are keyed by team, never by channel alone, so two
    teams can't drop each other's, and a team that moves channel keeps its week's one standup."""
    return f"team:{team_id}"


def team_standup(*, session: Session, workspace_id: str, team_id: int, week: str) -> Outbox | None:
    """The team's standup row of ``week`` (an ISO week key), wherever it was posted."""
    return session.scalar(
        select(Outbox).where(
            Outbox.workspace_id == workspace_id,
            Outbox.kind == "standup",
            Outbox.subject == standup_subject(team_id),
            Outbox.period == week,
        )
    )


def move_standups(*, session: Session, workspace_id: str, team_id: int, channel_id: str) -> None:
    """A team moved channel: its standup rows follow it, so the week's standup already posted in the
    old channel isn't planned again in the new one, and those still to come go to the new one (the
    scoreboard's parts too: they go into the thread of the standup, wherever it was posted; and the
    team meeting's reminder, keyed by team like the standup)."""
    session.execute(
        update(Outbox)
        .where(
            Outbox.workspace_id == workspace_id,
            Outbox.kind.in_(("standup", "standup_board", "meeting")),
            Outbox.subject == standup_subject(team_id),
        )
        .values(target=channel_id)
        .execution_options(synchronize_session=False)
    )


def skip_team(*, session: Session, team_id: int, reason: str) -> int:
    """The team was deleted: its messages still to go are skipped. Returns how many."""
    result = session.execute(
        update(Outbox)
        .where(Outbox.team_id == team_id, Outbox.status == PENDING)
        .values(status=SKIPPED, error=reason[:500])
        .execution_options(synchronize_session=False)
    )
    return result.rowcount or 0


def covered_until(*, session: Session, name: str) -> datetime | None:
    state = session.get(ClockState, name)
    return state.covered_until if state is not None else None


def set_covered_until(*, session: Session, name: str, until: datetime, now: datetime) -> None:
    """Move the clock's mark forward (never back: two clocks may race to set it)."""
    state = session.get(ClockState, name, with_for_update=True)
    if state is None:
        session.add(ClockState(name=name, covered_until=until, updated_at=now))
    elif until > state.covered_until:
        state.covered_until = until
        state.updated_at = now
