"""How fast are the team report and the App Home after two years of history? Real services, PostgreSQL.

A benchmark, not a test: it reports numbers and never judges them beyond printing PASS or MISS
next to the target. It creates a database of its own on the PostgreSQL server that
``--database-url`` names (dropped afterwards), migrates it, and seeds two years of a busy workspace
with set-based SQL: 25 teams of 20 reps by default, their managers, memberships that changed over
time, effective-dated goals, away periods, stage history, the outbox the clock left behind, and
about five million entries. Then it times what a person triggers — the manager's ``/team`` table,
the rep's ``/team`` summary, the App Home of a rep and of a manager, ``/log`` and ``/log week``,
``/checkin`` — through the real services and Block Kit builders, at a frozen "now" at the end of
the two years, and counts the SQL statements each one sends.

Run from the repository root:  python bench/report_queries.py --reps 100 --days 120
"""

from __future__ import annotations

import argparse
import math
import os
import platform
import random
import sys
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock_time
from decimal import Decimal
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[1]
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from sqlalchemy import Engine, event, func, insert, select, text  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402

from bench.clock_tick import WORKSPACE, ZONES, fresh_database  # noqa: E402
from bench.summary import Figure, record  # noqa: E402
from bot.config import normalize_database_url  # noqa: E402
from bot.domain.calendar import WorkCalendar, local_date, period_bounds, to_utc  # noqa: E402
from bot.domain.types import Period  # noqa: E402
from bot.migrate import upgrade  # noqa: E402
from bot.services.container import Services, build_services  # noqa: E402
from bot.services.context import public_holidays  # noqa: E402
from bot.slack.messages.home import home_view  # noqa: E402
from bot.slack.messages.replies import render  # noqa: E402
from bot.store.db import make_engine  # noqa: E402
from bot.store.models import (  # noqa: E402
    AwayPeriod,
    Entry,
    Goal,
    Membership,
    Outbox,
    RepProfile,
    StageChange,
    Team,
)
from bot.store.queries import ensure_workspace  # noqa: E402

TARGET_MS = 100.0  # p95 a person waits for, per operation
STAGES = (("onboarding", 0.15), ("steady", 0.5), ("autonomous", 0.2), ("support", 0.15))
# Entries in one /log: calls always; emails 90 %, presentations 50 %, notes 45 %, a deal 4 % (deal + revenue).
ENTRIES_PER_LOG = 2.93

# Indexes this benchmark can add after seeding (``--indexes NAME,…``) to show what they would change:
# each is exactly what a migration would create.
PROPOSED_INDEXES: dict[str, str] = {
    # Every read of a rep's entries by day wants live rows only and their metric and amount: with
    # these in the index the team's month is an index-only scan of a few dozen pages, where the
    # heap holds each rep's entries scattered over thousands (rows land in the order they are logged).
    "ix_entries_rep_day_live": (
        "CREATE INDEX IF NOT EXISTS ix_entries_rep_day_live ON entries (workspace_id, user_id, day) "
        "INCLUDE (metric_key, amount) WHERE deleted_at IS NULL"
    ),
}


# --- the seeded organisation -----------------------------------------------------------------


@dataclass
class SeedTeam:
    id: int
    name: str
    tz: str
    channel: str
    managers: list[str]
    calendar: WorkCalendar


@dataclass
class Span:
    """A stretch of time a rep spent on one team: ``end`` is None while they are still on it."""

    team: SeedTeam
    start: date
    end: date | None


@dataclass
class SeedRep:
    user_id: str
    factor: float  # how hard they work: scales calls and deals
    stage: str
    spans: list[Span]
    current: bool  # still a rep (False: left the company; their history stays)
    quota: bool  # has a monthly revenue quota
    quiet_for: int  # working days before today with nothing logged
    away: list[tuple[date, date]] = field(default_factory=list)

    @property
    def team(self) -> SeedTeam:
        return self.spans[-1].team


@dataclass
class Org:
    teams: list[SeedTeam]
    reps: list[SeedRep]
    first: date  # the first day of history
    today: date  # "today" at the frozen now (in New York; other zones differ by a day at most)

    @property
    def current(self) -> list[SeedRep]:
        return [r for r in self.reps if r.current]


def _instant(day: date, hour: int, tz: str) -> datetime:
    return to_utc(day, clock_time(hour, 0), tz)


def plan_org(*, reps: int, teams: int, days: int, now: datetime, rng: random.Random) -> Org:
    """Who was on which team when, in memory; ids of teams are filled in once inserted."""
    today = local_date(now, ZONES[0])
    first = today - timedelta(days=days - 1)
    years = tuple(range(first.year - 1, today.year + 2))
    plain = WorkCalendar(workdays=frozenset(range(5)))
    us = WorkCalendar(workdays=frozenset(range(5)), holidays=public_holidays("US", None, years))
    crew = [
        SeedTeam(
            id=0,
            name=f"Region {t:03d}",
            tz=ZONES[t % len(ZONES)],
            channel=f"C0REGION{t:03d}",
            managers=[f"U0MGR{t:03d}"] + ([f"U0COMGR{t:03d}"] if t % 5 == 4 else []),
            calendar=us if t % 3 == 2 else plain,
        )
        for t in range(teams)
    ]
    span_days = (today - first).days
    people: list[SeedRep] = []

    def stage() -> str:
        roll = rng.random()
        for name, share in STAGES:
            if roll < share:
                return name
            roll -= share
        return STAGES[0][0]

    for i in range(reps):
        team = crew[i * teams // reps]
        roll = rng.random()
        if roll < 0.1 and teams > 1:  # moved here from another team part-way through
            other = crew[(crew.index(team) + 1 + rng.randrange(teams - 1)) % teams]
            moved = first + timedelta(days=rng.randint(span_days // 4, span_days * 5 // 6))
            spans = [Span(other, first, moved - timedelta(days=1)), Span(team, moved, None)]
        elif roll < 0.16:  # hired part-way through
            joined = first + timedelta(days=rng.randint(span_days // 3, span_days * 3 // 4))
            spans = [Span(team, joined, None)]
        elif roll < 0.2:  # a new hire, still onboarding
            spans = [Span(team, today - timedelta(days=rng.randint(5, min(40, span_days))), None)]
        else:
            spans = [Span(team, first + timedelta(days=rng.randint(0, 20)), None)]
        joined = spans[-1].start
        people.append(
            SeedRep(
                user_id=f"U0REP{i:05d}",
                factor=rng.uniform(0.4, 1.5),
                stage="onboarding" if (today - joined).days < 35 else stage(),
                spans=spans,
                current=True,
                quota=rng.random() < 0.6,
                quiet_for=rng.randint(3, 6) if rng.random() < 0.05 else 0,
            )
        )
    for i in range(max(1, reps // 10)):  # reps who left: their entries stay on the team's history
        team = crew[rng.randrange(teams)]
        start = first + timedelta(days=rng.randint(0, span_days // 2))
        stayed = max(1, (today - start).days - 30)
        end = start + timedelta(days=rng.randint(min(60, stayed), stayed))
        people.append(
            SeedRep(
                user_id=f"U0FORMER{i:04d}",
                factor=rng.uniform(0.3, 1.2),
                stage="steady",
                spans=[Span(team, start, end)],
                current=False,
                quota=False,
                quiet_for=0,
            )
        )
    for rep in people:  # two or three holidays a year, a few days to two weeks each
        day = rep.spans[0].start + timedelta(days=rng.randint(20, 120))
        while day < today + timedelta(days=30):
            length = rng.choice((3, 4, 5, 7, 10, 14))
            rep.away.append((day, day + timedelta(days=length - 1)))
            day += timedelta(days=length + rng.randint(90, 200))
    return Org(teams=crew, reps=people, first=first, today=today)


def _tz_of(rep: SeedRep, i: int) -> str | None:
    """Mostly the team's zone; a tenth the next zone over; a few not fetched from Slack yet."""
    zone = rep.team.tz
    if i % 10 == 3:
        return ZONES[(ZONES.index(zone) + 1) % len(ZONES)]
    return None if i % 25 == 7 else zone


def seed_small_tables(engine: Engine, org: Org, now: datetime, rng: random.Random) -> None:
    """Teams, memberships, profiles, stage history, goals and away periods: ORM-free Core inserts."""
    created = _instant(org.first, 9, ZONES[0]) - timedelta(days=1)
    with engine.begin() as conn:
        conn.execute(
            insert(Team.__table__),
            [
                {
                    "workspace_id": WORKSPACE,
                    "name": t.name,
                    "name_key": t.name.casefold(),
                    "channel_id": t.channel,
                    "timezone": t.tz,
                    "workdays": "0,1,2,3,4",
                    "standup_weekday": 0,
                    "standup_time": "09:00",
                    "holiday_country": "US" if t.calendar.holidays else None,
                    "holiday_subdivision": None,
                    "scoreboard": "public" if i % 4 == 1 else "kudos-only",
                    "created_by": t.managers[0],
                    "created_at": created,
                }
                for i, t in enumerate(org.teams)
            ],
        )
        ids = dict(conn.execute(select(Team.name_key, Team.id).where(Team.workspace_id == WORKSPACE)).all())
    for t in org.teams:
        t.id = ids[t.name.casefold()]

    members: list[dict[str, Any]] = []
    profiles: list[dict[str, Any]] = []
    changes: list[dict[str, Any]] = []
    goals: list[dict[str, Any]] = []
    away: list[dict[str, Any]] = []
    last_closed = period_bounds(Period.WEEK, org.today)[0] - timedelta(days=7)

    def member(team: SeedTeam, user_id: str, role: str, start: date, end: date | None) -> dict[str, Any]:
        return {
            "workspace_id": WORKSPACE,
            "team_id": team.id,
            "user_id": user_id,
            "role": role,
            "added_by": team.managers[0],
            "added_at": _instant(start, 9, team.tz),
            "removed_by": team.managers[0] if end is not None else None,
            "removed_at": _instant(end + timedelta(days=1), 8, team.tz) if end is not None else None,
        }

    def profile(
        user_id: str, tz: str | None, stage: str, since: datetime, joined: datetime
    ) -> dict[str, Any]:
        return {
            "workspace_id": WORKSPACE,
            "user_id": user_id,
            "display_name": user_id.lower(),
            "tz": tz,
            "tz_fetched_at": now - timedelta(hours=rng.randint(1, 20)) if tz else None,
            "checkin_hour": 9,
            "stage": stage,
            "stage_since": since,
            "pinned_cadence": "weekly" if rng.random() < 0.03 else None,
            "evaluated_week": last_closed,
            "created_at": joined,
        }

    for t in org.teams:
        for n, manager in enumerate(t.managers):
            start = org.first if n == 0 else org.first + timedelta(days=rng.randint(30, 300))
            members.append(member(t, manager, "manager", start, None))
            profiles.append(profile(manager, t.tz, "onboarding", created, created))
        if t.id % 7 == 3:  # a manager who moved on
            former = f"U0EXMGR{t.id:03d}"
            members.append(member(t, former, "manager", org.first, org.first + timedelta(days=200)))
        for version, start in enumerate(_quarter_starts(org.first, org.today)):
            end = _replaced_on(start, org.today)
            for metric, period, target in (
                ("calls", "day", 18 + version % 3 * 2),
                ("presentations", "week", 4 + version % 2),
                ("emails", "day", 10),
            ):
                if metric == "emails" and t.id % 2:
                    continue
                goals.append(_goal(t, None, metric, period, target, start, end, None))

    for i, rep in enumerate(org.reps):
        for span in rep.spans:
            members.append(member(span.team, rep.user_id, "rep", span.start, span.end))
        joined = _instant(rep.spans[0].start, 9, rep.spans[0].team.tz)
        history = _stage_history(rep, org, rng)
        changes += history
        profiles.append(profile(rep.user_id, _tz_of(rep, i), rep.stage, history[-1]["at"], joined))
        for start, end in rep.away:
            away.append(
                {
                    "workspace_id": WORKSPACE,
                    "user_id": rep.user_id,
                    "start": start,
                    "end": end,
                    "created_at": joined,
                }
            )
        if not rep.current:
            continue
        span = rep.spans[-1]
        for start in _quarter_starts(span.start, org.today):
            end = _replaced_on(start, org.today)
            if rep.quota:
                quota = 30_000 + 5_000 * rng.randint(0, 4)
                goals.append(
                    _goal(
                        span.team, rep.user_id, "revenue", "month", quota, max(start, span.start), end, None
                    )
                )
            if i % 10 == 4:
                goals.append(
                    _goal(span.team, rep.user_id, "calls", "day", 25, max(start, span.start), end, None)
                )
        if rep.stage == "support":  # a short-term plan agreed in a 1:1, still running
            start = org.today - timedelta(days=rng.randint(1, 6))
            goals.append(
                _goal(span.team, rep.user_id, "calls", "day", 30, start, None, start + timedelta(days=14))
            )
        elif i % 7 == 0 and span.start < org.today - timedelta(days=120):  # one that ended
            start = org.today - timedelta(days=100)
            goals.append(
                _goal(
                    span.team,
                    rep.user_id,
                    "calls",
                    "day",
                    30,
                    start,
                    start + timedelta(days=20),
                    start + timedelta(days=14),
                )
            )

    with engine.begin() as conn:
        for table, rows in (
            (Membership.__table__, members),
            (RepProfile.__table__, profiles),
            (StageChange.__table__, changes),
            (Goal.__table__, goals),
            (AwayPeriod.__table__, away),
        ):
            for start in range(0, len(rows), 5_000):
                conn.execute(insert(table), rows[start : start + 5_000])


def _quarter_starts(first: date, last: date) -> Iterator[date]:
    start = first
    while start <= last:
        yield start
        start = _next_quarter(start)


def _next_quarter(day: date) -> date:
    return period_bounds(Period.QUARTER, day)[1] + timedelta(days=1)


def _replaced_on(start: date, today: date) -> date | None:
    """Goals are re-set each quarter: the version set on ``start`` ends the next; today's has no end yet."""
    end = _next_quarter(start)
    return end if end <= today else None


def _goal(
    team: SeedTeam,
    user_id: str | None,
    metric: str,
    period: str,
    target: int,
    start: date,
    end: date | None,
    ends_on: date | None,
) -> dict[str, Any]:
    return {
        "workspace_id": WORKSPACE,
        "team_id": team.id,
        "user_id": user_id,
        "metric_key": metric,
        "period": period,
        "target": Decimal(target),
        "effective_from": _instant(start, 8, team.tz),
        "effective_to": _instant(end, 8, team.tz) if end is not None else None,
        "set_by": team.managers[0],
        "ends_on": ends_on,
    }


def _stage_history(rep: SeedRep, org: Org, rng: random.Random) -> list[dict[str, Any]]:
    """Joined in onboarding, then a stage change every month or two, ending in the rep's stage."""
    joined = rep.spans[0].start
    last = (rep.spans[-1].end or org.today) - timedelta(days=3)
    moves = [joined]
    day = joined + timedelta(days=rng.randint(30, 45))
    while day < last:
        moves.append(day)
        day += timedelta(days=rng.randint(30, 90))
    stages = ["onboarding"] + [rng.choice(("steady", "autonomous", "support")) for _ in moves[1:]]
    if len(stages) > 1:
        stages[-1] = rep.stage
    elif rep.stage != "onboarding":
        stages.append(rep.stage)
        moves.append(min(joined + timedelta(days=1), last))
    out = []
    for n, (day, stage) in enumerate(zip(moves, stages, strict=True)):
        out.append(
            {
                "workspace_id": WORKSPACE,
                "user_id": rep.user_id,
                "from_stage": None if n == 0 else stages[n - 1],
                "to_stage": stage,
                "reason": "joined a team" if n == 0 else "the weeks judged since the last change",
                "details": {} if n == 0 else {"weeks": 3, "on_track": stage != "support"},
                "changed_by": None,
                "at": _instant(day, 0, rep.spans[0].team.tz) + timedelta(minutes=5),
            }
        )
    return out


# --- the big tables, set-based ------------------------------------------------------------------

REP_DAYS_DDL = """
CREATE UNLOGGED TABLE bench_rep_days (
    user_id text NOT NULL, team_id integer NOT NULL, tz text NOT NULL, day date NOT NULL,
    logs integer NOT NULL, factor double precision NOT NULL, quota boolean NOT NULL,
    checkin boolean NOT NULL, manager text NOT NULL, channel text NOT NULL
)
"""

# One /log is a batch: calls always, often emails, presentations and notes, now and then a deal with its
# revenue; one in a hundred was undone (soft-deleted) two minutes later; the modal's carry a dedupe key.
ENTRIES_SQL = """
INSERT INTO entries (workspace_id, team_id, user_id, metric_key, amount, day, note, source, batch,
                     dedupe_key, created_at, deleted_at)
SELECT :workspace, b.team_id, b.user_id, m.metric_key, m.amount, b.day,
       CASE WHEN m.pos = 1 AND b.r_note < 0.02 THEN 'follow up with ' || b.batch END,
       b.source, b.batch,
       CASE WHEN b.source = 'modal' THEN 'bench:' || b.batch || ':' || m.pos END,
       b.created_at,
       CASE WHEN b.r_undo < 0.01 THEN b.created_at + interval '2 minutes' END
FROM (
    SELECT d.user_id, d.team_id, d.day, d.factor,
           md5(d.user_id || d.day || ':' || k)::uuid::text AS batch,
           ((d.day + time '08:30' + (k - 1) * interval '70 minutes' + floor(random() * 50) * interval '1 minute')
               AT TIME ZONE d.tz) AT TIME ZONE 'UTC' AS created_at,
           CASE WHEN random() < 0.15 THEN 'modal' ELSE 'command' END AS source,
           random() AS r_undo, random() AS r_note, random() AS r_email, random() AS r_pres,
           random() AS r_notes, random() < 0.04 * d.factor AS deal, random() AS r_revenue
    FROM bench_rep_days d CROSS JOIN LATERAL generate_series(1, d.logs) AS k
    WHERE abs(hashtext(d.user_id)) % 2 = :part
    ORDER BY created_at  -- in the order they were logged, as the heap fills up for real
) AS b
CROSS JOIN LATERAL (VALUES
    (1, 'calls', (1 + floor(random() * 6 * b.factor))::bigint * 100, true),
    (2, 'emails', (1 + floor(random() * 4))::bigint * 100, b.r_email < 0.9),
    (3, 'presentations', 100::bigint, b.r_pres < 0.5),
    (4, 'notes', (1 + floor(random() * 2))::bigint * 100, b.r_notes < 0.45),
    (5, 'deals', 100::bigint, b.deal),
    (6, 'revenue', (300000 + floor(b.r_revenue * 900000))::bigint, b.deal)
) AS m(pos, metric_key, amount, present)
WHERE m.present AND b.created_at <= :now
"""

# What the clock left behind: check-ins, 1:1 prompts, kudos, standups, quota reviews and alerts.
OUTBOX_SQL = """
INSERT INTO outbox (workspace_id, kind, target, period, subject, team_id, due_at, payload, status,
                    attempts, claimed_by, claimed_at, sent_at, slack_channel, slack_ts, created_at)
SELECT :workspace, o.kind, o.target, o.period, o.subject, o.team_id, o.due_at, o.payload, 'sent', 1,
       'clock-bench', o.due_at, o.due_at + interval '1 second', o.target,
       extract(epoch FROM o.due_at)::bigint || '.000100', o.due_at - interval '5 minutes'
FROM (
    SELECT 'checkin' AS kind, d.user_id AS target, d.day::text AS period, '' AS subject, d.team_id,
           ((d.day + time '09:00') AT TIME ZONE d.tz) AT TIME ZONE 'UTC' AS due_at,
           json_build_object('rep', d.user_id, 'day', d.day, 'stage', 'onboarding', 'lines', json_build_array(
               json_build_object('metric', 'calls', 'actual', 18, 'target', 20))) AS payload
    FROM bench_rep_days d WHERE d.checkin
    UNION ALL
    SELECT 'one_on_one', d.manager, to_char(d.day, 'IYYY-"W"IW'), d.user_id, d.team_id,
           ((d.day + time '09:00') AT TIME ZONE d.tz) AT TIME ZONE 'UTC',
           json_build_object('rep', d.user_id, 'stage', 'steady', 'reason', 'weekly', 'agenda',
               json_build_object('weeks', json_build_array(0.8, 0.9, 1.1), 'weakest', 'presentations'))
    FROM bench_rep_days d WHERE extract(isodow FROM d.day) = 1
    UNION ALL
    SELECT 'kudos', d.user_id, 'calls:' || to_char(d.day, 'IYYY-"W"IW'), '', d.team_id,
           ((d.day + time '17:00') AT TIME ZONE d.tz) AT TIME ZONE 'UTC',
           json_build_object('rep', d.user_id, 'metric', 'calls', 'period', 'week', 'actual', 110, 'target', 100)
    FROM bench_rep_days d WHERE extract(isodow FROM d.day) = 5 AND d.factor > 0.9
    UNION ALL
    SELECT DISTINCT ON (d.team_id, to_char(d.day, 'IYYY-"W"IW'))
           'standup', d.channel, to_char(d.day, 'IYYY-"W"IW'), '', d.team_id,
           ((d.day + time '09:00') AT TIME ZONE d.tz) AT TIME ZONE 'UTC',
           json_build_object('team_id', d.team_id, 'lines', json_build_array(), 'kudos', json_build_array())
    FROM bench_rep_days d WHERE extract(isodow FROM d.day) = 1
    UNION ALL
    SELECT DISTINCT ON (d.user_id, d.manager, to_char(d.day, 'YYYY-MM'))
           'period_end', d.manager, 'revenue:' || to_char(d.day, 'YYYY-MM'), d.user_id, d.team_id,
           ((d.day + time '17:00') AT TIME ZONE d.tz) AT TIME ZONE 'UTC',
           json_build_object('rep', d.user_id, 'metric', 'revenue', 'made', d.factor > 1)
    FROM bench_rep_days d WHERE d.quota AND extract(day FROM d.day) >= 26
    UNION ALL
    SELECT DISTINCT ON (d.user_id, d.manager, to_char(d.day, 'YYYY-MM'))
           'quota_alert', d.manager, 'revenue:' || to_char(d.day, 'YYYY-MM'), d.user_id, d.team_id,
           ((d.day + time '17:00') AT TIME ZONE d.tz) AT TIME ZONE 'UTC',
           json_build_object('rep', d.user_id, 'metric', 'revenue', 'pace', 0.6)
    FROM bench_rep_days d
    WHERE d.quota AND d.factor < 0.8 AND extract(day FROM d.day) BETWEEN 10 AND 16
          AND abs(hashtext(d.user_id || to_char(d.day, 'YYYY-MM'))) % 3 = 0
    UNION ALL
    SELECT DISTINCT ON (d.user_id, d.manager, to_char(d.day, 'YYYY-MM'))
           'back_on_track', d.manager, 'revenue:' || to_char(d.day, 'YYYY-MM'), d.user_id, d.team_id,
           ((d.day + time '17:00') AT TIME ZONE d.tz) AT TIME ZONE 'UTC',
           json_build_object('rep', d.user_id, 'metric', 'revenue', 'pace', 0.85)
    FROM bench_rep_days d
    WHERE d.quota AND d.factor < 0.8 AND extract(day FROM d.day) BETWEEN 20 AND 24
          AND abs(hashtext(d.user_id || to_char(d.day, 'YYYY-MM'))) % 6 = 0
) AS o
WHERE o.due_at <= :now
ORDER BY o.due_at
"""


def rep_days(org: Org, now: datetime, *, per_day: float, rng: random.Random) -> Iterator[tuple[Any, ...]]:
    """(rep, team, day, how many /log that day …) for every day a rep worked and logged anything."""
    logs = per_day / ENTRIES_PER_LOG
    for rep in org.reps:
        off: set[date] = set()
        for start, end in rep.away:
            off.update(start + timedelta(days=n) for n in range((end - start).days + 1))
        daily = rep.stage in ("onboarding", "support")
        for span in rep.spans:
            team = span.team
            today = local_date(now, team.tz)
            last = min(span.end or today, today)
            worked = [
                d
                for d in (span.start + timedelta(days=n) for n in range((last - span.start).days + 1))
                if team.calendar.is_working_day(d) and d not in off
            ]
            if rep.current and span.end is None and rep.quiet_for:
                worked = worked[: -rep.quiet_for]
            for d in worked:
                if rng.random() < 0.03:  # a day with nothing logged
                    continue
                yield (
                    rep.user_id,
                    team.id,
                    team.tz,
                    d,
                    max(1, min(round(2 * logs), round(rng.gauss(logs, 1.5)))),
                    rep.factor,
                    rep.quota,
                    daily or d.weekday() == 0,
                    team.managers[0],
                    team.channel,
                )


def seed_history(engine: Engine, org: Org, now: datetime, *, per_day: float, rng: random.Random) -> None:
    """Entries and the outbox with INSERT … SELECT over generate_series, from a table of rep-days.

    The rep-days (a few hundred thousand rows) are computed here and COPYed in; PostgreSQL expands
    each into its /log batches and their entries. The entries' secondary indexes are dropped for the
    load and rebuilt afterwards from their own definitions (a sorted build is several times faster
    than 5 million index insertions), and on a superuser's connection foreign-key triggers are
    skipped (``session_replication_role = replica``): the rows are consistent by construction.
    """
    raw = engine.raw_connection()
    try:
        driver = raw.driver_connection
        with driver.cursor() as cur:
            cur.execute(REP_DAYS_DDL)
            with cur.copy(
                "COPY bench_rep_days (user_id, team_id, tz, day, logs, factor, quota, checkin, manager, channel)"
                " FROM STDIN"
            ) as copy:
                for row in rep_days(org, now, per_day=per_day, rng=rng):
                    copy.write_row(row)
            cur.execute("ANALYZE bench_rep_days")
            cur.execute(  # the plain indexes: those behind a constraint (primary key, unique) stay
                "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i "
                "WHERE i.indrelid = 'entries'::regclass "
                "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)"
            )
            indexes = cur.fetchall()
            for name, _ in indexes:
                cur.execute(f"DROP INDEX {name}")  # regclass text: quoted as needed
        driver.commit()
    finally:
        raw.close()

    # Two loaders, one per half of the reps: PostgreSQL runs one INSERT … SELECT on one core.
    errors: list[BaseException] = []

    def load(part: int) -> None:
        try:
            with engine.connect() as conn:
                if conn.execute(text("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")).scalar():
                    conn.execute(text("SET LOCAL session_replication_role = replica"))
                conn.execute(text("SET LOCAL work_mem = '256MB'"))  # the time-ordering sort, in memory
                conn.execute(text("SELECT setseed(:seed)"), {"seed": 0.1 + part / 10})
                params = {"workspace": WORKSPACE, "now": _naive(now)}
                conn.execute(text(ENTRIES_SQL), {**params, "part": part})
                if part == 0:
                    conn.execute(text(OUTBOX_SQL), params)
                conn.commit()
        except BaseException as exc:  # re-raised in the main thread
            errors.append(exc)

    loaders = [threading.Thread(target=load, args=(part,)) for part in (0, 1)]
    for loader in loaders:
        loader.start()
    for loader in loaders:
        loader.join()
    if errors:
        raise errors[0]
    with engine.connect() as conn:
        conn.execute(text("SET LOCAL maintenance_work_mem = '256MB'"))
        for _, definition in indexes:
            conn.exec_driver_sql(definition)
        conn.execute(text("DROP TABLE bench_rep_days"))
        conn.commit()


def _naive(instant: datetime) -> datetime:
    return instant.astimezone(UTC).replace(tzinfo=None)


def seed(engine: Engine, *, reps: int, teams: int, days: int, per_day: float, now: datetime) -> Org:
    rng = random.Random(7)
    org = plan_org(reps=reps, teams=teams, days=days, now=now, rng=rng)
    with Session(engine) as session, session.begin():
        ensure_workspace(session=session, workspace_id=WORKSPACE, now=_instant(org.first, 8, ZONES[0]))
    seed_small_tables(engine, org, now, rng)
    seed_history(engine, org, now, per_day=per_day, rng=rng)
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(
            text("VACUUM ANALYZE")
        )  # what autovacuum does after a bulk load: statistics, visibility map
    return org


def row_counts(engine: Engine) -> dict[str, int]:
    models = (Team, Membership, RepProfile, StageChange, Goal, AwayPeriod, Outbox, Entry)
    with engine.connect() as conn:
        counts = {
            m.__tablename__: conn.execute(select(func.count()).select_from(m)).scalar_one() for m in models
        }
        counts["entries deleted"] = conn.execute(
            select(func.count()).select_from(Entry).where(Entry.deleted_at.is_not(None))
        ).scalar_one()
    return counts


def create_indexes(engine: Engine, names: list[str]) -> dict[str, str]:
    """Add the named ``PROPOSED_INDEXES`` (what a migration would do), refresh statistics; name → size."""
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("SET maintenance_work_mem = '256MB'"))
        for name in names:
            conn.execute(text(PROPOSED_INDEXES[name]))
        conn.execute(text("ANALYZE"))
        conn.execute(text("RESET maintenance_work_mem"))
        size = text("SELECT pg_size_pretty(pg_relation_size(CAST(:name AS regclass)))")
        return {name: conn.execute(size, {"name": name}).scalar_one() for name in names}


# --- what is measured ------------------------------------------------------------------------


class StatementLog:
    """Statements sent to the database and the time spent executing them, for the operation being timed.

    ``before_cursor_execute`` / ``after_cursor_execute`` of the engine: the time between the two is the
    round trip to PostgreSQL and the server's work (psycopg fetches the rows inside ``execute``).
    With ``capture`` on, each statement is kept with its parameters, for ``--explain``.
    """

    def __init__(self, engine: Engine) -> None:
        self.active = False
        self.capture = False
        self.statements = 0
        self.seconds = 0.0
        self.captured: list[tuple[str, Any, float]] = []
        event.listen(engine, "before_cursor_execute", self._before)
        event.listen(engine, "after_cursor_execute", self._after)

    def reset(self) -> None:
        self.statements = 0
        self.seconds = 0.0
        self.captured = []

    def _before(self, conn, _cursor, _statement, _params, _context, _many) -> None:
        conn.info.setdefault("bench_started", []).append(time.perf_counter())

    def _after(self, conn, _cursor, statement: str, params: Any, _context, _many) -> None:
        elapsed = time.perf_counter() - conn.info["bench_started"].pop()
        if not self.active:
            return
        self.statements += 1
        self.seconds += elapsed
        if self.capture:
            self.captured.append((statement, params, elapsed))


@dataclass(frozen=True)
class Operation:
    key: str
    label: str
    who: str  # "manager" or "rep": whose requests are sampled
    run: Callable[[Services, str], object]


OPERATIONS = (
    Operation(
        "team-manager",
        "/team, manager: team table",
        "manager",
        lambda s, u: render(s.teams.team(workspace_id=WORKSPACE, user_id=u, text="")),
    ),
    Operation(
        "team-rep",
        "/team, rep: totals, kudos",
        "rep",
        lambda s, u: render(s.teams.team(workspace_id=WORKSPACE, user_id=u, text="")),
    ),
    Operation(
        "home-manager",
        "App Home, manager",
        "manager",
        lambda s, u: home_view(s.home.home(workspace_id=WORKSPACE, user_id=u)),
    ),
    Operation(
        "home-rep",
        "App Home, rep",
        "rep",
        lambda s, u: home_view(s.home.home(workspace_id=WORKSPACE, user_id=u)),
    ),
    Operation(
        "log",
        "/log (today)",
        "rep",
        lambda s, u: render(s.activity.log(workspace_id=WORKSPACE, user_id=u, text="")),
    ),
    Operation(
        "log-week",
        "/log week",
        "rep",
        lambda s, u: render(s.activity.log(workspace_id=WORKSPACE, user_id=u, text="week")),
    ),
    Operation(
        "goals",
        "/goals, rep",
        "rep",
        lambda s, u: render(s.goals.goals(workspace_id=WORKSPACE, user_id=u, text="")),
    ),
    Operation(
        "checkin",
        "/checkin, rep",
        "rep",
        lambda s, u: render(s.checkin.checkin(workspace_id=WORKSPACE, user_id=u, text="")),
    ),
)


@dataclass
class Result:
    operation: Operation
    millis: list[float] = field(default_factory=list)
    statements: list[int] = field(default_factory=list)
    db_millis: list[float] = field(default_factory=list)


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


def measure(
    services: Services,
    log: StatementLog,
    operation: Operation,
    subjects: list[str],
    *,
    samples: int,
    warmup: int,
    rng: random.Random,
) -> Result:
    """``warmup`` untimed calls, then ``samples`` timed ones, cycling through the subjects in a shuffled order."""
    order = subjects[:]
    rng.shuffle(order)
    result = Result(operation)
    for i in range(warmup + samples):
        user = order[i % len(order)]
        log.reset()
        log.active = i >= warmup
        began = time.perf_counter()
        operation.run(services, user)
        elapsed = time.perf_counter() - began
        log.active = False
        if i >= warmup:
            result.millis.append(elapsed * 1000)
            result.statements.append(log.statements)
            result.db_millis.append(log.seconds * 1000)
    return result


def explain(
    engine: Engine, services: Services, log: StatementLog, operation: Operation, user: str, top: int
) -> None:
    """One call with every statement kept; the costliest statement shapes with EXPLAIN ANALYZE of the slowest."""
    log.reset()
    log.active = log.capture = True
    began = time.perf_counter()
    operation.run(services, user)
    elapsed = time.perf_counter() - began
    log.active = log.capture = False
    shapes: defaultdict[str, list[tuple[Any, float]]] = defaultdict(list)
    for statement, params, seconds in log.captured:
        shapes[statement].append((params, seconds))
    print(
        f"\n=== {operation.label} for {user}: {elapsed * 1000:.1f} ms, {len(log.captured)} statements, "
        f"{sum(s for _, _, s in log.captured) * 1000:.1f} ms in the database ==="
    )
    costliest = sorted(shapes.items(), key=lambda kv: -sum(s for _, s in kv[1]))[:top]
    for statement, runs in costliest:
        total = sum(s for _, s in runs) * 1000
        params, slowest = max(runs, key=lambda r: r[1])
        flat = " ".join(statement.split())
        print(f"\n{len(runs)}× {total:.1f} ms in all, slowest {slowest * 1000:.2f} ms: {flat[:300]}")
        if not flat.upper().startswith("SELECT"):
            continue
        with engine.connect() as conn:
            plan = conn.exec_driver_sql(f"EXPLAIN (ANALYZE, BUFFERS) {statement}", params).scalars().all()
            conn.rollback()
        print("\n".join(f"    {line}" for line in plan))


# --- output ----------------------------------------------------------------------------------


def describe(engine: Engine, load: tuple[float, float, float] | None) -> None:
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    busy = f"  load average at start {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}" if load else ""
    with engine.connect() as conn:
        version = conn.execute(text("SHOW server_version")).scalar_one()
        buffers = conn.execute(text("SHOW shared_buffers")).scalar_one()
        jit = conn.execute(text("SHOW jit")).scalar_one()
    print(f"machine:  nproc={cpus}  {platform.system()} {platform.machine()}{busy}")
    print(f"python:   {platform.python_implementation()} {platform.python_version()}")
    print(f"database: postgresql {version}  shared_buffers={buffers}  jit={jit}  (same machine, loopback)")


def print_table(results: list[Result]) -> None:
    header = (
        f"{'operation':<28} {'n':>4} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'max ms':>8} "
        f"{'SQL/op':>9} {'db ms p50':>9}  {'target':<13} {'p95'}"
    )
    print(header)
    print("-" * len(header))
    for r in results:
        p95 = percentile(r.millis, 95)
        low, high = min(r.statements), max(r.statements)
        sql = f"{int(percentile([float(n) for n in r.statements], 50))}" if low == high else f"{low}–{high}"
        verdict = "PASS" if p95 < TARGET_MS else "MISS"
        print(
            f"{r.operation.label:<28} {len(r.millis):>4} {percentile(r.millis, 50):>8.1f} {p95:>8.1f} "
            f"{percentile(r.millis, 99):>8.1f} {max(r.millis):>8.1f} {sql:>9} "
            f"{percentile(r.db_millis, 50):>9.1f}  p95 < {TARGET_MS:.0f} ms  {verdict}"
        )


# --- the command -----------------------------------------------------------------------------


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--database-url",
        default="postgresql://postgres@127.0.0.1:5432/postgres",
        help="a PostgreSQL server URL: a database of our own is created and dropped there",
    )
    parser.add_argument("--summary", help="append the headline figures to this file (bench/all.py)")
    parser.add_argument(
        "--reps", type=int, default=500, help="current reps (a tenth more who left are seeded too)"
    )
    parser.add_argument("--teams", type=int, default=25, help="teams the reps are spread over")
    parser.add_argument("--days", type=int, default=730, help="calendar days of history up to now")
    parser.add_argument(
        "--per-day", type=float, default=22.0, help="entries a rep logs on a working day, on average"
    )
    parser.add_argument(
        "--now", default="2026-11-25T15:00:00Z", help="the frozen now, at the end of the history"
    )
    parser.add_argument("--samples", type=int, default=200, help="timed calls per operation")
    parser.add_argument("--warmup", type=int, default=20, help="untimed calls per operation before those")
    parser.add_argument(
        "--ops",
        default=",".join(o.key for o in OPERATIONS),
        help="comma-separated operations to time: " + ", ".join(o.key for o in OPERATIONS),
    )
    parser.add_argument(
        "--indexes",
        default="",
        help="comma-separated PROPOSED_INDEXES to create after seeding: "
        + (", ".join(PROPOSED_INDEXES) or "none"),
    )
    parser.add_argument(
        "--explain",
        type=int,
        default=0,
        metavar="N",
        help="after timing, one call of each operation: its N costliest statements with EXPLAIN ANALYZE",
    )
    args = parser.parse_args(argv)
    if not normalize_database_url(args.database_url).startswith("postgresql"):
        parser.error("--database-url must be a PostgreSQL server URL")
    if args.reps < 1 or args.teams < 1 or args.teams > args.reps or args.days < 28 or args.samples < 1:
        parser.error("need at least one rep per team, --days of 28 or more and --samples of 1 or more")
    known = {o.key: o for o in OPERATIONS}
    try:
        args.operations = [known[k.strip()] for k in args.ops.split(",") if k.strip()]
    except KeyError as missing:
        parser.error(f"unknown operation {missing}; known: {', '.join(known)}")
    args.index_names = [n.strip() for n in args.indexes.split(",") if n.strip()]
    unknown = [n for n in args.index_names if n not in PROPOSED_INDEXES]
    if unknown:
        parser.error(f"unknown index {unknown[0]}; known: {', '.join(PROPOSED_INDEXES) or 'none'}")
    try:
        now = datetime.fromisoformat(args.now)
    except ValueError:
        parser.error("--now takes an ISO instant, e.g. 2026-11-25T15:00:00Z")
    if now.tzinfo is None:
        parser.error("--now needs a timezone, e.g. 2026-11-25T15:00:00Z")
    args.instant = now.astimezone(UTC)
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    load = os.getloadavg() if hasattr(os, "getloadavg") else None
    with fresh_database(args.database_url) as url:
        began = time.perf_counter()
        upgrade(url)
        engine = make_engine(url)
        try:
            migrated = time.perf_counter()
            print(f"migrated in {migrated - began:.1f} s; seeding …", flush=True)
            org = seed(
                engine,
                reps=args.reps,
                teams=args.teams,
                days=args.days,
                per_day=args.per_day,
                now=args.instant,
            )
            seeded = time.perf_counter() - migrated
            counts = ", ".join(f"{k} {v:,}" for k, v in row_counts(engine).items())
            print(f"seeded in {seeded:.1f} s: {counts}", flush=True)
            if args.index_names:
                began = time.perf_counter()
                sizes = create_indexes(engine, args.index_names)
                made = ", ".join(f"{name} ({size})" for name, size in sizes.items())
                print(f"created {made} in {time.perf_counter() - began:.1f} s", flush=True)
            now = args.instant
            services = build_services(engine, lambda: now)
            log = StatementLog(engine)
            pools = {
                "rep": [r.user_id for r in org.current],
                "manager": [m for t in org.teams for m in t.managers],
            }
            rng = random.Random(11)
            results: list[Result] = []
            try:
                for operation in args.operations:
                    results.append(
                        measure(
                            services,
                            log,
                            operation,
                            pools[operation.who],
                            samples=args.samples,
                            warmup=args.warmup,
                            rng=rng,
                        )
                    )
                    r = results[-1]
                    print(f"  {operation.label:<28} p95 {percentile(r.millis, 95):7.1f} ms", flush=True)
            except KeyboardInterrupt:
                print("\ninterrupted: the table shows the operations that finished")
            print()
            describe(engine, load)
            print(
                f"data:     {args.reps} reps in {args.teams} teams, {args.days} days up to {now:%Y-%m-%d %H:%M} UTC "
                f"(the frozen now), ~{args.per_day:g} entries per rep per working day; "
                f"extra indexes: {', '.join(args.index_names) or 'none'}\n"
            )
            if results:
                print_table(results)
                record(
                    args.summary,
                    [
                        Figure(
                            f"reads over {args.days} days × {args.reps} reps, PostgreSQL",
                            f"{r.operation.label} p95",
                            percentile(r.millis, 95),
                            "ms",
                            f"< {TARGET_MS:g} ms",
                            percentile(r.millis, 95) < TARGET_MS,
                        )
                        for r in results
                    ],
                )
            if args.explain:
                for operation in args.operations:
                    explain(engine, services, log, operation, pools[operation.who][0], args.explain)
        finally:
            engine.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
