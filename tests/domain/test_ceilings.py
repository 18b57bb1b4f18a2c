"""Daily ceilings: ``/team ceiling`` parsing, the defaults, and which new entries a day still takes."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from bot.domain.ceilings import (
    DEFAULT_DAILY_CEILINGS,
    Breach,
    ceiling_for,
    default_ceiling,
    first_breach,
    format_amount,
    nice_ceiling,
)
from bot.domain.parsing import ParseError, TeamCeiling, TeamCeilings, parse_team
from bot.domain.types import DEFAULT_METRICS, Metric, MetricKind, Unit

TODAY = date(2026, 11, 18)
M = {m.key: m for m in DEFAULT_METRICS}


# --- /team ceiling ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ceiling", TeamCeilings()),
        ("ceilings", TeamCeilings()),
        ("limits", TeamCeilings()),
        ("ceiling calls 800", TeamCeiling("calls", Decimal(800))),
        ("ceiling 800 calls", TeamCeiling("calls", Decimal(800))),
        ("ceiling 800calls", TeamCeiling("calls", Decimal(800))),
        ("ceiling calls to 800", TeamCeiling("calls", Decimal(800))),
        ("ceiling calls: 1,200", TeamCeiling("calls", Decimal(1200))),
        ("ceiling cold calls 800", TeamCeiling("calls", Decimal(800))),
        ("Ceiling DIALS 800", TeamCeiling("calls", Decimal(800))),
        ("ceiling thank-you notes 300", TeamCeiling("notes", Decimal(300))),
        ("ceiling demos 60", TeamCeiling("presentations", Decimal(60))),
        ("cap deals 80", TeamCeiling("deals", Decimal(80))),
        ("ceiling revenue $20m", TeamCeiling("revenue", Decimal(20_000_000))),
        ("ceiling revenue 20m", TeamCeiling("revenue", Decimal(20_000_000))),
        ("ceiling $2,500,000", TeamCeiling("revenue", Decimal(2_500_000))),
        ("ceiling calls 100,000", TeamCeiling("calls", Decimal(100_000))),
        ("ceiling calls default", TeamCeiling("calls", None)),
        ("ceiling default revenue", TeamCeiling("revenue", None)),
        ("ceiling notes reset", TeamCeiling("notes", None)),
    ],
)
def test_team_ceiling_accepts(text: str, expected: object) -> None:
    assert parse_team(text, today=TODAY, metrics=DEFAULT_METRICS) == expected


@pytest.mark.parametrize(
    ("text", "mentions"),
    [
        ("ceiling calls", "one number"),
        ("ceiling calls 800 900", "one number"),
        ("ceiling calls 800 default", "one number"),
        ("ceiling 800", "which metric"),
        ("ceiling calls 0", "more than zero"),
        ("ceiling calls -5", "more than zero"),
        ("ceiling calls 2.5", "whole numbers"),
        ("ceiling calls $800", "not money"),
        ("ceiling revenue $4.5555", "2 decimals"),
        ("ceiling calls 100,001", "100,000"),
        ("ceiling revenue $2,000,000,000", "1,000,000,000"),
        ("ceiling bananas 800", "bananas"),
        ("ceiling cals 800", "did you mean *calls*"),
        ("ceiling calls lots", "one number"),
        ("ceiling <!channel> 5", None),
    ],
)
def test_team_ceiling_refuses_with_its_usage(text: str, mentions: str | None) -> None:
    result = parse_team(text, today=TODAY, metrics=DEFAULT_METRICS)
    assert isinstance(result, ParseError), result
    assert "/team" in result.usage
    if mentions is not None:
        assert mentions.casefold() in result.message.casefold(), result.message


def test_a_workspaces_own_metric_names_are_understood() -> None:
    metrics = (*DEFAULT_METRICS, Metric("visits", "site visits", MetricKind.ACTIVITY, Unit.COUNT))
    assert parse_team("ceiling site visits 40", today=TODAY, metrics=metrics) == TeamCeiling(
        "visits", Decimal(40)
    )


# --- defaults and the check ---------------------------------------------------------------------


def test_every_default_metric_has_a_default_ceiling_above_one_entry() -> None:
    assert set(DEFAULT_DAILY_CEILINGS) == {m.key for m in DEFAULT_METRICS}
    assert default_ceiling(M["calls"]) == 500
    assert default_ceiling(M["revenue"]) == 10_000_000
    other = Metric("visits", "site visits", MetricKind.ACTIVITY, Unit.COUNT)
    assert default_ceiling(other) == 1000
    assert default_ceiling(Metric("arr", "ARR", MetricKind.RESULT, Unit.CURRENCY)) == 10_000_000


def test_a_managers_ceiling_wins_and_a_garbled_one_is_ignored() -> None:
    assert ceiling_for(M["calls"], {"calls": "800"}) == 800
    assert ceiling_for(M["calls"], {"notes": "800"}) == 500
    assert ceiling_for(M["calls"], None) == 500
    for bad in ("", "abc", "-3", "0", "NaN", "Infinity"):
        assert ceiling_for(M["calls"], {"calls": bad}) == 500, bad


def test_up_to_the_ceiling_fits_and_one_past_it_does_not() -> None:
    logged = {"calls": Decimal(400)}
    assert first_breach([(M["calls"], Decimal(100))], logged=logged, overrides=None) is None
    assert first_breach([(M["calls"], Decimal(101))], logged=logged, overrides=None) == Breach(
        M["calls"], Decimal(500), Decimal(400), Decimal(101)
    )


def test_three_entries_of_999_calls_do_not_fit_in_one_day() -> None:
    logged = {"calls": Decimal(0)}
    breach = first_breach([(M["calls"], Decimal(999))], logged=logged, overrides=None)
    assert breach is not None and (breach.total, breach.room) == (999, 500)


def test_items_of_one_metric_count_together_and_the_first_breach_is_named() -> None:
    items = [(M["notes"], Decimal(5)), (M["calls"], Decimal(300)), (M["calls"], Decimal(300))]
    breach = first_breach(items, logged={}, overrides=None)
    assert breach is not None and breach.metric.key == "calls" and breach.adding == 600
    assert first_breach(items, logged={}, overrides={"calls": "600"}) is None


def test_money_repeated_past_ten_million_is_refused() -> None:
    logged = {"revenue": Decimal(100_000_000)}  # logged before a manager lowered the ceiling
    breach = first_breach([(M["revenue"], Decimal("0.01"))], logged=logged, overrides=None)
    assert breach is not None and breach.room == 0


@pytest.mark.parametrize(
    ("value", "unit_metric", "short", "shown"),
    [
        (Decimal(1500), "calls", False, "1,500"),
        (Decimal("4500.5"), "revenue", False, "$4,500.50"),
        (Decimal(10_000_000), "revenue", True, "$10m"),
        (Decimal(1_500_000), "revenue", True, "$1.5m"),
        (Decimal(250_000), "revenue", True, "$250k"),
        (Decimal("1234567.89"), "revenue", True, "$1,234,567"),
        (Decimal(999), "revenue", True, "$999"),
    ],
)
def test_amounts_read_as_they_are_typed(value, unit_metric, short, shown) -> None:
    assert format_amount(value, M[unit_metric], short=short) == shown


@pytest.mark.parametrize(
    ("total", "nice"),
    [
        (Decimal(3), 10),
        (Decimal(51), 60),
        (Decimal(1998), 2000),
        (Decimal(1000), 1000),
        (Decimal("109.5"), 200),
    ],
)
def test_the_example_ceiling_in_a_refusal_is_round_and_fits(total, nice) -> None:
    assert nice_ceiling(total) == nice >= total
