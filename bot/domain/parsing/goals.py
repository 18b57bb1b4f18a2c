"""``/goals``: a view, or goals to set or clear for reps or the team default."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from bot.domain.parsing.common import (
    ParseError,
    _check_people,
    _clean,
    _dedupe,
    _display,
    _Fail,
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
    _no_amount,
    _norm_name,
    _split_glued,
    _unknown_metric,
    parse_amount,
    resolve_metric,
)
from bot.domain.types import Metric, Period

TEAM = "team"

GOALS_USAGE = (
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
    targets: tuple[str, ...]
    items: tuple[GoalItem, ...]


@dataclass(frozen=True)
class GoalsClear:
    """Clear goals of ``targets``; an empty ``metrics`` means every metric."""

    targets: tuple[str, ...]
    metrics: tuple[str, ...]


@dataclass(frozen=True)
class GoalsHelp:
    pass


GoalsCommand = GoalsView | GoalsTeamView | GoalsSet | GoalsClear | GoalsHelp


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
        return ParseError(fail.message, fail.usage or GOALS_USAGE)


def _parse_goals(text: str, metrics: Sequence[Metric]) -> GoalsCommand:
    tokens = _tokens(_clean(text))
    if len(tokens) == 1 and tokens[0].low in ("help", "?"):
        return GoalsHelp()
    _check_people(tokens, "/goals")

    users: list[str] = []
    team = False
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        if tok.kind == "user":
            users.append(tok.text)
        elif tok.low == TEAM:
            team = True
        elif not (users or team) or tok.low not in (",", "and", "&"):
            break
        i += 1
    rest = tokens[i:]
    if team and users:
        raise _Fail("Set goals either for `team` (the default) or for `@reps`, not both at once.")
    for tok in rest:
        if tok.kind == "user":
            raise _Fail("Put the `@rep` first, like `/goals @rep 25 calls/day`.")
        if tok.kind in ("channel", "link", "bad"):
            raise _Fail(f"I didn't expect {_q(_display(tok) or 'a link')} in `/goals`.")
    targets = (TEAM,) if team else _dedupe(users)

    if not rest:
        if team:
            return GoalsTeamView()
        return GoalsView(targets)
    if rest[0].low == "clear":
        metric_keys = _goal_clear_metrics(rest[1:], metrics)
        _require_targets(targets)
        return GoalsClear(targets, metric_keys)
    items = _goal_items(rest, metrics)
    _require_targets(targets)
    return GoalsSet(targets, items)


def _require_targets(targets: tuple[str, ...]) -> None:
    if not targets:
        raise _Fail(
            "Whose goals? Managers name a rep (`@rep`) or `team` for the team default, like "
            "`/goals @rep 25 calls/day` or `/goals team 25 calls/day`."
        )


def _goal_clear_metrics(tokens: Sequence[_Tok], metrics: Sequence[Metric]) -> tuple[str, ...]:
    """Metric keys to clear: names, ``quota`` (every result metric); nothing or ``all`` = every metric."""
    keys: list[str] = []
    for segment in _segments(_pieces(tokens)):
        words = list(segment)
        while words:
            first = _norm_name(words[0])
            if first in ("all", "everything", "goals"):
                return ()
            if first in ("quota", "quotas"):
                results = [m.key for m in metrics if m.is_result]
                if not results:
                    raise _Fail("There's no result metric here, so there's no quota to clear.")
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
    low = words[i].casefold().rstrip(".,:")
    if low in _PERIOD_ADVERBS:
        return _PERIOD_ADVERBS[low], 1
    if low.startswith("/"):
        unit = low[1:] or (words[i + 1].casefold() if i + 1 < len(words) else "")
        if unit in _PERIOD_UNITS:
            return _PERIOD_UNITS[unit], 1 if low[1:] else 2
        raise _Fail(f'"{_q(words[i])}" isn\'t a period I know — use `/day`, `/week`, `/month` or `/quarter`.')
    if low in _PERIOD_INTRO and i + 1 < len(words):
        unit = words[i + 1].casefold().rstrip(".,:")
        if unit in _LONG_UNITS:
            return _PERIOD_UNITS[unit], 2
    return None


def _goal_items(tokens: Sequence[_Tok], metrics: Sequence[Metric]) -> tuple[GoalItem, ...]:
    items: list[GoalItem] = []
    seen: set[str] = set()
    for segment in _segments(_pieces(tokens, slash=True)):
        words = _split_glued(segment)
        # A new item starts at an amount or at ``quota`` once the current item already has its amount.
        chunks: list[list[str]] = [[]]
        has_amount = False
        for word in words:
            is_amount = _amount_or_fail(word) is not None
            if (is_amount or _norm_name(word).rstrip(":") in ("quota", "quotas")) and has_amount:
                chunks.append([])
                has_amount = False
            chunks[-1].append(word)
            has_amount = has_amount or is_amount
        for chunk in chunks:
            item = _goal_item(chunk, metrics)
            if item.metric in seen:
                raise _Fail(f"You gave *{item.metric}* twice — set one goal per metric at a time.")
            seen.add(item.metric)
            items.append(item)
    if not items:
        raise _Fail("Which goals? Give a number, a metric and a period, like `25 calls/day`.")
    return tuple(items)


def _goal_item(words: list[str], metrics: Sequence[Metric]) -> GoalItem:
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
    if rest and _norm_name(rest[0]).rstrip(":") in ("quota", "quotas"):
        is_quota = True
        rest = rest[1:]
        if rest and rest[0].casefold() == "of":
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
        raise _Fail(f"{_q(raw)} what? Add the metric, like `/goals @rep {_q(raw)} calls/day`.")
    if not periods:
        raise _Fail(
            f"How often should that be {_q(raw)} {metric.key}? Add a period, like `/day`, `/week`, "
            "`per month` or `quarterly`."
        )
    if len(periods) > 1:
        raise _Fail(f"*{metric.key}* has more than one period — give just one, like `/week`.")
    if is_quota and not metric.is_result:
        raise _Fail(
            f"A quota is on a result metric like *deals* or *revenue*, not *{metric.key}* — "
            f"set activity goals without `quota`, like `/goals @rep {_q(raw)} {metric.key}/day`."
        )
    _check_amount(amount, is_currency, metric, raw)
    _check_cap(amount, metric, _GOAL_LIMITS)
    return GoalItem(metric.key, amount, periods[0])
