"""Local dates, periods and working days.

Everything a rep or a team sees is in local time, so every question about "today", "this week" or
"the next working day" is answered here from an explicit instant and a timezone name. Nothing in
this module reads the clock: callers pass ``now`` / ``day`` in.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.domain.types import Period

__all__ = [
    "WorkCalendar",
    "days",
    "local_date",
    "local_datetime",
    "period_bounds",
    "previous_period",
    "to_utc",
]

_ONE_DAY = timedelta(days=1)
_MONDAY_TO_FRIDAY: frozenset[int] = frozenset({0, 1, 2, 3, 4})


def _zone(tz: str) -> ZoneInfo:
    """Resolve a zone name; ``ZoneInfo`` caches instances, so this is cheap to call repeatedly.

    An unknown name raises ``zoneinfo.ZoneInfoNotFoundError`` (a ``KeyError``): a bad timezone is a
    configuration error the caller must see, not something to paper over with UTC.
    """
    return ZoneInfo(tz)


def _require_aware(now: datetime) -> None:
    # A naive datetime would silently be taken as the *server's* local time: refuse it instead.
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("now must be a timezone-aware datetime")


def local_datetime(now: datetime, tz: str) -> datetime:
    """The aware wall-clock time in zone ``tz`` at the instant ``now`` (which must be aware)."""
    _require_aware(now)
    return now.astimezone(_zone(tz))


def local_date(now: datetime, tz: str) -> date:
    """The wall-clock date in zone ``tz`` at the instant ``now``: what "today" means to that person."""
    return local_datetime(now, tz).date()


def to_utc(day: date, at: time, tz: str) -> datetime:
    """The UTC instant at which the wall clock in ``tz`` shows ``day`` ``at``.

    Scheduling works in wall-clock terms ("09:00 team time"), so two edge cases need a rule:

    * A nonexistent time (inside a spring-forward gap) is moved forward by the length of the gap,
      i.e. it lands just after the gap at the same distance past the change: 02:30 on the US
      spring-forward day in New York becomes 03:30 EDT = 07:30 UTC. A job is never skipped.
    * An ambiguous time (repeated by a fall-back) takes its first occurrence (``fold=0``): 01:30 on
      the US fall-back day in New York is 01:30 EDT = 05:30 UTC. A job never runs twice.

    Both follow from PEP 495 ``fold=0`` semantics, which ``zoneinfo`` implements: in a gap the
    offset from before the transition is used, in a fold the first (earlier) offset.
    Any ``tzinfo`` on ``at`` is ignored: ``at`` is a wall-clock time in ``tz``.
    """
    wall = datetime.combine(day, at.replace(tzinfo=None, fold=0), tzinfo=_zone(tz))
    return wall.astimezone(UTC)


def period_bounds(period: Period, day: date) -> tuple[date, date]:
    """Inclusive first and last date of the ``period`` containing ``day``.

    Weeks are ISO weeks (Monday..Sunday) whatever the team's working days, so a week is the same
    seven dates for everyone; quarters are calendar quarters (Jan–Mar, Apr–Jun, Jul–Sep, Oct–Dec).
    """
    if period is Period.DAY:
        return day, day
    if period is Period.WEEK:
        start = day - timedelta(days=day.weekday())
        return start, start + timedelta(days=6)
    if period is Period.MONTH:
        return day.replace(day=1), _month_end(day.year, day.month)
    if period is Period.QUARTER:
        first_month = 3 * ((day.month - 1) // 3) + 1
        return date(day.year, first_month, 1), _month_end(day.year, first_month + 2)
    raise ValueError(f"unknown period: {period!r}")


def _month_end(year: int, month: int) -> date:
    # The day before the first of the next month: leap years come for free.
    if month == 12:
        return date(year, 12, 31)
    return date(year, month + 1, 1) - _ONE_DAY


def previous_period(period: Period, day: date) -> tuple[date, date]:
    """Bounds of the period just before the one containing ``day`` (e.g. "last week" for a standup)."""
    start, _ = period_bounds(period, day)
    return period_bounds(period, start - _ONE_DAY)


def days(start: date, end: date) -> list[date]:
    """Every date from ``start`` to ``end`` inclusive; empty when ``end`` is before ``start``."""
    return [start + timedelta(days=i) for i in range((end - start).days + 1)]


@dataclass(frozen=True)
class WorkCalendar:
    """A team's working days: weekdays it works (0 = Monday … 6 = Sunday) minus its holidays.

    Kept as a value so the same rules answer "is today a working day", "how many working days
    are in this month" and "when is the next check-in" consistently.
    """

    workdays: frozenset[int] = field(default=_MONDAY_TO_FRIDAY)
    holidays: frozenset[date] = field(default=frozenset())

    def __post_init__(self) -> None:
        # Accept any iterable (e.g. a set from a settings row) but store hashable frozensets.
        object.__setattr__(self, "workdays", frozenset(self.workdays))
        object.__setattr__(self, "holidays", frozenset(self.holidays))
        bad = sorted(d for d in self.workdays if not (isinstance(d, int) and 0 <= d <= 6))
        if bad:
            raise ValueError(f"workdays must be weekday numbers 0 (Monday) to 6 (Sunday), got {bad}")

    def is_working_day(self, day: date) -> bool:
        """True on a working weekday that isn't a holiday."""
        return day.weekday() in self.workdays and day not in self.holidays

    def working_days(self, start: date, end: date) -> list[date]:
        """The working days from ``start`` to ``end`` inclusive, in order."""
        return [d for d in days(start, end) if self.is_working_day(d)]

    def first_working_day(self, start: date, end: date) -> date | None:
        """The first working day in ``[start, end]``, or None when the range has none."""
        for d in days(start, end):
            if self.is_working_day(d):
                return d
        return None

    def next_working_day(self, day: date) -> date:
        """The first working day strictly after ``day``.

        Raises ValueError when there is none (no workdays at all, or the calendar runs off the end
        of ``date``). The loop always ends otherwise: holidays are finite, so among the next
        ``len(holidays) + 1`` workday weekdays at least one isn't a holiday.
        """
        if not self.workdays:
            raise ValueError("the calendar has no working weekdays")
        d = day
        try:
            while True:
                d += _ONE_DAY
                if self.is_working_day(d):
                    return d
        except OverflowError:
            raise ValueError(f"no working day after {day.isoformat()}") from None

    def previous_working_day(self, day: date) -> date:
        """The last working day strictly before ``day`` (e.g. "yesterday" in a Monday check-in).

        Raises ValueError when there is none, for the same reasons as ``next_working_day``.
        """
        if not self.workdays:
            raise ValueError("the calendar has no working weekdays")
        d = day
        try:
            while True:
                d -= _ONE_DAY
                if self.is_working_day(d):
                    return d
        except OverflowError:
            raise ValueError(f"no working day before {day.isoformat()}") from None
