"""A 200-rep team, as its manager reads it in ``/team`` and on App Home, and as the channel reads its
public scoreboard: every message within what Slack accepts, the summary first, who needs a look next."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

from bot.domain.types import Metric, MetricKind, Period, Scoreboard, Stage, Unit
from bot.services.home import HomeView, ManagerHome
from bot.services.outcomes import ProgressLine, RepRow, TeamSummary, TeamTable
from bot.slack.messages import home, replies
from bot.slack.messages.home import home_view
from bot.slack.messages.replies import render
from bot.slack.messages.scheduled import text_size
from tests.support import blockkit
from tests.support.fakeslack import visible_text

CALLS = Metric("calls", "cold calls", MetricKind.ACTIVITY, Unit.COUNT)
DEMOS = Metric("presentations", "presentations", MetricKind.ACTIVITY, Unit.COUNT)
REVENUE = Metric("revenue", "revenue", MetricKind.RESULT, Unit.CURRENCY)
WEEK = date(2026, 11, 23)
TODAY = date(2026, 11, 26)
REPS = 200


def rep(i: int) -> RepRow:
    """Rep ``i``: most on pace; every 10th in support, every 7th behind on quota, every 25th yet to log,
    every 40th away; the even ones logged this week (Wednesday), the odd ones last (Friday)."""
    pace = 0.55 if i % 7 == 0 else 1.05
    progress = (
        ProgressLine(CALLS, Period.WEEK, Decimal(60 + i % 40), Decimal(100)),
        ProgressLine(DEMOS, Period.WEEK, Decimal(i % 6), Decimal(5)),
        ProgressLine(REVENUE, Period.MONTH, Decimal(1000 * i), Decimal(50_000), pace=pace),
    )
    return RepRow(
        user_id=f"U{i:010d}",
        progress=progress,
        stage=Stage.SUPPORT if i % 10 == 3 else Stage.STEADY,
        last_logged=None if i % 25 == 1 else date(2026, 11, 25) if i % 2 == 0 else date(2026, 11, 20),
        away=i % 40 == 39,
    )


ROWS = tuple(rep(i) for i in range(REPS))
LOGGED = sum(1 for i in range(REPS) if i % 2 == 0 and i % 25 != 1)  # 96: 26, 76, 126, 176 never did
NEEDS = {
    r.user_id for r in ROWS if r.stage is Stage.SUPPORT or r.progress[2].pace < 0.7 or r.last_logged is None
}


def table() -> TeamTable:
    return TeamTable("Sales Big", "C0BIG", WEEK, TODAY, ROWS, ("U0BOSS",))


def mentions(text: str) -> list[str]:
    return re.findall(r"<@(\w+)>", text)


def shown(message: dict) -> str:
    """What the blocks show (the fallback ``text`` repeats it for notifications)."""
    return visible_text({"blocks": message["blocks"]})


def accepted(message: dict, method: str) -> None:
    verdict = blockkit.review(method, {"channel": "C0BIG", "user": "U0BOSS", **message})
    assert verdict.refusal is None, verdict.detail


def test_a_managers_team_table_of_200_reps_fits_one_message_summary_first() -> None:
    message = render(table())
    for method in ("chat.postEphemeral", "response_url"):  # an ack body or a response_url post alike
        accepted(message, method)
    assert text_size(message["blocks"]) <= replies.BUDGET
    text = shown(message)
    first, summary = message["blocks"][0]["text"]["text"], message["blocks"][1]["text"]["text"]
    assert first.startswith("*Sales Big* — week of Mon 23 Nov")
    assert summary.startswith(f"*200 reps* · {LOGGED} logged this week · {len(NEEDS)} need a look · 5 away")
    # Who needs a look comes first, each with why; then everyone else, as far as one message goes.
    named = mentions(text)
    assert named[: len(NEEDS)] == [r.user_id for r in ROWS if r.user_id in NEEDS]
    assert f"*Needs a look* ({len(NEEDS)})" in text and f"*Everyone else* ({REPS - len(NEEDS)})" in text
    assert f"<@{ROWS[3].user_id}> — calls 63/100" in text and "in support" in text
    assert "revenue pace 55 %" in text and "nothing logged yet" in text
    [hidden] = re.findall(r"…and (\d+) more reps: `/team export` has everyone's numbers", text)
    assert len(named) + int(hidden) == REPS  # everyone is shown or counted, nobody twice
    assert len(set(named)) == len(named)


def test_a_small_teams_table_lists_everyone_with_the_counts_on_top() -> None:
    small = TeamTable("Sales East", "C0EAST", WEEK, TODAY, ROWS[:6], ("U0BOSS",))
    text = shown(render(small))
    assert "*6 reps* · 3 logged this week · 3 need a look" in text  # 0 behind, 1 yet to log, 3 in support
    assert mentions(text) == [f"U{i:010d}" for i in (0, 1, 3, 2, 4, 5)] and "more reps" not in text


def test_a_reps_view_of_a_200_rep_public_team_fits_one_message() -> None:
    summary = TeamSummary(
        "Sales Big",
        WEEK,
        TODAY,
        totals=((CALLS, Decimal(15_000)), (REVENUE, Decimal(2_000_000))),
        kudos=tuple(r.user_id for r in ROWS[::2]),
        scoreboard=Scoreboard.PUBLIC,
        public_rows=ROWS,
    )
    message = render(summary)
    accepted(message, "response_url")
    assert text_size(message["blocks"]) <= replies.BUDGET
    assert re.search(r"…and \d+ more reps", shown(message))


def test_a_managers_home_of_200_reps_opens_with_the_counts_and_who_needs_a_look() -> None:
    view = home_view(HomeView("U0BOSS", rep=None, manager=ManagerHome(1, table(), {ROWS[5].user_id: 2})))
    assert blockkit.view_problems(view) == []
    assert len(view["blocks"]) <= blockkit.VIEW_BLOCKS
    text = shown(view)
    assert f"*200 reps* · {LOGGED} logged this week" in text
    flagged = [r.user_id for r in ROWS if r.user_id in NEEDS or r.user_id == ROWS[5].user_id]
    assert len(flagged) > home.SHOWN  # more need a look than the Home holds: they fill it
    assert mentions(text) == flagged[: home.SHOWN]  # an open alert counts as needing a look too
    assert f"…and {REPS - home.SHOWN} more reps: `/team export` has everyone's numbers." in text
    coach = [b for b in view["blocks"] if b["type"] == "actions"]
    assert len(coach) == home.SHOWN  # each shown rep keeps Plan 1:1 / Mark 1:1 done
