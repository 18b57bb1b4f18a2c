"""``/team``: the team view and the commands that set a team up."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo, available_timezones

from bot.domain.parsing import voice
from bot.domain.parsing.common import (
    MAX_TEAM_NAME_CHARS,
    ParseError,
    _and_words,
    _check_no_slack_tokens,
    _check_people,
    _clean,
    _dedupe,
    _display,
    _Fail,
    _free_text,
    _is,
    _q,
    _Tok,
    _tokens,
)
from bot.domain.parsing.dates import _articles, _month, _weekday, _weekly_slot
from bot.domain.parsing.integrations import TeamIntegrations, parse_integrations
from bot.domain.parsing.meeting import (
    TeamMeeting,
    TeamMeetingOff,
    TeamMeetingShow,
    TeamVideo,
    TeamVideoShow,
    parse_meeting,
    parse_video,
)
from bot.domain.parsing.metrics import (
    _GOAL_LIMITS,
    _amount_or_fail,
    _check_amount,
    _check_cap,
    _currency_metric,
    _Limits,
    _metric_name,
    _split_glued,
    _unknown_metric,
    resolve_metric,
)
from bot.domain.types import DEFAULT_METRICS, Metric, Scoreboard
from bot.i18n import N_, _, vocabulary
from bot.i18n import formats as fmt

TEAM_USAGE = N_(
    "Try `/team create Sales East #sales-east tz=America/New_York`, `/team add @rep`, "
    "`/team standup mon 09:00`, `/team workdays mon-fri`, or `/team help`."
)
_TEAM_CREATE_USAGE = N_("Try `/team create Sales East #sales-east tz=America/New_York`.")
_TEAM_CHANNEL_USAGE = N_(
    "Try `/team channel #sales-east`, with the channel picked from the autocomplete list."
)
_TEAM_DELETE_USAGE = N_("Try `/team delete`, then `/team delete Sales East` (the team's name) to confirm.")
_TEAM_MEMBERS_USAGE = N_("Try `/team add @ana @ben`, `/team remove @ana`, or `/team managers add @maria`.")
_TEAM_STANDUP_USAGE = N_("Try `/team standup mon 09:00` or `/team standup monday 9:30am`.")
_TEAM_WORKDAYS_USAGE = N_(
    "Try `/team workdays mon-fri`, `/team workdays sun-thu`, or `/team workdays mon,tue`."
)
_TEAM_HOLIDAYS_USAGE = N_("Try `/team holidays US`, `/team holidays US-CA`, or `/team holidays none`.")
_TEAM_SCOREBOARD_USAGE = N_("Try `/team scoreboard public` or `/team scoreboard kudos-only`.")
_TEAM_EXPORT_USAGE = N_("Try `/team export`, `/team export november`, or `/team export 2026-11`.")
_TEAM_CEILING_USAGE = N_(
    "Try `/team ceiling` (see them all), `/team ceiling calls 800`, `/team ceiling revenue $20m`, "
    "or `/team ceiling calls default`."
)
# A ceiling is a day's most, so it may be as high as a goal may be (a day's ceiling of 100,000 calls,
# or $1,000,000,000, is as good as none).
_CEILING_LIMITS = _Limits(
    _GOAL_LIMITS.max_count,
    _GOAL_LIMITS.max_currency,
    N_("{amount} {metric} as a daily ceiling? The most I accept is {cap} — check the number."),
    N_("That many {metric} as a daily ceiling? The most I accept is {cap} — check the number."),
)


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
class TeamChannel:
    """Move the team (its standup, its answers' thread) to another channel."""

    channel_id: str
    channel_name: str | None


@dataclass(frozen=True)
class TeamDelete:
    """``name`` None asks what deleting would do; the team's own name confirms it."""

    name: str | None


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
class TeamCeilings:
    """Show the team's daily ceiling for every metric."""


@dataclass(frozen=True)
class TeamCeiling:
    """Set the team's daily ceiling of ``metric`` (a key); ``amount`` None goes back to the default."""

    metric: str
    amount: Decimal | None


@dataclass(frozen=True)
class TeamExport:
    """Month to export; both None means the current month."""

    year: int | None
    month: int | None


TeamCommand = (
    TeamView
    | TeamHelp
    | TeamCreate
    | TeamChannel
    | TeamDelete
    | TeamAdd
    | TeamRemove
    | TeamManagersAdd
    | TeamManagersRemove
    | TeamStandup
    | TeamWorkdays
    | TeamHolidays
    | TeamScoreboard
    | TeamExport
    | TeamCeilings
    | TeamCeiling
    | TeamIntegrations
    | TeamMeeting
    | TeamMeetingOff
    | TeamMeetingShow
    | TeamVideo
    | TeamVideoShow
)


def parse_team(
    text: str, *, today: date, metrics: Sequence[Metric] = DEFAULT_METRICS
) -> TeamCommand | ParseError:
    """Parse ``/team`` text: the team view or a set-up command. ``metrics`` name what a ceiling is of."""
    try:
        return _parse_team(text, today, metrics)
    except _Fail as fail:
        return ParseError(fail.message, _(fail.usage or TEAM_USAGE))


def _parse_team(text: str, today: date, metrics: Sequence[Metric]) -> TeamCommand:
    cleaned = _clean(text)
    tokens = _tokens(cleaned)
    if not tokens:
        return TeamView()
    head, rest = _subcommand(tokens[0].low), tokens[1:]
    if head in ("help", "?") and not rest:
        return TeamHelp()
    if head == "create":
        return _team_create(cleaned, rest)
    if head == "channel":
        return _team_channel(rest)
    if head == "delete":
        return _team_delete(cleaned, rest)
    if head in ("add", "remove"):
        ids = _mentions(rest, "/team " + head)
        return TeamAdd(ids) if head == "add" else TeamRemove(ids)
    if head in ("managers", "manager"):
        sub = _subcommand(rest[0].low) if rest else ""
        if sub not in ("add", "remove"):
            raise _Fail(
                _("Add or remove managers with `/team managers add @m` or `/team managers remove @m`."),
                _TEAM_MEMBERS_USAGE,
            )
        ids = _mentions(rest[1:], "/team managers " + sub)
        return TeamManagersAdd(ids) if sub == "add" else TeamManagersRemove(ids)
    if head in ("integrations", "integration", "crm"):
        return parse_integrations(rest, metrics)
    # Language, currency, and the holidays seen: parse_language, parse_currency
    if head in voice.language_words():
        return voice.parse_language(rest, "/team language")
    if head in voice.currency_words():
        return voice.parse_currency(rest)
    if head in ("holidays", "holiday") and not rest:
        return voice.TeamHolidaysShow()
    if head in ("meeting", "meetings"):
        return parse_meeting(rest)
    if head == "video":
        return parse_video(rest)
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
    if head in ("ceiling", "ceilings", "cap", "caps", "limit", "limits"):
        return _with_usage(lambda w: _team_ceiling(w, metrics), words, _TEAM_CEILING_USAGE)
    raise _Fail(_("I don't know `/team {subcommand}`.", subcommand=_q(tokens[0].text, 20)))


def _subcommand(word: str) -> str:
    """The English subcommand a word names in any language ("shto" → "add"); other words as they are."""
    for english, forms in (
        ("help", vocabulary("input:keyword help", "help|?")),
        ("create", vocabulary("input:team create", "create")),
        ("channel", vocabulary("input:team channel", "channel")),
        ("delete", vocabulary("input:team delete", "delete")),
        ("add", vocabulary("input:team add", "add")),
        ("remove", vocabulary("input:team remove", "remove")),
        ("managers", vocabulary("input:team managers", "managers|manager")),
        ("integrations", vocabulary("input:team integrations", "integrations|integration|crm")),
        ("meeting", vocabulary("input:team meeting", "meeting|meetings")),
        ("video", vocabulary("input:team video", "video")),
        ("standup", vocabulary("input:team standup", "standup")),
        ("workdays", vocabulary("input:team workdays", "workdays|workday|working-days")),
        ("holidays", vocabulary("input:team holidays", "holidays|holiday")),
        ("scoreboard", vocabulary("input:team scoreboard", "scoreboard")),
        ("export", vocabulary("input:team export", "export")),
        ("ceiling", vocabulary("input:team ceiling", "ceiling|ceilings|cap|caps|limit|limits")),
    ):
        if _is(word, forms):
            return english
    return word


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
            elif tok.low not in (",", "&") and not _is(tok.low, _and_words()):
                raise _Fail(
                    _(
                        'I expected `@people` after `{command}`, not "{what}".',
                        command=command,
                        what=_q(_display(tok) or tok.text),
                    )
                )
        if not ids:
            raise _Fail(_("Who? Mention at least one person: `{command} @name`.", command=command))
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
            raise _Fail(_("Give the timezone once, like `tz=America/New_York`."))
        else:
            tz = _timezone(m[1])
    channels = [i for i, t in enumerate(rest) if t.kind == "channel"]
    if not channels:
        if any(t.kind == "word" and t.text.startswith("#") and len(t.text) > 1 for t in rest):
            raise _Fail(
                _(
                    "I can't tell which channel that is — type `#` and pick the channel from the autocomplete "
                    "list, so Slack links it."
                )
            )
        raise _Fail(
            _("Which channel should the team use? Add it with `#`, picked from the autocomplete list.")
        )
    if len(channels) > 1:
        raise _Fail(_("A team has one channel — mention just one."))
    at = channels[0]
    after = rest[at + 1 :]
    if after:
        raise _Fail(
            _(
                'I didn\'t expect "{what}" after the channel — the name goes before it, and only '
                "`tz=Area/City` after.",
                what=_q(_display(after[0]) or after[0].text),
            )
        )
    name = _team_name(cleaned, rest[:at])
    if not name:
        raise _Fail(_("What's the team called? Put the name before the channel."))
    channel = rest[at]
    return TeamCreate(name, channel.text, channel.label or None, tz)


# A name is shown in the channel, in DMs and on App Home: it may not carry a link, which Slack would
# make live (``<https://…>``, and a bare ``pay.example.com`` that Slack's clients link on sight).
_URLISH = re.compile(
    r"(?i)(?:[a-z][a-z0-9+.-]*://|www\.|mailto:)"
    r"|[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:com|net|org|io|co|ai|app|dev|info|biz|me|ly|gg|xyz|link|site|"
    r"online|page|to|us|uk|de|ru|cn|in|fr|es|it|nl|eu|ca|au|tv|cc|sh|so)\b"
)


def _team_name(cleaned: str, tokens: Sequence[_Tok]) -> str:
    """A team's name as plain text: no mentions, no links, no longer than a name should be."""
    for tok in tokens:
        if tok.kind in ("user", "special", "bad", "channel"):
            raise _Fail(_("A team name can't contain mentions — add people with `/team add @rep`."))
        if tok.kind == "link" or (tok.kind == "word" and _URLISH.search(tok.text)):
            raise _Fail(_("A team name can't contain a link or a web address — just the team's name."))
    name = _free_text(cleaned[tokens[0].start : tokens[-1].end]) if tokens else ""
    if len(name) >= 2 and name[0] in "\"'“‘" and name[-1] in "\"'”’":
        name = name[1:-1].strip()
    if len(name) > MAX_TEAM_NAME_CHARS:
        raise _Fail(
            _(
                "That name is {count} characters — keep it to {limit}.",
                count=fmt.number(len(name)),
                limit=fmt.number(MAX_TEAM_NAME_CHARS),
            )
        )
    return name


def _team_channel(tokens: Sequence[_Tok]) -> TeamChannel:
    channels = [t for t in tokens if t.kind == "channel"]
    others = [t for t in tokens if t.kind != "channel"]
    if len(channels) == 1 and not others:
        return TeamChannel(channels[0].text, channels[0].label or None)
    if not channels and any(t.kind == "word" and t.text.startswith("#") for t in tokens):
        raise _Fail(
            _(
                "I can't tell which channel that is — type `#` and pick the channel from the autocomplete "
                "list, so Slack links it."
            ),
            _TEAM_CHANNEL_USAGE,
        )
    raise _Fail(_("Which channel should the team move to? Name one, with `#`."), _TEAM_CHANNEL_USAGE)


def _team_delete(cleaned: str, tokens: Sequence[_Tok]) -> TeamDelete:
    if not tokens:
        return TeamDelete(None)
    try:
        name = _team_name(cleaned, tokens)
    except _Fail as fail:
        raise _Fail(fail.message, _TEAM_DELETE_USAGE) from None
    return TeamDelete(name or None)


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
        _(
            'I don\'t know the timezone "{tz}" — use a name like `tz=America/New_York` or `tz=Europe/London`.',
            tz=_q(value),
        )
    )


def _team_standup(words: list[str]) -> TeamStandup:
    return TeamStandup(*_weekly_slot(words, _("Give one weekday and a time for the standup.")))


def _day_range_words() -> tuple[str, ...]:
    return vocabulary("input:keyword day range", "to")


def _day_range(first: int, last: int) -> set[int]:
    """``fri-mon`` wraps around the week: {4, 5, 6, 0}."""
    return {(first + k) % 7 for k in range((last - first) % 7 + 1)}


def _team_workdays(words: list[str]) -> TeamWorkdays:
    text = " ".join(words).casefold()
    text = re.sub(r"\s*[-–—]\s*", "-", text)
    text = re.sub(r"\s+(?:to|through|thru|till|until)\s+", "-", text)
    text = " ".join("-" if w != "to" and _is(w, _day_range_words()) else w for w in text.split())
    text = text.replace(" - ", "-")
    days: set[int] = set()
    for part in re.split(r"[\s,;&+/]+|\band\b", text):
        if not part or _is(part, _and_words()) or _is(part, _articles()):
            continue
        if part == "weekdays" or _is(part, vocabulary("input:keyword weekdays", "weekdays")):
            days |= set(range(5))
            continue
        numbers = [n for n in (_weekday(e) for e in part.split("-")) if n is not None]
        if len(numbers) != part.count("-") + 1 or len(numbers) > 2:
            raise _Fail(
                _('"{day}" isn\'t a day I know — use `mon`, `tue`… or a range like `mon-fri`.', day=_q(part))
            )
        days |= _day_range(numbers[0], numbers[-1])
    if not days:
        raise _Fail(_("Which days does the team work?"))
    return TeamWorkdays(frozenset(days))


_COUNTRY = re.compile(r"[A-Za-z]{2,3}")
_SUBDIVISION = re.compile(r"[A-Za-z0-9]{1,10}")


def _team_holidays(words: list[str]) -> TeamHolidays:
    if not words:
        raise _Fail(_("Which country's public holidays? Give its code, like `US` or `US-CA`, or `none`."))
    if len(words) == 1 and (
        words[0].casefold() in ("none", "off", "no")
        or _is(words[0], vocabulary("input:keyword none", "none|off|no"))
    ):
        return TeamHolidays(None, None)
    parts = re.split(r"[-_ ]", " ".join(words)) if words else []
    if len(parts) in (1, 2) and _COUNTRY.fullmatch(parts[0]) and parts[0].isascii():
        sub = parts[1] if len(parts) == 2 else None
        if sub is None or (_SUBDIVISION.fullmatch(sub) and sub.isascii()):
            return TeamHolidays(parts[0].upper(), sub.upper() if sub else None)
    raise _Fail(
        _(
            '"{code}" doesn\'t look like a country code — use 2 or 3 letters like `US`, '
            "optionally with a region like `US-CA`, or `none`.",
            code=_q(" ".join(words)),
        )
    )


def _team_scoreboard(words: list[str]) -> TeamScoreboard:
    mode = " ".join(words).casefold().replace(" ", "-")
    if mode == "public" or _is(mode, vocabulary("input:scoreboard public", "public")):
        return TeamScoreboard(Scoreboard.PUBLIC)
    if mode in ("kudos-only", "kudos", "private", "kudosonly") or _is(
        mode, vocabulary("input:scoreboard kudos-only", "kudos-only|kudos|private|kudosonly")
    ):
        return TeamScoreboard(Scoreboard.KUDOS_ONLY)
    nothing = _("nothing")
    raise _Fail(
        _(
            '"{mode}" isn\'t a scoreboard mode — choose `public` or `kudos-only`.',
            mode=_q(" ".join(words)) or nothing,
        )
    )


def _team_export(words: list[str], today: date) -> TeamExport:
    low = [w.casefold().rstrip(",") for w in words]
    low = [w for w in low if w]
    phrase = " ".join(low)
    if not low or low == ["this", "month"] or _is(phrase, vocabulary("input:date this month", "this month")):
        return TeamExport(None, None)
    if low == ["last", "month"] or _is(phrase, vocabulary("input:date last month", "last month")):
        first = today.replace(day=1) - timedelta(days=1)
        return TeamExport(first.year, first.month)
    named = _month(low[0])
    if len(low) == 1 and (m := re.fullmatch(r"([0-9]{4})-([0-9]{1,2})", low[0])):
        year, month = int(m[1]), int(m[2])
        if not 1 <= month <= 12:
            raise _Fail(_('"{month}" isn\'t a real month.', month=_q(words[0])))
    elif len(low) in (1, 2) and named is not None:
        month = named
        if len(low) == 2:
            if not re.fullmatch(r"[0-9]{4}", low[1]):
                raise _Fail(_('"{year}" isn\'t a year.', year=_q(words[1])))
            year = int(low[1])
        else:
            year = today.year if month <= today.month else today.year - 1
    else:
        raise _Fail(_('"{month}" isn\'t a month I understand.', month=_q(" ".join(words))))
    if (year, month) > (today.year, today.month):
        raise _Fail(
            _(
                "{month} hasn't happened yet — pick this month or an earlier one.",
                month=str(year) + "-" + str(month).zfill(2),
            )
        )
    if year < 2000:
        raise _Fail(_("{year} is too long ago.", year=year))
    return TeamExport(year, month)


_CEILING_RESET = ("default", "reset", "auto")


def _team_ceiling(words: list[str], metrics: Sequence[Metric]) -> TeamCeilings | TeamCeiling:
    """``ceiling`` · ``ceiling calls 800`` · ``ceiling 800 calls`` · ``ceiling $20m`` · ``ceiling calls default``."""
    words = [
        w for w in (w.rstrip(",:") for w in _split_glued(words)) if w and w.casefold() not in ("to", "=")
    ]
    if not words:
        return TeamCeilings()
    amounts = [(i, a) for i, w in enumerate(words) if (a := _amount_or_fail(w)) is not None]
    resets = [
        i
        for i, w in enumerate(words)
        if w.casefold() in _CEILING_RESET or _is(w, vocabulary("input:keyword default", "default|reset|auto"))
    ]
    if len(amounts) + len(resets) != 1:
        raise _Fail(
            _("Give one metric and one number for its daily ceiling, like `/team ceiling calls 800`.")
        )
    at = amounts[0][0] if amounts else resets[0]
    phrase = " ".join(words[:at] + words[at + 1 :])
    if phrase:
        metric = resolve_metric(phrase, metrics)
        if metric is None:
            raise _unknown_metric(phrase, metrics)
    elif amounts and amounts[0][1][1]:
        metric = _currency_metric(metrics)
    else:
        raise _Fail(_("A ceiling of which metric? Name it, like `/team ceiling calls 800`."))
    if not amounts:
        return TeamCeiling(metric.key, None)
    amount, is_currency = amounts[0][1]
    if amount <= 0:
        raise _Fail(
            _(
                "A daily ceiling must be more than zero — {amount} would refuse every *{metric}*.",
                amount=_q(words[at]),
                metric=_metric_name(metric),
            )
        )
    _check_amount(amount, is_currency, metric, words[at])
    _check_cap(amount, metric, _CEILING_LIMITS)
    return TeamCeiling(metric.key, amount)
