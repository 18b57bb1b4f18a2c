"""The self-starter figures of a team's reps (``bot.domain.self_starter``), read in a few queries.

Used inside another use case's transaction — the 1:1 agenda, App Home's team table, the stage
change that moves a rep out of onboarding — so it takes their session and their ``now``.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.domain.calendar import local_date
from bot.domain.self_starter import SelfStarter, self_starter
from bot.domain.types import Role, Stage
from bot.services.context import team_calendar
from bot.store import queries as q
from bot.store import self_starter as store
from bot.store.models import Membership, Team


def for_team(
    session: Session,
    *,
    team: Team,
    now: datetime,
    user_ids: Iterable[str] | None = None,
    onboarding_only: bool = True,
) -> dict[str, SelfStarter]:
    """rep → their figures as of ``now``: the team's current reps (only ``user_ids``, when given),
    only those in onboarding unless ``onboarding_only`` is False (a rep just moved out of it)."""
    wanted = None if user_ids is None else set(user_ids)
    members = [
        m
        for m in session.scalars(
            select(Membership).where(
                Membership.team_id == team.id,
                Membership.role == Role.REP.value,
                Membership.removed_at.is_(None),
            )
        )
        if wanted is None or m.user_id in wanted
    ]
    if not members:
        return {}
    profiles = q.profiles(
        session=session, workspace_id=team.workspace_id, user_ids=[m.user_id for m in members]
    )
    reps = []
    for m in members:
        profile = profiles.get(m.user_id)
        stage = Stage(profile.stage) if profile is not None else Stage.ONBOARDING
        if onboarding_only and stage is not Stage.ONBOARDING:
            continue
        tz = profile.tz if profile is not None and profile.tz else team.timezone
        reps.append((m, tz, local_date(m.added_at, tz), local_date(now, tz)))
    if not reps:
        return {}
    ids = [m.user_id for m, _, _, _ in reps]
    start = min(joined for _, _, joined, _ in reps)
    end = max(today for _, _, _, today in reps)
    entries = store.first_entries(
        session=session, workspace_id=team.workspace_id, team_id=team.id, user_ids=ids, start=start
    )
    sent = store.nudges(
        session=session,
        workspace_id=team.workspace_id,
        user_ids=ids,
        since=min(m.added_at for m, _, _, _ in reps) - timedelta(days=1),
    )
    away = q.away_days_by_rep(
        session=session, workspace_id=team.workspace_id, user_ids=ids, start=start, end=end
    )
    calendar = team_calendar(team, end)
    return {
        m.user_id: self_starter(
            first_entries=entries.get(m.user_id, {}),
            nudges=sent.get(m.user_id, ()),
            joined=joined,
            today=today,
            tz=tz,
            calendar=calendar,
            away=away.get(m.user_id, frozenset()),
        )
        for m, tz, joined, today in reps
    }
