"""Small query functions: keyword-only, take a session, never commit."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta
from decimal import Decimal
from functools import lru_cache

from sqlalchemy import String, bindparam, delete, func, or_, select, text, union_all, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from bot.domain.ingest import CRM_SOURCES
from bot.domain.types import DEFAULT_METRICS, Metric, MetricKind, Role, Stage, Unit
from bot.i18n import N_
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

# At most this many SELECTs go into one UNION ALL (SQLite allows 500 by default).
_UNION_CHUNK = 200


def _insert(session: Session, model):
    return (pg_insert if session.bind.dialect.name == "postgresql" else sqlite_insert)(model)


# The queries behind every /log and Home tab are built once, with bound parameters: building a
# statement and its cache key costs more Python than running it on an indexed table. The ``_Q``
# constants below are those statements; their functions only bind the values.


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


_Q_METRICS = (
    select(MetricRow.key, MetricRow.label, MetricRow.kind, MetricRow.unit, MetricRow.aliases)
    .where(MetricRow.workspace_id == bindparam("workspace_id"))
    .order_by(MetricRow.position)
)


def metrics(*, session: Session, workspace_id: str) -> list[Metric]:
    rows = session.execute(_Q_METRICS, {"workspace_id": workspace_id})
    return [
        Metric(key, label, MetricKind(kind), Unit(unit), tuple(aliases or ()))
        for key, label, kind, unit, aliases in rows
    ]


# --- teams and memberships --------------------------------------------------------------------


def team_by_name(*, session: Session, workspace_id: str, name: str) -> Team | None:
    return session.scalar(
        select(Team).where(
            Team.workspace_id == workspace_id, Team.name_key == name.casefold(), Team.deleted_at.is_(None)
        )
    )


def team_on_channel(*, session: Session, workspace_id: str, channel_id: str) -> Team | None:
    """The team that uses the channel: a channel belongs to at most one (live) team."""
    return session.scalar(
        select(Team)
        .where(Team.workspace_id == workspace_id, Team.channel_id == channel_id, Team.deleted_at.is_(None))
        .order_by(Team.id)
        .limit(1)
    )


def lock_workspace_teams(*, session: Session, workspace_id: str) -> None:
    """Serialise the changes that claim a team name or a channel in a workspace until the transaction
    ends, so two at once can't both find it free. SQLite's write transactions are serial already; on
    PostgreSQL a transaction-scoped advisory lock keyed by the workspace does it."""
    if session.bind.dialect.name == "postgresql":
        session.execute(
            text("SELECT pg_advisory_xact_lock(:cls, hashtext(:ws))"),
            {"cls": _TEAMS_LOCK_CLASS, "ws": workspace_id},
        )


_TEAMS_LOCK_CLASS = 0x1C1  # the advisory-lock namespace of "a workspace's team names and channels"


_Q_ROLES = (
    select(Membership, Team)
    .join(Team, Team.id == Membership.team_id)
    .where(
        Membership.workspace_id == bindparam("workspace_id"),
        Membership.user_id == bindparam("user_id"),
        Membership.removed_at.is_(None),
        Team.deleted_at.is_(None),
    )
    .order_by(Membership.added_at.desc(), Membership.id.desc())
)


def roles(*, session: Session, workspace_id: str, user_id: str) -> list[tuple[Membership, Team]]:
    """The user's current memberships with their teams, newest first, in one query."""
    return [(m, t) for m, t in session.execute(_Q_ROLES, {"workspace_id": workspace_id, "user_id": user_id})]


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


_Q_PROFILE = select(RepProfile).where(
    RepProfile.workspace_id == bindparam("workspace_id"), RepProfile.user_id == bindparam("user_id")
)


def profile(*, session: Session, workspace_id: str, user_id: str) -> RepProfile | None:
    """``session.get``: the session's own copy when it has one, else one SELECT without autoflush —
    that SELECT prebuilt, where ``get`` builds its query anew on every call."""
    ident = (workspace_id, user_id)
    if session.identity_key(RepProfile, ident) in session.identity_map:
        return session.get(RepProfile, ident)
    with session.no_autoflush:
        return session.scalar(_Q_PROFILE, {"workspace_id": workspace_id, "user_id": user_id})


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
            reason=N_("joined a team"),
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


_Q_LATEST_STAGE_CHANGE = (
    select(StageChange)
    .where(
        StageChange.workspace_id == bindparam("workspace_id"),
        StageChange.user_id == bindparam("user_id"),
        or_(StageChange.from_stage.is_(None), StageChange.from_stage != StageChange.to_stage),
    )
    .order_by(StageChange.at.desc(), StageChange.id.desc())
    .limit(1)
)


def latest_stage_change(*, session: Session, workspace_id: str, user_id: str) -> StageChange | None:
    """The change that put the rep in their current stage (pins are recorded too, but aren't stages)."""
    return session.scalar(_Q_LATEST_STAGE_CHANGE, {"workspace_id": workspace_id, "user_id": user_id})


# --- goals ----------------------------------------------------------------------------------


def _goals_in_force_query(*, reps: bool, team_default: bool):
    whose = [Goal.user_id.in_(bindparam("reps", expanding=True))] if reps else []
    whose += [Goal.user_id.is_(None)] if team_default else []
    return (
        select(Goal)
        .where(
            Goal.team_id == bindparam("team_id"),
            or_(*whose),
            Goal.effective_from <= bindparam("at"),
            (Goal.effective_to.is_(None)) | (Goal.effective_to > bindparam("at")),
        )
        .order_by(Goal.id)
    )


_Q_GOALS_IN_FORCE = {
    (reps, team_default): _goals_in_force_query(reps=reps, team_default=team_default)
    for reps, team_default in ((True, True), (True, False), (False, True))
}


def goals_in_force(
    *, session: Session, team_id: int, user_ids: Sequence[str | None], at: datetime
) -> list[Goal]:
    """Goals effective at ``at`` for the given reps (and/or ``None``: the team default)."""
    reps = [u for u in user_ids if u is not None]
    team_default = None in user_ids
    if not reps and not team_default:
        return []
    query = _Q_GOALS_IN_FORCE[(bool(reps), team_default)]
    return list(session.scalars(query, {"team_id": team_id, "reps": reps, "at": at}))


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
    currency: str | None = None,
    money: Iterable[str] = (),
) -> list[Entry]:
    """``currency``: what the amounts of the ``money`` metrics (keys) are in; counts have none."""
    money = frozenset(money)
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
            currency=currency if metric in money else None,
        )
        for i, (metric, amount) in enumerate(items)
    ]
    session.add_all(rows)
    session.flush()
    return rows


def dedupe_key_used(*, session: Session, dedupe_key: str) -> bool:
    """Whether a submission with this key (its first item) is recorded already."""
    return session.scalar(select(Entry.id).where(Entry.dedupe_key == f"{dedupe_key}:0")) is not None


def lock_rep_entries(*, session: Session, workspace_id: str, user_id: str) -> None:
    """Serialise one rep's writes of entries until the transaction ends, so a day's total read to
    check a ceiling stays true until the insert. SQLite's write transactions are serial already;
    on PostgreSQL a transaction-scoped advisory lock keyed by the rep does it."""
    if session.bind.dialect.name == "postgresql":
        session.execute(
            text("SELECT pg_advisory_xact_lock(:cls, hashtext(:rep))"),
            {"cls": _ENTRY_LOCK_CLASS, "rep": f"{workspace_id}:{user_id}"},
        )


_ENTRY_LOCK_CLASS = 0x1C0  # the advisory-lock namespace of "a rep's entries" (the clock's is one bigint)


# Reads of entries are by team. A rep's numbers belong to the team they were on when they logged
# them (``Entry.team_id``): every read below takes the team it reads for and counts that team's
# entries only, so a manager — or a team's channel, or a score against a team's goals — never sees
# what a rep logged on another team, before a move or after one.
#
# Sums count money only in the team's *current* currency (``/team currency``): an entry keeps the
# currency it was logged in and is never converted, so after USD → EUR the dollars stay dollars (the
# export shows them) and a revenue goal counts afresh in euros. Counts have no currency: always counted.

_TEAM_CURRENCY = select(Team.currency).where(Team.id == Entry.team_id).correlate(Entry).scalar_subquery()
IN_TEAM_CURRENCY = or_(Entry.currency.is_(None), Entry.currency == _TEAM_CURRENCY)


def sums_by_metric(
    *, session: Session, workspace_id: str, team_id: int, user_ids: Sequence[str], start: date, end: date
) -> dict[str, dict[str, Decimal]]:
    """user → metric → total over [start, end] of the team's live entries."""
    if not user_ids:
        return {}
    rows = session.execute(
        select(Entry.user_id, Entry.metric_key, func.sum(Entry.amount))
        .where(
            Entry.workspace_id == workspace_id,
            Entry.team_id == team_id,
            Entry.user_id.in_(list(user_ids)),
            Entry.day >= start,
            Entry.day <= end,
            Entry.deleted_at.is_(None),
            IN_TEAM_CURRENCY,
        )
        .group_by(Entry.user_id, Entry.metric_key)
    )
    out: dict[str, dict[str, Decimal]] = defaultdict(dict)
    for user_id, metric, total in rows:
        out[user_id][metric] = Decimal(total or 0)
    return dict(out)


# One rep's live entries on one team from ``start`` to ``end``: the filter the prebuilt per-rep
# queries share (the rep's (workspace, user, day) index finds them; the team is a filter on those).
_LIVE_ENTRIES_OF_ONE_REP = (
    Entry.workspace_id == bindparam("workspace_id"),
    Entry.user_id == bindparam("user_id"),
    Entry.day >= bindparam("start"),
    Entry.day <= bindparam("end"),
    Entry.team_id == bindparam("team_id"),
    Entry.deleted_at.is_(None),
)

_Q_DAILY_SUMS = (
    select(Entry.day, Entry.metric_key, func.sum(Entry.amount))
    .where(*_LIVE_ENTRIES_OF_ONE_REP, IN_TEAM_CURRENCY)
    .group_by(Entry.day, Entry.metric_key)
)


def daily_sums(
    *, session: Session, workspace_id: str, team_id: int, user_id: str, start: date, end: date
) -> dict[date, dict[str, Decimal]]:
    """day → metric → total over [start, end] of one rep's live entries on the team."""
    params = {
        "workspace_id": workspace_id,
        "team_id": team_id,
        "user_id": user_id,
        "start": start,
        "end": end,
    }
    rows = session.execute(_Q_DAILY_SUMS, params)
    out: dict[date, dict[str, Decimal]] = defaultdict(dict)
    for day, metric, total in rows:
        out[day][metric] = Decimal(total or 0)
    return dict(out)


_Q_DAILY_SUMS_BY_REP = (
    select(Entry.user_id, Entry.day, Entry.metric_key, func.sum(Entry.amount))
    .where(
        Entry.workspace_id == bindparam("workspace_id"),
        Entry.team_id == bindparam("team_id"),
        Entry.user_id.in_(bindparam("user_ids", expanding=True)),
        Entry.day >= bindparam("start"),
        Entry.day <= bindparam("end"),
        Entry.deleted_at.is_(None),
        IN_TEAM_CURRENCY,
    )
    .group_by(Entry.user_id, Entry.day, Entry.metric_key)
)


def daily_sums_by_rep(
    *, session: Session, workspace_id: str, team_id: int, user_ids: Sequence[str], start: date, end: date
) -> dict[str, dict[date, dict[str, Decimal]]]:
    """user → day → metric → total over [start, end] of the team's live entries: :func:`daily_sums`
    for many reps."""
    if not user_ids:
        return {}
    params = {
        "workspace_id": workspace_id,
        "team_id": team_id,
        "user_ids": list(user_ids),
        "start": start,
        "end": end,
    }
    rows = session.execute(_Q_DAILY_SUMS_BY_REP, params)
    out: dict[str, dict[date, dict[str, Decimal]]] = defaultdict(lambda: defaultdict(dict))
    for user_id, day, metric, total in rows:
        out[user_id][day][metric] = Decimal(total or 0)
    return {user_id: dict(days) for user_id, days in out.items()}


def team_entries(*, session: Session, team_id: int, start: date, end: date) -> list[Entry]:
    """Live entries logged to the team over [start, end], in date order."""
    return list(
        session.scalars(
            select(Entry)
            .where(Entry.team_id == team_id, Entry.day >= start, Entry.day <= end, Entry.deleted_at.is_(None))
            .order_by(Entry.day, Entry.user_id, Entry.id)
        )
    )


@lru_cache(maxsize=64)
def _q_last_logged(reps: int):
    """``max(day)`` of the team's live entries for ``reps`` reps (params ``u0``…), one SELECT each,
    UNION ALL."""
    newest = [
        select(bindparam(f"u{i}", type_=String).label("user_id"), func.max(Entry.day).label("day")).where(
            Entry.workspace_id == bindparam("workspace_id"),
            Entry.user_id == bindparam(f"u{i}"),
            Entry.team_id == bindparam("team_id"),
            Entry.deleted_at.is_(None),
        )
        for i in range(reps)
    ]
    return newest[0] if reps == 1 else union_all(*newest)


def last_logged(
    *, session: Session, workspace_id: str, team_id: int, user_ids: Sequence[str]
) -> dict[str, date]:
    """user → the latest day with a live entry on the team (users who never logged there are left out).

    One ``max(day)`` per rep, glued with UNION ALL: each is a short backward walk of the rep's
    (workspace, user, day) index from their newest entry, where a single GROUP BY over all the reps
    would read every entry they ever logged. (A rep's newest entries are on their current team, so
    the walk stays short; one who never logged on the team walks their own history once.)
    """
    out: dict[str, date] = {}
    ids = list(dict.fromkeys(user_ids))
    for start in range(0, len(ids), _UNION_CHUNK):
        chunk = ids[start : start + _UNION_CHUNK]
        params = {
            "workspace_id": workspace_id,
            "team_id": team_id,
            **{f"u{i}": uid for i, uid in enumerate(chunk)},
        }
        rows = session.execute(_q_last_logged(len(chunk)), params)
        out.update({uid: day for uid, day in rows if day is not None})
    return out


_Q_LOGGED_DAYS = select(Entry.day).where(*_LIVE_ENTRIES_OF_ONE_REP).distinct()


def logged_days(
    *, session: Session, workspace_id: str, team_id: int, user_id: str, start: date, end: date
) -> set[date]:
    """The days in [start, end] with a live entry of the rep's on the team."""
    params = {
        "workspace_id": workspace_id,
        "team_id": team_id,
        "user_id": user_id,
        "start": start,
        "end": end,
    }
    return set(session.scalars(_Q_LOGGED_DAYS, params))


def latest_batch(
    *, session: Session, workspace_id: str, team_id: int, user_id: str, since: datetime
) -> list[Entry]:
    """The entries of the user's most recent live /log on the team made at or after ``since``
    (what they logged on a team they have left is that team's history: not theirs to undo). Entries
    a CRM sent are the CRM's: changed there, never undone here."""
    newest = session.scalar(
        select(Entry)
        .where(
            Entry.workspace_id == workspace_id,
            Entry.user_id == user_id,
            Entry.team_id == team_id,
            Entry.created_at >= since,
            Entry.deleted_at.is_(None),
            Entry.source.not_in(sorted(CRM_SOURCES)),
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


_Q_AWAY_DAYS = select(AwayPeriod).where(
    AwayPeriod.workspace_id == bindparam("workspace_id"),
    AwayPeriod.user_id == bindparam("user_id"),
    AwayPeriod.start <= bindparam("end"),
    AwayPeriod.end >= bindparam("start"),
)


def away_days(
    *, session: Session, workspace_id: str, user_id: str, start: date, end: date
) -> frozenset[date]:
    rows = session.scalars(
        _Q_AWAY_DAYS, {"workspace_id": workspace_id, "user_id": user_id, "start": start, "end": end}
    )
    days: set[date] = set()
    for period in rows:
        d = max(period.start, start)
        while d <= min(period.end, end):
            days.add(d)
            d += timedelta(days=1)
    return frozenset(days)


_Q_AWAY_DAYS_BY_REP = select(AwayPeriod).where(
    AwayPeriod.workspace_id == bindparam("workspace_id"),
    AwayPeriod.user_id.in_(bindparam("user_ids", expanding=True)),
    AwayPeriod.start <= bindparam("end"),
    AwayPeriod.end >= bindparam("start"),
)


def away_days_by_rep(
    *, session: Session, workspace_id: str, user_ids: Sequence[str], start: date, end: date
) -> dict[str, frozenset[date]]:
    """user → their away days within [start, end]: :func:`away_days` for many reps (absent: none)."""
    if not user_ids:
        return {}
    params = {"workspace_id": workspace_id, "user_ids": list(user_ids), "start": start, "end": end}
    rows = session.scalars(_Q_AWAY_DAYS_BY_REP, params)
    days: dict[str, set[date]] = defaultdict(set)
    for period in rows:
        d = max(period.start, start)
        while d <= min(period.end, end):
            days[period.user_id].add(d)
            d += timedelta(days=1)
    return {user_id: frozenset(away) for user_id, away in days.items()}


_Q_AWAY_PERIODS = (
    select(AwayPeriod)
    .where(
        AwayPeriod.workspace_id == bindparam("workspace_id"),
        AwayPeriod.user_id == bindparam("user_id"),
        AwayPeriod.end >= bindparam("on_or_after"),
    )
    .order_by(AwayPeriod.start)
)


def away_periods(*, session: Session, workspace_id: str, user_id: str, on_or_after: date) -> list[AwayPeriod]:
    params = {"workspace_id": workspace_id, "user_id": user_id, "on_or_after": on_or_after}
    return list(session.scalars(_Q_AWAY_PERIODS, params))


def event_handled(*, session: Session, event_id: str) -> bool:
    """True when an Events API event id was handled (its listener succeeded) before."""
    found = session.execute(select(ProcessedEvent.event_id).where(ProcessedEvent.event_id == event_id))
    return found.first() is not None


def record_handled_event(
    *, session: Session, event_id: str, workspace_id: str, now: datetime, keep: timedelta
) -> None:
    """Remember a handled event id (a concurrent delivery may have beaten us to it), and forget those
    older than ``keep``: Slack retries within minutes, so a day's ids is all that dedup needs."""
    session.execute(
        _insert(session, ProcessedEvent)
        .values(event_id=event_id, workspace_id=workspace_id, received_at=now)
        .on_conflict_do_nothing(index_elements=["event_id"])
    )
    session.execute(delete(ProcessedEvent).where(ProcessedEvent.received_at < now - keep))


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


def entries_since(*, session: Session, workspace_id: str, user_id: str, since: datetime) -> list[Entry]:
    """The user's live entries made at or after ``since``, on whichever team, oldest first: to tell a
    /log sent again from a new one (the caller holds the rep's entries lock)."""
    return list(
        session.scalars(
            select(Entry)
            .where(
                Entry.workspace_id == workspace_id,
                Entry.user_id == user_id,
                Entry.created_at >= since,
                Entry.deleted_at.is_(None),
            )
            .order_by(Entry.id)
        )
    )
