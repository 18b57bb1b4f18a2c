"""Numbers, dates and progress as a rep reads them."""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from bot.domain.types import Metric, Period, Unit

PERIOD_WORD = {
    Period.DAY: "today",
    Period.WEEK: "this week",
    Period.MONTH: "this month",
    Period.QUARTER: "this quarter",
}
PER_PERIOD = {Period.DAY: "/day", Period.WEEK: "/week", Period.MONTH: "/month", Period.QUARTER: "/quarter"}


def amount(value: Decimal, metric: Metric) -> str:
    if metric.unit is Unit.CURRENCY:
        if value == value.to_integral_value():
            return f"${value:,.0f}"
        return f"${value.quantize(Decimal('0.01'), rounding=ROUND_HALF_UP):,}"
    if value == value.to_integral_value():
        return f"{value:,.0f}"
    return f"{value.quantize(Decimal('0.1'), rounding=ROUND_HALF_UP):,}"


def target(value: Decimal, metric: Metric) -> str:
    """Targets may be pro-rated into fractions; show them to a sensible precision."""
    if metric.unit is Unit.CURRENCY:
        return f"${value.quantize(Decimal('1'), rounding=ROUND_HALF_UP):,}"
    if value == value.to_integral_value():
        return f"{value:,.0f}"
    return f"{value.quantize(Decimal('0.1'), rounding=ROUND_HALF_UP):,}"


def percent(ratio: float | None) -> str:
    return "—" if ratio is None else f"{round(ratio * 100):d} %"


def day(d: date, today: date) -> str:
    if d == today:
        return f"today ({d:%a %d %b})"
    if (today - d).days == 1:
        return f"yesterday ({d:%a %d %b})"
    return f"{d:%a %d %b}"


def bar(ratio: float | None, width: int = 10) -> str:
    """A readable progress bar for App Home and tables."""
    if ratio is None:
        return "░" * width
    filled = max(0, min(width, round(ratio * width)))
    return "█" * filled + "░" * (width - filled)


def items(pairs) -> str:
    return ", ".join(f"{amount(a, m)} {m.key}" for m, a in pairs)
