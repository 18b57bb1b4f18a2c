"""The attention policy, as a table: one person, their pending items, what they already got, an instant."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.domain import attention as att
from bot.domain.calendar import WorkCalendar
from bot.domain.types import Cadence

NY, BERLIN, LA = "America/New_York", "Europe/Berlin", "America/Los_Angeles"
WEEK = WorkCalendar(holidays=frozenset({date(2026, 11, 26)}))  # Mon–Fri, Thanksgiving off


def at(day: str, hhmm: str, tz: str) -> datetime:
    d = date.fromisoformat(day)
    hh, mm = (int(x) for x in hhmm.split(":"))
    return datetime.combine(d, time(hh, mm), tzinfo=ZoneInfo(tz)).astimezone(UTC)


def rep(tz: str = NY, cadence: Cadence = Cadence.DAILY, **kw) -> att.Person:
    return att.Person(
        user_id="U0REP", tz=tz, role=att.REP, calendar=WEEK, cadence=cadence, first_at=time(9), **kw
    )


def manager(tz: str = NY, **kw) -> att.Person:
    return att.Person(user_id="U0BOSS", tz=tz, role=att.MANAGER, calendar=WEEK, **kw)


_ids = iter(range(1, 10_000))


def item(kind: str, came_due: datetime, **kw) -> att.Item:
    return att.Item(id=next(_ids), kind=kind, came_due=came_due, **kw)


def kinds(decision: att.Decision, items: list[att.Item]) -> list[str]:
    by_id = {i.id: i.kind for i in items}
    return [by_id[i] for i in decision.send]


# --- local hours -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("tz", "local_now", "sends"),
    [
        pytest.param(BERLIN, "23:00", False, id="berlin-at-23h-waits"),
        pytest.param(BERLIN, "07:59", False, id="before-the-window"),
        pytest.param(BERLIN, "08:30", False, id="before-the-reps-checkin-time"),
        pytest.param(BERLIN, "09:00", True, id="at-the-checkin-time"),
        pytest.param(BERLIN, "17:59", True, id="last-minute"),
        pytest.param(BERLIN, "18:00", False, id="window-closed"),
        pytest.param(NY, "03:10", False, id="ny-at-03h10-waits"),
    ],
)
def test_a_rep_hears_only_inside_their_own_hours(tz: str, local_now: str, sends: bool) -> None:
    now = at("2026-11-18", local_now, tz)
    items = [item("stage_change", now - timedelta(minutes=1))]
    decision = att.decide(rep(tz), items, [], now)
    assert bool(decision.send) is sends
    if not sends:
        assert decision.hold[items[0].id] > now  # waits, is not lost
        held_local = decision.hold[items[0].id].astimezone(ZoneInfo(tz))
        assert held_local.time() == time(9) and held_local.weekday() < 5


def test_a_held_item_waits_for_the_next_working_day_over_a_weekend_and_a_holiday() -> None:
    now = at("2026-11-25", "17:00", NY)  # Wednesday before Thanksgiving; the day's DM already went
    items = [item("back_on_track", now)]
    got = [att.Received(at("2026-11-25", "09:00", NY), att.DAY)]
    decision = att.decide(rep(), items, got, now)
    assert decision.hold[items[0].id] == at("2026-11-27", "09:00", NY)  # Friday: Thursday is off


def test_chosen_hours_are_the_window() -> None:
    person = rep(BERLIN, hours=(time(10), time(16)))
    items = [item("stage_change", at("2026-11-18", "06:00", BERLIN))]
    assert not att.decide(person, items, [], at("2026-11-18", "09:30", BERLIN)).send
    assert att.decide(person, items, [], at("2026-11-18", "10:00", BERLIN)).send
    assert not att.decide(person, items, [], at("2026-11-18", "16:00", BERLIN)).send


def test_away_days_are_not_windows() -> None:
    person = rep(away=frozenset({date(2026, 11, 18), date(2026, 11, 19)}))
    items = [item("stage_change", at("2026-11-18", "00:05", NY))]
    decision = att.decide(person, items, [], at("2026-11-18", "10:00", NY))
    assert decision.hold[items[0].id] == at("2026-11-20", "09:00", NY)


def test_checkin_hour_is_held_inside_the_hours() -> None:
    assert att.checkin_time(7) == time(8)
    assert att.checkin_time(9) == time(9)
    assert att.checkin_time(20) == time(17)  # the window closes at 18:00: an hour to read it
    assert att.checkin_time(7, (time(9), time(17))) == time(9)


# --- staleness -----------------------------------------------------------------------------------


def test_a_checkin_is_dropped_once_its_day_has_gone() -> None:
    checkin = item("checkin", at("2026-11-18", "09:00", NY), day=date(2026, 11, 18))
    got_today = [att.Received(at("2026-11-18", "09:00", NY), att.DAY)]
    decision = att.decide(rep(), [checkin], got_today, at("2026-11-18", "09:05", NY))
    assert checkin.id in decision.drop and not decision.hold
    late = att.decide(rep(), [checkin], [], at("2026-11-18", "18:30", NY))
    assert checkin.id in late.drop


def test_other_items_stay_relevant_three_working_days() -> None:
    came = at("2026-11-20", "17:00", NY)  # Friday
    back = item("back_on_track", came)
    # Fri (still open), Mon, Tue: stale after Tuesday's window.
    assert att.stale_at(rep(), back) == at("2026-11-24", "18:00", NY)
    assert back.id in att.decide(rep(), [back], [], at("2026-11-25", "09:00", NY)).drop


def test_muted_kudos_are_dropped_not_held() -> None:
    kudos = item("kudos", at("2026-11-18", "17:00", NY), milestone=True)
    decision = att.decide(rep(mute_kudos=True), [kudos], [], at("2026-11-18", "17:05", NY))
    assert decision.drop[kudos.id].startswith("muted")


# --- one a day, merged in order -------------------------------------------------------------------


def test_same_day_items_merge_into_one_message_in_reading_order() -> None:
    now = at("2026-11-23", "09:00", NY)
    items = [
        item("kudos", at("2026-11-20", "17:00", NY)),
        item("checkin", now, day=date(2026, 11, 23)),
        item("stage_change", at("2026-11-23", "00:05", NY)),
    ]
    decision = att.decide(rep(), items, [], now)
    assert kinds(decision, items) == ["stage_change", "checkin", "kudos"]
    assert decision.slot == att.DAY and not decision.hold and not decision.drop


def test_a_rep_gets_one_unprompted_message_a_day() -> None:
    now = at("2026-11-18", "17:00", NY)
    items = [item("back_on_track", now), item("kudos", now, milestone=True)]
    got = [att.Received(at("2026-11-18", "09:00", NY), att.DAY)]
    decision = att.decide(rep(), items, got, now)
    assert not decision.send
    assert set(decision.hold.values()) == {at("2026-11-19", "09:00", NY)}


def test_weekly_praise_never_starts_a_message() -> None:
    now = at("2026-11-18", "17:00", NY)
    kudos = item("kudos", now)  # a weekly goal reached
    decision = att.decide(rep(), [kudos], [], now)
    assert not decision.send and kudos.id in decision.hold


# --- the stage sets the volume ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cadence", "last", "now", "sends"),
    [
        pytest.param(Cadence.DAILY, "2026-11-17", "2026-11-18", True, id="onboarding-next-day"),
        pytest.param(Cadence.WEEKLY, "2026-11-16", "2026-11-18", False, id="steady-same-week"),
        pytest.param(Cadence.WEEKLY, "2026-11-13", "2026-11-16", True, id="steady-next-week"),
        pytest.param(Cadence.MONTHLY, "2026-11-02", "2026-11-30", False, id="autonomous-same-month"),
        pytest.param(Cadence.MONTHLY, "2026-11-30", "2026-12-01", True, id="autonomous-next-month"),
    ],
)
def test_the_cadence_is_a_budget_for_every_kind(cadence: Cadence, last: str, now: str, sends: bool) -> None:
    instant = at(now, "10:00", NY)
    back = item("back_on_track", instant)
    got = [att.Received(at(last, "09:00", NY), att.DAY)]
    decision = att.decide(rep(cadence=cadence), [back], got, instant)
    assert bool(decision.send) is sends


def test_milestone_praise_may_exceed_the_budget_but_not_the_day() -> None:
    instant = at("2026-11-18", "10:00", NY)
    milestone = item("kudos", instant, milestone=True)
    week_used = [att.Received(at("2026-11-16", "09:00", NY), att.DAY)]
    assert att.decide(rep(cadence=Cadence.WEEKLY), [milestone], week_used, instant).send
    today_used = [att.Received(at("2026-11-18", "09:00", NY), att.DAY)]
    assert not att.decide(rep(cadence=Cadence.WEEKLY), [milestone], today_used, instant).send


def test_a_new_stage_starts_a_new_budget() -> None:
    instant = at("2026-11-18", "10:00", NY)
    change = item("stage_change", instant)
    week_used = [att.Received(at("2026-11-16", "09:00", NY), att.DAY)]
    person = rep(cadence=Cadence.MONTHLY, stage_since=at("2026-11-17", "00:05", NY))
    assert att.decide(person, [change], week_used, instant).send


# --- managers: a morning digest and one alert -----------------------------------------------------


def test_a_managers_morning_digest_carries_everything_held_overnight() -> None:
    now = at("2026-11-23", "08:00", NY)
    items = [
        item("one_on_one", at("2026-11-23", "00:00", NY)),
        item("one_on_one", at("2026-11-23", "00:00", NY)),
        item("quiet", at("2026-11-20", "17:00", NY)),
        item("stage_change", at("2026-11-23", "00:05", NY)),
    ]
    decision = att.decide(manager(), items, [], now)
    assert kinds(decision, items) == ["stage_change", "one_on_one", "one_on_one", "quiet"]
    assert decision.slot == att.DIGEST


def test_after_the_digest_only_one_alert_message_and_the_rest_waits_for_tomorrow() -> None:
    now = at("2026-11-23", "17:00", NY)
    alert, quiet = item("quota_alert", now), item("quiet", now)
    digest = [att.Received(at("2026-11-23", "08:00", NY), att.DIGEST)]
    decision = att.decide(manager(), [alert, quiet], digest, now)
    assert decision.send == (alert.id,) and decision.slot == att.ALERT
    assert decision.hold[quiet.id] == at("2026-11-24", "08:00", NY)
    both = [*digest, att.Received(now, att.ALERT)]
    later = att.decide(manager(), [item("back_on_track", now)], both, now + timedelta(minutes=5))
    assert not later.send and later.hold


def test_a_los_angeles_manager_of_a_berlin_rep_hears_in_los_angeles_hours() -> None:
    # The rep's quota alert comes due at 17:00 in Berlin: 08:00 in Los Angeles.
    alert = item("quota_alert", at("2026-11-18", "17:00", BERLIN))
    assert not att.decide(manager(LA), [alert], [], at("2026-11-18", "07:30", LA)).send
    assert att.decide(manager(LA), [alert], [], at("2026-11-18", "08:00", LA)).send
