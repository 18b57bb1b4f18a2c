"""Numbers, money, dates and times as the current language writes them (Babel's CLDR data).

English keeps the bot's long-standing forms ("1,200", "$4,500", "Mon 07 Dec", "09:00"); another
language takes its own from CLDR and its catalogue's patterns ("1 200", "4 500 Lekë", "hën, 7 dhj").
Under the pseudo-locale every word a format produces is accented, as a catalogued message is.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

from babel import Locale
from babel.dates import format_datetime, format_time, parse_pattern
from babel.numbers import format_decimal, get_currency_symbol, get_decimal_symbol, get_group_symbol

from bot.i18n import PSEUDO, SOURCE, pattern, pseudo, voice


def _locale() -> str:
    return voice().babel_locale


def _words(text: str) -> str:
    return pseudo(text) if voice().language == PSEUDO else text


@lru_cache(maxsize=32)
def _babel(locale: str) -> Locale:
    return Locale.parse(locale)


@lru_cache(maxsize=32)
def _symbols(locale: str) -> tuple[str, str, bool]:
    """(group, decimal, whether digits group by threes) of a locale: a fast path for the common case,
    Babel's own formatting for any other (Indian grouping, say)."""
    loc = _babel(locale)
    return get_group_symbol(loc), get_decimal_symbol(loc), loc.decimal_formats[None].grouping == (3, 3)


def _digits(value: Decimal, places: int) -> str:
    """``value`` (already rounded to ``places``) grouped as the language writes it."""
    locale = _locale()
    group, decimal, by_threes = _symbols(locale)
    if not by_threes:
        return format_decimal(
            value, format="#,##0" + ("." + "0" * places if places else ""), locale=_babel(locale)
        )
    return f"{value:,.{places}f}".translate({ord(","): group, ord("."): decimal})


def number(value: Decimal | int | float, places: int = 0) -> str:
    """``value`` to at most ``places`` decimals, grouped: "1,200" / "1 200", "4.5" / "4,5"."""
    value = Decimal(str(value))
    if places == 0 or value == value.to_integral_value():
        return _digits(value.quantize(Decimal(1), rounding=ROUND_HALF_UP), 0)
    return _digits(value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP), places)


@lru_cache(maxsize=32)
def _money_shape(locale: str) -> tuple[str, str]:
    """What stands before and after the number in a locale's amounts, "¤" for the currency's symbol:
    ("¤", "") in English, ("", "\u00a0¤") in Albanian."""
    shape = _babel(locale).currency_formats["standard"].pattern.split(";")[0]
    first = min(i for i in (shape.find("#"), shape.find("0")) if i >= 0)
    return shape[:first], shape[shape.rfind("0") + 1 :]


@lru_cache(maxsize=256)
def _symbol(code: str, locale: str) -> str:
    return get_currency_symbol(code, locale=_babel(locale))


def money(value: Decimal | int | float, code: str | None = None, *, cents: bool | None = None) -> str:
    """An amount of ``code`` (the current voice's currency by default): "$4,500", "€4,500.50",
    "4 500 Lekë". ``cents``: None shows them only when the amount has any."""
    code = (code or voice().currency).upper()
    value = Decimal(str(value))
    if cents is None:
        cents = value != value.to_integral_value()
    places = 2 if cents else 0
    value = value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    locale = _locale()
    before, after = _money_shape(locale)
    symbol = _symbol(code, locale)
    text = before.replace("¤", symbol) + _digits(abs(value), places) + after.replace("¤", symbol)
    # CLDR's currency spacing, which Babel leaves out: a symbol made of letters ("ALL", "CHF") stands
    # apart from the digits ("ALL 4,500", not "ALL4,500").
    text = _LETTERS_THEN_DIGIT.sub("\\1\u00a0", text)
    return _words(("-" if value < 0 else "") + text)


_LETTERS_THEN_DIGIT = re.compile(r"^([^\W\d_]{2,}\.?)(?=\d)")


def currency_symbol(code: str | None = None) -> str:
    return get_currency_symbol((code or voice().currency).upper(), locale=_locale())


def currency_name(code: str) -> str:
    """ "euro", "Leku shqiptar": the currency's name in the current language."""
    from babel.numbers import get_currency_name

    return _words(get_currency_name(code.upper(), locale=_locale()))


@lru_cache(maxsize=256)
def _date_format(shape: str):
    return parse_pattern(shape)


def _date(d: date | datetime | time, shape: str) -> str:
    """``d`` in ``shape``, a CLDR pattern the caller took from the catalogue with a literal
    ``pattern(…)`` call (one the extraction sees)."""
    return _words(_date_format(shape).apply(d, _babel(_locale())))


def short_date(d: date) -> str:
    """A day in a line of text: "Mon 07 Dec" / "hën, 7 dhj"."""
    return _date(d, pattern("pattern:short date", "EEE dd MMM"))


def long_date(d: date) -> str:
    """A day on its own: "Monday, 7 December" / "e hënë, 7 dhjetor"."""
    return _date(d, pattern("pattern:long date", "EEEE, d MMMM"))


def month_day(d: date) -> str:
    """ "7 Dec" / "7 dhj"."""
    return _date(d, pattern("pattern:day and month", "d MMM"))


def full_date(d: date) -> str:
    """ "Mon 07 Dec 2026" / "hën, 7 dhj 2026"."""
    return _date(d, pattern("pattern:date with year", "EEE dd MMM yyyy"))


def weekday_day(d: date) -> str:
    """A day in a week's list: "Mon 07" / "hën 7"."""
    return _date(d, pattern("pattern:weekday and day", "EEE dd"))


def day_month(d: date) -> str:
    """ "07 Dec" / "7 dhj"."""
    return _date(d, pattern("pattern:padded day and month", "dd MMM"))


def day_month_year(d: date) -> str:
    """ "07 Dec 2026" / "7 dhj 2026"."""
    return _date(d, pattern("pattern:padded day, month and year", "dd MMM yyyy"))


def month_year(d: date) -> str:
    """ "November 2026" / "nëntor 2026"."""
    return _date(d, pattern("pattern:month and year", "MMMM yyyy"))


def weekday_day_month(d: date) -> str:
    """A day in a sentence, without a leading zero: "Thu 26 Nov" / "enj, 26 nën"."""
    return _date(d, pattern("pattern:day in a sentence", "EEE d MMM"))


def month_abbr(d: date) -> str:
    """The month's short name: "Nov" / "nën"."""
    return _date(d, pattern("pattern:short month", "MMM"))


def month_name(d: date) -> str:
    """The month's name on its own: "November" / "nëntor"."""
    return _date(d, pattern("pattern:month", "LLLL"))


def weekday(index: int, *, width: str = "wide") -> str:
    """Monday is 0: "Monday" / "e hënë" (``width`` "abbreviated": "Mon" / "hën")."""
    days = Locale.parse(_locale()).days["format"][width]
    return _words(days[index])


def clock_time(t: time | datetime) -> str:
    """ "09:00": every language the bot speaks writes times on the 24-hour clock."""
    if isinstance(t, datetime):
        return _words(format_datetime(t, pattern("pattern:time", "HH:mm"), locale=_locale()))
    return _words(format_time(t, pattern("pattern:time", "HH:mm"), locale=_locale()))


def percent(ratio: float | None) -> str:
    """ "85 %" (a dash when there is nothing to divide by)."""
    return "—" if ratio is None else f"{round(ratio * 100):d} %"


def is_currency(code: str) -> bool:
    """Whether ``code`` is an ISO 4217 currency CLDR knows ("EUR", "ALL")."""
    from babel.numbers import list_currencies

    return code.upper() in list_currencies()


def endonym(code: str) -> str:
    """A language's name in itself ("shqip", "English"): the same for every reader."""
    if code == PSEUDO:
        return "pseudo"
    return Locale.parse(code).get_display_name(code) or code


def language_name(code: str) -> str:
    """A language's own name, as the current language writes it: "Albanian" / "shqip"."""
    if code == PSEUDO:
        return "pseudo"
    return _words(Locale.parse(code).get_display_name(_locale()) or code)


__all__ = [
    "SOURCE",
    "clock_time",
    "currency_name",
    "currency_symbol",
    "full_date",
    "language_name",
    "long_date",
    "money",
    "month_day",
    "number",
    "percent",
    "short_date",
    "weekday",
]
