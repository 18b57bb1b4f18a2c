"""Applying the stage machine: weekly evaluation, quota-alert moves to support, and the record of why.

Called by the clock inside its run. Every change updates the rep's profile, is recorded in
``stage_changes`` with the reason and the numbers, and tells the rep and their managers by DM
(through the outbox, like every scheduled message).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from bot.domain import cadence as cad
from bot.domain.calendar import WorkCalendar, local_date, period_bounds
from bot.domain.self_starter import SelfStarter
from bot.domain.types import Metric, Period, Role, Stage
from bot.services import self_starter
from bot.services.scoring import effective_goals, week_result
from bot.store import outbox as ob
from bot.store import queries as q
from bot.store.models import Goal, Membership, RepProfile, StageChange, Team

HISTORY_WEEKS = 16


def history(
    session: Session,
    *,
    team: Team,
    user_id: str,
    metrics: dict[str, Metric],
    joined: date,
    through: date,
    calendar: WorkCalendar,
    at: datetime,
) -> list[cad.WeekResult]:
    """Closed weeks judged, from the first full week on the team up to the week starting ``through``,
    on the team's entries alone (the stage follows the rep's results on this team)."""
    goals = effective_goals(session, team=team, user_id=user_id, metrics=metrics, at=at)
    first = period_bounds(Period.WEEK, joined)[0]
    if first < joined:
        first += timedelta(days=7)  # a partial first week isn't judged
    first = max(first, through - timedelta(days=7 * (HISTORY_WEEKS - 1)))
    weeks = []
    week = first
    while week <= through:
        weeks.append(
            week_result(
                session,
                workspace_id=team.workspace_id,
                team_id=team.id,
                user_id=user_id,
                goals=goals,
                week_start=week,
                calendar=calendar,
            )
        )
        week += timedelta(days=7)
    return weeks


def apply(
    session: Session,
    *,
    profile: RepProfile,
    decision: cad.Decision,
    now: datetime,
    by: str | None = None,
) -> StageChange:
    """Move the rep and record why. Leaving support ends the short-term goals agreed in 1:1s."""
    before = profile.stage
    profile.stage = decision.stage.value
    profile.stage_since = now
    change = StageChange(
        workspace_id=profile.workspace_id,
        user_id=profile.user_id,
        from_stage=before,
        to_stage=decision.stage.value,
        reason=decision.reason,
        details=decision.details,
        changed_by=by,
        at=now,
    )
    session.add(change)
    if before == Stage.SUPPORT.value and decision.stage is not Stage.SUPPORT:
        session.execute(
            update(Goal)
            .where(
                Goal.workspace_id == profile.workspace_id,
                Goal.user_id == profile.user_id,
                Goal.ends_on.is_not(None),
                Goal.effective_to.is_(None),
            )
            .values(effective_to=now)
        )
    session.flush()
    return change


def change_messages(
    *,
    team: Team,
    managers: list[str],
    profile: RepProfile,
    change: StageChange,
    now: datetime,
    starter: SelfStarter | None = None,
) -> list[ob.Message]:
    """The rep hears what changed and why; so do their managers — and, when the rep leaves
    onboarding, how often they got going on their own (``starter``)."""
    payload = {
        "rep": profile.user_id,
        "team": team.name,
        "team_id": team.id,
        "from": change.from_stage,
        "to": change.to_stage,
        "reason": change.reason,
        "why": (change.details or {}).get("why"),  # said in the reader's language when sent
        "pinned": profile.pinned_cadence,
    }
    if starter is not None:
        payload["self_starter"] = starter.as_payload()
    period = f"{change.to_stage}:{now:%Y-%m-%dT%H:%M}"
    out = [
        ob.Message(team.workspace_id, "stage_change", profile.user_id, period, now, payload, team_id=team.id)
    ]
    out += [
        ob.Message(
            team.workspace_id,
            "stage_change",
            m,
            period,
            now,
            payload,
            subject=profile.user_id,
            team_id=team.id,
        )
        for m in managers
    ]
    return out


def last_closed_week(team: Team, now: datetime) -> date:
    """The Monday of the team's most recently closed week (weeks end Monday 00:00 team time)."""
    return period_bounds(Period.WEEK, local_date(now, team.timezone))[0] - timedelta(days=7)


def teams_due(session: Session, *, now: datetime) -> list[Team]:
    """Teams with a rep whose latest closed week hasn't been judged yet (two light queries)."""
    teams = {t.id: t for t in session.scalars(select(Team))}
    pending = set()
    rows = session.execute(
        select(Membership.team_id, RepProfile.evaluated_week)
        .join(
            RepProfile,
            (RepProfile.workspace_id == Membership.workspace_id) & (RepProfile.user_id == Membership.user_id),
        )
        .where(Membership.removed_at.is_(None), Membership.role == Role.REP.value)
    )
    for team_id, evaluated in rows:
        team = teams.get(team_id)
        if team is not None and (evaluated is None or evaluated < last_closed_week(team, now)):
            pending.add(team_id)
    return [teams[i] for i in sorted(pending)]


def weekly_team(
    session: Session, *, team: Team, now: datetime, calendar: WorkCalendar, metrics: dict[str, Metric]
) -> list[ob.Message]:
    """Judge one team's closed week for each of its reps not yet judged; apply and announce changes."""
    messages: list[ob.Message] = []
    today = local_date(now, team.timezone)
    last_closed = last_closed_week(team, now)
    members = list(
        session.scalars(
            select(Membership).where(Membership.team_id == team.id, Membership.removed_at.is_(None))
        )
    )
    reps = [m for m in members if m.role == Role.REP.value]
    managers = [m.user_id for m in members if m.role == Role.MANAGER.value]
    profiles = q.profiles(session=session, workspace_id=team.workspace_id, user_ids=[m.user_id for m in reps])
    changes: list[tuple[RepProfile, StageChange]] = []
    for membership in reps:
        profile = profiles.get(membership.user_id)
        if profile is None or (profile.evaluated_week is not None and profile.evaluated_week >= last_closed):
            continue
        joined = local_date(membership.added_at, team.timezone)
        weeks = history(
            session,
            team=team,
            user_id=membership.user_id,
            metrics=metrics,
            joined=joined,
            through=last_closed,
            calendar=calendar,
            at=now,
        )
        profile.evaluated_week = last_closed
        decision = cad.evaluate(
            stage=Stage(profile.stage),
            joined=joined,
            stage_since=local_date(profile.stage_since, team.timezone),
            weeks=weeks,
            today=today,
        )
        if decision.changes(Stage(profile.stage)):
            changes.append((profile, apply(session, profile=profile, decision=decision, now=now)))
    starters = _leaving_onboarding(session, team=team, changes=[c for _, c in changes], now=now)
    for profile, change in changes:
        messages += change_messages(
            team=team,
            managers=managers,
            profile=profile,
            change=change,
            now=now,
            starter=starters.get(profile.user_id),
        )
    return messages


def _leaving_onboarding(
    session: Session, *, team: Team, changes: list[StageChange], now: datetime
) -> dict[str, SelfStarter]:
    """The self-starter figures of the reps these changes move out of onboarding, read at once."""
    leaving = [c.user_id for c in changes if c.from_stage == Stage.ONBOARDING.value]
    if not leaving:
        return {}
    return self_starter.for_team(session, team=team, now=now, user_ids=leaving, onboarding_only=False)


def on_quota_alert(
    session: Session, *, team: Team, managers: list[str], rep_id: str, data: dict, now: datetime
) -> list[ob.Message]:
    """A quota-pace alert moves the rep to support at once — once per alert period."""
    profile = q.profile(session=session, workspace_id=team.workspace_id, user_id=rep_id)
    if profile is None:
        return []
    period = f"{data['metric']}:{data['period_key']}"
    seen = session.scalars(
        select(StageChange.details).where(
            StageChange.workspace_id == team.workspace_id, StageChange.user_id == rep_id
        )
    )
    if any((d or {}).get("alert_period") == period for d in seen):
        return []
    decision = cad.quota_alert_decision(
        stage=Stage(profile.stage), metric=data["metric"], pace=data.get("pace"), period=data["period_key"]
    )
    if decision is None:
        return []
    decision = cad.Decision(decision.stage, decision.reason, {**decision.details, "alert_period": period})
    change = apply(session, profile=profile, decision=decision, now=now)
    starter = _leaving_onboarding(session, team=team, changes=[change], now=now).get(rep_id)
    return change_messages(
        team=team, managers=managers, profile=profile, change=change, now=now, starter=starter
    )
