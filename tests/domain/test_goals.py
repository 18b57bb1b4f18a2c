"""Targets, attainment, pace, on-track and streaks, as tables of hand-computed cases.

March 2026 starts on a Sunday: weeks run Mon 2–Sun 8, 9–15, 16–22, 23–29, then Mon 30, Tue 31.
With Monday–Friday workdays it has 22 working days. Q1 2026 has 22 + 20 + 22 = 64.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from bot.domain.calendar import WorkCalendar, days
from bot.domain.goals import Pace, Progress, attainment, is_on_track, pace, streak, window_target
from bot.domain.types import Period

D = Decimal
MON_FRI = WorkCalendar()
SUN_THU = WorkCalendar(workdays=frozenset({6, 0, 1, 2, 3}))
NONE = frozenset[date]()


def mar(day: int) -> date:
    return date(2026, 3, day)


MAR_4_OFF = WorkCalendar(holidays=frozenset({date(2026, 3, 4)}))


def span(start: date, end: date) -> frozenset[date]:
    return frozenset(days(start, end))


# ---------------------------------------------------------------- window_target


@pytest.mark.parametrize(
    ("target", "period", "start", "end", "calendar", "away", "expected"),
    [
        # DAY goals: target × working, non-away days in the window
        (D(25), Period.DAY, mar(2), mar(2), MON_FRI, NONE, D(25)),
        (D(25), Period.DAY, mar(2), mar(8), MON_FRI, NONE, D(125)),
        (D(25), Period.DAY, mar(2), mar(8), MON_FRI, frozenset({mar(3)}), D(100)),
        (D(25), Period.DAY, mar(2), mar(8), MAR_4_OFF, frozenset({mar(3)}), D(75)),
        (D(25), Period.DAY, mar(7), mar(8), MON_FRI, NONE, D(0)),  # weekend
        (D(25), Period.DAY, mar(2), mar(2), MON_FRI, frozenset({mar(2)}), D(0)),  # away today
        (D(10), Period.DAY, mar(1), mar(31), MON_FRI, NONE, D(220)),  # any window, e.g. a month
        (D(10), Period.DAY, mar(1), mar(7), SUN_THU, NONE, D(50)),
        (D("2.5"), Period.DAY, mar(2), mar(3), MON_FRI, NONE, D(5)),
        # WEEK goals: spread over the week's working days
        (D(5), Period.WEEK, mar(2), mar(8), MON_FRI, NONE, D(5)),
        (D(5), Period.WEEK, mar(2), mar(8), MON_FRI, frozenset({mar(4)}), D(4)),  # 0.8 × target
        (D(5), Period.WEEK, mar(2), mar(4), MON_FRI, NONE, D(3)),  # week so far, Mon–Wed
        (D(5), Period.WEEK, mar(2), mar(2), MON_FRI, NONE, D(1)),
        (D(5), Period.WEEK, mar(7), mar(8), MON_FRI, NONE, D(0)),  # weekend only
        (D(5), Period.WEEK, mar(2), mar(8), MON_FRI, span(mar(2), mar(8)), D(0)),  # away all week
        (D(5), Period.WEEK, mar(2), mar(8), MON_FRI, frozenset({mar(7), mar(9)}), D(5)),  # away off-window
        (D(5), Period.WEEK, mar(2), mar(8), MAR_4_OFF, NONE, D(5)),
        (D(5), Period.WEEK, mar(2), mar(3), MAR_4_OFF, NONE, D("2.5")),
        (D(5), Period.WEEK, mar(2), mar(8), WorkCalendar(holidays=span(mar(2), mar(6))), NONE, D(0)),
        # ISO weeks: Sun 1 closes the week of Mon Feb 23, so only it counts (1 of that week's 5)
        (D(5), Period.WEEK, mar(1), mar(5), SUN_THU, NONE, D(1)),
        (D(5), Period.WEEK, mar(2), mar(8), SUN_THU, NONE, D(5)),  # Mon–Thu + Sun 8
        (D(5), Period.WEEK, mar(6), mar(10), MON_FRI, NONE, D(1)),  # clipped to the week of the start
        (D(3), Period.WEEK, mar(2), mar(2), MON_FRI, NONE, D(3) / D(5)),
        # MONTH goals: March has 22 working days, so 4400 is 200 a day
        (D(4400), Period.MONTH, mar(1), mar(31), MON_FRI, NONE, D(4400)),
        (D(4400), Period.MONTH, mar(1), mar(15), MON_FRI, NONE, D(2000)),
        (D(4400), Period.MONTH, mar(16), mar(31), MON_FRI, NONE, D(2400)),
        (D(4400), Period.MONTH, mar(1), mar(31), MON_FRI, span(mar(9), mar(13)), D(3400)),  # away week
        (D(4400), Period.MONTH, mar(30), date(2026, 4, 5), MON_FRI, NONE, D(400)),  # clipped at month end
        (D(4400), Period.MONTH, mar(1), mar(1), MON_FRI, NONE, D(0)),
        (D(10), Period.MONTH, mar(1), mar(31), MON_FRI, frozenset({mar(2)}), D(210) / D(22)),
        (
            D("50000.00"),
            Period.MONTH,
            mar(1),
            mar(31),
            WorkCalendar(holidays=frozenset({mar(2)})),
            NONE,
            D(50000),
        ),
        # QUARTER goals: Q1 2026 has 64 working days; 63 with New Year's Day off
        (D(64), Period.QUARTER, date(2026, 1, 1), mar(31), MON_FRI, NONE, D(64)),
        (D(64), Period.QUARTER, mar(1), mar(31), MON_FRI, NONE, D(22)),
        (D(64), Period.QUARTER, date(2026, 2, 1), date(2026, 2, 28), MON_FRI, NONE, D(20)),
        (
            D(630),
            Period.QUARTER,
            date(2026, 1, 1),
            date(2026, 1, 31),
            WorkCalendar(holidays=frozenset({date(2026, 1, 1)})),
            NONE,
            D(210),
        ),
        (D(64), Period.QUARTER, date(2026, 1, 1), mar(31), MON_FRI, span(mar(1), mar(31)), D(42)),
        # An empty window carries no target
        (D(25), Period.DAY, mar(3), mar(2), MON_FRI, NONE, D(0)),
        (D(5), Period.WEEK, mar(3), mar(2), MON_FRI, NONE, D(0)),
    ],
)
def test_window_target(
    target: Decimal,
    period: Period,
    start: date,
    end: date,
    calendar: WorkCalendar,
    away: frozenset[date],
    expected: Decimal,
) -> None:
    result = window_target(target=target, period=period, start=start, end=end, calendar=calendar, away=away)
    assert isinstance(result, Decimal)
    assert result == expected


# ---------------------------------------------------------------- attainment / Progress


@pytest.mark.parametrize(
    ("actual", "target", "expected"),
    [
        (D(20), D(25), 0.8),
        (D(25), D(25), 1.0),
        (D(30), D(25), 1.2),
        (D(0), D(25), 0.0),
        (D(5), D(0), None),
        (D(0), D(0), None),
        (D("4500.50"), D("9001.00"), 0.5),
        (D(4), D(5) * D(3) / D(5), 4 / 3),
    ],
)
def test_attainment(actual: Decimal, target: Decimal, expected: float | None) -> None:
    result = attainment(actual=actual, target=target)
    assert result == (None if expected is None else pytest.approx(expected))
    assert result is None or isinstance(result, float)


@pytest.mark.parametrize(
    ("actual", "target", "ratio", "met"),
    [
        (D(25), D(25), 1.0, True),
        (D(26), D(25), 1.04, True),
        (D(24), D(25), 0.96, False),
        (D("2.5"), D("2.5"), 1.0, True),
        (D(0), D(0), None, False),  # nothing expected is never "met"
        (D(3), D(0), None, False),
    ],
)
def test_progress(actual: Decimal, target: Decimal, ratio: float | None, met: bool) -> None:
    progress = Progress(metric="calls", period=Period.DAY, actual=actual, target=target)
    assert progress.ratio == (None if ratio is None else pytest.approx(ratio))
    assert progress.met is met


# ---------------------------------------------------------------- pace
# A monthly quota of 22,000 over March's 22 working days is 1,000 a working day.

AWAY_WEEK = span(mar(9), mar(13))


@pytest.mark.parametrize(
    ("actual", "today", "calendar", "away", "include_today", "quota", "expected", "share", "ratio"),
    [
        # First working day
        (D(500), mar(2), MON_FRI, NONE, True, D(22000), D(1000), 1 / 22, 0.5),
        (D(500), mar(2), MON_FRI, NONE, False, D(22000), D(0), 0.0, None),  # morning: nothing elapsed
        (D(0), mar(1), MON_FRI, NONE, True, D(22000), D(0), 0.0, None),  # Sunday before it
        # Mid-month (Friday 13th: 10 working days done)
        (D(8000), mar(13), MON_FRI, NONE, True, D(22000), D(10000), 10 / 22, 0.8),
        (D(8000), mar(13), MON_FRI, NONE, False, D(22000), D(9000), 9 / 22, 8 / 9),
        (D(8000), mar(14), MON_FRI, NONE, True, D(22000), D(10000), 10 / 22, 0.8),  # Saturday
        (D(8000), mar(14), MON_FRI, NONE, False, D(22000), D(10000), 10 / 22, 0.8),
        # Last day
        (D(22000), mar(31), MON_FRI, NONE, True, D(22000), D(22000), 1.0, 1.0),
        (D(22000), mar(31), MON_FRI, NONE, False, D(22000), D(21000), 21 / 22, 22 / 21),
        (D(33000), mar(31), MON_FRI, NONE, True, D(22000), D(22000), 1.0, 1.5),
        # An away week pro-rates the quota to 17 days (17,000); away days are neither elapsed nor due
        (D(5000), mar(13), MON_FRI, AWAY_WEEK, True, D(17000), D(5000), 5 / 17, 1.0),
        (D(5000), mar(11), MON_FRI, AWAY_WEEK, True, D(17000), D(5000), 5 / 17, 1.0),
        (D(5000), mar(20), MON_FRI, AWAY_WEEK, True, D(17000), D(10000), 10 / 17, 0.5),
        (D(5000), mar(16), MON_FRI, AWAY_WEEK, False, D(17000), D(5000), 5 / 17, 1.0),
        (D(17000), mar(31), MON_FRI, AWAY_WEEK, True, D(17000), D(17000), 1.0, 1.0),
        # Away the whole month: nothing due, nothing to judge
        (D(0), mar(31), MON_FRI, span(mar(1), mar(31)), True, D(0), D(0), 0.0, None),
        # A holiday shrinks the month to 21 working days: the full quota is still due
        (
            D(7000),
            mar(6),
            WorkCalendar(holidays=frozenset({mar(2)})),
            NONE,
            True,
            D(22000),
            D(22000) * 4 / 21,
            4 / 21,
            7000 * 21 / (22000 * 4),
        ),
        # Sun–Thu team: March has 23 working days (five Sundays), 5 elapsed by Thu 5
        (D(5000), mar(5), SUN_THU, NONE, True, D(22000), D(22000) * 5 / 23, 5 / 23, 23 / 22),
    ],
)
def test_pace_month(
    actual: Decimal,
    today: date,
    calendar: WorkCalendar,
    away: frozenset[date],
    include_today: bool,
    quota: Decimal,
    expected: Decimal,
    share: float,
    ratio: float | None,
) -> None:
    result = pace(
        actual=actual,
        quota=D(22000),
        period=Period.MONTH,
        today=today,
        calendar=calendar,
        away=away,
        include_today=include_today,
    )
    assert result.actual == actual
    assert result.quota == quota
    assert result.expected == expected
    assert result.elapsed_share == pytest.approx(share)
    assert result.ratio == (None if ratio is None else pytest.approx(ratio))


@pytest.mark.parametrize(
    ("period", "quota", "today", "include_today", "expected_quota", "expected"),
    [
        (Period.WEEK, D(5), mar(4), True, D(5), D(3)),  # Wednesday
        (Period.WEEK, D(5), mar(4), False, D(5), D(2)),
        (Period.WEEK, D(5), mar(8), True, D(5), D(5)),  # Sunday: the week is done
        (Period.QUARTER, D(64000), mar(31), True, D(64000), D(64000)),
        (Period.QUARTER, D(64000), date(2026, 2, 1), True, D(64000), D(22000)),  # all of January
        (Period.QUARTER, D(64000), date(2026, 1, 1), False, D(64000), D(0)),
        (Period.DAY, D(4), mar(2), True, D(4), D(4)),
        (Period.DAY, D(4), mar(2), False, D(4), D(0)),
        (Period.DAY, D(4), mar(7), True, D(0), D(0)),  # no quota on a Saturday
    ],
)
def test_pace_other_periods(
    period: Period,
    quota: Decimal,
    today: date,
    include_today: bool,
    expected_quota: Decimal,
    expected: Decimal,
) -> None:
    result = pace(
        actual=D(1), quota=quota, period=period, today=today, calendar=MON_FRI, include_today=include_today
    )
    assert result.quota == expected_quota
    assert result.expected == expected


@pytest.mark.parametrize(
    ("actual", "expected", "ratio"),
    [
        (D(5), D(0), None),
        (D(0), D(0), None),
        (D(0), D(10), 0.0),
        (D(7), D(10), 0.7),
        (D(15), D(10), 1.5),
    ],
)
def test_pace_ratio(actual: Decimal, expected: Decimal, ratio: float | None) -> None:
    result = Pace(actual=actual, quota=D(100), expected=expected, elapsed_share=0.5)
    assert result.ratio == (None if ratio is None else pytest.approx(ratio))


# ---------------------------------------------------------------- is_on_track


@pytest.mark.parametrize(
    ("activity", "quota_pace", "threshold", "expected"),
    [
        # Activity only
        ([0.8], None, 0.8, True),  # exactly 80 %
        ([0.799], None, 0.8, False),  # 79.9 %
        ([0.7, 0.9], None, 0.8, True),  # mean exactly 80 %
        ([0.8, 0.8, 0.8], None, 0.8, True),
        ([0.6, 0.7, 1.1], None, 0.8, True),  # the float mean is 0.7999…: still exactly 80 %
        ([1.0, 0.5], None, 0.8, False),  # mean 75 %
        ([1.5, 0.2], None, 0.8, True),  # mean 85 %: an overshoot covers a shortfall
        ([0.0], None, 0.8, False),
        # Quota only
        ([], 0.8, 0.8, True),
        ([], 0.799, 0.8, False),
        ([], 2.0, 0.8, True),
        # Both must hold
        ([1.0], 0.8, 0.8, True),
        ([1.0], 0.79, 0.8, False),
        ([0.5], 1.5, 0.8, False),
        ([0.9, 0.7], 0.9, 0.8, True),
        # None entries are ignored
        ([None, 0.9], None, 0.8, True),
        ([None, 0.5], None, 0.8, False),
        ([None], 0.9, 0.8, True),
        ([None, 0.5], 0.9, 0.8, False),
        # Nothing to judge is not on track
        ([], None, 0.8, False),
        ([None, None], None, 0.8, False),
        # A different threshold
        ([0.75], None, 0.7, True),
        ([0.75], None, 0.76, False),
    ],
)
def test_is_on_track(
    activity: list[float | None], quota_pace: float | None, threshold: float, expected: bool
) -> None:
    assert is_on_track(activity=activity, quota_pace=quota_pace, threshold=threshold) is expected


# ---------------------------------------------------------------- streak
# Today is Wednesday 11 March unless the case says otherwise.

FEB_WORKING = frozenset(MON_FRI.working_days(date(2026, 2, 1), date(2026, 2, 28)))


@pytest.mark.parametrize(
    ("logged", "today", "calendar", "away", "expected"),
    [
        ({mar(9), mar(10), mar(11)}, mar(11), MON_FRI, NONE, 3),
        ({mar(9), mar(10)}, mar(11), MON_FRI, NONE, 2),  # today not logged yet
        ({mar(9)}, mar(11), MON_FRI, NONE, 0),  # yesterday missed
        ({mar(11)}, mar(11), MON_FRI, NONE, 1),
        (set(), mar(11), MON_FRI, NONE, 0),
        # Weekends neither break nor extend
        ({mar(6), mar(9), mar(10)}, mar(11), MON_FRI, NONE, 3),
        ({mar(5), mar(6), mar(9), mar(10), mar(11)}, mar(11), MON_FRI, NONE, 5),
        ({mar(7), mar(8), mar(9), mar(10), mar(11)}, mar(11), MON_FRI, NONE, 3),  # weekend logs don't count
        # A gap breaks
        ({mar(5), mar(9), mar(10), mar(11)}, mar(11), MON_FRI, NONE, 3),
        ({mar(2), mar(3), mar(5), mar(6)}, mar(6), MON_FRI, NONE, 2),
        # Holidays and away days are skipped
        ({mar(6), mar(10), mar(11)}, mar(11), WorkCalendar(holidays=frozenset({mar(9)})), NONE, 3),
        ({mar(6), mar(10), mar(11)}, mar(11), MON_FRI, frozenset({mar(9)}), 3),
        ({mar(9), mar(10), mar(11)}, mar(11), MON_FRI, frozenset({mar(10)}), 2),  # away log doesn't count
        ({mar(6), mar(16)}, mar(16), MON_FRI, AWAY_WEEK, 2),  # an away week bridges
        ({mar(6)}, mar(13), MON_FRI, AWAY_WEEK, 1),  # away today: streak kept
        # Today is not a working day
        ({mar(12), mar(13)}, mar(14), MON_FRI, NONE, 2),  # Saturday
        ({mar(13)}, mar(15), MON_FRI, NONE, 1),  # Sunday
        ({mar(12), mar(13)}, mar(16), MON_FRI, NONE, 2),  # Monday morning: Friday was yesterday's working day
        ({mar(12)}, mar(16), MON_FRI, NONE, 0),  # Friday missed
        # Sun–Thu team: Thursday → Sunday is consecutive
        ({mar(5), mar(8)}, mar(8), SUN_THU, NONE, 2),
        ({mar(4), mar(5), mar(6), mar(8)}, mar(8), SUN_THU, NONE, 3),  # Friday log doesn't count
        # Future-dated entries are ignored
        ({mar(10), mar(12)}, mar(11), MON_FRI, NONE, 1),
        # A long run across a month boundary: 20 in February + 8 in March
        (set(FEB_WORKING) | {mar(d) for d in (2, 3, 4, 5, 6, 9, 10, 11)}, mar(11), MON_FRI, NONE, 28),
        # A calendar without working days has no streak (and terminates)
        ({mar(9), mar(10)}, mar(11), WorkCalendar(workdays=frozenset()), NONE, 0),
    ],
)
def test_streak(
    logged: set[date], today: date, calendar: WorkCalendar, away: frozenset[date], expected: int
) -> None:
    assert streak(logged, today=today, calendar=calendar, away=away) == expected


def test_streak_is_bounded_by_the_first_log() -> None:
    """Walking back stops at the earliest log, so an old first entry is cheap and exact."""
    first = date(2020, 1, 1)
    logged = {first + timedelta(days=i) for i in range(0, 3000)}
    today = first + timedelta(days=2999)
    expected = len(MON_FRI.working_days(first, today))
    assert streak(logged, today=today, calendar=MON_FRI) == expected
