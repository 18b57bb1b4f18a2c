"""The self-starter figures in words, where a manager decides about a new hire: the 1:1 agenda, App
Home's team table, the message that moves a rep out of onboarding.

"Self-starter: logged unprompted 8 of 10 working days (80 %); logged at all 9 of 10". The figures
arrive as an outbox payload (``{"working_days", "logged", "unprompted"}``) or a ``SelfStarter``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bot.domain.self_starter import SelfStarter
from bot.i18n import _, n_
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


def sentence(value: Any, *, label: str | None = None) -> str | None:
    """The figures in full, for a manager, after ``label`` ("Self-starter:"; mrkdwn may bold it),
    with no full stop."""
    figures = _figures(value)
    if figures is None:
        return None
    label = _("Self-starter:") if label is None else label
    unprompted, logged, days = figures
    if days <= 0:
        return _("{label} no working day on the team to judge yet", label=label)
    return n_(
        "{label} logged unprompted {unprompted} of {n} working day ({pct}); logged at all {logged} of {n}",
        "{label} logged unprompted {unprompted} of {n} working days ({pct}); logged at all {logged} of {n}",
        days,
        label=label,
        unprompted=unprompted,
        pct=f.percent(unprompted / days),
        logged=logged,
    )


def compact(value: Any) -> str | None:
    """The figures in a table cell: "self-starter 8/10 days (logged 9)"."""
    figures = _figures(value)
    if figures is None:
        return None
    unprompted, logged, days = figures
    if days <= 0:
        return _("self-starter: no full day yet")
    return n_(
        "self-starter {unprompted}/{n} day (logged {logged})",
        "self-starter {unprompted}/{n} days (logged {logged})",
        days,
        unprompted=unprompted,
        logged=logged,
    )


def for_rep(value: Any) -> str | None:
    """The figures told to the rep themselves, as they step up: "You logged before any nudge from me
    on 8 of your 10 working days (80 %)." (None when there is nothing to tell.)"""
    figures = _figures(value)
    if figures is None or figures[2] <= 0:
        return None
    unprompted, _logged, days = figures
    return n_(
        "You logged before any nudge from me on {unprompted} of your {n} working day ({pct}).",
        "You logged before any nudge from me on {unprompted} of your {n} working days ({pct}).",
        days,
        unprompted=unprompted,
        pct=f.percent(unprompted / days),
    )
