"""The App Home tab: progress with readable bars, streak and stage for a rep; the team table for a manager."""

from __future__ import annotations

import json
from typing import Any

from bot.domain.types import Period
from bot.i18n import N_, _, n_
from bot.i18n import formats as fmt
from bot.services.home import HomeView, ManagerHome, RepHome
from bot.services.outcomes import ProgressLine, esc
from bot.slack.messages import format as f
from bot.slack.messages import roster, self_starter

Block = dict[str, Any]
MAX_BLOCKS = 100  # Slack's limit for a Home tab view
SHOWN = (MAX_BLOCKS - 14) // 2  # reps on a manager's Home, two blocks each: the rest of it holds the rest

PERIOD_TITLE = {
    Period.DAY: N_("Today"),
    Period.WEEK: N_("This week"),
    Period.MONTH: N_("This month"),
    Period.QUARTER: N_("This quarter"),
}
CADENCE_WORDS = {"daily": N_("each working day"), "weekly": N_("once a week"), "monthly": N_("once a month")}
NO_GOAL = {
    Period.DAY: N_("`{bar}` {metric}: {actual} (no goal this day)"),
    Period.WEEK: N_("`{bar}` {metric}: {actual} (no goal this week)"),
    Period.MONTH: N_("`{bar}` {metric}: {actual} (no goal this month)"),
    Period.QUARTER: N_("`{bar}` {metric}: {actual} (no goal this quarter)"),
}


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
        return _(NO_GOAL[line.period], bar=f.bar(None), metric=f.label(m), actual=f.amount(line.actual, m))
    text = _(
        "`{bar}` {metric}: *{actual}* of {target}",
        bar=f.bar(line.ratio),
        metric=f.label(m),
        actual=f.amount(line.actual, m),
        target=f.target(line.target, m),
    )
    if line.met:
        text += " ✅"
    elif line.pace is not None:
        text += " · " + _("pace {pace}", pace=f.percent(line.pace))
    return text


def _rep_blocks(rep: RepHome) -> list[Block]:
    blocks: list[Block] = [
        {
            "type": "header",
            "text": {"type": "plain_text", "text": _("Your numbers — {team}", team=rep.team_name)[:150]},
        }
    ]
    for period in (Period.DAY, Period.WEEK, Period.MONTH, Period.QUARTER):
        lines = [ln for ln in rep.progress if ln.period is period]
        if lines:
            title = _(PERIOD_TITLE[period])
            blocks.append(_section(f"*{title}*\n" + "\n".join(_bar_line(ln) for ln in lines)))
    if rep.from_crm:
        blocks.append(_context(_(":electric_plug: Counted in: {crm}", crm=f.from_crm(rep.from_crm))))
    if not rep.progress:
        blocks.append(
            _section(_("No goals yet — your manager agrees them with you and records them with `/goals`."))
        )
    if rep.streak >= 2:
        blocks.append(_context(_(":fire: {n}-day logging streak", n=rep.streak)))
    view = rep.checkin
    how = _(CADENCE_WORDS[view.cadence.value]) if view.cadence.value in CADENCE_WORDS else view.cadence.value
    fields = {
        "stage": f.stage_name(view.stage),
        "since": f.day_month(view.since),
        "reason": esc(view.reason),
        "how": how,
    }
    if view.pinned:
        stage = _(
            "*Stage: {stage}* — since {since}: {reason}.\nI check in {how} (pinned by your manager).",
            **fields,
        )
    else:
        stage = _("*Stage: {stage}* — since {since}: {reason}.\nI check in {how}.", **fields)
    blocks.append(_section(stage + "\n" + view.next_step))
    hours = f.hours_words(view.hours, view.tz)
    if view.kudos_muted:
        said = _(
            "I only message you {hours} · kudos DMs muted · change with `/checkin hours 09:00-17:00` or "
            "`/checkin unmute kudos`",
            hours=hours,
        )
    else:
        said = _(
            "I only message you {hours} · kudos DMs on · change with `/checkin hours 09:00-17:00` or "
            "`/checkin mute kudos`",
            hours=hours,
        )
    blocks.append(_context(said))
    blocks.append(
        {
            "type": "actions",
            "block_id": "home_rep",
            "elements": [
                _button(
                    _("Log activity"),
                    "log_activity",
                    {"team_id": rep.team_id, "metrics": list(rep.metrics)},
                    primary=True,
                ),
                _button(_("Share my week"), "share_week", {"team_id": rep.team_id, "week": rep.week}),
            ],
        }
    )
    return blocks


def _manager_blocks(manager: ManagerHome) -> list[Block]:
    """The team's counts, then each rep with their buttons: those who need a look (or have open
    alerts) first, as many as a Home tab holds."""
    table = manager.table
    blocks: list[Block] = [
        {
            "type": "header",
            "text": {"type": "plain_text", "text": _("Team — {team}", team=table.team_name)[:150]},
        },
        _context(
            _(
                "Week of {day} · activity vs weekly goals · quota pace this month",
                day=fmt.short_date(table.week_start),
            )
        ),
    ]
    if not table.rows:
        blocks.append(_section(_("No reps yet: add them with `/team add @ana @ben`.")))
    else:
        blocks.append(_section(roster.summary(table.rows, table.week_start)))
    flagged = [r for r in table.rows if roster.reasons(r) or manager.open_alerts.get(r.user_id)]
    rows = flagged + [r for r in table.rows if r not in flagged]
    for row in rows[:SHOWN]:
        cells = []
        for ln in row.progress:
            if ln.metric.is_result:
                if ln.pace is not None:
                    cells.append(_("{metric} pace {pace}", metric=f.name(ln.metric), pace=f.percent(ln.pace)))
            else:
                cells.append(
                    _(
                        "`{bar}` {metric} {actual}/{target}",
                        bar=f.bar(ln.ratio, 6),
                        metric=f.name(ln.metric),
                        actual=f.amount(ln.actual, ln.metric),
                        target=f.target(ln.target, ln.metric),
                    )
                )
        last = _("never") if row.last_logged is None else fmt.short_date(row.last_logged)
        alerts = manager.open_alerts.get(row.user_id, 0)
        flag = " · " + n_(":warning: {n} open alert", ":warning: {n} open alerts", alerts) if alerts else ""
        if roster.reasons(row):
            flag += f" · :warning: {_(', ').join(roster.reasons(row))}"
        away = " · " + _("_away_") if row.away else ""
        starter = self_starter.compact(manager.self_starters.get(row.user_id))
        starter = f" · {starter}" if starter else ""  # a new hire's: for the call on onboarding
        blocks.append(
            {
                "type": "section",
                "text": {
                    "type": "mrkdwn",
                    "text": (
                        _(
                            "*<@{user}>* · _{stage}_{starter} · last logged {last}{away}{flag}",
                            user=row.user_id,
                            stage=f.stage_name(row.stage),
                            starter=starter,
                            last=last,
                            away=away,
                            flag=flag,
                        )
                        + "\n"
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
                    _button(
                        _("Plan 1:1"), "plan_one_on_one", {"rep": row.user_id, "team_id": manager.team_id}
                    ),
                    _button(
                        _("Mark 1:1 done"),
                        "one_on_one_done",
                        {"rep": row.user_id, "team_id": manager.team_id},
                    ),
                ],
            }
        )
    hidden = len(table.rows) - SHOWN
    if hidden > 0:
        blocks.append(
            _context(
                n_(
                    "…and {n} more rep: `/team export` has everyone's numbers.",
                    "…and {n} more reps: `/team export` has everyone's numbers.",
                    hidden,
                )
            )
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
                _(
                    "*Sales Check-ins* keeps score against the goals your team agreed, and checks in less as "
                    "you deliver."
                )
            ),
            _section(
                _(
                    "You're not on a team yet. Start one with `/team create Sales East #sales-east`, "
                    "or ask your manager to add you with `/team add @you`."
                )
            ),
        ]
    return {"type": "home", "blocks": blocks[:MAX_BLOCKS]}
