"""All use cases behind one handle, built once per process by the composition root."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import Engine

from bot.services.activity import ActivityService
from bot.services.checkin import CheckinService
from bot.services.clock import DEFAULT_GRACE, DEFAULT_SEND_WORKERS, ClockService
from bot.services.coaching import CoachingService
from bot.services.context import Clock, system_clock
from bot.services.goals import GoalsService
from bot.services.home import HomeService
from bot.services.integrations import DirectoryFor, IntegrationService
from bot.services.profiles import ProfileService
from bot.services.standup import StandupService
from bot.services.teams import TeamService
from bot.services.voices import VoiceService
from bot.store.db import make_session_factory, write_problem


@dataclass
class Services:
    engine: Engine
    activity: ActivityService
    goals: GoalsService
    teams: TeamService
    checkin: CheckinService
    profiles: ProfileService
    standup: StandupService
    clock: ClockService
    coaching: CoachingService
    home: HomeService
    integrations: IntegrationService
    voices: VoiceService

    def health(self) -> tuple[str, str] | None:
        """None when the database would take a write now, else ``(state, reason)``: a database that
        answers reads but can't take a write (locked, read-only) is as down as one that's gone."""
        return write_problem(self.engine)


def build_services(
    engine: Engine,
    clock: Clock = system_clock,
    *,
    grace: timedelta = DEFAULT_GRACE,
    send_workers: int = DEFAULT_SEND_WORKERS,
    public_url: str | None = None,
    directory_for: DirectoryFor | None = None,
) -> Services:
    """``public_url`` is the base of the CRM endpoints ``/team integrations`` shows; ``directory_for``
    looks reps' e-mails up in Slack for a workspace (the web process's, when a CRM names reps so)."""
    factory = make_session_factory(engine)
    integrations = IntegrationService(factory, clock, public_url=public_url, directory_for=directory_for)
    teams = TeamService(factory, clock, integrations=integrations)
    checkin = CheckinService(factory, clock)
    return Services(
        engine=engine,
        activity=ActivityService(factory, clock),
        goals=GoalsService(factory, clock),
        teams=teams,
        checkin=checkin,
        profiles=ProfileService(factory, clock),
        voices=VoiceService(factory, clock),
        standup=StandupService(factory, clock),
        clock=ClockService(factory, clock, grace=grace, send_workers=send_workers),
        coaching=CoachingService(factory, clock),
        home=HomeService(factory, clock, teams=teams, checkin=checkin),
        integrations=integrations,
    )
