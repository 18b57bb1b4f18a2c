"""A person's merged DM: items in order, each with its own words and buttons, within Slack's limits."""

from __future__ import annotations

import json

from bot.slack.messages.scheduled import MAX_BLOCKS, render
from tests.support.fakeslack import visible_text

AGENDA = {"weeks": [], "quota": [], "trend": None, "help": None, "help_week": None}
WHY_MANAGER = {"role": "manager", "hours": ["08:00", "18:00"], "teams": ["Sales East"], "cadence": "daily"}


def one_on_one(i: int) -> dict:
    rep = f"U0REP{i:03d}"
    payload = {"rep": rep, "team": "Sales East", "stage": "onboarding", "reason": "cadence", "alert": None}
    return {"id": i, "kind": "one_on_one", "payload": {**payload, "agenda": AGENDA, "team_id": 1}}


def digest(n: int) -> dict:
    return {
        "items": [one_on_one(i) for i in range(n)],
        "role": "manager",
        "slot": "digest",
        "why": WHY_MANAGER,
    }


def test_a_digest_keeps_every_prompt_with_its_buttons_and_unique_block_ids() -> None:
    message = render("dm", "U0BOSS", digest(3))
    blocks = message["blocks"]
    assert len(blocks) <= MAX_BLOCKS
    ids = [b["block_id"] for b in blocks if "block_id" in b]
    assert len(ids) == 3 and len(set(ids)) == 3  # Slack refuses repeated block_ids
    text = visible_text(message)
    assert all(f"U0REP{i:03d}" in text for i in range(3))
    assert blocks[-1]["type"] == "context" and "as a manager for Sales East" in json.dumps(blocks[-1])


def test_a_digest_too_big_for_one_message_summarises_and_points_to_app_home() -> None:
    message = render("dm", "U0BOSS", digest(60))
    blocks = message["blocks"]
    assert len(blocks) <= MAX_BLOCKS
    text = visible_text(message)
    assert "60 things for you today" in text and "Home" in text
    assert all(f"U0REP{i:03d}" in text for i in range(60))  # every rep named, none dropped


def test_a_reps_message_says_why_it_came_and_how_to_change_it() -> None:
    checkin = {
        "user": "U0REP",
        "team": "Sales East",
        "team_id": 1,
        "day": "2026-11-18",
        "scope": "day",
        "from": "2026-11-17",
        "to": "2026-11-17",
        "lines": [],
        "stage": "steady",
        "cadence": "weekly",
        "week": "2026-W47",
        "metrics": ["calls"],
        "plan": [],
        "share_week": False,
    }
    why = {
        "role": "rep",
        "stage": "steady",
        "cadence": "weekly",
        "hours": ["09:00", "17:00"],
        "kudos_muted": False,
    }
    payload = {"items": [{"id": 1, "kind": "checkin", "payload": checkin}], "role": "rep", "why": why}
    context = render("dm", "U0REP", payload)["blocks"][-1]
    line = json.dumps(context)
    assert "at most once a week while you're steady" in line
    assert "between 09:00 and 17:00 your time" in line and "/checkin mute kudos" in line


def test_a_new_hires_first_check_in_welcomes_them_instead_of_recapping_a_day_before_they_joined() -> None:
    line = {"metric": "calls", "label": "cold calls", "unit": "count", "result": False, "period": "day",
            "actual": "0", "target": "25", "pace": None}  # fmt: skip
    checkin = {
        "user": "U0NEW", "team": "Sales East", "team_id": 1, "day": "2026-06-01", "scope": "day",
        "from": "2026-05-29", "to": "2026-05-29", "lines": [line], "stage": "onboarding",
        "cadence": "daily", "week": "2026-W23", "metrics": ["calls"], "plan": [], "share_week": False,
    }  # fmt: skip
    first = visible_text(render("checkin", "U0NEW", {**checkin, "first": True}))
    assert "Welcome to the team" in first and "Nothing logged" not in first and "Friday" not in first
    assert "Your daily goals" in first
    later = visible_text(render("checkin", "U0NEW", checkin))
    assert "Nothing logged for Friday" in later
