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
    _q,
)
from bot.domain.types import Metric, Unit

# ---------------------------------------------------------------------------------------------------------
# Amounts

_AMOUNT = re.compile(
    r"""
    (?P<sign1>[-−])?
    (?P<cur1>[$€£])?
    (?P<sign2>[-−])?
    (?P<num>[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)
    (?P<frac>\.[0-9]+)?
    (?P<mult>[kKmM])?
    (?P<cur2>[$€£])?
    """,
    re.VERBOSE,
)
_AMOUNT_THEN_WORD = re.compile(r"([$€£]?[0-9][0-9,]*(?:\.[0-9]+)?)([^\W\d_](?:[^\W\d_]|-)*)")
_MULTIPLIERS = {"k": Decimal(1000), "m": Decimal(1_000_000)}


def _normalize(value: Decimal) -> Decimal:
    """Plain-looking decimals: ``Decimal("4500")``, never ``4.5E+3``."""
    with localcontext() as ctx:
        ctx.prec = 60
        if value == value.to_integral_value():
            return value.quantize(Decimal(1))
        return value.normalize()


def parse_amount(token: str) -> tuple[Decimal, bool] | None:
    """``"25"`` → (25, False), ``"$4.5k"`` → (4500, True); None if the token isn't a plain amount.

    ASCII digits only, optional thousands commas, ``k``/``m`` suffixes and one currency sign ($ € £).
    A leading minus is kept so callers can say "must be more than zero" instead of "not a number".
    """
    if not token or len(token) > 32:
        return None
    m = _AMOUNT.fullmatch(token.strip())
    if m is None:
        return None
    if (m["sign1"] and m["sign2"]) or (m["cur1"] and m["cur2"]):
        return None
    with localcontext() as ctx:
        ctx.prec = 60  # wide enough that no 32-character amount is ever rounded
        value = Decimal(m["num"].replace(",", "") + (m["frac"] or ""))
        if m["mult"]:
            value *= _MULTIPLIERS[m["mult"].lower()]
        if m["sign1"] or m["sign2"]:
            value = -value
    return _normalize(value), bool(m["cur1"] or m["cur2"])


def _fmt(value: Decimal) -> str:
    return f"{value:,}"


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
        raise _Fail(f'"{_q(word)}" — please write numbers with the digits 0-9.')
    if _DATE_LIKE.fullmatch(word):
        raise _Fail(f'"{_q(word)}" looks like a date — write dates as `2026-11-25`.')
    raise _Fail(
        f'"{_q(word)}" isn\'t a number I understand — use whole numbers like `25`, or `4.5k`, `$4,500`.'
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
    name = unicodedata.normalize("NFKC", name).casefold()
    name = re.sub(r"['’.]", "", name)
    name = re.sub(r"[-_]+", " ", name)
    return " ".join(name.split())


def _singular(word: str) -> str:
    return word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word


def _canon(name: str) -> str:
    return " ".join(_singular(w) for w in _norm_name(name).split())


def _names(metric: Metric) -> tuple[str, ...]:
    return (metric.key, metric.label, *metric.aliases)


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
        return _Fail(f'I don\'t know "{_q(phrase)}" — did you mean *{guess.key}*?')
    keys = ", ".join(f"*{m.key}*" for m in metrics) or "none yet"
    return _Fail(f'I don\'t know "{_q(phrase)}". The metrics here are: {keys}.')


def _currency_metric(metrics: Sequence[Metric]) -> Metric:
    for metric in metrics:
        if metric.unit is Unit.CURRENCY:
            return metric
    raise _Fail("There's no money metric (like *revenue*) here, so I can't use an amount on its own.")


def _no_amount(words: Sequence[str], metrics: Sequence[Metric], example: str) -> _Fail:
    phrase = " ".join(words)
    metric = resolve_metric(phrase, metrics)
    if metric is not None:
        return _Fail(f"How many *{metric.key}*? Put the number first, like `{example}`.")
    guess = suggest_metric(phrase, metrics) if len(words) == 1 else None
    if guess is not None:
        return _Fail(
            f'I don\'t know "{_q(phrase)}" — did you mean *{guess.key}*? Put the number first, like `{example}`.'
        )
    return _Fail(f'I don\'t understand "{_q(phrase)}" — put a number before each metric, like `{example}`.')


@dataclass(frozen=True)
class _Limits:
    max_count: Decimal
    max_currency: Decimal
    what: str


_LOG_LIMITS = _Limits(MAX_LOG_COUNT, MAX_LOG_CURRENCY, "in one entry")
_GOAL_LIMITS = _Limits(MAX_GOAL_COUNT, MAX_GOAL_CURRENCY, "as a goal")


def _check_amount(amount: Decimal, is_currency: bool, metric: Metric, raw: str) -> None:
    """Per-item rules shared by /log and /goals (sign, whole counts, cents, currency on counts)."""
    if amount <= 0:
        hint = " To take back an entry, use `/log undo`." if amount < 0 else ""
        raise _Fail(f"{_q(raw)} {metric.key}? Amounts must be more than zero.{hint}")
    if metric.unit is Unit.COUNT:
        if is_currency:
            raise _Fail(f"*{metric.key}* are counted, not money — drop the currency sign from {_q(raw)}.")
        if amount != amount.to_integral_value():
            raise _Fail(f"*{metric.key}* are counted in whole numbers — {_q(raw)} isn't one.")
    elif (cents := amount * 100) != cents.to_integral_value():
        raise _Fail(f"{_q(raw)} has more than 2 decimals — money goes down to the cent.")


def _check_cap(amount: Decimal, metric: Metric, limits: _Limits) -> None:
    cap = limits.max_currency if metric.unit is Unit.CURRENCY else limits.max_count
    if amount > cap:
        shown = _fmt(amount) if amount < Decimal(10) ** 15 else "That many"
        raise _Fail(
            f"{shown} {metric.key} {limits.what}? The most I accept is {_fmt(cap)} — check the number."
        )
