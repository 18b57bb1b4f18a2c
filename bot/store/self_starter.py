"""Reads for the self-starter signal (``bot.domain.self_starter``): set-based, per team.

Two queries answer for every rep of a team at once — when each day's first live entry on the team
was made, and when the bot's unprompted DMs to them were sent — never one per rep or per day.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date, datetime

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import Session

from bot.store.models import Entry, Outbox
from bot.store.outbox import SENT

# An unprompted DM to a person is one "dm" row: the attention policy merges every item it lets
# through (check-in, stage change, praise…) into it, and nothing addressed to a person goes alone.
UNPROMPTED_DM = "dm"

_Q_FIRST_ENTRIES = (
    select(Entry.user_id, Entry.day, func.min(Entry.created_at))
    .where(
        Entry.team_id == bindparam("team_id"),
        Entry.workspace_id == bindparam("workspace_id"),
        Entry.user_id.in_(bindparam("user_ids", expanding=True)),
        Entry.day >= bindparam("start"),
        Entry.deleted_at.is_(None),
    )
    .group_by(Entry.user_id, Entry.day)
)

_Q_NUDGES = select(Outbox.target, Outbox.sent_at).where(
    Outbox.workspace_id == bindparam("workspace_id"),
    Outbox.target.in_(bindparam("user_ids", expanding=True)),
    Outbox.kind == UNPROMPTED_DM,
    Outbox.status == SENT,
    Outbox.sent_at >= bindparam("since"),
)


def first_entries(
    *, session: Session, workspace_id: str, team_id: int, user_ids: Sequence[str], start: date
) -> dict[str, dict[date, datetime]]:
    """user → local day (from ``start``) → when the first live entry for that day on the team was made."""
    if not user_ids:
        return {}
    params = {"workspace_id": workspace_id, "team_id": team_id, "user_ids": list(user_ids), "start": start}
    out: dict[str, dict[date, datetime]] = defaultdict(dict)
    for user_id, day, made in session.execute(_Q_FIRST_ENTRIES, params):
        out[user_id][day] = made
    return dict(out)


def nudges(
    *, session: Session, workspace_id: str, user_ids: Sequence[str], since: datetime
) -> dict[str, list[datetime]]:
    """user → when each unprompted DM the bot sent them (from ``since``) went out."""
    if not user_ids:
        return {}
    params = {"workspace_id": workspace_id, "user_ids": list(user_ids), "since": since}
    out: dict[str, list[datetime]] = defaultdict(list)
    for target, sent_at in session.execute(_Q_NUDGES, params):
        if sent_at is not None:
            out[target].append(sent_at)
    return dict(out)
