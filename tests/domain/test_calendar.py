"""Local dates, DST edges, period bounds and working days, as tables of hand-computed cases."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, timezone

import pytest

from bot.domain.calendar import (
    WorkCalendar,
    days,
    local_date,
    local_datetime,
    period_bounds,
    previous_period,
    to_utc,
)
from bot.domain.types import Period

NY = "America/New_York"
LA = "America/Los_Angeles"
BERLIN = "Europe/Berlin"
TOKYO = "Asia/Tokyo"
KOLKATA = "Asia/Kolkata"
CHATHAM = "Pacific/Chatham"

SUN_THU = frozenset({6, 0, 1, 2, 3})
PLUS_0530 = timezone(timedelta(hours=5, minutes=30))


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


# ---------------------------------------------------------------- local_date / local_datetime


@pytest.mark.parametrize(
    ("now", "tz", "expected"),
    [
        # New York, EST (-05:00) and EDT (-04:00)
        (utc(2026, 1, 15, 4, 59), NY, date(2026, 1, 14)),
        (utc(2026, 1, 15, 5, 0), NY, date(2026, 1, 15)),
        (utc(2026, 7, 1, 3, 59), NY, date(2026, 6, 30)),
        (utc(2026, 7, 1, 4, 0), NY, date(2026, 7, 1)),
        # Los Angeles, PST (-08:00) and PDT (-07:00)
        (utc(2026, 1, 15, 7, 59), LA, date(2026, 1, 14)),
        (utc(2026, 1, 15, 8, 0), LA, date(2026, 1, 15)),
        (utc(2026, 7, 15, 6, 59), LA, date(2026, 7, 14)),
        (utc(2026, 7, 15, 7, 0), LA, date(2026, 7, 15)),
        # Berlin, CET (+01:00) and CEST (+02:00)
        (utc(2026, 1, 14, 22, 59), BERLIN, date(2026, 1, 14)),
        (utc(2026, 1, 14, 23, 0), BERLIN, date(2026, 1, 15)),
        (utc(2026, 7, 14, 21, 59), BERLIN, date(2026, 7, 14)),
        (utc(2026, 7, 14, 22, 0), BERLIN, date(2026, 7, 15)),
        # Tokyo (+09:00, no DST)
        (utc(2026, 1, 14, 14, 59), TOKYO, date(2026, 1, 14)),
        (utc(2026, 1, 14, 15, 0), TOKYO, date(2026, 1, 15)),
        # Kolkata (+05:30)
        (utc(2026, 1, 14, 18, 29), KOLKATA, date(2026, 1, 14)),
        (utc(2026, 1, 14, 18, 30), KOLKATA, date(2026, 1, 15)),
        # Chatham: +13:45 in the southern summer, +12:45 in winter
        (utc(2026, 1, 14, 10, 14), CHATHAM, date(2026, 1, 14)),
        (utc(2026, 1, 14, 10, 15), CHATHAM, date(2026, 1, 15)),
        (utc(2026, 7, 14, 11, 14), CHATHAM, date(2026, 7, 14)),
        (utc(2026, 7, 14, 11, 15), CHATHAM, date(2026, 7, 15)),
        # Across the new year, both directions
        (utc(2026, 12, 31, 15, 0), TOKYO, date(2027, 1, 1)),
        (utc(2027, 1, 1, 3, 0), NY, date(2026, 12, 31)),
        (utc(2026, 12, 31, 10, 15), CHATHAM, date(2027, 1, 1)),
        # US spring forward 2026-03-08 (07:00 UTC): midnight is EST before, EDT after
        (utc(2026, 3, 8, 4, 59), NY, date(2026, 3, 7)),
        (utc(2026, 3, 8, 5, 0), NY, date(2026, 3, 8)),
        (utc(2026, 3, 9, 3, 59), NY, date(2026, 3, 8)),
        (utc(2026, 3, 9, 4, 0), NY, date(2026, 3, 9)),
        # US fall back 2026-11-01 (06:00 UTC): midnight is EDT before, EST after
        (utc(2026, 11, 1, 3, 59), NY, date(2026, 10, 31)),
        (utc(2026, 11, 1, 4, 0), NY, date(2026, 11, 1)),
        (utc(2026, 11, 2, 4, 59), NY, date(2026, 11, 1)),
        (utc(2026, 11, 2, 5, 0), NY, date(2026, 11, 2)),
        # EU spring forward 2026-03-29 (01:00 UTC)
        (utc(2026, 3, 28, 22, 59), BERLIN, date(2026, 3, 28)),
        (utc(2026, 3, 28, 23, 0), BERLIN, date(2026, 3, 29)),
        (utc(2026, 3, 29, 21, 59), BERLIN, date(2026, 3, 29)),
        (utc(2026, 3, 29, 22, 0), BERLIN, date(2026, 3, 30)),
        # EU fall back 2026-10-25 (01:00 UTC)
        (utc(2026, 10, 24, 21, 59), BERLIN, date(2026, 10, 24)),
        (utc(2026, 10, 24, 22, 0), BERLIN, date(2026, 10, 25)),
        (utc(2026, 10, 25, 22, 59), BERLIN, date(2026, 10, 25)),
        (utc(2026, 10, 25, 23, 0), BERLIN, date(2026, 10, 26)),
        # An aware `now` in another zone is the same instant (05:30 UTC → 00:30 EST on the 15th)
        (datetime(2026, 1, 15, 11, 0, tzinfo=PLUS_0530), NY, date(2026, 1, 15)),
        (datetime(2026, 1, 15, 10, 0, tzinfo=PLUS_0530), NY, date(2026, 1, 14)),
    ],
)
def test_local_date(now: datetime, tz: str, expected: date) -> None:
    assert local_date(now, tz) == expected


@pytest.mark.parametrize(
    ("now", "tz", "wall", "offset"),
    [
        (utc(2026, 1, 15, 12, 0), NY, datetime(2026, 1, 15, 7, 0), timedelta(hours=-5)),
        (utc(2026, 7, 15, 12, 0), NY, datetime(2026, 7, 15, 8, 0), timedelta(hours=-4)),
        # Just before / at the US spring-forward instant: 01:59 EST, then 03:00 EDT
        (utc(2026, 3, 8, 6, 59), NY, datetime(2026, 3, 8, 1, 59), timedelta(hours=-5)),
        (utc(2026, 3, 8, 7, 0), NY, datetime(2026, 3, 8, 3, 0), timedelta(hours=-4)),
        # 01:30 happens twice on the US fall-back day
        (utc(2026, 11, 1, 5, 30), NY, datetime(2026, 11, 1, 1, 30), timedelta(hours=-4)),
        (utc(2026, 11, 1, 6, 30), NY, datetime(2026, 11, 1, 1, 30), timedelta(hours=-5)),
        # EU: 01:00 UTC is 03:00 CEST in spring and 02:00 CET in autumn
        (utc(2026, 3, 29, 1, 0), BERLIN, datetime(2026, 3, 29, 3, 0), timedelta(hours=2)),
        (utc(2026, 10, 25, 0, 30), BERLIN, datetime(2026, 10, 25, 2, 30), timedelta(hours=2)),
        (utc(2026, 10, 25, 1, 30), BERLIN, datetime(2026, 10, 25, 2, 30), timedelta(hours=1)),
        (utc(2026, 1, 15, 0, 0), KOLKATA, datetime(2026, 1, 15, 5, 30), timedelta(hours=5, minutes=30)),
        (utc(2026, 1, 15, 0, 0), CHATHAM, datetime(2026, 1, 15, 13, 45), timedelta(hours=13, minutes=45)),
        (utc(2026, 7, 15, 0, 0), CHATHAM, datetime(2026, 7, 15, 12, 45), timedelta(hours=12, minutes=45)),
    ],
)
def test_local_datetime(now: datetime, tz: str, wall: datetime, offset: timedelta) -> None:
    local = local_datetime(now, tz)
    assert local.replace(tzinfo=None) == wall
    assert local.utcoffset() == offset
    # The same instant, only shown differently. (Not `local == now`: PEP 495 makes inter-zone
    # comparisons of ambiguous times always unequal.)
    assert local.timestamp() == now.timestamp()


@pytest.mark.parametrize("fn", [local_date, local_datetime])
def test_naive_now_is_refused(fn) -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        fn(datetime(2026, 1, 15, 12, 0), NY)


# ---------------------------------------------------------------- to_utc


@pytest.mark.parametrize(
    ("day", "at", "tz", "expected"),
    [
        # New York around spring forward (2026-03-08, 02:00 EST → 03:00 EDT)
        (date(2026, 3, 7), time(9), NY, utc(2026, 3, 7, 14, 0)),
        (date(2026, 3, 8), time(9), NY, utc(2026, 3, 8, 13, 0)),
        (date(2026, 3, 8), time(1, 59), NY, utc(2026, 3, 8, 6, 59)),
        (date(2026, 3, 8), time(2, 0), NY, utc(2026, 3, 8, 7, 0)),  # gap start → 03:00 EDT
        (date(2026, 3, 8), time(2, 30), NY, utc(2026, 3, 8, 7, 30)),  # gap → 03:30 EDT
        (date(2026, 3, 8), time(3, 0), NY, utc(2026, 3, 8, 7, 0)),
        # New York around fall back (2026-11-01, 02:00 EDT → 01:00 EST)
        (date(2026, 10, 31), time(9), NY, utc(2026, 10, 31, 13, 0)),
        (date(2026, 11, 1), time(0, 30), NY, utc(2026, 11, 1, 4, 30)),
        (date(2026, 11, 1), time(1, 30), NY, utc(2026, 11, 1, 5, 30)),  # ambiguous → first (EDT)
        (date(2026, 11, 1), time(1, 30, fold=1), NY, utc(2026, 11, 1, 5, 30)),  # fold on `at` ignored
        (date(2026, 11, 1), time(2, 0), NY, utc(2026, 11, 1, 7, 0)),
        (date(2026, 11, 1), time(9), NY, utc(2026, 11, 1, 14, 0)),
        # Los Angeles spring forward; 17:00 PDT is already tomorrow in UTC
        (date(2026, 3, 8), time(2, 30), LA, utc(2026, 3, 8, 10, 30)),
        (date(2026, 3, 8), time(17), LA, utc(2026, 3, 9, 0, 0)),
        (date(2026, 3, 7), time(17), LA, utc(2026, 3, 8, 1, 0)),
        # Berlin around spring forward (2026-03-29, 02:00 CET → 03:00 CEST)
        (date(2026, 3, 28), time(9), BERLIN, utc(2026, 3, 28, 8, 0)),
        (date(2026, 3, 29), time(9), BERLIN, utc(2026, 3, 29, 7, 0)),
        (date(2026, 3, 29), time(2, 30), BERLIN, utc(2026, 3, 29, 1, 30)),  # gap → 03:30 CEST
        # Berlin around fall back (2026-10-25, 03:00 CEST → 02:00 CET)
        (date(2026, 10, 24), time(9), BERLIN, utc(2026, 10, 24, 7, 0)),
        (date(2026, 10, 25), time(2, 30), BERLIN, utc(2026, 10, 25, 0, 30)),  # ambiguous → CEST
        (date(2026, 10, 25), time(9), BERLIN, utc(2026, 10, 25, 8, 0)),
        # Fixed offsets, and the previous UTC day
        (date(2026, 1, 15), time(9), TOKYO, utc(2026, 1, 15, 0, 0)),
        (date(2026, 1, 15), time(8, 59), TOKYO, utc(2026, 1, 14, 23, 59)),
        (date(2026, 1, 15), time(9), KOLKATA, utc(2026, 1, 15, 3, 30)),
        (date(2026, 1, 15), time(0), CHATHAM, utc(2026, 1, 14, 10, 15)),
        (date(2026, 7, 15), time(0), CHATHAM, utc(2026, 7, 14, 11, 15)),
        # Chatham springs forward 02:45 → 03:45 on 2026-09-27: 03:00 is in the gap → 04:00 +13:45
        (date(2026, 9, 27), time(3, 0), CHATHAM, utc(2026, 9, 26, 14, 15)),
    ],
)
def test_to_utc(day: date, at: time, tz: str, expected: datetime) -> None:
    result = to_utc(day, at, tz)
    assert result == expected
    assert result.utcoffset() == timedelta(0)


@pytest.mark.parametrize(
    ("day", "at", "tz", "wall"),
    [
        (date(2026, 3, 8), time(2, 30), NY, datetime(2026, 3, 8, 3, 30)),
        (date(2026, 3, 29), time(2, 15), BERLIN, datetime(2026, 3, 29, 3, 15)),
        (date(2026, 9, 27), time(3, 0), CHATHAM, datetime(2026, 9, 27, 4, 0)),
        (date(2026, 11, 1), time(1, 30), NY, datetime(2026, 11, 1, 1, 30)),
        (date(2026, 3, 9), time(9), NY, datetime(2026, 3, 9, 9, 0)),
    ],
)
def test_to_utc_wall_clock_after_round_trip(day: date, at: time, tz: str, wall: datetime) -> None:
    """A time in a gap lands after the gap; any other time reads back unchanged."""
    assert local_datetime(to_utc(day, at, tz), tz).replace(tzinfo=None) == wall


# ---------------------------------------------------------------- periods


@pytest.mark.parametrize(
    ("period", "day", "expected"),
    [
        (Period.DAY, date(2028, 2, 29), (date(2028, 2, 29), date(2028, 2, 29))),
        (Period.DAY, date(2026, 12, 31), (date(2026, 12, 31), date(2026, 12, 31))),
        # ISO weeks, Monday..Sunday
        (Period.WEEK, date(2026, 3, 9), (date(2026, 3, 9), date(2026, 3, 15))),  # Monday
        (Period.WEEK, date(2026, 3, 15), (date(2026, 3, 9), date(2026, 3, 15))),  # Sunday
        (Period.WEEK, date(2026, 1, 1), (date(2025, 12, 29), date(2026, 1, 4))),  # Thursday
        (Period.WEEK, date(2027, 1, 3), (date(2026, 12, 28), date(2027, 1, 3))),  # Sunday, new year
        (Period.WEEK, date(2028, 2, 29), (date(2028, 2, 28), date(2028, 3, 5))),  # leap day, Tuesday
        # Months, with leap years (2028, 2000) and a century non-leap year (2100)
        (Period.MONTH, date(2028, 2, 15), (date(2028, 2, 1), date(2028, 2, 29))),
        (Period.MONTH, date(2028, 2, 29), (date(2028, 2, 1), date(2028, 2, 29))),
        (Period.MONTH, date(2026, 2, 28), (date(2026, 2, 1), date(2026, 2, 28))),
        (Period.MONTH, date(2000, 2, 1), (date(2000, 2, 1), date(2000, 2, 29))),
        (Period.MONTH, date(2100, 2, 10), (date(2100, 2, 1), date(2100, 2, 28))),
        (Period.MONTH, date(2026, 1, 1), (date(2026, 1, 1), date(2026, 1, 31))),
        (Period.MONTH, date(2026, 4, 30), (date(2026, 4, 1), date(2026, 4, 30))),
        (Period.MONTH, date(2026, 12, 31), (date(2026, 12, 1), date(2026, 12, 31))),
        # Calendar quarters, first and last day of each
        (Period.QUARTER, date(2026, 1, 1), (date(2026, 1, 1), date(2026, 3, 31))),
        (Period.QUARTER, date(2026, 3, 31), (date(2026, 1, 1), date(2026, 3, 31))),
        (Period.QUARTER, date(2026, 4, 1), (date(2026, 4, 1), date(2026, 6, 30))),
        (Period.QUARTER, date(2026, 6, 30), (date(2026, 4, 1), date(2026, 6, 30))),
        (Period.QUARTER, date(2026, 7, 1), (date(2026, 7, 1), date(2026, 9, 30))),
        (Period.QUARTER, date(2026, 9, 30), (date(2026, 7, 1), date(2026, 9, 30))),
        (Period.QUARTER, date(2026, 10, 1), (date(2026, 10, 1), date(2026, 12, 31))),
        (Period.QUARTER, date(2026, 12, 31), (date(2026, 10, 1), date(2026, 12, 31))),
        (Period.QUARTER, date(2028, 2, 29), (date(2028, 1, 1), date(2028, 3, 31))),
    ],
)
def test_period_bounds(period: Period, day: date, expected: tuple[date, date]) -> None:
    assert period_bounds(period, day) == expected


@pytest.mark.parametrize(
    ("period", "day", "expected"),
    [
        (Period.DAY, date(2026, 3, 1), (date(2026, 2, 28), date(2026, 2, 28))),
        (Period.DAY, date(2028, 3, 1), (date(2028, 2, 29), date(2028, 2, 29))),
        (Period.DAY, date(2027, 1, 1), (date(2026, 12, 31), date(2026, 12, 31))),
        (Period.WEEK, date(2026, 1, 1), (date(2025, 12, 22), date(2025, 12, 28))),
        (Period.WEEK, date(2026, 1, 5), (date(2025, 12, 29), date(2026, 1, 4))),  # Monday
        (Period.WEEK, date(2026, 3, 15), (date(2026, 3, 2), date(2026, 3, 8))),  # Sunday
        (Period.MONTH, date(2026, 1, 15), (date(2025, 12, 1), date(2025, 12, 31))),
        (Period.MONTH, date(2028, 3, 31), (date(2028, 2, 1), date(2028, 2, 29))),
        (Period.MONTH, date(2026, 3, 1), (date(2026, 2, 1), date(2026, 2, 28))),
        (Period.QUARTER, date(2026, 1, 1), (date(2025, 10, 1), date(2025, 12, 31))),
        (Period.QUARTER, date(2026, 5, 20), (date(2026, 1, 1), date(2026, 3, 31))),
        (Period.QUARTER, date(2026, 12, 31), (date(2026, 7, 1), date(2026, 9, 30))),
    ],
)
def test_previous_period(period: Period, day: date, expected: tuple[date, date]) -> None:
    assert previous_period(period, day) == expected


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (date(2026, 3, 2), date(2026, 3, 2), [date(2026, 3, 2)]),
        (date(2026, 3, 2), date(2026, 3, 1), []),
        (date(2028, 2, 28), date(2028, 3, 1), [date(2028, 2, 28), date(2028, 2, 29), date(2028, 3, 1)]),
        (date(2026, 12, 31), date(2027, 1, 1), [date(2026, 12, 31), date(2027, 1, 1)]),
    ],
)
def test_days(start: date, end: date, expected: list[date]) -> None:
    assert days(start, end) == expected


# ---------------------------------------------------------------- WorkCalendar
# March 2026: the 1st is a Sunday, so Mon 2..Fri 6, Sat 7, Sun 8, Mon 9 …


@pytest.mark.parametrize(
    ("calendar", "day", "expected"),
    [
        (WorkCalendar(), date(2026, 3, 6), True),  # Friday
        (WorkCalendar(), date(2026, 3, 7), False),  # Saturday
        (WorkCalendar(), date(2026, 3, 8), False),  # Sunday
        (WorkCalendar(holidays=frozenset({date(2026, 3, 4)})), date(2026, 3, 4), False),
        (WorkCalendar(holidays=frozenset({date(2026, 3, 4)})), date(2026, 3, 5), True),
        (WorkCalendar(workdays=SUN_THU), date(2026, 3, 6), False),  # Friday
        (WorkCalendar(workdays=SUN_THU), date(2026, 3, 8), True),  # Sunday
        (WorkCalendar(workdays=SUN_THU), date(2026, 3, 5), True),  # Thursday
        (WorkCalendar(workdays=frozenset()), date(2026, 3, 4), False),
    ],
)
def test_is_working_day(calendar: WorkCalendar, day: date, expected: bool) -> None:
    assert calendar.is_working_day(day) is expected


@pytest.mark.parametrize(
    ("calendar", "start", "end", "expected"),
    [
        (WorkCalendar(), date(2026, 3, 2), date(2026, 3, 8), [date(2026, 3, d) for d in range(2, 7)]),
        (
            WorkCalendar(),
            date(2026, 3, 2),
            date(2026, 3, 15),
            [date(2026, 3, d) for d in (2, 3, 4, 5, 6, 9, 10, 11, 12, 13)],
        ),
        (
            WorkCalendar(holidays=frozenset({date(2026, 3, 4), date(2026, 3, 7)})),  # a Saturday holiday
            date(2026, 3, 2),
            date(2026, 3, 8),
            [date(2026, 3, d) for d in (2, 3, 5, 6)],
        ),
        (
            WorkCalendar(workdays=SUN_THU),
            date(2026, 3, 1),
            date(2026, 3, 7),
            [date(2026, 3, d) for d in range(1, 6)],
        ),
        (
            WorkCalendar(workdays=SUN_THU, holidays=frozenset({date(2026, 3, 1)})),
            date(2026, 3, 1),
            date(2026, 3, 8),
            [date(2026, 3, d) for d in (2, 3, 4, 5, 8)],
        ),
        (WorkCalendar(), date(2026, 3, 7), date(2026, 3, 8), []),
        (WorkCalendar(), date(2026, 3, 6), date(2026, 3, 2), []),
    ],
)
def test_working_days(calendar: WorkCalendar, start: date, end: date, expected: list[date]) -> None:
    assert calendar.working_days(start, end) == expected


US_2026 = frozenset(
    {
        date(2026, 9, 7),  # Labor Day (Monday)
        date(2026, 11, 26),  # Thanksgiving (Thursday)
        date(2026, 11, 27),  # and the Friday after
        date(2026, 12, 24),
        date(2026, 12, 25),
        date(2026, 12, 31),
        date(2027, 1, 1),
    }
)


@pytest.mark.parametrize(
    ("calendar", "day", "expected"),
    [
        (WorkCalendar(), date(2026, 3, 2), date(2026, 3, 3)),  # strictly after
        (WorkCalendar(), date(2026, 3, 6), date(2026, 3, 9)),  # over a weekend
        (WorkCalendar(), date(2026, 3, 7), date(2026, 3, 9)),  # from a Saturday
        (WorkCalendar(holidays=US_2026), date(2026, 9, 4), date(2026, 9, 8)),  # Labor Day weekend
        (WorkCalendar(holidays=US_2026), date(2026, 11, 25), date(2026, 11, 30)),  # Thanksgiving
        (WorkCalendar(holidays=US_2026), date(2026, 12, 23), date(2026, 12, 28)),  # Christmas
        (WorkCalendar(holidays=US_2026), date(2026, 12, 30), date(2027, 1, 4)),  # New Year
        (WorkCalendar(workdays=SUN_THU), date(2026, 3, 5), date(2026, 3, 8)),  # Thu → Sun
        (WorkCalendar(workdays=SUN_THU), date(2026, 3, 8), date(2026, 3, 9)),
        (WorkCalendar(workdays=frozenset({2})), date(2026, 3, 4), date(2026, 3, 11)),  # Wednesdays only
    ],
)
def test_next_working_day(calendar: WorkCalendar, day: date, expected: date) -> None:
    assert calendar.next_working_day(day) == expected


@pytest.mark.parametrize(
    ("calendar", "day", "expected"),
    [
        (WorkCalendar(), date(2026, 3, 4), date(2026, 3, 3)),
        (WorkCalendar(), date(2026, 3, 9), date(2026, 3, 6)),  # Monday → Friday
        (WorkCalendar(holidays=US_2026), date(2026, 9, 8), date(2026, 9, 4)),
        (WorkCalendar(holidays=US_2026), date(2027, 1, 4), date(2026, 12, 30)),
        (WorkCalendar(workdays=SUN_THU), date(2026, 3, 8), date(2026, 3, 5)),  # Sun → Thu
    ],
)
def test_previous_working_day(calendar: WorkCalendar, day: date, expected: date) -> None:
    assert calendar.previous_working_day(day) == expected


@pytest.mark.parametrize(
    ("calendar", "day"),
    [
        (WorkCalendar(workdays=frozenset()), date(2026, 3, 2)),
        (WorkCalendar(), date.max),
    ],
)
def test_next_working_day_none(calendar: WorkCalendar, day: date) -> None:
    with pytest.raises(ValueError, match="working"):
        calendar.next_working_day(day)


@pytest.mark.parametrize(
    ("calendar", "start", "end", "expected"),
    [
        (WorkCalendar(), date(2026, 3, 2), date(2026, 3, 6), date(2026, 3, 2)),
        (WorkCalendar(), date(2026, 3, 7), date(2026, 3, 8), None),
        (WorkCalendar(), date(2026, 3, 7), date(2026, 3, 10), date(2026, 3, 9)),
        (
            WorkCalendar(holidays=frozenset({date(2026, 3, 9)})),
            date(2026, 3, 7),
            date(2026, 3, 10),
            date(2026, 3, 10),
        ),
        (WorkCalendar(holidays=frozenset({date(2026, 3, 9)})), date(2026, 3, 7), date(2026, 3, 9), None),
        (WorkCalendar(workdays=SUN_THU), date(2026, 3, 6), date(2026, 3, 10), date(2026, 3, 8)),
        (
            WorkCalendar(holidays=US_2026),
            date(2026, 12, 1),
            date(2026, 12, 31),
            date(2026, 12, 1),
        ),  # month start
        (WorkCalendar(), date(2026, 3, 6), date(2026, 3, 2), None),  # empty range
    ],
)
def test_first_working_day(calendar: WorkCalendar, start: date, end: date, expected: date | None) -> None:
    assert calendar.first_working_day(start, end) == expected


@pytest.mark.parametrize("workdays", [{7}, {-1, 0}, {0, "mon"}])
def test_bad_workdays_are_refused(workdays: set) -> None:
    with pytest.raises(ValueError, match="workdays"):
        WorkCalendar(workdays=frozenset(workdays))


def test_plain_sets_are_stored_as_frozensets() -> None:
    calendar = WorkCalendar(workdays={0, 1}, holidays={date(2026, 3, 2)})  # type: ignore[arg-type]
    same = WorkCalendar(workdays=frozenset({0, 1}), holidays=frozenset({date(2026, 3, 2)}))
    assert isinstance(calendar.workdays, frozenset)
    assert isinstance(calendar.holidays, frozenset)
    assert calendar == same
    assert hash(calendar) == hash(same)
