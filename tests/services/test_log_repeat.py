"""A /log sent again while the first was still saving — perhaps to another web process — is kept, and
its answer says so: a retry must never count twice silently."""

from __future__ import annotations

import pytest

from bot.services.outcomes import Logged
from bot.slack.messages.replies import render

W, BOSS, ANA = "T0REPEAT", "U0BOSS", "U0ANA"


@pytest.fixture
def team(services):
    text = "create Sales <#C0SALES|sales> tz=America/New_York"
    services.teams.team(workspace_id=W, user_id=BOSS, text=text, in_channel="C0SALES")
    services.teams.team(workspace_id=W, user_id=BOSS, text=f"add <@{ANA}|ana>")
    return services


def log(services, text: str) -> Logged:
    outcome = services.activity.log(workspace_id=W, user_id=ANA, text=text)
    assert isinstance(outcome, Logged), outcome
    return outcome


def test_the_same_log_again_moments_later_is_kept_and_says_it_counts_twice(team, clock) -> None:
    first = log(team, "5 calls, 2 demos -- acme")
    assert first.repeat_of is None
    clock.advance(seconds=20)  # the first was saving for a while; the rep sent it again
    again = log(team, "2 demos, 5 calls -- acme")
    assert again.repeat_of is not None
    shown = render(again)["text"]
    assert "exactly this a moment ago" in shown and "counts twice" in shown and "/log undo" in shown
    assert "exactly this" not in render(first)["text"]


def test_another_log_in_between_does_not_hide_the_repeat(team, clock) -> None:
    log(team, "1 calls -- first")
    log(team, "1 calls -- second")  # sent at once with the first, saved in between
    clock.advance(seconds=5)
    assert log(team, "1 calls -- first").repeat_of is not None


@pytest.mark.parametrize(
    "second",
    [
        "5 calls, 2 demos -- globex",
        "5 calls, 3 demos -- acme",
        "5 calls -- acme",
        "5 calls, 2 demos -- acme yesterday",
    ],
)
def test_a_different_log_is_not_a_repeat(team, second: str) -> None:
    log(team, "5 calls, 2 demos -- acme")
    assert log(team, second).repeat_of is None


def test_the_same_log_minutes_later_is_a_new_one(team, clock) -> None:
    log(team, "1 calls")
    clock.advance(minutes=3)
    assert log(team, "1 calls").repeat_of is None


def test_a_log_undone_is_not_repeated(team) -> None:
    log(team, "1 calls")
    team.activity.log(workspace_id=W, user_id=ANA, text="undo")
    assert log(team, "1 calls").repeat_of is None
