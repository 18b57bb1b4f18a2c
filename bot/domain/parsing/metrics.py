"""Amounts and metric names, as /log and /goals read them."""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, localcontext

from bot.domain.parsing.common import (
    MAX_GOAL_COUNT,
    MAX_GOAL_CURRENCY,
    MAX_LOG_COUNT,
    MAX_LOG_CURRENCY,
    _Fail,
    _fold,
    _is,
    _q,
)
from bot.domain.types import Metric, Unit
from bot.i18n import N_, SOURCE, _, language, speaking, vocabulary, words_in
from bot.i18n import formats as fmt
from bot.i18n.words import noun

# ---------------------------------------------------------------------------------------------------------
# Amounts
#
# A number is written the English way ("4,500.50"), the Albanian and continental way ("4.500,50"), or
# grouped with spaces ("4 500,50"); a lone separator is a decimal one unless exactly three digits follow
# it — "1,200" and "1.200" are truly ambiguous and follow the speaker's language (English: 1200 and 1.2;
# Albanian: 1.2 and 1200). A currency may stand before or after: a sign ($ € £), ``L``, ``lek``/``lekë``,
# or an ISO 4217 code ("EUR 4500", "4500 ALL").

_NUMBER = re.compile(
    r"""
    (?P<sign1>[-−])?
    (?:(?P<sym1>[$€£])|(?P<code1>[A-Za-z]{3})\ ?|(?P<lek1>L)(?=[0-9]))?
    (?P<sign2>[-−])?
    (?P<num>[0-9][0-9,. ]*?)
    (?P<mult>[kKmM])?
    (?:(?P<sym2>[$€£])|\ ?(?P<code2>[^\W\d_]{1,4}))?
    """,
    re.VERBOSE,
)
_GROUPED = re.compile(r"[0-9]{1,3}(?P<g>[,. ])[0-9]{3}(?:(?P=g)[0-9]{3})*(?:(?P<d>[.,])(?P<frac>[0-9]+))?")
_PLAIN = re.compile(r"[0-9]+(?:(?P<d>[.,])(?P<frac>[0-9]+))?")
_AMOUNT_THEN_WORD = re.compile(r"([$€£]?[0-9][0-9,.]*)([^\W\d_](?:[^\W\d_]|-)*)")
_MULTIPLIERS = {"k": Decimal(1000), "m": Decimal(1_000_000)}
_SYMBOLS = {"$": "USD", "€": "EUR", "£": "GBP"}
_LOWER_CODES = frozenset({"usd", "eur", "gbp", "chf"})  # codes also read when typed in lower case


def _lek_words() -> tuple[str, ...]:
    return vocabulary("input:currency lek", "lek|lekë|leke")


def _known_currency(code: str) -> bool:
    """An ISO 4217 code Babel knows (asked through bot.i18n: the domain imports no third party).
    Babel names an unknown code by the code itself."""
    with speaking(SOURCE):
        return fmt.currency_name(code) != code


def _code(word: str | None) -> str | None:
    """The ISO code a currency word stands for ("lekë" → ALL, "EUR" → EUR), else None. A code is read
    when typed in capitals (any code Babel knows), or in lower case for the few common ones."""
    if not word:
        return None
    if _is(word, _lek_words()):
        return "ALL"
    typed_as_code = word.isupper() or word.casefold() in _LOWER_CODES
    if len(word) == 3 and word.isascii() and word.isalpha() and typed_as_code:
        return word.upper() if _known_currency(word.upper()) else None
    return None


def _number(text: str) -> Decimal | None:
    """``text`` (digits and separators only) as a number, or None if it isn't written like one."""
    m = _GROUPED.fullmatch(text)
    if m is not None:
        group, dec = m["g"], m["d"]
        if dec == group:
            return None
        # "1,200" / "1.200": one separator before exactly three digits groups thousands in both
        # languages — nobody writes 1.2 as "1.200", and "$4,500" is four and a half thousand dollars
        # whoever types it.
        whole = text[: m.start("d")] if dec else text
        digits = whole.replace(group, "")
        return Decimal(digits + ("." + m["frac"] if dec else ""))
    m = _PLAIN.fullmatch(text)
    if m is None:
        return None
    if m["d"] == "," and len(m["frac"]) > 3:
        return None  # "10,0000" is neither a grouping nor a sensible decimal
    return Decimal(text.replace(",", "."))


def _parse(token: str) -> tuple[Decimal, str | None, bool] | None:
    """(value, ISO currency code or None, whether any currency was given), or None."""
    if not token or len(token) > 32:
        return None
    m = _NUMBER.fullmatch(token.strip())
    if m is None:
        return None
    given = [c for c in (m["sym1"], m["code1"], m["lek1"], m["sym2"], m["code2"]) if c]
    if (m["sign1"] and m["sign2"]) or len(given) > 1:
        return None
    code = None
    if m["sym1"] or m["sym2"]:
        code = _SYMBOLS[m["sym1"] or m["sym2"]]
    elif m["lek1"]:
        code = "ALL"
    elif m["code1"] or m["code2"]:
        code = _code(m["code1"] or m["code2"])
        if code is None:
            return None
    with localcontext() as ctx:
        ctx.prec = 60  # wide enough that no 32-character amount is ever rounded
        value = _number(m["num"])
        if value is None:
            return None
        if m["mult"]:
            value *= _MULTIPLIERS[m["mult"].lower()]
        if m["sign1"] or m["sign2"]:
            value = -value
    return _normalize(value), code, code is not None


def _normalize(value: Decimal) -> Decimal:
    """Plain-looking decimals: ``Decimal("4500")``, never ``4.5E+3``."""
    with localcontext() as ctx:
        ctx.prec = 60
        if value == value.to_integral_value():
            return value.quantize(Decimal(1))
        return value.normalize()


def parse_amount(token: str) -> tuple[Decimal, bool] | None:
    """``"25"`` → (25, False), ``"$4.5k"`` → (4500, True); None if the token isn't a plain amount.

    ASCII digits only, thousands grouped with commas, dots or spaces, a decimal point or comma,
    ``k``/``m`` suffixes and one currency (a sign, ``L``, ``lek``, an ISO code).
    A leading minus is kept so callers can say "must be more than zero" instead of "not a number".
    """
    parsed = _parse(token)
    return None if parsed is None else (parsed[0], parsed[2])


def amount_currency(token: str) -> str | None:
    """The ISO 4217 code of the currency an amount was written in ("€4.500" → EUR), else None."""
    parsed = _parse(token)
    return None if parsed is None else parsed[1]


def _join_amounts(words: list[str]) -> list[str]:
    """Amounts written over several words become one: ``4 500`` (grouped with spaces), ``4500 lekë``,
    ``EUR 4500``, ``4 500 lekë``."""
    out: list[str] = []
    i = 0
    while i < len(words):
        for size in (4, 3, 2):
            span = words[i : i + size]
            if len(span) == size and (
                span[0][:1].isdigit() or span[0][:1] in "$€£-−" or _code(span[0]) is not None
            ):
                joined = " ".join(span)
                if _parse(joined) is not None:
                    out.append(joined)
                    i += size
                    break
        else:
            out.append(words[i])
            i += 1
    return out


def _fmt(value: Decimal) -> str:
    """A number echoed in a message, as the reader's language writes it ("4,500" / "4 500")."""
    places = max(0, -value.normalize().as_tuple().exponent) if value != value.to_integral_value() else 0
    return fmt.number(value, places)


def _is_number_like(word: str) -> bool:
    """Looks like the user meant a number (so a failed parse is a number problem, not a metric one)."""
    first = word[0]
    return first.isdigit() or unicodedata.category(first) == "Nd" or (first in "$€£-−." and len(word) > 1)


_DATE_LIKE = re.compile(r"[0-9]{1,4}[/.-][0-9]{1,2}(?:[/.-][0-9]{1,4})?")


def _amount_or_fail(word: str) -> tuple[Decimal, bool] | None:
    """The word's amount, None if it's a word, or a friendly failure if it's a broken number."""
    parsed = parse_amount(word)
    if parsed is not None:
        return parsed
    if not _is_number_like(word):
        return None
    if any(unicodedata.category(c) == "Nd" and not ("0" <= c <= "9") for c in word):
        raise _Fail(_('"{word}" — please write numbers with the digits 0-9.', word=_q(word)))
    if _DATE_LIKE.fullmatch(word):
        raise _Fail(_('"{word}" looks like a date — write dates as `2026-11-25`.', word=_q(word)))
    raise _Fail(
        _(
            '"{word}" isn\'t a number I understand — use whole numbers like `25`, or `4.5k`, `$4,500`.',
            word=_q(word),
        )
    )


def _split_glued(words: list[str]) -> list[str]:
    """``3demos`` → ``3``, ``demos`` (but ``4.5k`` stays an amount)."""
    out: list[str] = []
    for w in words:
        m = _AMOUNT_THEN_WORD.fullmatch(w)
        if m and parse_amount(w) is None and parse_amount(m[1]) is not None:
            out.extend((m[1], m[2]))
        else:
            out.append(w)
    return out


# ---------------------------------------------------------------------------------------------------------
# Metrics


def _norm_name(name: str) -> str:
    name = _fold(name)
    name = re.sub(r"['’.]", "", name)
    name = re.sub(r"[-_]+", " ", name)
    return " ".join(name.split())


def _singular(word: str) -> str:
    return word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word


def _canon(name: str) -> str:
    return " ".join(_singular(w) for w in _norm_name(name).split())


# The default metrics' names, as catalogue entries ("telefonata", "shënime falënderimi"…), each a
# literal call so the extraction sees it: every language's (what the parser reads), and the reader's
# language's alone (what the help shows).
_EVERY_LANGUAGE = {
    "calls": lambda: vocabulary("input:metric calls", "calls"),
    "presentations": lambda: vocabulary("input:metric presentations", "presentations"),
    "notes": lambda: vocabulary("input:metric notes", "notes"),
    "emails": lambda: vocabulary("input:metric emails", "emails"),
    "deals": lambda: vocabulary("input:metric deals", "deals"),
    "revenue": lambda: vocabulary("input:metric revenue", "revenue"),
}
_READER_S = {
    "calls": lambda: words_in("input:metric calls", "calls"),
    "presentations": lambda: words_in("input:metric presentations", "presentations"),
    "notes": lambda: words_in("input:metric notes", "notes"),
    "emails": lambda: words_in("input:metric emails", "emails"),
    "deals": lambda: words_in("input:metric deals", "deals"),
    "revenue": lambda: words_in("input:metric revenue", "revenue"),
}


def _default_names(key: str) -> tuple[str, ...]:
    """The default metric ``key``'s names in every language."""
    names = _EVERY_LANGUAGE.get(key)
    return names() if names else ()


def _names(metric: Metric) -> tuple[str, ...]:
    return (metric.key, metric.label, *metric.aliases, *_default_names(metric.key))


def _metric_name(metric: Metric, count: Decimal | int = 2) -> str:
    """A metric's name in a message: its key ("calls"); the default metrics' in the reader's language,
    in the form that fits ``count`` ("1 telefonatë", "25 telefonata"). English keeps the key whatever
    the count, as the bot always wrote it."""
    if language() == SOURCE:
        return metric.key
    return noun(metric.key, count, metric.unit)


def words_for(metric: Metric) -> tuple[str, ...]:
    """Every name the parser reads as ``metric``, beyond its English ones: the catalogues' names of a
    default metric ("telefonata", "thirrje"…), for the help to show a reader of another language."""
    names = _READER_S.get(metric.key)
    if names is None or language() == SOURCE:
        return ()
    return names()


def resolve_metric(name: str, metrics: Sequence[Metric]) -> Metric | None:
    """The metric called ``name``: by key, label or alias, any case, singular or plural, dashes or not."""
    wanted = _norm_name(name)
    if not wanted:
        return None
    for metric in metrics:
        if any(_norm_name(n) == wanted for n in _names(metric)):
            return metric
    wanted = _canon(wanted)
    for metric in metrics:
        if any(_canon(n) == wanted for n in _names(metric)):
            return metric
    return None


def suggest_metric(name: str, metrics: Sequence[Metric]) -> Metric | None:
    """The metric whose key, alias or label is closest to a misspelt ``name``, if any is close enough."""
    wanted = _norm_name(name)
    if not wanted:
        return None
    by_name: dict[str, Metric] = {}
    for metric in metrics:
        for n in _names(metric):
            by_name.setdefault(_norm_name(n), metric)
    close = difflib.get_close_matches(wanted, list(by_name), n=1, cutoff=0.6)
    return by_name[close[0]] if close else None


def _unknown_metric(phrase: str, metrics: Sequence[Metric]) -> _Fail:
    guess = suggest_metric(phrase, metrics)
    if guess is not None:
        return _Fail(
            _(
                'I don\'t know "{phrase}" — did you mean *{metric}*?',
                phrase=_q(phrase),
                metric=_metric_name(guess),
            )
        )
    none_yet = _("none yet")
    keys = ", ".join(f"*{_metric_name(m)}*" for m in metrics) or none_yet
    return _Fail(
        _('I don\'t know "{phrase}". The metrics here are: {metrics}.', phrase=_q(phrase), metrics=keys)
    )


def _currency_metric(metrics: Sequence[Metric]) -> Metric:
    for metric in metrics:
        if metric.unit is Unit.CURRENCY:
            return metric
    raise _Fail(_("There's no money metric (like *revenue*) here, so I can't use an amount on its own."))


def _no_amount(words: Sequence[str], metrics: Sequence[Metric], example: str) -> _Fail:
    phrase = " ".join(words)
    metric = resolve_metric(phrase, metrics)
    if metric is not None:
        return _Fail(
            _(
                "How many *{metric}*? Put the number first, like `{example}`.",
                metric=_metric_name(metric),
                example=example,
            )
        )
    guess = suggest_metric(phrase, metrics) if len(words) == 1 else None
    if guess is not None:
        return _Fail(
            _(
                'I don\'t know "{phrase}" — did you mean *{metric}*? Put the number first, like `{example}`.',
                phrase=_q(phrase),
                metric=_metric_name(guess),
                example=example,
            )
        )
    return _Fail(
        _(
            'I don\'t understand "{phrase}" — put a number before each metric, like `{example}`.',
            phrase=_q(phrase),
            example=example,
        )
    )


@dataclass(frozen=True)
class _Limits:
    """The most a count or an amount may be; ``message`` says so (fields ``amount``, ``metric``, ``cap``),
    ``many`` when the amount is too big to show (fields ``metric``, ``cap``)."""

    max_count: Decimal
    max_currency: Decimal
    message: str
    many: str


_LOG_LIMITS = _Limits(
    MAX_LOG_COUNT,
    MAX_LOG_CURRENCY,
    N_("{amount} {metric} in one entry? The most I accept is {cap} — check the number."),
    N_("That many {metric} in one entry? The most I accept is {cap} — check the number."),
)
_GOAL_LIMITS = _Limits(
    MAX_GOAL_COUNT,
    MAX_GOAL_CURRENCY,
    N_("{amount} {metric} as a goal? The most I accept is {cap} — check the number."),
    N_("That many {metric} as a goal? The most I accept is {cap} — check the number."),
)


def _check_amount(amount: Decimal, is_currency: bool, metric: Metric, raw: str) -> None:
    """Per-item rules shared by /log and /goals (sign, whole counts, cents, currency on counts)."""
    name = _metric_name(metric)
    if amount < 0:
        raise _Fail(
            _(
                "{amount} {metric}? Amounts must be more than zero. To take back an entry, use `/log undo`.",
                amount=_q(raw),
                metric=name,
            )
        )
    if amount == 0:
        raise _Fail(_("{amount} {metric}? Amounts must be more than zero.", amount=_q(raw), metric=name))
    if metric.unit is Unit.COUNT:
        if is_currency:
            raise _Fail(
                _(
                    "*{metric}* are counted, not money — drop the currency sign from {amount}.",
                    metric=name,
                    amount=_q(raw),
                )
            )
        if amount != amount.to_integral_value():
            raise _Fail(
                _(
                    "*{metric}* are counted in whole numbers — {amount} isn't one.",
                    metric=name,
                    amount=_q(raw),
                )
            )
    elif (cents := amount * 100) != cents.to_integral_value():
        raise _Fail(_("{amount} has more than 2 decimals — money goes down to the cent.", amount=_q(raw)))


def _check_cap(amount: Decimal, metric: Metric, limits: _Limits) -> None:
    cap = limits.max_currency if metric.unit is Unit.CURRENCY else limits.max_count
    if amount > cap:
        if amount >= Decimal(10) ** 15:
            raise _Fail(_(limits.many, metric=_metric_name(metric), cap=_fmt(cap)))
        raise _Fail(
            _(limits.message, amount=_fmt(amount), metric=_metric_name(metric, amount), cap=_fmt(cap))
        )
