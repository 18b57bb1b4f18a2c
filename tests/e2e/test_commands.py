"""Every behaviour of the four slash commands, as Slack would drive them: signed HTTP requests against
the running ``python -m bot web``, answers read from the ack body or the fake Slack's response URLs,
and what was stored read back from the database."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from bot.store.models import AwayPeriod, Entry, Goal, Membership, RepProfile, Team
from tests.support.fakeslack import FakeSlack
from tests.support.signing import SlackSender
from tests.support.timewarp import MovableClock

pytestmark = pytest.mark.e2e

MANAGER, ANA, BEN, OUTSIDER = "U0MANAGER", "U0ANA", "U0BEN", "U0OUTSIDER"
CHANNEL = "<#C0SALES|sales-east>"


def eventually(check: Callable[[], object], timeout: float = 10.0) -> object:
    """Wait for work the bot does after its ack (bounded; re-checks a condition, not a fixed sleep)."""
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result or time.monotonic() > deadline:
            assert result, "condition not met in time"
            return result
        time.sleep(0.02)


def rows(engine: Engine, query):
    with Session(engine) as session:
        return list(session.scalars(query))


def local_today(clock: MovableClock, tz: str) -> date:
    """Today in ``tz`` by the bot's clock."""
    return clock.now().astimezone(ZoneInfo(tz)).date()


profiles_with_tz = select(RepProfile).where(RepProfile.workspace_id == "T0001", RepProfile.tz.is_not(None))


@pytest.fixture
def people(fake_slack: FakeSlack) -> None:
    fake_slack.add_user(MANAGER, name="maria", tz="America/New_York")
    fake_slack.add_user(ANA, name="ana", tz="America/Los_Angeles")
    fake_slack.add_user(BEN, name="ben", tz="Europe/Berlin")
    fake_slack.add_user(OUTSIDER, name="olga", tz="Asia/Tokyo")


@pytest.fixture
def team(slack: SlackSender, people: None, engine: Engine) -> None:
    """Sales East, managed by Maria, with Ana and Ben as reps and the team's default goals."""
    created = slack.create_team(f"Sales East {CHANNEL} tz=America/New_York", user_id=MANAGER)
    assert "Created *Sales East*" in created, created
    reply = slack.command("/team", f"add <@{ANA}|ana> <@{BEN}|ben>", user_id=MANAGER)
    assert "Added" in reply.message_text, reply.message_text
    # The reps' Slack timezones are fetched after the ack.
    eventually(lambda: {p.user_id for p in rows(engine, profiles_with_tz)} >= {ANA, BEN})
    reply = slack.command("/goals", "team 25 calls/day, 5 presentations/week, 10 notes/day", user_id=MANAGER)
    assert "Goals set for the team default" in reply.message_text, reply.message_text


def entries(engine: Engine, user_id: str, *, live: bool = True) -> list[Entry]:
    query = select(Entry).where(Entry.user_id == user_id).order_by(Entry.id)
    if live:
        query = query.where(Entry.deleted_at.is_(None))
    return rows(engine, query)


# --- /log -------------------------------------------------------------------------------------


def test_log_records_on_the_reps_own_date_and_shows_progress(slack, team, engine, web_clock) -> None:
    reply = slack.command("/log", "25 calls, 3 demos, 4 notes -- two asked for pricing", user_id=ANA)
    assert reply.status == 200
    assert reply.json()["response_type"] == "ephemeral"
    text = reply.message_text
    assert "Logged 25 calls, 3 presentations, 4 notes for today" in text
    assert "calls 25/25 ✅" in text
    assert "notes 4/10" in text
    assert "presentations 3/5" in text
    stored = entries(engine, ANA)
    assert [(e.metric_key, e.amount) for e in stored] == [
        ("calls", Decimal(25)),
        ("presentations", Decimal(3)),
        ("notes", Decimal(4)),
    ]
    assert stored[0].day == local_today(web_clock, "America/Los_Angeles")
    assert {e.note for e in stored} == {"two asked for pricing"}
    assert {e.source for e in stored} == {"command"}


def test_reps_in_different_timezones_log_on_their_own_dates(
    slack, team, engine, fake_slack, web_clock
) -> None:
    fake_slack.add_user("U0KIRI", name="kiri", tz="Pacific/Kiritimati")  # UTC+14
    fake_slack.add_user("U0PAGO", name="pago", tz="Pacific/Pago_Pago")  # UTC−11: always another date
    slack.command("/team", "add <@U0KIRI|kiri> <@U0PAGO|pago>", user_id=MANAGER)
    eventually(lambda: {p.user_id for p in rows(engine, profiles_with_tz)} >= {"U0KIRI", "U0PAGO"})
    slack.command("/log", "5 calls", user_id="U0KIRI")
    slack.command("/log", "5 calls", user_id="U0PAGO")
    kiri, pago = entries(engine, "U0KIRI")[0], entries(engine, "U0PAGO")[0]
    # 16:30 UTC: Thursday 06:30 on Kiritimati (UTC+14), Wednesday 05:30 in Pago Pago (UTC−11).
    assert kiri.day - pago.day == timedelta(days=1)
    assert kiri.day == local_today(web_clock, "Pacific/Kiritimati")
    assert pago.day == local_today(web_clock, "Pacific/Pago_Pago")


@pytest.mark.parametrize(
    ("text", "metric", "amount"),
    [
        ("$4,500", "revenue", Decimal(4500)),
        ("$4,500.50", "revenue", Decimal("4500.50")),
        ("4.5k revenue", "revenue", Decimal(4500)),
        ("2 dials", "calls", Decimal(2)),
        ("10 thank-you notes", "notes", Decimal(10)),
        ("3 meetings", "presentations", Decimal(3)),
    ],
)
def test_log_understands_amounts_and_aliases(slack, team, engine, text, metric, amount) -> None:
    reply = slack.command("/log", text, user_id=ANA)
    assert "Logged" in reply.message_text, reply.message_text
    assert [(e.metric_key, e.amount) for e in entries(engine, ANA)] == [(metric, amount)]


def test_a_deal_and_its_revenue_in_one_line(slack, team, engine) -> None:
    reply = slack.command("/log", "1 deal $12k", user_id=ANA)
    assert "Logged 1 deal, $12,000 revenue" in reply.message_text
    assert sorted((e.metric_key, e.amount) for e in entries(engine, ANA)) == [
        ("deals", Decimal(1)),
        ("revenue", Decimal(12000)),
    ]


def test_dates_lead_or_trail_and_are_the_reps_local_dates(slack, team, engine, web_clock) -> None:
    today = local_today(web_clock, "America/Los_Angeles")
    slack.command("/log", "yesterday 20 calls", user_id=ANA)
    slack.command("/log", f"3 demos {(today - timedelta(days=3)).isoformat()}", user_id=ANA)
    days = [e.day for e in entries(engine, ANA)]
    assert days[0] == today - timedelta(days=1)
    assert days[1] == today - timedelta(days=3)


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("25 cals", "did you mean"),
        ("-5 calls", ""),
        ("0 calls", ""),
        ("1001 calls", ""),
        ("25 calls, 3 bananas", "bananas"),
        ("lots of calls", ""),
        ("25 calls 2099-01-01", "future"),
        ("25 calls 2020-01-01", "14 days"),
    ],
)
def test_bad_input_records_nothing_and_shows_the_right_form(slack, team, engine, text, says) -> None:
    reply = slack.command("/log", text, user_id=ANA)
    assert reply.status == 200
    shown = reply.message_text
    assert ":warning:" in shown, shown
    assert says.lower() in shown.lower(), shown
    assert "/log" in shown  # the right form is shown
    assert entries(engine, ANA, live=False) == []


def test_unknown_metric_gets_a_suggestion(slack, team) -> None:
    assert "did you mean *calls*" in slack.command("/log", "25 cals", user_id=ANA).message_text


def test_progress_week_undo_and_help(slack, team, engine) -> None:
    slack.command("/log", "25 calls", user_id=ANA)
    slack.command("/log", "2 demos, 1 deal", user_id=ANA)

    today = slack.command("/log", "", user_id=ANA).message_text
    assert "you've logged 25 calls, 2 presentations, 1 deal" in today
    assert "calls 25/25 ✅" in today

    week = slack.command("/log", "week", user_id=ANA).message_text
    assert "Your week so far" in week
    assert "calls 25" in week

    undo = slack.command("/log", "undo", user_id=ANA).message_text
    assert "Removed 2 presentations, 1 deal" in undo
    assert [(e.metric_key, e.amount) for e in entries(engine, ANA)] == [("calls", Decimal(25))]
    # Nothing a user logged is lost: the undone entries are kept, marked deleted.
    assert len(entries(engine, ANA, live=False)) == 3

    assert "Removed 25 calls" in slack.command("/log", "undo", user_id=ANA).message_text
    assert "nothing of yours" in slack.command("/log", "undo", user_id=ANA).message_text

    help_text = slack.command("/log", "help", user_id=ANA).message_text
    for key in ("calls", "presentations", "notes", "emails", "deals", "revenue"):
        assert f"`{key}`" in help_text


def test_someone_on_no_team_is_told_how_to_join(slack, team, engine) -> None:
    reply = slack.command("/log", "25 calls", user_id=OUTSIDER)
    assert "not on a sales team" in reply.message_text
    assert "/team add" in reply.message_text
    assert entries(engine, OUTSIDER, live=False) == []


def test_a_day_past_its_ceiling_is_refused_whole_until_a_manager_raises_it(slack, team, engine) -> None:
    assert "Logged 400 calls" in slack.command("/log", "400 calls", user_id=ANA).message_text
    refused = slack.command("/log", "5 notes, 400 calls", user_id=ANA).message_text
    assert (
        ":warning: Nothing was recorded: the daily ceiling for cold calls is 500 (400 logged for Wed 18 Nov)"
        in refused
    )
    assert "A manager can raise it: `/team ceiling calls 800`" in refused
    assert "Logging 400 would make 800. You can still log 100 more that day." in refused
    # The same money again and again is refused too, and so is the Log activity modal, inline.
    assert ":warning:" in slack.command("/log", "$100,000,000", user_id=ANA).message_text
    values = {  # the error sits on the metric past its ceiling, not on the modal's first one
        "metric:presentations": {"value": {"type": "number_input", "value": "1"}},
        "metric:calls": {"value": {"type": "number_input", "value": "101"}},
    }
    inline = slack.submit_view("log_activity", values, user_id=ANA, private_metadata='{"team_id": 1}').json()
    assert inline["response_action"] == "errors"
    assert list(inline["errors"]) == ["metric:calls"]
    assert "daily ceiling for cold calls is 500" in inline["errors"]["metric:calls"]
    assert [(e.metric_key, e.amount) for e in entries(engine, ANA, live=False)] == [("calls", Decimal(400))]

    assert "only" in slack.command("/team", "ceiling calls 5000", user_id=ANA).message_text.casefold()
    raised = slack.command("/team", "ceiling calls 800", user_id=MANAGER).message_text
    assert "Daily ceiling for cold calls on *Sales East*: 800, was 500 (the default)." in raised
    assert "cold calls: 800" in slack.command("/team", "ceiling", user_id=ANA).message_text
    assert (
        "Logged 5 notes, 400 calls" in slack.command("/log", "5 notes, 400 calls", user_id=ANA).message_text
    )
    assert sum(e.amount for e in entries(engine, ANA) if e.metric_key == "calls") == 800


# --- /goals -----------------------------------------------------------------------------------


def test_goals_are_set_by_managers_and_seen_by_reps(slack, team, engine) -> None:
    reply = slack.command("/goals", f"<@{ANA}|ana> 30 calls/day, quota $50k/month", user_id=MANAGER)
    assert "Goals set for <@U0ANA>" in reply.message_text, reply.message_text
    assert "$50,000/month (quota)" in reply.message_text

    mine = slack.command("/goals", "", user_id=ANA).message_text
    assert "cold calls: 30/day" in mine
    assert "presentations: 5/week goal _(team default)_" in mine
    assert "revenue: $50,000/month quota" in mine

    # A later goal for the same metric replaces the earlier one from now on; history keeps it.
    again = slack.command("/goals", f"<@{ANA}|ana> 35 calls/day", user_id=MANAGER).message_text
    assert "Replaces 30 calls/day" in again
    history = rows(
        engine, select(Goal).where(Goal.user_id == ANA, Goal.metric_key == "calls").order_by(Goal.id)
    )
    assert [(g.target, g.effective_to is None) for g in history] == [
        (Decimal(30), False),
        (Decimal(35), True),
    ]

    cleared = slack.command("/goals", f"<@{ANA}|ana> clear calls", user_id=MANAGER).message_text
    assert "Cleared calls" in cleared
    assert "cold calls: 25/day goal _(team default)_" in slack.command("/goals", "", user_id=ANA).message_text


def test_reps_cannot_set_goals_or_see_each_others(slack, team, engine) -> None:
    before = len(rows(engine, select(Goal)))
    refused = slack.command("/goals", f"<@{BEN}|ben> 1 calls/day", user_id=ANA).message_text
    assert "Only your manager can set goals" in refused
    assert len(rows(engine, select(Goal))) == before
    peek = slack.command("/goals", f"<@{BEN}|ben>", user_id=ANA).message_text
    assert "only see your own" in peek


def test_a_manager_sees_a_reps_goals_and_the_team_default(slack, team) -> None:
    slack.command("/log", "12 calls", user_id=BEN)
    seen = slack.command("/goals", f"<@{BEN}|ben>", user_id=MANAGER).message_text
    assert "<@U0BEN>'s goals" in seen
    assert "calls 12/25" in seen
    assert (
        "Team default goals for Sales East" in slack.command("/goals", "team", user_id=MANAGER).message_text
    )


# --- /team ------------------------------------------------------------------------------------


def test_team_create_without_tz_uses_the_managers_slack_timezone(slack, people, engine, fake_slack) -> None:
    fake_slack.add_user("U0BERLIN", name="bert", tz="Europe/Berlin")
    answer = slack.create_team("Sales DACH <#C0DACH|sales-dach>", user_id="U0BERLIN")
    assert "Created *Sales DACH*" in answer
    assert "Europe/Berlin" in answer
    [team] = rows(engine, select(Team).where(Team.name == "Sales DACH"))
    assert (team.timezone, team.channel_id) == ("Europe/Berlin", "C0DACH")


def test_manager_table_and_rep_view(slack, team) -> None:
    slack.command("/log", "25 calls, 5 demos, 10 notes", user_id=ANA)
    table = slack.command("/team", "", user_id=MANAGER).message_text
    assert "*Sales East*" in table
    assert "<@U0ANA> — calls 25/" in table
    assert "_onboarding_" in table
    assert "last logged today" in table
    assert "<@U0BEN>" in table and "last logged never" in table

    rep_view = slack.command("/team", "", user_id=BEN).message_text
    assert "Team totals:* 25 calls, 5 presentations, 10 notes" in rep_view
    # A rep never sees a teammate's line unless the scoreboard is public.
    assert "<@U0ANA> —" not in rep_view
    slack.command("/team", "scoreboard public", user_id=MANAGER)
    assert "<@U0ANA> — calls 25/" in slack.command("/team", "", user_id=BEN).message_text


def test_team_settings(slack, team, engine) -> None:
    assert "Tuesday 10:30" in slack.command("/team", "standup tue 10:30", user_id=MANAGER).message_text
    assert "Sun–Thu" in slack.command("/team", "workdays sun-thu", user_id=MANAGER).message_text
    assert "holidays of US" in slack.command("/team", "holidays US", user_id=MANAGER).message_text
    bad = slack.command("/team", "holidays XX", user_id=MANAGER).message_text
    assert ":warning:" in bad and "XX" in bad
    [stored] = rows(engine, select(Team))
    assert (stored.standup_weekday, stored.standup_time, stored.workdays, stored.holiday_country) == (
        1,
        "10:30",
        "0,1,2,3,6",
        "US",
    )
    refused = slack.command("/team", "standup fri 16:00", user_id=ANA).message_text
    assert "Only a team's managers" in refused
    assert rows(engine, select(Team))[0].standup_weekday == 1


def test_removing_a_rep_keeps_their_history(slack, team, engine) -> None:
    slack.command("/log", "7 calls", user_id=BEN)
    assert "Removed <@U0BEN>" in slack.command("/team", f"remove <@{BEN}|ben>", user_id=MANAGER).message_text
    assert [e.amount for e in entries(engine, BEN)] == [Decimal(7)]
    [membership] = rows(engine, select(Membership).where(Membership.user_id == BEN))
    assert membership.removed_at is not None
    assert "not on a sales team" in slack.command("/log", "1 calls", user_id=BEN).message_text


def test_a_rep_is_on_one_team_at_a_time(slack, team, engine, fake_slack) -> None:
    fake_slack.add_user("U0WEST", name="wes", tz="America/Denver")
    slack.create_team("Sales West <#C0WEST|sales-west> tz=America/Denver", user_id="U0WEST")
    reply = slack.command("/team", f"add <@{ANA}|ana> <@{OUTSIDER}|olga>", user_id="U0WEST").message_text
    assert "already a rep on *Sales East*" in reply
    # All or nothing: Olga was not added either.
    assert rows(engine, select(Membership).where(Membership.user_id == OUTSIDER)) == []


def test_co_managers(slack, team) -> None:
    assert (
        "co-manages"
        in slack.command("/team", f"managers add <@{OUTSIDER}|olga>", user_id=MANAGER).message_text
    )
    assert "Sales East" in slack.command("/team", "", user_id=OUTSIDER).message_text
    assert "Goals set" in slack.command("/goals", f"<@{ANA}|ana> 3 emails/day", user_id=OUTSIDER).message_text


# --- /checkin ---------------------------------------------------------------------------------


def test_checkin_shows_stage_cadence_and_what_would_change_it(slack, team) -> None:
    shown = slack.command("/checkin", "", user_id=ANA).message_text
    # The date is the bot's clock's (the tests' START), not the machine's.
    assert "You're in *onboarding* (since 18 Nov 2026: joined a team)" in shown
    assert "each working day" in shown
    assert "3 more on-track weeks (and 4 more weeks on the team)" in shown


def test_away_and_back(slack, team, engine, web_clock) -> None:
    until = local_today(web_clock, "America/Los_Angeles") + timedelta(days=10)
    reply = slack.command("/checkin", f"away until {until.isoformat()}", user_id=ANA).message_text
    assert "paused everything" in reply
    [away] = rows(engine, select(AwayPeriod))
    assert away.end == until
    assert "Away" in slack.command("/checkin", "", user_id=ANA).message_text
    assert "Welcome back" in slack.command("/checkin", "back", user_id=ANA).message_text
    assert all(
        a.end < local_today(web_clock, "America/Los_Angeles") for a in rows(engine, select(AwayPeriod))
    )


def test_managers_pin_a_reps_cadence_and_reps_cannot(slack, team, engine) -> None:
    assert (
        "Pinned <@U0ANA> to *weekly*"
        in slack.command("/checkin", f"<@{ANA}|ana> weekly", user_id=MANAGER).message_text
    )
    assert "once a week" in slack.command("/checkin", "", user_id=ANA).message_text
    refused = slack.command("/checkin", f"<@{ANA}|ana> monthly", user_id=BEN).message_text
    assert "Only a rep's manager" in refused
    [profile] = rows(engine, select(RepProfile).where(RepProfile.user_id == ANA))
    assert profile.pinned_cadence == "weekly"
    assert "automatic again" in slack.command("/checkin", f"<@{ANA}|ana> auto", user_id=MANAGER).message_text


def test_each_person_sets_their_own_hours(slack, team, engine) -> None:
    reply = slack.command("/checkin", "hours 09:00-17:00", user_id=BEN)
    assert reply.status == 200 and reply.json()["response_type"] == "ephemeral"
    assert (
        "I'll only message you between 09:00 and 17:00 your time (Europe/Berlin), on your working days."
        in reply.message_text
    )
    [ben] = rows(engine, select(RepProfile).where(RepProfile.user_id == BEN))
    assert (ben.dm_from, ben.dm_until) == ("09:00", "17:00")
    shown = slack.command("/checkin", "", user_id=BEN).message_text
    assert "I'll message you at most once a working day while you're onboarding" in shown
    assert "between 09:00 and 17:00 your time (Europe/Berlin)" in shown

    refused = slack.command("/checkin", "hours 9-5", user_id=BEN).message_text  # nothing changes
    assert "Did you mean 17:00?" in refused and "/checkin hours 09:00-17:00" in refused
    [ben] = rows(engine, select(RepProfile).where(RepProfile.user_id == BEN))
    assert (ben.dm_from, ben.dm_until) == ("09:00", "17:00")

    # Managers are recipients like anyone else; the en dash Slack's autocorrect writes is fine.
    assert (
        "between 08:30 and 16:30"
        in slack.command("/checkin", "hours 8:30–16:30", user_id=MANAGER).message_text
    )
    [maria] = rows(engine, select(RepProfile).where(RepProfile.user_id == MANAGER))
    assert (maria.dm_from, maria.dm_until) == ("08:30", "16:30")
    assert "Back to the default hours" in slack.command("/checkin", "hours default", user_id=BEN).message_text
    [ben] = rows(engine, select(RepProfile).where(RepProfile.user_id == BEN))
    assert (ben.dm_from, ben.dm_until) == (None, None)


def test_mute_and_unmute_kudos(slack, team, engine) -> None:
    reply = slack.command("/checkin", "mute kudos", user_id=ANA).message_text
    assert (
        "No more praise DMs; you'll still see your progress in `/log` replies and the weekly standup."
        in reply
    )
    [ana] = rows(engine, select(RepProfile).where(RepProfile.user_id == ANA))
    assert ana.mute_kudos is True
    assert "Kudos DMs are muted" in slack.command("/checkin", "", user_id=ANA).message_text
    assert "Kudos are back on" in slack.command("/checkin", "unmute kudos", user_id=ANA).message_text
    [ana] = rows(engine, select(RepProfile).where(RepProfile.user_id == ANA))
    assert ana.mute_kudos is False


# --- workspaces -------------------------------------------------------------------------------


def test_nothing_crosses_workspaces(slack, team, engine) -> None:
    slack.command("/log", "25 calls", user_id=ANA)
    # The same user ID arriving from another workspace is a stranger there.
    other = slack.command("/team", "", user_id=MANAGER, team_id="T0OTHER").message_text
    assert "not on a team" in other
    assert (
        "not on a sales team" in slack.command("/log", "5 calls", user_id=ANA, team_id="T0OTHER").message_text
    )
    assert {e.workspace_id for e in entries(engine, ANA, live=False)} == {"T0001"}


def test_user_text_is_stored_plain_and_shown_escaped(slack, team, engine) -> None:
    # Slack escapes &, < and > in command text (should_escape); the note is stored as the rep typed it
    # and escaped again whenever it is shown, so it can never become a mention or a link.
    reply = slack.command("/log", "2 calls -- met <!channel> &amp; &lt;b&gt;boss&lt;/b&gt;", user_id=ANA)
    assert "Logged 2 calls" in reply.message_text, reply.message_text
    [entry] = entries(engine, ANA)
    assert entry.note == "met @channel & <b>boss</b>"
    shown = reply.json()["blocks"][0]["text"]["text"]
    assert "&lt;b&gt;boss&lt;/b&gt;" in shown
    assert "<!channel>" not in shown


def test_export_uploads_a_csv_of_the_month_to_the_managers_dm(slack, team, fake_slack) -> None:
    slack.command("/log", "25 calls, 2 demos -- =HYPERLINK(evil)", user_id=ANA)
    slack.command("/log", "$4,500.50", user_id=BEN)
    slack.command("/log", "3 notes", user_id=BEN)
    slack.command("/log", "undo", user_id=BEN)  # undone entries are not exported
    reply = slack.command("/team", "export", user_id=MANAGER)
    assert "Exporting 3 entries" in reply.message_text, reply.message_text
    done = fake_slack.wait_for(lambda f: f.calls("files.completeUploadExternal"), what="the CSV upload")
    [opened] = fake_slack.calls("conversations.open")
    assert opened.params["users"] == MANAGER
    [upload] = fake_slack.uploads.values()
    lines = upload.decode().splitlines()
    assert lines[0] == "date,rep_id,rep_name,metric,amount,note,source,logged_at_utc,currency"
    body = sorted(line.split(",")[1:5] for line in lines[1:])
    assert body == [
        ["U0ANA", "ana", "calls", "25"],
        ["U0ANA", "ana", "presentations", "2"],
        ["U0BEN", "ben", "revenue", "4500.5"],
    ]
    assert "'=HYPERLINK(evil)" in upload.decode()  # no formula reaches a spreadsheet
    assert done[0].params["channel_id"].startswith("D")
    refused = slack.command("/team", "export", user_id=ANA).message_text
    assert "Only a team's managers" in refused
