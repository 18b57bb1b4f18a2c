"""/checkin hours and kudos: every accepted form, and bad input that comes back as a friendly ParseError."""

from __future__ import annotations

import random
from datetime import date, time

import pytest

from bot.domain import parsing as p
from bot.domain.parsing import CheckinHours, CheckinKudos, ParseError, parse_checkin

TODAY = date(2026, 11, 27)
NINE_TO_FIVE = CheckinHours(time(9, 0), time(17, 0))
DEFAULT = CheckinHours(None, None)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("hours 09:00-17:00", NINE_TO_FIVE),
        ("hours 9-17", NINE_TO_FIVE),
        ("hours 9am-5pm", NINE_TO_FIVE),
        ("hours 09:00–17:00", NINE_TO_FIVE),  # en dash, as Slack's autocorrect writes it
        ("hours 09:00—17:00", NINE_TO_FIVE),
        ("hours 09:00 - 17:00", NINE_TO_FIVE),
        ("hours 9 a.m. - 5 p.m.", NINE_TO_FIVE),
        ("hours 9AM-5PM", NINE_TO_FIVE),
        ("hours from 9 to 17", NINE_TO_FIVE),
        ("hours 9:00 until 17:00", NINE_TO_FIVE),
        ("Hours 9-17", NINE_TO_FIVE),
        ("hour 9-17", NINE_TO_FIVE),
        ("hours 9.30-17.45", CheckinHours(time(9, 30), time(17, 45))),
        ("hours 06:00-21:00", CheckinHours(time(6, 0), time(21, 0))),  # the widest allowed
        ("hours 20-21", CheckinHours(time(20, 0), time(21, 0))),  # exactly an hour
        ("hours 7am-noon", CheckinHours(time(7, 0), time(12, 0))),
        ("hours default", DEFAULT),
        ("hours reset", DEFAULT),
        ("hours Default.", DEFAULT),
        ("mute kudos", CheckinKudos(muted=True)),
        ("Mute Kudos", CheckinKudos(muted=True)),
        ("mute praise", CheckinKudos(muted=True)),
        ("unmute kudos", CheckinKudos(muted=False)),
        ("unmute kudos!", CheckinKudos(muted=False)),
    ],
)
def test_checkin_hours_and_kudos_accept(text: str, expected: object) -> None:
    assert parse_checkin(text, today=TODAY) == expected


@pytest.mark.parametrize(
    ("text", "mentions"),
    [
        ("hours", "which hours"),
        ("hours 9", "start and an end"),
        ("hours 9 17", "start and an end"),
        ("hours 9-12-17", "start and an end"),
        ("hours -17", "start and an end"),
        ("hours 9-", "start and an end"),
        ("hours 9-5", "did you mean 17:00? write it as `09:00-17:00`"),
        ("hours 9pm-5am", "end (05:00) before they start (21:00)"),
        ("hours 17:00-09:00", "end (09:00) before they start (17:00)"),
        ("hours 9-9", "at least an hour"),
        ("hours 5-9", "05:00 is too early"),
        ("hours 05:59-17:00", "too early"),
        ("hours 9-22", "22:00 is too late"),
        ("hours 9:00-21:01", "too late"),
        ("hours 00:00-23:59", "too early"),
        ("hours 9:00-9:30", "only 30 minutes"),
        ("hours 20:30-21:00", "/checkin hours 20:30-21:30"),
        ("hours 25-26", "real time"),
        ("hours 9:75-17", "real time"),
        ("hours 13pm-14pm", "1 to 12"),
        ("hours nine-five", "nine"),
        ("hours 9-17 cet", "17 cet"),
        ("hours <@U0AAA111|ana> 9-17", "@ana"),
        ("hours <!here>", "@here"),
        ("hours 9-<b>", None),
    ],
)
def test_checkin_hours_refuse_with_an_example(text: str, mentions: str | None) -> None:
    result = parse_checkin(text, today=TODAY)
    assert isinstance(result, ParseError), result
    assert "/checkin hours 09:00-17:00" in result.usage
    assert "/checkin hours default" in result.usage
    if mentions is not None:
        assert mentions.casefold() in result.message.casefold(), result.message


@pytest.mark.parametrize(
    ("text", "mentions"),
    [
        ("mute", "mute what"),
        ("unmute", "unmute what"),
        ("mute checkins", "only mute kudos"),
        ("mute kudos please", "only mute kudos"),
        ("unmute everything", "only unmute kudos"),
        ("mute <@U0AAA111|ana>", "@ana"),
    ],
)
def test_checkin_kudos_refuse(text: str, mentions: str) -> None:
    result = parse_checkin(text, today=TODAY)
    assert isinstance(result, ParseError), result
    assert "/checkin" in result.usage and "kudos" in result.usage
    assert mentions.casefold() in result.message.casefold(), result.message


@pytest.mark.parametrize("text", ["<@U0AAA111|ana> hours 9-17", "<@U0AAA111|ana> mute kudos"])
def test_hours_and_kudos_are_each_persons_own(text: str) -> None:
    result = parse_checkin(text, today=TODAY)
    assert isinstance(result, ParseError)
    assert "each person's own" in result.message


def test_user_text_is_escaped_in_the_reply() -> None:
    result = parse_checkin("hours 9-<script>&", today=TODAY)
    assert isinstance(result, ParseError)
    assert "<script>" not in result.message and "<" not in result.message.replace("`", "")


def test_the_limits_are_the_products() -> None:
    assert (time(8, 0), time(18, 0)) == p.DM_HOURS_DEFAULT
    assert (time(6, 0), time(21, 0)) == (p.DM_HOURS_EARLIEST, p.DM_HOURS_LATEST)
    assert "/checkin hours 09:00-17:00" in p.CHECKIN_USAGE and "/checkin mute kudos" in p.CHECKIN_USAGE


def test_random_hours_never_raise() -> None:
    rng = random.Random(20261127)
    alphabet = "0123456789 :.-–—apmAPM hnoto"
    for _ in range(2000):
        text = "hours " + "".join(rng.choices(alphabet, k=rng.randint(0, 14)))
        result = parse_checkin(text, today=TODAY)
        if isinstance(result, ParseError):
            assert result.message and result.usage
        else:
            assert isinstance(result, CheckinHours)
            if result.start is not None:
                assert p.DM_HOURS_EARLIEST <= result.start < result.end <= p.DM_HOURS_LATEST
