"""Numbers, dates and progress as a rep reads them."""

from __future__ import annotations

from datetime import date, time
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

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


def hours_words(hours: tuple[time, time], tz: str | None, *, whose: str = "your") -> str:
    """When the bot may speak: "between 08:00 and 18:00 your time (Europe/Berlin)", or "… in your Slack
    timezone" until Slack has told us which it is."""
    where = f"{whose} time ({tz})" if tz else f"in {whose} Slack timezone"
    return f"between {hours[0]:%H:%M} and {hours[1]:%H:%M} {where}"


def bar(ratio: float | None, width: int = 10) -> str:
    """A readable progress bar for App Home and tables."""
    if ratio is None:
        return "░" * width
    filled = max(0, min(width, round(ratio * width)))
    return "█" * filled + "░" * (width - filled)


def from_crm(sources, *, when: str = "today") -> str:
    """ "3 calls from HubSpot today · 2 emails from Pipedrive today" (``sources``: a FromCrm)."""
    return " · ".join(f"{items(pairs)} from {name} {when}" for name, pairs in sources if pairs)


def items(pairs) -> str:
    """What was logged: "1 deal, 25 calls, $4,500 revenue"."""
    return ", ".join(f"{amount(a, m)} {noun(m.key, a, m.unit)}" for m, a in pairs)


def noun(label: str, value: object, unit: Unit = Unit.COUNT) -> str:
    """``label`` as it reads after the number ``value``: labels are stored plural ("presentations",
    "thank-you notes"), and exactly 1 of a count reads singular ("1 presentation", "1 thank-you note").
    Anything else stays plural ("0 calls", "1.5 calls"), and money keeps its name ("$1 revenue")."""
    if unit is not Unit.COUNT:
        return label
    try:
        one = Decimal(str(value)) == 1
    except InvalidOperation:
        return label
    return singular(label) if one else label


# A trailing past participle describes the noun before it: "deals closed" → "deal closed".
_PARTICIPLES = frozenset({"won", "lost", "sent", "made", "held", "done", "set", "given", "taken"})


def singular(label: str) -> str:
    """The singular of a plural label; only its noun, the last word (or the one before a trailing
    participle, as in "deals closed"), changes."""
    words = label.split(" ")
    i = len(words) - 1
    last = words[i].casefold()
    if i > 0 and (last in _PARTICIPLES or (last.endswith("ed") and not last.endswith("eed"))):
        i -= 1
    words[i] = _singular_word(words[i])
    return " ".join(words)


def _singular_word(word: str) -> str:
    low = word.casefold()
    if len(low) > 3 and low.endswith("ies"):
        return word[:-3] + ("Y" if word[-3:].isupper() else "y")  # replies → reply
    if low.endswith(("ches", "shes", "xes", "sses")):
        return word[:-2]  # pitches → pitch, boxes → box, addresses → address
    if len(low) > 1 and low.endswith("s") and not low.endswith("ss"):
        return word[:-1]  # calls → call, thank-you notes → thank-you note
    return word
