"""Queries behind CRM ingestion: a team's endpoint, the deliveries seen, e-mails looked up, and the
entries a CRM sent. Keyword-only, take a session, never commit."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.store.models import EmailLookup, Entry, IngestedDelivery, Team, TeamIntegration
from bot.store.queries import IN_TEAM_CURRENCY, _insert


def integration(*, session: Session, team_id: int) -> TeamIntegration | None:
    return session.get(TeamIntegration, team_id)


def integration_by_key(*, session: Session, key: str) -> tuple[TeamIntegration, Team] | None:
    """The endpoint named ``key`` and its team, unless the team was deleted."""
    row = session.execute(
        select(TeamIntegration, Team)
        .join(Team, Team.id == TeamIntegration.team_id)
        .where(TeamIntegration.key == key, Team.deleted_at.is_(None))
    ).first()
    return (row[0], row[1]) if row is not None else None


def email_lookup(*, session: Session, workspace_id: str, email: str) -> EmailLookup | None:
    return session.get(EmailLookup, (workspace_id, email))


def save_email_lookup(
    *, session: Session, workspace_id: str, email: str, user_id: str | None, now: datetime
) -> None:
    """Remember Slack's answer for an e-mail (``user_id`` None: no such user), newest answer winning."""
    statement = _insert(session, EmailLookup).values(
        workspace_id=workspace_id, email=email, user_id=user_id, fetched_at=now
    )
    session.execute(
        statement.on_conflict_do_update(
            index_elements=["workspace_id", "email"], set_={"user_id": user_id, "fetched_at": now}
        )
    )


def delivery(*, session: Session, team_id: int, source: str, delivery_id: str) -> IngestedDelivery | None:
    return session.get(IngestedDelivery, (team_id, source, delivery_id))


def record_delivery(
    *, session: Session, team_id: int, source: str, delivery_id: str, entries: int, now: datetime
) -> None:
    """A plain INSERT: a delivery recorded at the same moment by another request makes the commit fail,
    and with it the entries of this one."""
    session.add(
        IngestedDelivery(
            team_id=team_id, source=source, delivery_id=delivery_id, entries=entries, received_at=now
        )
    )


def used_dedupe_keys(*, session: Session, keys: Iterable[str]) -> set[str]:
    wanted = list(set(keys))
    if not wanted:
        return set()
    return set(session.scalars(select(Entry.dedupe_key).where(Entry.dedupe_key.in_(wanted))))


@dataclass(frozen=True)
class Imported:
    """One activity a CRM sent, checked and ready to record."""

    user_id: str
    metric_key: str
    amount: Decimal
    day: date
    note: str | None
    dedupe_key: str
    currency: str | None = None  # a money metric's: the team's currency when it came in; counts: None


def add_imported(
    *,
    session: Session,
    workspace_id: str,
    team_id: int,
    source: str,
    items: Sequence[Imported],
    now: datetime,
) -> None:
    """One entry per activity, all in one batch (a batch a rep can't undo: see ``latest_batch``)."""
    batch = str(uuid.uuid4())
    session.add_all(
        Entry(
            workspace_id=workspace_id,
            team_id=team_id,
            user_id=item.user_id,
            metric_key=item.metric_key,
            amount=item.amount,
            day=item.day,
            note=item.note,
            source=source,
            batch=batch,
            dedupe_key=item.dedupe_key,
            created_at=now,
            currency=item.currency,
        )
        for item in items
    )
    session.flush()


def imported_sums(
    *, session: Session, workspace_id: str, team_id: int, user_id: str, day: date, sources: Iterable[str]
) -> dict[str, dict[str, Decimal]]:
    """source → metric → the rep's live entries on the team that day which came from those sources."""
    rows = session.execute(
        select(Entry.source, Entry.metric_key, func.sum(Entry.amount))
        .where(
            Entry.workspace_id == workspace_id,
            Entry.user_id == user_id,
            Entry.day == day,
            Entry.team_id == team_id,
            Entry.deleted_at.is_(None),
            Entry.source.in_(list(sources)),
            IN_TEAM_CURRENCY,  # as every sum: money in the team's current currency only
        )
        .group_by(Entry.source, Entry.metric_key)
    )
    out: dict[str, dict[str, Decimal]] = defaultdict(dict)
    for source, metric, total in rows:
        out[source][metric] = Decimal(total or 0)
    return dict(out)


def imported_sources_since(
    *,
    session: Session,
    workspace_id: str,
    team_id: int,
    user_id: str,
    since: datetime,
    sources: Iterable[str],
) -> list[str]:
    """The CRM sources of the rep's live entries on the team made at or after ``since``, newest first."""
    rows = session.execute(
        select(Entry.source, func.max(Entry.created_at))
        .where(
            Entry.workspace_id == workspace_id,
            Entry.user_id == user_id,
            Entry.team_id == team_id,
            Entry.created_at >= since,
            Entry.deleted_at.is_(None),
            Entry.source.in_(list(sources)),
        )
        .group_by(Entry.source)
    )
    return [source for source, _ in sorted(rows, key=lambda r: r[1], reverse=True)]
