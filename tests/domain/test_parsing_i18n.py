"""The parsers in Albanian: Albanian input understood whatever the reader's language, every message and
usage through the catalogue (the pseudo-locale guard), and real Albanian errors."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest

from bot.domain.parsing import (
    CheckinAway,
    CheckinBack,
    CheckinKudos,
    GoalsClear,
    GoalsHelp,
    LogEntries,
    LogHelp,
    LogItem,
    LogShow,
    LogUndo,
    LogWeek,
    ParseError,
    TeamAdd,
    TeamStandup,
    TeamWorkdays,
    parse_amount,
    parse_checkin,
    parse_goals,
    parse_log,
    parse_team,
)
from bot.domain.types import DEFAULT_METRICS as M
from bot.domain.types import Period
from bot.i18n import speaking
from tests.support.pseudo import assert_catalogued

TODAY = date(2026, 11, 27)  # a Friday
A = "<@U0AAA111>"


def log(text: str) -> object:
    return parse_log(text, metrics=M, today=TODAY)


def item(result: object) -> tuple[str, D]:
    assert isinstance(result, LogEntries), result
    assert len(result.items) == 1
    return result.items[0].metric, result.items[0].amount


@pytest.mark.parametrize(
    ("text", "metric"),
    [
        ("25 telefonata", "calls"),
        ("1 telefonatë", "calls"),
        ("3 thirrje", "calls"),
        ("2 prezantime", "presentations"),
        ("1 prezantim", "presentations"),
        ("3 demo", "presentations"),
        ("3 shënime falënderimi", "notes"),
        ("1 shënim falënderimi", "notes"),
        ("3 shenime falenderimi", "notes"),
        ("2 falënderime", "notes"),
        ("4 email-e", "emails"),
        ("1 email", "emails"),
        ("4 emaile", "emails"),
        ("2 marrëveshje", "deals"),
        ("2 marreveshje", "deals"),
        ("1 marrëveshja", "deals"),
        ("500 të ardhura", "revenue"),
        ("500 të ardhurat", "revenue"),
        ("500 te ardhura", "revenue"),
        ("500 shitje", "revenue"),
    ],
)
@pytest.mark.parametrize("lang", ["en", "sq"])
def test_albanian_metric_names_in_every_language(text: str, metric: str, lang: str) -> None:
    with speaking(lang):
        assert item(log(text))[0] == metric


def test_several_albanian_items_and_words() -> None:
    result = log("25 telefonata, 3 shënime falënderimi dhe 2 marrëveshje")
    assert isinstance(result, LogEntries)
    assert [i.metric for i in result.items] == ["calls", "notes", "deals"]


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("sot", TODAY),
        ("dje", date(2026, 11, 26)),
        ("pardje", date(2026, 11, 25)),
        ("e hënë", date(2026, 11, 23)),
        ("hënë", date(2026, 11, 23)),
        ("hën", date(2026, 11, 23)),
        ("hene", date(2026, 11, 23)),
        ("e martë", date(2026, 11, 24)),
        ("marte", date(2026, 11, 24)),
        ("mar", date(2026, 11, 24)),
        ("e mërkurë", date(2026, 11, 25)),
        ("merkure", date(2026, 11, 25)),
        ("mër", date(2026, 11, 25)),
        ("e enjte", date(2026, 11, 26)),
        ("enj", date(2026, 11, 26)),
        ("e premte", TODAY),
        ("pre", TODAY),
        ("e shtunë", date(2026, 11, 21)),
        ("shtune", date(2026, 11, 21)),
        ("sht", date(2026, 11, 21)),
        ("e diel", date(2026, 11, 22)),
        ("diel", date(2026, 11, 22)),
        ("die", date(2026, 11, 22)),
    ],
)
def test_albanian_date_words(text: str, day: date) -> None:
    assert log(text) == LogShow(day)
    assert log(f"{text} 5 telefonata") == LogEntries((LogItem("calls", D(5)),), day, None)
    assert log(f"5 telefonata {text}") == LogEntries((LogItem("calls", D(5)),), day, None)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("anulo", LogUndo()),
        ("zhbëj", LogUndo()),
        ("zhbej", LogUndo()),
        ("java", LogWeek()),
        ("javë", LogWeek()),
        ("kjo javë", LogWeek()),
        ("ndihmë", LogHelp()),
        ("ndihme", LogHelp()),
    ],
)
def test_albanian_log_keywords(text: str, expected: object) -> None:
    assert log(text) == expected


def test_albanian_checkin_and_team_keywords() -> None:
    assert parse_checkin("kthehem", today=TODAY) == CheckinBack()
    assert parse_checkin("kthyer", today=TODAY) == CheckinBack()
    assert parse_checkin("larg sot", today=TODAY) == CheckinAway(TODAY, TODAY)
    assert parse_checkin("pushim deri 2026-12-05", today=TODAY) == CheckinAway(TODAY, date(2026, 12, 5))
    assert parse_checkin("larg nga e hënë deri e premte", today=TODAY) == CheckinAway(
        date(2026, 11, 30), date(2026, 12, 4)
    )
    assert parse_checkin("hesht urime", today=TODAY) == CheckinKudos(muted=True)
    assert parse_team(f"shto {A}", today=TODAY) == TeamAdd(("U0AAA111",))
    assert parse_team("standup e hënë 09:00", today=TODAY).weekday == 0  # type: ignore[union-attr]
    assert isinstance(parse_team("standup çdo të premte në 16:00", today=TODAY), TeamStandup)
    assert parse_team("workdays hën-pre", today=TODAY) == TeamWorkdays(frozenset(range(5)))
    assert parse_team("workdays hën deri enj", today=TODAY) == TeamWorkdays(frozenset(range(4)))
    assert parse_team("export muaji i kaluar", today=TODAY) == parse_team("export last month", today=TODAY)
    assert parse_goals("ndihmë", metrics=M) == GoalsHelp()
    assert parse_goals(f"{A} fshi telefonata", metrics=M) == GoalsClear(("U0AAA111",), ("calls",))


def test_albanian_goals_with_periods_and_quota() -> None:
    result = parse_goals(f"{A} 25 telefonata/ditë, 5 prezantime në javë, kuota 50k lekë/muaj", metrics=M)
    assert not isinstance(result, ParseError), result
    assert [(i.metric, i.target, i.period) for i in result.items] == [  # type: ignore[union-attr]
        ("calls", D(25), Period.DAY),
        ("presentations", D(5), Period.WEEK),
        ("revenue", D(50000), Period.MONTH),
    ]
    assert result.currency == "ALL"  # type: ignore[union-attr]
    team = parse_goals("ekip 3 marrëveshje mujore", metrics=M)
    assert not isinstance(team, ParseError) and team.targets == ("team",)  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("token", "en", "sq"),
    [
        ("4,5k", D(4500), D(4500)),
        ("4,5", D("4.5"), D("4.5")),
        ("1.200,50", D("1200.5"), D("1200.5")),
        ("1 200", D(1200), D(1200)),
        ("1,200.50", D("1200.5"), D("1200.5")),
        ("1,234,567", D(1234567), D(1234567)),
        ("1.234.567", D(1234567), D(1234567)),
        ("1.5", D("1.5"), D("1.5")),
        ("1,200", D(1200), D(1200)),  # one separator before three digits groups thousands, in both
        ("1.200", D(1200), D(1200)),
    ],
)
def test_decimal_commas_and_grouping(token: str, en: D, sq: D) -> None:
    with speaking("en"):
        assert parse_amount(token) == (en, False)
    with speaking("sq"):
        assert parse_amount(token) == (sq, False)


def test_spaces_group_digits_across_words() -> None:
    for space in (" ", "\u00a0", "\u202f"):
        assert item(log(f"1{space}200 të ardhura")) == ("revenue", D(1200))


@pytest.mark.parametrize(
    ("text", "amount", "code"),
    [
        ("$4,500.00", D(4500), "USD"),
        ("$4.500", D(4500), "USD"),  # one separator before three digits: the Albanian reading
        ("€4.500", D(4500), "EUR"),
        ("4.500€", D(4500), "EUR"),
        ("4 500 lekë", D(4500), "ALL"),
        ("4500 lek", D(4500), "ALL"),
        ("L4500", D(4500), "ALL"),
        ("4500 ALL", D(4500), "ALL"),
        ("EUR 4500", D(4500), "EUR"),
        ("£2k", D(2000), "GBP"),
        ("4500 CHF të ardhura", D(4500), "CHF"),
        ("4500 të ardhura", D(4500), None),
    ],
)
def test_currencies_are_read_and_carried(text: str, amount: D, code: str | None) -> None:
    with speaking("sq", currency="ALL"):
        result = log(text)
    assert item(result) == ("revenue", amount)
    assert result.currency == code  # type: ignore[union-attr]


def test_english_dollars_still_read_and_carried() -> None:
    result = log("$4,500 in sales")
    assert item(result) == ("revenue", D(4500)) and result.currency == "USD"  # type: ignore[union-attr]
    assert log("25 calls").currency is None  # type: ignore[union-attr]
    goals = parse_goals(f"{A} quota $50k/month", metrics=M)
    assert goals.currency == "USD"  # type: ignore[union-attr]


def test_two_currencies_in_one_command_are_refused() -> None:
    result = log("$100, 200 EUR")
    assert isinstance(result, ParseError) and "USD" in result.message and "EUR" in result.message
    assert parse_amount("4500 XYZ") is None and parse_amount("4500 all") is None


# ---------------------------------------------------------------------------------------------------------
# Every message and usage through the catalogue

BAD = [
    ("log", "25 cals"),
    ("log", "25 xyzzy"),
    ("log", "25"),
    ("log", "calls"),
    ("log", "calls 25"),
    ("log", "1e9 calls"),
    ("log", "٣ calls"),
    ("log", "11/25 25 calls"),
    ("log", "0 calls"),
    ("log", "-5 calls"),
    ("log", "2.5 calls"),
    ("log", "1001 calls"),
    ("log", "$5 calls"),
    ("log", "$1.2345"),
    ("log", "99999999999999999999999999999m calls"),
    ("log", "2026-02-30 25 calls"),
    ("log", "tomorrow 25 calls"),
    ("log", "2026-11-12 25 calls"),
    ("log", "yesterday 25 calls today"),
    ("log", "25 calls yesterday 3 demos"),
    ("log", "25 calls - note"),
    ("log", "-- just a note"),
    ("log", "25 calls -- " + "x" * 501),
    ("log", ",,,"),
    ("log", "<!channel>"),
    ("log", "<@U123ABC|ana> 25 calls"),
    ("log", "x" * 2001),
    ("log", "$100, 200 EUR"),
    ("goals", "25 calls/day"),
    ("goals", f"{A} 25 calls"),
    ("goals", f"{A} 25 calls/day/week"),
    ("goals", f"{A} 25 calls/day, 3 calls/week"),
    ("goals", f"{A} 25/day"),
    ("goals", f"{A} quota 25 calls/day"),
    ("goals", f"{A} 25 calls/fortnight"),
    ("goals", f"team {A} 25 calls/day"),
    ("goals", f"25 calls/day {A}"),
    ("goals", f"{A} clear xyzzy"),
    ("goals", "<!here>"),
    ("goals", "@ana 5 calls/day"),
    ("team", "frobnicate"),
    ("team", "create Sales East"),
    ("team", "create Sales East #sales"),
    ("team", "create <@U0AAA111> <#C123ABC|x>"),
    ("team", "create Sales <#C123ABC|x> <#C123ABD|y>"),
    ("team", "create Sales <#C123ABC|x> tz=Mars/Base"),
    ("team", "channel"),
    ("team", "add"),
    ("team", "add bob"),
    ("team", "managers"),
    ("team", "standup mon"),
    ("team", "standup mon 25:00"),
    ("team", "standup mon 13pm"),
    ("team", "workdays funday"),
    ("team", "holidays 12345"),
    ("team", "scoreboard loud"),
    ("team", "export 2026-13"),
    ("team", "export smarch"),
    ("team", "export 2099-01"),
    ("team", "export 1999-01"),
    ("team", "ceiling calls"),
    ("team", "ceiling calls 0"),
    ("team", "ceiling 800"),
    ("team", "ceiling calls 9999999"),
    ("team", "meeting thu <https://zoom.us/j/1>"),
    ("team", "meeting <https://zoom.us/j/1>"),
    ("team", "meeting thu 16:00 <https://a.b/1> <https://a.b/2>"),
    ("team", "video ftp://x"),
    ("team", "video <https://meet.google.com/x> now"),
    ("team", "integrations frobnicate"),
    ("team", "integrations hubspot"),
    ("team", "integrations hubspot ab"),
    ("team", "integrations pipedrive user x"),
    ("team", "integrations pipedrive call"),
    ("team", "integrations pipedrive call=xyzzy"),
    ("checkin", "frobnicate"),
    ("checkin", "daily"),
    ("checkin", f"{A} <@U0BBB222> daily"),
    ("checkin", f"{A} sometimes"),
    ("checkin", f"{A} hours 9-5"),
    ("checkin", "away"),
    ("checkin", "away until 2026-11-01"),
    ("checkin", "away from 2026-12-10 to 2026-12-01"),
    ("checkin", "away until 2029-01-01"),
    ("checkin", "away until smarch 3"),
    ("checkin", "hours"),
    ("checkin", "hours 9"),
    ("checkin", "hours 09:00-09:00"),
    ("checkin", "hours 17:00-09:00"),
    ("checkin", "hours 10:00-5:00"),
    ("checkin", "hours 05:00-12:00"),
    ("checkin", "hours 09:00-23:00"),
    ("checkin", "hours 09:00-09:30"),
    ("checkin", "mute"),
    ("checkin", "unmute"),
    ("checkin", "mute everything"),
]


def _parse(command: str, text: str) -> object:
    if command == "log":
        return parse_log(text, metrics=M, today=TODAY)
    if command == "goals":
        return parse_goals(text, metrics=M)
    if command == "team":
        return parse_team(text, today=TODAY)
    return parse_checkin(text, today=TODAY)


@pytest.mark.parametrize(("command", "text"), BAD)
def test_every_error_and_usage_is_catalogued(command: str, text: str) -> None:
    with speaking("qps"):
        result = _parse(command, text)
    assert isinstance(result, ParseError), result
    # What the user typed comes back as they typed it; everything else is the catalogue's.
    assert_catalogued([result.message, result.usage], allowed=[text, "ana", "sales"])


def test_english_errors_are_unchanged_by_the_catalogue() -> None:
    result = log("25 cals")
    assert result == ParseError(
        'I don\'t know "cals" — did you mean *calls*?', "Try `/log 25 calls, 3 demos` or `/log help`."
    )


# ---------------------------------------------------------------------------------------------------------
# Real Albanian


def test_albanian_errors_read_as_albanian() -> None:
    with speaking("sq", currency="ALL"):
        unknown = log("25 telefonat")
        what = log("25")
        future = log("nesër 5 telefonata")
        too_many = log("1001 telefonata")
        goals = parse_goals(f"{A} 25 telefonata", metrics=M)
        hours = parse_checkin("hours 09:00-09:30", today=TODAY)
        team = parse_team("frobnicate", today=TODAY)
    assert unknown == ParseError(
        'Nuk e njoh "telefonat" — mos doje të thuash *telefonata*?',
        "Provo `/log 25 telefonata, 3 prezantime` ose `/log ndihmë`.",
    )
    assert (
        isinstance(what, ParseError) and what.message == "25 çfarë? Shto metrikën, si `/log 25 telefonata`."
    )
    assert isinstance(future, ParseError)
    assert future.message == "Nuk mund të regjistroj për një datë në të ardhmen (2026-11-28)."
    assert isinstance(too_many, ParseError)
    assert too_many.message == (
        "1\u00a0001 telefonata në një regjistrim? Më së shumti pranoj 1\u00a0000 — kontrollo numrin."
    )
    assert isinstance(goals, ParseError) and goals.message.startswith(
        "Sa shpesh duhet të jenë 25 telefonata?"
    )
    assert isinstance(hours, ParseError) and hours.message.startswith("Janë vetëm 30 minuta")
    assert isinstance(team, ParseError) and team.message == "Nuk e njoh `/team frobnicate`."


def test_albanian_months() -> None:
    assert parse_checkin("larg deri 28 dhjetor", today=TODAY) == CheckinAway(TODAY, date(2026, 12, 28))
    assert parse_checkin("larg deri dhj 28", today=TODAY) == CheckinAway(TODAY, date(2026, 12, 28))
    assert parse_team("export nëntor", today=TODAY) == parse_team("export november", today=TODAY)
    assert parse_team("export tetor 2026", today=TODAY) == parse_team("export october 2026", today=TODAY)
    assert parse_team("export nentor", today=TODAY) == parse_team("export nov", today=TODAY)


def test_albanian_counts_take_the_right_form() -> None:
    with speaking("sq"):
        one = parse_goals(f"{A} 1 telefonatë", metrics=M)
        many = parse_goals(f"{A} 25 telefonata", metrics=M)
        minute = parse_checkin("hours 09:00-09:01", today=TODAY)
    assert isinstance(one, ParseError) and one.message.startswith("Sa shpesh duhet të jenë 1 telefonatë?")
    assert isinstance(many, ParseError) and many.message.startswith("Sa shpesh duhet të jenë 25 telefonata?")
    assert isinstance(minute, ParseError) and minute.message.startswith("Është vetëm 1 minutë")
    english = parse_goals(f"{A} 1 calls", metrics=M)
    assert isinstance(english, ParseError) and english.message.startswith("How often should that be 1 calls?")
