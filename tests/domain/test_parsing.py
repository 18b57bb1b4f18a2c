"""Slash-command parsing: every accepted form, and hostile input that must come back as a ParseError."""

from __future__ import annotations

import random
from datetime import date, time, timedelta
from decimal import Decimal

import pytest

from bot.domain.parsing import (
    TEAM,
    CheckinAway,
    CheckinBack,
    CheckinHelp,
    CheckinPin,
    CheckinView,
    GoalItem,
    GoalsClear,
    GoalsHelp,
    GoalsSet,
    GoalsTeamView,
    GoalsView,
    LogEntries,
    LogHelp,
    LogItem,
    LogShow,
    LogUndo,
    LogWeek,
    ParseError,
    TeamAdd,
    TeamChannel,
    TeamCreate,
    TeamDelete,
    TeamExport,
    TeamHelp,
    TeamHolidays,
    TeamManagersAdd,
    TeamManagersRemove,
    TeamRemove,
    TeamScoreboard,
    TeamStandup,
    TeamView,
    TeamWorkdays,
    parse_amount,
    parse_checkin,
    parse_goals,
    parse_log,
    parse_team,
    parse_user_ids,
    resolve_metric,
    suggest_metric,
)
from bot.domain.types import DEFAULT_METRICS, Cadence, Metric, MetricKind, Period, Scoreboard, Unit

TODAY = date(2026, 11, 27)  # a Friday
D = Decimal
M = DEFAULT_METRICS


def entries(*pairs: tuple[str, str | int], day: date = TODAY, note: str | None = None) -> LogEntries:
    return LogEntries(tuple(LogItem(k, D(str(v))) for k, v in pairs), day, note)


def goals(targets: tuple[str, ...], *items: tuple[str, str | int, Period]) -> GoalsSet:
    return GoalsSet(targets, tuple(GoalItem(k, D(str(v)), p) for k, v, p in items))


def log(text: str, today: date = TODAY) -> object:
    return parse_log(text, metrics=M, today=today)


# ---------------------------------------------------------------------------------------------------------
# parse_amount


@pytest.mark.parametrize(
    ("token", "expected"),
    [
        ("25", (D(25), False)),
        ("4.5k", (D(4500), False)),
        ("4.5K", (D(4500), False)),
        ("1.2m", (D(1_200_000), False)),
        ("$4,500.50", (D("4500.50"), True)),
        ("$4,500", (D(4500), True)),
        ("$12k", (D(12000), True)),
        ("€300", (D(300), True)),
        ("£2k", (D(2000), True)),
        ("300€", (D(300), True)),
        ("1,000", (D(1000), False)),
        ("1,234,567", (D(1234567), False)),
        ("0.5", (D("0.5"), False)),
        ("-5", (D(-5), False)),
        ("-$5", (D(-5), True)),
        ("99999999999999999999999999999m", (D("99999999999999999999999999999000000"), False)),
    ],
)
def test_parse_amount_accepts(token: str, expected: tuple[Decimal, bool]) -> None:
    assert parse_amount(token) == expected


@pytest.mark.parametrize(
    "token",
    [
        "",
        "calls",
        "10,0000",
        "1e9",
        "NaN",
        "Infinity",
        "inf",
        "0x10",
        "٣",
        "２５x",
        ".5",
        "5.",
        "$$5",
        "--5",
        "$5€",
        "5kk",
        "4.5.6",
        "1" * 40,
        "25calls",
    ],
)
def test_parse_amount_refuses(token: str) -> None:
    assert parse_amount(token) is None


@pytest.mark.parametrize(("token", "shown"), [("4.5k", "4500"), ("1.2m", "1200000"), ("$4,500.50", "4500.5")])
def test_parse_amount_is_normalized_not_scientific(token: str, shown: str) -> None:
    parsed = parse_amount(token)
    assert parsed is not None and str(parsed[0]) == shown


# ---------------------------------------------------------------------------------------------------------
# metrics and mentions


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("calls", "calls"),
        ("call", "calls"),
        ("CALLS", "calls"),
        ("cold calls", "calls"),
        ("cold call", "calls"),
        ("Cold-Calls", "calls"),
        ("dials", "calls"),
        ("demos", "presentations"),
        ("demo", "presentations"),
        ("presentation", "presentations"),
        ("pres", "presentations"),
        ("thank-you notes", "notes"),
        ("thank you notes", "notes"),
        ("thank you note", "notes"),
        ("thank-yous", "notes"),
        ("ty", "notes"),
        ("emails", "emails"),
        ("deals closed", "deals"),
        ("deal closed", "deals"),
        ("wins", "deals"),
        ("revenue", "revenue"),
        ("sales", "revenue"),
        ("Bookings", "revenue"),
    ],
)
def test_resolve_metric(name: str, key: str) -> None:
    metric = resolve_metric(name, M)
    assert metric is not None and metric.key == key


@pytest.mark.parametrize("name", ["cals", "", "   ", "calls made", "lunch", "cold", "notes calls"])
def test_resolve_metric_unknown(name: str) -> None:
    assert resolve_metric(name, M) is None


@pytest.mark.parametrize(
    ("name", "key"),
    [("cals", "calls"), ("presentatons", "presentations"), ("emial", "emails"), ("deels", "deals")],
)
def test_suggest_metric(name: str, key: str) -> None:
    metric = suggest_metric(name, M)
    assert metric is not None and metric.key == key


@pytest.mark.parametrize("name", ["xyzzy", "DROP TABLE entries", ""])
def test_suggest_metric_nothing_close(name: str) -> None:
    assert suggest_metric(name, M) is None


@pytest.mark.parametrize(
    ("text", "ids"),
    [
        ("", ()),
        ("<@U123ABC|ana> and <@U456DEF>", ("U123ABC", "U456DEF")),
        ("<@U123ABC|ana> <@U123ABC|ana>", ("U123ABC",)),
        ("<@W0ENTERPRISE|ent> hi", ("W0ENTERPRISE",)),
        ("<@U123ABC|ana maria>", ("U123ABC",)),
        ("@ana <!channel> <#C123|sales> &lt;@U999&gt; <@", ()),
        ("x" * 5000 + " <@U123ABC>", ("U123ABC",)),
    ],
)
def test_parse_user_ids(text: str, ids: tuple[str, ...]) -> None:
    assert parse_user_ids(text) == ids


# ---------------------------------------------------------------------------------------------------------
# /log — accepted


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("25 calls", entries(("calls", 25))),
        ("25 calls, 3 demos, 10 notes", entries(("calls", 25), ("presentations", 3), ("notes", 10))),
        ("3 demos and 2 deals", entries(("presentations", 3), ("deals", 2))),
        ("3 demos &amp; 2 deals", entries(("presentations", 3), ("deals", 2))),
        ("3 demos + 2 deals; 1 email", entries(("presentations", 3), ("deals", 2), ("emails", 1))),
        ("25 calls 3 demos", entries(("calls", 25), ("presentations", 3))),
        ("25 calls,3 demos", entries(("calls", 25), ("presentations", 3))),
        ("25 calls,,, 3 demos", entries(("calls", 25), ("presentations", 3))),
        ("$4,500", entries(("revenue", 4500))),
        ("$4,500.50", entries(("revenue", "4500.50"))),
        ("€300", entries(("revenue", 300))),
        ("1 deal $12k", entries(("deals", 1), ("revenue", 12000))),
        ("$12k 1 deal", entries(("revenue", 12000), ("deals", 1))),
        ("$12k revenue", entries(("revenue", 12000))),
        ("4.5k revenue", entries(("revenue", 4500))),
        ("1.2m revenue", entries(("revenue", 1_200_000))),
        ("$4,500 in sales", entries(("revenue", 4500))),
        ("1,000 calls", entries(("calls", 1000))),
        ("25 cold calls", entries(("calls", 25))),
        ("10 thank-you notes", entries(("notes", 10))),
        ("10 thank you notes", entries(("notes", 10))),
        ("2 deals closed", entries(("deals", 2))),
        ("2 deals closed $3k", entries(("deals", 2), ("revenue", 3000))),
        ("25 CALLS", entries(("calls", 25))),
        ("3demos", entries(("presentations", 3))),
        ("25 calls.", entries(("calls", 25))),
        ("２５ calls", entries(("calls", 25))),  # full-width digits (Japanese IME) are NFKC-normalized
        ("25 calls, 5 calls", entries(("calls", 30))),
        ("2 demos, 25 calls, 1 demo", entries(("presentations", 3), ("calls", 25))),
        ("600 calls, 400 calls", entries(("calls", 1000))),
        ("  25\u00a0calls \t\n 3   demos ", entries(("calls", 25), ("presentations", 3))),
        ("25 ca\u200blls", entries(("calls", 25))),  # zero-width space dropped
        (
            "25 calls 3 demos 4 ty 2 emails 1 win $1.5k",
            entries(
                ("calls", 25),
                ("presentations", 3),
                ("notes", 4),
                ("emails", 2),
                ("deals", 1),
                ("revenue", 1500),
            ),
        ),
        # dates
        ("yesterday 25 calls", entries(("calls", 25), day=date(2026, 11, 26))),
        ("25 calls yesterday", entries(("calls", 25), day=date(2026, 11, 26))),
        ("yesterday: 25 calls", entries(("calls", 25), day=date(2026, 11, 26))),
        ("yesterday, 25 calls", entries(("calls", 25), day=date(2026, 11, 26))),
        ("today 25 calls", entries(("calls", 25))),
        ("mon 25 calls", entries(("calls", 25), day=date(2026, 11, 23))),
        ("25 calls on monday", entries(("calls", 25), day=date(2026, 11, 23))),
        ("on Tues 25 calls", entries(("calls", 25), day=date(2026, 11, 24))),
        ("25 calls for wed", entries(("calls", 25), day=date(2026, 11, 25))),
        ("thurs 25 calls", entries(("calls", 25), day=date(2026, 11, 26))),
        ("thur 25 calls", entries(("calls", 25), day=date(2026, 11, 26))),
        ("fri 25 calls", entries(("calls", 25))),  # the most recent Friday is today
        ("sat 25 calls", entries(("calls", 25), day=date(2026, 11, 21))),
        ("sun 25 calls", entries(("calls", 25), day=date(2026, 11, 22))),
        ("2026-11-25 25 calls", entries(("calls", 25), day=date(2026, 11, 25))),
        ("25 calls 2026-11-13", entries(("calls", 25), day=date(2026, 11, 13))),  # 14 days back: allowed
        # notes
        ("25 calls -- great day", entries(("calls", 25), note="great day")),
        ("25 calls — great day", entries(("calls", 25), note="great day")),
        ("25 calls – great day", entries(("calls", 25), note="great day")),
        ("25 calls--great day", entries(("calls", 25), note="great day")),
        ("25 calls --", entries(("calls", 25))),
        ("25 calls --    ", entries(("calls", 25))),
        ("25 calls yesterday -- note", entries(("calls", 25), day=date(2026, 11, 26), note="note")),
        ("25 calls -- a -- b", entries(("calls", 25), note="a -- b")),
        ("25 calls -- Q&amp;A &lt;3 &gt; &amp;lt;", entries(("calls", 25), note="Q&A <3 > &lt;")),
        (
            "25 calls -- with <@U123ABC|ana> in <#C123ABC|sales>",
            entries(("calls", 25), note="with @ana in #sales"),
        ),
        ("25 calls -- <!channel> look", entries(("calls", 25), note="@channel look")),
        ("25 calls -- line one\nline two", entries(("calls", 25), note="line one line two")),
        ("25 calls -- 🎉 fun", entries(("calls", 25), note="🎉 fun")),
        ("25 calls -- " + "x" * 500, entries(("calls", 25), note="x" * 500)),
        # keywords
        ("", LogShow(TODAY)),
        ("   ", LogShow(TODAY)),
        ("today", LogShow(TODAY)),
        ("TODAY", LogShow(TODAY)),
        ("yesterday", LogShow(date(2026, 11, 26))),
        ("yesterday,", LogShow(date(2026, 11, 26))),
        ("mon", LogShow(date(2026, 11, 23))),
        ("2026-11-20", LogShow(date(2026, 11, 20))),
        ("week", LogWeek()),
        ("Week", LogWeek()),
        ("undo", LogUndo()),
        ("help", LogHelp()),
        ("?", LogHelp()),
    ],
)
def test_log_accepts(text: str, expected: object) -> None:
    assert log(text) == expected


def test_log_amounts_are_normalized_decimals() -> None:
    result = log("4.5k revenue, 1.2m revenue")
    assert isinstance(result, LogEntries)
    assert str(result.items[0].amount) == "1204500"


# ---------------------------------------------------------------------------------------------------------
# /log — refused (nothing recorded), with what the message must mention


@pytest.mark.parametrize(
    ("text", "mentions"),
    [
        ("25 cals", "*calls*"),
        ("25 cals", '"cals"'),
        ("cals", "*calls*"),
        ("25 presentatons", "*presentations*"),
        ("25 xyzzy", "*revenue*"),  # no close match: the metric keys are listed
        ("25", "what?"),
        ("4.5k", "what?"),
        ("25 calls 25", "what?"),
        ("calls", "How many *calls*"),
        ("ca\u200blls", "How many *calls*"),  # zero-width space dropped
        ("calls 25", "number first"),
        ("lots of calls", "lots of calls"),
        ("25 calls; DROP TABLE entries", "DROP TABLE entries"),
        ("25 calls'; DROP TABLE entries;--", None),
        ("1e9 calls", "1e9"),
        ("NaN calls", None),
        ("Infinity calls", None),
        ("inf calls", None),
        ("0x10 calls", "0x10"),
        ("٣ calls", "0-9"),
        ("25٣ calls", "0-9"),
        ("0 calls", "more than zero"),
        ("-5 calls", "more than zero"),
        ("−5 calls", "more than zero"),
        ("$-5", "more than zero"),
        ("2.5 calls", "whole"),
        ("1001 calls", "1,000"),
        ("1,001 calls", "1,000"),
        ("4.5k calls", "4,500"),
        ("1.2m calls", None),
        ("600 calls, 401 calls", "1,001"),
        ("$5 calls", "currency"),
        ("$12k deals", "currency"),
        ("$100,000,001", "100,000,000"),
        ("$60m, $60m", None),
        ("$1.2345", "2 decimals"),
        ("99999999999999999999999999999m calls", "That many"),
        ("1,50 calls", "1,50"),  # a decimal comma (issue 15): 1.5 calls, not a whole number
        ("11/25 25 calls", "2026-11-25"),
        ("2026-02-30 25 calls", "real date"),
        ("2026-11-28 25 calls", "future"),
        ("tomorrow 25 calls", "future"),
        ("tomorrow", "future"),
        ("2027-01-01", "future"),
        ("2026-11-12 25 calls", "14 days"),
        ("2025-11-27", "14 days"),
        ("yesterday 25 calls today", "one date"),
        ("mon 25 calls tue", "one date"),
        ("25 calls yesterday 3 demos", "start or the end"),
        ("25 calls - note", "two dashes"),
        ("-- just a note", "before the note"),
        ("yesterday -- note", "before the note"),
        ("25 calls -- " + "x" * 501, "500"),
        ("and", "nothing to log"),
        (",,,", "nothing to log"),
        ("<!channel>", "@channel"),
        ("<!here> 25 calls", None),
        ("<@U123ABC|ana> 25 calls", "@ana"),
        ("25 calls <#C123ABC|sales>", "#sales"),
        ("25 calls <https://evil.example|click>", None),
        ("<@", None),
        ("<", None),
        ("&lt;@U123ABC&gt; 25 calls", None),
        ("25 calls ― note", None),  # a horizontal bar is not a note separator
        ("25 calls ‐ note", None),
        ("25 calls 3", "what?"),
        ("25 25 calls", "what?"),
        ("$ 25 calls", None),
        ("25 calls " + "a" * 1980, None),
        ("x" * 2001, "2,000"),
        ("25 calls, " * 201, None),
        ("help me", None),
        ("undo 25 calls", None),
    ],
)
def test_log_refuses(text: str, mentions: str | None) -> None:
    result = log(text)
    assert isinstance(result, ParseError), result
    assert result.message
    assert "/log" in result.usage
    if mentions is not None:
        assert mentions.casefold() in result.message.casefold()


def test_log_error_echo_is_escaped_and_short() -> None:
    result = log("25 <b>" + "z" * 200)
    assert isinstance(result, ParseError)
    assert "<b>" not in result.message and len(result.message) < 300


def test_log_usage_is_the_documented_form() -> None:
    result = log("25 cals")
    assert isinstance(result, ParseError)
    assert result.usage == "Try `/log 25 calls, 3 demos` or `/log help`."


def test_log_dates_are_relative_to_today() -> None:
    monday = date(2026, 11, 23)
    assert log("mon", today=monday) == LogShow(monday)
    assert log("sun 5 calls", today=monday) == entries(("calls", 5), day=date(2026, 11, 22))
    assert log("yesterday", today=date(2027, 1, 1)) == LogShow(date(2026, 12, 31))


def test_log_without_a_currency_metric_refuses_a_bare_amount() -> None:
    metrics = (Metric("calls", "calls", MetricKind.ACTIVITY, Unit.COUNT),)
    result = parse_log("$500", metrics=metrics, today=TODAY)
    assert isinstance(result, ParseError)
    assert "money" in result.message


def test_log_custom_metric_labels() -> None:
    metrics = (
        *M,
        Metric("linkedin", "LinkedIn messages", MetricKind.ACTIVITY, Unit.COUNT, ("inmails", "inmail")),
    )
    result = parse_log("12 linkedin messages, 3 inmails", metrics=metrics, today=TODAY)
    assert result == entries(("linkedin", 15))


# ---------------------------------------------------------------------------------------------------------
# /goals

A = "<@U0AAA111|ana>"
B = "<@U0BBB222|ben>"
DAY, WEEK, MONTH, QUARTER = Period.DAY, Period.WEEK, Period.MONTH, Period.QUARTER


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", GoalsView(())),
        ("help", GoalsHelp()),
        ("?", GoalsHelp()),
        ("team", GoalsTeamView()),
        ("TEAM", GoalsTeamView()),
        (A, GoalsView(("U0AAA111",))),
        (f"{A} {B}", GoalsView(("U0AAA111", "U0BBB222"))),
        (f"{A} {A}", GoalsView(("U0AAA111",))),
        (
            f"{A} 25 calls/day, 5 presentations/week, 10 notes/day",
            goals(("U0AAA111",), ("calls", 25, DAY), ("presentations", 5, WEEK), ("notes", 10, DAY)),
        ),
        (f"{A} {B} 25 calls/day", goals(("U0AAA111", "U0BBB222"), ("calls", 25, DAY))),
        (f"{A}, {B} 25 calls/day", goals(("U0AAA111", "U0BBB222"), ("calls", 25, DAY))),
        (f"{A} and {B} 25 calls/day", goals(("U0AAA111", "U0BBB222"), ("calls", 25, DAY))),
        ("team 25 calls/day", goals((TEAM,), ("calls", 25, DAY))),
        (
            "team 25 calls per day and 5 demos a week",
            goals((TEAM,), ("calls", 25, DAY), ("presentations", 5, WEEK)),
        ),
        (f"{A} 25 calls/d", goals(("U0AAA111",), ("calls", 25, DAY))),
        (f"{A} 25 calls daily", goals(("U0AAA111",), ("calls", 25, DAY))),
        (f"{A} daily 25 calls", goals(("U0AAA111",), ("calls", 25, DAY))),
        (f"{A} 25 calls / day", goals(("U0AAA111",), ("calls", 25, DAY))),
        (f"{A} 25 calls each day", goals(("U0AAA111",), ("calls", 25, DAY))),
        (f"{A} 5 demos/wk", goals(("U0AAA111",), ("presentations", 5, WEEK))),
        (f"{A} 5 demos/w", goals(("U0AAA111",), ("presentations", 5, WEEK))),
        (f"{A} 5 demos per week", goals(("U0AAA111",), ("presentations", 5, WEEK))),
        (f"{A} 5 demos weekly", goals(("U0AAA111",), ("presentations", 5, WEEK))),
        (f"{A} 40 emails/month", goals(("U0AAA111",), ("emails", 40, MONTH))),
        (f"{A} 40 emails/mo", goals(("U0AAA111",), ("emails", 40, MONTH))),
        (f"{A} 40 emails per month", goals(("U0AAA111",), ("emails", 40, MONTH))),
        (f"{A} 40 emails monthly", goals(("U0AAA111",), ("emails", 40, MONTH))),
        (f"{A} 12 deals/quarter", goals(("U0AAA111",), ("deals", 12, QUARTER))),
        (f"{A} 12 deals/q", goals(("U0AAA111",), ("deals", 12, QUARTER))),
        (f"{A} 12 deals/qtr", goals(("U0AAA111",), ("deals", 12, QUARTER))),
        (f"{A} 12 deals per quarter", goals(("U0AAA111",), ("deals", 12, QUARTER))),
        (f"{A} 12 deals quarterly", goals(("U0AAA111",), ("deals", 12, QUARTER))),
        (f"{A} quota $50k/month", goals(("U0AAA111",), ("revenue", 50000, MONTH))),
        (f"{A} quota: $50k/month", goals(("U0AAA111",), ("revenue", 50000, MONTH))),
        (f"{A} Quota of $50k per month", goals(("U0AAA111",), ("revenue", 50000, MONTH))),
        (f"{A} quota 4 deals/month", goals(("U0AAA111",), ("deals", 4, MONTH))),
        (f"{A} 4 deals/month", goals(("U0AAA111",), ("deals", 4, MONTH))),
        (f"{A} $50k/month", goals(("U0AAA111",), ("revenue", 50000, MONTH))),
        (f"{A} 50k revenue/month", goals(("U0AAA111",), ("revenue", 50000, MONTH))),
        (f"{A} $2,500.50/day", goals(("U0AAA111",), ("revenue", "2500.50", DAY))),
        (f"{A} 1 deal/day", goals(("U0AAA111",), ("deals", 1, DAY))),
        (
            f"{A} quota $50k/month, 4 deals/month",
            goals(("U0AAA111",), ("revenue", 50000, MONTH), ("deals", 4, MONTH)),
        ),
        (
            f"{A} quota $50k/month quota 4 deals/month",
            goals(("U0AAA111",), ("revenue", 50000, MONTH), ("deals", 4, MONTH)),
        ),
        (
            f"{A} 25 calls/day 5 demos/week",
            goals(("U0AAA111",), ("calls", 25, DAY), ("presentations", 5, WEEK)),
        ),
        (
            f"{A} 25 cold calls/day, 10 thank-you notes/day",
            goals(("U0AAA111",), ("calls", 25, DAY), ("notes", 10, DAY)),
        ),
        (f"{A} 2,000 calls/month", goals(("U0AAA111",), ("calls", 2000, MONTH))),  # no /log cap here
        (f"{A} 100000 calls/quarter", goals(("U0AAA111",), ("calls", 100000, QUARTER))),
        (f"{A} $1,000,000,000/quarter", goals(("U0AAA111",), ("revenue", 1_000_000_000, QUARTER))),
        (f"{A} clear calls", GoalsClear(("U0AAA111",), ("calls",))),
        (f"{A} clear calls, notes", GoalsClear(("U0AAA111",), ("calls", "notes"))),
        (f"{A} clear calls and cold calls", GoalsClear(("U0AAA111",), ("calls",))),
        (f"{A} clear quota", GoalsClear(("U0AAA111",), ("deals", "revenue"))),
        (f"{A} clear quota, calls", GoalsClear(("U0AAA111",), ("deals", "revenue", "calls"))),
        (f"{A} clear", GoalsClear(("U0AAA111",), ())),
        (f"{A} clear all", GoalsClear(("U0AAA111",), ())),
        (f"{A} {B} clear demos", GoalsClear(("U0AAA111", "U0BBB222"), ("presentations",))),
        ("team clear cold calls notes", GoalsClear((TEAM,), ("calls", "notes"))),
        ("team clear", GoalsClear((TEAM,), ())),
    ],
)
def test_goals_accepts(text: str, expected: object) -> None:
    assert parse_goals(text, metrics=M) == expected


@pytest.mark.parametrize(
    ("text", "mentions"),
    [
        ("25 calls/day", "`@rep`"),
        ("25 calls/day", "`team`"),
        ("clear all", "`@rep`"),
        ("clear calls", "`@rep`"),
        (f"{A} 25 calls", "period"),
        (f"{A} 25 calls/fortnight", "/fortnight"),
        (f"{A} 25 calls/day/week", "one period"),
        (f"{A} 25 calls/day, 30 calls/week", "twice"),
        (f"{A} 25 calls/day, 30 cold calls/day", "twice"),
        (f"{A} quota 25 calls/day", "result metric"),
        (f"{A} quota: 10 notes/week", "result metric"),
        (f"{A} 25 cals/day", "*calls*"),
        (f"{A} clear cals", "*calls*"),
        (f"{A} 25/day", "what?"),
        (f"{A} calls/day", "How many *calls*"),
        (f"{A} quota", None),
        (f"{A} /day", None),
        (f"{A} 0 calls/day", "more than zero"),
        (f"{A} -5 calls/day", "more than zero"),
        (f"{A} 2.5 calls/day", "whole"),
        (f"{A} 100001 calls/day", "100,000"),
        (f"{A} $1,000,000,001/quarter", "1,000,000,000"),
        (f"{A} $5 calls/day", "currency"),
        (f"{A} $1.0055/day", "2 decimals"),
        (f"team {A} 25 calls/day", "not both"),
        ("@ana 25 calls/day", "autocomplete"),
        ("<!channel> 25 calls/day", "@channel"),
        ("<!subteam^S0123|@sales> 25 calls/day", "@sales"),
        (f"25 calls/day {A}", "`@rep` first"),
        (f"{A} 25 calls/day <#C123ABC|sales>", "#sales"),
        ("<@U0AAA111|ana", None),
        ("<@>", None),
        ("me", "me"),
        (f"{A} 25 calls/day; DROP TABLE goals", "DROP TABLE goals"),
        ("x" * 2001, "2,000"),
    ],
)
def test_goals_refuses(text: str, mentions: str | None) -> None:
    result = parse_goals(text, metrics=M)
    assert isinstance(result, ParseError), result
    assert "/goals" in result.usage
    if mentions is not None:
        assert mentions.casefold() in result.message.casefold()


def test_goals_clear_quota_without_result_metrics_never_means_clear_all() -> None:
    metrics = (Metric("calls", "calls", MetricKind.ACTIVITY, Unit.COUNT),)
    result = parse_goals(f"{A} clear quota", metrics=metrics)
    assert isinstance(result, ParseError)


# ---------------------------------------------------------------------------------------------------------
# /team


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", TeamView()),
        ("help", TeamHelp()),
        ("HELP", TeamHelp()),
        (
            "create Sales East <#C123ABC|sales-east> tz=America/New_York",
            TeamCreate("Sales East", "C123ABC", "sales-east", "America/New_York"),
        ),
        ("create Sales East <#C123ABC|sales-east>", TeamCreate("Sales East", "C123ABC", "sales-east", None)),
        ("create Sales East <#C123ABC>", TeamCreate("Sales East", "C123ABC", None, None)),
        (
            "create Sales East tz=Europe/London <#C123ABC|x>",
            TeamCreate("Sales East", "C123ABC", "x", "Europe/London"),
        ),
        (
            "create Sales East <#C123ABC|x> TZ=america/new_york",
            TeamCreate("Sales East", "C123ABC", "x", "America/New_York"),
        ),
        ("create Sales East <#C123ABC|x> tz=UTC", TeamCreate("Sales East", "C123ABC", "x", "UTC")),
        ("create  Sales   East  <#C123ABC|x>", TeamCreate("Sales East", "C123ABC", "x", None)),
        (
            "create Sales &amp; Co &lt;West&gt; <#C123ABC|x>",
            TeamCreate("Sales & Co <West>", "C123ABC", "x", None),
        ),
        ('create "Sales East" <#C123ABC|x>', TeamCreate("Sales East", "C123ABC", "x", None)),
        ("create “Sales East” <#C123ABC|x>", TeamCreate("Sales East", "C123ABC", "x", None)),
        ("create Team #1 <#C123ABC|x>", TeamCreate("Team #1", "C123ABC", "x", None)),
        ("create Ventas Señor 🚀 <#C123ABC|x>", TeamCreate("Ventas Señor 🚀", "C123ABC", "x", None)),
        ("create " + "n" * 80 + " <#C123ABC|x>", TeamCreate("n" * 80, "C123ABC", "x", None)),
        ("create Sales <#G0PRIVATE|secret>", TeamCreate("Sales", "G0PRIVATE", "secret", None)),
        ("add <@U0AAA111|ana> <@U0BBB222|ben>", TeamAdd(("U0AAA111", "U0BBB222"))),
        ("add <@U0AAA111|ana>, <@U0BBB222|ben>", TeamAdd(("U0AAA111", "U0BBB222"))),
        ("add <@U0AAA111|ana> and <@U0BBB222|ben>", TeamAdd(("U0AAA111", "U0BBB222"))),
        ("add <@U0AAA111|ana> <@U0AAA111|ana>", TeamAdd(("U0AAA111",))),
        ("Add <@U0AAA111>", TeamAdd(("U0AAA111",))),
        ("remove <@U0AAA111|ana>", TeamRemove(("U0AAA111",))),
        ("managers add <@U0MMM333|m>", TeamManagersAdd(("U0MMM333",))),
        ("manager add <@U0MMM333|m>", TeamManagersAdd(("U0MMM333",))),
        ("managers remove <@U0MMM333|m>", TeamManagersRemove(("U0MMM333",))),
        ("standup mon 09:00", TeamStandup(0, time(9, 0))),
        ("standup monday 9:00", TeamStandup(0, time(9, 0))),
        ("standup mon 9am", TeamStandup(0, time(9, 0))),
        ("standup mon 9 AM", TeamStandup(0, time(9, 0))),
        ("standup mon 9:30am", TeamStandup(0, time(9, 30))),
        ("standup mon 9:30 pm", TeamStandup(0, time(21, 30))),
        ("standup mon 13:30", TeamStandup(0, time(13, 30))),
        ("standup tue at 10:15", TeamStandup(1, time(10, 15))),
        ("standup 9am friday", TeamStandup(4, time(9, 0))),
        ("standup mondays 9", TeamStandup(0, time(9, 0))),
        ("standup sun 12am", TeamStandup(6, time(0, 0))),
        ("standup sun 12pm", TeamStandup(6, time(12, 0))),
        ("standup wed noon", TeamStandup(2, time(12, 0))),
        ("standup thu 23:59", TeamStandup(3, time(23, 59))),
        ("workdays mon-fri", TeamWorkdays(frozenset({0, 1, 2, 3, 4}))),
        ("workdays sun-thu", TeamWorkdays(frozenset({6, 0, 1, 2, 3}))),
        ("workdays fri-mon", TeamWorkdays(frozenset({4, 5, 6, 0}))),
        ("workdays mon,tue,wed", TeamWorkdays(frozenset({0, 1, 2}))),
        ("workdays mon tue wed thu", TeamWorkdays(frozenset({0, 1, 2, 3}))),
        ("workdays mon-thu, sat", TeamWorkdays(frozenset({0, 1, 2, 3, 5}))),
        ("workdays mon – fri", TeamWorkdays(frozenset({0, 1, 2, 3, 4}))),
        ("workdays monday to friday", TeamWorkdays(frozenset({0, 1, 2, 3, 4}))),
        ("workdays mon-mon", TeamWorkdays(frozenset({0}))),
        ("workdays weekdays", TeamWorkdays(frozenset({0, 1, 2, 3, 4}))),
        ("workdays Mon, Wed and Fri", TeamWorkdays(frozenset({0, 2, 4}))),
        ("holidays US", TeamHolidays("US", None)),
        ("holidays us", TeamHolidays("US", None)),
        ("holidays US-CA", TeamHolidays("US", "CA")),
        ("holidays us-ca", TeamHolidays("US", "CA")),
        ("holidays GB ENG", TeamHolidays("GB", "ENG")),
        ("holidays ZZ", TeamHolidays("ZZ", None)),  # not validated here: the service checks countries
        ("holidays none", TeamHolidays(None, None)),
        ("holidays off", TeamHolidays(None, None)),
        ("holidays OFF", TeamHolidays(None, None)),
        ("scoreboard public", TeamScoreboard(Scoreboard.PUBLIC)),
        ("scoreboard kudos-only", TeamScoreboard(Scoreboard.KUDOS_ONLY)),
        ("scoreboard kudos only", TeamScoreboard(Scoreboard.KUDOS_ONLY)),
        ("scoreboard kudos", TeamScoreboard(Scoreboard.KUDOS_ONLY)),
        ("scoreboard Private", TeamScoreboard(Scoreboard.KUDOS_ONLY)),
        ("export", TeamExport(None, None)),
        ("export this month", TeamExport(None, None)),
        ("export last month", TeamExport(2026, 10)),
        ("export 2026-11", TeamExport(2026, 11)),
        ("export 2026-01", TeamExport(2026, 1)),
        ("export november", TeamExport(2026, 11)),
        ("export nov", TeamExport(2026, 11)),
        ("export Sept", TeamExport(2026, 9)),
        ("export nov 2026", TeamExport(2026, 11)),
        ("export november 2026", TeamExport(2026, 11)),
        ("export december", TeamExport(2025, 12)),
        ("export dec 2025", TeamExport(2025, 12)),
        ("channel <#C456DEF|west>", TeamChannel("C456DEF", "west")),
        ("delete", TeamDelete(None)),
        ("delete Sales East", TeamDelete("Sales East")),
        ("delete  “Sales East” ", TeamDelete("Sales East")),
        # Dots and versions are names, not links.
        ("create Sales v2.0 <#C123ABC|x>", TeamCreate("Sales v2.0", "C123ABC", "x", None)),
        ("create St. Louis <#C123ABC|x>", TeamCreate("St. Louis", "C123ABC", "x", None)),
    ],
)
def test_team_accepts(text: str, expected: object) -> None:
    assert parse_team(text, today=TODAY) == expected


@pytest.mark.parametrize(
    ("text", "mentions", "usage_mentions"),
    [
        ("frobnicate", "frobnicate", "/team help"),
        ("create Sales East #sales-east", "autocomplete", "/team create"),
        ("create Sales East", "channel", "/team create"),
        ("create <#C123ABC|x>", "called", "/team create"),
        ("create Sales <#C123ABC|x> <#C456DEF|y>", "one channel", "/team create"),
        ("create Sales <#C123ABC|x> extra words", "extra", "/team create"),
        ("create Sales <#C123ABC|x> tz=Mars/Base", "Mars/Base", "/team create"),
        ("create Sales <#C123ABC|x> tz=../../etc/passwd", "timezone", "/team create"),
        ("create Sales <#C123ABC|x> tz=", "timezone", "/team create"),
        ("create Sales <#C123ABC|x> tz=UTC tz=UTC", "once", "/team create"),
        ("create " + "n" * 81 + " <#C123ABC|x>", "80", "/team create"),
        ("create <@U0AAA111|ana> <#C123ABC|x>", "mention", "/team create"),
        ("create <!channel> <#C123ABC|x>", None, "/team create"),
        ("create <https://evil.example|Pay here> <#C123ABC|x>", "link", "/team create"),
        ("create Visit evil.example.com <#C123ABC|x>", "web address", "/team create"),
        ("create www.pay-now <#C123ABC|x>", "web address", "/team create"),
        ("create hxxp://x <#C123ABC|x>", "link", "/team create"),
        ("create Hijack <#C123ABC|x> <#C456DEF|y>", "one channel", "/team create"),
        ("create <#C456DEF|y> <#C123ABC|x>", "one channel", "/team create"),
        ("channel", "which channel", "/team channel"),
        ("channel #sales-west", "autocomplete", "/team channel"),
        ("channel <#C123ABC|x> <#C456DEF|y>", "which channel", "/team channel"),
        ("channel <#C123ABC|x> now", "which channel", "/team channel"),
        ("delete <!here>", "mention", "/team delete"),
        ("delete <@U0AAA111|ana>", "mention", "/team delete"),
        ("add", "at least one", "/team add"),
        ("add @ana", "autocomplete", "/team add"),
        ("add <!here>", "@here", "/team add"),
        ("add <!channel>", "@channel", "/team add"),
        ("add <@U0AAA111|ana> bob", "bob", "/team add"),
        ("add <#C123ABC|sales>", "#sales", "/team add"),
        ("remove", "at least one", "/team"),
        ("managers", "managers add", "/team"),
        ("managers add", "at least one", "/team"),
        ("managers delete <@U0AAA111>", None, "/team"),
        ("standup", "weekday", "/team standup"),
        ("standup mon", "weekday", "/team standup"),
        ("standup 9am", "weekday", "/team standup"),
        ("standup mon tue 9am", "weekday", "/team standup"),
        ("standup mon 25:00", "real time", "/team standup"),
        ("standup mon 9:60", "real time", "/team standup"),
        ("standup mon 13pm", "1 to 12", "/team standup"),
        ("standup mon 0am", "1 to 12", "/team standup"),
        ("standup mon soon", "soon", "/team standup"),
        ("standup funday 9am", None, "/team standup"),
        ("workdays", "which days", "/team workdays"),
        ("workdays funday", "funday", "/team workdays"),
        ("workdays mon-tue-wed", None, "/team workdays"),
        ("workdays mon-", None, "/team workdays"),
        ("holidays U", "country code", "/team holidays"),
        ("holidays USAA", "country code", "/team holidays"),
        ("holidays ÜS", None, "/team holidays"),
        ("holidays 12", None, "/team holidays"),
        ("holidays US-CA-X", None, "/team holidays"),
        ("scoreboard", "scoreboard mode", "/team scoreboard"),
        ("scoreboard loud", "loud", "/team scoreboard"),
        ("export dec 2026", "hasn't happened", "/team export"),
        ("export 2027-01", "hasn't happened", "/team export"),
        ("export 2026-13", "real month", "/team export"),
        ("export 1999-01", "1999", "/team export"),
        ("export nov 26", "year", "/team export"),
        ("export soon", "soon", "/team export"),
        ("standup mon 9am <!channel>", None, "/team"),
        ("x" * 2001, "2,000", "/team"),
    ],
)
def test_team_refuses(text: str, mentions: str | None, usage_mentions: str) -> None:
    result = parse_team(text, today=TODAY)
    assert isinstance(result, ParseError), result
    assert usage_mentions in result.usage
    if mentions is not None:
        assert mentions.casefold() in result.message.casefold()


def test_team_export_month_name_looks_back_across_new_year() -> None:
    january = date(2027, 1, 10)
    assert parse_team("export december", today=january) == TeamExport(2026, 12)
    assert parse_team("export january", today=january) == TeamExport(2027, 1)
    assert parse_team("export last month", today=january) == TeamExport(2026, 12)


# ---------------------------------------------------------------------------------------------------------
# /checkin


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", CheckinView(None)),
        ("help", CheckinHelp()),
        ("?", CheckinHelp()),
        ("back", CheckinBack()),
        ("Back", CheckinBack()),
        ("<@U0AAA111|ana>", CheckinView("U0AAA111")),
        ("<@U0AAA111|ana> <@U0AAA111|ana>", CheckinView("U0AAA111")),
        ("<@U0AAA111|ana> daily", CheckinPin("U0AAA111", Cadence.DAILY)),
        ("<@U0AAA111|ana> weekly", CheckinPin("U0AAA111", Cadence.WEEKLY)),
        ("<@U0AAA111|ana> Monthly", CheckinPin("U0AAA111", Cadence.MONTHLY)),
        ("<@U0AAA111|ana> auto", CheckinPin("U0AAA111", None)),
        ("away until 2026-12-28", CheckinAway(TODAY, date(2026, 12, 28))),
        ("away until dec 28", CheckinAway(TODAY, date(2026, 12, 28))),
        ("away until december 28", CheckinAway(TODAY, date(2026, 12, 28))),
        ("away until Dec. 28, 2026", CheckinAway(TODAY, date(2026, 12, 28))),
        ("away until 28 dec", CheckinAway(TODAY, date(2026, 12, 28))),
        ("away until 28th December 2026", CheckinAway(TODAY, date(2026, 12, 28))),
        ("away till jan 4", CheckinAway(TODAY, date(2027, 1, 4))),
        ("away until nov 27", CheckinAway(TODAY, TODAY)),
        ("away until nov 26", CheckinAway(TODAY, date(2027, 11, 26))),  # month-day: the next such date
        ("away 2026-12-01 to 2026-12-05", CheckinAway(date(2026, 12, 1), date(2026, 12, 5))),
        ("away from 2026-12-01 to 2026-12-05", CheckinAway(date(2026, 12, 1), date(2026, 12, 5))),
        ("away from 2026-12-01 until 2026-12-05", CheckinAway(date(2026, 12, 1), date(2026, 12, 5))),
        ("away 2026-12-01 - 2026-12-05", CheckinAway(date(2026, 12, 1), date(2026, 12, 5))),
        ("away from dec 1 to dec 5", CheckinAway(date(2026, 12, 1), date(2026, 12, 5))),
        ("away from dec 30 to jan 3", CheckinAway(date(2026, 12, 30), date(2027, 1, 3))),
        ("away until tomorrow", CheckinAway(TODAY, date(2026, 11, 28))),
        ("away today", CheckinAway(TODAY, TODAY)),
        ("away tomorrow", CheckinAway(date(2026, 11, 28), date(2026, 11, 28))),
        ("away 2026-12-24", CheckinAway(date(2026, 12, 24), date(2026, 12, 24))),
        ("away until monday", CheckinAway(TODAY, date(2026, 11, 30))),
        ("away until friday", CheckinAway(TODAY, TODAY)),
        ("away until 2027-11-28", CheckinAway(TODAY, date(2027, 11, 28))),  # 366 days ahead
    ],
)
def test_checkin_accepts(text: str, expected: object) -> None:
    assert parse_checkin(text, today=TODAY) == expected


@pytest.mark.parametrize(
    ("text", "mentions", "usage_mentions"),
    [
        ("away", "until when", "away"),
        ("away until", "until when", "away"),
        ("away until 2026-11-26", "before the start", "away"),
        ("away from 2026-11-20 to 2026-12-01", "past", "away"),
        ("away from 2026-12-05 to 2026-12-01", "before the start", "away"),
        ("away until 2027-11-29", "366", "away"),
        ("away until feb 30", "real date", "away"),
        ("away until 2026-02-30", "real date", "away"),
        ("away until feb 29", "too far", "away"),  # the next Feb 29 is in 2028
        ("away until smarch 3", "smarch", "away"),
        ("away for two weeks", "two weeks", "away"),
        ("away until dec 28 20266", None, "away"),
        ("away until <@U0AAA111|ana>", "@ana", "/checkin"),
        ("<@U0AAA111|ana> hourly", "hourly", "@rep"),
        ("<@U0AAA111|ana> daily weekly", None, "@rep"),
        ("<@U0AAA111|ana> <@U0BBB222|ben> daily", "one rep", "@rep"),
        ("daily", "@rep daily", "@rep"),
        ("auto", "@rep auto", "@rep"),
        ("@ana daily", "autocomplete", "/checkin"),
        ("<!channel>", "@channel", "/checkin"),
        ("<!here> daily", "@here", "/checkin"),
        ("backwards", "backwards", "/checkin"),
        ("back now please", None, "/checkin"),
        ("<#C123ABC|sales>", None, "/checkin"),
        ("<@", None, "/checkin"),
        ("x" * 2001, "2,000", "/checkin"),
    ],
)
def test_checkin_refuses(text: str, mentions: str | None, usage_mentions: str) -> None:
    result = parse_checkin(text, today=TODAY)
    assert isinstance(result, ParseError), result
    assert usage_mentions in result.usage
    if mentions is not None:
        assert mentions.casefold() in result.message.casefold()


def test_checkin_month_day_rolls_into_next_year() -> None:
    late = date(2026, 12, 30)
    assert parse_checkin("away until jan 2", today=late) == CheckinAway(late, date(2027, 1, 2))
    assert parse_checkin("away until jan 2 2027", today=late) == CheckinAway(late, date(2027, 1, 2))
    # A year-less start that has just passed means next year's date, which ends too far ahead: refused.
    result = parse_checkin("away from dec 28 to jan 3", today=late)
    assert isinstance(result, ParseError) and "too far ahead" in result.message


# ---------------------------------------------------------------------------------------------------------
# Hostile input: never an exception, always a value of the command's types

HOSTILE = [
    "",
    " ",
    "\u00a0\t\n\r",
    "x" * 2000,
    "x" * 2001,
    "25 calls" + " " * 3000,
    "<@",
    "<@U",
    "<>",
    "<<<>>>",
    "<@U0AAA111|ana",
    "<!channel>",
    "<!subteam^S0123|@sales>",
    "<!date^1392734382^{date_short}|Feb 18, 2014>",
    "<https://example.com|link>",
    "&amp;&lt;&gt;&amp;amp;",
    "25 calls; DROP TABLE entries",
    "'; DROP TABLE goals; --",
    "${jndi:ldap://x}",
    "{{7*7}}",
    "%s%s%s%n",
    "\x00\x01\x02 25 calls",
    "\ud800 25 calls",
    "\u202e25 sllac",
    "٣ calls",
    "𝟐𝟓 calls",
    "Ⅻ calls",
    "½ calls",
    "25 calls ‐‑‒–—―−⁃ note",
    "—",
    "--",
    "-",
    "−",
    "/",
    "/day",
    "?" * 50,
    "🎉" * 100,
    "25 " + "calls " * 300,
    "1" * 1999,
    "$" * 100,
    "," * 1999,
    "away until " + "9" * 100,
    "export " + "9" * 100,
    "standup mon " + "9" * 100,
    "create " + "<#C123ABC|x> " * 100,
    "add " + "<@U0AAA111> " * 150,
]


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_input_never_raises(text: str) -> None:
    assert parse_log(text, metrics=M, today=TODAY) is not None
    assert parse_goals(text, metrics=M) is not None
    assert parse_team(text, today=TODAY) is not None
    assert parse_checkin(text, today=TODAY) is not None
    parse_user_ids(text)


def test_random_garbage_never_raises() -> None:
    rng = random.Random(20261127)
    alphabet = "0123456789 ,;&+-—–.$€£kKmM/:<>@#!|abcdeklmnorstuyAC\u00a0\u200b٣é"
    words = [
        "calls",
        "demos",
        "deal",
        "quota",
        "team",
        "away",
        "until",
        "to",
        "mon",
        "clear",
        "create",
        "and",
    ]
    for _ in range(1500):
        pieces = [
            rng.choice(words) if rng.random() < 0.3 else "".join(rng.choices(alphabet, k=rng.randint(1, 6)))
            for _ in range(rng.randint(0, 8))
        ]
        text = " ".join(pieces)
        for result in (
            parse_log(text, metrics=M, today=TODAY),
            parse_goals(text, metrics=M),
            parse_team(text, today=TODAY),
            parse_checkin(text, today=TODAY),
        ):
            if isinstance(result, ParseError):
                assert result.message and result.usage
            if isinstance(result, LogEntries):
                assert result.items and all(i.amount > 0 for i in result.items)
                assert TODAY - timedelta(days=14) <= result.day <= TODAY


def test_every_parse_error_names_its_command() -> None:
    samples = {
        "/log": parse_log("25 cals", metrics=M, today=TODAY),
        "/goals": parse_goals("25 calls/day", metrics=M),
        "/team": parse_team("frobnicate", today=TODAY),
        "/checkin": parse_checkin("frobnicate", today=TODAY),
    }
    for command, result in samples.items():
        assert isinstance(result, ParseError)
        assert command in result.usage
