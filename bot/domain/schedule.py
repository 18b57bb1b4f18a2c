"""What is due, and when: the clock's rules as pure functions of facts and an instant.

The clock asks one question — "what came due in (since, now]?" — and everything here answers it from
plain values, so any instant can be tested without waiting for it. An occurrence older than the
misfire grace is *missed*, never sent late: a check-in six hours late is micromanagement, not help.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from bot.domain.calendar import WorkCalendar, local_date, period_bounds, to_utc
from bot.domain.types import Cadence, Period, Stage

EVALUATION_TIME = time(17, 0)  # quota alerts and kudos: the end of each working day, team time
MEETING_REMINDER = timedelta(minutes=15)  # the team meeting's reminder, before it starts

# PRODUCT.md "Nobody goes unnoticed": working days with nothing logged before a rep counts as quiet.
QUIET_AFTER: dict[Stage, int] = {
    Stage.ONBOARDING: 3,
    Stage.SUPPORT: 3,
    Stage.STEADY: 5,
    Stage.AUTONOMOUS: 10,
}

ONE_ON_ONE_EVERY: dict[Stage, Period | str] = {
    Stage.ONBOARDING: Period.WEEK,
    Stage.SUPPORT: Period.WEEK,
    Stage.STEADY: "fortnight",
    Stage.AUTONOMOUS: Period.MONTH,
}


@dataclass(frozen=True)
class Window:
    """The stretch of time one clock run covers, and how late is too late."""

    since: datetime
    now: datetime
    grace: timedelta

    def contains(self, instant: datetime) -> bool:
        return self.since < instant <= self.now

    def is_missed(self, instant: datetime) -> bool:
        return self.now - instant > self.grace

    def local_days(self, tz: str) -> list[date]:
        """Every local date in ``tz`` the window touches (a window may span days after an outage)."""
        first, last = local_date(self.since, tz), local_date(self.now, tz)
        return [first + timedelta(days=i) for i in range((last - first).days + 1)]


@dataclass(frozen=True)
class Occurrence:
    """One scheduled thing at one instant; ``period`` is its part of the natural key."""

    kind: str
    period: str
    at: datetime
    day: date


def is_checkin_day(
    *, day: date, cadence: Cadence, calendar: WorkCalendar, away: frozenset[date] = frozenset()
) -> bool:
    """Daily: every working day the rep is not away. Weekly/monthly: the first such day of the week/month."""
    if not calendar.is_working_day(day) or day in away:
        return False
    if cadence is Cadence.DAILY:
        return True
    start, _ = period_bounds(Period.WEEK if cadence is Cadence.WEEKLY else Period.MONTH, day)
    return all(not calendar.is_working_day(d) or d in away for d in _range(start, day - timedelta(days=1)))


def checkins(
    *,
    window: Window,
    tz: str,
    at: time,
    cadence: Cadence,
    calendar: WorkCalendar,
    away: frozenset[date] = frozenset(),
) -> Iterator[Occurrence]:
    """Check-in DMs for one rep whose instant falls in the window (at most one per local day), at
    ``at`` local time (their check-in hour held inside their message hours)."""
    for day in window.local_days(tz):
        instant = to_utc(day, at, tz)
        if window.contains(instant) and is_checkin_day(
            day=day, cadence=cadence, calendar=calendar, away=away
        ):
            yield Occurrence("checkin", day.isoformat(), instant, day)


def standups(
    *, window: Window, tz: str, weekday: int, at: time, calendar: WorkCalendar
) -> Iterator[Occurrence]:
    """The weekly standup, on the team's day and time, unless that day is not a working day."""
    for day in window.local_days(tz):
        if day.weekday() != weekday or not calendar.is_working_day(day):
            continue
        instant = to_utc(day, at, tz)
        if window.contains(instant):
            yield Occurrence("standup", week_key(day), instant, day)


def one_on_one_rounds(
    *, window: Window, tz: str, weekday: int, calendar: WorkCalendar
) -> Iterator[Occurrence]:
    """The day of each 1:1 round (the standup's weekday, if a working day), while that day lasts.

    Unlike an instant, a round stays due all day in ``tz``: whichever run first sees the day plans
    it, so a clock that starts late in the morning still prompts the managers."""
    for day in window.local_days(tz):
        if day.weekday() != weekday or not calendar.is_working_day(day):
            continue
        start = to_utc(day, time(0, 0), tz)
        if start <= window.now and local_date(window.now, tz) == day:
            # Due from when this run found it: a round planned mid-morning is not "late".
            yield Occurrence("one_on_one", week_key(day), max(start, window.now - window.grace / 2), day)


def meeting_reminders(
    *, window: Window, tz: str, weekday: int, at: time, calendar: WorkCalendar
) -> Iterator[Occurrence]:
    """The team meeting's reminder, ``MEETING_REMINDER`` before the meeting (on the team's day and
    time, in its zone, daylight saving included), unless the meeting's day is not a working day.

    The period is the meeting's local date: a meeting just after midnight is reminded the evening
    before, and still keyed by its own day."""
    days = window.local_days(tz)
    for day in [*days, days[-1] + timedelta(days=1)]:  # a reminder may fall on the day before
        if day.weekday() != weekday or not calendar.is_working_day(day):
            continue
        instant = to_utc(day, at, tz) - MEETING_REMINDER
        if window.contains(instant):
            yield Occurrence("meeting", day.isoformat(), instant, day)


def evaluations(*, window: Window, tz: str, calendar: WorkCalendar) -> Iterator[Occurrence]:
    """End-of-day evaluations (alerts, kudos) at 17:00 team time on working days."""
    for day in window.local_days(tz):
        if not calendar.is_working_day(day):
            continue
        instant = to_utc(day, EVALUATION_TIME, tz)
        if window.contains(instant):
            yield Occurrence("evaluation", day.isoformat(), instant, day)


def week_key(day: date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def period_key(period: Period, day: date) -> str:
    """A stable name for the period containing ``day``: 2026-11-27, 2026-W48, 2026-11, 2026-Q4."""
    if period is Period.DAY:
        return day.isoformat()
    if period is Period.WEEK:
        return week_key(day)
    if period is Period.MONTH:
        return f"{day.year}-{day.month:02d}"
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def one_on_one_key(stage: Stage, day: date) -> str:
    """The 1:1 prompt's period for a rep's stage: weekly, every two ISO weeks, or monthly."""
    every = ONE_ON_ONE_EVERY[stage]
    if every == "fortnight":
        year, week, _ = day.isocalendar()
        return f"{year}-F{(week - 1) // 2 + 1:02d}"
    return period_key(every, day)  # type: ignore[arg-type]


def is_quota_alert(*, pace: float | None, elapsed_share: float, threshold: float = 0.7) -> bool:
    """PRODUCT.md: pace below 70 % with at least a quarter of the period gone."""
    return pace is not None and elapsed_share >= 0.25 and pace < threshold


def quiet_days(
    *, last_logged: date | None, today: date, calendar: WorkCalendar, away: frozenset[date]
) -> int:
    """Working, non-away days up to and including ``today`` since the rep last logged anything."""
    count = 0
    day = today
    for _ in range(60):
        if last_logged is not None and day <= last_logged:
            break
        if calendar.is_working_day(day) and day not in away:
            count += 1
        day -= timedelta(days=1)
    return count


def _range(start: date, end: date) -> list[date]:
    return [start + timedelta(days=i) for i in range((end - start).days + 1)] if end >= start else []
