"""/team: managers set up and look after a team; reps see totals and kudos."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from bot.domain import parsing as p
from bot.domain.calendar import local_date, period_bounds
from bot.domain.parsing import voice as pv
from bot.domain.parsing.integrations import TeamIntegrations
from bot.domain.types import Period, Role, Scoreboard, Stage
from bot.i18n import DEFAULT_CURRENCY, PSEUDO, SOURCE, _, available, n_, normalize, speaking
from bot.i18n import formats as fmt
from bot.services import meetings
from bot.services.ceilings import set_ceiling, show_ceilings
from bot.services.context import (
    Caller,
    ServiceBase,
    format_workdays,
    holiday_country_is_valid,
    parse_workdays,
    team_calendar,
    upcoming_holidays,
)
from bot.services.export import Export, month_csv
from bot.services.integrations import IntegrationService, IntegrationsView, not_a_manager_of_integrations
from bot.services.outcomes import (
    Help,
    Notice,
    Problem,
    RepRow,
    TeamChanged,
    TeamSettings,
    TeamSummary,
    TeamTable,
    esc,
)
from bot.services.scoring import (
    EffectiveGoal,
    effective_goals_by_rep,
    progress_for,
    progress_span,
    week_on_track,
    week_span,
)
from bot.store import outbox as ob
from bot.store import queries as q
from bot.store.models import Team


@dataclass(frozen=True)
class NeedsTimezone:
    """``/team create`` without ``tz=``: the caller's Slack timezone must be fetched first (after the ack)."""

    user_id: str


@dataclass(frozen=True)
class NeedsChannelCheck:
    """``/team create`` or ``/team channel``: Slack must first say ``user_id`` is in ``channel_id``
    (after the ack); the command then runs again with ``in_channel=channel_id``."""

    user_id: str
    channel_id: str


TeamOutcome = (
    Export
    | TeamTable
    | TeamSummary
    | TeamSettings
    | TeamChanged
    | NeedsTimezone
    | NeedsChannelCheck
    | IntegrationsView
    | Notice
    | Help
    | Problem
)


def not_a_manager() -> Problem:
    return Problem(
        _("Only a team's managers can change it."),
        _("See your team with `/team`. To start your own team: `/team create Sales East #sales-east`."),
    )


def not_in_channel(channel_id: str, *, visible: bool) -> Problem:
    """Slack said the caller isn't in the channel (``visible``), or the bot can't see it at all."""
    if visible:
        return Problem(
            _(
                "You're not in <#{channel}>, so I didn't give it a team — a team's channel is one its "
                "manager is in.",
                channel=channel_id,
            ),
            _("Join <#{channel}> first, or pick a channel you're in.", channel=channel_id),
        )
    return Problem(
        _("I can't see <#{channel}>, so I didn't give it a team.", channel=channel_id),
        _("If it's a private channel, invite me first with `/invite @Sales Check-ins`, then try again."),
    )


class TeamService(ServiceBase):
    def __init__(self, *args, integrations: IntegrationService | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.integrations = integrations or IntegrationService(self._session_factory, self._clock)

    def team(
        self, *, workspace_id: str, user_id: str, text: str, in_channel: str | None = None
    ) -> TeamOutcome:
        """``in_channel``: a channel Slack has just said the caller is a member of (the Slack layer
        asks when a command returns :class:`NeedsChannelCheck`)."""
        self.ensure_workspace(workspace_id)
        with self.transaction(write=True) as session:
            caller = self.caller(session, workspace_id, user_id)
            command = p.parse_team(text, today=caller.today(), metrics=caller.metrics)
            if isinstance(command, p.ParseError):
                return Problem(command.message, command.usage)
            if isinstance(command, p.TeamHelp):
                return Help("/team", tuple(caller.metrics), bool(caller.managed))
            if isinstance(command, p.TeamView):
                return self._view(session, caller)
            if isinstance(command, p.TeamCeilings):
                return show_ceilings(caller)
            if isinstance(command, p.TeamCreate):
                return self._create(session, caller, command, in_channel)
            if isinstance(command, p.TeamMeetingShow | p.TeamVideoShow):
                return meetings.show(caller, command)
            if isinstance(command, pv.TeamHolidaysShow):
                return holidays_seen(caller.managed_team or caller.rep_team, caller.today())
            if isinstance(command, pv.LanguageShow):
                return team_language_seen(caller.managed_team or caller.rep_team)
            if isinstance(command, pv.TeamCurrencyShow):
                return team_currency_seen(caller.managed_team or caller.rep_team)
            team = caller.managed_team
            if team is None:
                return (
                    not_a_manager_of_integrations()
                    if isinstance(command, TeamIntegrations)
                    else not_a_manager()
                )
            if isinstance(command, TeamIntegrations):
                return self.integrations.manage(session, caller, team, command)
            if isinstance(command, pv.LanguageSet):
                own = q.profile(session=session, workspace_id=caller.workspace_id, user_id=caller.user_id)
                return set_team_language(team, command, caller_chose=bool(own and normalize(own.language)))
            if isinstance(command, pv.TeamCurrency):
                return set_team_currency(team, command)
            if isinstance(command, p.TeamChannel):
                return self._move(session, caller, team, command, in_channel)
            if isinstance(command, p.TeamDelete):
                return self._delete(session, caller, team, command)
            if isinstance(command, p.TeamAdd):
                return self._add(session, caller, team, command.user_ids)
            if isinstance(command, p.TeamRemove):
                return self._remove(session, caller, team, command.user_ids)
            if isinstance(command, p.TeamManagersAdd):
                return self._add_managers(session, caller, team, command.user_ids)
            if isinstance(command, p.TeamManagersRemove):
                return self._remove_managers(session, caller, team, command.user_ids)
            if isinstance(command, p.TeamExport):
                return month_csv(session, caller, team, command)
            if isinstance(command, p.TeamCeiling):
                return set_ceiling(caller, team, command)
            if isinstance(command, p.TeamMeeting | p.TeamMeetingOff | p.TeamVideo):
                changed = meetings.configure(team, command)
                return changed if isinstance(changed, Problem) else settings_of(team, changed)
            return self._configure(session, caller, team, command)

    # --- create and membership ------------------------------------------------------------

    def _create(
        self, session, caller: Caller, command: p.TeamCreate, in_channel: str | None
    ) -> TeamChanged | NeedsTimezone | NeedsChannelCheck | Problem:
        q.lock_workspace_teams(session=session, workspace_id=caller.workspace_id)
        if q.team_by_name(session=session, workspace_id=caller.workspace_id, name=command.name) is not None:
            return Problem(
                _("There's already a team called *{team}*.", team=esc(command.name)),
                _("Pick another name: `/team create Sales West #sales-west`."),
            )
        taken = self._channel_taken(session, caller, command.channel_id)
        if taken is not None:
            return taken
        tz = command.tz or (caller.profile.tz if caller.profile is not None else None)
        if tz is None:
            return NeedsTimezone(caller.user_id)
        if in_channel != command.channel_id:
            return NeedsChannelCheck(caller.user_id, command.channel_id)
        team = Team(
            workspace_id=caller.workspace_id,
            name=command.name,
            name_key=command.name.casefold(),
            channel_id=command.channel_id,
            timezone=tz,
            workdays="0,1,2,3,4",
            standup_weekday=0,
            standup_time="09:00",
            scoreboard=Scoreboard.KUDOS_ONLY.value,
            created_by=caller.user_id,
            created_at=caller.now,
        )
        session.add(team)
        session.flush()
        q.add_member(
            session=session,
            team=team,
            user_id=caller.user_id,
            role=Role.MANAGER,
            by=caller.user_id,
            now=caller.now,
        )
        return TeamChanged(
            _(
                "Created *{team}* in <#{channel}> — you're its manager. "
                "Times are {tz}; standups {weekday} {time}; workdays {workdays}.",
                team=esc(team.name),
                channel=team.channel_id,
                tz=tz,
                weekday=fmt.weekday(0),
                time=team.standup_time,
                workdays=describe_workdays(parse_workdays(team.workdays)),
            ),
            _(
                "Next: add reps with `/team add @ana @ben`, then agree goals: "
                "`/goals team 25 calls/day, 5 demos/week`."
            ),
            refresh_users=(),
        )

    def _channel_taken(
        self, session, caller: Caller, channel_id: str, team: Team | None = None
    ) -> Problem | None:
        """A channel belongs to at most one team: its standup and its answers' thread are that team's."""
        other = q.team_on_channel(session=session, workspace_id=caller.workspace_id, channel_id=channel_id)
        if other is None or (team is not None and other.id == team.id):
            return None
        mine = caller.manages(other.id)
        return Problem(
            _(
                "<#{channel}> is already *{team}*'s channel — a channel has one team, "
                "so its standup stays theirs. Nothing was changed.",
                channel=channel_id,
                team=esc(other.name),
            ),
            _("Pick another channel, or move *{team}* first with `/team channel #…`.", team=esc(other.name))
            if mine
            else _("Pick another channel, or ask one of its managers."),
        )

    def _move(
        self, session, caller: Caller, team: Team, command: p.TeamChannel, in_channel: str | None
    ) -> TeamSettings | NeedsChannelCheck | Notice | Problem:
        """Move the team to another channel: the standups it posts from now on, and the ones already
        planned, go there (they are the team's, whatever channel they were planned for)."""
        if command.channel_id == team.channel_id:
            return Notice(
                _("*{team}* already uses <#{channel}>.", team=esc(team.name), channel=team.channel_id)
            )
        q.lock_workspace_teams(session=session, workspace_id=caller.workspace_id)
        taken = self._channel_taken(session, caller, command.channel_id, team)
        if taken is not None:
            return taken
        if in_channel != command.channel_id:
            return NeedsChannelCheck(caller.user_id, command.channel_id)
        old = team.channel_id
        team.channel_id = command.channel_id
        ob.move_standups(
            session=session, workspace_id=caller.workspace_id, team_id=team.id, channel_id=team.channel_id
        )
        return settings_of(
            team, _("Its channel is now <#{channel}> (was <#{old}>).", channel=team.channel_id, old=old)
        )

    def _delete(self, session, caller: Caller, team: Team, command: p.TeamDelete) -> TeamChanged | Problem:
        """Delete a team the caller manages, once they confirm with its name. History stays: its
        entries, goals, answers and messages keep their rows; the team leaves every view and the
        clock, its reps are free to join another team, and its name and channel are free."""
        named = command.name.casefold() if command.name is not None else None
        target = next((t for t in caller.managed if t.name_key == named), None)
        if target is None:
            reps = q.team_members(session=session, team_id=team.id, role=Role.REP)
            ask = _("To delete *{team}*, confirm with its name: `/team delete {team}`.", team=esc(team.name))
            if command.name is not None:
                ask = _(
                    "You don't run a team called *{name}*. To delete *{team}*, confirm with its name: "
                    "`/team delete {team}`.",
                    name=esc(command.name),
                    team=esc(team.name),
                )
            return Problem(
                ask,
                n_(
                    "Its {n} rep leaves it and the standups in <#{channel}> stop. Everything logged stays, "
                    "and so do its past standups.",
                    "Its {n} reps leave it and the standups in <#{channel}> stop. Everything logged stays, "
                    "and so do its past standups.",
                    len(reps),
                    channel=team.channel_id,
                ),
            )
        members = q.team_members(session=session, team_id=target.id)
        reps = [m.user_id for m in members if m.role == Role.REP.value]
        for m in members:
            m.removed_at, m.removed_by = caller.now, caller.user_id
        target.deleted_at, target.deleted_by = caller.now, caller.user_id
        target.name_key = f"#deleted:{target.id}"  # the name is free for a new team
        skipped = ob.skip_team(session=session, team_id=target.id, reason="the team was deleted")
        fields = {"team": esc(target.name), "channel": target.channel_id}
        said = _("Deleted *{team}*: <#{channel}> gets no more standups.", **fields)
        if skipped and reps:
            said = _(
                "Deleted *{team}*: <#{channel}> gets no more standups ({planned}), and {freed}.",
                planned=_planned(skipped),
                freed=_freed(reps),
                **fields,
            )
        elif skipped:
            said = _(
                "Deleted *{team}*: <#{channel}> gets no more standups ({planned}).",
                planned=_planned(skipped),
                **fields,
            )
        elif reps:
            said = _(
                "Deleted *{team}*: <#{channel}> gets no more standups, and {freed}.",
                freed=_freed(reps),
                **fields,
            )
        return TeamChanged(
            said,
            _(
                "Everything logged is kept, and so are its past standups. "
                "Add a rep to another team with `/team add @rep`."
            ),
        )

    def _add(self, session, caller: Caller, team: Team, user_ids) -> TeamChanged | Problem:
        added, already = [], []
        for uid in user_ids:
            other = self.rep_team(session, caller.workspace_id, uid)
            if other is not None and other.id == team.id:
                already.append(uid)
            elif other is not None:
                return Problem(
                    _(
                        "<@{user}> is already a rep on *{team}* — a rep is on one team at a time. "
                        "Nobody was added.",
                        user=uid,
                        team=esc(other.name),
                    ),
                    _("Their manager can remove them first with `/team remove <@{user}>`.", user=uid),
                )
            else:
                added.append(uid)
        for uid in added:
            q.add_member(
                session=session, team=team, user_id=uid, role=Role.REP, by=caller.user_id, now=caller.now
            )
            q.ensure_profile(session=session, workspace_id=caller.workspace_id, user_id=uid, now=caller.now)
        if not added:
            return TeamChanged(
                n_(
                    "{names} is already on *{team}*.",
                    "{names} are already on *{team}*.",
                    len(already),
                    names=_names(already),
                    team=esc(team.name),
                )
            )
        message = n_(
            "Added {names} to *{team}* as a rep.",
            "Added {names} to *{team}* as reps.",
            len(added),
            names=_names(added),
            team=esc(team.name),
        )
        if already:
            message = _(
                "{added} {already}",
                added=message,
                already=n_(
                    "({names} already was on it.)",
                    "({names} already were on it.)",
                    len(already),
                    names=_names(already),
                ),
            )
        return TeamChanged(
            message,
            _(
                "They start in *onboarding*: a short daily check-in until they've found their feet. "
                "Set their goals with `/goals @rep 25 calls/day` (or rely on the team default)."
            ),
            refresh_users=tuple(added),
        )

    def _remove(self, session, caller: Caller, team: Team, user_ids) -> TeamChanged | Problem:
        reps = {m.user_id: m for m in q.team_members(session=session, team_id=team.id, role=Role.REP)}
        missing = [u for u in user_ids if u not in reps]
        if missing:
            return Problem(
                n_(
                    "{names} is not a rep on *{team}*. Nobody was removed.",
                    "{names} are not reps on *{team}*. Nobody was removed.",
                    len(missing),
                    names=_names(missing),
                    team=esc(team.name),
                )
            )
        for uid in user_ids:
            reps[uid].removed_at = caller.now
            reps[uid].removed_by = caller.user_id
        return TeamChanged(
            _("Removed {names} from *{team}*.", names=_names(user_ids), team=esc(team.name)),
            _("Their logged activity is kept; the bot won't check in on them any more."),
        )

    def _add_managers(self, session, caller: Caller, team: Team, user_ids) -> TeamChanged:
        current = {m.user_id for m in q.team_members(session=session, team_id=team.id, role=Role.MANAGER)}
        added = [u for u in user_ids if u not in current]
        for uid in added:
            q.add_member(
                session=session, team=team, user_id=uid, role=Role.MANAGER, by=caller.user_id, now=caller.now
            )
        if not added:
            return TeamChanged(
                n_(
                    "{names} already manages *{team}*.",
                    "{names} already manage *{team}*.",
                    len(user_ids),
                    names=_names(user_ids),
                    team=esc(team.name),
                )
            )
        return TeamChanged(
            n_(
                "{names} now co-manages *{team}*.",
                "{names} now co-manage *{team}*.",
                len(added),
                names=_names(added),
                team=esc(team.name),
            ),
            _("Managers get alerts and one-on-one prompts by DM."),
            refresh_users=tuple(added),
        )

    def _remove_managers(self, session, caller: Caller, team: Team, user_ids) -> TeamChanged | Problem:
        managers = {m.user_id: m for m in q.team_members(session=session, team_id=team.id, role=Role.MANAGER)}
        missing = [u for u in user_ids if u not in managers]
        if missing:
            return Problem(
                n_(
                    "{names} is not a manager of *{team}*.",
                    "{names} are not managers of *{team}*.",
                    len(missing),
                    names=_names(missing),
                    team=esc(team.name),
                )
            )
        if len(set(user_ids)) >= len(managers):
            return Problem(
                _("*{team}* needs at least one manager.", team=esc(team.name)),
                _("Add another first: `/team managers add @m`."),
            )
        for uid in user_ids:
            managers[uid].removed_at = caller.now
            managers[uid].removed_by = caller.user_id
        return TeamChanged(
            n_(
                "{names} no longer manages *{team}*.",
                "{names} no longer manage *{team}*.",
                len(user_ids),
                names=_names(user_ids),
                team=esc(team.name),
            )
        )

    # --- settings ---------------------------------------------------------------------------

    def _configure(self, session, caller: Caller, team: Team, command) -> TeamSettings | Problem:
        if isinstance(command, p.TeamStandup):
            team.standup_weekday = command.weekday
            team.standup_time = command.at.strftime("%H:%M")
            changed = _(
                "Weekly standup: {weekday} {time} ({tz}).",
                weekday=fmt.weekday(command.weekday),
                time=team.standup_time,
                tz=team.timezone,
            )
        elif isinstance(command, p.TeamWorkdays):
            team.workdays = format_workdays(command.days)
            changed = _("Working days: {days}.", days=describe_workdays(command.days))
        elif isinstance(command, p.TeamHolidays):
            if command.country is None:
                team.holiday_country = None
                team.holiday_subdivision = None
                changed = _("Public holidays are no longer days off for this team.")
            else:
                problem = holiday_country_is_valid(command.country, command.subdivision)
                if problem:
                    return Problem(
                        problem, _("`/team holidays US` · `/team holidays GB` · `/team holidays none`")
                    )
                team.holiday_country = command.country
                team.holiday_subdivision = command.subdivision
                where = command.country + (f"-{command.subdivision}" if command.subdivision else "")
                changed = _(
                    "Public holidays of {where} are now days off: no check-ins, and they don't count "
                    "against goals.",
                    where=where,
                )
                coming = holidays_list(team, caller.today(team))
                if coming:
                    changed += "\n" + coming
        elif isinstance(command, p.TeamScoreboard):
            team.scoreboard = command.mode.value
            changed = (
                _("The standup will show every rep's numbers.")
                if command.mode is Scoreboard.PUBLIC
                else _("The standup will only praise: team totals and kudos, never anyone's shortfall.")
            )
        else:  # pragma: no cover - the parser returns nothing else
            return Problem(_("I didn't understand that."))
        return settings_of(team, changed)

    # --- views ------------------------------------------------------------------------------

    def _view(self, session, caller: Caller) -> TeamTable | TeamSummary | Problem:
        if caller.managed:
            return self.table_for(session, caller, caller.managed_team)
        if caller.rep_team is not None:
            return self._summary(session, caller, caller.rep_team)
        return not_on_a_team()

    def _rows(self, session, caller: Caller, team: Team) -> list[RepRow]:
        """Each rep's week so far, month's quota pace, stage, last day logged and whether away today,
        from the team's entries only (never what a rep logged on another team).

        A handful of queries for the whole team, however many reps it has: goals, entries and away
        days are read for every rep at once, over the days the reps' windows span together.
        """
        reps = [m.user_id for m in q.team_members(session=session, team_id=team.id, role=Role.REP)]
        if not reps:
            return []
        profiles = q.profiles(session=session, workspace_id=caller.workspace_id, user_ids=reps)
        last = q.last_logged(
            session=session, workspace_id=caller.workspace_id, team_id=team.id, user_ids=reps
        )
        goals_by_rep = effective_goals_by_rep(
            session, team=team, user_ids=reps, metrics=caller.metric_map, at=caller.now
        )
        today: dict[str, date] = {}
        goals: dict[str, list[EffectiveGoal]] = {}
        spans: list[tuple[date, date]] = []
        for uid in reps:
            prof = profiles.get(uid)
            today[uid] = local_date(caller.now, prof.tz if prof is not None and prof.tz else team.timezone)
            goals[uid] = [
                g for g in goals_by_rep[uid] if not g.metric.is_result or g.period is not Period.DAY
            ]
            span = progress_span(goals[uid], today[uid], week_goals_as_days=True)
            spans += [(today[uid], today[uid])] + ([span] if span is not None else [])
        start, end = min(s for s, _ in spans), max(e for _, e in spans)
        daily = (
            q.daily_sums_by_rep(
                session=session,
                workspace_id=caller.workspace_id,
                team_id=team.id,
                user_ids=reps,
                start=start,
                end=end,
            )
            if any(goals.values())
            else {}
        )
        away = q.away_days_by_rep(
            session=session, workspace_id=caller.workspace_id, user_ids=reps, start=start, end=end
        )
        rows = []
        for uid in reps:
            prof = profiles.get(uid)
            progress = progress_for(
                session,
                workspace_id=caller.workspace_id,
                team_id=team.id,
                user_id=uid,
                goals=goals[uid],
                day=today[uid],
                calendar=team_calendar(team, today[uid]),
                week_goals_as_days=True,
                away=away.get(uid, frozenset()),
                daily=daily.get(uid, {}),
            )
            rows.append(
                RepRow(
                    user_id=uid,
                    progress=tuple(progress),
                    stage=Stage(prof.stage) if prof is not None else Stage.ONBOARDING,
                    last_logged=last.get(uid),
                    away=today[uid] in away.get(uid, frozenset()),
                )
            )
        return rows

    def table_for(self, session, caller: Caller, team: Team) -> TeamTable:
        today = local_date(caller.now, team.timezone)
        managers = [m.user_id for m in q.team_members(session=session, team_id=team.id, role=Role.MANAGER)]
        return TeamTable(
            team_name=team.name,
            channel_id=team.channel_id,
            week_start=period_bounds(Period.WEEK, today)[0],
            today=today,
            rows=tuple(self._rows(session, caller, team)),
            managers=tuple(managers),
        )

    def _summary(self, session, caller: Caller, team: Team) -> TeamSummary:
        today = local_date(caller.now, team.timezone)
        week_start = period_bounds(Period.WEEK, today)[0]
        reps = [m.user_id for m in q.team_members(session=session, team_id=team.id, role=Role.REP)]
        sums = q.sums_by_metric(
            session=session,
            workspace_id=caller.workspace_id,
            team_id=team.id,
            user_ids=reps,
            start=week_start,
            end=today,
        )
        totals: dict[str, Decimal] = {}
        for per_rep in sums.values():
            for key, amount in per_rep.items():
                totals[key] = totals.get(key, Decimal(0)) + amount
        last_week = week_start - timedelta(days=7)
        calendar = team_calendar(team, last_week)
        goals = effective_goals_by_rep(
            session, team=team, user_ids=reps, metrics=caller.metric_map, at=caller.now
        )
        daily: dict[str, dict[date, dict[str, Decimal]]] = {}
        away: dict[str, frozenset[date]] = {}
        if reps:
            start = min(week_span(goals[uid], last_week)[0] for uid in reps)
            end = last_week + timedelta(days=6)
            daily = q.daily_sums_by_rep(
                session=session,
                workspace_id=caller.workspace_id,
                team_id=team.id,
                user_ids=reps,
                start=start,
                end=end,
            )
            away = q.away_days_by_rep(
                session=session, workspace_id=caller.workspace_id, user_ids=reps, start=last_week, end=end
            )
        kudos = [
            uid
            for uid in reps
            if week_on_track(
                session,
                workspace_id=caller.workspace_id,
                team_id=team.id,
                user_id=uid,
                goals=goals[uid],
                week_start=last_week,
                calendar=calendar,
                daily=daily.get(uid, {}),
                away=away.get(uid, frozenset()),
            )
        ]
        scoreboard = Scoreboard(team.scoreboard)
        return TeamSummary(
            team_name=team.name,
            week_start=week_start,
            today=today,
            totals=tuple((m, totals[m.key]) for m in caller.metrics if m.key in totals),
            kudos=tuple(kudos),
            scoreboard=scoreboard,
            public_rows=tuple(self._rows(session, caller, team)) if scoreboard is Scoreboard.PUBLIC else (),
        )


def describe_workdays(days: frozenset[int]) -> str:
    """ "Mon–Fri", "Sun–Thu" (a run may wrap past Sunday), or a plain list ("hën–pre" in Albanian)."""
    ordered = sorted(days)

    def short(d: int) -> str:
        return fmt.weekday(d, width="abbreviated")

    if 2 < len(ordered) < 7:
        for first in ordered:
            run = [(first + i) % 7 for i in range(len(ordered))]
            if set(run) == days:
                return _("{first}–{last}", first=short(run[0]), last=short(run[-1]))
    if len(ordered) == 7:
        return _("every day")
    return _(", ").join(short(d) for d in ordered)


# --- language, currency and holidays ------------------------------------------------


def _where(team: Team) -> str:
    return team.holiday_country + (f"-{team.holiday_subdivision}" if team.holiday_subdivision else "")


def holidays_list(team: Team, today: date) -> str:
    """The team's next public holidays, a line each, named in the reader's language ("" if none)."""
    if not team.holiday_country:
        return ""
    coming = upcoming_holidays(team.holiday_country, team.holiday_subdivision, today)
    if not coming:
        return ""
    lines = [_("The next ones:")]
    lines += [_("• {day}: {name}", day=fmt.long_date(d), name=esc(name)) for d, name in coming]
    return "\n".join(lines)


def holidays_seen(team: Team | None, today: date) -> Notice | Problem:
    """``/team holidays`` alone: the team's country and its coming public holidays."""
    if team is None:
        return not_on_a_team()
    if not team.holiday_country:
        return Notice(
            _("*{team}* doesn't take public holidays off.", team=esc(team.name)),
            _(
                "A manager can set its country: `/team holidays AL`, `/team holidays XK`, `/team holidays US`."
            ),
        )
    return Notice(
        _(
            "*{team}* takes the public holidays of {where} off: no check-ins, and they don't count "
            "against goals.",
            team=esc(team.name),
            where=_where(team),
        ),
        holidays_list(team, today) or _("No public holidays in the next twelve months."),
    )


def language_choices() -> str:
    """ "English (`en`) · shqip (`sq`)": each language in its own name."""
    return " · ".join(f"{endonym(code)} (`{code}`)" for code in available())


def unknown_language(code: str, command: str) -> Problem:
    return Problem(
        _("I don't speak “{code}” yet. I speak: {choices}.", code=code, choices=language_choices()),
        _("Try `{command} sq` or `{command} en`.", command=command),
    )


def team_language_seen(team: Team | None) -> Notice | Problem:
    if team is None:
        return not_on_a_team()
    current = normalize(team.language) or SOURCE
    return Notice(
        _("*{team}* speaks {language}.", team=esc(team.name), language=fmt.language_name(current)),
        _(
            "Languages: {choices}. A manager changes it with `/team language sq`; each person can "
            "choose their own with `/checkin language`.",
            choices=language_choices(),
        ),
    )


def set_team_language(team: Team, command: pv.LanguageSet, *, caller_chose: bool) -> TeamChanged | Problem:
    """The team's language: its channel posts, and its people's DMs unless they chose their own — the
    manager's too: one who hasn't chosen reads this answer in the team's new language already."""
    if command.language is None:
        team.language = None
        chosen = SOURCE
    else:
        chosen = normalize(command.language)
        if chosen is None or chosen == PSEUDO:
            return unknown_language(command.language, "/team language")
        team.language = chosen
    with speaking(None if caller_chose else chosen):
        return _team_language_set(team, chosen)


def _team_language_set(team: Team, chosen: str) -> TeamChanged:
    return TeamChanged(
        _(
            "*{team}* now speaks {language}: its standups and channel posts, and the DMs of its people "
            "who haven't chosen a language of their own.",
            team=esc(team.name),
            language=fmt.language_name(chosen),
        ),
        _("Anyone can choose their own with `/checkin language sq` or `/checkin language en`."),
    )


def team_currency_seen(team: Team | None) -> Notice | Problem:
    if team is None:
        return not_on_a_team()
    code = (team.currency or DEFAULT_CURRENCY).upper()
    return Notice(
        _(
            "*{team}* counts money in {currency} ({code}).",
            team=esc(team.name),
            currency=fmt.currency_name(code),
            code=code,
        ),
        _("A manager changes it with `/team currency EUR` (or `ALL`, `USD`, any ISO 4217 code)."),
    )


def set_team_currency(team: Team, command: pv.TeamCurrency) -> TeamChanged | Problem:
    """The currency the team's money is logged, counted and shown in from now on. What was logged
    before keeps its own currency: nothing is converted, and goals' progress counts the new one."""
    if not fmt.is_currency(command.code):
        return Problem(
            _("“{code}” isn't a currency code I know.", code=command.code),
            _("Give its ISO 4217 code: `/team currency EUR`, `/team currency ALL`, `/team currency USD`."),
        )
    fields = {"team": esc(team.name), "currency": fmt.currency_name(command.code), "code": command.code}
    if (team.currency or "").upper() == command.code:
        return TeamChanged(_("*{team}* already counts money in {currency} ({code}).", **fields))
    team.currency = command.code
    return TeamChanged(
        _("*{team}* now counts money in {currency} ({code}).", **fields),
        _(
            "What was logged before stays as it was, in its own currency (the export shows it); "
            "progress towards money goals counts {code} from now on. Nothing is converted.",
            code=command.code,
        ),
    )


def endonym(code: str) -> str:
    """A language's name in itself ("shqip", "English"): the same for every reader."""
    return fmt.endonym(code)


def settings_of(team: Team, changed: str) -> TeamSettings:
    holidays = None
    if team.holiday_country:
        holidays = team.holiday_country + (f"-{team.holiday_subdivision}" if team.holiday_subdivision else "")
    return TeamSettings(
        team_name=team.name,
        channel_id=team.channel_id,
        timezone=team.timezone,
        workdays=parse_workdays(team.workdays),
        standup_weekday=team.standup_weekday,
        standup_time=team.standup_time,
        holidays=holidays,
        scoreboard=Scoreboard(team.scoreboard),
        changed=changed,
        meeting=meetings.slot(team) if team.meeting_url else None,
        meeting_url=team.meeting_url if meetings.slot(team) else None,
        video_url=team.video_url,
    )


def not_on_a_team() -> Problem:
    return Problem(
        _("You're not on a team yet."),
        _(
            "Start one with `/team create Sales East #sales-east` (you become its manager), "
            "or ask your manager to add you with `/team add @you`."
        ),
    )


def _names(user_ids) -> str:
    names = [f"<@{u}>" for u in user_ids]
    if len(names) <= 1:
        return "".join(names)
    return _("{names} and {last}", names=_(", ").join(names[:-1]), last=names[-1])


def _planned(skipped: int) -> str:
    return n_("{n} planned message won't go", "{n} planned messages won't go", skipped)


def _freed(reps: list[str]) -> str:
    return n_(
        "{names} is free to join another team",
        "{names} are free to join another team",
        len(reps),
        names=_names(reps),
    )
