"""The services' own words come from the catalogue: rendered under the pseudo-locale, every word of a
refusal's ``message`` and ``usage`` (and of a confirmation) is accented; and the Albanian reads right."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from types import SimpleNamespace

import pytest

from bot.domain.ceilings import Breach
from bot.domain.types import DEFAULT_METRICS
from bot.i18n import PSEUDO, speaking
from bot.services.activity import over_ceiling, wrong_currency
from bot.services.outcomes import Notice, Problem, TeamChanged, TeamSettings
from bot.services.teams import describe_workdays
from tests.support.pseudo import assert_catalogued, uncatalogued

W = "T0I18N"
BOSS, ANA, BEN, NOBODY = "U0IBOSS", "U0IANA", "U0IBEN", "U0INOBODY"
TEAM = "Tirana"  # a name a manager typed: never translated
METRICS = {m.key: m for m in DEFAULT_METRICS}


@pytest.fixture
def team(services, clock):
    clock.set("2026-12-03T15:00:00+00:00")
    services.teams.team(
        workspace_id=W,
        user_id=BOSS,
        text=f"create {TEAM} <#C0ITIR|tirana> tz=Europe/Tirane",
        in_channel="C0ITIR",
    )
    services.teams.team(workspace_id=W, user_id=BOSS, text=f"add <@{ANA}|ana>")
    services.teams.team(workspace_id=W, user_id=BOSS, text="ceiling calls 100")
    return services


def texts_of(outcome) -> list[str]:
    if isinstance(outcome, Problem | Notice | TeamChanged):
        return [
            t
            for t in (outcome.message, getattr(outcome, "usage", None), getattr(outcome, "detail", None))
            if t
        ]
    if isinstance(outcome, TeamSettings):
        return [outcome.changed]
    raise AssertionError(f"not a text outcome: {outcome!r}")


# (command, who, text): refusals and confirmations the services word themselves.
CASES = [
    ("team", ANA, "add <@U0IBEN|ben>"),  # only managers
    ("team", BOSS, f"create {TEAM} <#C0IOTHER|other>"),  # the name is taken
    ("team", BOSS, "remove <@U0IBEN|ben>"),  # not a rep here
    ("team", BOSS, "managers remove <@U0IBOSS|boss>"),  # the last manager
    ("team", BOSS, "delete"),  # confirm with its name
    ("team", BOSS, "holidays QQ"),  # an unknown country
    ("team", BOSS, "holidays"),  # none set
    ("team", BOSS, "workdays sun-thu"),
    ("team", BOSS, "scoreboard public"),
    ("team", BOSS, "ceiling"),
    ("team", BOSS, "ceiling calls 200"),
    ("team", BOSS, "meeting"),
    ("team", BOSS, "video"),
    ("team", BOSS, "language"),
    ("team", BOSS, "language de"),
    ("team", BOSS, "language xx yy"),  # the parser's refusal
    ("team", BOSS, "currency"),
    ("team", BOSS, "currency XYZ"),
    ("team", BOSS, "currency EUR"),
    ("team", NOBODY, ""),  # not on a team
    ("goals", ANA, "team 5 calls/day"),  # only managers
    ("goals", BOSS, ""),  # a manager has none of their own
    ("checkin", BOSS, ""),  # check-ins are for reps
    ("checkin", NOBODY, ""),
    ("checkin", ANA, "away 2026-12-10"),
    ("checkin", ANA, "back"),
    ("checkin", ANA, "language"),
    ("checkin", ANA, "language de"),
    ("log", NOBODY, "5 calls"),
    ("log", BOSS, "5 calls"),  # a manager who isn't a rep
    ("log", ANA, "undo"),  # nothing to undo
    ("log", ANA, "500 calls"),  # over the ceiling
]


@pytest.mark.parametrize(("command", "who", "text"), CASES, ids=[f"{c} {t}" for c, _, t in CASES])
def test_services_words_are_catalogued(team, command, who, text) -> None:
    run = {
        "team": team.teams.team,
        "goals": team.goals.goals,
        "checkin": team.checkin.checkin,
        "log": team.activity.log,
    }[command]
    with speaking(PSEUDO):
        outcome = run(workspace_id=W, user_id=who, text=text)
    # besides the fixture's words: language names in themselves, language codes, and the command words
    # and metric keys a reply fills into a `/command` it shows (typed as they are in every language)
    typed = ["English", "shqip", "en", "sq", "language", "calls"]
    assert_catalogued(texts_of(outcome), allowed=[TEAM, "QQ", "de", "xx", "yy", "Tirane", *typed])


def test_the_guard_would_see_an_uncatalogued_word() -> None:
    assert uncatalogued(["Ŀöğğéð plain"]) == ["plain"]


def test_holidays_listed_under_the_pseudo_locale_have_only_their_own_names_plain(team) -> None:
    with speaking(PSEUDO):
        outcome = team.teams.team(workspace_id=W, user_id=BOSS, text="holidays AL")
    names = outcome.changed.split("\n")[2:]
    assert len(names) == 12
    # the holidays package's names (in English for the pseudo-locale) are the only plain words
    from bot.services.context import upcoming_holidays

    with speaking("en"):
        allowed = [name for _, name in upcoming_holidays("AL", None, date(2026, 12, 3))]
    assert_catalogued([outcome.changed], allowed=allowed)


def test_refusals_built_outside_a_command_are_catalogued() -> None:
    calls = METRICS["calls"]
    breach = SimpleNamespace(
        metric=calls,
        ceiling=Decimal(100),
        logged=Decimal(80),
        adding=Decimal(50),
        total=Decimal(130),
        room=Decimal(20),
    )
    with speaking(PSEUDO):
        refused = over_ceiling(breach, day=date(2026, 12, 7))
        money = wrong_currency([METRICS["revenue"]], "USD", "ALL")
        days = describe_workdays(frozenset({6, 0, 1, 2, 3}))
    assert_catalogued([refused.message, refused.usage, money.message, money.usage, days], allowed=["calls"])
    assert Breach  # the real type has the fields the stand-in gives


# --- Albanian --------------------------------------------------------------------------------------


def sq(run, **kw):
    with speaking("sq", currency="ALL"):
        return run(workspace_id=W, **kw)


def test_albanian_refusals_read_naturally(team) -> None:
    assert sq(team.teams.team, user_id=ANA, text="add <@U0IBEN|ben>") == Problem(
        "Vetëm menaxherët e një ekipi mund ta ndryshojnë.",
        "Shiko ekipin tënd me `/team`. Për të krijuar ekipin tënd: `/team create Shitjet Lindje #shitjet-lindje`.",
    )
    assert sq(team.goals.goals, user_id=BOSS, text="").message == (
        f"Nuk ke objektiva personale — ti menaxhon *{TEAM}*."
    )
    last = sq(team.teams.team, user_id=BOSS, text=f"managers remove <@{BOSS}|boss>")
    assert last.message == f"*{TEAM}* ka nevojë për të paktën një menaxher."


def test_albanian_plurals_follow_the_number(team) -> None:
    one = sq(team.teams.team, user_id=BOSS, text="delete")
    assert one.usage.startswith("1 shitës e lë ekipin dhe standup-et në <#C0ITIR> ndalen.")
    added = sq(team.teams.team, user_id=BOSS, text=f"add <@{BEN}|ben> <@U0ICAT|cat>")
    assert added.message == f"U shtuan <@{BEN}> dhe <@U0ICAT> në *{TEAM}* si shitës."
    again = sq(team.teams.team, user_id=BOSS, text=f"add <@{BEN}|ben>")
    assert again.message == f"<@{BEN}> është tashmë në *{TEAM}*."


def test_albanian_dates_money_and_days(team) -> None:
    away = sq(team.checkin.checkin, user_id=ANA, text="away 2026-12-07")
    assert away.message.startswith("Kalofsh mirë! E pezullova gjithçka më hën, 7 dhj: pa check-in")
    days = sq(team.teams.team, user_id=BOSS, text="workdays mon-fri")
    assert days.changed == "Ditët e punës: hën–pre."
    with speaking("sq", currency="ALL"):
        money = wrong_currency([METRICS["revenue"]], "USD", "ALL")
    assert money.message == (
        "Ky ekip i regjistron të ardhurat në monedhën Leku shqiptar (ALL); nuk u regjistrua asgjë."
    )
    currency = sq(team.teams.team, user_id=BOSS, text="currency ALL")
    assert currency.message == f"Monedha e *{TEAM}* tani është Leku shqiptar (ALL)."


def test_the_csv_speaks_the_readers_language(team) -> None:
    export = sq(team.teams.team, user_id=BOSS, text="export")
    header = export.content.decode().splitlines()[0]
    assert header == "data,id_shitësi,emri_shitësit,treguesi,sasia,shënim,burimi,regjistruar_utc,monedha"
    assert export.title == f"{TEAM} — regjistrimet e dhjetor 2026"
