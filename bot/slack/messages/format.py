"""Numbers, dates and progress as a rep reads them."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, time
from decimal import Decimal

from bot.domain.types import Cadence, Metric, Period, Stage, Unit
from bot.i18n import N_, _, words
from bot.i18n import formats as fmt
from bot.i18n.words import METRIC_WORDS, MONEY_WORDS, noun, singular  # noqa: F401 (shown from here too)


class _Translated(Mapping):
    """A table of catalogued words, each shown in the reader's language when looked up."""

    def __init__(self, words: dict) -> None:
        self._words = words

    def __getitem__(self, key):
        return _(self._words[key])

    def __iter__(self):
        return iter(self._words)

    def __len__(self) -> int:
        return len(self._words)


PERIOD_WORD = _Translated(
    {
        Period.DAY: N_("today"),
        Period.WEEK: N_("this week"),
        Period.MONTH: N_("this month"),
        Period.QUARTER: N_("this quarter"),
    }
)
PER_PERIOD = _Translated(
    {
        Period.DAY: N_("/day"),
        Period.WEEK: N_("/week"),
        Period.MONTH: N_("/month"),
        Period.QUARTER: N_("/quarter"),
    }
)


def amount(value: Decimal, metric: Metric) -> str:
    if metric.unit is Unit.CURRENCY:
        return fmt.money(value)
    return fmt.number(value, 1)


def target(value: Decimal, metric: Metric) -> str:
    """Targets may be pro-rated into fractions; show them to a sensible precision."""
    if metric.unit is Unit.CURRENCY:
        return fmt.money(value, cents=False)
    return fmt.number(value, 1)


def percent(ratio: float | None) -> str:
    return fmt.percent(ratio)


def day(d: date, today: date) -> str:
    if d == today:
        return _("today ({date})", date=fmt.short_date(d))
    if (today - d).days == 1:
        return _("yesterday ({date})", date=fmt.short_date(d))
    return fmt.short_date(d)


def hours_words(hours: tuple[time, time], tz: str | None, *, whose: str = "your") -> str:
    """When the bot may speak: "between 08:00 and 18:00 your time (Europe/Berlin)", or "… in your Slack
    timezone" until Slack has told us which it is. ``whose``: "your" (to the person) or "their"."""
    start, end = fmt.clock_time(hours[0]), fmt.clock_time(hours[1])
    if whose == "your":
        if tz:
            return _("between {start} and {end} your time ({tz})", start=start, end=end, tz=tz)
        return _("between {start} and {end} in your Slack timezone", start=start, end=end)
    if tz:
        return _("between {start} and {end} their time ({tz})", start=start, end=end, tz=tz)
    return _("between {start} and {end} in their Slack timezone", start=start, end=end)


def bar(ratio: float | None, width: int = 10) -> str:
    """A readable progress bar for App Home and tables."""
    if ratio is None:
        return "░" * width
    filled = max(0, min(width, round(ratio * width)))
    return "█" * filled + "░" * (width - filled)


def from_crm(sources, *, when: str | None = None) -> str:
    """ "3 calls from HubSpot today · 2 emails from Pipedrive today" (``sources``: a FromCrm; ``when``:
    the day's words, "today" by default)."""
    when = _("today") if when is None else when
    return " · ".join(
        _("{items} from {source} {when}", items=items(pairs), source=name, when=when)
        for name, pairs in sources
        if pairs
    )


def items(pairs) -> str:
    """What was logged: "1 deal, 25 calls, $4,500 revenue"."""
    return _(", ").join(
        _("{amount} {metric}", amount=amount(a, m), metric=noun(m.key, a, m.unit)) for m, a in pairs
    )


def name(metric: Metric | str) -> str:
    """A metric's name as a heading or before a number that isn't 1: "calls" / "telefonata"."""
    label = metric if isinstance(metric, str) else metric.key
    unit = Unit.COUNT if isinstance(metric, str) else metric.unit
    return noun(label, 2, unit)


def label(metric: Metric) -> str:
    """A metric's label as a heading ("thank-you notes" / "shënime falënderimi")."""
    return noun(metric.label, 2, metric.unit)


def stage_name(stage: Stage) -> str:
    """A coaching stage's name: "onboarding" / "integrim"."""
    return words.stage_name(stage)


def cadence_name(cadence: Cadence) -> str:
    """How often check-ins come, as an adjective before "check-ins": "weekly" / "javor"."""
    return words.cadence_name(cadence)


def weekday_day(d: date) -> str:
    """A day in a week's list: "Mon 07" / "hën 7"."""
    return fmt.weekday_day(d)


def day_month(d: date) -> str:
    return fmt.day_month(d)


def day_month_year(d: date) -> str:
    return fmt.day_month_year(d)


def workdays(days: frozenset[int]) -> str:
    """ "Mon–Fri", "Sun–Thu" (a run may wrap past Sunday), "every day", or a plain list."""
    ordered = sorted(days)

    def short(i: int) -> str:
        return fmt.weekday(i, width="abbreviated")

    if 2 < len(ordered) < 7:
        for first in ordered:
            run = [(first + i) % 7 for i in range(len(ordered))]
            if set(run) == days:
                return f"{short(run[0])}–{short(run[-1])}"
    if len(ordered) == 7:
        return _("every day")
    return _(", ").join(short(d) for d in ordered)
