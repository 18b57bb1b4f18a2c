"""What every command's parser shares: the limits, the error value, and reading Slack's text.

Every parser returns either a command value or a :class:`ParseError` whose ``message`` says what was
wrong and whose ``usage`` shows the right form. Both are Slack mrkdwn, ready to post; any fragment of
the user's text echoed in a message is shortened and escaped.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from bot.i18n import _, vocabulary
from bot.i18n import formats as fmt

# ---------------------------------------------------------------------------------------------------------
# Limits (product rules, kept in one place so replies and tests agree)

MAX_TEXT_CHARS = 2000
MAX_NOTE_CHARS = 500
MAX_TEAM_NAME_CHARS = 80
MAX_LOG_COUNT = Decimal(1000)
MAX_LOG_CURRENCY = Decimal(100_000_000)
MAX_GOAL_COUNT = Decimal(100_000)
MAX_GOAL_CURRENCY = Decimal(1_000_000_000)
MAX_LOG_DAYS_BACK = 14
MAX_AWAY_DAYS_AHEAD = 366


@dataclass(frozen=True)
class ParseError:
    """Bad input: what was wrong (``message``) and the right form (``usage``); nothing gets recorded."""

    message: str
    usage: str


# ---------------------------------------------------------------------------------------------------------
# Internals: failure, text cleaning, tokens


class _Fail(Exception):
    """Raised deep inside a parser; turned into a ParseError at the public boundary."""

    def __init__(self, message: str, usage: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.usage = usage


def _q(fragment: str, limit: int = 40) -> str:
    """A user fragment fit to echo in mrkdwn: shortened and with Slack's control characters escaped."""
    fragment = " ".join(fragment.split())
    if len(fragment) > limit:
        fragment = fragment[: limit - 1] + "…"
    return fragment.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("`", "'")


def _unescape(text: str) -> str:
    """Undo Slack's escaping of free text (``&amp;`` last, so ``&amp;lt;`` stays a literal ``&lt;``)."""
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def _clean(text: str | None) -> str:
    """Refuse over-long text, then normalize it (see ``_squash``)."""
    text = text or ""
    if len(text) > MAX_TEXT_CHARS:
        raise _Fail(
            _(
                "That's too long for me ({count} characters; the limit is {limit}).",
                count=fmt.number(len(text)),
                limit=fmt.number(MAX_TEXT_CHARS),
            )
        )
    return _squash(text)


def _squash(text: str) -> str:
    """Drop invisible control characters (keeping emoji joiners); collapse every kind of whitespace."""
    kept = []
    for ch in text:
        if ch.isspace():
            kept.append(" ")
        elif unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co") and ch != "\u200d":
            continue
        else:
            kept.append(ch)
    return " ".join("".join(kept).split())


_SLACK_TOKEN = re.compile(r"<[^<>]*>")
_TOKEN = re.compile(r"<[^<>]*>|[^\s<]+|<")
_USER_ID = re.compile(r"[UW][A-Z0-9]{2,}")
_CHANNEL_ID = re.compile(r"[CG][A-Z0-9]{2,}")


@dataclass(frozen=True)
class _Tok:
    """One token. ``kind``: word (unescaped, NFKC text), user, channel, special (``<!…>``), link, bad."""

    kind: str
    text: str
    label: str | None
    start: int
    end: int

    @property
    def low(self) -> str:
        return self.text.casefold() if self.kind == "word" else ""


def _slack_token(inner: str, start: int, end: int) -> _Tok:
    """Classify the inside of a ``<…>`` Slack token."""
    body, _, label = inner.partition("|")
    label_or_none = _unescape(label) if label else None
    if body.startswith("@"):
        if _USER_ID.fullmatch(body[1:]):
            return _Tok("user", body[1:], label_or_none, start, end)
        return _Tok("bad", inner, label_or_none, start, end)
    if body.startswith("#"):
        if _CHANNEL_ID.fullmatch(body[1:]):
            return _Tok("channel", body[1:], label_or_none, start, end)
        return _Tok("bad", inner, label_or_none, start, end)
    if body.startswith("!"):
        return _Tok("special", body[1:], label_or_none, start, end)
    if body:
        return _Tok("link", body, label_or_none, start, end)
    return _Tok("bad", inner, label_or_none, start, end)


def _tokens(text: str) -> list[_Tok]:
    """Split cleaned text into words and Slack tokens (a mention label may contain spaces)."""
    out: list[_Tok] = []
    for m in _TOKEN.finditer(text):
        raw = m.group()
        if len(raw) >= 2 and raw[0] == "<" and raw[-1] == ">":
            out.append(_slack_token(raw[1:-1], m.start(), m.end()))
        else:
            word = unicodedata.normalize("NFKC", _unescape(raw))
            out.append(_Tok("word", word, None, m.start(), m.end()))
    return out


def _display(tok: _Tok) -> str:
    """How a Slack token reads as plain text (free text keeps no live mentions or pings)."""
    if tok.kind == "user":
        return "@" + (tok.label or tok.text)
    if tok.kind == "channel":
        return "#" + (tok.label or tok.text)
    if tok.kind == "special":
        name = tok.text.split("^", 1)[0]
        if tok.label:
            return tok.label
        return "@" + name if name in ("channel", "here", "everyone") else ""
    if tok.kind == "link":
        return tok.label or tok.text
    return ""


def _free_text(raw: str) -> str:
    """Free text (a note, a team name) as plain text: Slack tokens shown as text, entities unescaped."""
    parts: list[str] = []
    pos = 0
    for m in _SLACK_TOKEN.finditer(raw):
        parts.append(_unescape(raw[pos : m.start()]))
        parts.append(_display(_slack_token(m.group()[1:-1], m.start(), m.end())))
        pos = m.end()
    parts.append(_unescape(raw[pos:]))
    return " ".join("".join(parts).split())


def parse_user_ids(text: str) -> tuple[str, ...]:
    """User ids of every ``<@U…>`` mention in escaped Slack text, in order, without duplicates."""
    ids: list[str] = []
    for tok in _tokens(_squash(text or "")):
        if tok.kind == "user" and tok.text not in ids:
            ids.append(tok.text)
    return tuple(ids)


# Separator words and marks between items. A comma between digits belongs to a number ("4,500").
_SEP = None
_SEPARATOR_SPLIT = re.compile(r"((?<![0-9]),|,(?![0-9])|[;&+])")


def _fold(word: str) -> str:
    """A word as the parsers compare it: casefolded, and Albanian's ë and ç read as e and c, so a rep
    typing without diacritics ("shenime", "marreveshje") is understood."""
    word = unicodedata.normalize("NFKC", word).casefold()
    return word.replace("ë", "e").replace("ç", "c")


@lru_cache(maxsize=512)
def _words(forms: tuple[str, ...]) -> frozenset[str]:
    """The folded forms of a :func:`bot.i18n.vocabulary` answer, for membership tests."""
    return frozenset(_fold(w) for w in forms)


def _is(word: str, forms: tuple[str, ...]) -> bool:
    """``word`` (any case, with or without diacritics) is one of ``forms`` (a vocabulary)."""
    return _fold(word) in _words(forms)


def _and_words() -> tuple[str, ...]:
    return vocabulary("input:keyword and", "and")


def _pieces(tokens: Sequence[_Tok], *, slash: bool = False) -> list[str | None]:
    """Word tokens → words and separators (None); with ``slash``, ``calls/day`` → ``calls``, ``/day``."""
    out: list[str | None] = []
    for tok in tokens:
        for part in _SEPARATOR_SPLIT.split(tok.text):
            if not part:
                continue
            if _SEPARATOR_SPLIT.fullmatch(part) or _is(part, _and_words()):
                out.append(_SEP)
            elif slash and "/" in part:
                out.extend(p for p in re.split(r"(?=/)", part) if p)
            else:
                out.append(part)
    return out


def _strip_seps(pieces: list[str | None]) -> list[str | None]:
    start, end = 0, len(pieces)
    while start < end and pieces[start] is _SEP:
        start += 1
    while end > start and pieces[end - 1] is _SEP:
        end -= 1
    return pieces[start:end]


def _segments(pieces: Sequence[str | None]) -> list[list[str]]:
    """Runs of words between separators (empty runs dropped)."""
    out: list[list[str]] = [[]]
    for p in pieces:
        if p is _SEP:
            out.append([])
        else:
            out[-1].append(p)
    return [seg for seg in out if seg]


def _that_word() -> str:
    return _("that")


def _a_link_words() -> str:
    return _("a link")


def _group_mentions_words() -> str:
    return _("group mentions")


def _check_no_slack_tokens(tokens: Sequence[_Tok], command: str) -> None:
    """Commands without a place for mentions or channels refuse them, saying so."""
    for tok in tokens:
        if tok.kind == "special":
            raise _Fail(
                _(
                    "Group mentions like {mention} don't belong in `{command}`.",
                    mention=_q(_display(tok) or _that_word()),
                    command=command,
                )
            )
        if tok.kind in ("user", "channel", "link", "bad"):
            raise _Fail(
                _(
                    "I didn't expect {what} in `{command}`.",
                    what=_q(_display(tok) or _a_link_words()),
                    command=command,
                )
            )


def _check_people(tokens: Sequence[_Tok], command: str) -> None:
    """People must be real Slack mentions; explain group mentions and unlinked ``@names``."""
    for tok in tokens:
        if tok.kind == "special":
            raise _Fail(
                _(
                    "I can't use {mention} here — name each person with `@`, one by one.",
                    mention=_q(_display(tok) or _group_mentions_words()),
                )
            )
        if tok.kind == "bad":
            raise _Fail(_("I couldn't read the mention {mention}.", mention=_q("<" + tok.text + ">")))
        if tok.kind == "word" and tok.text.startswith("@") and len(tok.text) > 1:
            raise _Fail(
                _(
                    "I can't tell who {name} is — pick the person from the autocomplete list when you "
                    "type `@`, so Slack links them (in `{command}`).",
                    name=_q(tok.text),
                    command=command,
                )
            )


def _dedupe(items: Sequence[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(items))
