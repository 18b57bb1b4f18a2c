"""What the clock's messages and the modals say, and that Slack would accept them.

Each case is a realistic outbox payload; the assertions read the message as a person would (the
visible text) and as Slack would (limits, ids, button values).
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from slack_sdk.models.blocks import Block
from slack_sdk.models.views import View

from bot.slack.messages.modals import log_activity_modal, share_answer_message, share_week_modal
from bot.slack.messages.scheduled import BUDGET, KINDS, MAX_ROW, render, text_size
from tests.support import blockkit
from tests.support.fakeslack import visible_text

# --- payload builders -----------------------------------------------------------------------


def line(metric: str, actual: str, target: str, period: str = "day", pace: float | None = None) -> dict:
    known = {
        "calls": ("cold calls", "count", False),
        "presentations": ("presentations", "count", False),
        "notes": ("thank-you notes", "count", False),
        "deals": ("deals closed", "count", True),
        "revenue": ("revenue", "currency", True),
    }
    label, unit, result = known[metric]
    return {
        "metric": metric,
        "label": label,
        "unit": unit,
        "result": result,
        "period": period,
        "actual": actual,
        "target": target,
        "pace": pace,
    }


def checkin(**over: Any) -> dict:
    payload = {
        "user": "U0REP1",
        "team": "Sales East",
        "team_id": 7,
        "day": "2026-11-27",
        "scope": "day",
        "from": "2026-11-26",
        "to": "2026-11-26",
        "lines": [
            line("calls", "17", "25"),
            line("notes", "10", "10"),
            line("presentations", "2", "5", "week"),
            line("revenue", "12000", "50000", "month", 0.52),
        ],
        "stage": "onboarding",
        "cadence": "daily",
        "week": "2026-W48",
        "metrics": ["calls", "notes", "presentations"],
        "share_week": False,
    }
    return {**payload, **over}


def standup(**over: Any) -> dict:
    payload = {
        "team": "Sales East",
        "team_id": 7,
        "week": "2026-W49",
        "last_week_start": "2026-11-23",
        "lines": [
            {"metric": "calls", "label": "cold calls", "unit": "count", "actual": "412", "target": "500"},
            {
                "metric": "notes",
                "label": "thank-you notes",
                "unit": "count",
                "actual": "260",
                "target": "250",
            },
            {
                "metric": "revenue",
                "label": "revenue",
                "unit": "currency",
                "actual": "48000.5",
                "target": None,
            },
        ],
        "kudos": ["U0ANA", "U0BEN"],
        "scoreboard": "kudos-only",
        "rows": [],
    }
    return {**payload, **over}


AGENDA = {
    "weeks": [
        {"week_start": "2026-11-16", "lines": [line("calls", "98", "125"), line("notes", "50", "50")]},
        {"week_start": "2026-11-23", "lines": [line("calls", "80", "125"), line("notes", "41", "50")]},
    ],
    "quota": [line("revenue", "12000", "50000", "month", 0.52)],
    "trend": "down",
    "help": "Pricing objections — they all ask for a discount",
    "help_week": "2026-W48",
}

QUOTA = {
    "rep": "U0REP1",
    "team": "Sales East",
    "metric": "revenue",
    "label": "revenue",
    "unit": "currency",
    "period": "month",
    "period_key": "2026-11",
    "actual": "12000",
    "target": "50000",
    "pace": 0.52,
    "expected": "23000",
    "elapsed": 0.46,
}

KUDOS = {
    "rep": "U0REP1",
    "team": "Sales East",
    "metric": "presentations",
    "label": "presentations",
    "unit": "count",
    "period": "week",
    "period_key": "2026-W48",
    "actual": "6",
    "target": "5",
}

# id, kind, target, payload, must say, must not say
CASES: list[tuple[str, str, str, dict, list[str], list[str]]] = [
    (
        "checkin-daily-some-behind",
        "checkin",
        "U0REP1",
        checkin(),
        [
            "Yesterday (Thu 26 Nov)",
            "8 cold calls short of 25",
            "cold calls 17/25",
            "thank-you notes 10/10 ✅",
            "This week so far",
            "presentations 2/5",
            "This month so far",
            "revenue $12,000/$50,000",
            "pace 52 %",
            "You're in onboarding: I check in each working day. `/checkin` to see why.",
        ],
        ["just checking in", "yesterday (Thu 26 Nov)"],
    ),
    (
        "checkin-monday-looks-at-friday-all-met",
        "checkin",
        "U0REP1",
        checkin(
            day="2026-11-30",
            **{"from": "2026-11-27", "to": "2026-11-27"},
            lines=[line("calls", "25", "25"), line("notes", "12", "10")],
            share_week=True,
        ),
        ["Friday (27 Nov)", "every goal", "25 cold calls", "12 thank-you notes", "Great work"],
        ["Yesterday", "short of"],
    ),
    (
        "checkin-nothing-logged",
        "checkin",
        "U0REP1",
        checkin(lines=[line("calls", "0", "25"), line("notes", "0", "10")]),
        ["Nothing logged for yesterday", "log it below so it counts", "cold calls 0/25"],
        ["Great work"],
    ),
    (
        "checkin-no-target-shows-actual-alone",
        "checkin",
        "U0REP1",
        checkin(lines=[line("calls", "12", "0")]),
        ["cold calls 12", "you logged 12 cold calls"],
        ["12/0", "short of"],
    ),
    (
        "checkin-weekly-steady",
        "checkin",
        "U0REP1",
        checkin(
            day="2026-11-30",
            scope="week",
            **{"from": "2026-11-23", "to": "2026-11-29"},
            stage="steady",
            cadence="weekly",
            lines=[
                line("calls", "112", "125"),
                line("presentations", "6", "5", "week"),
                line("revenue", "40000", "50000", "month", 0.9),
            ],
            share_week=True,
        ),
        [
            "Last week (23–29 Nov)",
            "13 cold calls short of 125",
            "presentations 6/5 ✅",
            "This month so far",
            "You're steady: I check in once a week.",
        ],
        [],
    ),
    (
        "checkin-monthly-autonomous",
        "checkin",
        "U0REP1",
        checkin(
            day="2026-12-01",
            scope="month",
            **{"from": "2026-11-01", "to": "2026-11-30"},
            stage="autonomous",
            cadence="monthly",
            lines=[line("revenue", "52000", "50000", "month", 1.04), line("deals", "5", "4", "month", 1.25)],
        ),
        ["*November*", "In November you hit every goal", "$52,000 in revenue", "5 deals closed", "once a month"],
        [],
    ),
    (
        "checkin-pinned-cadence",
        "checkin",
        "U0REP1",
        checkin(stage="steady", cadence="daily"),
        ["your manager asked me to check in each working day"],
        [],
    ),
    (
        "standup-kudos-only",
        "standup",
        "C0SALES",
        standup(),
        [
            "Weekly standup — Sales East",
            "Last week (23–29 Nov)",
            "cold calls 412/500",
            "thank-you notes 260/250 ✅",
            "revenue $48,000.50",
            "👏",
            "On track last week:",
            "<@U0ANA>",
            "<@U0BEN>",
            "wins",
            "focus",
            "could use a hand",
        ],
        ["412/500 ✅", "revenue $48,000.50/"],
    ),
    (
        "standup-nobody-on-track",
        "standup",
        "C0SALES",
        standup(kudos=[]),
        ["Weekly standup — Sales East", "clean slate"],
        ["On track last week", "<@"],
    ),
    (
        "standup-public-scoreboard",
        "standup",
        "C0SALES",
        standup(
            scoreboard="public",
            kudos=["U0ANA"],
            rows=[
                {"user": "U0ANA", "totals": {"calls": "130", "revenue": "30000"}},
                {"user": "U0BEN", "totals": {"calls": "90"}},
                {"user": "U0CAL", "totals": {}},
            ],
        ),
        [
            "<@U0ANA> — cold calls 130 · revenue $30,000",
            "<@U0BEN> — cold calls 90",
            "<@U0CAL> — nothing logged",
        ],
        [],
    ),
    (
        "standup-public-scoreboard-of-a-big-team",
        "standup",
        "C0SALES",
        standup(
            scoreboard="public",
            kudos=["U0ANA"],
            board={
                "reps": 120,
                "logged": 97,
                "parts": 3,
                "leaders": [
                    {"metric": "calls", "top": [["U0ANA", "180"], ["U0BEN", "171"], ["U0CAL", "150"]]},
                    {"metric": "revenue", "top": [["U0DAN", "52000.5"]]},
                ],
            },
        ),
        [
            "Scoreboard:* 97 of 120 reps logged activity last week",
            "Each rep's numbers are in this thread",
            "🏆 Most cold calls: <@U0ANA> 180 · <@U0BEN> 171 · <@U0CAL> 150",
            "🏆 Most revenue: <@U0DAN> $52,000.50",
            "<@U0ANA>",  # kudos stay in the standup
        ],
        ["nothing logged", "— cold calls"],
    ),
    (
        "standup-board-part-in-the-thread",
        "standup_board",
        "C0SALES",
        {
            "team": "Sales East",
            "team_id": 7,
            "week": "2026-W49",
            "last_week_start": "2026-11-23",
            "lines": standup()["lines"],
            "rows": [
                {"user": "U0ANA", "totals": {"calls": "130", "revenue": "30000"}},
                {"user": "U0CAL", "totals": {}},
            ],
            "part": 2,
            "parts": 3,
            "thread_of": {"kind": "standup", "subject": "team:7", "period": "2026-W49"},
            "thread_ts": "1700000000.000100",
        },
        [
            "Each rep last week (23–29 Nov)* — 2 of 3",
            "<@U0ANA> — cold calls 130 · revenue $30,000",
            "<@U0CAL> — nothing logged",
        ],
        ["Share my week", "Weekly standup"],
    ),
    (
        "one-on-one-cadence",
        "one_on_one",
        "U0MGR",
        {"rep": "U0REP1", "team": "Sales East", "stage": "steady", "reason": "cadence", "alert": None, "agenda": AGENDA},
        [
            "Time for a 1:1 with <@U0REP1>",
            "Week of Mon 16 Nov: cold calls 98/125 · thank-you notes 50/50 ✅",
            "Week of Mon 23 Nov: cold calls 80/125 · thank-you notes 41/50",
            "revenue $12,000 of $50,000",
            "pace 52 %",
            "down on the week before",
            "> Pricing objections — they all ask for a discount",
            "every 2 weeks",
        ],
        [],
    ),
    (
        "one-on-one-no-help-answer-no-trend",
        "one_on_one",
        "U0MGR",
        {
            "rep": "U0REP1",
            "team": "Sales East",
            "stage": "onboarding",
            "reason": "cadence",
            "alert": None,
            "agenda": {**AGENDA, "trend": None, "help": None, "help_week": None, "quota": []},
        },
        ["Time for a 1:1 with <@U0REP1>", "No “Where I could use help” answer yet", "every week"],
        ["Trend", "Quota"],
    ),
    (
        "quota-alert-with-agenda",
        "quota_alert",
        "U0MGR",
        {**QUOTA, "stage": "onboarding", "agenda": AGENDA},
        [
            "<@U0REP1> is at 52 % of quota pace for November: $12,000 of $23,000 expected by now ($50,000 quota)",
            "46 % of the month's working days gone",
            "1:1 now",
            "cold calls 80/125",
            "Pricing objections",
            "Private",
        ],
        [],
    ),
    (
        "quota-alert-deals-no-agenda",
        "quota_alert",
        "U0MGR",
        {
            **QUOTA,
            "metric": "deals",
            "label": "deals closed",
            "unit": "count",
            "actual": "2",
            "expected": "4",
            "target": "8",
            "pace": 0.5,
            "period": "quarter",
            "period_key": "2026-Q4",
        },
        ["50 % of quota pace for Q4: 2 of 4 deals closed expected by now (quota 8)"],
        ["Activity vs goals"],
    ),
    (
        "quiet-with-last-day",
        "quiet",
        "U0MGR",
        {"rep": "U0REP1", "team": "Sales East", "days": 3, "last_logged": "2026-11-23", "stage": "onboarding"},
        ["<@U0REP1> hasn't logged anything for 3 working days (last: Mon 23 Nov)", "onboarding"],
        ["just checking in"],
    ),
    (
        "quiet-never",
        "quiet",
        "U0MGR",
        {"rep": "U0REP1", "team": "Sales East", "days": 4, "last_logged": None, "stage": "support"},
        ["for 4 working days (last: never)"],
        [],
    ),
    (
        "period-end-made",
        "period_end",
        "U0MGR",
        {**QUOTA, "actual": "52000", "pace": 1.04, "made": True},
        ["<@U0REP1> made their November quota: $52,000 of $50,000 (104 %)", "🎉"],
        ["missed"],
    ),
    (
        "period-end-missed",
        "period_end",
        "U0MGR",
        {**QUOTA, "actual": "38000", "pace": 0.76, "made": False},
        ["<@U0REP1> missed their November quota: $38,000 of $50,000 (76 %), $12,000 short"],
        ["🎉"],
    ),
    (
        "back-on-track-to-rep",
        "back_on_track",
        "U0REP1",
        {**QUOTA, "actual": "20000", "pace": 0.85},
        ["You're back on pace for your November quota — 85 %", "$20,000 of $23,000 expected by now"],
        ["<@U0REP1>"],
    ),
    (
        "back-on-track-to-manager",
        "back_on_track",
        "U0MGR",
        {**QUOTA, "actual": "20000", "pace": 0.85},
        ["<@U0REP1> is back on track: 85 % of quota pace for November"],
        ["You're back"],
    ),
    (
        "kudos-weekly-goal",
        "kudos",
        "U0REP1",
        KUDOS,
        ["You hit your weekly goal of 5 presentations — 6 so far 🎉"],
        ["quota"],
    ),
    (
        "kudos-monthly-revenue-quota",
        "kudos",
        "U0REP1",
        {**KUDOS, "metric": "revenue", "label": "revenue", "unit": "currency", "period": "month",
         "period_key": "2026-11", "actual": "52000", "target": "50000"},
        ["You've hit your November quota of $50,000 — $52,000 so far 🎉"],
        ["goal of"],
    ),
    (
        "kudos-quarterly-deals-quota",
        "kudos",
        "U0REP1",
        {**KUDOS, "metric": "deals", "label": "deals closed", "period": "quarter", "period_key": "2026-Q4",
         "actual": "9", "target": "8"},
        ["You've hit your Q4 quota of 8 deals closed — 9 so far"],
        [],
    ),
    (
        "stage-support-to-the-rep",
        "stage_change",
        "U0REP1",
        {"rep": "U0REP1", "team": "Sales East", "from": "steady", "to": "support", "pinned": None,
         "reason": "off track 2 weeks in a row: calls at 40 % of goal 2 weeks running"},
        ["I'm going to check in each working day for a while (off track 2 weeks in a row: calls at 40 % of goal 2 weeks running)"],
        ["<@U0REP1>"],
    ),
    (
        "stage-recovered-to-the-rep",
        "stage_change",
        "U0REP1",
        {"rep": "U0REP1", "team": "Sales East", "from": "support", "to": "steady", "pinned": None,
         "reason": "back on track 2 weeks in a row"},
        ["You're back on track (back on track 2 weeks in a row) — I'll step back to checking in once a week."],
        [],
    ),
    (
        "stage-autonomous-to-the-manager",
        "stage_change",
        "U0MGR",
        {"rep": "U0REP1", "team": "Sales East", "from": "steady", "to": "autonomous", "pinned": None,
         "reason": "8 on-track weeks in a row while steady"},
        ["<@U0REP1> moved from steady to *autonomous*: 8 on-track weeks in a row while steady.",
         "The bot now checks in on them once a month."],
        ["You've"],
    ),
    (
        "support-plan-to-the-rep",
        "support_plan",
        "U0REP1",
        {"rep": "U0REP1", "manager": "U0MGR", "team": "Sales East", "team_id": 1,
         "items": [["cold calls", "30", "day"], ["presentations", "1", "week"]], "until": "2026-12-14"},
        ["In your 1:1 with <@U0MGR> you agreed: 30 cold calls a day and 1 presentation a week, until Mon 14 Dec.",
         "step back as soon as results recover"],
        ["presentations a week"],
    ),
    (
        "meeting-reminder-in-the-channel",
        "meeting",
        "C0SALES",
        standup(meeting_day="2026-12-03", meeting_time="16:00", tz="America/New_York",
                url="https://zoom.us/j/123?pwd=a&b", wins=[{"user": "U0ANA", "text": "Closed Acme", "week": "2026-W49"}],
                wins_more=0, help=[{"user": "U0BEN", "text": "Pricing objections", "week": "2026-W49"}], help_more=0),
        ["Team meeting in 15 minutes — Sales East", "Thu 3 Dec, 16:00", "Join the meeting",
         "cold calls 412/500", "On track last week: <@U0ANA>, <@U0BEN>", "<@U0ANA> — Closed Acme",
         "Where reps could use help", "<@U0BEN> — Pricing objections"],
        ["short of", "Each rep"],
    ),
]  # fmt: skip


def test_every_kind_has_a_case() -> None:
    assert {kind for _, kind, *_ in CASES} == KINDS


@pytest.mark.parametrize(
    ("kind", "target", "payload", "says", "never"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_message_says_what_matters(kind, target, payload, says, never) -> None:  # fmt: skip
    message = render(kind, target, payload)
    shown = visible_text(message)
    for text in says:
        assert text in shown, f"{text!r} not in:\n{shown}"
    for text in never:
        assert text not in shown, f"{text!r} in:\n{shown}"
    assert_valid_message(message)


@pytest.mark.parametrize(("kind", "target", "payload"), [c[1:4] for c in CASES], ids=[c[0] for c in CASES])
def test_payload_survives_the_outbox_round_trip(kind, target, payload) -> None:
    """The outbox stores payloads as JSON; rendering from the stored copy gives the same message."""
    assert render(kind, target, json.loads(json.dumps(payload))) == render(kind, target, payload)


def test_unknown_kind_is_refused() -> None:
    with pytest.raises(ValueError, match="nudge"):
        render("nudge", "U0REP1", {})


# --- buttons ----------------------------------------------------------------------------------


def buttons(message: dict) -> dict[str, dict]:
    out = {}
    for block in message["blocks"]:
        if block["type"] == "actions":
            for element in block["elements"]:
                assert element["action_id"] not in out
                out[element["action_id"]] = json.loads(element["value"])
    return out


def test_checkin_buttons_carry_the_ids_the_listeners_need() -> None:
    assert buttons(render("checkin", "U0REP1", checkin(share_week=True))) == {
        "log_activity": {"team_id": 7, "metrics": ["calls", "notes", "presentations"]},
        "share_week": {"team_id": 7, "week": "2026-W48"},
    }


def test_checkin_offers_share_my_week_only_when_relevant() -> None:
    assert set(buttons(render("checkin", "U0REP1", checkin(share_week=False)))) == {"log_activity"}


def test_standup_button_shares_this_week() -> None:
    assert buttons(render("standup", "C0SALES", standup())) == {
        "share_week": {"team_id": 7, "week": "2026-W49"}
    }


@pytest.mark.parametrize(
    "kind", ["one_on_one", "quota_alert", "quiet", "period_end", "back_on_track", "kudos"]
)
def test_other_messages_carry_no_buttons(kind: str) -> None:
    for _, k, target, payload, *_ in CASES:
        if k == kind:
            assert buttons(render(k, target, payload)) == {}


# --- praise in public, help in private --------------------------------------------------------


def mentions(message: dict) -> set[str]:
    return set(re.findall(r"<@(\w+)>", json.dumps(message, ensure_ascii=False)))


def test_kudos_only_standup_never_names_a_rep_who_missed() -> None:
    payload = standup(
        kudos=["U0ANA"],
        scoreboard="kudos-only",
        rows=[  # the clock sends no rows for kudos-only teams; even if it did, they stay private
            {"user": "U0ANA", "totals": {"calls": "130"}},
            {"user": "U0BEN", "totals": {"calls": "12"}},
        ],
    )
    message = render("standup", "C0SALES", payload)
    assert mentions(message) == {"U0ANA"}
    assert " 12" not in visible_text(message)


def test_kudos_only_standup_with_nobody_on_track_names_nobody() -> None:
    message = render(
        "standup", "C0SALES", standup(kudos=[], rows=[{"user": "U0BEN", "totals": {"calls": "3"}}])
    )
    assert mentions(message) == set()


# --- user text is escaped ---------------------------------------------------------------------

NASTY = "Ping <!channel> & <@U0BOSS> <https://evil.example|click>"


def test_user_text_in_the_agenda_is_escaped() -> None:
    payload = {**QUOTA, "team": "R&D <West>", "agenda": {**AGENDA, "help": NASTY}}
    message = render("quota_alert", "U0MGR", payload)
    shown = visible_text(message)
    assert "&lt;!channel&gt; &amp; &lt;@U0BOSS&gt; &lt;https://evil.example|click&gt;" in shown
    assert "R&amp;D &lt;West&gt;" in shown
    assert "<!channel>" not in json.dumps(message)
    assert "U0BOSS" not in mentions(message)


def test_team_name_is_escaped_in_mrkdwn_but_kept_in_plain_text_header() -> None:
    message = render("standup", "C0SALES", standup(team="R&D <West>"))
    assert message["blocks"][0]["text"] == {
        "type": "plain_text",
        "text": "Weekly standup — R&D <West>",
        "emoji": True,
    }
    assert "R&amp;D &lt;West&gt;" in message["text"]


def test_a_long_help_answer_is_clipped_without_breaking_an_entity() -> None:
    payload = {"rep": "U0REP1", "team": "T", "stage": "steady", "reason": "cadence", "alert": None,
               "agenda": {**AGENDA, "help": "&" * 3000}}  # fmt: skip
    message = render("one_on_one", "U0MGR", payload)
    assert_valid_message(message)
    quoted = next(
        b["text"]["text"] for b in message["blocks"] if "Where I could use help" in b["text"]["text"]
    )
    assert quoted.endswith("&amp;…")


# --- size limits ------------------------------------------------------------------------------


def big_standup(reps: int) -> dict:
    users = [f"U{i:08d}" for i in range(reps)]
    rows = [
        {
            "user": u,
            "totals": {"calls": str(100 + i), "notes": str(40 + i % 7), "revenue": str(1000 * i + 0.5)},
        }
        for i, u in enumerate(users)
    ]
    return standup(scoreboard="public", kudos=users[::2], rows=rows)


def test_a_scoreboard_part_of_50_reps_with_long_lines_stays_well_under_slacks_limit() -> None:
    # The clock puts 50 reps in a part; each rep's line is cut at MAX_ROW, so even a team that logs
    # ten metrics with long names can't take a part near msg_blocks_too_long.
    labels = [f"long metric name number {i}" for i in range(10)]
    lines = [{"metric": f"m{i}", "label": label, "unit": "count"} for i, label in enumerate(labels)]
    rows = [{"user": f"U{i:010d}", "totals": {f"m{k}": "123456" for k in range(10)}} for i in range(50)]
    payload = {**big_standup(0), "lines": lines, "rows": rows, "part": 1, "parts": 1}
    message = render("standup_board", "C0SALES", payload)
    assert_valid_message(message)
    assert text_size(message["blocks"]) <= 50 * MAX_ROW + 200
    assert mentions(message) == {f"U{i:010d}" for i in range(50)}  # everyone, cut lines or not


def test_inline_rows_past_the_budget_end_in_and_n_more() -> None:
    # The clock sends at most 25 rows inline; rendered by themselves, more are cut, never refused.
    message = render("standup", "C0SALES", big_standup(200))
    assert_valid_message(message)
    assert text_size(message["blocks"]) <= BUDGET
    assert re.search(r"…and \d+ more", visible_text(message))
    assert buttons(message) == {"share_week": {"team_id": 7, "week": "2026-W49"}}


def test_a_huge_standup_truncates_with_and_n_more_but_keeps_the_button() -> None:
    message = render("standup", "C0SALES", big_standup(3000))
    assert_valid_message(message)
    assert re.search(r"…and \d+ more", visible_text(message))
    assert "share_week" in buttons(message)


def test_many_lines_in_a_checkin_still_fit() -> None:
    lines = [line("calls", str(i), "25") for i in range(300)]
    message = render("checkin", "U0REP1", checkin(lines=lines))
    assert_valid_message(message)
    assert "log_activity" in buttons(message)


# --- modals -----------------------------------------------------------------------------------


def test_share_week_modal() -> None:
    view = share_week_modal(team_id=7, week="2026-W49", team="Sales East")
    assert_valid_view(view)
    assert view["callback_id"] == "share_week"
    assert json.loads(view["private_metadata"]) == {"team_id": 7, "week": "2026-W49"}
    assert (view["title"]["text"], view["submit"]["text"], view["close"]["text"]) == (
        "Share my week",
        "Share",
        "Cancel",
    )
    inputs = {b["block_id"]: b for b in view["blocks"] if b["type"] == "input"}
    assert list(inputs) == ["wins", "focus", "help"]
    assert [b["label"]["text"] for b in inputs.values()] == [
        "Wins last week",
        "Focus this week",
        "Where I could use help",
    ]
    assert [b.get("optional", False) for b in inputs.values()] == [False, False, True]
    for block in inputs.values():
        element = block["element"]
        assert element["type"] == "plain_text_input"
        assert (element["action_id"], element["multiline"], element["max_length"]) == ("value", True, 1000)
        assert "initial_value" not in element


def test_share_week_modal_prefills_a_previous_answer() -> None:
    view = share_week_modal(
        team_id=7,
        week="2026-W49",
        team="R&D <West>",
        previous={"wins": "Closed Acme", "focus": "x" * 1500, "help": ""},
    )
    assert_valid_view(view)
    inputs = {b["block_id"]: b["element"] for b in view["blocks"] if b["type"] == "input"}
    assert inputs["wins"]["initial_value"] == "Closed Acme"
    assert len(inputs["focus"]["initial_value"]) == 1000
    assert "initial_value" not in inputs["help"]
    assert "R&amp;D &lt;West&gt;" in visible_text(view)


METRICS = [
    {"key": "calls", "label": "cold calls", "unit": "count"},
    {"key": "notes", "label": "thank-you notes", "unit": "count"},
    {"key": "revenue", "label": "revenue", "unit": "currency"},
]


def test_log_activity_modal() -> None:
    view = log_activity_modal(team_id=7, metrics=METRICS, today="2026-11-27")
    assert_valid_view(view)
    assert view["callback_id"] == "log_activity"
    assert json.loads(view["private_metadata"]) == {"team_id": 7}
    assert (view["title"]["text"], view["submit"]["text"]) == ("Log activity", "Log")
    blocks = {b["block_id"]: b for b in view["blocks"]}
    assert list(blocks) == ["metric:calls", "metric:notes", "metric:revenue", "day", "note"]
    for key in ("calls", "notes", "revenue"):
        block = blocks[f"metric:{key}"]
        assert block["optional"] is True
        element = block["element"]
        assert (element["type"], element["action_id"], element["min_value"]) == ("number_input", "value", "0")
        assert element["is_decimal_allowed"] is (key == "revenue")
    assert blocks["metric:calls"]["label"]["text"] == "Cold calls"
    day = blocks["day"]["element"]
    assert (day["type"], day["action_id"], day["initial_date"]) == ("datepicker", "value", "2026-11-27")
    assert blocks["day"].get("optional", False) is False
    note = blocks["note"]
    assert note["optional"] is True
    assert (note["element"]["type"], note["element"]["action_id"], note["element"]["max_length"]) == (
        "plain_text_input",
        "value",
        500,
    )


def test_share_answer_message_escapes_and_omits_empty_answers() -> None:
    message = share_answer_message(user_id="U0ANA", wins="Closed <Acme> & Co", focus="", help="  ")
    assert_valid_message(message)
    shown = visible_text(message)
    assert "<@U0ANA>" in shown
    assert "Wins last week" in shown and "> Closed &lt;Acme&gt; &amp; Co" in shown
    assert "Focus this week" not in shown and "Where I could use help" not in shown
    assert "<Acme>" not in json.dumps(message)


def test_share_answer_message_with_all_three_answers() -> None:
    message = share_answer_message(
        user_id="U0ANA", wins="Acme signed", focus="Two demos\nFollow-ups", help="Pricing"
    )
    assert_valid_message(message)
    shown = visible_text(message)
    for text in ("Wins last week", "> Acme signed", "Focus this week", "> Two demos\n> Follow-ups", "Where I could use help", "> Pricing"):  # fmt: skip
        assert text in shown


def test_share_answer_message_keeps_long_escaped_answers_inside_limits() -> None:
    message = share_answer_message(user_id="U0ANA", wins="<" * 1000, focus="&\n" * 500, help="x" * 1000)
    assert_valid_message(message)


# --- structural validation --------------------------------------------------------------------


def assert_valid_blocks(blocks: list[dict]) -> None:
    """Slack's limits, checked here and by slack_sdk's own models (which also catch unknown keys)."""
    block_ids = [b["block_id"] for b in blocks if "block_id" in b]
    assert len(block_ids) == len(set(block_ids)), f"duplicate block_id in {block_ids}"
    for block in blocks:
        kind = block["type"]
        if kind == "section":
            assert block["text"]["type"] == "mrkdwn"
            assert 0 < len(block["text"]["text"]) <= 3000
        elif kind == "header":
            assert block["text"]["type"] == "plain_text"
            assert 0 < len(block["text"]["text"]) <= 150
        elif kind == "context":
            assert 0 < len(block["elements"]) <= 10
            assert all(0 < len(e["text"]) <= 3000 for e in block["elements"])
        elif kind == "actions":
            assert 0 < len(block["elements"]) <= 25
            action_ids = [e["action_id"] for e in block["elements"]]
            assert len(action_ids) == len(set(action_ids))
            for element in block["elements"]:
                assert element["type"] == "button"
                assert len(element["text"]["text"]) <= 75
                assert len(element["value"]) <= 2000
                json.loads(element["value"])
        elif kind == "input":
            assert len(block["label"]["text"]) <= 2000
            element = block["element"]
            assert element["action_id"] == "value"
            if element["type"] == "plain_text_input":
                assert 0 < element["max_length"] <= 3000
                assert len(element.get("initial_value", "")) <= element["max_length"]
            if element["type"] == "number_input":
                assert all(isinstance(element[k], str) for k in ("min_value", "max_value") if k in element)
        else:
            raise AssertionError(f"unexpected block type {kind}")
        parsed = Block.parse(block)
        assert parsed is not None, block
        assert parsed.to_dict() == block  # validates, and nothing slack_sdk doesn't know was dropped


def assert_valid_message(message: dict) -> None:
    assert set(message) == {"text", "blocks"}
    assert 0 < len(message["text"]) <= 3000
    assert 0 < len(message["blocks"]) <= 50
    assert_valid_blocks(message["blocks"])
    verdict = blockkit.review("chat.postMessage", {"channel": "C0SALES", **message})
    assert verdict.refusal is None, verdict.detail  # what the fake Slack, and Slack, would answer


def assert_valid_view(view: dict) -> None:
    assert view["type"] == "modal"
    for key in ("title", "submit", "close"):
        assert view[key]["type"] == "plain_text"
        assert 0 < len(view[key]["text"]) <= 24
    assert len(view["callback_id"]) <= 255
    assert len(view["private_metadata"]) <= 3000
    assert 0 < len(view["blocks"]) <= 100
    assert_valid_blocks(view["blocks"])
    View(**view).validate_json()
    assert blockkit.view_problems(view) == []
