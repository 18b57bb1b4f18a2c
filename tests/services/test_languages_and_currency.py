"""Issue 15: /checkin language, /team language, /team currency, and /team holidays listing the coming
holidays; money stored in the team's currency, and only the current currency counted."""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal
from types import SimpleNamespace

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.domain.parsing import parse_checkin, parse_team
from bot.domain.parsing.voice import (
    LanguageSet,
    LanguageShow,
    TeamCurrency,
    TeamCurrencyShow,
    TeamHolidaysShow,
)
from bot.i18n import speaking
from bot.services.activity import wrong_currency
from bot.services.export import Export
from bot.services.outcomes import Notice, Problem, TeamChanged, TeamSettings
from bot.store.models import Entry, Goal, RepProfile, Team
from bot.store.voices import voice_of

W = "T0LANG"
BOSS, ANA, NOBODY = "U0LBOSS", "U0LANA", "U0LNOBODY"
TODAY = date(2026, 12, 3)


@pytest.fixture
def team(services, clock):
    clock.set("2026-12-03T15:00:00+00:00")  # a Thursday, 16:00 in Tirana
    services.teams.team(
        workspace_id=W,
        user_id=BOSS,
        text="create Tirana <#C0TIRANA|tirana> tz=Europe/Tirane",
        in_channel="C0TIRANA",
    )
    services.teams.team(workspace_id=W, user_id=BOSS, text=f"add <@{ANA}|ana>")
    return services


def run_team(services, user_id: str, text: str):
    return services.teams.team(workspace_id=W, user_id=user_id, text=text)


def run_checkin(services, user_id: str, text: str):
    return services.checkin.checkin(workspace_id=W, user_id=user_id, text=text)


def the_team(engine) -> Team:
    with Session(engine) as session:
        return session.scalar(select(Team).where(Team.workspace_id == W))


def entries(engine) -> list[Entry]:
    with Session(engine) as session:
        return list(session.scalars(select(Entry).where(Entry.workspace_id == W).order_by(Entry.id)))


# --- parsing -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("language", LanguageShow()),
        ("language sq", LanguageSet("sq")),
        ("gjuha sq", LanguageSet("sq")),
        ("language EN", LanguageSet("en")),
        ("language shqip", LanguageSet("sq")),
        ("language default", LanguageSet(None)),
        ("language auto", LanguageSet(None)),
    ],
)
def test_checkin_language_parses_in_both_languages(text, expected) -> None:
    assert parse_checkin(text, today=TODAY) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("language sq", LanguageSet("sq")),
        ("gjuha en", LanguageSet("en")),
        ("language", LanguageShow()),
        ("currency eur", TeamCurrency("EUR")),
        ("currency", TeamCurrencyShow()),
        ("holidays", TeamHolidaysShow()),
    ],
)
def test_team_language_currency_and_holidays_parse(text, expected) -> None:
    assert parse_team(text, today=TODAY) == expected


@pytest.mark.parametrize("text", ["language sq en", "language 12", "currency euro", "currency €"])
def test_bad_codes_are_refused_with_the_right_form(text) -> None:
    result = parse_team(text, today=TODAY)
    assert type(result).__name__ == "ParseError", result
    assert "/team" in result.usage


# --- /checkin language ---------------------------------------------------------------------------


def test_a_rep_chooses_albanian_and_is_answered_in_it(team, engine) -> None:
    outcome = run_checkin(team, ANA, "language sq")
    assert isinstance(outcome, Notice)
    assert outcome.message == "Tani e tutje të shkruaj në shqip."
    assert "`/checkin gjuha en`" in outcome.detail  # the Albanian keyword, which the parser reads
    with Session(engine) as session:
        assert session.get(RepProfile, (W, ANA)).language == "sq"
        assert voice_of(session=session, workspace_id=W, user_id=ANA).language == "sq"

    back = run_checkin(team, ANA, "gjuha default")
    assert back.message.startswith("Back to the usual: I write to you in English")
    with Session(engine) as session:
        assert session.get(RepProfile, (W, ANA)).language is None


def test_checkin_language_alone_shows_it_and_the_choices(team) -> None:
    shown = run_checkin(team, ANA, "language")
    assert shown == Notice(
        "I write to you in English, your team's or your Slack's language.",
        "Languages: English (`en`) · shqip (`sq`). Change it with `/checkin language sq`, or go back "
        "to your team's with `/checkin language default`.",
    )
    run_checkin(team, ANA, "language sq")
    with speaking("sq"):
        assert run_checkin(team, ANA, "language").message == "Të shkruaj në shqip."


def test_a_language_the_bot_does_not_speak_is_refused(team, engine) -> None:
    outcome = run_checkin(team, ANA, "language de")
    assert isinstance(outcome, Problem)
    assert "I don't speak “de” yet" in outcome.message
    with Session(engine) as session:
        assert session.get(RepProfile, (W, ANA)).language is None


# --- /team language ------------------------------------------------------------------------------


def test_a_manager_sets_the_team_language_and_members_follow(team, engine) -> None:
    outcome = run_team(team, BOSS, "language sq")
    assert isinstance(outcome, TeamChanged)
    # The manager hasn't chosen a language of his own: he reads the team's new one already.
    assert outcome.message.startswith("*Tirana* tani flet shqip: standup-et dhe postimet në kanal")
    assert the_team(engine).language == "sq"
    with Session(engine) as session:
        assert voice_of(session=session, workspace_id=W, user_id=ANA).language == "sq"
    run_checkin(team, ANA, "language en")  # her own choice wins over the team's
    with Session(engine) as session:
        assert voice_of(session=session, workspace_id=W, user_id=ANA).language == "en"
    assert run_team(team, BOSS, "language default").message.startswith("*Tirana* now speaks English")
    assert the_team(engine).language is None
    run_checkin(team, BOSS, "language en")  # a manager who chose English reads English, whatever the team
    assert run_team(team, BOSS, "language sq").message.startswith("*Tirana* now speaks Albanian")


def test_only_managers_set_the_team_language_or_currency(team, engine) -> None:
    for text in ("language sq", "currency EUR"):
        outcome = run_team(team, ANA, text)
        assert isinstance(outcome, Problem) and "managers" in outcome.message
    assert (the_team(engine).language, the_team(engine).currency) == (None, "USD")
    seen = run_team(team, ANA, "language")  # seeing is anyone's
    assert seen.message == "*Tirana* speaks English."


# --- /team currency ------------------------------------------------------------------------------


def test_team_currency_is_shown_and_set_to_any_iso_code(team, engine) -> None:
    assert run_team(team, ANA, "currency").message == "*Tirana* counts money in US Dollar (USD)."
    changed = run_team(team, BOSS, "currency all")
    assert changed.message == "*Tirana* now counts money in Albanian Lek (ALL)."
    assert "Nothing is converted" in changed.detail
    assert the_team(engine).currency == "ALL"
    assert (
        run_team(team, BOSS, "currency ALL").message == "*Tirana* already counts money in Albanian Lek (ALL)."
    )
    refused = run_team(team, BOSS, "currency XYZ")
    assert isinstance(refused, Problem) and "XYZ" in refused.message
    assert the_team(engine).currency == "ALL"


def test_money_is_stored_in_the_team_currency_and_counts_are_not(team, engine) -> None:
    run_team(team, BOSS, "currency EUR")
    team.activity.log(workspace_id=W, user_id=ANA, text="5 calls, 300 revenue")
    stored = {(e.metric_key, e.currency) for e in entries(engine)}
    assert stored == {("calls", None), ("revenue", "EUR")}
    team.goals.goals(workspace_id=W, user_id=BOSS, text=f"<@{ANA}|ana> 20 calls/day, 5000 revenue/month")
    with Session(engine) as session:
        goals = {
            g.metric_key: g.currency for g in session.scalars(select(Goal).where(Goal.workspace_id == W))
        }
    assert goals == {"calls": None, "revenue": "EUR"}


def test_changing_currency_keeps_old_money_as_it_was_and_counts_afresh(team, engine, clock) -> None:
    team.goals.goals(workspace_id=W, user_id=BOSS, text=f"<@{ANA}|ana> 10000 revenue/month, 10 calls/day")
    team.activity.log(workspace_id=W, user_id=ANA, text="$4,000 revenue, 3 calls")

    def progress() -> dict[str, Decimal]:
        view = team.goals.goals(workspace_id=W, user_id=ANA, text="")
        return {line.metric.key: line.actual for line in view.progress}

    assert progress() == {"revenue": Decimal(4000), "calls": Decimal(3)}
    run_team(team, BOSS, "currency EUR")
    assert progress() == {"revenue": Decimal(0), "calls": Decimal(3)}  # the dollars aren't euros
    team.activity.log(workspace_id=W, user_id=ANA, text="1500 revenue")
    assert progress() == {"revenue": Decimal(1500), "calls": Decimal(3)}

    assert [(e.metric_key, e.amount, e.currency) for e in entries(engine)] == [
        ("revenue", Decimal(4000), "USD"),
        ("calls", Decimal(3), None),
        ("revenue", Decimal(1500), "EUR"),
    ]
    export = run_team(team, BOSS, "export")
    assert isinstance(export, Export)
    rows = list(csv.reader(io.StringIO(export.content.decode())))
    assert rows[0][-1] == "currency"
    assert sorted((r[3], r[4], r[-1]) for r in rows[1:]) == [
        ("calls", "3", ""),
        ("revenue", "1500", "EUR"),
        ("revenue", "4000", "USD"),
    ]


def test_money_in_another_currency_than_the_teams_is_refused() -> None:
    revenue = SimpleNamespace(key="revenue", label="revenue")
    refused = wrong_currency([revenue], "USD", "ALL")
    assert refused == Problem(
        "This team logs revenue in Albanian Lek (ALL); nothing was recorded.",
        "Give the amount in ALL, or without a currency sign. A manager can change the team's currency "
        "with `/team currency`.",
    )
    assert wrong_currency([revenue], "all", "ALL") is None
    assert wrong_currency([revenue], None, "ALL") is None
    assert wrong_currency([], "USD", "ALL") is None
    assert "no goal was changed" in wrong_currency([revenue], "EUR", "USD", goal=True).message


def test_a_log_carrying_another_currency_records_nothing(team, engine) -> None:
    run_team(team, BOSS, "currency ALL")
    outcome = team.activity.log(workspace_id=W, user_id=ANA, text="$300 revenue")
    assert isinstance(outcome, Problem)
    assert outcome.message == "This team logs revenue in Albanian Lek (ALL); nothing was recorded."
    assert entries(engine) == []


# --- /team holidays ------------------------------------------------------------------------------


def test_setting_holidays_lists_the_coming_ones_in_english(team) -> None:
    outcome = run_team(team, BOSS, "holidays AL")
    assert isinstance(outcome, TeamSettings)
    lines = outcome.changed.split("\n")
    assert lines[0].startswith("Public holidays of AL are now days off")
    assert lines[1] == "The next ones:"
    assert lines[2] == "• Tuesday, 8 December: National Youth Day"
    assert lines[3] == "• Friday, 25 December: Christmas Day"
    assert len(lines) == 2 + 12  # at most twelve


def test_holidays_alone_shows_the_country_and_names_in_albanian(team) -> None:
    run_team(team, BOSS, "holidays XK")
    with speaking("sq", currency="ALL"):
        shown = run_team(team, ANA, "holidays")
    assert isinstance(shown, Notice)
    assert shown.message.startswith("*Tirana* i merr ditë pushimi festat zyrtare të XK")
    lines = shown.detail.split("\n")
    assert lines[0] == "Festat e radhës:"
    assert lines[1] == "• e premte, 25 dhjetor: Krishtlindjet Katolike"
    assert lines[2] == "• e premte, 1 janar: Viti i Ri"


def test_holidays_alone_without_a_country_says_how_to_set_one(team) -> None:
    shown = run_team(team, ANA, "holidays")
    assert shown.message == "*Tirana* doesn't take public holidays off."
    assert "`/team holidays AL`" in shown.detail
    assert isinstance(run_team(team, NOBODY, "holidays"), Problem)


@pytest.mark.parametrize(
    ("country", "language", "first"),
    [
        ("AL", "en", (date(2026, 12, 8), "National Youth Day")),
        ("AL", "sq", (date(2026, 12, 8), "Dita Kombëtare e Rinisë")),
        ("XK", "en", (date(2026, 12, 25), "Catholic Christmas Day")),
        ("XK", "sq", (date(2026, 12, 25), "Krishtlindjet Katolike")),
        ("US", "sq", (date(2026, 12, 25), "Christmas Day")),  # no Albanian names: the package's English
    ],
)
def test_holiday_names_are_in_the_readers_language(country, language, first) -> None:
    from bot.services.context import upcoming_holidays

    with speaking(language):
        coming = upcoming_holidays(country, None, TODAY)
    assert coming[0] == first
    assert len(coming) == 12
    assert all(TODAY <= d < date(2027, 12, 3) for d, _ in coming)
