"""``/log``: entries to record, or which view of their progress a rep asked for."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from bot.domain.parsing.common import (
    _SEP,
    MAX_LOG_DAYS_BACK,
    MAX_NOTE_CHARS,
    ParseError,
    _check_no_slack_tokens,
    _clean,
    _Fail,
    _free_text,
    _is,
    _pieces,
    _q,
    _segments,
    _strip_seps,
    _tokens,
)
from bot.domain.parsing.dates import _articles, _iso_date, _weekday
from bot.domain.parsing.metrics import (
    _LOG_LIMITS,
    _amount_or_fail,
    _check_amount,
    _check_cap,
    _currency_metric,
    _join_amounts,
    _no_amount,
    _normalize,
    _split_glued,
    _unknown_metric,
    amount_currency,
    resolve_metric,
)
from bot.domain.types import Metric
from bot.i18n import N_, _, vocabulary
from bot.i18n import formats as fmt

LOG_USAGE = N_("Try `/log 25 calls, 3 demos` or `/log help`.")


@dataclass(frozen=True)
class LogItem:
    metric: str
    amount: Decimal


@dataclass(frozen=True)
class LogEntries:
    """Items to record, one per metric in order of first mention (repeats summed). ``currency``: the
    ISO 4217 code of the currency the rep wrote an amount in ("$" → USD, "lekë" → ALL), None when they
    wrote none — the service checks it against the team's (it takes no part in equality)."""

    items: tuple[LogItem, ...]
    day: date
    note: str | None
    currency: str | None = field(default=None, compare=False)


@dataclass(frozen=True)
class LogShow:
    """Show progress for ``day`` (``/log``, ``/log today``, ``/log yesterday``…)."""

    day: date


@dataclass(frozen=True)
class LogWeek:
    pass


@dataclass(frozen=True)
class LogUndo:
    pass


@dataclass(frozen=True)
class LogHelp:
    pass


LogCommand = LogEntries | LogShow | LogWeek | LogUndo | LogHelp


def _log_day(word: str, today: date) -> date | None:
    """A /log date word (today, yesterday, a weekday — most recent, today included — or ISO)."""
    low = word.casefold().rstrip(":,")
    if _is(low, vocabulary("input:date today", "today")):
        return today
    if _is(low, vocabulary("input:date yesterday", "yesterday")):
        return today - timedelta(days=1)
    if _is(low, vocabulary("input:date day before yesterday", "ereyesterday")):
        return today - timedelta(days=2)
    if _is(low, vocabulary("input:date tomorrow", "tomorrow")):
        return today + timedelta(days=1)
    wd = _weekday(low)
    if wd is not None:
        return today - timedelta(days=(today.weekday() - wd) % 7)
    return _iso_date(low)


def _check_log_day(day: date, today: date) -> None:
    if day > today:
        raise _Fail(_("I can't log for a future date ({date}).", date=day.isoformat()))
    if (today - day).days > MAX_LOG_DAYS_BACK:
        raise _Fail(
            _(
                "{date} is too far back — you can log up to {days} days back. "
                "Ask your manager if older numbers need fixing.",
                date=day.isoformat(),
                days=fmt.number(MAX_LOG_DAYS_BACK),
            )
        )


def _split_note(text: str) -> tuple[str, str | None]:
    """Split ``items -- note`` (``--``, ``—`` or ``–``, outside Slack tokens); the note is raw text."""
    for m in re.finditer(r"<[^<>]*>|--+|[—–]", text):
        if m.group().startswith("<"):
            continue
        return text[: m.start()], text[m.end() :]
    return text, None


def parse_log(text: str, *, metrics: Sequence[Metric], today: date) -> LogCommand | ParseError:
    """Parse ``/log`` text: entries to record, or which view/action the rep asked for."""
    try:
        return _parse_log(text, metrics, today)
    except _Fail as fail:
        return ParseError(fail.message, fail.usage or _(LOG_USAGE))


def _parse_log(text: str, metrics: Sequence[Metric], today: date) -> LogCommand:
    cleaned = _clean(text)
    keyword = cleaned.casefold()
    if _is(keyword, vocabulary("input:keyword help", "help|?")):
        return LogHelp()
    if _is(keyword, vocabulary("input:keyword week", "week|this week")):
        return LogWeek()
    if _is(keyword, vocabulary("input:keyword undo", "undo")):
        return LogUndo()

    items_text, raw_note = _split_note(cleaned)
    note = None
    if raw_note is not None:
        note = _free_text(raw_note) or None
        if note is not None and len(note) > MAX_NOTE_CHARS:
            raise _Fail(
                _(
                    "That note is {count} characters — keep it to {limit}.",
                    count=fmt.number(len(note)),
                    limit=fmt.number(MAX_NOTE_CHARS),
                )
            )

    tokens = _tokens(items_text)
    _check_no_slack_tokens(tokens, "/log")
    pieces = _strip_seps(_pieces(tokens))
    if pieces and pieces[-1] is not _SEP:
        pieces[-1] = pieces[-1].rstrip(".!")
        if not pieces[-1]:
            pieces = _strip_seps(pieces[:-1])

    had_words = any(p is not _SEP for p in pieces)
    day, pieces = _take_log_day(pieces, today)
    if not pieces:
        if tokens and not had_words:
            raise _Fail(_("There's nothing to log there."))
        if note is not None:
            raise _Fail(_("Add what you did before the note, like `/log 25 calls -- great day`."))
        return LogShow(day)
    if "-" in pieces:
        raise _Fail(_("To add a note, use two dashes: `/log 25 calls -- note`."))

    totals: dict[str, Decimal] = {}
    by_key = {m.key: m for m in metrics}
    currencies: list[str] = []
    for amount, is_currency, metric, raw in _log_items(pieces, metrics):
        _check_amount(amount, is_currency, metric, raw)
        totals[metric.key] = totals.get(metric.key, Decimal(0)) + amount
        code = amount_currency(raw)
        if code is not None and code not in currencies:
            currencies.append(code)
    if len(currencies) > 1:
        raise _Fail(_one_currency(currencies))
    items = []
    for key, amount in totals.items():
        _check_cap(amount, by_key[key], _LOG_LIMITS)
        items.append(LogItem(key, _normalize(amount)))
    return LogEntries(tuple(items), day, note, currencies[0] if currencies else None)


def _one_currency(codes: Sequence[str]) -> str:
    return _(
        "One currency per command, please — you wrote amounts in {first} and {second}.",
        first=codes[0],
        second=codes[1],
    )


def _take_log_day(pieces: list[str | None], today: date) -> tuple[date, list[str | None]]:
    """Find the one optional date (leading or trailing, maybe after ``on``/``for``) and remove it."""
    found = [
        (i, day) for i, p in enumerate(pieces) if p is not _SEP and (day := _log_day(p, today)) is not None
    ]
    if not found:
        return today, pieces
    if len(found) > 1:
        raise _Fail(_("Only one date per command, please — at the start or the end."))
    index, day = found[0]
    start = index
    before = pieces[index - 1] if index > 0 else None
    if (
        before is not _SEP
        and before is not None
        and _is(before, _articles())
        and _weekday(pieces[index]) is not None
    ):
        start -= 1  # "e hënë"
        before = pieces[start - 1] if start > 0 else None
    if (
        before is not _SEP
        and before is not None
        and _is(before, vocabulary("input:keyword on for", "on|for"))
    ):
        start -= 1
    if start != 0 and index != len(pieces) - 1:
        raise _Fail(_("Put the date at the start or the end, like `/log yesterday 25 calls`."))
    _check_log_day(day, today)
    return day, _strip_seps(pieces[:start] + pieces[index + 1 :])


def _log_items(
    pieces: list[str | None], metrics: Sequence[Metric]
) -> list[tuple[Decimal, bool, Metric, str]]:
    """``AMOUNT metric words`` items (or a currency amount alone = revenue), split at each amount."""
    out: list[tuple[Decimal, bool, Metric, str]] = []
    for segment in _segments(pieces):
        words = _join_amounts(_split_glued([w.rstrip(":") or w for w in segment]))
        chunks: list[tuple[str, tuple[Decimal, bool], list[str]]] = []
        leading: list[str] = []
        for word in words:
            amount = _amount_or_fail(word)
            if amount is not None:
                chunks.append((word, amount, []))
            elif chunks:
                chunks[-1][2].append(word)
            else:
                leading.append(word)
        if leading:
            raise _no_amount(leading, metrics, "/log 25 calls")
        for raw, (amount, is_currency), name_words in chunks:
            if len(name_words) > 1 and _is(name_words[0], vocabulary("input:keyword in of", "in|of")):
                name_words = name_words[1:]  # "$4,500 in sales"
            if name_words:
                phrase = " ".join(name_words)
                metric = resolve_metric(phrase, metrics)
                if metric is None:
                    raise _unknown_metric(phrase, metrics)
            elif is_currency:
                metric = _currency_metric(metrics)
            else:
                raise _Fail(_("{amount} what? Add the metric, like `/log {amount} calls`.", amount=_q(raw)))
            out.append((amount, is_currency, metric, raw))
    return out
