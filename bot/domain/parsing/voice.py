"""``/checkin language``, ``/team language``, ``/team currency`` and ``/team holidays`` alone: who reads
in which language, and what money a team counts in.

The keywords are understood in every language the bot speaks (``language`` / ``gjuha``), whatever the
reader's own; the codes are left to the service to check (which languages there are is the catalogues',
which currencies there are is CLDR's).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from bot.domain.parsing.common import _Fail, _q, _Tok
from bot.i18n import _, vocabulary


@dataclass(frozen=True)
class LanguageShow:
    """``… language`` alone: the current language and the choices."""


@dataclass(frozen=True)
class LanguageSet:
    """``… language sq``: ``language`` as typed, lower-cased (None: ``default``, back to the usual)."""

    language: str | None


@dataclass(frozen=True)
class TeamCurrencyShow:
    """``/team currency`` alone."""


@dataclass(frozen=True)
class TeamCurrency:
    """``/team currency EUR``: an upper-cased, unchecked three-letter code."""

    code: str


@dataclass(frozen=True)
class TeamHolidaysShow:
    """``/team holidays`` alone: the team's country and its coming public holidays."""


def language_words() -> tuple[str, ...]:
    return vocabulary("input", "language|lang")


def currency_words() -> tuple[str, ...]:
    return vocabulary("input", "currency")


def _default_words() -> tuple[str, ...]:
    return vocabulary("input", "default|auto|reset")


# A language's own name, typed instead of its code.
_LANGUAGE_NAMES = {
    "english": "en",
    "anglisht": "en",
    "albanian": "sq",
    "shqip": "sq",
    "shqipe": "sq",
}
_LANGUAGE = re.compile(r"[a-z]{2,3}([-_][a-z0-9]{2,4})?")


def parse_language(rest: Sequence[_Tok], command: str) -> LanguageShow | LanguageSet:
    """The words after ``/checkin language`` or ``/team language``."""
    words = [t.low for t in rest]
    usage = _("Try `{command} sq`, `{command} en`, or `{command} default`.", command=command)
    if not words:
        return LanguageShow()
    if len(words) == 1:
        word = words[0].casefold()
        if word in _default_words():
            return LanguageSet(None)
        if word in _LANGUAGE_NAMES:
            return LanguageSet(_LANGUAGE_NAMES[word])
        if _LANGUAGE.fullmatch(word) and word.isascii():
            return LanguageSet(word)
    raise _Fail(
        _(
            "“{text}” isn't a language code: give one like `sq` (Albanian) or `en` (English).",
            text=_q(" ".join(t.text for t in rest)),
        ),
        usage,
    )


def parse_currency(rest: Sequence[_Tok]) -> TeamCurrencyShow | TeamCurrency:
    """The words after ``/team currency``."""
    words = [t.text for t in rest]
    if not words:
        return TeamCurrencyShow()
    if len(words) == 1 and re.fullmatch(r"[A-Za-z]{3}", words[0]) and words[0].isascii():
        return TeamCurrency(words[0].upper())
    raise _Fail(
        _(
            "“{text}” isn't a currency code: give its three letters, like `EUR`, `ALL` or `USD`.",
            text=_q(" ".join(words)),
        ),
        _("Try `/team currency EUR`, `/team currency ALL`, or `/team currency` to see the current one."),
    )
