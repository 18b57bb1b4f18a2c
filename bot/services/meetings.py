"""Team meetings and 1:1s on video: ``/team meeting`` and ``/team video``, and the meeting's reminder.

A good manager of a remote team stays in touch with a regular team meeting and one-on-ones. The team
meeting is reminded in the team's channel 15 minutes before it starts, with its link and an agenda
from the numbers; the 1:1 video link rides on every 1:1 prompt and on Plan 1:1. Nothing here sends a
DM of its own: the link is added to messages the attention policy already lets through.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from bot.domain import parsing as p
from bot.domain import schedule as sch
from bot.domain.calendar import period_bounds
from bot.domain.types import Period, Scoreboard
from bot.i18n import _
from bot.i18n import formats as fmt
from bot.services.context import Caller, parse_workdays
from bot.services.outcomes import Notice, Problem, esc
from bot.store import outbox as ob
from bot.store.models import StandupAnswer, Team

if TYPE_CHECKING:  # the planner hands its per-team context in; importing it here would be circular
    from bot.services.planner import _Plan

MAX_ANSWER_CHARS = 280  # one rep's win or help topic, as carried to the channel's agenda
MAX_AGENDA_ANSWERS = 30  # per list; the rest are counted ("…and 4 more in the standup's thread")

MeetingSetting = p.TeamMeeting | p.TeamMeetingOff | p.TeamVideo


def link(url: str, label: str) -> str:
    """A mrkdwn link to a web address we checked (http/https only), its characters escaped."""
    return f"<{esc(url)}|{esc(label)}>"


def video_link(url: str) -> str:
    """The link to a meeting's video room, labelled in the reader's language."""
    return link(url, _("video"))


def slot(team: Team) -> str | None:
    """ "Thursday 16:00", or None when the team has no meeting."""
    if team.meeting_weekday is None or not team.meeting_time:
        return None
    return _("{weekday} {time}", weekday=fmt.weekday(team.meeting_weekday), time=team.meeting_time)


def video(team: Team) -> dict[str, str]:
    """What a 1:1 prompt's payload carries of the team's video room: ``{"video": url}``, or nothing."""
    return {"video": team.video_url} if team.video_url else {}


def show(caller: Caller, command: p.TeamMeetingShow | p.TeamVideoShow) -> Notice | Problem:
    """What the team's meeting or 1:1 video link is, for anyone on the team."""
    team = caller.managed_team or caller.rep_team
    if team is None:
        return Problem(
            _("You're not on a team yet."),
            _("Start one with `/team create Sales East #sales-east`, or ask your manager to add you."),
        )
    manager = caller.managed_team is not None
    if isinstance(command, p.TeamMeetingShow):
        when = slot(team)
        if when is None or not team.meeting_url:
            return Notice(
                _("*{team}* has no team meeting set.", team=esc(team.name)),
                _("Set one with `/team meeting thu 16:00 https://zoom.us/j/123`.")
                if manager
                else _("Your manager can set one with `/team meeting`."),
            )
        return Notice(
            _(
                "*{team}* meets every {when} ({tz}) on {link}. "
                "<#{channel}> gets a reminder with the agenda 15 minutes before.",
                team=esc(team.name),
                when=when,
                tz=team.timezone,
                link=video_link(team.meeting_url),
                channel=team.channel_id,
            ),
            _("Change it with `/team meeting thu 16:00 https://…`, or stop it with `/team meeting off`.")
            if manager
            else None,
        )
    if not team.video_url:
        return Notice(
            _("*{team}* has no video link for 1:1s.", team=esc(team.name)),
            _(
                "Set one with `/team video https://meet.google.com/abc-defg-hij`: every 1:1 prompt and "
                "Plan 1:1 will carry it."
            )
            if manager
            else None,
        )
    return Notice(
        _("1:1s on *{team}* happen on {link}.", team=esc(team.name), link=video_link(team.video_url)),
        _("Change it with `/team video https://…`, or take it away with `/team video off`.")
        if manager
        else None,
    )


def configure(team: Team, command: MeetingSetting) -> str | Problem:
    """Set the meeting or the 1:1 video link; what changed, in words."""
    if isinstance(command, p.TeamMeeting):
        url = command.url or team.meeting_url
        if url is None:
            return Problem(
                _("The team meeting needs its video link — add it after the time."), p.MEETING_USAGE
            )
        if command.weekday not in parse_workdays(team.workdays):
            return Problem(
                _(
                    "{weekday} isn't one of *{team}*'s working days, and I never post on a day off. "
                    "Nothing was changed.",
                    weekday=fmt.weekday(command.weekday),
                    team=esc(team.name),
                ),
                _(
                    "Pick a working day, like `/team meeting thu 16:00 https://…`, or change the days with "
                    "`/team workdays mon-fri`."
                ),
            )
        team.meeting_weekday = command.weekday
        team.meeting_time = command.at.strftime("%H:%M")
        team.meeting_url = url
        meets = datetime.combine(date(2000, 1, 3), command.at)
        reminded = meets - sch.MEETING_REMINDER
        reminder = fmt.clock_time(reminded.time())
        if reminded.day != meets.day:
            reminder = _("{time} the day before", time=reminder)
        changed = _(
            "Team meeting: every {when} ({tz}) on {link}. At {reminder} <#{channel}> gets a reminder with "
            "the link and an agenda: last week's numbers against goals, wins, and where reps could use help.",
            when=slot(team),
            tz=team.timezone,
            link=video_link(url),
            reminder=reminder,
            channel=team.channel_id,
        )
    elif isinstance(command, p.TeamMeetingOff):
        if slot(team) is None:
            return Problem(_("*{team}* has no team meeting to stop.", team=esc(team.name)), p.MEETING_USAGE)
        team.meeting_weekday = team.meeting_time = team.meeting_url = None
        changed = _("No more team meeting reminders in the channel.")
    elif command.url is None:
        team.video_url = None
        changed = _("1:1 prompts no longer carry a video link.")
    else:
        team.video_url = command.url
        changed = _(
            "1:1s on {link}: every 1:1 prompt and Plan 1:1 now carries the link.",
            link=video_link(command.url),
        )
    return changed


# --- the reminder, planned by the clock ------------------------------------------------------


def plan(ctx: _Plan) -> None:
    """The team meeting's reminder in the team's channel, if one came due in the clock's window.

    Keyed like the standup (kind, channel, ``team:<id>``, the meeting's local date), so it is posted at
    most once whatever the clocks do; a reminder found past the misfire grace is skipped, never late."""
    team = ctx.team
    if slot(team) is None or not team.meeting_url:
        return
    hh, mm = (int(x) for x in team.meeting_time.split(":"))
    for occ in sch.meeting_reminders(
        window=ctx.window,
        tz=team.timezone,
        weekday=team.meeting_weekday,
        at=time(hh, mm),
        calendar=ctx.calendar,
    ):
        if ctx._late(occ, "the team meeting's reminder"):
            continue
        last_week = period_bounds(Period.WEEK, occ.day - timedelta(days=7))[0]
        numbers = ctx._standup_payload(last_week, occ)  # the standup's own totals, goals and kudos
        payload = {
            **numbers,
            "meeting_day": occ.day.isoformat(),
            "meeting_time": team.meeting_time,
            "tz": team.timezone,
            "url": team.meeting_url,
            **_answers(ctx, occ.day),
        }
        if team.scoreboard != Scoreboard.PUBLIC.value:
            payload["rows"] = []  # praise in public, help in private
        ctx._msg("meeting", team.channel_id, occ.period, occ.at, payload, subject=ob.standup_subject(team.id))


def _answers(ctx: _Plan, day: date) -> dict[str, Any]:
    """The wins and "Where I could use help" topics reps shared in this week's standup thread (or
    last week's, for a rep who hasn't answered yet this week): their own words, said in public."""
    weeks = [sch.week_key(day), sch.week_key(day - timedelta(days=7))]
    reps = [r.user_id for r in ctx.reps]
    latest: dict[str, StandupAnswer] = {}
    if reps:
        for a in ctx.session.scalars(
            select(StandupAnswer).where(
                StandupAnswer.workspace_id == ctx.team.workspace_id,
                StandupAnswer.team_id == ctx.team.id,
                StandupAnswer.week.in_(weeks),
                StandupAnswer.user_id.in_(reps),
            )
        ):
            kept = latest.get(a.user_id)
            if kept is None or a.week > kept.week:
                latest[a.user_id] = a
    out: dict[str, Any] = {}
    for field in ("wins", "help"):
        said = [
            {"user": uid, "text": _cut(getattr(latest[uid], field)), "week": latest[uid].week}
            for uid in reps
            if uid in latest and getattr(latest[uid], field).strip()
        ]
        out[field] = said[:MAX_AGENDA_ANSWERS]
        out[f"{field}_more"] = max(0, len(said) - MAX_AGENDA_ANSWERS)
    return out


def _cut(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= MAX_ANSWER_CHARS else text[: MAX_ANSWER_CHARS - 1].rstrip() + "…"
