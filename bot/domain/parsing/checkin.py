"""``/checkin``: the cadence view, away and back, a manager's pin, and each person's hours and praise."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from bot.domain import attention as att
from bot.domain.parsing import voice
from bot.domain.parsing.common import (
    MAX_AWAY_DAYS_AHEAD,
    ParseError,
    _check_no_slack_tokens,
    _check_people,
    _clean,
    _dedupe,
    _display,
    _Fail,
    _is,
    _q,
    _tokens,
)
from bot.domain.parsing.dates import _drop_articles, _iso_date, _month, _parse_time, _until_words, _weekday
from bot.domain.types import Cadence
from bot.i18n import N_, _, n_, vocabulary
from bot.i18n import formats as fmt

# The hours a person may give for the bot's unprompted messages, in their own time: the attention
# policy's rules, so /checkin and the clock agree.
DM_HOURS_DEFAULT = (att.DEFAULT_FROM, att.DEFAULT_UNTIL)
DM_HOURS_EARLIEST = att.EARLIEST
DM_HOURS_LATEST = att.LATEST
# At least an hour: a check-in comes an hour before the end at the latest.
DM_HOURS_SHORTEST = timedelta(hours=1)

CHECKIN_USAGE = N_(
    "Try `/checkin`, `/checkin away until 2026-12-28`, `/checkin back`, `/checkin hours 09:00-17:00`, "
    "`/checkin mute kudos`, `/checkin @rep daily|weekly|monthly|auto`, or `/checkin help`."
)
_CHECKIN_AWAY_USAGE = N_(
    "Try `/checkin away until 2026-12-28`, `/checkin away until dec 28`, "
    "`/checkin away from 2026-12-01 to 2026-12-05`, or `/checkin away today`."
)
_CHECKIN_PIN_USAGE = N_("Try `/checkin @rep daily|weekly|monthly` to pin a cadence, or `/checkin @rep auto`.")
_CHECKIN_HOURS_USAGE = N_(
    "Try `/checkin hours 09:00-17:00`, `/checkin hours 9am-5pm`, or `/checkin hours default` (08:00–18:00)."
)
_CHECKIN_KUDOS_USAGE = N_("Try `/checkin mute kudos` or `/checkin unmute kudos`.")


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
class CheckinHours:
    """The caller's own hours for unprompted messages, local time; both None: back to the default."""

    start: time | None
    end: time | None


@dataclass(frozen=True)
class CheckinKudos:
    """Mute or unmute the caller's praise DMs."""

    muted: bool


@dataclass(frozen=True)
class CheckinHelp:
    pass


CheckinCommand = (
    CheckinView | CheckinAway | CheckinBack | CheckinPin | CheckinHours | CheckinKudos | CheckinHelp
)


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


def _keyword(word: str) -> str:
    """The English keyword a word names in any language ("larg" → "away"); other words as they are."""
    if word in ("help", "?", "back", "away", "hours", "hour", "mute", "unmute", *_CADENCES):
        return word
    for english, forms in (
        ("help", vocabulary("input:keyword help", "help|?")),
        ("back", vocabulary("input:keyword back", "back")),
        ("away", vocabulary("input:keyword away", "away")),
        ("hours", vocabulary("input:keyword hours", "hours|hour")),
        ("mute", vocabulary("input:keyword mute", "mute")),
        ("unmute", vocabulary("input:keyword unmute", "unmute")),
        ("daily", vocabulary("input:cadence daily", "daily")),
        ("weekly", vocabulary("input:cadence weekly", "weekly")),
        ("monthly", vocabulary("input:cadence monthly", "monthly")),
        ("auto", vocabulary("input:cadence auto", "auto|automatic|unpin")),
    ):
        if _is(word, forms):
            return english
    return word


def _from_words() -> tuple[str, ...]:
    return vocabulary("input:keyword from", "from")


def parse_checkin(text: str, *, today: date) -> CheckinCommand | ParseError:
    """Parse ``/checkin`` text: a view, a pause (away/back), hours, kudos, or a manager's cadence pin."""
    try:
        return _parse_checkin(text, today)
    except _Fail as fail:
        return ParseError(fail.message, _(fail.usage or CHECKIN_USAGE))


def _parse_checkin(text: str, today: date) -> CheckinCommand:
    tokens = _tokens(_clean(text))
    if not tokens:
        return CheckinView(None)
    head = _keyword(tokens[0].low)
    if head in ("help", "?") and len(tokens) == 1:
        return CheckinHelp()
    if head in voice.language_words():  # /checkin language sq|en|default
        return voice.parse_language(tokens[1:], "/checkin language")
    if head == "back" and len(tokens) == 1:
        return CheckinBack()
    if head == "away":
        _check_no_slack_tokens(tokens, "/checkin away")
        try:
            return _checkin_away([t.text for t in tokens[1:]], today)
        except _Fail as fail:
            raise _Fail(fail.message, fail.usage or _CHECKIN_AWAY_USAGE) from None
    if head in ("hours", "hour"):
        try:
            _check_no_slack_tokens(tokens, "/checkin hours")
            return _checkin_hours([t.text for t in tokens[1:]])
        except _Fail as fail:
            raise _Fail(fail.message, fail.usage or _CHECKIN_HOURS_USAGE) from None
    if head in ("mute", "unmute"):
        _check_no_slack_tokens(tokens, f"/checkin {head}")
        return _checkin_kudos(head, [_keyword(t.low) for t in tokens[1:]])
    _check_people(tokens, "/checkin")
    if tokens[0].kind != "user":
        if head in _CADENCES:
            raise _Fail(
                _(
                    "Whose check-ins? Name the rep first: `/checkin @rep {cadence}`.",
                    cadence=_q(tokens[0].text, 20),
                ),
                _CHECKIN_PIN_USAGE,
            )
        raise _Fail(
            _(
                "I don't know `/checkin {subcommand}`.",
                subcommand=_q(_display(tokens[0]) or tokens[0].text, 20),
            )
        )
    users = _dedupe([t.text for t in tokens if t.kind == "user"])
    rest = [t for t in tokens[1:] if t.kind != "user"]
    if len(users) > 1:
        raise _Fail(_("One rep at a time, please."), _CHECKIN_PIN_USAGE)
    if not rest:
        return CheckinView(users[0])
    if len(rest) == 1 and rest[0].kind == "word" and _keyword(rest[0].low) in _CADENCES:
        return CheckinPin(users[0], _CADENCES[_keyword(rest[0].low)])
    if _keyword(rest[0].low) in ("hours", "hour", "mute", "unmute"):
        raise _Fail(
            _(
                "Hours and kudos are each person's own choice: they set them with "
                "`/checkin hours 09:00-17:00` or `/checkin mute kudos`."
            )
        )
    raise _Fail(
        _(
            '"{cadence}" isn\'t a cadence — use daily, weekly, monthly or auto.',
            cadence=_q(_display(rest[0]) or rest[0].text),
        ),
        _CHECKIN_PIN_USAGE,
    )


def _checkin_away(words: list[str], today: date) -> CheckinAway:
    low = [w.casefold().rstrip(",") for w in words]
    low = [w for w in low if w]
    if low and (low[0] == "from" or _is(low[0], _from_words())):
        low = low[1:]
    if not low:
        raise _Fail(_("Away until when?"))
    if low[0] in _UNTIL_WORDS or (low[0] != "to" and _is(low[0], _until_words())):
        start = today
        until = _away_day(low[1:], base=today, today=today)
    else:
        split = next((i for i, w in enumerate(low) if w in _RANGE_WORDS or _is(w, _until_words())), None)
        if split is None:
            start = until = _away_day(low, base=today, today=today)
        else:
            start = _away_day(low[:split], base=today, today=today)
            until = _away_day(low[split + 1 :], base=start, today=today)
    if start < today:
        raise _Fail(
            _("{date} is in the past — an away period starts today or later.", date=start.isoformat())
        )
    if until < start:
        raise _Fail(
            _(
                "The end ({end}) is before the start ({start}).",
                end=until.isoformat(),
                start=start.isoformat(),
            )
        )
    if (until - today).days > MAX_AWAY_DAYS_AHEAD:
        raise _Fail(
            _(
                "{date} is too far ahead — at most {days} days from today.",
                date=until.isoformat(),
                days=fmt.number(MAX_AWAY_DAYS_AHEAD),
            )
        )
    return CheckinAway(start, until)


def _next_month_day(month: int, day: int, year: int | None, base: date) -> date:
    """``dec 28`` with no year = the next such date on or after ``base``."""
    if year is not None:
        try:
            return date(year, month, day)
        except ValueError:
            raise _Fail(
                _(
                    "{date} isn't a real date.",
                    date="-".join((str(year), str(month).zfill(2), str(day).zfill(2))),
                )
            ) from None
    for candidate_year in (base.year, base.year + 1, base.year + 2, base.year + 3, base.year + 4):
        try:
            candidate = date(candidate_year, month, day)
        except ValueError:
            continue
        if candidate >= base:
            return candidate
    raise _Fail(_("{date} isn't a real date.", date="-".join((str(month).zfill(2), str(day).zfill(2)))))


def _away_day(words: list[str], *, base: date, today: date) -> date:
    """One day for /checkin away: ISO, today, tomorrow, a weekday, ``dec 28`` / ``28 dec`` [year]."""
    words = _drop_articles([w.rstrip(".") for w in words])
    if not words:
        raise _Fail(_("Away until when?"))
    if len(words) == 1:
        word = words[0]
        if word == "today" or _is(word, vocabulary("input:date today", "today")):
            return today
        if word == "tomorrow" or _is(word, vocabulary("input:date tomorrow", "tomorrow")):
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
    raise _Fail(
        _('"{date}" isn\'t a date I understand — try `2026-12-28` or `dec 28`.', date=_q(" ".join(words)))
    )


_HOURS_DEFAULT_WORDS = ("default", "defaults", "reset")
_HOURS_SEPARATOR = re.compile(r"\s*(?:-+|–|—|\bto\b|\buntil\b|\btill\b|\btil\b|\bthrough\b|\bthru\b)\s*")
_MERIDIEM = re.compile(r"[ap]\.?m?\.?$|noon$")


def _hhmm(value: time) -> str:
    return f"{value:%H:%M}"


def _minutes(start: time, end: time) -> int:
    return (end.hour - start.hour) * 60 + end.minute - start.minute


def _checkin_hours(words: list[str]) -> CheckinHours:
    """``09:00-17:00``, ``9-17``, ``9am-5pm``, ``9:00 to 17:00`` (any dash), or ``default``."""
    text = " ".join(words).casefold().strip(" ,")
    if text.rstrip(".!") in _HOURS_DEFAULT_WORDS or _is(
        text.rstrip(".!"), vocabulary("input:keyword default", "default|reset|auto")
    ):
        return CheckinHours(None, None)
    if not text:
        raise _Fail(_("Which hours? Give a start and an end, like `/checkin hours 09:00-17:00`."))
    text = text.removeprefix("from ").strip()
    first, _sp, others = text.partition(" ")
    if others and _is(first, _from_words()):
        text = others.strip()
    text = " ".join("-" if w != "to" and _is(w, _until_words()) else w for w in text.split())
    parts = _HOURS_SEPARATOR.split(text)
    if len(parts) != 2 or not all(parts):
        raise _Fail(
            _(
                '"{hours}" isn\'t a range of hours — give a start and an end, like `/checkin hours 09:00-17:00`.',
                hours=_q(" ".join(words)),
            )
        )
    start, end = _parse_time(parts[0]), _parse_time(parts[1])
    if end == start:
        raise _Fail(
            _(
                "That starts and ends at {time} — give me at least an hour, like `/checkin hours 09:00-17:00`.",
                time=_hhmm(start),
            )
        )
    if end < start:
        later = time(end.hour + 12, end.minute) if end.hour < 12 else None
        if later is not None and later > start and not _MERIDIEM.search(parts[1].replace(" ", "")):
            raise _Fail(
                _(
                    "Those hours end ({end}) before they start ({start}). Did you mean {later}? "
                    "Write it as `{start}-{later}`.",
                    end=_hhmm(end),
                    start=_hhmm(start),
                    later=_hhmm(later),
                )
            )
        raise _Fail(
            _("Those hours end ({end}) before they start ({start}).", end=_hhmm(end), start=_hhmm(start))
        )
    earliest, latest = _hhmm(DM_HOURS_EARLIEST), _hhmm(DM_HOURS_LATEST)
    if start < DM_HOURS_EARLIEST:
        raise _Fail(
            _(
                "{time} is too early — I message people between {earliest} and {latest} at most, "
                "so start at {earliest} or later.",
                time=_hhmm(start),
                earliest=earliest,
                latest=latest,
            )
        )
    if end > DM_HOURS_LATEST:
        raise _Fail(
            _(
                "{time} is too late — I message people between {earliest} and {latest} at most, "
                "so finish by {latest}.",
                time=_hhmm(end),
                earliest=earliest,
                latest=latest,
            )
        )
    if _minutes(start, end) < DM_HOURS_SHORTEST.total_seconds() // 60:
        an_hour = (datetime.combine(date.min, start) + DM_HOURS_SHORTEST).time()
        raise _Fail(
            n_(
                "That's only {minutes} minute — give me at least an hour, like `/checkin hours {start}-{end}`.",
                "That's only {minutes} minutes — give me at least an hour, like `/checkin hours {start}-{end}`.",
                _minutes(start, end),
                minutes=fmt.number(_minutes(start, end)),
                start=_hhmm(start),
                end=_hhmm(an_hour),
            )
        )
    return CheckinHours(start, end)


_KUDOS_WORDS = ("kudos", "kudo", "praise")


def _checkin_kudos(head: str, words: list[str]) -> CheckinKudos:
    """``mute kudos`` / ``unmute kudos`` (``praise`` works too)."""
    if len(words) == 1 and (
        words[0].rstrip(".!") in _KUDOS_WORDS
        or _is(words[0].rstrip(".!"), vocabulary("input:keyword kudos", "kudos|kudo|praise"))
    ):
        return CheckinKudos(muted=head == "mute")
    if not words:
        if head == "mute":
            raise _Fail(_("Mute what? `/checkin mute kudos` turns off praise DMs."), _CHECKIN_KUDOS_USAGE)
        raise _Fail(_("Unmute what? `/checkin unmute kudos` turns praise DMs back on."), _CHECKIN_KUDOS_USAGE)
    if head == "mute":
        raise _Fail(
            _(
                'I can only mute kudos, not "{words}". To pause check-ins while you\'re away, '
                "use `/checkin away until 2026-12-28`.",
                words=_q(" ".join(words)),
            ),
            _CHECKIN_KUDOS_USAGE,
        )
    raise _Fail(
        _(
            'I can only unmute kudos, not "{words}". To pause check-ins while you\'re away, '
            "use `/checkin away until 2026-12-28`.",
            words=_q(" ".join(words)),
        ),
        _CHECKIN_KUDOS_USAGE,
    )
