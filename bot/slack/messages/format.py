"""Numbers, dates and progress as a rep reads them."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, time
from decimal import Decimal, InvalidOperation

from bot.domain.types import Cadence, Metric, Period, Stage, Unit
from bot.i18n import N_, SOURCE, _, language, n_, nN_, p_
from bot.i18n import formats as fmt


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

# The default metrics' names (keys and labels), singular and plural, for the catalogues; a workspace's
# own metric names are shown as their manager typed them.
METRIC_WORDS: dict[str, tuple[str, str]] = {
    "calls": nN_("call", "calls"),
    "cold calls": nN_("cold call", "cold calls"),
    "presentations": nN_("presentation", "presentations"),
    "notes": nN_("note", "notes"),
    "thank-you notes": nN_("thank-you note", "thank-you notes"),
    "emails": nN_("email", "emails"),
    "deals": nN_("deal", "deals"),
    "deals closed": nN_("deal closed", "deals closed"),
    "entries": nN_("entry", "entries"),
}
MONEY_WORDS = {"revenue": N_("revenue")}


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


def noun(label: str, value: object, unit: Unit = Unit.COUNT) -> str:
    """``label`` as it reads after the number ``value``: labels are stored plural ("presentations",
    "thank-you notes"), and exactly 1 of a count reads singular ("1 presentation", "1 thank-you note").
    Anything else stays plural ("0 calls", "1.5 calls"), and money keeps its name ("$1 revenue").
    Another language has the default metrics' names from its catalogue ("1 telefonatë", "25
    telefonata"); a workspace's own metrics keep the name their manager gave them."""
    if unit is not Unit.COUNT:
        if label in MONEY_WORDS and language() != SOURCE:
            return _(MONEY_WORDS[label])
        return label
    try:
        one = Decimal(str(value)) == 1
    except InvalidOperation:
        one = False
    pair = METRIC_WORDS.get(label)
    if language() != SOURCE:
        return n_(*pair, 1 if one else 2) if pair else label
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


def label(metric: Metric) -> str:
    """A metric's label as a heading ("thank-you notes" / "shënime falënderimi")."""
    return noun(metric.label, 2, metric.unit)


def stage_name(stage: Stage) -> str:
    """A coaching stage's name: "onboarding" / "në fillim"."""
    return {
        Stage.ONBOARDING: p_("stage", "onboarding"),
        Stage.STEADY: p_("stage", "steady"),
        Stage.AUTONOMOUS: p_("stage", "autonomous"),
        Stage.SUPPORT: p_("stage", "support"),
    }[stage]


def cadence_name(cadence: Cadence) -> str:
    """How often check-ins come, as an adjective before "check-ins": "weekly" / "javore"."""
    return {
        Cadence.DAILY: p_("cadence", "daily"),
        Cadence.WEEKLY: p_("cadence", "weekly"),
        Cadence.MONTHLY: p_("cadence", "monthly"),
    }[cadence]


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
