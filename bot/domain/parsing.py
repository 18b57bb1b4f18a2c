"""Slash-command text → typed commands, so Slack handlers never touch raw strings.

Every parser returns either a command value or a :class:`ParseError` whose ``message`` says what was
wrong and whose ``usage`` shows the right form. Both are Slack mrkdwn, ready to post; any fragment of
the user's text echoed in a message is shortened and escaped. Nothing here reads the clock: ``today``
is a parameter.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, time, timedelta
from decimal import Decimal, localcontext
from zoneinfo import ZoneInfo, available_timezones

from bot.domain.types import Cadence, Metric, Period, Scoreboard, Unit

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

TEAM = "team"

LOG_USAGE = "Try `/log 25 calls, 3 demos` or `/log help`."
GOALS_USAGE = (
    "Try `/goals @rep 25 calls/day, 5 presentations/week`, `/goals team quota $50k/month`, "
    "`/goals @rep clear calls`, or `/goals help`."
)
TEAM_USAGE = (
    "Try `/team create Sales East #sales-east tz=America/New_York`, `/team add @rep`, "
    "`/team standup mon 09:00`, `/team workdays mon-fri`, or `/team help`."
)
CHECKIN_USAGE = (
    "Try `/checkin`, `/checkin away until 2026-12-28`, `/checkin back`, "
    "`/checkin @rep daily|weekly|monthly|auto`, or `/checkin help`."
)
_TEAM_CREATE_USAGE = "Try `/team create Sales East #sales-east tz=America/New_York`."
_TEAM_MEMBERS_USAGE = "Try `/team add @ana @ben`, `/team remove @ana`, or `/team managers add @maria`."
_TEAM_STANDUP_USAGE = "Try `/team standup mon 09:00` or `/team standup monday 9:30am`."
_TEAM_WORKDAYS_USAGE = "Try `/team workdays mon-fri`, `/team workdays sun-thu`, or `/team workdays mon,tue`."
_TEAM_HOLIDAYS_USAGE = "Try `/team holidays US`, `/team holidays US-CA`, or `/team holidays none`."
_TEAM_SCOREBOARD_USAGE = "Try `/team scoreboard public` or `/team scoreboard kudos-only`."
_TEAM_EXPORT_USAGE = "Try `/team export`, `/team export november`, or `/team export 2026-11`."
_CHECKIN_AWAY_USAGE = (
    "Try `/checkin away until 2026-12-28`, `/checkin away until dec 28`, "
    "`/checkin away from 2026-12-01 to 2026-12-05`, or `/checkin away today`."
)
_CHECKIN_PIN_USAGE = "Try `/checkin @rep daily|weekly|monthly` to pin a cadence, or `/checkin @rep auto`."


# ---------------------------------------------------------------------------------------------------------
# Result values


@dataclass(frozen=True)
class ParseError:
    """Bad input: what was wrong (``message``) and the right form (``usage``); nothing gets recorded."""

    message: str
    usage: str


@dataclass(frozen=True)
class LogItem:
    metric: str
    amount: Decimal


@dataclass(frozen=True)
class LogEntries:
    """Items to record, one per metric in order of first mention (repeats summed)."""

    items: tuple[LogItem, ...]
    day: date
    note: str | None


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


@dataclass(frozen=True)
class TeamView:
    pass


@dataclass(frozen=True)
class TeamHelp:
    pass


@dataclass(frozen=True)
class TeamCreate:
    name: str
    channel_id: str
    channel_name: str | None
    tz: str | None


@dataclass(frozen=True)
class TeamAdd:
    user_ids: tuple[str, ...]


@dataclass(frozen=True)
class TeamRemove:
    user_ids: tuple[str, ...]


@dataclass(frozen=True)
class TeamManagersAdd:
    user_ids: tuple[str, ...]


@dataclass(frozen=True)
class TeamManagersRemove:
    user_ids: tuple[str, ...]


@dataclass(frozen=True)
class TeamStandup:
    """Weekly standup slot; ``weekday`` 0 = Monday."""

    weekday: int
    at: time


@dataclass(frozen=True)
class TeamWorkdays:
    """Working days, 0 = Monday … 6 = Sunday."""

    days: frozenset[int]


@dataclass(frozen=True)
class TeamHolidays:
    """Upper-cased, unvalidated codes (the service checks them); both None turns holidays off."""

    country: str | None
    subdivision: str | None


@dataclass(frozen=True)
class TeamScoreboard:
    mode: Scoreboard


@dataclass(frozen=True)
class TeamExport:
    """Month to export; both None means the current month."""

    year: int | None
    month: int | None


TeamCommand = (
    TeamView
    | TeamHelp
    | TeamCreate
    | TeamAdd
    | TeamRemove
    | TeamManagersAdd
    | TeamManagersRemove
    | TeamStandup
    | TeamWorkdays
    | TeamHolidays
    | TeamScoreboard
    | TeamExport
)


@dataclass(frozen=True)
class CheckinView:
    """``user_id`` None means the caller."""

    user_id: str | None


@dataclass(frozen=True)
class CheckinAway:
    """Pause from ``start`` to ``until``, both inclusive."""

    start: date
    until: date


@dataclass(frozen=True)
class CheckinBack:
    pass


@dataclass(frozen=True)
class CheckinPin:
    """Pin a rep's cadence; None frees the pin (``auto``)."""

    user_id: str
    cadence: Cadence | None


@dataclass(frozen=True)
class CheckinHelp:
    pass


CheckinCommand = CheckinView | CheckinAway | CheckinBack | CheckinPin | CheckinHelp


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
        raise _Fail(f"That's too long for me ({len(text):,} characters; the limit is {MAX_TEXT_CHARS:,}).")
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
_SEPARATOR_WORDS = frozenset({"and"})


def _pieces(tokens: Sequence[_Tok], *, slash: bool = False) -> list[str | None]:
    """Word tokens → words and separators (None); with ``slash``, ``calls/day`` → ``calls``, ``/day``."""
    out: list[str | None] = []
    for tok in tokens:
        for part in _SEPARATOR_SPLIT.split(tok.text):
            if not part:
                continue
            if _SEPARATOR_SPLIT.fullmatch(part) or part.casefold() in _SEPARATOR_WORDS:
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


def _check_no_slack_tokens(tokens: Sequence[_Tok], command: str) -> None:
    """Commands without a place for mentions or channels refuse them, saying so."""
    for tok in tokens:
        if tok.kind == "special":
            raise _Fail(f"Group mentions like {_q(_display(tok) or 'that')} don't belong in `{command}`.")
        if tok.kind in ("user", "channel", "link", "bad"):
            raise _Fail(f"I didn't expect {_q(_display(tok) or 'a link')} in `{command}`.")


def _check_people(tokens: Sequence[_Tok], command: str) -> None:
    """People must be real Slack mentions; explain group mentions and unlinked ``@names``."""
    for tok in tokens:
        if tok.kind == "special":
            raise _Fail(
                f"I can't use {_q(_display(tok) or 'group mentions')} here — name each person with `@`, "
                "one by one."
            )
        if tok.kind == "bad":
            raise _Fail(f"I couldn't read the mention {_q('<' + tok.text + '>')}.")
        if tok.kind == "word" and tok.text.startswith("@") and len(tok.text) > 1:
            raise _Fail(
                f"I can't tell who {_q(tok.text)} is — pick the person from the autocomplete list when you "
                f"type `@`, so Slack links them (in `{command}`)."
            )


def _dedupe(items: Sequence[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(items))


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


# ---------------------------------------------------------------------------------------------------------
# Dates and times

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
_ISO_DATE = re.compile(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})")


def _weekday(word: str) -> int | None:
    return _WEEKDAYS.get(word.casefold().rstrip(".,"))


def _month(word: str) -> int | None:
    return _MONTHS.get(word.casefold().rstrip(".,"))


def _iso_date(word: str) -> date | None:
    """``2026-11-25`` → date; None if it isn't shaped like one; a failure if it's shaped but impossible."""
    m = _ISO_DATE.fullmatch(word.rstrip(".,"))
    if m is None:
        return None
    try:
        return date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        raise _Fail(f"{_q(word)} isn't a real date.") from None


def _log_day(word: str, today: date) -> date | None:
    """A /log date word (today, yesterday, a weekday — most recent, today included — or ISO)."""
    low = word.casefold().rstrip(":,")
    if low == "today":
        return today
    if low == "yesterday":
        return today - timedelta(days=1)
    if low == "tomorrow":
        return today + timedelta(days=1)
    wd = _weekday(low)
    if wd is not None:
        return today - timedelta(days=(today.weekday() - wd) % 7)
    return _iso_date(low)


def _check_log_day(day: date, today: date) -> None:
    if day > today:
        raise _Fail(f"I can't log for a future date ({day.isoformat()}).")
    if (today - day).days > MAX_LOG_DAYS_BACK:
        raise _Fail(
            f"{day.isoformat()} is too far back — you can log up to {MAX_LOG_DAYS_BACK} days back. "
            "Ask your manager if older numbers need fixing."
        )


# ---------------------------------------------------------------------------------------------------------
# /log


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
        return ParseError(fail.message, fail.usage or LOG_USAGE)


def _parse_log(text: str, metrics: Sequence[Metric], today: date) -> LogCommand:
    cleaned = _clean(text)
    keyword = cleaned.casefold()
    if keyword in ("help", "?"):
        return LogHelp()
    if keyword in ("week", "this week"):
        return LogWeek()
    if keyword == "undo":
        return LogUndo()

    items_text, raw_note = _split_note(cleaned)
    note = None
    if raw_note is not None:
        note = _free_text(raw_note) or None
        if note is not None and len(note) > MAX_NOTE_CHARS:
            raise _Fail(f"That note is {len(note):,} characters — keep it to {MAX_NOTE_CHARS}.")

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
            raise _Fail("There's nothing to log there.")
        if note is not None:
            raise _Fail("Add what you did before the note, like `/log 25 calls -- great day`.")
        return LogShow(day)
    if "-" in pieces:
        raise _Fail("To add a note, use two dashes: `/log 25 calls -- note`.")

    totals: dict[str, Decimal] = {}
    by_key = {m.key: m for m in metrics}
    for amount, is_currency, metric, raw in _log_items(pieces, metrics):
        _check_amount(amount, is_currency, metric, raw)
        totals[metric.key] = totals.get(metric.key, Decimal(0)) + amount
    items = []
    for key, amount in totals.items():
        _check_cap(amount, by_key[key], _LOG_LIMITS)
        items.append(LogItem(key, _normalize(amount)))
    return LogEntries(tuple(items), day, note)


def _take_log_day(pieces: list[str | None], today: date) -> tuple[date, list[str | None]]:
    """Find the one optional date (leading or trailing, maybe after ``on``/``for``) and remove it."""
    found = [
        (i, day) for i, p in enumerate(pieces) if p is not _SEP and (day := _log_day(p, today)) is not None
    ]
    if not found:
        return today, pieces
    if len(found) > 1:
        raise _Fail("Only one date per command, please — at the start or the end.")
    index, day = found[0]
    start = index
    if index > 0 and pieces[index - 1] is not _SEP and pieces[index - 1].casefold() in ("on", "for"):
        start = index - 1
    if start != 0 and index != len(pieces) - 1:
        raise _Fail("Put the date at the start or the end, like `/log yesterday 25 calls`.")
    _check_log_day(day, today)
    return day, _strip_seps(pieces[:start] + pieces[index + 1 :])


def _log_items(
    pieces: list[str | None], metrics: Sequence[Metric]
) -> list[tuple[Decimal, bool, Metric, str]]:
    """``AMOUNT metric words`` items (or a currency amount alone = revenue), split at each amount."""
    out: list[tuple[Decimal, bool, Metric, str]] = []
    for segment in _segments(pieces):
        words = _split_glued([w.rstrip(":") or w for w in segment])
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
            if name_words[:1] in (["in"], ["of"]) and len(name_words) > 1:
                name_words = name_words[1:]  # "$4,500 in sales"
            if name_words:
                phrase = " ".join(name_words)
                metric = resolve_metric(phrase, metrics)
                if metric is None:
                    raise _unknown_metric(phrase, metrics)
            elif is_currency:
                metric = _currency_metric(metrics)
            else:
                raise _Fail(f"{_q(raw)} what? Add the metric, like `/log {_q(raw)} calls`.")
            out.append((amount, is_currency, metric, raw))
    return out


# ---------------------------------------------------------------------------------------------------------
# /goals

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


# ---------------------------------------------------------------------------------------------------------
# /team


def parse_team(text: str, *, today: date) -> TeamCommand | ParseError:
    """Parse ``/team`` text: the team view or a set-up command."""
    try:
        return _parse_team(text, today)
    except _Fail as fail:
        return ParseError(fail.message, fail.usage or TEAM_USAGE)


def _parse_team(text: str, today: date) -> TeamCommand:
    cleaned = _clean(text)
    tokens = _tokens(cleaned)
    if not tokens:
        return TeamView()
    head, rest = tokens[0].low, tokens[1:]
    if head in ("help", "?") and not rest:
        return TeamHelp()
    if head == "create":
        return _team_create(cleaned, rest)
    if head in ("add", "remove"):
        ids = _mentions(rest, "/team " + head)
        return TeamAdd(ids) if head == "add" else TeamRemove(ids)
    if head in ("managers", "manager"):
        sub = rest[0].low if rest else ""
        if sub not in ("add", "remove"):
            raise _Fail(
                "Add or remove managers with `/team managers add @m` or `/team managers remove @m`.",
                _TEAM_MEMBERS_USAGE,
            )
        ids = _mentions(rest[1:], "/team managers " + sub)
        return TeamManagersAdd(ids) if sub == "add" else TeamManagersRemove(ids)
    words = [t.text for t in rest]
    _check_no_slack_tokens(rest, "/team " + head)
    if head == "standup":
        return _with_usage(_team_standup, words, _TEAM_STANDUP_USAGE)
    if head in ("workdays", "workday", "working-days"):
        return _with_usage(_team_workdays, words, _TEAM_WORKDAYS_USAGE)
    if head in ("holidays", "holiday"):
        return _with_usage(_team_holidays, words, _TEAM_HOLIDAYS_USAGE)
    if head == "scoreboard":
        return _with_usage(_team_scoreboard, words, _TEAM_SCOREBOARD_USAGE)
    if head == "export":
        return _with_usage(lambda w: _team_export(w, today), words, _TEAM_EXPORT_USAGE)
    raise _Fail(f"I don't know `/team {_q(tokens[0].text, 20)}`.")


def _with_usage(parse: Callable[[list[str]], TeamCommand], words: list[str], usage: str) -> TeamCommand:
    """Run a sub-parser, giving its failures that subcommand's usage."""
    try:
        return parse(words)
    except _Fail as fail:
        raise _Fail(fail.message, fail.usage or usage) from None


def _mentions(tokens: Sequence[_Tok], command: str) -> tuple[str, ...]:
    """At least one user mention, separators allowed; anything else is refused."""
    try:
        _check_people(tokens, command)
        ids = []
        for tok in tokens:
            if tok.kind == "user":
                ids.append(tok.text)
            elif tok.low not in (",", "and", "&"):
                raise _Fail(f'I expected `@people` after `{command}`, not "{_q(_display(tok) or tok.text)}".')
        if not ids:
            raise _Fail(f"Who? Mention at least one person: `{command} @name`.")
        return _dedupe(ids)
    except _Fail as fail:
        raise _Fail(fail.message, _TEAM_MEMBERS_USAGE) from None


_TZ_ARG = re.compile(r"(?:tz|timezone|time_zone|time-zone)[=:](.*)", re.IGNORECASE)


def _team_create(cleaned: str, tokens: Sequence[_Tok]) -> TeamCreate:
    try:
        return _team_create_inner(cleaned, tokens)
    except _Fail as fail:
        raise _Fail(fail.message, fail.usage or _TEAM_CREATE_USAGE) from None


def _team_create_inner(cleaned: str, tokens: Sequence[_Tok]) -> TeamCreate:
    tz: str | None = None
    rest: list[_Tok] = []
    for tok in tokens:
        m = _TZ_ARG.fullmatch(tok.text) if tok.kind == "word" else None
        if m is None:
            rest.append(tok)
        elif tz is not None:
            raise _Fail("Give the timezone once, like `tz=America/New_York`.")
        else:
            tz = _timezone(m[1])
    channels = [i for i, t in enumerate(rest) if t.kind == "channel"]
    if not channels:
        if any(t.kind == "word" and t.text.startswith("#") and len(t.text) > 1 for t in rest):
            raise _Fail(
                "I can't tell which channel that is — type `#` and pick the channel from the autocomplete "
                "list, so Slack links it."
            )
        raise _Fail("Which channel should the team use? Add it with `#`, picked from the autocomplete list.")
    if len(channels) > 1:
        raise _Fail("A team has one channel — mention just one.")
    at = channels[0]
    after = rest[at + 1 :]
    if after:
        raise _Fail(
            f'I didn\'t expect "{_q(_display(after[0]) or after[0].text)}" after the channel — '
            "the name goes before it, and only `tz=Area/City` after."
        )
    name_tokens = rest[:at]
    for tok in name_tokens:
        if tok.kind in ("user", "special", "bad"):
            raise _Fail("A team name can't contain mentions — add people with `/team add @rep`.")
    name = _free_text(cleaned[name_tokens[0].start : name_tokens[-1].end]) if name_tokens else ""
    if len(name) >= 2 and name[0] in "\"'“‘" and name[-1] in "\"'”’":
        name = name[1:-1].strip()
    if not name:
        raise _Fail("What's the team called? Put the name before the channel.")
    if len(name) > MAX_TEAM_NAME_CHARS:
        raise _Fail(f"That name is {len(name)} characters — keep it to {MAX_TEAM_NAME_CHARS}.")
    channel = rest[at]
    return TeamCreate(name, channel.text, channel.label or None, tz)


def _timezone(value: str) -> str:
    """A valid IANA zone name (case fixed up if needed), or a failure naming what was given."""
    value = value.strip()
    if value and len(value) <= 64 and re.fullmatch(r"[A-Za-z0-9_+\-/]+", value) and ".." not in value:
        try:
            ZoneInfo(value)
            return value
        except (KeyError, ValueError, OSError):
            matches = [z for z in available_timezones() if z.casefold() == value.casefold()]
            if matches:
                return matches[0]
    raise _Fail(
        f'I don\'t know the timezone "{_q(value)}" — use a name like `tz=America/New_York` '
        "or `tz=Europe/London`."
    )


_TIME = re.compile(r"([0-9]{1,2})(?:[:.h]([0-9]{2}))?\s*(am|pm|a\.m\.|p\.m\.|a|p)?")


def _parse_time(value: str) -> time:
    low = value.casefold().replace(" ", "")
    if low == "noon":
        return time(12, 0)
    m = _TIME.fullmatch(low)
    if m is None:
        raise _Fail(f'"{_q(value)}" isn\'t a time I understand — use `09:00`, `9am` or `13:30`.')
    hour, minute = int(m[1]), int(m[2] or 0)
    meridiem = (m[3] or "")[:1]
    if meridiem:
        if not 1 <= hour <= 12:
            raise _Fail(f'"{_q(value)}" isn\'t a real time — with am/pm the hour is 1 to 12.')
        hour = hour % 12 + (12 if meridiem == "p" else 0)
    if hour > 23 or minute > 59:
        raise _Fail(f'"{_q(value)}" isn\'t a real time — use 00:00 to 23:59.')
    return time(hour, minute)


def _team_standup(words: list[str]) -> TeamStandup:
    weekdays: list[int] = []
    rest: list[str] = []
    for word in words:
        low = word.casefold().rstrip(",")
        if low in ("at", "on", "every", ""):
            continue
        wd = _weekday(low.removesuffix("s")) if low.endswith("days") else _weekday(low)
        if wd is not None:
            weekdays.append(wd)
        elif low in ("am", "pm", "a.m.", "p.m.") and rest:
            rest[-1] += low
        else:
            rest.append(low)
    if len(weekdays) != 1 or len(rest) != 1:
        raise _Fail("Give one weekday and a time for the standup.")
    return TeamStandup(weekdays[0], _parse_time(rest[0]))


def _day_range(first: int, last: int) -> set[int]:
    """``fri-mon`` wraps around the week: {4, 5, 6, 0}."""
    return {(first + k) % 7 for k in range((last - first) % 7 + 1)}


def _team_workdays(words: list[str]) -> TeamWorkdays:
    text = " ".join(words).casefold()
    text = re.sub(r"\s*[-–—]\s*", "-", text)
    text = re.sub(r"\s+(?:to|through|thru|till|until)\s+", "-", text)
    days: set[int] = set()
    for part in re.split(r"[\s,;&+/]+|\band\b", text):
        if not part:
            continue
        if part == "weekdays":
            days |= set(range(5))
            continue
        numbers = [n for n in (_weekday(e) for e in part.split("-")) if n is not None]
        if len(numbers) != part.count("-") + 1 or len(numbers) > 2:
            raise _Fail(f'"{_q(part)}" isn\'t a day I know — use `mon`, `tue`… or a range like `mon-fri`.')
        days |= _day_range(numbers[0], numbers[-1])
    if not days:
        raise _Fail("Which days does the team work?")
    return TeamWorkdays(frozenset(days))


_COUNTRY = re.compile(r"[A-Za-z]{2,3}")
_SUBDIVISION = re.compile(r"[A-Za-z0-9]{1,10}")


def _team_holidays(words: list[str]) -> TeamHolidays:
    if not words:
        raise _Fail("Which country's public holidays? Give its code, like `US` or `US-CA`, or `none`.")
    if len(words) == 1 and words[0].casefold() in ("none", "off", "no"):
        return TeamHolidays(None, None)
    parts = re.split(r"[-_ ]", " ".join(words)) if words else []
    if len(parts) in (1, 2) and _COUNTRY.fullmatch(parts[0]) and parts[0].isascii():
        sub = parts[1] if len(parts) == 2 else None
        if sub is None or (_SUBDIVISION.fullmatch(sub) and sub.isascii()):
            return TeamHolidays(parts[0].upper(), sub.upper() if sub else None)
    raise _Fail(
        f'"{_q(" ".join(words))}" doesn\'t look like a country code — use 2 or 3 letters like `US`, '
        "optionally with a region like `US-CA`, or `none`."
    )


def _team_scoreboard(words: list[str]) -> TeamScoreboard:
    mode = " ".join(words).casefold().replace(" ", "-")
    if mode == "public":
        return TeamScoreboard(Scoreboard.PUBLIC)
    if mode in ("kudos-only", "kudos", "private", "kudosonly"):
        return TeamScoreboard(Scoreboard.KUDOS_ONLY)
    raise _Fail(
        f'"{_q(" ".join(words)) or "nothing"}" isn\'t a scoreboard mode — choose `public` or `kudos-only`.'
    )


def _team_export(words: list[str], today: date) -> TeamExport:
    low = [w.casefold().rstrip(",") for w in words]
    low = [w for w in low if w]
    if not low or low == ["this", "month"]:
        return TeamExport(None, None)
    if low == ["last", "month"]:
        first = today.replace(day=1) - timedelta(days=1)
        return TeamExport(first.year, first.month)
    named = _month(low[0])
    if len(low) == 1 and (m := re.fullmatch(r"([0-9]{4})-([0-9]{1,2})", low[0])):
        year, month = int(m[1]), int(m[2])
        if not 1 <= month <= 12:
            raise _Fail(f'"{_q(words[0])}" isn\'t a real month.')
    elif len(low) in (1, 2) and named is not None:
        month = named
        if len(low) == 2:
            if not re.fullmatch(r"[0-9]{4}", low[1]):
                raise _Fail(f'"{_q(words[1])}" isn\'t a year.')
            year = int(low[1])
        else:
            year = today.year if month <= today.month else today.year - 1
    else:
        raise _Fail(f'"{_q(" ".join(words))}" isn\'t a month I understand.')
    if (year, month) > (today.year, today.month):
        raise _Fail(f"{year}-{month:02d} hasn't happened yet — pick this month or an earlier one.")
    if year < 2000:
        raise _Fail(f"{year} is too long ago.")
    return TeamExport(year, month)


# ---------------------------------------------------------------------------------------------------------
# /checkin

_CADENCES = {
    "daily": Cadence.DAILY,
    "weekly": Cadence.WEEKLY,
    "monthly": Cadence.MONTHLY,
    "auto": None,
    "automatic": None,
    "unpin": None,
}
_UNTIL_WORDS = ("until", "till", "til", "through", "thru")
_RANGE_WORDS = ("to", "-", "–", "—", *_UNTIL_WORDS)


def parse_checkin(text: str, *, today: date) -> CheckinCommand | ParseError:
    """Parse ``/checkin`` text: a view, a pause (away/back), or a manager's cadence pin."""
    try:
        return _parse_checkin(text, today)
    except _Fail as fail:
        return ParseError(fail.message, fail.usage or CHECKIN_USAGE)


def _parse_checkin(text: str, today: date) -> CheckinCommand:
    tokens = _tokens(_clean(text))
    if not tokens:
        return CheckinView(None)
    head = tokens[0].low
    if head in ("help", "?") and len(tokens) == 1:
        return CheckinHelp()
    if head == "back" and len(tokens) == 1:
        return CheckinBack()
    if head == "away":
        _check_no_slack_tokens(tokens, "/checkin away")
        try:
            return _checkin_away([t.text for t in tokens[1:]], today)
        except _Fail as fail:
            raise _Fail(fail.message, fail.usage or _CHECKIN_AWAY_USAGE) from None
    _check_people(tokens, "/checkin")
    if tokens[0].kind != "user":
        if head in _CADENCES:
            raise _Fail(f"Whose check-ins? Name the rep first: `/checkin @rep {head}`.", _CHECKIN_PIN_USAGE)
        raise _Fail(f"I don't know `/checkin {_q(_display(tokens[0]) or tokens[0].text, 20)}`.")
    users = _dedupe([t.text for t in tokens if t.kind == "user"])
    rest = [t for t in tokens[1:] if t.kind != "user"]
    if len(users) > 1:
        raise _Fail("One rep at a time, please.", _CHECKIN_PIN_USAGE)
    if not rest:
        return CheckinView(users[0])
    if len(rest) == 1 and rest[0].kind == "word" and rest[0].low in _CADENCES:
        return CheckinPin(users[0], _CADENCES[rest[0].low])
    raise _Fail(
        f'"{_q(_display(rest[0]) or rest[0].text)}" isn\'t a cadence — use daily, weekly, monthly or auto.',
        _CHECKIN_PIN_USAGE,
    )


def _checkin_away(words: list[str], today: date) -> CheckinAway:
    low = [w.casefold().rstrip(",") for w in words]
    low = [w for w in low if w]
    if low and low[0] == "from":
        low = low[1:]
    if not low:
        raise _Fail("Away until when?")
    if low[0] in _UNTIL_WORDS:
        start = today
        until = _away_day(low[1:], base=today, today=today)
    else:
        split = next((i for i, w in enumerate(low) if w in _RANGE_WORDS), None)
        if split is None:
            start = until = _away_day(low, base=today, today=today)
        else:
            start = _away_day(low[:split], base=today, today=today)
            until = _away_day(low[split + 1 :], base=start, today=today)
    if start < today:
        raise _Fail(f"{start.isoformat()} is in the past — an away period starts today or later.")
    if until < start:
        raise _Fail(f"The end ({until.isoformat()}) is before the start ({start.isoformat()}).")
    if (until - today).days > MAX_AWAY_DAYS_AHEAD:
        raise _Fail(f"{until.isoformat()} is too far ahead — at most {MAX_AWAY_DAYS_AHEAD} days from today.")
    return CheckinAway(start, until)


def _next_month_day(month: int, day: int, year: int | None, base: date) -> date:
    """``dec 28`` with no year = the next such date on or after ``base``."""
    if year is not None:
        try:
            return date(year, month, day)
        except ValueError:
            raise _Fail(f"{year}-{month:02d}-{day:02d} isn't a real date.") from None
    for candidate_year in (base.year, base.year + 1, base.year + 2, base.year + 3, base.year + 4):
        try:
            candidate = date(candidate_year, month, day)
        except ValueError:
            continue
        if candidate >= base:
            return candidate
    raise _Fail(f"{month:02d}-{day:02d} isn't a real date.")


def _away_day(words: list[str], *, base: date, today: date) -> date:
    """One day for /checkin away: ISO, today, tomorrow, a weekday, ``dec 28`` / ``28 dec`` [year]."""
    words = [w.rstrip(".") for w in words]
    if not words:
        raise _Fail("Away until when?")
    if len(words) == 1:
        word = words[0]
        if word == "today":
            return today
        if word == "tomorrow":
            return today + timedelta(days=1)
        wd = _weekday(word)
        if wd is not None:
            return base + timedelta(days=(wd - base.weekday()) % 7)
        iso = _iso_date(word)
        if iso is not None:
            return iso
    if len(words) in (2, 3):
        month_first = _month(words[0])
        month, day_word = (month_first, words[1]) if month_first is not None else (_month(words[1]), words[0])
        day_match = re.fullmatch(r"([0-9]{1,2})(?:st|nd|rd|th)?", day_word)
        year_ok = len(words) == 2 or re.fullmatch(r"[0-9]{4}", words[2]) is not None
        if month is not None and day_match is not None and year_ok:
            year = int(words[2]) if len(words) == 3 else None
            return _next_month_day(month, int(day_match[1]), year, base)
    raise _Fail(f'"{_q(" ".join(words))}" isn\'t a date I understand — try `2026-12-28` or `dec 28`.')
