"""The names of things counted, as they read after a number, in the reader's language.

English derives a label's singular ("1 presentation", "1 thank-you note"); another language has the
default metrics' names from its catalogue ("1 telefonatë", "25 telefonata"). A workspace's own metrics
keep the names their manager gave them.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from bot.i18n import N_, SOURCE, _, language, n_, nN_, p_

COUNT, CURRENCY = "count", "currency"  # a metric's unit, as bot.domain.types.Unit spells it

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


def noun(label: str, value: object, unit: str = COUNT) -> str:
    """``label`` as it reads after the number ``value``: labels are stored plural ("presentations",
    "thank-you notes"), and exactly 1 of a count reads singular ("1 presentation", "1 thank-you note").
    Anything else stays plural ("0 calls", "1.5 calls"), and money keeps its name ("$1 revenue").
    Another language has the default metrics' names from its catalogue ("1 telefonatë", "25
    telefonata"); a workspace's own metrics keep the name their manager gave them."""
    if unit != COUNT or label in MONEY_WORDS:  # money keeps its name: "$1 revenue"
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


def name(label: str, unit: str = COUNT) -> str:
    """A metric's name as a heading or before a number that isn't 1: "calls" / "telefonata"."""
    return noun(label, 2, unit)


def stage_name(stage: str | None) -> str:
    """A coaching stage's name: "onboarding" / "integrim" (an unknown one as it came)."""
    names = {
        "onboarding": p_("stage", "onboarding"),
        "steady": p_("stage", "steady"),
        "autonomous": p_("stage", "autonomous"),
        "support": p_("stage", "support"),
    }
    return names.get(str(stage or ""), str(stage or ""))


def cadence_name(cadence: str) -> str:
    """How often check-ins come, as a word before "check-ins": "weekly" / "javor"."""
    names = {
        "daily": p_("cadence", "daily"),
        "weekly": p_("cadence", "weekly"),
        "monthly": p_("cadence", "monthly"),
    }
    return names.get(str(cadence), str(cadence))
