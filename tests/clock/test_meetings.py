"""The team meeting's reminder, as scenarios run through the clock over simulated weeks: 15 minutes
before the meeting in the team's own zone (New York, Tokyo, Tirane), across daylight saving, never on
a holiday, exactly once however often the clock runs, never late past the grace; its agenda from the
numbers, and the 1:1 video link on a manager's prompt."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.services.container import build_services
from bot.services.outcomes import Problem, TeamSettings
from bot.slack.messages.scheduled import render
from bot.store.models import Outbox, Team
from tests.clock.conftest import Directory, W
from tests.support.fakeslack import visible_text

ZOOM = "https://zoom.us/j/987654321"
VIDEO = "https://meet.example.com/one-on-ones"
TEAMS = {  # manager, rep, channel, zone
    "East": ("U0EASTBOSS", "U0EASTREP", "C0EAST", "America/New_York"),
    "Tokyo": ("U0TKYBOSS", "U0TKYREP", "C0TOKYO", "Asia/Tokyo"),
    "Tirana": ("U0TIRBOSS", "U0TIRREP", "C0TIRANA", "Europe/Tirane"),
}


def make_team(services, name: str, *, meeting: str = f"thu 16:00 <{ZOOM}>") -> None:
    boss, rep, channel, tz = TEAMS[name]
    created = services.teams.team(
        workspace_id=W,
        user_id=boss,
        text=f"create {name} <#{channel}|{name.lower()}> tz={tz}",
        in_channel=channel,
    )
    assert not isinstance(created, Problem), created
    services.teams.team(workspace_id=W, user_id=boss, text=f"add <@{rep}|rep>")
    services.profiles.refresh(workspace_id=W, user_ids=[boss, rep], directory=Directory())
    if meeting:
        assert isinstance(
            services.teams.team(workspace_id=W, user_id=boss, text=f"meeting {meeting}"), TeamSettings
        )


def every(start: str, end: str, step: timedelta) -> Iterator[str]:
    t = datetime.fromisoformat(start).astimezone(UTC)
    stop = datetime.fromisoformat(end).astimezone(UTC)
    while t <= stop:
        yield t.isoformat()
        t += step


def local(instant: datetime, tz: str) -> datetime:
    return instant.astimezone(ZoneInfo(tz))


def rows(engine, kind: str = "meeting") -> list[Outbox]:
    with Session(engine) as session:
        return list(session.scalars(select(Outbox).where(Outbox.kind == kind).order_by(Outbox.id)))


def reminders(sender, channel: str) -> list:
    return sender.of("meeting", channel)


def test_the_reminder_comes_at_15_45_team_time_each_thursday_across_daylight_saving(
    services, clock, tick, sender, engine
) -> None:
    """Tirane leaves summer time on 25 October, New York on 1 November; Tokyo has none. Ticks every
    hour at :45 UTC (every zone here is a whole number of hours off UTC, so 15:45 local is one)."""
    clock.set("2026-10-16T12:00:00+00:00")
    for name in TEAMS:
        make_team(services, name)
    for instant in every("2026-10-19T00:45:00+00:00", "2026-11-15T23:45:00+00:00", timedelta(hours=1)):
        tick(instant)

    thursdays = [date(2026, 10, 22), date(2026, 10, 29), date(2026, 11, 5), date(2026, 11, 12)]
    for name, (_, _, channel, tz) in TEAMS.items():
        sent = reminders(sender, channel)
        assert [local(s.at, tz).date() for s in sent] == thursdays, name
        assert {local(s.at, tz).strftime("%H:%M") for s in sent} == {"15:45"}, name
        assert [s.payload["meeting_day"] for s in sent] == [d.isoformat() for d in thursdays]
        assert all(s.payload["url"] == ZOOM and s.payload["meeting_time"] == "16:00" for s in sent)
    planned = {(r.target, r.period): r.due_at for r in rows(engine)}
    assert len(planned) == 12  # one per team and Thursday, sent when due
    # The UTC instant moves with each zone's own clock change, on its own date.
    utc = {name: [s.at.strftime("%H:%M") for s in reminders(sender, TEAMS[name][2])] for name in TEAMS}
    assert utc["East"] == ["19:45", "19:45", "20:45", "20:45"]
    assert utc["Tirana"] == ["13:45", "14:45", "14:45", "14:45"]
    assert utc["Tokyo"] == ["06:45"] * 4


def test_not_a_minute_early_and_exactly_once_however_often_the_clock_runs(
    services, clock, tick, sender, engine
) -> None:
    clock.set("2026-11-02T12:00:00+00:00")
    make_team(services, "East")
    second = build_services(engine, clock).clock  # another clock on the same database
    for instant in every("2026-11-05T19:00:00+00:00", "2026-11-05T21:30:00+00:00", timedelta(minutes=5)):
        tick(instant)
        tick()  # the same instant again
        second.run_due(sender=sender, now=clock())
        before = datetime.fromisoformat(instant) < datetime(2026, 11, 5, 20, 45, tzinfo=UTC)
        assert (reminders(sender, "C0EAST") == []) == before, instant
    [sent] = reminders(sender, "C0EAST")
    assert local(sent.at, "America/New_York").strftime("%a %H:%M") == "Thu 15:45"
    [row] = rows(engine)
    assert (row.target, row.subject, row.period, row.status) == (
        "C0EAST",
        f"team:{row.team_id}",
        "2026-11-05",
        "sent",
    )


def test_no_reminder_on_a_holiday_or_a_day_off(services, clock, tick, sender) -> None:
    clock.set("2026-11-16T12:00:00+00:00")
    make_team(services, "East")
    boss = TEAMS["East"][0]
    services.teams.team(workspace_id=W, user_id=boss, text="holidays US")  # Thanksgiving: Thu 26 Nov
    for thursday in ("2026-11-19", "2026-11-26", "2026-12-03"):  # the days around each Thursday
        if thursday == "2026-12-03":
            services.teams.team(workspace_id=W, user_id=boss, text="workdays mon-wed")  # Thu is off now
        start = datetime.fromisoformat(f"{thursday}T00:45:00+00:00") - timedelta(days=1)
        for instant in every(start.isoformat(), (start + timedelta(days=2)).isoformat(), timedelta(hours=1)):
            tick(instant)
    days = [local(s.at, "America/New_York").date() for s in reminders(sender, "C0EAST")]
    assert days == [date(2026, 11, 19)]


def test_a_meeting_just_after_midnight_is_reminded_the_evening_before(services, clock, tick, sender) -> None:
    clock.set("2026-11-16T12:00:00+00:00")
    make_team(services, "Tokyo", meeting=f"mon 00:10 <{ZOOM}>")
    for saturday in ("2026-11-21", "2026-11-28"):  # Saturday to Monday, Tokyo's evening and night
        start = datetime.fromisoformat(f"{saturday}T08:55:00+00:00")
        for instant in every(start.isoformat(), (start + timedelta(days=2)).isoformat(), timedelta(hours=1)):
            tick(instant)
    # 23 Nov is a Japanese holiday (Labour Thanksgiving Day) only if the team keeps JP holidays: it doesn't.
    sent = reminders(sender, "C0TOKYO")
    assert [local(s.at, "Asia/Tokyo").strftime("%a %d %H:%M") for s in sent] == [
        "Sun 22 23:55",
        "Sun 29 23:55",
    ]
    assert [s.payload["meeting_day"] for s in sent] == ["2026-11-23", "2026-11-30"]


def test_a_clock_down_through_the_meeting_skips_the_reminder_rather_than_send_it_late(
    services, clock, tick, sender, engine
) -> None:
    clock.set("2026-11-02T12:00:00+00:00")
    make_team(services, "East")
    tick("2026-11-05T19:00:00+00:00")  # 14:00 in New York; then the clock is down until 17:30
    report = tick("2026-11-05T22:30:00+00:00")
    assert reminders(sender, "C0EAST") == [] and report.skipped_late >= 1
    tick("2026-11-12T20:45:00+00:00")  # the week after, back on time
    assert [s.payload["meeting_day"] for s in reminders(sender, "C0EAST")] == ["2026-11-12"]


def test_meeting_off_stops_the_reminders_and_a_channel_move_takes_them_along(
    services, clock, tick, sender, engine
) -> None:
    clock.set("2026-11-02T12:00:00+00:00")
    make_team(services, "East")
    boss = TEAMS["East"][0]
    tick("2026-11-05T20:45:00+00:00")
    moved = services.teams.team(
        workspace_id=W, user_id=boss, text="channel <#C0EASTNEW|east-new>", in_channel="C0EASTNEW"
    )
    assert isinstance(moved, TeamSettings)
    tick("2026-11-05T20:50:00+00:00")  # the same meeting: not reminded again in the new channel
    tick("2026-11-12T20:45:00+00:00")
    assert [(s.target, s.payload["meeting_day"]) for s in sender.of("meeting")] == [
        ("C0EAST", "2026-11-05"),
        ("C0EASTNEW", "2026-11-12"),
    ]
    services.teams.team(workspace_id=W, user_id=boss, text="meeting off")
    tick("2026-11-19T20:45:00+00:00")
    assert len(sender.of("meeting")) == 2


# --- the agenda, from the numbers ---------------------------------------------------------------

BOSS, ANA, BEN, CAL = "U0EASTBOSS", "U0ANA", "U0BEN", "U0CAL"


def agenda_team(services, clock) -> int:
    """East: Ana was on track last week and shares a win; Ben was behind and asked for help; Cal was
    behind and said nothing. Team goal: 20 calls a day."""
    clock.set("2026-10-30T12:00:00+00:00")
    make_team(services, "East")
    services.teams.team(workspace_id=W, user_id=BOSS, text=f"remove <@{TEAMS['East'][1]}|rep>")
    services.teams.team(workspace_id=W, user_id=BOSS, text=f"add <@{ANA}|ana> <@{BEN}|ben> <@{CAL}|cal>")
    services.profiles.refresh(workspace_id=W, user_ids=[ANA, BEN, CAL], directory=Directory())
    services.goals.goals(workspace_id=W, user_id=BOSS, text="team 20 calls/day")
    clock.set("2026-11-09T15:00:00+00:00")  # Monday of the meeting's week
    for day in ("2026-11-02", "2026-11-03", "2026-11-04", "2026-11-05", "2026-11-06"):
        services.activity.log(workspace_id=W, user_id=ANA, text=f"{day} 20 calls")
    services.activity.log(workspace_id=W, user_id=BEN, text="2026-11-03 5 calls")
    with Session(services.engine) as session:
        team_id = session.scalar(select(Team.id).where(Team.name == "East"))
    share = services.standup.share
    share(
        workspace_id=W, user_id=ANA, team_id=team_id, week="2026-W46", wins="Closed Acme", focus="", help=""
    )
    clock.set("2026-11-04T15:00:00+00:00")  # Ben answered last week's standup
    share(
        workspace_id=W,
        user_id=BEN,
        team_id=team_id,
        week="2026-W45",
        wins="",
        focus="",
        help="Pricing objections",
    )
    clock.set("2026-11-12T20:00:00+00:00")
    return team_id


def test_the_agenda_is_last_weeks_numbers_the_wins_and_the_help_asked_for(
    services, clock, tick, sender
) -> None:
    agenda_team(services, clock)
    tick("2026-11-12T20:45:00+00:00")
    [sent] = reminders(sender, "C0EAST")
    p = sent.payload
    assert p["last_week_start"] == "2026-11-02"
    [calls] = p["lines"]
    assert (calls["actual"], calls["target"]) == ("105", "300")  # 3 reps × 20 calls × 5 days
    assert p["kudos"] == [ANA]
    assert [(w["user"], w["text"]) for w in p["wins"]] == [(ANA, "Closed Acme")]
    assert [(h["user"], h["text"], h["week"]) for h in p["help"]] == [(BEN, "Pricing objections", "2026-W45")]
    assert p["rows"] == []

    message = render("meeting", "C0EAST", p)
    shown = visible_text(message)
    assert "cold calls 105/300" in shown and "On track last week: <@U0ANA>" in shown
    assert "<@U0ANA> — Closed Acme" in shown and "<@U0BEN> — Pricing objections" in shown
    # Praise in public, help in private: Cal's and Ben's own numbers are nowhere in the channel.
    assert CAL not in shown and "5 calls" not in shown and "cold calls 5" not in shown


def test_with_a_public_scoreboard_the_agenda_shows_each_rep(services, clock, tick, sender) -> None:
    agenda_team(services, clock)
    services.teams.team(workspace_id=W, user_id=BOSS, text="scoreboard public")
    tick("2026-11-12T20:45:00+00:00")
    [sent] = reminders(sender, "C0EAST")
    shown = visible_text(render("meeting", "C0EAST", sent.payload))
    assert "<@U0BEN> — cold calls 5" in shown and "<@U0CAL> — nothing logged" in shown


def test_a_1on1_prompt_in_the_managers_digest_carries_the_video_link(services, clock, tick, sender) -> None:
    agenda_team(services, clock)
    assert isinstance(
        services.teams.team(workspace_id=W, user_id=BOSS, text=f"video <{VIDEO}|1:1 room>"), TeamSettings
    )
    for instant in every("2026-11-16T05:00:00+00:00", "2026-11-16T18:00:00+00:00", timedelta(hours=1)):
        tick(instant)
    prompts = sender.of("one_on_one", BOSS)
    assert {s.payload["rep"] for s in prompts} == {ANA, BEN, CAL}
    assert {s.payload["video"] for s in prompts} == {VIDEO}
    [digest] = sender.dms(BOSS)  # the morning digest it rides in: no extra message for the link
    joins = [
        e for b in render("dm", BOSS, digest.payload)["blocks"] for e in b.get("elements", []) if e.get("url")
    ]
    assert [e["url"] for e in joins] == [VIDEO] * 3
