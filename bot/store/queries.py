"""Small query functions: keyword-only, take a session, never commit."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import func, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from bot.domain.types import DEFAULT_METRICS, Metric, MetricKind, Role, Stage, Unit
from bot.store.models import (
    AwayPeriod,
    Entry,
    Goal,
    Membership,
    MetricRow,
    Outbox,
    ProcessedEvent,
    RepProfile,
    StageChange,
    Team,
    Workspace,
)


def _insert(session: Session, model):
    return (pg_insert if session.bind.dialect.name == "postgresql" else sqlite_insert)(model)


# --- workspaces and metrics -------------------------------------------------------------------


def ensure_workspace(*, session: Session, workspace_id: str, now: datetime) -> None:
    """Create the workspace row and seed the default metrics the first time we see it.

    Idempotent under concurrency: both inserts are ON CONFLICT DO NOTHING.
    """
    if session.get(Workspace, workspace_id) is not None:
        return
    session.execute(
        _insert(session, Workspace).values(id=workspace_id, created_at=now).on_conflict_do_nothing()
    )
    rows = [
        {
            "workspace_id": workspace_id,
            "key": m.key,
            "label": m.label,
            "kind": m.kind.value,
            "unit": m.unit.value,
            "aliases": list(m.aliases),
            "position": i,
        }
        for i, m in enumerate(DEFAULT_METRICS)
    ]
    session.execute(
        _insert(session, MetricRow)
        .values(rows)
        .on_conflict_do_nothing(index_elements=["workspace_id", "key"])
    )


def metrics(*, session: Session, workspace_id: str) -> list[Metric]:
    rows = session.scalars(
        select(MetricRow).where(MetricRow.workspace_id == workspace_id).order_by(MetricRow.position)
    )
    return [Metric(r.key, r.label, MetricKind(r.kind), Unit(r.unit), tuple(r.aliases or ())) for r in rows]


# --- teams and memberships --------------------------------------------------------------------


def team_by_name(*, session: Session, workspace_id: str, name: str) -> Team | None:
    return session.scalar(
        select(Team).where(Team.workspace_id == workspace_id, Team.name_key == name.casefold())
    )


def roles(*, session: Session, workspace_id: str, user_id: str) -> list[tuple[Membership, Team]]:
    """The user's current memberships with their teams, newest first, in one query."""
    return [
        (m, t)
        for m, t in session.execute(
            select(Membership, Team)
            .join(Team, Team.id == Membership.team_id)
            .where(
                Membership.workspace_id == workspace_id,
                Membership.user_id == user_id,
                Membership.removed_at.is_(None),
            )
            .order_by(Membership.added_at.desc(), Membership.id.desc())
        )
    ]


def team_members(*, session: Session, team_id: int, role: Role | None = None) -> list[Membership]:
    query = select(Membership).where(Membership.team_id == team_id, Membership.removed_at.is_(None))
    if role is not None:
        query = query.where(Membership.role == role.value)
    return list(session.scalars(query.order_by(Membership.added_at, Membership.id)))


def add_member(
    *, session: Session, team: Team, user_id: str, role: Role, by: str, now: datetime
) -> Membership:
    membership = Membership(
        workspace_id=team.workspace_id,
        team_id=team.id,
        user_id=user_id,
        role=role.value,
        added_by=by,
        added_at=now,
    )
    session.add(membership)
    return membership


# --- profiles -------------------------------------------------------------------------------


def profile(*, session: Session, workspace_id: str, user_id: str) -> RepProfile | None:
    return session.get(RepProfile, (workspace_id, user_id))


def profiles(*, session: Session, workspace_id: str, user_ids: Iterable[str]) -> dict[str, RepProfile]:
    ids = list(set(user_ids))
    if not ids:
        return {}
    rows = session.scalars(
        select(RepProfile).where(RepProfile.workspace_id == workspace_id, RepProfile.user_id.in_(ids))
    )
    return {r.user_id: r for r in rows}


def ensure_profile(*, session: Session, workspace_id: str, user_id: str, now: datetime) -> RepProfile:
    """The person's profile, created in ``onboarding`` (with the change recorded) on first sight."""
    existing = profile(session=session, workspace_id=workspace_id, user_id=user_id)
    if existing is not None:
        return existing
    created = RepProfile(
        workspace_id=workspace_id,
        user_id=user_id,
        checkin_hour=9,
        stage=Stage.ONBOARDING.value,
        stage_since=now,
        created_at=now,
    )
    session.add(created)
    session.add(
        StageChange(
            workspace_id=workspace_id,
            user_id=user_id,
            from_stage=None,
            to_stage=Stage.ONBOARDING.value,
            reason="joined a team",
            details={},
            at=now,
        )
    )
    session.flush()
    return created


def stale_profile_ids(
    *, session: Session, workspace_id: str, user_ids: Iterable[str], now: datetime, max_age: timedelta
) -> list[str]:
    """Users whose Slack timezone we have never fetched, or fetched longer ago than ``max_age``."""
    known = profiles(session=session, workspace_id=workspace_id, user_ids=user_ids)
    return sorted(
        uid
        for uid in set(user_ids)
        if uid not in known or known[uid].tz_fetched_at is None or now - known[uid].tz_fetched_at > max_age
    )


def latest_stage_change(*, session: Session, workspace_id: str, user_id: str) -> StageChange | None:
    """The change that put the rep in their current stage (pins are recorded too, but aren't stages)."""
    return session.scalar(
        select(StageChange)
        .where(
            StageChange.workspace_id == workspace_id,
            StageChange.user_id == user_id,
            or_(StageChange.from_stage.is_(None), StageChange.from_stage != StageChange.to_stage),
        )
        .order_by(StageChange.at.desc(), StageChange.id.desc())
        .limit(1)
    )


# --- goals ----------------------------------------------------------------------------------


def goals_in_force(
    *, session: Session, team_id: int, user_ids: Sequence[str | None], at: datetime
) -> list[Goal]:
    """Goals effective at ``at`` for the given reps (and/or ``None``: the team default)."""
    reps = [u for u in user_ids if u is not None]
    conditions = []
    if reps:
        conditions.append(Goal.user_id.in_(reps))
    if None in user_ids:
        conditions.append(Goal.user_id.is_(None))
    if not conditions:
        return []
    return list(
        session.scalars(
            select(Goal)
            .where(
                Goal.team_id == team_id,
                or_(*conditions),
                Goal.effective_from <= at,
                (Goal.effective_to.is_(None)) | (Goal.effective_to > at),
            )
            .order_by(Goal.id)
        )
    )


def close_goals(
    *, session: Session, team_id: int, user_id: str | None, metric_keys: Iterable[str] | None, at: datetime
) -> int:
    """End the goals in force for these metrics (all when ``metric_keys`` is None). Returns how many."""
    query = update(Goal).where(
        Goal.team_id == team_id,
        Goal.effective_to.is_(None),
        Goal.user_id.is_(None) if user_id is None else Goal.user_id == user_id,
    )
    if metric_keys is not None:
        query = query.where(Goal.metric_key.in_(list(metric_keys)))
    return session.execute(query.values(effective_to=at)).rowcount or 0


# --- entries --------------------------------------------------------------------------------


def add_entries(
    *,
    session: Session,
    workspace_id: str,
    team_id: int | None,
    user_id: str,
    items: Sequence[tuple[str, Decimal]],
    day: date,
    note: str | None,
    source: str,
    now: datetime,
    dedupe_key: str | None = None,
) -> list[Entry]:
    batch = str(uuid.uuid4())
    rows = [
        Entry(
            workspace_id=workspace_id,
            team_id=team_id,
            user_id=user_id,
            metric_key=metric,
            amount=amount,
            day=day,
            note=note,
            source=source,
            batch=batch,
            dedupe_key=f"{dedupe_key}:{i}" if dedupe_key else None,
            created_at=now,
        )
        for i, (metric, amount) in enumerate(items)
    ]
    session.add_all(rows)
    session.flush()
    return rows


def sums_by_metric(
    *, session: Session, workspace_id: str, user_ids: Sequence[str], start: date, end: date
) -> dict[str, dict[str, Decimal]]:
    """user → metric → total over [start, end], live entries only."""
    if not user_ids:
        return {}
    rows = session.execute(
        select(Entry.user_id, Entry.metric_key, func.sum(Entry.amount))
        .where(
            Entry.workspace_id == workspace_id,
            Entry.user_id.in_(list(user_ids)),
            Entry.day >= start,
            Entry.day <= end,
            Entry.deleted_at.is_(None),
        )
        .group_by(Entry.user_id, Entry.metric_key)
    )
    out: dict[str, dict[str, Decimal]] = defaultdict(dict)
    for user_id, metric, total in rows:
        out[user_id][metric] = Decimal(total or 0)
    return dict(out)


def daily_sums(
    *, session: Session, workspace_id: str, user_id: str, start: date, end: date
) -> dict[date, dict[str, Decimal]]:
    rows = session.execute(
        select(Entry.day, Entry.metric_key, func.sum(Entry.amount))
        .where(
            Entry.workspace_id == workspace_id,
            Entry.user_id == user_id,
            Entry.day >= start,
            Entry.day <= end,
            Entry.deleted_at.is_(None),
        )
        .group_by(Entry.day, Entry.metric_key)
    )
    out: dict[date, dict[str, Decimal]] = defaultdict(dict)
    for day, metric, total in rows:
        out[day][metric] = Decimal(total or 0)
    return dict(out)


def team_entries(*, session: Session, team_id: int, start: date, end: date) -> list[Entry]:
    """Live entries logged to the team over [start, end], in date order."""
    return list(
        session.scalars(
            select(Entry)
            .where(Entry.team_id == team_id, Entry.day >= start, Entry.day <= end, Entry.deleted_at.is_(None))
            .order_by(Entry.day, Entry.user_id, Entry.id)
        )
    )


def last_logged(*, session: Session, workspace_id: str, user_ids: Sequence[str]) -> dict[str, date]:
    if not user_ids:
        return {}
    rows = session.execute(
        select(Entry.user_id, func.max(Entry.day))
        .where(
            Entry.workspace_id == workspace_id, Entry.user_id.in_(list(user_ids)), Entry.deleted_at.is_(None)
        )
        .group_by(Entry.user_id)
    )
    return {user_id: day for user_id, day in rows}


def logged_days(*, session: Session, workspace_id: str, user_id: str, start: date, end: date) -> set[date]:
    rows = session.scalars(
        select(Entry.day)
        .where(
            Entry.workspace_id == workspace_id,
            Entry.user_id == user_id,
            Entry.day >= start,
            Entry.day <= end,
            Entry.deleted_at.is_(None),
        )
        .distinct()
    )
    return set(rows)


def latest_batch(*, session: Session, workspace_id: str, user_id: str, since: datetime) -> list[Entry]:
    """The entries of the user's most recent live /log made at or after ``since``."""
    newest = session.scalar(
        select(Entry)
        .where(
            Entry.workspace_id == workspace_id,
            Entry.user_id == user_id,
            Entry.created_at >= since,
            Entry.deleted_at.is_(None),
        )
        .order_by(Entry.created_at.desc(), Entry.id.desc())
        .limit(1)
    )
    if newest is None:
        return []
    return list(
        session.scalars(
            select(Entry)
            .where(Entry.batch == newest.batch, Entry.deleted_at.is_(None))
            .order_by(Entry.id)
            .with_for_update()
        )
    )


# --- away periods ---------------------------------------------------------------------------


def away_days(
    *, session: Session, workspace_id: str, user_id: str, start: date, end: date
) -> frozenset[date]:
    rows = session.scalars(
        select(AwayPeriod).where(
            AwayPeriod.workspace_id == workspace_id,
            AwayPeriod.user_id == user_id,
            AwayPeriod.start <= end,
            AwayPeriod.end >= start,
        )
    )
    days: set[date] = set()
    for period in rows:
        d = max(period.start, start)
        while d <= min(period.end, end):
            days.add(d)
            d += timedelta(days=1)
    return frozenset(days)


def away_periods(*, session: Session, workspace_id: str, user_id: str, on_or_after: date) -> list[AwayPeriod]:
    return list(
        session.scalars(
            select(AwayPeriod)
            .where(
                AwayPeriod.workspace_id == workspace_id,
                AwayPeriod.user_id == user_id,
                AwayPeriod.end >= on_or_after,
            )
            .order_by(AwayPeriod.start)
        )
    )


def first_delivery(*, session: Session, event_id: str, workspace_id: str, now: datetime) -> bool:
    """Record an Events API delivery; False when this event id was handled before (a retry)."""
    # RETURNING, not rowcount: drivers disagree on rowcount for INSERT … ON CONFLICT DO NOTHING.
    inserted = session.execute(
        _insert(session, ProcessedEvent)
        .values(event_id=event_id, workspace_id=workspace_id, received_at=now)
        .on_conflict_do_nothing(index_elements=["event_id"])
        .returning(ProcessedEvent.event_id)
    ).first()
    return inserted is not None


def open_alerts(*, session: Session, workspace_id: str, team_id: int, period_suffix: str) -> dict[str, int]:
    """rep → quota alerts this period not yet followed by a back-on-track note."""
    rows = session.execute(
        select(Outbox.kind, Outbox.subject, Outbox.period).where(
            Outbox.workspace_id == workspace_id,
            Outbox.team_id == team_id,
            Outbox.kind.in_(["quota_alert", "back_on_track"]),
            Outbox.period.like(f"%:{period_suffix}"),
        )
    )
    alerted: dict[str, set[str]] = defaultdict(set)
    recovered: set[tuple[str, str]] = set()
    for kind, subject, period in rows:
        if kind == "quota_alert":
            alerted[subject].add(period)
        elif subject:
            recovered.add((subject, period))
    return {rep: len([p for p in periods if (rep, p) not in recovered]) for rep, periods in alerted.items()}
