"""Weekdays, months, ISO dates and times of day, as the commands write them."""

from __future__ import annotations

import re
from datetime import date, time

from bot.domain.parsing.common import _Fail, _fold, _is, _q, _words
from bot.i18n import _, vocabulary

_WEEKDAYS = {
    name: number
    for number, names in enumerate(
        (
            ("mon", "monday"),
            ("tue", "tues", "tuesday"),
            ("wed", "weds", "wednesday"),
            ("thu", "thur", "thurs", "thursday"),
            ("fri", "friday"),
            ("sat", "saturday"),
            ("sun", "sunday"),
        )
    )
    for name in names
}
_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for name in names
}


def _weekday_words() -> tuple[tuple[str, ...], ...]:
    """Every language's names of the weekdays, Monday first (Albanian: "e hënë", "hënë", "hën")."""
    return (
        vocabulary("input:weekday monday", "mon|monday"),
        vocabulary("input:weekday tuesday", "tue|tues|tuesday"),
        vocabulary("input:weekday wednesday", "wed|weds|wednesday"),
        vocabulary("input:weekday thursday", "thu|thur|thurs|thursday"),
        vocabulary("input:weekday friday", "fri|friday"),
        vocabulary("input:weekday saturday", "sat|saturday"),
        vocabulary("input:weekday sunday", "sun|sunday"),
    )


def _articles() -> tuple[str, ...]:
    """Words that may stand before a weekday's name ("e hënë", "të premten"), dropped when reading it."""
    return vocabulary("input:keyword weekday article", "the")


def _until_words() -> tuple[str, ...]:
    """ "until", "deri"…: the end of a range of days."""
    return vocabulary("input:keyword until", "until|till|til|through|thru|to")


def _drop_articles(words: list[str]) -> list[str]:
    """``["e", "hënë"]`` → ``["hënë"]``: an article only counts before a weekday."""
    out: list[str] = []
    for i, word in enumerate(words):
        if i + 1 < len(words) and _is(word, _articles()) and _weekday(words[i + 1]) is not None:
            continue
        out.append(word)
    return out


_ISO_DATE = re.compile(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})")


def _weekday(word: str) -> int | None:
    low = word.casefold().rstrip(".,")
    found = _WEEKDAYS.get(low)
    if found is not None or not low:
        return found
    low = _fold(low)
    for number, forms in enumerate(_weekday_words()):
        if low in _words(forms):
            return number
    return None


def _month_words() -> tuple[tuple[str, ...], ...]:
    """Every language's names of the months, January first (Albanian: "dhjetor", "dhj")."""
    return (
        vocabulary("input:month january", "jan|january"),
        vocabulary("input:month february", "feb|february"),
        vocabulary("input:month march", "mar|march"),
        vocabulary("input:month april", "apr|april"),
        vocabulary("input:month may", "may"),
        vocabulary("input:month june", "jun|june"),
        vocabulary("input:month july", "jul|july"),
        vocabulary("input:month august", "aug|august"),
        vocabulary("input:month september", "sep|sept|september"),
        vocabulary("input:month october", "oct|october"),
        vocabulary("input:month november", "nov|november"),
        vocabulary("input:month december", "dec|december"),
    )


def _month(word: str) -> int | None:
    low = word.casefold().rstrip(".,")
    found = _MONTHS.get(low)
    if found is not None or not low:
        return found
    low = _fold(low)
    for number, forms in enumerate(_month_words(), start=1):
        if low in _words(forms):
            return number
    return None


def _iso_date(word: str) -> date | None:
    """``2026-11-25`` → date; None if it isn't shaped like one; a failure if it's shaped but impossible."""
    m = _ISO_DATE.fullmatch(word.rstrip(".,"))
    if m is None:
        return None
    try:
        return date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        raise _Fail(_("{date} isn't a real date.", date=_q(word))) from None


_TIME = re.compile(r"([0-9]{1,2})(?:[:.h]([0-9]{2}))?\s*(am|pm|a\.m\.|p\.m\.|a|p)?")


def _parse_time(value: str) -> time:
    low = value.casefold().replace(" ", "")
    if _is(low, vocabulary("input:keyword noon", "noon")):
        return time(12, 0)
    m = _TIME.fullmatch(low)
    if m is None:
        raise _Fail(_('"{time}" isn\'t a time I understand — use `09:00`, `9am` or `13:30`.', time=_q(value)))
    hour, minute = int(m[1]), int(m[2] or 0)
    meridiem = (m[3] or "")[:1]
    if meridiem:
        if not 1 <= hour <= 12:
            raise _Fail(_('"{time}" isn\'t a real time — with am/pm the hour is 1 to 12.', time=_q(value)))
        hour = hour % 12 + (12 if meridiem == "p" else 0)
    if hour > 23 or minute > 59:
        raise _Fail(_('"{time}" isn\'t a real time — use 00:00 to 23:59.', time=_q(value)))
    return time(hour, minute)


def _weekly_slot(words: list[str], what: str) -> tuple[int, time]:
    """One weekday and one time of day, in either order: ``mon 09:00``, ``thursdays at 4pm``,
    ``9:30 am friday`` — a weekly slot (the standup's, the team meeting's). ``what`` is the
    failure's message, already in the reader's language."""
    weekdays: list[int] = []
    rest: list[str] = []
    fillers = vocabulary("input:keyword at on every", "at|on|every")
    for word in _drop_articles(words):
        low = word.casefold().rstrip(",")
        if not low or _is(low, fillers):
            continue
        wd = _weekday(low.removesuffix("s")) if low.endswith("days") else _weekday(low)
        if wd is not None:
            weekdays.append(wd)
        elif low in ("am", "pm", "a.m.", "p.m.") and rest:
            rest[-1] += low
        else:
            rest.append(low)
    if len(weekdays) != 1 or len(rest) != 1:
        raise _Fail(what)
    return weekdays[0], _parse_time(rest[0])
