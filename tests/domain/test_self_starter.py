"""The self-starter figures, as tables of hand-computed cases.

March 2026: Mon 2 – Fri 6, a weekend (the US springs forward on Sun 8), Mon 9 – Fri 13. The team
works Monday to Friday; check-ins come at 09:00 the rep's time.
"""

from __future__ import annotations

from datetime import date, datetime, time

import pytest

from bot.domain.calendar import WorkCalendar, to_utc
from bot.domain.self_starter import MISSED, PROMPTED, UNPROMPTED, SelfStarter, self_starter

NY, TOKYO, LONDON = "America/New_York", "Asia/Tokyo", "Europe/London"
MON_FRI = WorkCalendar()


def mar(day: int) -> date:
    return date(2026, 3, day)


MAR_2, MAR_9 = mar(2), mar(9)


def at(day: int, hhmm: str, tz: str = NY, month: int = 3) -> datetime:
    hh, mm = (int(x) for x in hhmm.split(":"))
    return to_utc(date(2026, month, day), time(hh, mm), tz)


def figures(
    entries: dict[date, datetime],
    nudges: list[datetime],
    *,
    joined: date = MAR_2,
    today: date = MAR_9,
    tz: str = NY,
    calendar: WorkCalendar = MON_FRI,
    away: frozenset[date] = frozenset(),
) -> tuple[int, int, int]:
    s = self_starter(
        first_entries=entries, nudges=nudges, joined=joined, today=today, tz=tz, calendar=calendar, away=away
    )
    return s.unprompted, s.logged, s.working_days


@pytest.mark.parametrize(
    ("case", "entries", "nudges", "expected"),
    [
        (
            "logged before the check-in each day: no nudge came",
            {mar(d): at(d, "08:15") for d in (2, 3, 4, 5, 6)},
            [],
            (5, 5, 5),
        ),
        (
            "a nudge sent before the first entry: logged, but prompted",
            {mar(3): at(3, "10:30")},
            [at(3, "09:00")],
            (0, 1, 4),  # Mon 2 (the day they joined) unlogged doesn't count; Tue–Fri do
        ),
        (
            "a nudge sent after the first entry (praise at noon) doesn't make it prompted",
            {mar(3): at(3, "08:40")},
            [at(3, "12:00")],
            (1, 1, 4),
        ),
        (
            "an entry at the very instant of the nudge was prompted",
            {mar(3): at(3, "09:00")},
            [at(3, "09:00")],
            (0, 1, 4),
        ),
        (
            "the first nudge of the day is the one that counts",
            {mar(3): at(3, "10:00")},
            [at(3, "11:00"), at(3, "09:00")],
            (0, 1, 4),
        ),
        (
            "a nudge on another day says nothing about this one",
            {mar(3): at(3, "10:00")},
            [at(2, "09:00"), at(4, "09:00")],
            (1, 1, 4),
        ),
        (
            "backfilled the next morning: logged, not self-started",
            {mar(3): at(4, "08:00")},
            [],
            (0, 1, 4),
        ),
        (
            "logged late the same evening, unprompted: self-started",
            {mar(3): at(3, "23:30")},
            [],
            (1, 1, 4),
        ),
        (
            "the day they joined counts once they logged on it",
            {mar(2): at(2, "16:00"), mar(3): at(3, "08:00")},
            [at(3, "09:00")],
            (2, 2, 5),
        ),
        (
            "today counts once it has an entry",
            {mar(9): at(9, "08:00")},
            [],
            (1, 1, 5),  # Tue 3 – Fri 6, and today
        ),
        (
            "a weekend entry is no working day",
            {mar(7): at(7, "10:00"), mar(8): at(8, "10:00")},
            [],
            (0, 0, 4),
        ),
    ],
)
def test_the_days_judged_logged_and_self_started(case, entries, nudges, expected) -> None:
    assert figures(entries, nudges) == expected, case


def test_each_day_judged_says_how() -> None:
    entries = {mar(3): at(3, "08:00"), mar(4): at(4, "10:00"), mar(6): at(9, "08:00")}
    s = self_starter(
        first_entries=entries, nudges=[at(4, "09:00")], joined=mar(2), today=mar(9), tz=NY, calendar=MON_FRI
    )
    assert s.days == ((mar(3), UNPROMPTED), (mar(4), PROMPTED), (mar(5), MISSED), (mar(6), PROMPTED))


def test_away_days_and_holidays_are_not_judged() -> None:
    entries = {mar(5): at(5, "08:00")}
    holiday = WorkCalendar(holidays=frozenset({mar(4)}))
    assert figures(entries, [], calendar=holiday, away=frozenset({mar(3)})) == (1, 1, 2)  # Thu 5, Fri 6


def test_a_rep_in_tokyo_on_a_new_york_team_is_judged_on_tokyo_days() -> None:
    # 08:30 Tuesday in Tokyo is 18:30 Monday in New York: the entry is Tuesday's, and made that day.
    entries = {mar(3): at(3, "08:30", TOKYO)}
    nudges = [at(3, "09:00", TOKYO), at(4, "09:00", TOKYO)]
    assert figures(entries, nudges, tz=TOKYO) == (1, 1, 4)
    # Read on New York's clock the same entry would be made the day before: not self-started.
    assert figures(entries, nudges, tz=NY) == (0, 1, 4)


def test_a_tokyo_saturday_morning_is_a_weekend_though_new_york_still_has_friday() -> None:
    saturday = {mar(7): at(7, "08:00", TOKYO)}  # Friday 19:00 in New York
    assert figures(saturday, [], tz=TOKYO) == (0, 0, 4)


def test_across_the_spring_forward_the_local_day_still_starts_at_local_midnight() -> None:
    # Mon 9 Mar 00:30 EDT is 04:30 UTC: on a fixed EST offset it would still be Sunday.
    entries = {mar(9): at(9, "00:30"), mar(10): at(10, "08:59")}
    nudges = [at(9, "09:00"), at(10, "09:00")]
    assert figures(entries, nudges, joined=mar(9), today=mar(11)) == (2, 2, 2)


def test_across_the_fall_back_in_london() -> None:
    # Sun 25 Oct 2026 the UK falls back; Mon 26 08:50 GMT is 08:50 UTC, before the 09:00 nudge.
    oct26 = date(2026, 10, 26)
    entries = {oct26: at(26, "08:50", LONDON, month=10)}
    nudges = [at(26, "09:00", LONDON, month=10)]
    s = self_starter(
        first_entries=entries,
        nudges=nudges,
        joined=date(2026, 10, 23),
        today=date(2026, 10, 27),
        tz=LONDON,
        calendar=MON_FRI,
    )
    assert (s.unprompted, s.logged, s.working_days) == (1, 1, 1)


def test_nothing_to_judge_yet() -> None:
    s = self_starter(first_entries={}, nudges=[], joined=mar(9), today=mar(9), tz=NY, calendar=MON_FRI)
    assert s == SelfStarter(0, 0, 0)
    assert s.unprompted_share is None and s.logged_share is None


def test_shares_and_payload() -> None:
    s = SelfStarter(working_days=10, logged=9, unprompted=8)
    assert (s.unprompted_share, s.logged_share) == (0.8, 0.9)
    assert s.as_payload() == {"working_days": 10, "logged": 9, "unprompted": 8}
