"""``/team meeting`` and ``/team video``: the team's weekly meeting on video, and the 1:1s' link.

Slack hands links over escaped — ``<https://zoom.us/j/1>`` or ``<https://zoom.us/j/1|zoom.us/j/1>`` —
and with escaping off, as plain text; both are read. Only web links (http, https) are kept: the link
is shown as a button in the team's channel and in managers' DMs, so nothing else may ride on it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import time
from urllib.parse import urlsplit

from bot.domain.parsing.common import _display, _Fail, _is, _q, _that_word, _Tok, _unescape
from bot.domain.parsing.dates import _weekly_slot
from bot.i18n import N_, _, vocabulary
from bot.i18n import formats as fmt

MAX_URL_CHARS = 500  # teams.meeting_url / video_url
MEETING_USAGE = N_(
    "Try `/team meeting thu 16:00 https://zoom.us/j/123`, `/team meeting off`, or `/team meeting` to see it."
)
VIDEO_USAGE = N_(
    "Try `/team video https://meet.google.com/abc-defg-hij`, `/team video off`, or `/team video`."
)
_OFF = frozenset({"off", "none", "stop", "cancel", "clear", "remove", "no"})


def _is_off(tok: _Tok) -> bool:
    return tok.low in _OFF or _is(
        tok.low, vocabulary("input:keyword off", "off|none|stop|cancel|clear|remove|no")
    )


@dataclass(frozen=True)
class TeamMeeting:
    """The weekly team meeting, ``weekday`` 0 = Monday, ``at`` team time; ``url`` None keeps the
    link the meeting already has."""

    weekday: int
    at: time
    url: str | None


@dataclass(frozen=True)
class TeamMeetingOff:
    pass


@dataclass(frozen=True)
class TeamMeetingShow:
    pass


@dataclass(frozen=True)
class TeamVideo:
    """The video link every 1:1 prompt and Plan 1:1 carries; None takes it away."""

    url: str | None


@dataclass(frozen=True)
class TeamVideoShow:
    pass


MeetingCommand = TeamMeeting | TeamMeetingOff | TeamMeetingShow | TeamVideo | TeamVideoShow


def _is_link(tok: _Tok) -> bool:
    return tok.kind == "link" or (tok.kind == "word" and "://" in tok.text)


def web_link(tok: _Tok) -> str:
    """The http(s) address a link token carries, or a failure saying what a link must look like."""
    raw = _unescape(tok.text) if tok.kind == "link" else tok.text
    shown = _q(tok.label or raw if tok.kind == "link" else raw, 60)
    try:
        parts = urlsplit(raw)
        host = parts.hostname
    except ValueError:
        parts, host = None, None
    if parts is None or parts.scheme.casefold() not in ("http", "https") or not host:
        raise _Fail(
            _("“{link}” isn't a web link — the link must start with `https://` (or `http://`).", link=shown)
        )
    if any(ch.isspace() or ch in '<>|"' for ch in raw):
        raise _Fail(
            _(
                "I couldn't read the link “{link}” — paste it as Slack shows it, starting with `https://`.",
                link=shown,
            )
        )
    if len(raw) > MAX_URL_CHARS:
        raise _Fail(
            _(
                "That link is {count} characters — I can keep links up to {limit}.",
                count=fmt.number(len(raw)),
                limit=fmt.number(MAX_URL_CHARS),
            )
        )
    return raw


def _one_link(tokens: Sequence[_Tok], command: str) -> tuple[str | None, list[str]]:
    """The one web link among the tokens (if any), and the other words; mentions are refused."""
    links = [t for t in tokens if _is_link(t)]
    if len(links) > 1:
        raise _Fail(
            _("Give `{command}` one link, not {count}.", command=command, count=fmt.number(len(links)))
        )
    words = []
    for tok in tokens:
        if _is_link(tok):
            continue
        if tok.kind != "word":
            raise _Fail(
                _(
                    "I didn't expect {what} in `{command}` — just a link.",
                    what=_q(_display(tok) or _that_word()),
                    command=command,
                )
            )
        words.append(tok.text)
    return (web_link(links[0]) if links else None), words


def parse_meeting(tokens: Sequence[_Tok]) -> TeamMeeting | TeamMeetingOff | TeamMeetingShow:
    """``/team meeting thu 16:00 <https://…>`` · ``/team meeting off`` · ``/team meeting``."""
    try:
        if not tokens:
            return TeamMeetingShow()
        if len(tokens) == 1 and _is_off(tokens[0]):
            return TeamMeetingOff()
        url, words = _one_link(tokens, "/team meeting")
        if not words:
            raise _Fail(_("When is the meeting? Give a weekday and a time before the link."))
        weekday, at = _weekly_slot(words, _("Give one weekday and a time for the team meeting."))
        return TeamMeeting(weekday, at, url)
    except _Fail as fail:
        raise _Fail(fail.message, fail.usage or MEETING_USAGE) from None


def parse_video(tokens: Sequence[_Tok]) -> TeamVideo | TeamVideoShow:
    """``/team video <https://…>`` · ``/team video off`` · ``/team video``."""
    try:
        if not tokens:
            return TeamVideoShow()
        if len(tokens) == 1 and _is_off(tokens[0]):
            return TeamVideo(None)
        url, words = _one_link(tokens, "/team video")
        if url is None:
            raise _Fail(
                _(
                    "“{link}” isn't a web link — paste the video room's address, starting with `https://`.",
                    link=_q(" ".join(words)),
                )
            )
        if words:
            raise _Fail(
                _("I only need the link after `/team video`, not “{words}”.", words=_q(" ".join(words)))
            )
        return TeamVideo(url)
    except _Fail as fail:
        raise _Fail(fail.message, fail.usage or VIDEO_USAGE) from None
