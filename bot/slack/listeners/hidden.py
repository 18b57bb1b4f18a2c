"""What a listener reads back from a payload: the ids we hid in button values and ``private_metadata``,
and the workspace the payload comes from.

Slack signs the payload, not what is inside it: anyone who can click can also replay a button or a
view with values of their choosing. So every hidden field is checked here, against the exact shape the
builders in ``bot.slack.messages`` write, before it reaches a service; a payload that doesn't fit reads
as ``None`` and the listener changes nothing.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from slack_bolt import BoltContext

from bot.i18n import N_

MAX_ID = 2**31 - 1  # a database integer key
MAX_METRICS = 95  # what the Log activity modal holds

_WEEK = re.compile(r"[0-9]{4}-W[0-9]{2}")  # ISO week, as the clock keys it: "2026-W49"
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_USER = re.compile(r"[UW][A-Z0-9]{2,30}")
_WORKSPACE = re.compile(r"T[A-Z0-9]{2,30}")
_METRIC = re.compile(r"[a-z0-9][a-z0-9_-]{0,31}")

STALE_FORM = N_("This form is out of date. Close it and press the button again.")  # shown with _()


@dataclass(frozen=True)
class ShareRef:
    """Share my week: the rep's team and the standup's week."""

    team_id: int
    week: str


@dataclass(frozen=True)
class LogRef:
    """Log activity: the rep's team (if the button named one) and the metrics the modal asks for
    (none: the rep's goals). The entry's team is the rep's own, never this one."""

    team_id: int | None
    metrics: tuple[str, ...]


@dataclass(frozen=True)
class RepRef:
    """Plan 1:1 and Mark 1:1 done: the rep and the manager's team."""

    rep: str
    team_id: int


# --- the containers ---------------------------------------------------------------------------


def button_value(body: dict) -> dict | None:
    """The clicked button's value, which we wrote as a JSON object."""
    try:
        raw = body["actions"][0]["value"]
    except (KeyError, IndexError, TypeError):
        return None
    return _object(raw)


def view_metadata(view: dict) -> dict | None:
    """A view's ``private_metadata``, which we wrote as a JSON object."""
    return _object(view.get("private_metadata") if isinstance(view, dict) else None)


def _object(raw: object) -> dict | None:
    if not isinstance(raw, str) or len(raw) > 3000:  # Slack's own limit on both
        return None
    try:
        value = json.loads(raw)
    except ValueError:
        return None
    return value if isinstance(value, dict) else None


# --- the shapes -------------------------------------------------------------------------------


def share_ref(value: dict | None) -> ShareRef | None:
    if value is None:
        return None
    team_id, week = team_id_of(value.get("team_id")), iso_week(value.get("week"))
    return ShareRef(team_id, week) if team_id is not None and week is not None else None


def log_ref(value: dict | None) -> LogRef | None:
    if value is None:
        return None
    raw_team, raw = value.get("team_id"), value.get("metrics", [])
    team_id = None if raw_team is None else team_id_of(raw_team)
    if (raw_team is not None and team_id is None) or not isinstance(raw, list) or len(raw) > MAX_METRICS:
        return None
    if not all(isinstance(k, str) and _METRIC.fullmatch(k) for k in raw):
        return None
    return LogRef(team_id, tuple(raw))


def rep_ref(value: dict | None) -> RepRef | None:
    if value is None:
        return None
    rep, team_id = user_id(value.get("rep")), team_id_of(value.get("team_id"))
    return RepRef(rep, team_id) if rep is not None and team_id is not None else None


def team_id_of(value: object) -> int | None:
    """A team's id: a positive JSON integer (not a string, not ``true``) that fits the database."""
    if isinstance(value, bool) or not isinstance(value, int) or not 0 < value <= MAX_ID:
        return None
    return value


def iso_week(value: object) -> str | None:
    """ "2026-W49": a week that exists (W53 only in the years that have one)."""
    if not isinstance(value, str) or not _WEEK.fullmatch(value):
        return None
    year, week = value.split("-W")
    try:
        date.fromisocalendar(int(year), int(week), 1)
    except ValueError:
        return None
    return value


def user_id(value: object) -> str | None:
    """A Slack user id: ``U…``, or ``W…`` on Enterprise Grid."""
    return value if isinstance(value, str) and _USER.fullmatch(value) else None


def iso_date(value: object) -> date | None:
    """ "2026-11-30" and nothing else (``date.fromisoformat`` also takes "20261130" and "2026-W49-1")."""
    if not isinstance(value, str) or not _DATE.fullmatch(value):
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def workspace(context: BoltContext) -> str | None:
    """The workspace a payload comes from, as Bolt resolves it.

    An org-wide (Enterprise Grid) install sends ``"team": null`` in buttons and modals; Bolt then
    takes the workspace from ``view.app_installed_team_id``, ``authorizations``, ``user.team_id`` or
    ``view.team_id`` (``slack_bolt.request.internals.extract_team_id``). ``None``: no workspace at all.
    """
    team: Any = context.team_id
    return team if isinstance(team, str) and _WORKSPACE.fullmatch(team) else None
