"""Shared plumbing for the use cases: transactions, the clock, who a caller is, calendars."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache

import holidays as holidays_lib
from sqlalchemy.orm import Session, sessionmaker

from bot.domain.calendar import WorkCalendar, local_date
from bot.domain.types import Metric, Role
from bot.i18n import PSEUDO, _
from bot.i18n import language as i18n_language
from bot.store import queries as q
from bot.store.db import CommitUnconfirmed as CommitUnconfirmed  # for the edge: a save nobody can confirm
from bot.store.db import time_limit as time_limit  # for the edge: bound a request's database waits
from bot.store.db import transaction
from bot.store.models import Membership, RepProfile, Team

Clock = Callable[[], datetime]


def system_clock() -> datetime:
    """The wall clock: the one place the running processes read "now" (the composition root looks it
    up when it builds the services, so a test launcher can run a whole process at another instant)."""
    return datetime.now(UTC)


def parse_workdays(value: str) -> frozenset[int]:
    return frozenset(int(x) for x in value.split(",") if x != "")


def format_workdays(days: frozenset[int]) -> str:
    return ",".join(str(d) for d in sorted(days))


@lru_cache(maxsize=256)
def public_holidays(country: str, subdivision: str | None, years: tuple[int, ...]) -> frozenset[date]:
    """Public holidays from the ``holidays`` package, cached: the tables are static per year."""
    return frozenset(holidays_lib.country_holidays(country, subdiv=subdivision, years=years).keys())


@lru_cache(maxsize=256)
def _named_holidays(
    country: str, subdivision: str | None, years: tuple[int, ...], language: str | None
) -> tuple[tuple[date, str], ...]:
    found = holidays_lib.country_holidays(country, subdiv=subdivision, years=years, language=language)
    return tuple(sorted(found.items()))


def holidays_language(country: str, language: str) -> str | None:
    """The ``holidays`` package's language for ``country``'s names that fits the reader's ``language``
    ("sq", else "en_US"…; None: the country's own)."""
    supported = tuple(getattr(holidays_lib.country_holidays(country).__class__, "supported_languages", ()))
    base = "en" if language == PSEUDO else language
    for code in (base, *(c for c in supported if c.split("_")[0] == base), "en_US", "en_GB"):
        if code in supported:
            return code
    return None


def upcoming_holidays(
    country: str, subdivision: str | None, start: date, *, limit: int = 12
) -> list[tuple[date, str]]:
    """The next public holidays from ``start`` (inclusive) over a year, at most ``limit``, named in the
    current voice's language where the package has it (the names are the package's, not ours)."""
    end = start + timedelta(days=365)
    found = _named_holidays(
        country, subdivision, (start.year, start.year + 1), holidays_language(country, i18n_language())
    )
    return [(d, name) for d, name in found if start <= d < end][:limit]


def holiday_country_is_valid(country: str, subdivision: str | None) -> str | None:
    """None when the country (and subdivision) is known, else a friendly reason."""
    supported = holidays_lib.list_supported_countries()
    if country not in supported:
        return _(
            "I don't know public holidays for country code “{country}” (use ISO codes like US, GB, DE).",
            country=country,
        )
    if subdivision and subdivision not in supported[country]:
        return _(
            "“{subdivision}” isn't a subdivision of {country} I know.",
            subdivision=subdivision,
            country=country,
        )
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
        self._known_workspaces: set[str] = set()

    def now(self) -> datetime:
        return self._clock()

    @contextmanager
    def transaction(self, *, write: bool = True) -> Iterator[Session]:
        """A unit of work. Read-only ones (``write=False``) never take SQLite's write lock."""
        with transaction(self._session_factory, write=write) as session:
            yield session

    def ensure_workspace(self, workspace_id: str) -> None:
        """Seed a workspace the first time this process sees it (a short write, then remembered)."""
        if workspace_id in self._known_workspaces:
            return
        with self.transaction(write=True) as session:
            q.ensure_workspace(session=session, workspace_id=workspace_id, now=self.now())
        self._known_workspaces.add(workspace_id)

    def rep_team(self, session: Session, workspace_id: str, user_id: str) -> Team | None:
        """The team on which ``user_id`` is currently a rep, if any."""
        pairs = q.roles(session=session, workspace_id=workspace_id, user_id=user_id)
        return next((t for m, t in pairs if m.role == Role.REP.value), None)

    def rep_today(self, session: Session, caller: Caller, team: Team, user_id: str) -> date:
        """Today in the rep's own timezone (the team's until Slack has told us theirs)."""
        if user_id == caller.user_id:
            return caller.today(team)
        prof = q.profile(session=session, workspace_id=caller.workspace_id, user_id=user_id)
        return local_date(caller.now, prof.tz if prof is not None and prof.tz else team.timezone)

    def caller(self, session: Session, workspace_id: str, user_id: str) -> Caller:
        now = self.now()
        pairs = q.roles(session=session, workspace_id=workspace_id, user_id=user_id)
        rep = next(((m, t) for m, t in pairs if m.role == Role.REP.value), (None, None))
        return Caller(
            workspace_id=workspace_id,
            user_id=user_id,
            now=now,
            metrics=q.metrics(session=session, workspace_id=workspace_id),
            rep_of=rep[0],
            rep_team=rep[1],
            managed=[t for m, t in pairs if m.role == Role.MANAGER.value],
            profile=q.profile(session=session, workspace_id=workspace_id, user_id=user_id),
        )
