"""/goals: expectations, set together — managers set them, everyone sees their own."""

from __future__ import annotations

from bot.domain import parsing as p
from bot.domain.types import Period, Unit
from bot.i18n import _
from bot.services.activity import wrong_currency
from bot.services.context import Caller, ServiceBase, team_calendar
from bot.services.outcomes import GoalsChanged, GoalsView, GoalView, Help, Problem, esc
from bot.services.scoring import effective_goals, progress_for
from bot.store import queries as q
from bot.store.models import Goal, Team

GoalsOutcome = GoalsView | GoalsChanged | Help | Problem


def only_managers() -> Problem:
    return Problem(
        _("Only your manager can set goals — they're agreed together, then your manager records them."),
        _("You can see yours any time with `/goals`."),
    )


class GoalsService(ServiceBase):
    def goals(self, *, workspace_id: str, user_id: str, text: str) -> GoalsOutcome:
        self.ensure_workspace(workspace_id)
        with self.transaction(write=True) as session:
            caller = self.caller(session, workspace_id, user_id)
            command = p.parse_goals(text, metrics=caller.metrics)
            if isinstance(command, p.ParseError):
                return Problem(command.message, command.usage)
            if isinstance(command, p.GoalsHelp):
                return Help("/goals", tuple(caller.metrics), bool(caller.managed))
            if isinstance(command, p.GoalsTeamView):
                team = caller.managed_team or caller.rep_team
                if team is None:
                    return _no_team()
                return self._view(session, caller, team, None)
            if isinstance(command, p.GoalsView):
                if not command.user_ids or command.user_ids == (user_id,):
                    if caller.rep_team is None:
                        if caller.managed:
                            return Problem(
                                _(
                                    "You don't have goals of your own — you manage *{team}*.",
                                    team=esc(caller.managed_team.name),
                                ),
                                _("See a rep's with `/goals @rep`, or the team default with `/goals team`."),
                            )
                        return _no_team()
                    return self._view(session, caller, caller.rep_team, user_id)
                if len(command.user_ids) > 1:
                    return Problem(_("Name one rep at a time to see their goals."), "`/goals @rep`")
                rep = command.user_ids[0]
                team = self._managed_team_of(session, caller, rep)
                if isinstance(team, Problem):
                    return team
                return self._view(session, caller, team, rep)
            # Setting or clearing: managers only.
            if not caller.managed:
                return only_managers()
            if command.targets == (p.TEAM,):
                team = caller.managed_team
                subjects: list[str | None] = [None]
            else:
                teams = set()
                for rep in command.targets:
                    team_or_problem = self._managed_team_of(session, caller, rep)
                    if isinstance(team_or_problem, Problem):
                        return team_or_problem
                    teams.add(team_or_problem.id)
                if len(teams) > 1:
                    return Problem(
                        _("Those reps are on different teams; set their goals one team at a time.")
                    )
                team = session.get(Team, teams.pop())
                subjects = list(command.targets)
            if isinstance(command, p.GoalsSet):
                money = [caller.metric_map[i.metric] for i in command.items]
                other = wrong_currency(
                    [m for m in money if m.unit is Unit.CURRENCY],
                    command.currency,
                    team.currency,
                    goal=True,
                )
                if other is not None:
                    return other
                return self._set(session, caller, team, subjects, command)
            return self._clear(session, caller, team, subjects, command)

    def _managed_team_of(self, session, caller: Caller, rep: str) -> Team | Problem:
        team = self.rep_team(session, caller.workspace_id, rep)
        if team is None:
            if caller.managed:
                return Problem(
                    _("<@{user}> isn't a rep on any team yet.", user=rep),
                    _("Add them first: `/team add <@{user}>`.", user=rep),
                )
            return Problem(_("You can only see your own goals."), "`/goals`")
        if not caller.manages(team.id):
            if caller.managed:
                return Problem(_("<@{user}> is on a team you don't manage.", user=rep))
            return Problem(_("You can only see your own goals."), "`/goals`")
        return team

    def _view(self, session, caller: Caller, team: Team, subject: str | None) -> GoalsView:
        goals = effective_goals(session, team=team, user_id=subject, metrics=caller.metric_map, at=caller.now)
        progress = ()
        if subject is not None:
            today = self.rep_today(session, caller, team, subject)
            progress = tuple(
                progress_for(  # the team's entries only: a manager never sees a rep's other teams'
                    session,
                    workspace_id=caller.workspace_id,
                    team_id=team.id,
                    user_id=subject,
                    goals=goals,
                    day=today,
                    calendar=team_calendar(team, today),
                )
            )
        return GoalsView(
            subject=subject or p.TEAM,
            team_name=team.name,
            goals=tuple(g.view() for g in goals),
            progress=progress,
            is_self=subject == caller.user_id,
        )

    def _set(self, session, caller: Caller, team: Team, subjects, command: p.GoalsSet) -> GoalsChanged:
        metrics = caller.metric_map
        replaced = []
        for subject in subjects:
            before = {
                g.metric_key: g
                for g in q.goals_in_force(session=session, team_id=team.id, user_ids=[subject], at=caller.now)
                if g.user_id == subject
            }
            keys = [i.metric for i in command.items]
            q.close_goals(session=session, team_id=team.id, user_id=subject, metric_keys=keys, at=caller.now)
            for item in command.items:
                old = before.get(item.metric)
                if old is not None and subject == subjects[0]:
                    replaced.append(GoalView(metrics[item.metric], Period(old.period), old.target, False))
                session.add(
                    Goal(
                        workspace_id=caller.workspace_id,
                        team_id=team.id,
                        user_id=subject,
                        metric_key=item.metric,
                        period=item.period.value,
                        target=item.target,
                        effective_from=caller.now,
                        set_by=caller.user_id,
                        # a money target is in the team's currency, as it was when set
                        currency=team.currency if metrics[item.metric].unit is Unit.CURRENCY else None,
                    )
                )
            if subject is not None:
                q.ensure_profile(
                    session=session, workspace_id=caller.workspace_id, user_id=subject, now=caller.now
                )
        return GoalsChanged(
            targets=tuple(s or p.TEAM for s in subjects),
            team_name=team.name,
            set=tuple(GoalView(metrics[i.metric], i.period, i.target, False) for i in command.items),
            replaced=tuple(replaced),
        )

    def _clear(
        self, session, caller: Caller, team: Team, subjects, command: p.GoalsClear
    ) -> GoalsChanged | Problem:
        metrics = caller.metric_map
        keys = list(command.metrics) or None
        cleared: set[str] = set()
        for subject in subjects:
            in_force = [
                g
                for g in q.goals_in_force(session=session, team_id=team.id, user_ids=[subject], at=caller.now)
                if g.user_id == subject and (keys is None or g.metric_key in keys)
            ]
            cleared |= {g.metric_key for g in in_force}
            q.close_goals(session=session, team_id=team.id, user_id=subject, metric_keys=keys, at=caller.now)
        if not cleared:
            return Problem(
                _("There was no goal to clear for the team default.")
                if subjects == [None]
                else _("There was no goal to clear for that rep."),
                _("See goals with `/goals @rep` or `/goals team`."),
            )
        return GoalsChanged(
            targets=tuple(s or p.TEAM for s in subjects),
            team_name=team.name,
            cleared=tuple(m for k, m in metrics.items() if k in cleared),
        )


def _no_team() -> Problem:
    return Problem(
        _("You're not on a sales team yet."),
        _(
            "Ask your manager to add you with `/team add @you`, or start one with `/team create Name #channel`."
        ),
    )
