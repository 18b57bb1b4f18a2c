"""Replies to slash commands. Every reply is ephemeral: only the caller sees it."""

from __future__ import annotations

from decimal import Decimal
from functools import singledispatch
from typing import Any

from bot.domain.parsing import DM_HOURS_DEFAULT
from bot.domain.types import Cadence, Period, Stage, Unit
from bot.services.activity import crm_not_undone
from bot.services.export import Export
from bot.services.integrations import IntegrationsView
from bot.services.outcomes import (
    CheckinView,
    GoalsChanged,
    GoalsView,
    Help,
    HoursChanged,
    KudosChanged,
    Logged,
    Notice,
    Problem,
    ProgressLine,
    ProgressView,
    TeamSettings,
    TeamSummary,
    TeamTable,
    Undone,
    WeekView,
    esc,
)
from bot.services.teams import NeedsChannelCheck, NeedsTimezone, TeamChanged, describe_workdays
from bot.slack.messages import format as f
from bot.slack.messages import roster

Payload = dict[str, Any]
MAX_SECTION = 2900  # Slack caps a section's text at 3,000 characters
# Slack refuses a message past about 12,000 characters of block text (msg_blocks_too_long): a reply's
# body stops short of it, its last line saying how many lines didn't fit.
BUDGET = 8000

_DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def message(
    text: str, *, detail: str | None = None, body: list[str] | None = None, more: str = "more"
) -> Payload:
    """An ephemeral reply: a headline, optional body lines, and a hint in a context block. Body lines
    past :data:`BUDGET` characters in all are counted in a last line, "…and 12 more" (``more``)."""
    blocks: list[dict[str, Any]] = [
        {"type": "section", "text": {"type": "mrkdwn", "text": text[:MAX_SECTION]}}
    ]
    body = list(body or [])
    room = BUDGET - len(text) - len(detail or "") - 100
    for i, line in enumerate(body):
        room -= len(line) + 1
        if room < 0:
            body = [*body[:i], f"…and {len(body) - i} {more}"]
            break
    chunk = ""
    for line in body:
        line = line[:MAX_SECTION]
        if len(chunk) + len(line) + 1 > MAX_SECTION:
            blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": chunk}})
            chunk = ""
        chunk += line + "\n"
    if chunk:
        blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": chunk.rstrip()}})
    if detail:
        blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": detail[:MAX_SECTION]}]})
    fallback = "\n".join([text, *(body or []), *([detail] if detail else [])])
    return {"response_type": "ephemeral", "text": fallback[:3000], "blocks": blocks[:50]}


def progress_line(line: ProgressLine, *, when: str | None = None) -> str:
    m = line.metric
    if line.target <= 0:
        return f"{m.key} {f.amount(line.actual, m)} (no goal {f.PERIOD_WORD[line.period]})"
    text = f"{m.key} {f.amount(line.actual, m)}/{f.target(line.target, m)}"
    if line.period is not Period.DAY and when is None:
        text += f" {f.PERIOD_WORD[line.period]}"
    if line.met:
        text += " ✅"
    elif line.pace is not None:
        text += f" · pace {f.percent(line.pace)}"
    return text


def progress_summary(lines, *, day_word: str = "Today") -> list[str]:
    """One line per period, e.g. "Today: calls 25/25 ✅ · notes 4/10"."""
    out = []
    for period, label in (
        (Period.DAY, day_word),
        (Period.WEEK, "This week"),
        (Period.MONTH, "This month"),
        (Period.QUARTER, "This quarter"),
    ):
        chosen = [ln for ln in lines if ln.period is period]
        if chosen:
            out.append(f"*{label}:* " + " · ".join(progress_line(ln, when="") for ln in chosen))
    return out


@singledispatch
def render(outcome: object) -> Payload:  # pragma: no cover - every outcome type is registered
    raise TypeError(f"no renderer for {type(outcome).__name__}")


@render.register
def _(o: Problem) -> Payload:
    return message(f":warning: {o.message}", detail=o.usage)


@render.register
def _(o: Notice) -> Payload:
    return message(o.message, detail=o.detail)


_GOAL_WORD = {Period.WEEK: "weekly", Period.MONTH: "monthly", Period.QUARTER: "quarterly"}


def _crossed(o: Logged) -> list[ProgressLine]:
    """The weekly, monthly or quarterly goals (quotas too) that this very entry took past the line."""
    logged: dict[str, Decimal] = {}
    for metric, amount in o.items:
        logged[metric.key] = logged.get(metric.key, Decimal(0)) + amount
    return [
        ln
        for ln in o.progress or ()
        if ln.period in _GOAL_WORD
        and ln.met
        and ln.actual - logged.get(ln.metric.key, Decimal(0)) < ln.target
    ]


def _reached(ln: ProgressLine) -> str:
    what = "quota" if ln.metric.is_result else "goal"
    label = "" if ln.metric.unit is Unit.CURRENCY else f" {esc(f.noun(ln.metric.label, ln.target))}"
    numbers = f"{f.amount(ln.actual, ln.metric)} of {f.target(ln.target, ln.metric)}{label}"
    return f"You just reached your {_GOAL_WORD[ln.period]} {what}: {numbers}."


@render.register
def _(o: Logged) -> Payload:
    when = "today" if o.day == o.today else f.day(o.day, o.today)
    head = f":white_check_mark: Logged {f.items(o.items)} for {when}."
    if o.note:
        head += f"\n> {esc(o.note)}"
    if o.repeat_of is not None:  # both are kept: say so, so a retry doesn't silently count twice
        head += (
            "\n:warning: You logged exactly this a moment ago too, so it counts twice. If this was the "
            "same one sent again, `/log undo` takes it back."
        )
    if o.progress is None:
        return message(
            head, detail="It's saved. I couldn't load your progress just now: `/log today` shows it."
        )
    body = progress_summary(o.progress, day_word="Today" if o.day == o.today else f"{o.day:%a %d %b}")
    if o.from_crm:
        body.append("_Counted with it:_ " + f.from_crm(o.from_crm, when=_crm_when(o.day, o.today)))
    met_today = [ln for ln in o.progress if ln.period is Period.DAY and ln.met]
    detail = None
    crossed = _crossed(o)
    if crossed:  # praise at the moment it is earned: the clock won't DM it again
        detail = ":tada: " + " ".join(_reached(ln) for ln in crossed) + " Well done!"
    elif met_today and len(met_today) == len([ln for ln in o.progress if ln.period is Period.DAY]):
        detail = ":tada: Every daily goal met — nice work."
    elif not o.progress:
        detail = "No goals set yet — your manager can agree them with you: `/goals`."
    else:
        detail = "Undo with `/log undo` · your week: `/log week`"
    return message(head, body=body, detail=detail)


@render.register
def _(o: ProgressView) -> Payload:
    when = "Today" if o.day == o.today else f.day(o.day, o.today).capitalize()
    logged = f.items(o.logged) if o.logged else "nothing yet"
    head = f"*{when}* you've logged {logged}."
    body = progress_summary(o.progress, day_word="Today" if o.day == o.today else f"{o.day:%a %d %b}")
    if o.from_crm:
        body.append("_Of that:_ " + f.from_crm(o.from_crm, when=_crm_when(o.day, o.today)))
    if not o.progress:
        body.append("No goals set yet — your manager sets them with `/goals @you …`.")
    detail = f":fire: {o.streak}-day logging streak" if o.streak >= 2 else "Log with `/log 25 calls, 3 demos`"
    return message(head, body=body, detail=detail)


@render.register
def _(o: WeekView) -> Payload:
    head = f"*Your week so far* (from {o.start:%a %d %b})"
    body = []
    for d, amounts, working in o.days:
        label = f"{d:%a %d}"
        if amounts:
            parts = " · ".join(
                f"{m.key} {f.amount(amounts[m.key], m)}" for m in o.metrics if m.key in amounts
            )
        else:
            parts = "—" if working else "day off"
        body.append(f"`{label}` {parts}")
    if o.progress:
        body.append("*Against goals:* " + " · ".join(progress_line(ln, when="") for ln in o.progress))
    return message(head, body=body, detail="Add more with `/log 25 calls` · fix a mistake with `/log undo`")


def _crm_when(day, today) -> str:
    return "today" if day == today else f"on {day:%a %d %b}"


@render.register
def _(o: Undone) -> Payload:
    detail = "Log it again with `/log …` if that was a mistake."
    if o.crm_sources:
        detail = f"{crm_not_undone(o.crm_sources)} {detail}"
    return message(
        f":leftwards_arrow_with_hook: Removed {f.items(o.items)} for {o.day:%a %d %b} (logged {o.logged_at:%H:%M} UTC).",
        detail=detail,
    )


HELP = {
    "/log": (
        "*Log your activity:* `/log 25 calls` · `/log 25 calls, 3 demos, 10 notes` · `/log $4,500` · "
        "`/log 1 deal $12k`",
        [
            "• Dates: `/log yesterday 20 calls` · `/log mon 5 demos` · `/log 2026-11-25 3 deals` (up to 14 days back)",
            "• Add a note: `/log 3 demos -- two want pricing`",
            "• See progress: `/log` (today) · `/log week` · Oops: `/log undo`",
        ],
    ),
    "/goals": (
        "*Goals:* `/goals` shows yours and your progress.",
        [
            "• Managers: `/goals @rep 25 calls/day, 5 presentations/week, 10 notes/day`",
            "• Team default: `/goals team 25 calls/day` · quota: `/goals @rep quota $50k/month` or `4 deals/month`",
            "• Clear: `/goals @rep clear calls` · see a rep's: `/goals @rep` · team default: `/goals team`",
        ],
    ),
    "/team": (
        "*Teams:* `/team` shows your team.",
        [
            "• `/team create Sales East #sales-east [tz=America/New_York]` (a channel you're in, and one "
            "no other team uses)",
            "• `/team add @a @b` · `/team remove @a` · `/team managers add @m`",
            "• Move to another channel: `/team channel #sales-west` · delete the team, keeping its history: "
            "`/team delete`",
            "• `/team standup mon 09:00` · `/team workdays mon-fri` · `/team holidays US` · "
            "`/team scoreboard public|kudos-only`",
            "• On video: `/team meeting thu 16:00 https://…` (the channel is reminded 15 minutes before, "
            "with an agenda) · `/team meeting off` · `/team video https://…` (the link every 1:1 prompt "
            "carries) · `/team video off`",
            "• Daily ceilings (the most of a metric one rep's day may hold): `/team ceiling` · "
            "`/team ceiling calls 800` · `/team ceiling revenue $20m` · `/team ceiling calls default`",
            "• Activity from your CRM: `/team integrations` (the endpoint and its secret) · "
            "`/team integrations rotate` · `/team integrations hubspot <client secret>` · "
            "`/team integrations pipedrive call=calls meeting=presentations email=emails` · "
            "`/team integrations pipedrive user 12345 @rep`",
        ],
    ),
    "/checkin": (
        "*Check-ins:* `/checkin` shows how often I'll check in on you, and why.",
        [
            "• Time off: `/checkin away until 2026-12-28` · `/checkin back`",
            "• Your hours for my messages: `/checkin hours 09:00-17:00` (anywhere from 06:00 to 21:00) · "
            "`/checkin hours default` (08:00–18:00)",
            "• Praise DMs: `/checkin mute kudos` · `/checkin unmute kudos`",
            "• Managers: `/checkin @rep daily|weekly|monthly|auto` pins or frees a rep's cadence",
        ],
    ),
}


@render.register
def _(o: Help) -> Payload:
    head, body = HELP[o.command]
    body = list(body)
    if o.metrics and o.command in ("/log", "/goals"):
        body.append(
            "*Metrics:* "
            + " · ".join(
                f"`{m.key}`" + (f" ({', '.join(m.aliases[:3])})" if m.aliases else "") for m in o.metrics
            )
        )
    return message(head, body=body)


@render.register
def _(o: GoalsView) -> Payload:
    if o.subject == "team":
        head = f"*Team default goals for {esc(o.team_name)}*"
    elif o.is_self:
        head = "*Your goals*"
    else:
        head = f"*<@{o.subject}>'s goals*"
    if not o.goals:
        who = "the team" if o.subject == "team" else ("you" if o.is_self else f"<@{o.subject}>")
        return message(
            f"{head}: none set for {who} yet.",
            detail="Managers set them with `/goals @rep 25 calls/day` or `/goals team 25 calls/day`.",
        )
    body = []
    for g in o.goals:
        kind = "quota" if g.metric.is_result else "goal"
        src = " _(team default)_" if g.inherited and o.subject != "team" else ""
        if g.until is not None:
            src = f" _(agreed in a 1:1, until {g.until:%a %d %b})_"
        body.append(f"• {g.metric.label}: {f.target(g.target, g.metric)}{f.PER_PERIOD[g.period]} {kind}{src}")
    if o.progress:
        body.append("")
        body.extend(progress_summary(o.progress))
    return message(head, body=body, detail="Log with `/log 25 calls` · see the week with `/log week`")


@render.register
def _(o: GoalsChanged) -> Payload:
    who = "the team default" if o.targets == ("team",) else ", ".join(f"<@{t}>" for t in o.targets)
    if o.cleared:
        return message(
            f"Cleared {', '.join(m.key for m in o.cleared)} for {who} on *{esc(o.team_name)}*.",
            detail="History keeps the old goals."
            + (" Reps fall back to the team default." if o.targets != ("team",) else ""),
        )
    body = [
        f"• {g.metric.label}: {f.target(g.target, g.metric)}{f.PER_PERIOD[g.period]}"
        + (" (quota)" if g.metric.is_result else "")
        for g in o.set
    ]
    detail = None
    if o.replaced:
        detail = (
            "Replaces "
            + ", ".join(
                f"{f.target(g.target, g.metric)} {f.noun(g.metric.key, g.target, g.metric.unit)}"
                f"{f.PER_PERIOD[g.period]}"
                for g in o.replaced
            )
            + " from now on; history keeps the old goals."
        )
    return message(f"Goals set for {who} on *{esc(o.team_name)}*:", body=body, detail=detail)


@render.register
def _(o: TeamChanged) -> Payload:
    return message(o.message, detail=o.detail)


@render.register
def _(o: Export) -> Payload:
    return message(
        f":page_facing_up: Exporting {o.rows} {f.noun('entries', o.rows)} — *{esc(o.title)}* will arrive in our DM as `{o.filename}`.",
        detail="One row per entry: date, rep, metric, amount, note, source, when it was logged (UTC).",
    )


@render.register
def _(o: IntegrationsView) -> Payload:
    head = o.changed + "\n" if o.changed else ""
    head += f":electric_plug: *CRM integrations for {esc(o.team_name)}* — only the team's managers see this."
    types = " · ".join(f"`{t}` → {m}" for t, m in o.pipedrive_types) or "none"
    users = " · ".join(f"`{pid}` → <@{uid}>" for pid, uid in o.pipedrive_users) or "none yet"
    body = [
        f"*Any CRM or script* (Standard Webhooks): `POST {o.url('webhook')}`",
        f"Secret: `{o.secret}` — sign `webhook-id.webhook-timestamp.body` with HMAC-SHA256 (the key is the "
        "base64 after `whsec_`), send `webhook-signature: v1,<base64>`. Body: "
        '`{"activities": [{"rep": "ana@example.com", "metric": "calls", "amount": 3, '
        '"at": "2026-12-01T15:04:00Z", "external_id": "call-123"}]}`',
        f"*HubSpot* workflow webhook: `{o.url('hubspot')}` · client secret "
        + ("set ✅" if o.hubspot_set else "not set — `/team integrations hubspot <client secret>`"),
        f"*Pipedrive* webhooks v2 (activity events): `{o.url('pipedrive')}` · HTTP Basic auth user `{o.key}`, "
        "password the secret above",
        f"Pipedrive types: {types} · Pipedrive users: {users}",
    ]
    if o.base is None:
        body.append(
            ":warning: PUBLIC_URL isn't set, so these are paths only: put the bot's public address in front, "
            "and ask whoever runs it to set PUBLIC_URL."
        )
    return message(
        head,
        body=body,
        detail="`/team integrations rotate` replaces the secret (the old one stops working at once). "
        "Activity a CRM sends counts toward goals like /log; a rep can't `/log undo` it.",
    )


@render.register
def _(o: NeedsTimezone) -> Payload:
    return message("Setting up your team…")


@render.register
def _(o: NeedsChannelCheck) -> Payload:
    return message(f":hourglass_flowing_sand: Checking that you're in <#{o.channel_id}>…")


@render.register
def _(o: TeamSettings) -> Payload:
    body = [
        f"• Channel <#{o.channel_id}> · times in {o.timezone}",
        f"• Standup {_DAY_NAMES[o.standup_weekday]} {o.standup_time} · workdays {describe_workdays(o.workdays)}",
        f"• Public holidays: {o.holidays or 'none'} · scoreboard: {o.scoreboard.value}",
        f"• Team meeting: {_meeting(o)} · 1:1 video: "
        + (f"<{esc(o.video_url)}|link>" if o.video_url else "none"),
    ]
    return message(f":gear: *{esc(o.team_name)}* — {o.changed}", body=body)


def _meeting(o: TeamSettings) -> str:
    if o.meeting is None or o.meeting_url is None:
        return "none"
    return f"{o.meeting} on <{esc(o.meeting_url)}|video>"


def _rep_cells(row) -> str:
    activity = [ln for ln in row.progress if not ln.metric.is_result]
    quotas = [ln for ln in row.progress if ln.metric.is_result]
    parts = [
        f"{ln.metric.key} {f.amount(ln.actual, ln.metric)}/{f.target(ln.target, ln.metric)}"
        + (" ✅" if ln.met else "")
        for ln in activity
    ]
    parts += [f"{ln.metric.key} pace {f.percent(ln.pace)}" for ln in quotas if ln.pace is not None]
    return " · ".join(parts) if parts else "no goals"


@render.register
def _(o: TeamTable) -> Payload:
    """The manager's table: the counts, then who needs a look (and why), then everyone else."""
    head = f"*{esc(o.team_name)}* — week of {o.week_start:%a %d %b} (<#{o.channel_id}>)"
    if not o.rows:
        return message(head, body=["No reps yet."], detail="Add them with `/team add @ana @ben`.")

    def line(row) -> str:
        last = "never" if row.last_logged is None else f.day(row.last_logged, o.today).split(" (")[0]
        away = " · _away_" if row.away else ""
        return f"• <@{row.user_id}> — {_rep_cells(row)} · _{row.stage.value}_ · last logged {last}{away}"

    needs, rest = roster.split(o.rows)
    flagged = [f"{line(r)} · :warning: {', '.join(roster.reasons(r))}" for r in needs]
    others = [line(r) for r in rest]
    if flagged:  # each heading rides on its group's first line, so that the count of lines is of reps
        flagged[0] = f"*Needs a look* ({len(needs)})\n{flagged[0]}"
        if others:
            others[0] = f"*Everyone else* ({len(rest)})\n{others[0]}"
    body = [roster.summary(o.rows, o.week_start), *flagged, *others]
    return message(
        head,
        body=body,
        detail="Week totals vs weekly goals · quota pace this month · stage · last logged"
        + (" · every rep's numbers: `/team export`" if len(o.rows) > 25 else ""),
        more="more reps: `/team export` has everyone's numbers",
    )


@render.register
def _(o: TeamSummary) -> Payload:
    head = f"*{esc(o.team_name)}* — the team this week (from {o.week_start:%a %d %b})"
    body = ["*Team totals:* " + (f.items(o.totals) if o.totals else "nothing logged yet")]
    if o.kudos:
        body.append(":clap: *Kudos* — on track last week: " + ", ".join(f"<@{u}>" for u in o.kudos))
    if o.public_rows:
        body.extend(f"• <@{r.user_id}> — {_rep_cells(r)}" for r in o.public_rows)
    return message(head, body=body, detail="Your own numbers: `/log` · `/goals`", more="more reps")


# The most the bot says unprompted, by the cadence in force, and when the check-in comes.
BUDGET_WORDS = {
    Cadence.DAILY: "once a working day",
    Cadence.WEEKLY: "once a week",
    Cadence.MONTHLY: "once a month",
}
CHECKIN_WHEN = {
    Cadence.DAILY: "each working day",
    Cadence.WEEKLY: "on the week's first working day",
    Cadence.MONTHLY: "on the month's first working day",
}
STAGE_WHILE = {
    Stage.ONBOARDING: "onboarding",
    Stage.STEADY: "steady",
    Stage.AUTONOMOUS: "autonomous",
    Stage.SUPPORT: "in support",
}


def _budget(o: CheckinView) -> str:
    """The rep's budget in words: "I'll message you at most once a week while you're steady"."""
    who, are = ("you", "you're") if o.is_self else (f"<@{o.user_id}>", "they're")
    text = f"I'll message {who} at most {BUDGET_WORDS[o.cadence]}"
    if o.pinned:
        return text + f": {'your' if o.is_self else 'a'} manager set {o.pinned.value} check-ins"
    return text + f" while {are} {STAGE_WHILE[o.stage]}"


@render.register
def _(o: CheckinView) -> Payload:
    you = "You're" if o.is_self else f"<@{o.user_id}> is"
    whose = "your" if o.is_self else "their"
    head = f"{you} in *{o.stage.value}* (since {o.since:%d %b %Y}: {o.reason})."
    body = [
        f"{_budget(o)}. Check-ins come {CHECKIN_WHEN[o.cadence]} around {o.checkin_at:%H:%M}; "
        f"I only message {'you' if o.is_self else 'them'} {f.hours_words(o.hours, o.tz, whose=whose)}.",
        o.next_step if not o.pinned else "The pin holds until a manager sets it back to `auto`.",
    ]
    if o.kudos_muted:
        body.append(
            f"Kudos DMs are muted: {whose} progress still shows in `/log` replies and the weekly standup."
        )
    elif o.is_self:
        body.append(
            "Kudos DMs are on: I'll DM you when you reach a milestone, like a monthly goal or your quota."
        )
    judged = [w for w in o.weeks if w.on_track is not None]
    if judged:
        body.append(
            "Recent weeks: "
            + " · ".join(
                f"{'✅' if w.on_track else '◻️'} {w.week_start:%d %b}"
                + (f" ({f.percent(w.activity)} of activity goals" if w.activity is not None else " (")
                + (f", quota pace {f.percent(w.quota_pace)})" if w.quota_pace is not None else ")")
                for w in judged
            ).replace(" ()", "")
        )
    for start, end in o.away:
        body.append(
            f":palm_tree: Away {start:%a %d %b} – {end:%a %d %b}: no check-ins, not counted against goals."
        )
    detail = None
    if o.is_self:
        kudos = "`/checkin unmute kudos`" if o.kudos_muted else "`/checkin mute kudos`"
        detail = (
            f"Your hours: `/checkin hours 09:00-17:00` · praise DMs: {kudos} · "
            "time off: `/checkin away until 2026-12-28` · `/checkin back`"
        )
    return message(head, body=body, detail=detail)


@render.register
def _(o: HoursChanged) -> Payload:
    said = f"I'll only message you {f.hours_words(o.hours, o.tz)}, on your working days."
    if o.default:
        return message(
            f"Back to the default hours. {said}", detail="Choose your own: `/checkin hours 09:00-17:00`."
        )
    return message(
        said,
        detail="Anything that comes due outside them waits for your next window; answers to your commands "
        f"come at once. Back to {DM_HOURS_DEFAULT[0]:%H:%M}–{DM_HOURS_DEFAULT[1]:%H:%M}: `/checkin hours default`.",
    )


@render.register
def _(o: KudosChanged) -> Payload:
    if o.muted:
        return message(
            ("Kudos were already muted. " if o.already else "Kudos muted. ")
            + "No more praise DMs; you'll still see your progress in `/log` replies and the weekly standup.",
            detail="Changed your mind? `/checkin unmute kudos`.",
        )
    return message(
        ("Kudos are already on: " if o.already else "Kudos are back on: ")
        + "I'll DM you when you reach a milestone, like a monthly goal or your quota.",
        detail="Rather not? `/checkin mute kudos`.",
    )
