"""The bot's languages: every word it says goes through a gettext catalogue.

English is the source language: the text in the code *is* the English message. Each other language is
one catalogue, ``bot/i18n/locales/<code>/LC_MESSAGES/messages.po`` (read with Babel at first use, so a
fresh clone needs no build step); adding a language is translating a catalogue, not changing code.
``python -m bot i18n`` extracts the messages from the code into ``locales/messages.pot`` and updates
every catalogue from it.

Which language applies is a context, set at the edge for whoever will read the text: the person a reply
or DM is for, the team a channel post is for (see :func:`speaking`). Inside it, builders call

- ``_("Logged {what} for {day}.", what=..., day=...)``: a message, formatted with ``str.format``;
- ``n_("{n} entry", "{n} entries", n)``: a message whose form depends on a number (``n`` is passed to
  ``format`` as well, as the language formats it);
- ``p_("metric", "calls")``: a message with a context, where the same English word may translate two
  ways;
- ``N_("…")`` marks a message kept in a constant, translated where it is shown with ``_(CONSTANT)``.

The pseudo-locale :data:`PSEUDO` turns every catalogued message into accented look-alikes
("Ŀöğğéð"), so a test that renders messages under it can tell catalogued words from words that
bypassed the catalogue.
"""

from __future__ import annotations

import contextvars
import functools
import io
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

SOURCE = "en"
PSEUDO = "qps"  # the pseudo-locale of the guard tests (Microsoft's "qps-ploc" name)
LOCALES = Path(__file__).parent / "locales"
DEFAULT_CURRENCY = "USD"


@dataclass(frozen=True)
class Voice:
    """Who the text is for: a language code (a catalogue's, or ``en``) and the currency amounts are in."""

    language: str = SOURCE
    currency: str = DEFAULT_CURRENCY

    @property
    def babel_locale(self) -> str:
        """The CLDR locale whose conventions (numbers, dates) the language uses."""
        return SOURCE if self.language == PSEUDO else self.language


_voice: contextvars.ContextVar[Voice] = contextvars.ContextVar("voice", default=Voice())  # noqa: B039 (frozen)


def voice() -> Voice:
    return _voice.get()


def language() -> str:
    return _voice.get().language


def currency() -> str:
    return _voice.get().currency


@contextmanager
def speaking(language: str | None = None, *, currency: str | None = None) -> Iterator[Voice]:
    """Text built inside speaks ``language`` (None: keep the current one) with amounts in ``currency``."""
    now = _voice.get()
    new = Voice(
        language=normalize(language) or now.language if language else now.language,
        currency=(currency or now.currency).upper(),
    )
    token = _voice.set(new)
    try:
        yield new
    finally:
        _voice.reset(token)


def in_voice(work: Callable[[], Any]) -> Callable[[], Any]:
    """``work`` bound to the current voice, for running on another thread (a pool's worker)."""
    ctx = contextvars.copy_context()
    return lambda: ctx.run(work)


# ---------------------------------------------------------------------------------------------------------
# Which languages there are


def available() -> tuple[str, ...]:
    """Every language the bot speaks: English and each language with a catalogue."""
    found = sorted({p.parent.parent.name for p in LOCALES.glob("*/LC_MESSAGES/*.po")})
    return (SOURCE, *[code for code in found if code != SOURCE])


def normalize(code: str | None) -> str | None:
    """A language the bot speaks for ``code`` ("sq", "SQ", "sq-AL", "sq_XK", "en-US"), else None."""
    if not code:
        return None
    base = code.strip().replace("_", "-").split("-")[0].casefold()
    if base == PSEUDO:
        return PSEUDO
    return base if base in available() else None


def from_slack_locale(locale: str | None) -> str | None:
    """The language for a Slack ``locale`` ("en-US", "de-DE"), when the bot has its catalogue."""
    return normalize(locale)


# ---------------------------------------------------------------------------------------------------------
# Catalogues

_lock = threading.Lock()
_catalogues: dict[str, Any] = {}


def catalogue_path(code: str) -> Path:
    return LOCALES / code / "LC_MESSAGES" / "messages.po"


def _translations(code: str) -> Any:
    """The compiled catalogue of ``code`` (Babel reads the .po and compiles it in memory, once)."""
    found = _catalogues.get(code)
    if found is not None:
        return found
    with _lock:
        found = _catalogues.get(code)
        if found is None:
            from babel.messages.mofile import write_mo
            from babel.messages.pofile import read_po
            from babel.support import Translations

            catalog = None
            for path in sorted(catalogue_path(code).parent.glob("*.po")):
                with path.open("rb") as fh:
                    part = read_po(fh, locale=code)
                if catalog is None:
                    catalog = part
                    continue
                for message in part:
                    if message.id:
                        catalog[message.id] = message  # (re)keyed by (id, context)
            buf = io.BytesIO()
            write_mo(buf, catalog)
            buf.seek(0)
            found = _catalogues[code] = Translations(fp=buf)
    return found


def _lookup(context: str | None, singular: str, plural: str | None, n: int | None) -> str:
    code = _voice.get().language
    if code == PSEUDO:
        chosen = singular if plural is None or n == 1 else plural
        return pseudo(chosen)
    if code == SOURCE:
        return singular if plural is None or n == 1 else plural
    t = _translations(code)
    if plural is None:
        return t.pgettext(context, singular) if context else t.gettext(singular)
    return t.npgettext(context, singular, plural, n) if context else t.ngettext(singular, plural, n)


def _format(template: str, kw: dict[str, Any]) -> str:
    return template.format(**kw) if kw else template


def _(message: str, /, **kw: Any) -> str:
    """``message`` in the current language, its ``{fields}`` filled from ``kw``."""
    return _format(_lookup(None, message, None, None), kw)


def n_(singular: str, plural: str, n: int | float, /, **kw: Any) -> str:
    """The form of a message that fits the number ``n`` (``{n}`` in it shows the number as given)."""
    count = int(n) if float(n).is_integer() else 2  # a fraction reads as plural in both our languages
    kw.setdefault("n", n)
    return _format(_lookup(None, singular, plural, count), kw)


def p_(context: str, message: str, /, **kw: Any) -> str:
    """``message`` as meant in ``context`` ("metric", "weekday"…), where a word alone is ambiguous."""
    return _format(_lookup(context, message, None, None), kw)


def np_(context: str, singular: str, plural: str, n: int | float, /, **kw: Any) -> str:
    count = int(n) if float(n).is_integer() else 2
    kw.setdefault("n", n)
    return _format(_lookup(context, singular, plural, count), kw)


def N_(message: str, /) -> str:
    """Marks ``message`` for the catalogue; it is translated where shown, with ``_(…)``."""
    return message


def nN_(singular: str, plural: str, /) -> tuple[str, str]:
    """Marks a plural pair for the catalogue; shown with ``n_(*PAIR, n)``."""
    return singular, plural


def pattern(context: str, default: str) -> str:
    """A formatting pattern (a CLDR date pattern…) as the language writes it: the catalogue's entry
    for ``default`` under ``context`` ("pattern:short date"). The pseudo-locale keeps the source."""
    code = _voice.get().language
    if code in (SOURCE, PSEUDO):
        return default
    return _translations(code).pgettext(context, default)


@functools.lru_cache(maxsize=4096)
def vocabulary(context: str, words: str, /) -> tuple[str, ...]:
    """Words the bot *understands*, in every language at once: ``words`` is the English forms joined
    by "|" ("undo|cancel"); each catalogue's translation of it (``msgctxt context``) adds its own
    ("anulo|zhbëj"). Casefolded, in order, without repeats. Input is read in every language whatever
    the reader's setting, so a rep can type either."""
    found: dict[str, None] = {}
    for code in available():
        text = words if code == SOURCE else _translations(code).pgettext(context, words)
        for word in text.split("|"):
            word = word.strip().casefold()
            if word:
                found.setdefault(word, None)
    return tuple(found)


def words_in(context: str, words: str, /) -> tuple[str, ...]:
    """The forms of ``words`` (see :func:`vocabulary`) in the reader's language only, to show them."""
    code = _voice.get().language
    if code == SOURCE:
        text = words
    elif code == PSEUDO:
        text = pseudo(words)
    else:
        text = _translations(code).pgettext(context, words)
    return tuple(w.strip() for w in text.split("|") if w.strip())


# Babel's extraction keywords for these functions (see ``python -m bot i18n``).
KEYWORDS = {
    "_": None,
    "n_": (1, 2),
    "p_": ((1, "c"), 2),
    "np_": ((1, "c"), 2, 3),
    "N_": None,
    "nN_": (1, 2),
    "vocabulary": ((1, "c"), 2),
    "words_in": ((1, "c"), 2),
    "pattern": ((1, "c"), 2),
}

# ---------------------------------------------------------------------------------------------------------
# The pseudo-locale

_ACCENTS = str.maketrans(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ",
    "àƀçðéƒğĥîĵķĺɱñöþʠŕšţûṽŵẋýžÀƁÇÐÉƑĞĤÎĴĶĹṀÑÖÞǪŔŠŢÛṼŴẊÝŽ",
)


def pseudo(text: str) -> str:
    """Accented look-alikes of ``text``'s letters, leaving ``{fields}``, Slack's ``<…>`` tokens,
    ``:emoji:`` codes and ``/commands`` as they are."""
    out = []
    i = 0
    while i < len(text):
        ch = text[i]
        close = {"{": "}", "<": ">"}.get(ch)
        if close:
            j = text.find(close, i + 1)
            if j != -1:
                out.append(text[i : j + 1])
                i = j + 1
                continue
        if ch == ":" and i + 1 < len(text) and (text[i + 1].isalnum() or text[i + 1] == "_"):
            j = text.find(":", i + 1)
            if j != -1 and all(c.isalnum() or c in "_-+" for c in text[i + 1 : j]):
                out.append(text[i : j + 1])
                i = j + 1
                continue
        if ch == "/" and (i == 0 or not text[i - 1].isalnum()):
            j = i + 1
            while j < len(text) and text[j].isalpha():
                j += 1
            out.append(text[i:j])
            i = j
            continue
        out.append(ch.translate(_ACCENTS))
        i += 1
    return "".join(out)
