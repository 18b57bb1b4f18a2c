"""Targets, attainment, pace, "on track" and streaks: how the bot keeps score.

Amounts are ``Decimal`` (revenue must add up to the cent), ratios are ``float`` (they are only
compared and rendered). Nothing is rounded here; rendering rounds. Away days (a paused rep) are
pro-rated out of every target, so a rep is never judged on days they were not working.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from bot.domain.calendar import WorkCalendar, days, period_bounds
from bot.domain.types import Period

__all__ = [
    "Pace",
    "Progress",
    "attainment",
    "is_on_track",
    "pace",
    "streak",
    "window_target",
]

_ZERO = Decimal(0)
_ONE_DAY = timedelta(days=1)
# Ratios reach us as floats (a mean of Decimal quotients); allow for binary rounding so that a rep
# at exactly 80 % is not judged off track because 2.4 / 3 == 0.7999999999999999.
_TOLERANCE = 1e-9


def _counted(calendar: WorkCalendar, start: date, end: date, away: frozenset[date]) -> int:
    """Working days in ``[start, end]`` on which the rep was not away: the days goals count."""
    return sum(1 for d in calendar.working_days(start, end) if d not in away)


def attainment(*, actual: Decimal, target: Decimal) -> float | None:
    """actual ÷ target, or None when there is no positive target (nothing to attain)."""
    if target <= 0:
        return None
    return float(actual / target)


@dataclass(frozen=True)
class Progress:
    """A rep's actual against the target for one goal over a window (a day, a week so far …)."""

    metric: str
    period: Period
    actual: Decimal
    target: Decimal

    @property
    def ratio(self) -> float | None:
        """Attainment; None when the window carries no target (e.g. the rep was away throughout)."""
        return attainment(actual=self.actual, target=self.target)

    @property
    def met(self) -> bool:
        """Reached a real target; a zero target is never "met", so it never earns a ✅ or kudos."""
        return self.target > 0 and self.actual >= self.target


def window_target(
    *,
    target: Decimal,
    period: Period,
    start: date,
    end: date,
    calendar: WorkCalendar,
    away: frozenset[date] = frozenset(),
) -> Decimal:
    """The goal's target scaled to the window ``[start, end]``.

    DAY goals repeat on each working day: target × working, non-away days in the window (any
    window). WEEK/MONTH/QUARTER goals are spread evenly over the working days of the period
    containing ``start``: target × (working non-away days of the window within that period) ÷
    (working days of the whole period). A full week with no away days gives exactly ``target``;
    a week with 1 of 5 working days away gives 0.8 × target. A period without working days, or an
    empty window, has target 0. Multiplying before dividing keeps whole results exact.
    """
    if end < start:
        return _ZERO
    if period is Period.DAY:
        return target * _counted(calendar, start, end, away)
    period_start, period_end = period_bounds(period, start)
    period_days = len(calendar.working_days(period_start, period_end))
    if period_days == 0:
        return _ZERO
    window_days = _counted(calendar, max(start, period_start), min(end, period_end), away)
    if window_days == 0:
        return _ZERO
    return target * window_days / period_days


@dataclass(frozen=True)
class Pace:
    """Where a rep stands against a quota part-way through its period."""

    actual: Decimal
    quota: Decimal  # the period's quota, pro-rated for away days
    expected: Decimal  # what the rep should have by now: quota × elapsed_share
    elapsed_share: float  # working non-away days elapsed ÷ working non-away days in the period

    @property
    def ratio(self) -> float | None:
        """actual ÷ expected; None before any counted day has elapsed (too early to judge)."""
        if self.expected <= 0:
            return None
        return float(self.actual / self.expected)


def pace(
    *,
    actual: Decimal,
    quota: Decimal,
    period: Period,
    today: date,
    calendar: WorkCalendar,
    away: frozenset[date] = frozenset(),
    include_today: bool = True,
) -> Pace:
    """PRODUCT.md: Pace = actual so far ÷ (quota × share of the period's working days elapsed).

    The quota is pro-rated for away days over the whole period, and away days count neither as
    elapsed nor as remaining, so a week off neither drags pace down nor inflates it afterwards.
    ``include_today=True`` counts today as elapsed (the 17:00 end-of-day evaluation); ``False``
    counts only the days before today (a morning view, before the rep has had a chance to work).
    """
    period_start, period_end = period_bounds(period, today)
    period_days = len(calendar.working_days(period_start, period_end))
    counted = _counted(calendar, period_start, period_end, away)
    last_elapsed = today if include_today else today - _ONE_DAY
    elapsed = _counted(calendar, period_start, last_elapsed, away)
    if period_days == 0 or counted == 0:
        return Pace(actual=actual, quota=_ZERO, expected=_ZERO, elapsed_share=0.0)
    # quota × counted/period_days × elapsed/counted, computed from the raw quota to round once;
    # at the period's end it equals the pro-rated quota exactly.
    return Pace(
        actual=actual,
        quota=quota * counted / period_days,
        expected=quota * elapsed / period_days,
        elapsed_share=elapsed / counted,
    )


def is_on_track(
    *,
    activity: Sequence[float | None],
    quota_pace: float | None,
    threshold: float = 0.8,
) -> bool:
    """PRODUCT.md "on track" for a week.

    Mean attainment over the rep's activity goals ≥ ``threshold`` and, where the rep has a quota
    (``quota_pace`` not None), quota pace ≥ ``threshold``. None activity entries (no target in the
    window, e.g. a fully away week) are ignored. A rep with nothing to judge — no activity
    attainment and no quota pace — is *not* on track: stepping back is earned by results, so an
    empty week must not count towards leaving onboarding or support.
    """
    judged = [a for a in activity if a is not None]
    if not judged and quota_pace is None:
        return False
    if judged and math.fsum(judged) / len(judged) < threshold - _TOLERANCE:
        return False
    return quota_pace is None or quota_pace >= threshold - _TOLERANCE


def streak(
    days_logged: set[date],
    *,
    today: date,
    calendar: WorkCalendar,
    away: frozenset[date] = frozenset(),
) -> int:
    """Consecutive working (non-away) days with something logged, ending today or — while today
    isn't logged yet — at the previous working day, so a streak doesn't vanish each morning.

    Non-working and away days neither break nor extend a streak; logs on them don't count, and
    nor do logs after ``today`` (the walk starts at ``today``).
    """
    if not days_logged:
        return 0
    count = 0
    d = today
    if calendar.is_working_day(d) and d not in away and d not in days_logged:
        d -= _ONE_DAY  # today is still open: start from yesterday
    # Walk back; any counted day before the earliest log is unlogged, so stopping there is exact
    # (and guarantees termination even for a calendar without working days).
    for day in reversed(days(min(days_logged), d)):
        if not calendar.is_working_day(day) or day in away:
            continue
        if day not in days_logged:
            break
        count += 1
    return count
