"""Who reads in which language and currency: the store's side of :mod:`bot.i18n`.

A person's voice: their own ``/checkin language``, else their team's ``/team language``, else the
language of their Slack locale where the bot has a catalogue for it, else English. Amounts are in their
team's currency. A channel post speaks its team's language.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.i18n import DEFAULT_CURRENCY, SOURCE, Voice, from_slack_locale, normalize
from bot.store.models import Membership, RepProfile, Team


def team_voice(team: Team | None) -> Voice:
    """What ``team``'s channel posts speak (English and dollars without a team)."""
    if team is None:
        return Voice()
    return Voice(language=normalize(team.language) or SOURCE, currency=team.currency or DEFAULT_CURRENCY)


def person_voice(profile: RepProfile | None, team: Team | None) -> Voice:
    """What a person reads: see the module's docstring. ``team``: the team the text is about, else
    the person's own (None: none)."""
    chosen = normalize(profile.language) if profile is not None else None
    if chosen is None and team is not None:
        chosen = normalize(team.language)
    if chosen is None and profile is not None:
        chosen = from_slack_locale(profile.slack_locale)
    currency = (team.currency if team is not None else None) or DEFAULT_CURRENCY
    return Voice(language=chosen or SOURCE, currency=currency)


_Q_TEAMS = (
    select(Membership.user_id, Membership.role, Team)
    .join(Team, Team.id == Membership.team_id)
    .where(Membership.removed_at.is_(None), Team.deleted_at.is_(None))
    .order_by(Membership.added_at.desc(), Membership.id.desc())
)


def voices(
    *, session: Session, workspace_id: str, user_ids: Iterable[str], team: Team | None = None
) -> dict[str, Voice]:
    """Every one of ``user_ids``'s voice, in two queries. With ``team``, that team's language and
    currency stand for each person's team; without, the team each is a rep on (else manages), newest
    membership first."""
    ids = sorted(set(user_ids))
    if not ids:
        return {}
    profiles = {
        p.user_id: p
        for p in session.scalars(
            select(RepProfile).where(RepProfile.workspace_id == workspace_id, RepProfile.user_id.in_(ids))
        )
    }
    teams: dict[str, Team] = {}
    if team is None:
        rows = session.execute(
            _Q_TEAMS.where(Membership.workspace_id == workspace_id, Membership.user_id.in_(ids))
        ).all()
        managed: dict[str, Team] = {}
        for user_id, role, their_team in rows:  # newest first: the first of each kind wins
            (teams if role == "rep" else managed).setdefault(user_id, their_team)
        teams = {**managed, **teams}
    return {uid: person_voice(profiles.get(uid), team or teams.get(uid)) for uid in ids}


def voice_of(*, session: Session, workspace_id: str, user_id: str, team: Team | None = None) -> Voice:
    return voices(session=session, workspace_id=workspace_id, user_ids=[user_id], team=team)[user_id]
