"""How the bot speaks, as scenarios through the clock: local hours, one message a day, the stage sets
the volume, nobody goes unnoticed — counted per person and per local day, hour by hour."""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.services import attention
from bot.services.profiles import UserInfo
from bot.store.models import Outbox, RepProfile
from tests.clock.conftest import BERLIN, BOSS, LA, NY, ZONES, W, hours

LA_BOSS, BERLIN_REP = "U0LABOSS", "U0BERLINREP"
MORE_ZONES = {**ZONES, LA_BOSS: "America/Los_Angeles", BERLIN_REP: "Europe/Berlin"}


def local(sent, user) -> datetime:
    return sent.at.astimezone(ZoneInfo(MORE_ZONES[user]))


def per_day(sender, user) -> Counter:
    return Counter(local(m, user).date() for m in sender.dms(user))


def assert_inside_hours(sender, user, start: int = 8, end: int = 18) -> None:
    for m in sender.dms(user):
        t = local(m, user)
        assert t.weekday() < 5 and start <= t.hour < end, (user, t, [i["kind"] for i in m.payload["items"]])


def stage_of(engine, user: str) -> str:
    with Session(engine) as session:
        return session.scalar(select(RepProfile.stage).where(RepProfile.user_id == user))


def logging(services, clock, user, text, *, hour_utc: int = 15, until: date | None = None):
    """A rep who logs ``text`` each working day at ``hour_utc``:30 UTC (as the days are run)."""

    def each_hour(instant: datetime) -> None:
        if instant.weekday() < 5 and instant.hour == hour_utc and (until is None or instant.date() <= until):
            clock.set((instant + timedelta(minutes=30)).isoformat())
            services.activity.log(workspace_id=W, user_id=user, text=text)

    return each_hour


def run_days(tick, start: date, end: date, *, each_hour=None) -> None:
    for instant in hours(f"{start.isoformat()}T00:00:00+00:00", f"{end.isoformat()}T23:00:00+00:00"):
        tick(instant)
        if each_hour is not None:
            each_hour(datetime.fromisoformat(instant))


def test_a_berlin_rep_on_a_new_york_team_hears_only_in_berlin_hours(spread_team, tick, sender, clock) -> None:
    # Berlin sells (kudos due at 17:00 New York = 23:00 Berlin); nobody else does (quiet, stage moves).
    sells = logging(spread_team, clock, BERLIN, "20 calls, 2 presentations", hour_utc=10)
    run_days(tick, date(2026, 11, 2), date(2026, 11, 30), each_hour=sells)
    for person in (NY, LA, BERLIN, BOSS):
        assert_inside_hours(sender, person)
    for rep in (NY, LA, BERLIN):
        assert max(per_day(sender, rep).values()) == 1, rep
    assert max(per_day(sender, BOSS).values()) <= 2
    # The praise the 17:00 evaluation found came the next Berlin morning, inside the day's one message.
    praise = sender.of("kudos", BERLIN)
    assert praise and all(local(k, BERLIN).hour == 9 for k in praise)
    for m in sender.dms(BERLIN):
        items = [i["kind"] for i in m.payload["items"]]
        assert items == sorted(items, key=["stage_change", "back_on_track", "checkin", "kudos"].index)


def test_a_los_angeles_manager_of_a_berlin_rep(services, tick, sender, clock) -> None:
    clock.set("2026-10-30T12:00:00+00:00")
    services.teams.team(
        workspace_id=W,
        user_id=LA_BOSS,
        text="create Sales Europe <#C0EUROPE|europe> tz=Europe/Berlin",
        in_channel="C0EUROPE",
    )
    services.teams.team(workspace_id=W, user_id=LA_BOSS, text=f"add <@{BERLIN_REP}|berlin>")

    class Directory:
        def user_info(self, user_id: str) -> UserInfo | None:
            return UserInfo(user_id, user_id.lower(), MORE_ZONES[user_id])

    services.profiles.refresh(workspace_id=W, user_ids=[LA_BOSS, BERLIN_REP], directory=Directory())
    services.goals.goals(workspace_id=W, user_id=LA_BOSS, text="team 20 calls/day")
    run_days(tick, date(2026, 11, 2), date(2026, 11, 20))
    assert_inside_hours(sender, LA_BOSS)
    assert_inside_hours(sender, BERLIN_REP)
    # The 1:1 rounds come due at midnight in Berlin (15:00 in LA the day before): each Monday's
    # prompt waits for the manager's own Monday morning.
    prompts = sender.of("one_on_one", LA_BOSS)
    assert [local(p, LA_BOSS).date() for p in prompts] == [
        date(2026, 11, 2),
        date(2026, 11, 9),
        date(2026, 11, 16),
    ]
    assert {local(p, LA_BOSS).hour for p in prompts} == {8}
    assert max(per_day(sender, LA_BOSS).values()) <= 2


def test_an_always_on_track_rep_hears_less_and_less(spread_team, tick, sender, clock, engine) -> None:
    # Eight weeks of New York meeting every goal, logging at 10:00 after the 09:00 check-in.
    start, end = date(2026, 11, 2), date(2026, 12, 27)
    run_days(tick, start, end, each_hour=logging(spread_team, clock, NY, "20 calls, 1 presentation"))
    assert stage_of(engine, NY) == "steady"
    days = per_day(sender, NY)
    assert max(days.values()) == 1

    def in_weeks(first: int, last: int) -> int:
        lo, hi = start + timedelta(weeks=first - 1), start + timedelta(weeks=last) - timedelta(days=1)
        return sum(n for d, n in days.items() if lo <= d <= hi)

    early, late = in_weeks(1, 2), in_weeks(5, 6)
    assert early >= 9  # a check-in each working day while onboarding
    assert late * 3 <= early, (early, late)  # steady: one a week
    # Weekly praise rode along in messages that went anyway; it never came alone.
    assert all(
        [i["kind"] for i in m.payload["items"]] != ["kudos"]
        or m.payload["items"][0]["payload"]["period"] != "week"
        for m in sender.dms(NY)
    )


def test_a_silent_new_hire_is_in_support_by_week_four(spread_team, tick, sender, engine) -> None:
    # Joined Fri 30 Oct; logs nothing. Weeks of 2 and 9 Nov off track: support on Mon 16 Nov.
    run_days(tick, date(2026, 11, 2), date(2026, 11, 23))
    assert stage_of(engine, LA) == "support"
    [moved] = sender.of("stage_change", LA)
    assert local(moved, LA).date() <= date(2026, 11, 23)  # the start of week 4
    assert "off track 2 weeks in a row" in moved.payload["reason"]
    to_boss = [s for s in sender.of("stage_change", BOSS) if s.payload["rep"] == LA]
    assert len(to_boss) == 1


def test_a_steady_rep_who_goes_quiet_is_reported_within_five_working_days(
    spread_team, tick, sender, clock, engine
) -> None:
    with Session(engine) as session, session.begin():
        for p in session.scalars(select(RepProfile).where(RepProfile.user_id.in_([NY, LA, BERLIN]))):
            p.stage = "steady"
            p.evaluated_week = date(2026, 11, 2)
    sells = logging(spread_team, clock, NY, "20 calls, 1 presentation", until=date(2026, 11, 6))
    run_days(tick, date(2026, 11, 2), date(2026, 11, 20), each_hour=sells)
    # New York's last entry: Fri 6 Nov. Five working days later (Fri 13 Nov) she is quiet.
    quiet = [q for q in sender.of("quiet", BOSS) if q.payload["rep"] == NY]
    assert len(quiet) == 1  # once per quiet spell
    assert quiet[0].payload["stage"] == "steady" and quiet[0].payload["days"] == 5
    assert local(quiet[0], BOSS).date() <= date(2026, 11, 16)  # the 13th's evening or next morning


def test_two_clocks_and_a_kill_between_hold_and_send_post_each_message_once(
    spread_team, tick, sender, clock, engine, services
) -> None:
    run_days(tick, date(2026, 11, 2), date(2026, 11, 8))
    before = len(sender.sent)
    # Monday 9 Nov, 08:00 in New York: a clock routes the manager's digest, then dies before sending.
    clock.set("2026-11-09T13:00:00+00:00")
    services.clock.judge_weeks(clock())
    from bot.domain import schedule as sch
    from bot.store import outbox as ob

    window = sch.Window(since=clock() - timedelta(hours=1), now=clock(), grace=services.clock.grace)
    with services.clock.transaction(write=True) as session:
        ob.enqueue(session=session, messages=services.clock.plan(window), now=clock())
        routed = attention.route(session, now=clock())
        ob.set_covered_until(session=session, name="main", until=clock(), now=clock())
    assert routed["messages"] >= 1
    # The same items routed again (a second clock racing it) make no second message.
    with services.clock.transaction(write=True) as session:
        assert attention.route(session, now=clock())["messages"] == 0
    # Two clocks come back and deliver: the digest goes once, with all its items.
    services.clock.run_due(sender=sender, now=clock(), sleep=lambda s: None)
    services.clock.run_due(sender=sender, now=clock(), sleep=lambda s: None)
    digests = [m for m in sender.sent[before:] if m.target == BOSS]
    assert len(digests) == 1
    assert [i["kind"] for i in digests[0].payload["items"]].count("one_on_one") == 3
    with Session(engine) as session:
        carried = list(session.scalars(select(Outbox).where(Outbox.merged_into.is_not(None))))
    assert carried and {r.status for r in carried} == {"sent"}
    assert all(r.slack_ts for r in carried)
    keys = Counter(m.key for m in sender.sent)
    assert set(keys.values()) == {1}


def test_every_message_ends_with_why_it_came(spread_team, tick, sender) -> None:
    from bot.slack.messages.scheduled import render

    run_days(tick, date(2026, 11, 2), date(2026, 11, 4))
    for m in sender.dms():
        blocks = render("dm", m.target, m.payload)["blocks"]
        assert blocks[-1]["type"] == "context"
        text = blocks[-1]["elements"][0]["text"]
        assert "/checkin hours" in text
        assert ("manager" in text) is (m.target == BOSS)


def test_chosen_hours_and_muted_kudos_change_what_the_clock_sends(spread_team, tick, sender, clock) -> None:
    clock.set("2026-11-01T12:00:00+00:00")
    spread_team.checkin.checkin(workspace_id=W, user_id=BERLIN, text="hours 10:00-16:00")
    spread_team.checkin.checkin(workspace_id=W, user_id=BERLIN, text="mute kudos")
    spread_team.checkin.checkin(workspace_id=W, user_id=BOSS, text="hours 09:30-17:00")
    sells = logging(spread_team, clock, BERLIN, "20 calls, 2 presentations", hour_utc=11)
    run_days(tick, date(2026, 11, 2), date(2026, 11, 13), each_hour=sells)
    assert {local(m, BERLIN).time().isoformat() for m in sender.dms(BERLIN)} == {"10:00:00"}  # 09:00 moved in
    assert sender.of("kudos", BERLIN) == []  # met her weekly goal twice: praised in /log, never by DM
    assert_inside_hours(sender, BOSS, start=9)
    assert all(local(m, BOSS) >= local(m, BOSS).replace(hour=9, minute=30) for m in sender.dms(BOSS))
