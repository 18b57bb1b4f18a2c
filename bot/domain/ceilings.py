"""Daily ceilings: the most of one metric a rep's day may hold, so a typo or a repeated paste can't.

A single entry is already capped (``/log 1001 calls`` is refused), but three ``/log 999 calls`` would
still make 2,997 calls in a day, and ``$100,000,000`` could be logged again and again. A ceiling bounds
the *day's total*: an entry that would take a day past it is refused whole, with the numbers.

Nothing here reads the clock or the database; the service passes in what is already logged.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal

from bot.domain.types import Metric, Unit
from bot.i18n import currency, formats

DEFAULT_DAILY_CEILINGS: dict[str, Decimal] = {
    "calls": Decimal(500),
    "presentations": Decimal(50),
    "notes": Decimal(200),
    "emails": Decimal(1000),
    "deals": Decimal(50),
    "revenue": Decimal(10_000_000),
}
"""The defaults, per default metric: well above an honest day, well below a slip of the keyboard.

- ``calls`` 500: a power-dialer day is some 300–400 dials; 500 leaves headroom, 999 is a typo.
- ``presentations`` 50: even 15-minute demos back to back fill a ten-hour day at 40.
- ``notes`` 200: a thank-you blitz after an event is a few dozen to a hundred and fifty cards.
- ``emails`` 1,000: reps who send sequences by hand still send hundreds, not thousands.
- ``deals`` 50: a transactional desk closes dozens on its best day; more is a second paste.
- ``revenue`` $10,000,000: room for the one enterprise deal that books millions in a day, while
  $100,000,000 twice (the most one entry takes) is refused.
"""

DEFAULT_COUNT_CEILING = Decimal(1000)
DEFAULT_CURRENCY_CEILING = Decimal(10_000_000)
"""A metric without a default of its own: the per-entry count cap (1,000), or $10,000,000."""


def default_ceiling(metric: Metric) -> Decimal:
    """The ceiling a metric has until a manager sets one."""
    if metric.key in DEFAULT_DAILY_CEILINGS:
        return DEFAULT_DAILY_CEILINGS[metric.key]
    return DEFAULT_CURRENCY_CEILING if metric.unit is Unit.CURRENCY else DEFAULT_COUNT_CEILING


def ceiling_for(metric: Metric, overrides: Mapping[str, str] | None) -> Decimal:
    """The team's ceiling for ``metric``: the manager's when set (stored as a decimal string), else the
    default. A stored value that doesn't read as a positive number is ignored, never trusted."""
    raw = (overrides or {}).get(metric.key)
    if raw is not None:
        try:
            value = Decimal(str(raw))
        except ArithmeticError:
            value = Decimal(0)
        if value.is_finite() and value > 0:
            return value
    return default_ceiling(metric)


@dataclass(frozen=True)
class Breach:
    """Logging ``adding`` more of ``metric`` would take the day from ``logged`` past ``ceiling``."""

    metric: Metric
    ceiling: Decimal
    logged: Decimal
    adding: Decimal

    @property
    def total(self) -> Decimal:
        return self.logged + self.adding

    @property
    def room(self) -> Decimal:
        """How much more the day still takes (never negative)."""
        return max(self.ceiling - self.logged, Decimal(0))


def first_breach(
    items: Iterable[tuple[Metric, Decimal]],
    *,
    logged: Mapping[str, Decimal],
    overrides: Mapping[str, str] | None,
) -> Breach | None:
    """The first metric (in the order given) that the new ``items`` would take past its ceiling.

    Items of the same metric count together. None means every item fits, and all may be recorded.
    """
    adding: dict[str, Decimal] = {}
    metrics: dict[str, Metric] = {}
    for metric, amount in items:
        adding[metric.key] = adding.get(metric.key, Decimal(0)) + amount
        metrics.setdefault(metric.key, metric)
    for key, amount in adding.items():
        metric = metrics[key]
        ceiling = ceiling_for(metric, overrides)
        already = logged.get(key, Decimal(0))
        if already + amount > ceiling:
            return Breach(metric=metric, ceiling=ceiling, logged=already, adding=amount)
    return None


def format_amount(value: Decimal, metric: Metric, *, short: bool = False) -> str:
    """``1,500`` or ``$10,000,000.50`` (in the reader's language and currency); ``short`` drops cents
    (down) and writes round money as ``$10m`` or ``$250k`` — ``250k ALL`` in another currency — the
    way ``/log`` and ``/team ceiling`` read it back."""
    if metric.unit is not Unit.CURRENCY:
        return formats.number(value, 2)
    if not short:
        return formats.money(value)
    whole = value.to_integral_value(rounding=ROUND_FLOOR)
    code = currency()
    for size, suffix in ((Decimal(1_000_000), "m"), (Decimal(1000), "k")):
        if whole >= size and whole % (size / 100) == 0:
            n = f"{(whole / size).normalize():f}{suffix}"
            return f"${n}" if code == "USD" else f"{n} {code}"
    return formats.money(whole)


def nice_ceiling(total: Decimal) -> Decimal:
    """A round ceiling at or above ``total`` for the example in a refusal: 1,399 → 2,000, 51 → 60."""
    if total <= 10:
        return Decimal(10)
    step = Decimal(10) ** (len(str(int(total))) - 1)
    return (total / step).to_integral_value(rounding=ROUND_CEILING) * step
