"""The clock, as scenarios: a team over New York, Los Angeles and Berlin, run hour by hour through a
month, with daylight saving, a public holiday, an away week and a rep removed mid-week."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.store.models import Outbox
from tests.clock.conftest import BERLIN, BOSS, LA, NY, ZONES, W, hours


def local(sent, user) -> datetime:
    return sent.at.astimezone(ZoneInfo(ZONES[user]))


def test_a_month_of_check_ins_arrives_at_nine_local_on_working_days_only(spread_team, tick, sender) -> None:
    # November 2026: US clocks fall back on the 1st (EU already did on 25 Oct); Thanksgiving on the 26th.
    spread_team.teams.team(workspace_id=W, user_id=BOSS, text="holidays US")
    for instant in hours("2026-11-01T00:00:00+00:00", "2026-11-30T23:00:00+00:00"):
        tick(instant)

    for rep in (NY, LA, BERLIN):
        checkins = sender.of("checkin", rep)
        days = [local(s, rep).date() for s in checkins]
        assert len(days) == len(set(days)), f"{rep}: more than one check-in on a day"
        assert all(local(s, rep).hour == 9 and local(s, rep).minute == 0 for s in checkins), rep
        assert all(d.weekday() < 5 for d in days), f"{rep}: a check-in on a weekend"
        assert date(2026, 11, 26) not in days, f"{rep}: a check-in on Thanksgiving"
        assert date(2026, 11, 11) not in days, f"{rep}: a check-in on Veterans Day"
        # 21 working days in November, less the two US public holidays.
        assert len(days) == 19, (rep, days)

    # Daylight saving: New York is UTC−5 all month (after 1 Nov), Berlin UTC+1 (after 25 Oct).
    assert {s.at.hour for s in sender.of("checkin", NY)} == {14}
    assert {s.at.hour for s in sender.of("checkin", LA)} == {17}
    assert {s.at.hour for s in sender.of("checkin", BERLIN)} == {8}

    # Standups: every Monday at 09:00 New York time in the team channel, five Mondays.
    standups = sender.of("standup", "C0GLOBAL")
    assert [s.at.astimezone(ZoneInfo("America/New_York")).date() for s in standups] == [
        date(2026, 11, 2),
        date(2026, 11, 9),
        date(2026, 11, 16),
        date(2026, 11, 23),
        date(2026, 11, 30),
    ]
    assert all(s.at.astimezone(ZoneInfo("America/New_York")).hour == 9 for s in standups)
    # Weekly 1:1 prompts for onboarding reps, with the standup: one per rep per week.
    prompts = Counter(
        (s.payload["rep"], s.payload["agenda"]["weeks"][1]["week_start"])
        for s in sender.of("one_on_one", BOSS)
    )
    assert set(prompts.values()) == {1}
    assert len(prompts) == 3 * 5


def test_spring_forward_moves_the_utc_instant_on_each_sides_own_date(spread_team, tick, sender) -> None:
    # US springs forward on 8 Mar 2026, the EU on 29 Mar: for three weeks the gap is an hour shorter.
    for instant in hours("2026-03-05T00:00:00+00:00", "2026-03-31T00:00:00+00:00"):
        tick(instant)
    ny = {local(s, NY).date(): s.at.hour for s in sender.of("checkin", NY)}
    berlin = {local(s, BERLIN).date(): s.at.hour for s in sender.of("checkin", BERLIN)}
    assert ny[date(2026, 3, 6)] == 14 and ny[date(2026, 3, 9)] == 13
    assert berlin[date(2026, 3, 27)] == 8 and berlin[date(2026, 3, 30)] == 7
    assert all(local(s, r).hour == 9 for r in (NY, BERLIN) for s in sender.of("checkin", r))


def test_a_rep_who_already_logged_today_gets_no_nudge(spread_team, tick, sender, clock) -> None:
    clock.set("2026-11-04T13:30:00+00:00")  # 08:30 in New York
    spread_team.activity.log(workspace_id=W, user_id=NY, text="5 calls")
    for instant in hours("2026-11-04T13:00:00+00:00", "2026-11-04T18:00:00+00:00"):
        tick(instant)
    assert sender.of("checkin", NY) == []
    assert len(sender.of("checkin", LA)) == 1


def test_an_away_week_pauses_check_ins(spread_team, tick, sender, clock) -> None:
    clock.set("2026-11-06T15:00:00+00:00")
    spread_team.checkin.checkin(workspace_id=W, user_id=LA, text="away 2026-11-09 to 2026-11-13")
    for instant in hours("2026-11-09T00:00:00+00:00", "2026-11-17T00:00:00+00:00"):
        tick(instant)
    days = [local(s, LA).date() for s in sender.of("checkin", LA)]
    assert days == [date(2026, 11, 16)]
    assert len(sender.of("checkin", NY)) == 6


def test_a_rep_removed_mid_week_hears_nothing_more(spread_team, tick, sender, clock) -> None:
    for instant in hours("2026-11-09T00:00:00+00:00", "2026-11-10T23:00:00+00:00"):
        tick(instant)
    clock.set("2026-11-11T00:30:00+00:00")
    spread_team.teams.team(workspace_id=W, user_id=BOSS, text=f"remove <@{BERLIN}|berlin>")
    for instant in hours("2026-11-11T01:00:00+00:00", "2026-11-16T23:00:00+00:00"):
        tick(instant)
    assert [local(s, BERLIN).date() for s in sender.of("checkin", BERLIN)] == [
        date(2026, 11, 9),
        date(2026, 11, 10),
    ]
    removed = datetime(2026, 11, 11, 0, 30, tzinfo=UTC)
    assert all(s.payload["rep"] != BERLIN for s in sender.of("one_on_one") if s.at > removed)
    assert all(s.payload.get("rep") != BERLIN for s in sender.sent if s.at > removed)


def test_nothing_is_sent_late_after_a_day_without_clock_runs(spread_team, tick, sender) -> None:
    tick("2026-11-09T00:00:00+00:00")
    # The clock is down all Monday; it comes back at 17:30 UTC, half an hour after LA's 09:00.
    report = tick("2026-11-09T17:30:00+00:00")
    assert [s.target for s in sender.of("checkin")] == [LA]
    assert sender.of("standup") == []  # 14:00 UTC: long past the grace
    assert report.skipped_late >= 3  # the standup and the NY and Berlin check-ins


def test_the_clock_never_posts_twice_for_one_key(spread_team, tick, sender) -> None:
    tick("2026-11-09T13:00:00+00:00")
    first = tick("2026-11-09T14:05:00+00:00")
    assert first.sent > 0
    # Run again at the same instant and a little later: nothing new is due, nothing is re-sent.
    again = tick("2026-11-09T14:05:00+00:00")
    later = tick("2026-11-09T14:30:00+00:00")
    assert again.sent == later.sent == 0
    keys = Counter(
        (s.kind, s.target, s.payload.get("rep"), s.payload.get("week"), s.payload.get("day"))
        for s in sender.sent
    )
    assert set(keys.values()) == {1}


def test_outbox_rows_record_slacks_ts(spread_team, tick, engine) -> None:
    first = tick("2026-11-09T13:00:00+00:00")
    second = tick("2026-11-09T14:05:00+00:00")
    with Session(engine) as session:
        rows = list(session.scalars(select(Outbox).where(Outbox.status == "sent")))
        total = len(list(session.scalars(select(Outbox.id).where(Outbox.kind != "dm"))))  # "dm": the policy's
    assert rows and all(r.slack_ts and r.sent_at for r in rows)
    assert first.enqueued + second.enqueued == total  # counted right on both databases


def test_quota_alerts_kudos_and_back_on_track(spread_team, tick, sender, clock) -> None:
    clock.set("2026-11-02T12:00:00+00:00")
    spread_team.goals.goals(workspace_id=W, user_id=BOSS, text=f"<@{NY}|ny> quota $40k/month")
    # Week one: NY sells nothing. By Fri 6 Nov (5 of 21 working days, 24 % gone) no alert yet;
    # by Mon 9 Nov (6 of 21, 29 %) pace 0 % < 70 %: one alert, to the manager, once.
    for instant in hours("2026-11-02T00:00:00+00:00", "2026-11-11T23:00:00+00:00"):
        tick(instant)
    alerts = sender.of("quota_alert", BOSS)
    assert [a.at.astimezone(ZoneInfo("America/New_York")) for a in alerts] == [
        datetime(2026, 11, 9, 17, 0, tzinfo=ZoneInfo("America/New_York"))
    ]
    assert alerts[0].payload["rep"] == NY and alerts[0].payload["agenda"]["weeks"]
    assert sender.of("quota_alert", NY) == []  # never to the rep, never in the channel
    # A big deal: back on pace, a note to both, and kudos for the quota once it is made.
    clock.set("2026-11-12T15:00:00+00:00")
    spread_team.activity.log(workspace_id=W, user_id=NY, text="1 deal $45k")
    for instant in hours("2026-11-12T00:00:00+00:00", "2026-11-13T23:00:00+00:00"):
        tick(instant)
    assert len(sender.of("back_on_track", BOSS)) == 1
    assert len(sender.of("back_on_track", NY)) == 1
    kudos = [s for s in sender.of("kudos", NY) if s.payload["metric"] == "revenue"]
    assert len(kudos) == 1


def test_quiet_reps_in_onboarding_are_flagged_to_the_manager_once_a_week(
    spread_team, tick, sender, clock
) -> None:
    for instant in hours("2026-11-02T00:00:00+00:00", "2026-11-06T23:00:00+00:00"):
        tick(instant)
    quiet = sender.of("quiet", BOSS)
    # Joined 30 Oct; nothing logged Mon–Wed: flagged Wed 17:00, once that week, for each rep.
    assert sorted(q.payload["rep"] for q in quiet) == sorted([NY, LA, BERLIN])
    assert {q.at.astimezone(ZoneInfo("America/New_York")).date() for q in quiet} == {date(2026, 11, 4)}


def test_delivery_is_paced_per_channel(spread_team, tick, sleeps) -> None:
    tick("2026-11-09T13:00:00+00:00")
    tick("2026-11-09T14:05:00+00:00")  # the standup and the NY check-in: different channels
    assert all(s <= 1.0 for s in sleeps)


def test_fall_back_in_europe_then_in_the_us(spread_team, tick, sender) -> None:
    # The EU falls back on 25 Oct 2026, the US a week later on 1 Nov: 09:00 stays 09:00 locally.
    for instant in hours("2026-10-22T00:00:00+00:00", "2026-11-03T23:00:00+00:00"):
        tick(instant)
    ny = {local(s, NY).date(): s.at.hour for s in sender.of("checkin", NY)}
    berlin = {local(s, BERLIN).date(): s.at.hour for s in sender.of("checkin", BERLIN)}
    assert berlin[date(2026, 10, 23)] == 7 and berlin[date(2026, 10, 26)] == 8
    assert ny[date(2026, 10, 30)] == 13 and ny[date(2026, 11, 2)] == 14
    assert all(local(s, r).hour == 9 for r in (NY, LA, BERLIN) for s in sender.of("checkin", r))
