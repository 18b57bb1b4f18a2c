"""Weekly-goal praise lives in the /log reply, at the moment the goal is crossed — not in a later DM."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from bot.domain.types import DEFAULT_METRICS, Period
from bot.services.outcomes import Logged, ProgressLine
from bot.slack.messages.replies import render as reply
from tests.support.fakeslack import visible_text

D = Decimal
METRIC = {m.key: m for m in DEFAULT_METRICS}
TODAY = date(2026, 11, 25)


def _reply(
    logged: Decimal, week_actual: Decimal, *, metric: str = "presentations", period=Period.WEEK
) -> str:
    line = ProgressLine(METRIC[metric], period, week_actual, D(5))
    outcome = Logged(
        items=((METRIC[metric], logged),),
        day=TODAY,
        today=TODAY,
        note=None,
        progress=(line,),
        team_name="East",
    )
    return visible_text(reply(outcome))


def test_the_entry_that_crosses_the_weekly_goal_is_praised() -> None:
    text = _reply(D(2), D(5))
    assert "You just reached your weekly goal: 5 of 5 presentations." in text


def test_no_praise_before_the_goal_nor_again_once_it_was_already_met() -> None:
    assert "reached" not in _reply(D(1), D(4))
    assert "reached" not in _reply(D(1), D(7))  # it was met before this entry: said then


def test_a_quota_reached_reads_as_a_quota() -> None:
    text = _reply(D(2), D(5), metric="deals", period=Period.MONTH)
    assert "You just reached your monthly quota: 5 of 5 deals closed." in text
