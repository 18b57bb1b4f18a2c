"""Replies to slash commands. Every reply is ephemeral: only the caller sees it.

Every word goes through the catalogue (:mod:`bot.i18n`): the caller's voice is set by the listener
that renders the reply."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from decimal import Decimal
from functools import singledispatch
from typing import Any

from bot.domain.parsing import DM_HOURS_DEFAULT
from bot.domain.parsing.metrics import words_for
from bot.domain.types import Cadence, Period, Scoreboard, Stage, Unit
from bot.i18n import N_, SOURCE, _, language, n_, p_
from bot.i18n import formats as fmt
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
from bot.services.teams import NeedsChannelCheck, NeedsTimezone, TeamChanged
from bot.slack.messages import format as f
from bot.slack.messages import roster

Payload = dict[str, Any]
MAX_SECTION = 2900  # Slack caps a section's text at 3,000 characters
# Slack refuses a message past about 12,000 characters of block text (msg_blocks_too_long): a reply's
# body stops short of it, its last line saying how many lines didn't fit.
BUDGET = 8000


class Lazy(Mapping):
    """A payload kept in a constant and built each time it is read, in the voice of whoever reads it
    then ("Saving…" is said to each person in their own language)."""

    def __init__(self, build: Callable[[], Payload]) -> None:
        self._build = build

    def __getitem__(self, key: str) -> Any:
        return self._build()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._build())

    def __len__(self) -> int:
        return len(self._build())

    def __repr__(self) -> str:
        return f"Lazy({self._build()!r})"

    __hash__ = None  # type: ignore[assignment]


def message(
    text: str, *, detail: str | None = None, body: list[str] | None = None, more: str | None = None
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
            rest = len(body) - i
            body = [*body[:i], _("…and {n} {more}", n=rest, more=_("more") if more is None else more)]
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


def _pace(ratio: float | None) -> str:
    return _("pace {pace}", pace=f.percent(ratio))


def progress_line(line: ProgressLine, *, when: str | None = None) -> str:
    m = line.metric
    name, actual = f.name(m), f.amount(line.actual, m)
    if line.target <= 0:
        return _(
            "{metric} {actual} (no goal {period})",
            metric=name,
            actual=actual,
            period=f.PERIOD_WORD[line.period],
        )
    target = f.target(line.target, m)
    if line.period is not Period.DAY and when is None:
        text = _(
            "{metric} {actual}/{target} {period}",
            metric=name,
            actual=actual,
            target=target,
            period=f.PERIOD_WORD[line.period],
        )
    else:
        text = _("{metric} {actual}/{target}", metric=name, actual=actual, target=target)
    if line.met:
        text += " ✅"
    elif line.pace is not None:
        text += " · " + _pace(line.pace)
    return text


_PERIOD_LABEL = {
    Period.WEEK: N_("This week"),
    Period.MONTH: N_("This month"),
    Period.QUARTER: N_("This quarter"),
}


def progress_summary(lines, *, day_word: str | None = None) -> list[str]:
    """One line per period, e.g. "Today: calls 25/25 ✅ · notes 4/10"."""
    out = []
    for period in (Period.DAY, Period.WEEK, Period.MONTH, Period.QUARTER):
        if period is Period.DAY:
            label = _("Today") if day_word is None else day_word
        else:
            label = _(_PERIOD_LABEL[period])
        chosen = [ln for ln in lines if ln.period is period]
        if chosen:
            progress = " · ".join(progress_line(ln, when="") for ln in chosen)
            out.append(_("*{label}:* {progress}", label=label, progress=progress))
    return out


@singledispatch
def render(outcome: object) -> Payload:  # pragma: no cover - every outcome type is registered
    raise TypeError(f"no renderer for {type(outcome).__name__}")


@render.register
def _problem(o: Problem) -> Payload:
    return message(f":warning: {o.message}", detail=o.usage)


@render.register
def _notice(o: Notice) -> Payload:
    return message(o.message, detail=o.detail)


_REACHED = {
    (Period.WEEK, False): N_("You just reached your weekly goal: {numbers}."),
    (Period.MONTH, False): N_("You just reached your monthly goal: {numbers}."),
    (Period.QUARTER, False): N_("You just reached your quarterly goal: {numbers}."),
    (Period.WEEK, True): N_("You just reached your weekly quota: {numbers}."),
    (Period.MONTH, True): N_("You just reached your monthly quota: {numbers}."),
    (Period.QUARTER, True): N_("You just reached your quarterly quota: {numbers}."),
}


def _crossed(o: Logged) -> list[ProgressLine]:
    """The weekly, monthly or quarterly goals (quotas too) that this very entry took past the line."""
    logged: dict[str, Decimal] = {}
    for metric, amount in o.items:
        logged[metric.key] = logged.get(metric.key, Decimal(0)) + amount
    return [
        ln
        for ln in o.progress or ()
        if (ln.period, False) in _REACHED
        and ln.met
        and ln.actual - logged.get(ln.metric.key, Decimal(0)) < ln.target
    ]


def _reached(ln: ProgressLine) -> str:
    actual, target = f.amount(ln.actual, ln.metric), f.target(ln.target, ln.metric)
    if ln.metric.unit is Unit.CURRENCY:
        numbers = _("{actual} of {target}", actual=actual, target=target)
    else:
        what = esc(f.noun(ln.metric.label, ln.target))
        numbers = _("{actual} of {target} {metric}", actual=actual, target=target, metric=what)
    return _(_REACHED[(ln.period, ln.metric.is_result)], numbers=numbers)


def _day_word(day, today) -> str:
    return _("Today") if day == today else fmt.short_date(day)


@render.register
def _logged(o: Logged) -> Payload:
    when = _("today") if o.day == o.today else f.day(o.day, o.today)
    head = _(":white_check_mark: Logged {items} for {when}.", items=f.items(o.items), when=when)
    if o.note:
        head += f"\n> {esc(o.note)}"
    if o.repeat_of is not None:  # both are kept: say so, so a retry doesn't silently count twice
        head += "\n" + _(
            ":warning: You logged exactly this a moment ago too, so it counts twice. If this was the "
            "same one sent again, `/log undo` takes it back."
        )
    if o.progress is None:
        return message(
            head, detail=_("It's saved. I couldn't load your progress just now: `/log today` shows it.")
        )
    body = progress_summary(o.progress, day_word=_day_word(o.day, o.today))
    if o.from_crm:
        crm = f.from_crm(o.from_crm, when=_crm_when(o.day, o.today))
        body.append(_("_Counted with it:_ {crm}", crm=crm))
    met_today = [ln for ln in o.progress if ln.period is Period.DAY and ln.met]
    detail = None
    crossed = _crossed(o)
    if crossed:  # praise at the moment it is earned: the clock won't DM it again
        detail = _(":tada: {reached} Well done!", reached=" ".join(_reached(ln) for ln in crossed))
    elif met_today and len(met_today) == len([ln for ln in o.progress if ln.period is Period.DAY]):
        detail = _(":tada: Every daily goal met — nice work.")
    elif not o.progress:
        detail = _("No goals set yet — your manager can agree them with you: `/goals`.")
    else:
        detail = _("Undo with `/log undo` · your week: `/log week`")
    return message(head, body=body, detail=detail)


@render.register
def _progress(o: ProgressView) -> Payload:
    when = _("Today") if o.day == o.today else f.day(o.day, o.today).capitalize()
    if o.logged:
        head = _("*{when}* you've logged {logged}.", when=when, logged=f.items(o.logged))
    else:
        head = _("*{when}* you've logged nothing yet.", when=when)
    body = progress_summary(o.progress, day_word=_day_word(o.day, o.today))
    if o.from_crm:
        body.append(_("_Of that:_ {crm}", crm=f.from_crm(o.from_crm, when=_crm_when(o.day, o.today))))
    if not o.progress:
        body.append(_("No goals set yet — your manager sets them with `/goals @you …`."))
    if o.streak >= 2:
        detail = _(":fire: {n}-day logging streak", n=o.streak)
    else:
        detail = _("Log with `/log 25 calls, 3 demos`")
    return message(head, body=body, detail=detail)


@render.register
def _week(o: WeekView) -> Payload:
    head = _("*Your week so far* (from {day})", day=fmt.short_date(o.start))
    body = []
    for d, amounts, working in o.days:
        label = f.weekday_day(d)
        if amounts:
            parts = " · ".join(
                _("{metric} {amount}", metric=f.name(m), amount=f.amount(amounts[m.key], m))
                for m in o.metrics
                if m.key in amounts
            )
        else:
            parts = "—" if working else _("day off")
        body.append(f"`{label}` {parts}")
    if o.progress:
        progress = " · ".join(progress_line(ln, when="") for ln in o.progress)
        body.append(_("*Against goals:* {progress}", progress=progress))
    return message(
        head, body=body, detail=_("Add more with `/log 25 calls` · fix a mistake with `/log undo`")
    )


def _crm_when(day, today) -> str:
    return _("today") if day == today else _("on {day}", day=fmt.short_date(day))


@render.register
def _undone(o: Undone) -> Payload:
    detail = _("Log it again with `/log …` if that was a mistake.")
    if o.crm_sources:
        detail = f"{crm_not_undone(o.crm_sources)} {detail}"
    return message(
        _(
            ":leftwards_arrow_with_hook: Removed {items} for {day} (logged {time} UTC).",
            items=f.items(o.items),
            day=fmt.short_date(o.day),
            time=fmt.clock_time(o.logged_at),
        ),
        detail=detail,
    )


HELP = {
    "/log": (
        N_(
            "*Log your activity:* `/log 25 calls` · `/log 25 calls, 3 demos, 10 notes` · `/log $4,500` · "
            "`/log 1 deal $12k`"
        ),
        [
            N_(
                "• Dates: `/log yesterday 20 calls` · `/log mon 5 demos` · `/log 2026-11-25 3 deals` (up to 14 "
                "days back)"
            ),
            N_("• Add a note: `/log 3 demos -- two want pricing`"),
            N_("• See progress: `/log` (today) · `/log week` · Oops: `/log undo`"),
        ],
    ),
    "/goals": (
        N_("*Goals:* `/goals` shows yours and your progress."),
        [
            N_("• Managers: `/goals @rep 25 calls/day, 5 presentations/week, 10 notes/day`"),
            N_(
                "• Team default: `/goals team 25 calls/day` · quota: `/goals @rep quota $50k/month` or "
                "`4 deals/month`"
            ),
            N_(
                "• Clear: `/goals @rep clear calls` · see a rep's: `/goals @rep` · team default: `/goals team`"
            ),
        ],
    ),
    "/team": (
        N_("*Teams:* `/team` shows your team."),
        [
            N_(
                "• `/team create Sales East #sales-east [tz=America/New_York]` (a channel you're in, and one "
                "no other team uses)"
            ),
            N_("• `/team add @a @b` · `/team remove @a` · `/team managers add @m`"),
            N_(
                "• Move to another channel: `/team channel #sales-west` · delete the team, keeping its "
                "history: `/team delete`"
            ),
            N_(
                "• `/team standup mon 09:00` · `/team workdays mon-fri` · `/team holidays US` · "
                "`/team scoreboard public|kudos-only`"
            ),
            N_(
                "• On video: `/team meeting thu 16:00 https://…` (the channel is reminded 15 minutes before, "
                "with an agenda) · `/team meeting off` · `/team video https://…` (the link every 1:1 prompt "
                "carries) · `/team video off`"
            ),
            N_(
                "• Daily ceilings (the most of a metric one rep's day may hold): `/team ceiling` · "
                "`/team ceiling calls 800` · `/team ceiling revenue $20m` · `/team ceiling calls default`"
            ),
            N_(
                "• Activity from your CRM: `/team integrations` (the endpoint and its secret) · "
                "`/team integrations rotate` · `/team integrations hubspot <client secret>` · "
                "`/team integrations pipedrive call=calls meeting=presentations email=emails` · "
                "`/team integrations pipedrive user 12345 @rep`"
            ),
        ],
    ),
    "/checkin": (
        N_("*Check-ins:* `/checkin` shows how often I'll check in on you, and why."),
        [
            N_("• Time off: `/checkin away until 2026-12-28` · `/checkin back`"),
            N_(
                "• Your hours for my messages: `/checkin hours 09:00-17:00` (anywhere from 06:00 to 21:00) · "
                "`/checkin hours default` (08:00–18:00)"
            ),
            N_("• Praise DMs: `/checkin mute kudos` · `/checkin unmute kudos`"),
            N_("• Managers: `/checkin @rep daily|weekly|monthly|auto` pins or frees a rep's cadence"),
        ],
    ),
}


def _metric_help(m) -> str:
    """ "`calls` (call, dials, dial)"; to a reader of another language, the names in it first:
    "`telefonata` (telefonatë, thirrje · calls)"."""
    if language() == SOURCE:
        return f"`{m.key}`" + (f" ({', '.join(m.aliases[:3])})" if m.aliases else "")
    shown = f.name(m)
    others = [w for w in words_for(m) if w != shown.casefold()][:3]
    return f"`{shown}`" + (f" ({', '.join(others)})" if others else "")


@render.register
def _help(o: Help) -> Payload:
    head, lines = HELP[o.command]
    body = [_(line) for line in lines]
    if o.metrics and o.command in ("/log", "/goals"):
        names = " · ".join(_metric_help(m) for m in o.metrics)
        body.append(_("*Metrics:* {metrics}", metrics=names))
    return message(_(head), body=body)


@render.register
def _goals(o: GoalsView) -> Payload:
    if not o.goals:
        if o.subject == "team":
            head = _("*Team default goals for {team}*: none set for the team yet.", team=esc(o.team_name))
        elif o.is_self:
            head = _("*Your goals*: none set for you yet.")
        else:
            head = _("*<@{user}>'s goals*: none set for <@{user}> yet.", user=o.subject)
        return message(
            head,
            detail=_("Managers set them with `/goals @rep 25 calls/day` or `/goals team 25 calls/day`."),
        )
    if o.subject == "team":
        head = _("*Team default goals for {team}*", team=esc(o.team_name))
    elif o.is_self:
        head = _("*Your goals*")
    else:
        head = _("*<@{user}>'s goals*", user=o.subject)
    body = []
    for g in o.goals:
        source = ""
        if g.until is not None:
            source = " " + _("_(agreed in a 1:1, until {day})_", day=fmt.short_date(g.until))
        elif g.inherited and o.subject != "team":
            source = " " + _("_(team default)_")
        fields = {
            "metric": f.label(g.metric),
            "target": f.target(g.target, g.metric),
            "per": f.PER_PERIOD[g.period],
            "source": source,
        }
        if g.metric.is_result:
            body.append(_("• {metric}: {target}{per} quota{source}", **fields))
        else:
            body.append(_("• {metric}: {target}{per} goal{source}", **fields))
    if o.progress:
        body.append("")
        body.extend(progress_summary(o.progress))
    return message(head, body=body, detail=_("Log with `/log 25 calls` · see the week with `/log week`"))


@render.register
def _goals_changed(o: GoalsChanged) -> Payload:
    team = esc(o.team_name)
    to_team = o.targets == ("team",)
    reps = ", ".join(f"<@{t}>" for t in o.targets)
    if o.cleared:
        metrics = _(", ").join(f.name(m) for m in o.cleared)
        if to_team:
            head = _("Cleared {metrics} for the team default on *{team}*.", metrics=metrics, team=team)
            detail = _("History keeps the old goals.")
        else:
            head = _("Cleared {metrics} for {reps} on *{team}*.", metrics=metrics, reps=reps, team=team)
            detail = _("History keeps the old goals. Reps fall back to the team default.")
        return message(head, detail=detail)
    body = []
    for g in o.set:
        fields = {
            "metric": f.label(g.metric),
            "target": f.target(g.target, g.metric),
            "per": f.PER_PERIOD[g.period],
        }
        if g.metric.is_result:
            body.append(_("• {metric}: {target}{per} (quota)", **fields))
        else:
            body.append(_("• {metric}: {target}{per}", **fields))
    detail = None
    if o.replaced:
        old = ", ".join(
            _(
                "{target} {metric}{per}",
                target=f.target(g.target, g.metric),
                metric=f.noun(g.metric.key, g.target, g.metric.unit),
                per=f.PER_PERIOD[g.period],
            )
            for g in o.replaced
        )
        detail = _("Replaces {old} from now on; history keeps the old goals.", old=old)
    if to_team:
        head = _("Goals set for the team default on *{team}*:", team=team)
    else:
        head = _("Goals set for {reps} on *{team}*:", reps=reps, team=team)
    return message(head, body=body, detail=detail)


@render.register
def _team_changed(o: TeamChanged) -> Payload:
    return message(o.message, detail=o.detail)


@render.register
def _export(o: Export) -> Payload:
    return message(
        n_(
            ":page_facing_up: Exporting {n} entry — *{title}* will arrive in our DM as `{filename}`.",
            ":page_facing_up: Exporting {n} entries — *{title}* will arrive in our DM as `{filename}`.",
            o.rows,
            title=esc(o.title),
            filename=o.filename,
        ),
        detail=_("One row per entry: date, rep, metric, amount, note, source, when it was logged (UTC)."),
    )


@render.register
def _integrations(o: IntegrationsView) -> Payload:
    head = o.changed + "\n" if o.changed else ""
    head += _(
        ":electric_plug: *CRM integrations for {team}* — only the team's managers see this.",
        team=esc(o.team_name),
    )
    types = " · ".join(f"`{t}` → {m}" for t, m in o.pipedrive_types) or _("none")
    users = " · ".join(f"`{pid}` → <@{uid}>" for pid, uid in o.pipedrive_users) or _("none yet")
    if o.hubspot_set:
        hubspot = _("*HubSpot* workflow webhook: `{url}` · client secret set ✅", url=o.url("hubspot"))
    else:
        hubspot = _(
            "*HubSpot* workflow webhook: `{url}` · client secret not set — "
            "`/team integrations hubspot <client secret>`",
            url=o.url("hubspot"),
        )
    body = [
        _("*Any CRM or script* (Standard Webhooks): `POST {url}`", url=o.url("webhook")),
        _(
            "Secret: `{secret}` — sign `webhook-id.webhook-timestamp.body` with HMAC-SHA256 (the key is the "
            "base64 after `whsec_`), send `webhook-signature: v1,<base64>`. Body: {example}",
            secret=o.secret,
            example='`{"activities": [{"rep": "ana@example.com", "metric": "calls", "amount": 3, '
            '"at": "2026-12-01T15:04:00Z", "external_id": "call-123"}]}`',
        ),
        hubspot,
        _(
            "*Pipedrive* webhooks v2 (activity events): `{url}` · HTTP Basic auth user `{key}`, "
            "password the secret above",
            url=o.url("pipedrive"),
            key=o.key,
        ),
        _("Pipedrive types: {types} · Pipedrive users: {users}", types=types, users=users),
    ]
    if o.base is None:
        body.append(
            _(
                ":warning: PUBLIC_URL isn't set, so these are paths only: put the bot's public address in "
                "front, and ask whoever runs it to set PUBLIC_URL."
            )
        )
    return message(
        head,
        body=body,
        detail=_(
            "`/team integrations rotate` replaces the secret (the old one stops working at once). "
            "Activity a CRM sends counts toward goals like /log; a rep can't `/log undo` it."
        ),
    )


@render.register
def _needs_timezone(o: NeedsTimezone) -> Payload:
    return message(_("Setting up your team…"))


@render.register
def _needs_channel_check(o: NeedsChannelCheck) -> Payload:
    return message(_(":hourglass_flowing_sand: Checking that you're in <#{channel}>…", channel=o.channel_id))


def _scoreboard(s: Scoreboard) -> str:
    return {
        Scoreboard.PUBLIC: p_("scoreboard", "public"),
        Scoreboard.KUDOS_ONLY: p_("scoreboard", "kudos-only"),
    }[s]


@render.register
def _settings(o: TeamSettings) -> Payload:
    video = _("<{url}|link>", url=esc(o.video_url)) if o.video_url else _("none")
    body = [
        _("• Channel <#{channel}> · times in {tz}", channel=o.channel_id, tz=o.timezone),
        _(
            "• Standup {day} {time} · workdays {workdays}",
            day=fmt.weekday(o.standup_weekday),
            time=o.standup_time,
            workdays=f.workdays(o.workdays),
        ),
        _(
            "• Public holidays: {holidays} · scoreboard: {scoreboard}",
            holidays=o.holidays or _("none"),
            scoreboard=_scoreboard(o.scoreboard),
        ),
        _("• Team meeting: {meeting} · 1:1 video: {video}", meeting=_meeting(o), video=video),
    ]
    return message(f":gear: *{esc(o.team_name)}* — {o.changed}", body=body)


def _meeting(o: TeamSettings) -> str:
    if o.meeting is None or o.meeting_url is None:
        return _("none")
    return _("{meeting} on <{url}|video>", meeting=o.meeting, url=esc(o.meeting_url))


def _rep_cells(row) -> str:
    activity = [ln for ln in row.progress if not ln.metric.is_result]
    quotas = [ln for ln in row.progress if ln.metric.is_result]
    parts = [
        _(
            "{metric} {actual}/{target}",
            metric=f.name(ln.metric),
            actual=f.amount(ln.actual, ln.metric),
            target=f.target(ln.target, ln.metric),
        )
        + (" ✅" if ln.met else "")
        for ln in activity
    ]
    parts += [
        _("{metric} pace {pace}", metric=f.name(ln.metric), pace=f.percent(ln.pace))
        for ln in quotas
        if ln.pace is not None
    ]
    return " · ".join(parts) if parts else _("no goals")


@render.register
def _team_table(o: TeamTable) -> Payload:
    """The manager's table: the counts, then who needs a look (and why), then everyone else."""
    head = _(
        "*{team}* — week of {day} (<#{channel}>)",
        team=esc(o.team_name),
        day=fmt.short_date(o.week_start),
        channel=o.channel_id,
    )
    if not o.rows:
        return message(head, body=[_("No reps yet.")], detail=_("Add them with `/team add @ana @ben`."))

    def line(row) -> str:
        last = _("never") if row.last_logged is None else f.day(row.last_logged, o.today).split(" (")[0]
        away = " · " + _("_away_") if row.away else ""
        return _(
            "• <@{user}> — {cells} · _{stage}_ · last logged {last}{away}",
            user=row.user_id,
            cells=_rep_cells(row),
            stage=f.stage_name(row.stage),
            last=last,
            away=away,
        )

    needs, rest = roster.split(o.rows)
    flagged = [f"{line(r)} · :warning: {_(', ').join(roster.reasons(r))}" for r in needs]
    others = [line(r) for r in rest]
    if flagged:  # each heading rides on its group's first line, so that the count of lines is of reps
        flagged[0] = _("*Needs a look* ({n})", n=len(needs)) + "\n" + flagged[0]
        if others:
            others[0] = _("*Everyone else* ({n})", n=len(rest)) + "\n" + others[0]
    body = [roster.summary(o.rows, o.week_start), *flagged, *others]
    if len(o.rows) > 25:
        detail = _(
            "Week totals vs weekly goals · quota pace this month · stage · last logged · every rep's "
            "numbers: `/team export`"
        )
    else:
        detail = _("Week totals vs weekly goals · quota pace this month · stage · last logged")
    return message(head, body=body, detail=detail, more=_("more reps: `/team export` has everyone's numbers"))


@render.register
def _team_summary(o: TeamSummary) -> Payload:
    head = _(
        "*{team}* — the team this week (from {day})", team=esc(o.team_name), day=fmt.short_date(o.week_start)
    )
    totals = f.items(o.totals) if o.totals else _("nothing logged yet")
    body = [_("*Team totals:* {totals}", totals=totals)]
    if o.kudos:
        body.append(
            _(":clap: *Kudos* — on track last week: {reps}", reps=", ".join(f"<@{u}>" for u in o.kudos))
        )
    if o.public_rows:
        body.extend(f"• <@{r.user_id}> — {_rep_cells(r)}" for r in o.public_rows)
    return message(head, body=body, detail=_("Your own numbers: `/log` · `/goals`"), more=_("more reps"))


# The most the bot says unprompted, by the cadence in force, and when the check-in comes.
BUDGET_WORDS = {
    Cadence.DAILY: N_("once a working day"),
    Cadence.WEEKLY: N_("once a week"),
    Cadence.MONTHLY: N_("once a month"),
}
CHECKIN_WHEN = {
    Cadence.DAILY: N_("each working day"),
    Cadence.WEEKLY: N_("on the week's first working day"),
    Cadence.MONTHLY: N_("on the month's first working day"),
}
# "while you're …": a stage as a state the rep is in
STAGE_WHILE = {
    Stage.ONBOARDING: N_("onboarding"),
    Stage.STEADY: N_("steady"),
    Stage.AUTONOMOUS: N_("autonomous"),
    Stage.SUPPORT: N_("in support"),
}


def _budget(o: CheckinView) -> str:
    """The rep's budget in words: "I'll message you at most once a week while you're steady"."""
    budget = _(BUDGET_WORDS[o.cadence])
    if o.pinned:
        cadence = f.cadence_name(o.pinned)
        if o.is_self:
            return _(
                "I'll message you at most {budget}: your manager set {cadence} check-ins",
                budget=budget,
                cadence=cadence,
            )
        return _(
            "I'll message <@{user}> at most {budget}: a manager set {cadence} check-ins",
            user=o.user_id,
            budget=budget,
            cadence=cadence,
        )
    stage = _(STAGE_WHILE[o.stage])
    if o.is_self:
        return _("I'll message you at most {budget} while you're {stage}", budget=budget, stage=stage)
    return _(
        "I'll message <@{user}> at most {budget} while they're {stage}",
        user=o.user_id,
        budget=budget,
        stage=stage,
    )


def _week_judged(w) -> str:
    mark = "✅" if w.on_track else "◻️"
    day = f.day_month(w.week_start)
    if w.activity is not None and w.quota_pace is not None:
        return _(
            "{mark} {day} ({activity} of activity goals, quota pace {pace})",
            mark=mark,
            day=day,
            activity=f.percent(w.activity),
            pace=f.percent(w.quota_pace),
        )
    if w.activity is not None:
        return _(
            "{mark} {day} ({activity} of activity goals)", mark=mark, day=day, activity=f.percent(w.activity)
        )
    if w.quota_pace is not None:
        return _("{mark} {day} (quota pace {pace})", mark=mark, day=day, pace=f.percent(w.quota_pace))
    return f"{mark} {day}"


@render.register
def _checkin(o: CheckinView) -> Payload:
    fields = {
        "user": o.user_id,
        "stage": f.stage_name(o.stage),
        "since": f.day_month_year(o.since),
        "reason": o.reason,
    }
    if o.is_self:
        head = _("You're in *{stage}* (since {since}: {reason}).", **fields)
    else:
        head = _("<@{user}> is in *{stage}* (since {since}: {reason}).", **fields)
    said = {
        "budget": _budget(o),
        "when": _(CHECKIN_WHEN[o.cadence]),
        "time": fmt.clock_time(o.checkin_at),
        "hours": f.hours_words(o.hours, o.tz, whose="your" if o.is_self else "their"),
    }
    if o.is_self:
        first = _("{budget}. Check-ins come {when} around {time}; I only message you {hours}.", **said)
    else:
        first = _("{budget}. Check-ins come {when} around {time}; I only message them {hours}.", **said)
    body = [
        first,
        o.next_step if not o.pinned else _("The pin holds until a manager sets it back to `auto`."),
    ]
    if o.kudos_muted:
        if o.is_self:
            body.append(
                _("Kudos DMs are muted: your progress still shows in `/log` replies and the weekly standup.")
            )
        else:
            body.append(
                _("Kudos DMs are muted: their progress still shows in `/log` replies and the weekly standup.")
            )
    elif o.is_self:
        body.append(
            _("Kudos DMs are on: I'll DM you when you reach a milestone, like a monthly goal or your quota.")
        )
    judged = [w for w in o.weeks if w.on_track is not None]
    if judged:
        body.append(_("Recent weeks: {weeks}", weeks=" · ".join(_week_judged(w) for w in judged)))
    for start, end in o.away:
        body.append(
            _(
                ":palm_tree: Away {start} – {end}: no check-ins, not counted against goals.",
                start=fmt.short_date(start),
                end=fmt.short_date(end),
            )
        )
    detail = None
    if o.is_self and o.kudos_muted:
        detail = _(
            "Your hours: `/checkin hours 09:00-17:00` · praise DMs: `/checkin unmute kudos` · "
            "time off: `/checkin away until 2026-12-28` · `/checkin back`"
        )
    elif o.is_self:
        detail = _(
            "Your hours: `/checkin hours 09:00-17:00` · praise DMs: `/checkin mute kudos` · "
            "time off: `/checkin away until 2026-12-28` · `/checkin back`"
        )
    return message(head, body=body, detail=detail)


@render.register
def _hours(o: HoursChanged) -> Payload:
    said = _("I'll only message you {hours}, on your working days.", hours=f.hours_words(o.hours, o.tz))
    if o.default:
        return message(
            _("Back to the default hours. {said}", said=said),
            detail=_("Choose your own: `/checkin hours 09:00-17:00`."),
        )
    return message(
        said,
        detail=_(
            "Anything that comes due outside them waits for your next window; answers to your commands "
            "come at once. Back to {start}–{end}: `/checkin hours default`.",
            start=fmt.clock_time(DM_HOURS_DEFAULT[0]),
            end=fmt.clock_time(DM_HOURS_DEFAULT[1]),
        ),
    )


@render.register
def _kudos(o: KudosChanged) -> Payload:
    if o.muted:
        if o.already:
            text = _(
                "Kudos were already muted. No more praise DMs; you'll still see your progress in `/log` "
                "replies and the weekly standup."
            )
        else:
            text = _(
                "Kudos muted. No more praise DMs; you'll still see your progress in `/log` replies and the "
                "weekly standup."
            )
        return message(text, detail=_("Changed your mind? `/checkin unmute kudos`."))
    if o.already:
        text = _(
            "Kudos are already on: I'll DM you when you reach a milestone, like a monthly goal or your quota."
        )
    else:
        text = _(
            "Kudos are back on: I'll DM you when you reach a milestone, like a monthly goal or your quota."
        )
    return message(text, detail=_("Rather not? `/checkin mute kudos`."))
