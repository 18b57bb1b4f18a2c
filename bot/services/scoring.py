"""Keeping score: a rep's goals in force and their progress over a day, week, month or quarter.

A score is always against one team's goals, and counts that team's entries only (``team_id``):
what a rep logged while on another team is that team's history. This holds for what the rep sees
of their own numbers too — the /log reply, /log today and week, /goals, their check-in, App Home —
so the rep and their manager see the same score, and a rep's past on another team neither reaches
a new manager nor inflates (or drags down) their score against the new team's goals. A rep who
moves starts afresh on the new team; their entries stay, and count, on the team they were made on.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from sqlalchemy.orm import Session

from bot.domain.cadence import WeekResult
from bot.domain.calendar import WorkCalendar, period_bounds
from bot.domain.goals import is_on_track, pace, window_target
from bot.domain.types import Metric, Period
from bot.services.outcomes import GoalView, ProgressLine
from bot.store import queries as q
from bot.store.models import Goal, Team

PERIOD_ORDER = {Period.DAY: 0, Period.WEEK: 1, Period.MONTH: 2, Period.QUARTER: 3}


@dataclass(frozen=True)
class EffectiveGoal:
    metric: Metric
    period: Period
    target: Decimal
    inherited: bool
    until: date | None = None  # a short-term goal agreed in a 1:1, in force through this date

    def view(self) -> GoalView:
        return GoalView(self.metric, self.period, self.target, self.inherited, self.until)


def effective_goals(
    session: Session, *, team: Team, user_id: str | None, metrics: dict[str, Metric], at: datetime
) -> list[EffectiveGoal]:
    """The rep's goals in force at ``at``: short-term goals agreed in a 1:1 first, then their own,
    then the team default for every other metric."""
    rows: list[Goal] = q.goals_in_force(session=session, team_id=team.id, user_ids=[user_id, None], at=at)
    return _choose_goals(rows, user_id=user_id, metrics=metrics, at=at)


def effective_goals_by_rep(
    session: Session, *, team: Team, user_ids: Sequence[str], metrics: dict[str, Metric], at: datetime
) -> dict[str, list[EffectiveGoal]]:
    """:func:`effective_goals` for each of the team's reps, from one query."""
    if not user_ids:
        return {}
    rows: list[Goal] = q.goals_in_force(session=session, team_id=team.id, user_ids=[*user_ids, None], at=at)
    return {
        uid: _choose_goals(
            [g for g in rows if g.user_id is None or g.user_id == uid], user_id=uid, metrics=metrics, at=at
        )
        for uid in user_ids
    }


def _choose_goals(
    rows: Sequence[Goal], *, user_id: str | None, metrics: dict[str, Metric], at: datetime
) -> list[EffectiveGoal]:
    today = at.date()
    own = {
        g.metric_key: g for g in rows if user_id is not None and g.user_id == user_id and g.ends_on is None
    }
    plan = {
        g.metric_key: g
        for g in rows
        if user_id is not None and g.user_id == user_id and g.ends_on is not None and g.ends_on >= today
    }
    default = {g.metric_key: g for g in rows if g.user_id is None}
    chosen = {**default, **own, **plan}
    out = [
        EffectiveGoal(metrics[key], Period(g.period), g.target, key not in own and key not in plan, g.ends_on)
        for key, g in chosen.items()
        if key in metrics
    ]
    order = {m.key: i for i, m in enumerate(metrics.values())}
    return sorted(out, key=lambda g: (order.get(g.metric.key, 99), PERIOD_ORDER[g.period]))


def window(period: Period, day: date) -> tuple[date, date]:
    return (day, day) if period is Period.DAY else period_bounds(period, day)


def _windows(goals: Sequence[EffectiveGoal], day: date, week_goals_as_days: bool) -> list[tuple[date, date]]:
    return [
        window(Period.WEEK, day) if (g.period is Period.DAY and week_goals_as_days) else window(g.period, day)
        for g in goals
    ]


def progress_span(
    goals: Sequence[EffectiveGoal], day: date, *, week_goals_as_days: bool = False
) -> tuple[date, date] | None:
    """The days :func:`progress_for` reads entries and away days over (None: no goals, nothing read)."""
    if not goals:
        return None
    windows = _windows(goals, day, week_goals_as_days)
    return min(w[0] for w in windows), max(w[1] for w in windows)


def progress_for(
    session: Session,
    *,
    workspace_id: str,
    team_id: int,
    user_id: str,
    goals: Sequence[EffectiveGoal],
    day: date,
    calendar: WorkCalendar,
    week_goals_as_days: bool = False,
    include_today: bool = True,
    away: frozenset[date] | None = None,
    daily: dict[date, dict[str, Decimal]] | None = None,
) -> list[ProgressLine]:
    """Progress of each goal over its period containing ``day`` (day goals: that day alone).

    Targets are pro-rated for away days; result goals over a week or longer also carry quota pace
    as of ``day``. With ``week_goals_as_days`` day goals are measured over the week (the team table).
    ``away`` and ``daily`` (day → metric → total), when given, must cover :func:`progress_span`
    and hold the entries of ``team_id`` only (the team whose goals these are); a caller scoring
    many reps fetches them for all at once.
    """
    if not goals:
        return []
    windows = _windows(goals, day, week_goals_as_days)
    start = min(w[0] for w in windows)
    end = max(w[1] for w in windows)
    if daily is None:
        daily = q.daily_sums(
            session=session, workspace_id=workspace_id, team_id=team_id, user_id=user_id, start=start, end=end
        )
    if away is None:
        away = q.away_days(session=session, workspace_id=workspace_id, user_id=user_id, start=start, end=end)
    lines = []
    for goal, (w_start, w_end) in zip(goals, windows, strict=True):
        actual = sum(
            (
                amounts.get(goal.metric.key, Decimal(0))
                for d, amounts in daily.items()
                if w_start <= d <= w_end
            ),
            Decimal(0),
        )
        target = window_target(
            target=goal.target, period=goal.period, start=w_start, end=w_end, calendar=calendar, away=away
        )
        quota_pace = None
        if goal.metric.is_result and goal.period is not Period.DAY:
            quota_pace = pace(
                actual=actual,
                quota=goal.target,
                period=goal.period,
                today=day,
                calendar=calendar,
                away=away,
                include_today=include_today,
            ).ratio
        lines.append(ProgressLine(goal.metric, goal.period, actual, target, quota_pace))
    return lines


def week_span(goals: Sequence[EffectiveGoal], week_start: date) -> tuple[date, date]:
    """The days :func:`week_result` reads entries over: the week, and each quota's period up to its end."""
    week_end = week_start + timedelta(days=6)
    quotas = [g for g in goals if g.metric.is_result and g.period is not Period.DAY]
    return min([week_start, *(period_bounds(g.period, week_end)[0] for g in quotas)]), week_end


def week_on_track(
    session: Session,
    *,
    workspace_id: str,
    team_id: int,
    user_id: str,
    goals: Sequence[EffectiveGoal],
    week_start: date,
    calendar: WorkCalendar,
    daily: dict[date, dict[str, Decimal]] | None = None,
    away: frozenset[date] | None = None,
) -> bool:
    """PRODUCT.md "on track" for the week starting ``week_start`` (a Monday); see :func:`week_result`."""
    return (
        week_result(
            session,
            workspace_id=workspace_id,
            team_id=team_id,
            user_id=user_id,
            goals=goals,
            week_start=week_start,
            calendar=calendar,
            daily=daily,
            away=away,
        ).on_track
        is True
    )


def week_result(
    session: Session,
    *,
    workspace_id: str,
    team_id: int,
    user_id: str,
    goals: Sequence[EffectiveGoal],
    week_start: date,
    calendar: WorkCalendar,
    daily: dict[date, dict[str, Decimal]] | None = None,
    away: frozenset[date] | None = None,
) -> WeekResult:
    """The week judged, with the numbers behind the verdict (for the stage machine and /checkin).

    ``daily`` (day → metric → total of ``team_id``'s entries), when given, must cover
    :func:`week_span`; ``away``, when given, must be the rep's away days of that week exactly
    (quota pace counts them).
    """
    week_end = week_start + timedelta(days=6)
    activity = [g for g in goals if not g.metric.is_result]
    quotas = [g for g in goals if g.metric.is_result and g.period is not Period.DAY]
    if daily is None:
        start, end = week_span(goals, week_start)
        daily = q.daily_sums(
            session=session, workspace_id=workspace_id, team_id=team_id, user_id=user_id, start=start, end=end
        )
    if away is None:
        away = q.away_days(
            session=session, workspace_id=workspace_id, user_id=user_id, start=week_start, end=week_end
        )

    def total(metric: str, start: date, end: date) -> Decimal:
        return sum((a.get(metric, Decimal(0)) for d, a in daily.items() if start <= d <= end), Decimal(0))

    ratios: list[float | None] = []
    weakest: tuple[str, float] | None = None
    for g in activity:
        target = window_target(
            target=g.target, period=g.period, start=week_start, end=week_end, calendar=calendar, away=away
        )
        ratio = float(total(g.metric.key, week_start, week_end) / target) if target > 0 else None
        ratios.append(ratio)
        if ratio is not None and (weakest is None or ratio < weakest[1]):
            weakest = (g.metric.key, ratio)
    quota_pace = None
    for g in quotas:
        p_start, _ = period_bounds(g.period, week_end)
        p = pace(
            actual=total(g.metric.key, p_start, week_end),
            quota=g.target,
            period=g.period,
            today=week_end,
            calendar=calendar,
            away=away,
        ).ratio
        if p is not None:
            quota_pace = p if quota_pace is None else min(quota_pace, p)
    judged = [r for r in ratios if r is not None]
    mean = sum(judged) / len(judged) if judged else None
    verdict = (
        None if mean is None and quota_pace is None else is_on_track(activity=ratios, quota_pace=quota_pace)
    )
    return WeekResult(week_start, verdict, mean, quota_pace, weakest)
