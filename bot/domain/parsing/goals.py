"""``/goals``: a view, or goals to set or clear for reps or the team default."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from bot.domain.parsing.common import (
    ParseError,
    _a_link_words,
    _and_words,
    _check_people,
    _clean,
    _dedupe,
    _display,
    _Fail,
    _fold,
    _is,
    _pieces,
    _q,
    _segments,
    _Tok,
    _tokens,
)
from bot.domain.parsing.metrics import (
    _GOAL_LIMITS,
    _amount_or_fail,
    _check_amount,
    _check_cap,
    _currency_metric,
    _join_amounts,
    _metric_name,
    _no_amount,
    _norm_name,
    _split_glued,
    _unknown_metric,
    amount_currency,
    parse_amount,
    resolve_metric,
)
from bot.domain.types import Metric, Period
from bot.i18n import N_, _, vocabulary

TEAM = "team"

GOALS_USAGE = N_(
    "Try `/goals @rep 25 calls/day, 5 presentations/week`, `/goals team quota $50k/month`, "
    "`/goals @rep clear calls`, or `/goals help`."
)


@dataclass(frozen=True)
class GoalItem:
    metric: str
    target: Decimal
    period: Period


@dataclass(frozen=True)
class GoalsView:
    """Goals of ``user_ids``; empty means the caller's own."""

    user_ids: tuple[str, ...]


@dataclass(frozen=True)
class GoalsTeamView:
    pass


@dataclass(frozen=True)
class GoalsSet:
    """``currency``: the ISO 4217 code of the currency an amount was written in, None when none was
    (the service checks it against the team's; it takes no part in equality)."""

    targets: tuple[str, ...]
    items: tuple[GoalItem, ...]
    currency: str | None = field(default=None, compare=False)


@dataclass(frozen=True)
class GoalsClear:
    """Clear goals of ``targets``; an empty ``metrics`` means every metric."""

    targets: tuple[str, ...]
    metrics: tuple[str, ...]


@dataclass(frozen=True)
class GoalsHelp:
    pass


GoalsCommand = GoalsView | GoalsTeamView | GoalsSet | GoalsClear | GoalsHelp


def _period_units() -> dict[str, Period]:
    """Every language's words for a period's unit, after a slash or ``per``: ``/day``, ``/ditë``."""
    units = dict(_PERIOD_UNITS)
    for period, forms in (
        (Period.DAY, vocabulary("input:period day", "day")),
        (Period.WEEK, vocabulary("input:period week", "week")),
        (Period.MONTH, vocabulary("input:period month", "month")),
        (Period.QUARTER, vocabulary("input:period quarter", "quarter")),
    ):
        for word in forms:
            units.setdefault(_fold(word), period)
    return units


def _period_adverbs() -> dict[str, Period]:
    """ "daily", "weekly"… in every language ("ditore", "javore"…)."""
    adverbs = dict(_PERIOD_ADVERBS)
    for period, forms in (
        (Period.DAY, vocabulary("input:period daily", "daily")),
        (Period.WEEK, vocabulary("input:period weekly", "weekly")),
        (Period.MONTH, vocabulary("input:period monthly", "monthly")),
        (Period.QUARTER, vocabulary("input:period quarterly", "quarterly")),
    ):
        for word in forms:
            adverbs.setdefault(_fold(word), period)
    return adverbs


def _quota_words() -> tuple[str, ...]:
    return vocabulary("input:keyword quota", "quota|quotas")


_PERIOD_UNITS = {
    "day": Period.DAY,
    "d": Period.DAY,
    "week": Period.WEEK,
    "wk": Period.WEEK,
    "w": Period.WEEK,
    "month": Period.MONTH,
    "mo": Period.MONTH,
    "mth": Period.MONTH,
    "quarter": Period.QUARTER,
    "q": Period.QUARTER,
    "qtr": Period.QUARTER,
}
_LONG_UNITS = {"day", "week", "wk", "month", "mo", "mth", "quarter", "qtr"}
_PERIOD_ADVERBS = {
    "daily": Period.DAY,
    "weekly": Period.WEEK,
    "monthly": Period.MONTH,
    "quarterly": Period.QUARTER,
}
_PERIOD_INTRO = {"per", "a", "an", "each", "every"}


def parse_goals(text: str, *, metrics: Sequence[Metric]) -> GoalsCommand | ParseError:
    """Parse ``/goals`` text: a view, or goals to set or clear for reps or the team default."""
    try:
        return _parse_goals(text, metrics)
    except _Fail as fail:
        return ParseError(fail.message, fail.usage or _(GOALS_USAGE))


def _parse_goals(text: str, metrics: Sequence[Metric]) -> GoalsCommand:
    tokens = _tokens(_clean(text))
    if len(tokens) == 1 and _is(tokens[0].low, vocabulary("input:keyword help", "help|?")):
        return GoalsHelp()
    _check_people(tokens, "/goals")

    users: list[str] = []
    team = False
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        if tok.kind == "user":
            users.append(tok.text)
        elif tok.low == TEAM or _is(tok.low, vocabulary("input:keyword team", "team")):
            team = True
        elif not (users or team) or (tok.low not in (",", "&") and not _is(tok.low, _and_words())):
            break
        i += 1
    rest = tokens[i:]
    if team and users:
        raise _Fail(_("Set goals either for `team` (the default) or for `@reps`, not both at once."))
    for tok in rest:
        if tok.kind == "user":
            raise _Fail(_("Put the `@rep` first, like `/goals @rep 25 calls/day`."))
        if tok.kind in ("channel", "link", "bad"):
            raise _Fail(
                _(
                    "I didn't expect {what} in `{command}`.",
                    what=_q(_display(tok) or _a_link_words()),
                    command="/goals",
                )
            )
    targets = (TEAM,) if team else _dedupe(users)

    if not rest:
        if team:
            return GoalsTeamView()
        return GoalsView(targets)
    if _is(rest[0].low, vocabulary("input:keyword clear", "clear")):
        metric_keys = _goal_clear_metrics(rest[1:], metrics)
        _require_targets(targets)
        return GoalsClear(targets, metric_keys)
    items, currency = _goal_items(rest, metrics)
    _require_targets(targets)
    return GoalsSet(targets, items, currency)


def _require_targets(targets: tuple[str, ...]) -> None:
    if not targets:
        raise _Fail(
            _(
                "Whose goals? Managers name a rep (`@rep`) or `team` for the team default, like "
                "`/goals @rep 25 calls/day` or `/goals team 25 calls/day`."
            )
        )


def _goal_clear_metrics(tokens: Sequence[_Tok], metrics: Sequence[Metric]) -> tuple[str, ...]:
    """Metric keys to clear: names, ``quota`` (every result metric); nothing or ``all`` = every metric."""
    keys: list[str] = []
    for segment in _segments(_pieces(tokens)):
        words = list(segment)
        while words:
            first = _norm_name(words[0])
            if first in ("all", "everything", "goals") or _is(
                first, vocabulary("input:keyword all goals", "all|everything|goals")
            ):
                return ()
            if _is(first, _quota_words()):
                results = [m.key for m in metrics if m.is_result]
                if not results:
                    raise _Fail(_("There's no result metric here, so there's no quota to clear."))
                keys.extend(results)
                words = words[1:]
                continue
            for size in range(len(words), 0, -1):
                metric = resolve_metric(" ".join(words[:size]), metrics)
                if metric is not None:
                    keys.append(metric.key)
                    words = words[size:]
                    break
            else:
                raise _unknown_metric(" ".join(words), metrics)
    return _dedupe(keys)


def _period_at(words: Sequence[str], i: int) -> tuple[Period, int] | None:
    """A period phrase starting at ``words[i]`` and how many words it takes."""
    low = _fold(words[i]).rstrip(".,:")
    adverbs = _period_adverbs()
    if low in adverbs:
        return adverbs[low], 1
    units = _period_units()
    if low.startswith("/"):
        unit = low[1:] or (_fold(words[i + 1]) if i + 1 < len(words) else "")
        if unit in units:
            return units[unit], 1 if low[1:] else 2
        raise _Fail(
            _(
                '"{period}" isn\'t a period I know — use `/day`, `/week`, `/month` or `/quarter`.',
                period=_q(words[i]),
            )
        )
    intro = low in _PERIOD_INTRO or _is(low, vocabulary("input:keyword per", "per|a|an|each|every"))
    if intro and i + 1 < len(words):
        unit = _fold(words[i + 1]).rstrip(".,:")
        if unit in _LONG_UNITS or (unit in units and unit not in _PERIOD_UNITS):
            return units[unit], 2
    return None


def _goal_items(tokens: Sequence[_Tok], metrics: Sequence[Metric]) -> tuple[tuple[GoalItem, ...], str | None]:
    """The goals, and the currency their amounts were written in (None: none was)."""
    items: list[GoalItem] = []
    seen: set[str] = set()
    currencies: list[str] = []
    for segment in _segments(_pieces(tokens, slash=True)):
        words = _join_amounts(_split_glued(segment))
        # A new item starts at an amount or at ``quota`` once the current item already has its amount.
        chunks: list[list[str]] = [[]]
        has_amount = False
        for word in words:
            is_amount = _amount_or_fail(word) is not None
            if (is_amount or _is(_norm_name(word).rstrip(":"), _quota_words())) and has_amount:
                chunks.append([])
                has_amount = False
            chunks[-1].append(word)
            has_amount = has_amount or is_amount
        for chunk in chunks:
            item, metric, code = _goal_item(chunk, metrics)
            if item.metric in seen:
                raise _Fail(
                    _(
                        "You gave *{metric}* twice — set one goal per metric at a time.",
                        metric=_metric_name(metric),
                    )
                )
            seen.add(item.metric)
            items.append(item)
            if code is not None and code not in currencies:
                currencies.append(code)
    if not items:
        raise _Fail(_("Which goals? Give a number, a metric and a period, like `25 calls/day`."))
    if len(currencies) > 1:
        raise _Fail(
            _(
                "One currency per command, please — you wrote amounts in {first} and {second}.",
                first=currencies[0],
                second=currencies[1],
            )
        )
    return tuple(items), (currencies[0] if currencies else None)


def _goal_item(words: list[str], metrics: Sequence[Metric]) -> tuple[GoalItem, Metric, str | None]:
    """One goal: ``[quota[:]] AMOUNT metric words PERIOD`` (period anywhere after the amount)."""
    periods: list[Period] = []
    rest: list[str] = []
    i = 0
    while i < len(words):
        found = _period_at(words, i)
        if found is None:
            rest.append(words[i])
            i += 1
        else:
            periods.append(found[0])
            i += found[1]
    is_quota = False
    if rest and _is(_norm_name(rest[0]).rstrip(":"), _quota_words()):
        is_quota = True
        rest = rest[1:]
        if rest and _is(rest[0], vocabulary("input:keyword of", "of")):
            rest = rest[1:]
    parsed = parse_amount(rest[0]) if rest else None
    if parsed is None:
        raise _no_amount(rest or words, metrics, "/goals @rep 25 calls/day")
    raw = rest[0]
    amount, is_currency = parsed
    name_words = rest[1:]
    if name_words:
        phrase = " ".join(name_words)
        metric = resolve_metric(phrase, metrics)
        if metric is None:
            raise _unknown_metric(phrase, metrics)
    elif is_currency:
        metric = _currency_metric(metrics)
    else:
        raise _Fail(
            _("{amount} what? Add the metric, like `/goals @rep {amount} calls/day`.", amount=_q(raw))
        )
    name = _metric_name(metric)
    if not periods:
        raise _Fail(
            _(
                "How often should that be {amount} {metric}? Add a period, like `/day`, `/week`, "
                "`per month` or `quarterly`.",
                amount=_q(raw),
                metric=_metric_name(metric, amount),
            )
        )
    if len(periods) > 1:
        raise _Fail(_("*{metric}* has more than one period — give just one, like `/week`.", metric=name))
    if is_quota and not metric.is_result:
        raise _Fail(
            _(
                "A quota is on a result metric like *deals* or *revenue*, not *{metric}* — "
                "set activity goals without `quota`, like `/goals @rep {amount} {metric}/day`.",
                metric=name,
                amount=_q(raw),
            )
        )
    _check_amount(amount, is_currency, metric, raw)
    _check_cap(amount, metric, _GOAL_LIMITS)
    return GoalItem(metric.key, amount, periods[0]), metric, amount_currency(raw)
