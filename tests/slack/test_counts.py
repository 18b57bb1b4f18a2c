"""Counts read right: "1 presentation short", "2 presentations", "1 thank-you note", "1 deal"."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from bot.domain.types import DEFAULT_METRICS, Period, Unit
from bot.services.outcomes import GoalsChanged, GoalView, Logged
from bot.services.teams import Export
from bot.slack.messages import format as f
from bot.slack.messages.replies import render as reply
from bot.slack.messages.scheduled import render as scheduled
from tests.support.fakeslack import visible_text

D = Decimal
METRIC = {m.key: m for m in DEFAULT_METRICS}
TODAY = date(2026, 11, 27)


@pytest.mark.parametrize(
    ("label", "value", "reads"),
    [
        ("presentations", 1, "presentation"),
        ("presentations", 2, "presentations"),
        ("presentations", 0, "presentations"),
        ("presentations", D("1.5"), "presentations"),
        ("presentations", D("1.0"), "presentation"),
        ("presentations", "1", "presentation"),
        ("thank-you notes", 1, "thank-you note"),
        ("cold calls", 1, "cold call"),
        ("deals", 1, "deal"),
        ("deals", 2, "deals"),
        ("deals closed", 1, "deal closed"),
        ("deals won", 1, "deal won"),
        ("referral replies", 1, "referral reply"),
        ("pitches", 1, "pitch"),
        ("site visits with coaches", 1, "site visits with coach"),
        ("inboxes", 1, "inbox"),
        ("addresses", 1, "address"),
        ("follow-up emails", 1, "follow-up email"),
        ("entries", 1, "entry"),
        ("business", 1, "business"),
        ("revenue", 1, "revenue"),
        ("LinkedIn DMs", 1, "LinkedIn DM"),
        ("ENTRIES", 1, "ENTRY"),
        ("x", 1, "x"),
        ("presentations", "not a number", "presentations"),
    ],
)
def test_a_label_reads_singular_for_exactly_one(label, value, reads) -> None:
    assert f.noun(label, value) == reads


def test_money_keeps_its_name() -> None:
    assert f.noun("bookings", 1, Unit.CURRENCY) == "bookings"


def test_logged_items_read_singular_for_one() -> None:
    deals, revenue = METRIC["deals"], METRIC["revenue"]
    assert f.items([(deals, D(1)), (revenue, D(12000))]) == "1 deal, $12,000 revenue"
    assert f.items([(deals, D(2)), (METRIC["notes"], D(1))]) == "2 deals, 1 note"


def _logged(*items) -> str:
    outcome = Logged(items=items, day=TODAY, today=TODAY, note=None, progress=(), team_name="Sales East")
    return visible_text(reply(outcome))


def test_a_log_reply_says_1_deal_and_2_deals() -> None:
    assert "Logged 1 deal for today" in _logged((METRIC["deals"], D(1)))
    assert "Logged 2 deals for today" in _logged((METRIC["deals"], D(2)))
    assert "1 deals" not in _logged((METRIC["deals"], D(1)), (METRIC["revenue"], D(1)))
    assert "Logged 1 deal, $1 revenue" in _logged((METRIC["deals"], D(1)), (METRIC["revenue"], D(1)))


def test_a_replaced_goal_reads_singular_for_one() -> None:
    deals = METRIC["deals"]
    outcome = GoalsChanged(
        targets=("U0ANA",),
        team_name="Sales East",
        set=(GoalView(deals, Period.MONTH, D(2), inherited=False),),
        replaced=(GoalView(deals, Period.MONTH, D(1), inherited=False),),
    )
    assert "Replaces 1 deal/month from now on" in visible_text(reply(outcome))


def test_an_export_of_one_entry() -> None:
    export = Export(user_id="U0M", team_name="Sales East", filename="x.csv", title="X", content=b"", rows=1)
    assert "Exporting 1 entry —" in visible_text(reply(export))


def _line(metric: str, actual: str, target: str, period: str = "day") -> dict:
    m = METRIC[metric]
    return {
        "metric": m.key,
        "label": m.label,
        "unit": m.unit.value,
        "result": m.is_result,
        "period": period,
        "actual": actual,
        "target": target,
        "pace": None,
    }


def _checkin(*lines: dict) -> str:
    payload = {
        "user": "U0REP1",
        "team": "Sales East",
        "team_id": 7,
        "day": "2026-11-27",
        "scope": "day",
        "from": "2026-11-26",
        "to": "2026-11-26",
        "lines": list(lines),
        "stage": "onboarding",
        "cadence": "daily",
        "week": "2026-W48",
        "metrics": [ln["metric"] for ln in lines],
        "share_week": False,
    }
    return visible_text(scheduled("checkin", "U0REP1", payload))


def test_a_check_in_says_1_presentation_short() -> None:
    text = _checkin(_line("presentations", "4", "5"), _line("notes", "9", "10"))
    assert "1 presentation short of 5" in text
    assert "1 thank-you note short of 10" in text
    assert "presentations short" not in text


def test_a_check_in_says_2_presentations_short() -> None:
    assert "2 presentations short of 5" in _checkin(_line("presentations", "3", "5"))


def test_a_check_in_of_one_logged_thank_you_note() -> None:
    assert "you logged 1 thank-you note." in _checkin(_line("notes", "1", "0"))


def test_kudos_for_a_goal_of_one() -> None:
    payload = {
        "rep": "U0REP1",
        "team": "Sales East",
        **_line("presentations", "1", "1", "week"),
        "period_key": "2026-W48",
    }
    assert "your weekly goal of 1 presentation — 1 so far" in visible_text(
        scheduled("kudos", "U0REP1", payload)
    )


def test_a_missed_quota_one_deal_short() -> None:
    payload = {
        "rep": "U0REP1",
        "team": "Sales East",
        **_line("deals", "3", "4", "month"),
        "period_key": "2026-11",
        "made": False,
    }
    text = visible_text(scheduled("period_end", "U0MGR", payload))
    assert "3 deals closed of 4 deals closed (75 %), 1 deal closed short" in text
