"""The App Home tab: progress with readable bars, streak and stage for a rep; the team table for a manager."""

from __future__ import annotations

import json
from typing import Any

from bot.domain.types import Period
from bot.services.home import HomeView, ManagerHome, RepHome
from bot.services.outcomes import ProgressLine, esc
from bot.slack.messages import format as f
from bot.slack.messages import roster, self_starter

Block = dict[str, Any]
MAX_BLOCKS = 100  # Slack's limit for a Home tab view
SHOWN = (MAX_BLOCKS - 14) // 2  # reps on a manager's Home, two blocks each: the rest of it holds the rest

PERIOD_TITLE = {
    Period.DAY: "Today",
    Period.WEEK: "This week",
    Period.MONTH: "This month",
    Period.QUARTER: "This quarter",
}
CADENCE_WORDS = {"daily": "each working day", "weekly": "once a week", "monthly": "once a month"}


def _section(text: str) -> Block:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text[:3000]}}


def _context(text: str) -> Block:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": text[:3000]}]}


def _button(text: str, action_id: str, value: dict, *, primary: bool = False) -> Block:
    b: Block = {
        "type": "button",
        "text": {"type": "plain_text", "text": text},
        "action_id": action_id,
        "value": json.dumps(value, separators=(",", ":")),
    }
    if primary:
        b["style"] = "primary"
    return b


def _bar_line(line: ProgressLine) -> str:
    m = line.metric
    if line.target <= 0:
        return f"`{f.bar(None)}` {m.label}: {f.amount(line.actual, m)} (no goal this {line.period.value})"
    text = f"`{f.bar(line.ratio)}` {m.label}: *{f.amount(line.actual, m)}* of {f.target(line.target, m)}"
    if line.met:
        text += " ✅"
    elif line.pace is not None:
        text += f" · pace {f.percent(line.pace)}"
    return text


def _rep_blocks(rep: RepHome) -> list[Block]:
    blocks: list[Block] = [
        {"type": "header", "text": {"type": "plain_text", "text": f"Your numbers — {rep.team_name}"[:150]}}
    ]
    for period in (Period.DAY, Period.WEEK, Period.MONTH, Period.QUARTER):
        lines = [ln for ln in rep.progress if ln.period is period]
        if lines:
            blocks.append(_section(f"*{PERIOD_TITLE[period]}*\n" + "\n".join(_bar_line(ln) for ln in lines)))
    if rep.from_crm:
        blocks.append(_context(":electric_plug: Counted in: " + f.from_crm(rep.from_crm)))
    if not rep.progress:
        blocks.append(
            _section("No goals yet — your manager agrees them with you and records them with `/goals`.")
        )
    if rep.streak >= 2:
        blocks.append(_context(f":fire: {rep.streak}-day logging streak"))
    view = rep.checkin
    how = CADENCE_WORDS.get(view.cadence.value, view.cadence.value)
    stage = f"*Stage: {view.stage.value}* — since {view.since:%d %b}: {esc(view.reason)}.\nI check in {how}"
    stage += " (pinned by your manager)." if view.pinned else "."
    blocks.append(_section(stage + "\n" + view.next_step))
    kudos = "muted" if view.kudos_muted else "on"
    change = "unmute" if view.kudos_muted else "mute"
    blocks.append(
        _context(
            f"I only message you {f.hours_words(view.hours, view.tz)} · kudos DMs {kudos} · "
            f"change with `/checkin hours 09:00-17:00` or `/checkin {change} kudos`"
        )
    )
    blocks.append(
        {
            "type": "actions",
            "block_id": "home_rep",
            "elements": [
                _button(
                    "Log activity",
                    "log_activity",
                    {"team_id": rep.team_id, "metrics": list(rep.metrics)},
                    primary=True,
                ),
                _button("Share my week", "share_week", {"team_id": rep.team_id, "week": rep.week}),
            ],
        }
    )
    return blocks


def _manager_blocks(manager: ManagerHome) -> list[Block]:
    """The team's counts, then each rep with their buttons: those who need a look (or have open
    alerts) first, as many as a Home tab holds."""
    table = manager.table
    blocks: list[Block] = [
        {"type": "header", "text": {"type": "plain_text", "text": f"Team — {table.team_name}"[:150]}},
        _context(f"Week of {table.week_start:%a %d %b} · activity vs weekly goals · quota pace this month"),
    ]
    if not table.rows:
        blocks.append(_section("No reps yet: add them with `/team add @ana @ben`."))
    else:
        blocks.append(_section(roster.summary(table.rows, table.week_start)))
    flagged = [r for r in table.rows if roster.reasons(r) or manager.open_alerts.get(r.user_id)]
    rows = flagged + [r for r in table.rows if r not in flagged]
    for row in rows[:SHOWN]:
        cells = []
        for ln in row.progress:
            if ln.metric.is_result:
                if ln.pace is not None:
                    cells.append(f"{ln.metric.key} pace {f.percent(ln.pace)}")
            else:
                cells.append(
                    f"`{f.bar(ln.ratio, 6)}` {ln.metric.key} {f.amount(ln.actual, ln.metric)}/{f.target(ln.target, ln.metric)}"
                )
        last = "never" if row.last_logged is None else f"{row.last_logged:%a %d %b}"
        alerts = manager.open_alerts.get(row.user_id, 0)
        flag = f" · :warning: {alerts} {f.noun('open alerts', alerts)}" if alerts else ""
        if roster.reasons(row):
            flag += f" · :warning: {', '.join(roster.reasons(row))}"
        away = " · _away_" if row.away else ""
        starter = self_starter.compact(manager.self_starters.get(row.user_id))
        starter = f" · {starter}" if starter else ""  # a new hire's: for the call on onboarding
        blocks.append(
            {
                "type": "section",
                "text": {
                    "type": "mrkdwn",
                    "text": (
                        f"*<@{row.user_id}>* · _{row.stage.value}_{starter} · last logged {last}{away}{flag}\n"
                        + " · ".join(cells)
                    )[:3000],
                },
            }
        )
        blocks.append(
            {
                "type": "actions",
                "block_id": f"coach:{row.user_id}",
                "elements": [
                    _button("Plan 1:1", "plan_one_on_one", {"rep": row.user_id, "team_id": manager.team_id}),
                    _button(
                        "Mark 1:1 done", "one_on_one_done", {"rep": row.user_id, "team_id": manager.team_id}
                    ),
                ],
            }
        )
    hidden = len(table.rows) - SHOWN
    if hidden > 0:
        blocks.append(
            _context(f"…and {hidden} more {f.noun('reps', hidden)}: `/team export` has everyone's numbers.")
        )
    return blocks


def home_view(view: HomeView) -> dict:
    blocks: list[Block] = []
    if view.rep is not None:
        blocks += _rep_blocks(view.rep)
    if view.manager is not None:
        if blocks:
            blocks.append({"type": "divider"})
        blocks += _manager_blocks(view.manager)
    if not blocks:
        blocks = [
            _section(
                "*Sales Check-ins* keeps score against the goals your team agreed, and checks in less as you deliver."
            ),
            _section(
                "You're not on a team yet. Start one with `/team create Sales East #sales-east`, "
                "or ask your manager to add you with `/team add @you`."
            ),
        ]
    return {"type": "home", "blocks": blocks[:MAX_BLOCKS]}
