"""The self-starter figures in words, where a manager decides about a new hire: the 1:1 agenda, App
Home's team table, the message that moves a rep out of onboarding.

"Self-starter: logged unprompted 8 of 10 working days (80 %); logged at all 9 of 10". The figures
arrive as an outbox payload (``{"working_days", "logged", "unprompted"}``) or a ``SelfStarter``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bot.domain.self_starter import SelfStarter
from bot.slack.messages import format as f


def _figures(value: Any) -> tuple[int, int, int] | None:
    """(unprompted, logged, working days), or None when ``value`` carries none."""
    if isinstance(value, SelfStarter):
        return value.unprompted, value.logged, value.working_days
    if not isinstance(value, Mapping):
        return None
    try:
        return int(value["unprompted"]), int(value["logged"]), int(value["working_days"])
    except (KeyError, TypeError, ValueError):
        return None


def sentence(value: Any, *, label: str = "Self-starter:") -> str | None:
    """The figures in full, for a manager, after ``label`` (mrkdwn may bold it), with no full stop."""
    figures = _figures(value)
    if figures is None:
        return None
    unprompted, logged, days = figures
    if days <= 0:
        return f"{label} no working day on the team to judge yet"
    return (
        f"{label} logged unprompted {unprompted} of {days} {f.noun('working days', days)} "
        f"({f.percent(unprompted / days)}); logged at all {logged} of {days}"
    )


def compact(value: Any) -> str | None:
    """The figures in a table cell: "self-starter 8/10 days (logged 9)"."""
    figures = _figures(value)
    if figures is None:
        return None
    unprompted, logged, days = figures
    if days <= 0:
        return "self-starter: no full day yet"
    return f"self-starter {unprompted}/{days} {f.noun('days', days)} (logged {logged})"


def for_rep(value: Any) -> str | None:
    """The figures told to the rep themselves, as they step up: "You logged before any nudge from me
    on 8 of your 10 working days (80 %)." (None when there is nothing to tell.)"""
    figures = _figures(value)
    if figures is None or figures[2] <= 0:
        return None
    unprompted, _, days = figures
    return (
        f"You logged before any nudge from me on {unprompted} of your {days} "
        f"{f.noun('working days', days)} ({f.percent(unprompted / days)})."
    )
