"""App Home: a rep's progress, streak and stage; a manager's team table with open alerts."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from bot.domain.calendar import local_date
from bot.domain.goals import streak
from bot.domain.schedule import period_key
from bot.domain.self_starter import SelfStarter
from bot.domain.types import Period
from bot.services import self_starter as starters
from bot.services.checkin import CheckinService
from bot.services.context import ServiceBase, team_calendar
from bot.services.integrations import from_crm
from bot.services.outcomes import CheckinView, FromCrm, ProgressLine, TeamTable
from bot.services.scoring import effective_goals, progress_for
from bot.services.teams import TeamService
from bot.store import queries as q

HANDLED_EVENTS_KEPT = timedelta(days=1)  # Slack gives up retrying an event within the hour


@dataclass(frozen=True)
class RepHome:
    team_id: int
    team_name: str
    today: str
    progress: tuple[ProgressLine, ...]
    streak: int
    checkin: CheckinView
    metrics: tuple[str, ...]  # for the quick-log modal
    week: str
    from_crm: FromCrm = ()  # of today's numbers, what came from a CRM


@dataclass(frozen=True)
class ManagerHome:
    team_id: int
    table: TeamTable
    open_alerts: dict[str, int]
    self_starters: dict[str, SelfStarter] = field(default_factory=dict)  # reps in onboarding


@dataclass(frozen=True)
class HomeView:
    user_id: str
    rep: RepHome | None
    manager: ManagerHome | None


class HomeService(ServiceBase):
    def __init__(self, *args, teams: TeamService, checkin: CheckinService, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._teams = teams
        self._checkin = checkin

    def home(self, *, workspace_id: str, user_id: str) -> HomeView:
        self.ensure_workspace(workspace_id)
        with self.transaction(write=False) as session:  # reads only: never holds SQLite's write lock
            caller = self.caller(session, workspace_id, user_id)
            rep = None
            if caller.rep_team is not None:
                team = caller.rep_team
                today = caller.today(team)
                calendar = team_calendar(team, today)
                goals = effective_goals(
                    session, team=team, user_id=user_id, metrics=caller.metric_map, at=caller.now
                )
                since = today - timedelta(days=120)
                days = q.logged_days(
                    session=session,
                    workspace_id=workspace_id,
                    team_id=team.id,
                    user_id=user_id,
                    start=since,
                    end=today,
                )
                away = q.away_days(
                    session=session, workspace_id=workspace_id, user_id=user_id, start=since, end=today
                )
                rep = RepHome(
                    team_id=team.id,
                    team_name=team.name,
                    today=today.isoformat(),
                    progress=tuple(
                        progress_for(
                            session,
                            workspace_id=workspace_id,
                            team_id=team.id,
                            user_id=user_id,
                            goals=goals,
                            day=today,
                            calendar=calendar,
                            include_today=False,
                        )
                    ),
                    streak=streak(days, today=today, calendar=calendar, away=away),
                    checkin=self._checkin.view_for(session, caller, user_id),
                    metrics=tuple(g.metric.key for g in goals if not g.metric.is_result),
                    week=period_key(Period.WEEK, today),
                    from_crm=from_crm(
                        session,
                        workspace_id=workspace_id,
                        team_id=team.id,
                        user_id=user_id,
                        day=today,
                        metrics=caller.metric_map,
                    ),
                )
            manager = None
            if caller.managed_team is not None:
                team = caller.managed_team
                month = period_key(Period.MONTH, local_date(caller.now, team.timezone))
                manager = ManagerHome(
                    team_id=team.id,
                    table=self._teams.table_for(session, caller, team),
                    open_alerts=q.open_alerts(
                        session=session, workspace_id=workspace_id, team_id=team.id, period_suffix=month
                    ),
                    self_starters=starters.for_team(session, team=team, now=caller.now),
                )
            return HomeView(user_id, rep, manager)

    def event_handled(self, *, event_id: str) -> bool:
        """True when this Events API event id was handled before (Slack retries repeat it)."""
        with self.transaction(write=False) as session:
            return q.event_handled(session=session, event_id=event_id)

    def record_handled_event(self, *, event_id: str, workspace_id: str) -> None:
        """Remember an event whose listener succeeded, so Slack's retries of it are ignored — and only
        then: a retry of a failed try runs again."""
        with self.transaction(write=True) as session:
            q.record_handled_event(
                session=session,
                event_id=event_id,
                workspace_id=workspace_id,
                now=self.now(),
                keep=HANDLED_EVENTS_KEPT,
            )
