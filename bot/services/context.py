"""Shared plumbing for the use cases: transactions, the clock, who a caller is, calendars."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import lru_cache

import holidays as holidays_lib
from sqlalchemy.orm import Session, sessionmaker

from bot.domain.calendar import WorkCalendar, local_date
from bot.domain.types import Metric, Role
from bot.store import queries as q
from bot.store.models import Membership, RepProfile, Team

Clock = Callable[[], datetime]


def system_clock() -> datetime:
    return datetime.now(UTC)


def parse_workdays(value: str) -> frozenset[int]:
    return frozenset(int(x) for x in value.split(",") if x != "")


def format_workdays(days: frozenset[int]) -> str:
    return ",".join(str(d) for d in sorted(days))


@lru_cache(maxsize=256)
def public_holidays(country: str, subdivision: str | None, years: tuple[int, ...]) -> frozenset[date]:
    """Public holidays from the ``holidays`` package, cached: the tables are static per year."""
    return frozenset(holidays_lib.country_holidays(country, subdiv=subdivision, years=years).keys())


def holiday_country_is_valid(country: str, subdivision: str | None) -> str | None:
    """None when the country (and subdivision) is known, else a friendly reason."""
    supported = holidays_lib.list_supported_countries()
    if country not in supported:
        return f"I don't know public holidays for country code “{country}” (use ISO codes like US, GB, DE)."
    if subdivision and subdivision not in supported[country]:
        return f"“{subdivision}” isn't a subdivision of {country} I know."
    return None


def team_calendar(team: Team, around: date) -> WorkCalendar:
    holidays: frozenset[date] = frozenset()
    if team.holiday_country:
        years = (around.year - 1, around.year, around.year + 1)
        holidays = public_holidays(team.holiday_country, team.holiday_subdivision, years)
    return WorkCalendar(workdays=parse_workdays(team.workdays), holidays=holidays)


@dataclass
class Caller:
    """Who is asking, and where they stand: their rep membership and the teams they manage."""

    workspace_id: str
    user_id: str
    now: datetime
    metrics: list[Metric]
    rep_of: Membership | None
    rep_team: Team | None
    managed: list[Team]
    profile: RepProfile | None

    @property
    def metric_map(self) -> dict[str, Metric]:
        return {m.key: m for m in self.metrics}

    @property
    def managed_team(self) -> Team | None:
        """The team a manager's commands act on: the one they most recently took charge of."""
        return self.managed[0] if self.managed else None

    def tz(self, team: Team | None = None) -> str:
        if self.profile is not None and self.profile.tz:
            return self.profile.tz
        team = team or self.rep_team or self.managed_team
        return team.timezone if team is not None else "UTC"

    def today(self, team: Team | None = None) -> date:
        return local_date(self.now, self.tz(team))

    def manages(self, team_id: int) -> bool:
        return any(t.id == team_id for t in self.managed)


class ServiceBase:
    def __init__(self, session_factory: sessionmaker[Session], clock: Clock = system_clock) -> None:
        self._session_factory = session_factory
        self._clock = clock

    def now(self) -> datetime:
        return self._clock()

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        with self._session_factory() as session, session.begin():
            yield session

    def rep_today(self, session: Session, caller: Caller, team: Team, user_id: str) -> date:
        """Today in the rep's own timezone (the team's until Slack has told us theirs)."""
        if user_id == caller.user_id:
            return caller.today(team)
        prof = q.profile(session=session, workspace_id=caller.workspace_id, user_id=user_id)
        return local_date(caller.now, prof.tz if prof is not None and prof.tz else team.timezone)

    def caller(self, session: Session, workspace_id: str, user_id: str) -> Caller:
        now = self.now()
        q.ensure_workspace(session=session, workspace_id=workspace_id, now=now)
        memberships = q.active_memberships(session=session, workspace_id=workspace_id, user_id=user_id)
        rep_of = next((m for m in memberships if m.role == Role.REP.value), None)
        managed_ids = [m.team_id for m in memberships if m.role == Role.MANAGER.value]
        teams = {
            t.id: t
            for t in (session.get(Team, i) for i in {*managed_ids, *([rep_of.team_id] if rep_of else [])})
        }
        return Caller(
            workspace_id=workspace_id,
            user_id=user_id,
            now=now,
            metrics=q.metrics(session=session, workspace_id=workspace_id),
            rep_of=rep_of,
            rep_team=teams.get(rep_of.team_id) if rep_of else None,
            managed=[teams[i] for i in managed_ids],
            profile=q.profile(session=session, workspace_id=workspace_id, user_id=user_id),
        )
