"""How long does one clock tick take with thousands of reps? The real ClockService against a seeded database.

A benchmark, not a test: it reports numbers and never judges them. For each size (reps x teams) it
creates a fresh database (a temporary SQLite file unless ``--database-url`` names a PostgreSQL
server, on which it creates and afterwards drops a database of its own), migrates it, seeds it with
bulk inserts (teams, managers, reps, profiles, goals, three weeks of entries), then times
``ClockService.run_due`` at three busy instants of a Monday in New York: the week's close (the stage
machine judges every rep), the standup with its 1:1 prompts and the check-ins, and the end-of-day
evaluation (quota reviews, kudos, quiet reps). Messages go out through the real SlackNotifier to a
fake Slack Web API over loopback HTTP.

Run from the repository root:  python bench/clock_tick.py --sizes 1000x20,10000x200
"""

from __future__ import annotations

import argparse
import cProfile
import io
import logging
import os
import platform
import pstats
import random
import shutil
import sqlite3
import sys
import tempfile
import time
import uuid
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock_time
from decimal import Decimal
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[1]
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from sqlalchemy import Engine, create_engine, event, func, insert, select, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402

from bench.summary import Figure, record  # noqa: E402
from bot.config import normalize_database_url  # noqa: E402
from bot.domain.calendar import WorkCalendar, local_date, to_utc  # noqa: E402
from bot.domain.schedule import Window  # noqa: E402
from bot.migrate import upgrade  # noqa: E402
from bot.services.clock import CLOCK, DEFAULT_GRACE, TickReport  # noqa: E402
from bot.services.container import Services, build_services  # noqa: E402
from bot.services.context import public_holidays  # noqa: E402
from bot.slack.gateway import SlackGateway, make_client  # noqa: E402
from bot.slack.notifier import SlackNotifier  # noqa: E402
from bot.store import outbox as ob  # noqa: E402
from bot.store import queries as q  # noqa: E402
from bot.store.db import WRITE, make_engine  # noqa: E402
from bot.store.models import AwayPeriod, Entry, Goal, Membership, Outbox, RepProfile, Team  # noqa: E402
from tests.support.fakeslack import FakeSlack  # noqa: E402

WORKSPACE = "T0BENCH"
NEW_YORK = "America/New_York"
ZONES = (NEW_YORK, "America/Chicago", "America/Los_Angeles", "Europe/Berlin", "Europe/London")
STAGES = (("onboarding", 0.6), ("steady", 0.2), ("autonomous", 0.1), ("support", 0.1))
HISTORY_DAYS = 21  # calendar days of entries before the measured day
EVENING = timedelta(hours=8)  # the evening tick after --at: 14:05 UTC + 8 h = 17:05 in New York
MAX_FOLLOW_UPS = 30  # next-minute ticks after a measured one: until one sends nothing
CHUNK = 10_000  # rows per executemany while seeding


# --- what is measured ------------------------------------------------------------------------


@dataclass
class Sample:
    """One timed phase: a plan alone, a whole tick, or a next-minute tick that delivers the rest."""

    size: str
    at: datetime
    phase: str
    wall: float
    cpu: float
    main_cpu: float
    sql: int
    txns: int
    write_txn: float
    api: int
    paced: float = 0.0
    added: int = 0  # outbox rows the phase inserted, counted in the database
    report: TickReport | None = None
    planned: int | None = None
    profile: str = ""
    sites: Counter[str] = field(default_factory=Counter)


class SqlCounter:
    """Counts statements sent to the database (``before_cursor_execute``) and transactions (``begin``).

    SQLite's explicit ``BEGIN``/``BEGIN IMMEDIATE`` (issued by bot.store.db) is counted as a transaction,
    not a statement, so the two backends compare; COMMITs and the pool's pre-ping are not statements.
    It also keeps the longest write transaction (begin to commit): on SQLite that is how long every
    other writer — a rep's ``/log`` — had to wait.
    With ``sites`` on, each statement is attributed to the store function that issued it and the
    service function that called that (a stack walk per statement: slow, for ``--profile`` only).
    """

    def __init__(self, engine: Engine) -> None:
        self.active = False
        self.sites_on = False
        self.statements = 0
        self.transactions = 0
        self.longest_write = 0.0
        self.sites: Counter[str] = Counter()
        self._began: dict[int, float] = {}
        event.listen(engine, "before_cursor_execute", self._statement)
        event.listen(engine, "begin", self._begin)
        event.listen(engine, "commit", self._end)
        event.listen(engine, "rollback", self._end)

    def reset(self) -> None:
        self.statements = 0
        self.transactions = 0
        self.longest_write = 0.0
        self.sites = Counter()

    def _begin(self, conn) -> None:
        if not self.active:
            return
        self.transactions += 1
        if conn.get_execution_options().get(WRITE):
            self._began[id(conn)] = time.perf_counter()

    def _end(self, conn) -> None:
        began = self._began.pop(id(conn), None)
        if began is not None and self.active:
            self.longest_write = max(self.longest_write, time.perf_counter() - began)

    def _statement(self, _conn, _cursor, statement: str, _params, _context, _many) -> None:
        if not self.active or statement.lstrip()[:5].upper() == "BEGIN":
            return
        self.statements += 1
        if self.sites_on:
            self.sites[_call_site()] += 1


def _call_site() -> str:
    """``service function → store function`` for the statement being executed."""
    store = service = None
    frame = sys._getframe(2)
    while frame is not None and service is None:
        path = frame.f_code.co_filename
        if "/bot/store/" in path and store is None:
            store = f"{Path(path).stem}.{frame.f_code.co_name}"
        elif "/bot/services/" in path:
            service = f"{Path(path).stem}.{frame.f_code.co_qualname}"
        frame = frame.f_back
    return f"{service or '?'} → {store or '(inline query)'}"


# --- the database ----------------------------------------------------------------------------


@contextmanager
def fresh_database(admin_url: str | None) -> Iterator[str]:
    """A URL of an empty database of our own, removed afterwards (like tests/conftest.py)."""
    if admin_url is None:
        scratch = tempfile.mkdtemp(prefix="salesbot-bench-")
        try:
            yield f"sqlite:///{Path(scratch) / 'bench.db'}"
        finally:
            shutil.rmtree(scratch, ignore_errors=True)
        return
    url = make_url(normalize_database_url(admin_url))
    name = f"salesbot_bench_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        try:
            yield url.set(database=name).render_as_string(hide_password=False)
        finally:
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        admin.dispose()


@dataclass
class BenchTeam:
    id: int
    name: str
    tz: str
    manager: str
    calendar: WorkCalendar


@dataclass
class BenchRep:
    user_id: str
    team: BenchTeam
    factor: float  # how hard they work: scales calls and deals
    quiet_for: int  # working days before the measured day with nothing logged (0: logs every day)


def _history(team: BenchTeam, today: date) -> list[date]:
    days = (today - timedelta(days=n) for n in range(HISTORY_DAYS, 0, -1))
    return [d for d in days if team.calendar.is_working_day(d)]


def _uuid(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def _day_entries(rep: BenchRep, day: date, rng: random.Random) -> list[dict[str, Any]]:
    """One ``/log`` for one working day: calls, often presentations and emails, now and then a deal."""
    items = [("calls", Decimal(max(1, round(rng.randint(8, 30) * rep.factor))))]
    if rng.random() < 0.5:
        items.append(("presentations", Decimal(rng.randint(1, 2))))
    if rng.random() < 0.6:
        items.append(("emails", Decimal(rng.randint(5, 20))))
    if rng.random() < 0.3:
        items.append(("notes", Decimal(rng.randint(1, 3))))
    if rng.random() < 0.2 * rep.factor:
        items.append(("deals", Decimal(1)))
        items.append(("revenue", Decimal(rng.randint(300_000, 1_200_000)) / 100))
    made = to_utc(day, clock_time(rng.randint(10, 16), rng.randint(0, 59)), rep.team.tz)
    batch = _uuid(rng)
    return [
        {
            "workspace_id": WORKSPACE,
            "team_id": rep.team.id,
            "user_id": rep.user_id,
            "metric_key": metric,
            "amount": amount,
            "day": day,
            "note": None,
            "source": "command",
            "batch": batch,
            "dedupe_key": None,
            "created_at": made,
            "deleted_at": None,
        }
        for metric, amount in items
    ]


def _insert_chunked(engine: Engine, table, rows: Iterable[dict[str, Any]]) -> int:
    """Core ``insert(table)`` with lists of dicts (executemany), in one transaction."""
    count = 0
    buffer: list[dict[str, Any]] = []
    with engine.begin() as conn:
        for row in rows:
            buffer.append(row)
            if len(buffer) >= CHUNK:
                conn.execute(insert(table), buffer)
                count += len(buffer)
                buffer = []
        if buffer:
            conn.execute(insert(table), buffer)
            count += len(buffer)
    return count


def seed(
    engine: Engine, *, reps: int, teams: int, at: datetime, week_start: date, rng: random.Random
) -> list[BenchRep]:
    """Teams, a manager each, reps spread evenly, profiles, goals, away periods and 3 weeks of entries.

    The stage machine last judged New York's reps on the week before last (``week_start`` - 14 days):
    the week that closes at 00:00 Monday in New York is theirs to judge in the week-close tick. Every
    other team's reps are seeded as judged already, so no untimed tick does that work.
    """
    setup = at - timedelta(days=60)
    with Session(engine) as session, session.begin():
        q.ensure_workspace(session=session, workspace_id=WORKSPACE, now=setup)

    years = (at.year - 1, at.year, at.year + 1)
    plain = WorkCalendar(workdays=frozenset(range(5)))
    us = WorkCalendar(workdays=frozenset(range(5)), holidays=public_holidays("US", None, years))
    team_rows = [
        {
            "workspace_id": WORKSPACE,
            "name": f"Bench {t:04d}",
            "name_key": f"bench {t:04d}",
            "channel_id": f"C0BENCH{t:04d}",
            "timezone": ZONES[t % len(ZONES)],
            "workdays": "0,1,2,3,4",
            "standup_weekday": 0,
            "standup_time": "09:00",
            "holiday_country": "US" if t % 3 == 2 else None,
            "holiday_subdivision": None,
            "scoreboard": "public" if t % 4 == 1 else "kudos-only",
            "created_by": f"U0MGR{t:04d}",
            "created_at": setup,
        }
        for t in range(teams)
    ]
    with engine.begin() as conn:
        conn.execute(insert(Team.__table__), team_rows)
        ids = dict(conn.execute(select(Team.name_key, Team.id).where(Team.workspace_id == WORKSPACE)).all())
    crew = [
        BenchTeam(
            id=ids[row["name_key"]],
            name=row["name"],
            tz=row["timezone"],
            manager=row["created_by"],
            calendar=us if row["holiday_country"] else plain,
        )
        for row in team_rows
    ]

    people: list[BenchRep] = []
    members, profiles, goals, away = [], [], [], []
    for team in crew:
        members.append(_member(team, team.manager, "manager", setup))
        for metric, period, target in (("calls", "day", 20), ("presentations", "week", 5)):
            goals.append(_goal(team, None, metric, period, Decimal(target), setup))
    for i in range(reps):
        team = crew[i * teams // reps]
        quiet = rng.randint(3, 6) if rng.random() < 0.1 else 0
        rep = BenchRep(f"U0REP{i:05d}", team, factor=rng.uniform(0.3, 1.5), quiet_for=quiet)
        people.append(rep)
        members.append(_member(team, rep.user_id, "rep", setup))
        pick = i % 10
        tz = ZONES[(ZONES.index(team.tz) + 1) % len(ZONES)] if pick == 3 else None if pick == 7 else team.tz
        roll, stage = rng.random(), "onboarding"
        for name, share in STAGES:
            if roll < share:
                stage = name
                break
            roll -= share
        profiles.append(
            {
                "workspace_id": WORKSPACE,
                "user_id": rep.user_id,
                "display_name": f"rep{i}",
                "tz": tz,
                "tz_fetched_at": setup if tz else None,
                "checkin_hour": 9,
                "stage": stage,
                "stage_since": setup + timedelta(days=rng.randint(0, 50)),
                "pinned_cadence": None,
                "evaluated_week": week_start - timedelta(days=14 if team.tz == NEW_YORK else 7),
                "created_at": setup,
            }
        )
        if i % 2 == 0:
            goals.append(_goal(team, rep.user_id, "revenue", "month", Decimal(40_000), setup))
        if i % 50 == 11:  # away around the measured day: no check-in, no evaluation
            today = local_date(at, team.tz)
            away.append(_away(rep.user_id, today - timedelta(days=2), today + timedelta(days=2), setup))
        elif i % 50 == 29:  # away last week: pro-rated targets
            today = local_date(at, team.tz)
            away.append(_away(rep.user_id, today - timedelta(days=7), today - timedelta(days=3), setup))

    with engine.begin() as conn:
        conn.execute(insert(Membership.__table__), members)
        conn.execute(insert(RepProfile.__table__), profiles)
        conn.execute(insert(Goal.__table__), goals)
        if away:
            conn.execute(insert(AwayPeriod.__table__), away)

    def history() -> Iterator[dict[str, Any]]:
        for rep in people:
            days = _history(rep.team, local_date(at, rep.team.tz))
            for day in days[: len(days) - rep.quiet_for]:
                yield from _day_entries(rep, day, rng)

    _insert_chunked(engine, Entry.__table__, history())
    if engine.dialect.name == "postgresql":
        # What autovacuum does a minute after a bulk load; without statistics the planner takes the
        # fresh tables for empty and scans a whole workspace for each rep (tens of ms a query).
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("ANALYZE"))
    return people


def log_today(engine: Engine, people: list[BenchRep], at: datetime, rng: random.Random) -> int:
    """Between the two measured ticks most reps log their day, as they would in the afternoon."""

    def rows() -> Iterator[dict[str, Any]]:
        for rep in people:
            today = local_date(at, rep.team.tz)
            if rep.quiet_for == 0 and rep.team.calendar.is_working_day(today) and rng.random() < 0.85:
                yield from _day_entries(rep, today, rng)

    return _insert_chunked(engine, Entry.__table__, rows())


def _member(team: BenchTeam, user_id: str, role: str, at: datetime) -> dict[str, Any]:
    return {
        "workspace_id": WORKSPACE,
        "team_id": team.id,
        "user_id": user_id,
        "role": role,
        "added_by": team.manager,
        "added_at": at,
        "removed_by": None,
        "removed_at": None,
    }


def _goal(
    team: BenchTeam, user_id: str | None, metric: str, period: str, target: Decimal, at: datetime
) -> dict[str, Any]:
    return {
        "workspace_id": WORKSPACE,
        "team_id": team.id,
        "user_id": user_id,
        "metric_key": metric,
        "period": period,
        "target": target,
        "effective_from": at,
        "effective_to": None,
        "set_by": team.manager,
        "ends_on": None,
    }


def _away(user_id: str, start: date, end: date, at: datetime) -> dict[str, Any]:
    return {"workspace_id": WORKSPACE, "user_id": user_id, "start": start, "end": end, "created_at": at}


def row_counts(engine: Engine) -> dict[str, int]:
    models = (Team, Membership, RepProfile, Goal, AwayPeriod, Entry)
    with engine.connect() as conn:
        return {
            m.__tablename__: conn.execute(select(func.count()).select_from(m)).scalar_one() for m in models
        }


def pending(engine: Engine) -> int:
    with engine.connect() as conn:
        return conn.execute(
            select(func.count()).select_from(Outbox).where(Outbox.status == ob.PENDING)
        ).scalar_one()


def outbox_rows(engine: Engine) -> int:
    """The rows the planner proposed (the attention policy's "dm" rows that carry them aside)."""
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(Outbox).where(Outbox.kind != "dm")).scalar_one()


def covered_until(services: Services) -> datetime | None:
    with services.clock.transaction(write=False) as session:
        return ob.covered_until(session=session, name=CLOCK)


# --- running the clock -----------------------------------------------------------------------


@dataclass
class Bench:
    """Everything one size's measurements share."""

    size: str
    engine: Engine
    services: Services
    fake: FakeSlack
    counter: SqlCounter
    notifier: SlackNotifier
    now: list[datetime]
    profile: int
    samples: list[Sample] = field(default_factory=list)
    paced: float = 0.0

    def tick(self, at: datetime) -> TickReport:
        self.now[0] = at
        # Pacing off: the clock waits ~1 s between two posts to one channel; that is Slack's limit
        # talking, not the clock's cost (fan-out against Slack's limits is a separate benchmark).
        # The waits it asked for are added up instead, to show what pacing would have cost.
        self.paced = 0.0
        return self.services.clock.run_due(sender=self.notifier, now=at, sleep=self._pace)

    def _pace(self, seconds: float) -> None:
        self.paced += seconds

    def untimed(self, at: datetime, why: str) -> None:
        report = self.tick(at)
        print(f"  untimed ({why}): {report.summary()}", flush=True)

    def timed(self, at: datetime, phase: str, run: Callable[[], Any], *, profile: bool = False) -> Any:
        posts = len(self.fake.calls("chat.postMessage"))
        rows = outbox_rows(self.engine)
        self.paced = 0.0
        self.counter.reset()
        self.counter.active = True
        self.counter.sites_on = profile
        profiler = cProfile.Profile() if profile else None
        wall, cpu, main_cpu = time.perf_counter(), time.process_time(), time.thread_time()
        if profiler is not None:
            profiler.enable()
        try:
            result = run()
        finally:
            if profiler is not None:
                profiler.disable()
            wall = time.perf_counter() - wall
            cpu = time.process_time() - cpu
            main_cpu = time.thread_time() - main_cpu
            self.counter.active = self.counter.sites_on = False
        sample = Sample(
            size=self.size,
            at=at,
            phase=phase,
            wall=wall,
            cpu=cpu,
            main_cpu=main_cpu,
            sql=self.counter.statements,
            txns=self.counter.transactions,
            write_txn=self.counter.longest_write,
            api=len(self.fake.calls("chat.postMessage")) - posts,
            paced=self.paced,
            added=outbox_rows(self.engine) - rows,
            report=result if isinstance(result, TickReport) else None,
            planned=len(result) if isinstance(result, list) else None,
            sites=self.counter.sites,
        )
        if profiler is not None:
            out = io.StringIO()
            stats = pstats.Stats(profiler, stream=out)
            stats.sort_stats("cumulative").print_stats(r"/bot/", self.profile)
            sample.profile = out.getvalue()
        self.samples.append(sample)
        report = sample.report
        what = report.summary() if report else f"plan() → {sample.planned} messages"
        print(f"  timed   {phase:<9} {sample.wall:7.2f} s  {what}", flush=True)
        return result

    def settle(self, at: datetime) -> None:
        """Untimed next-minute ticks until nothing is pending, so that the measured tick starts clean."""
        ticks = sent = 0
        while ticks < MAX_FOLLOW_UPS and pending(self.engine):
            ticks += 1
            sent += self.tick(at + timedelta(minutes=ticks)).sent
        if ticks:
            print(f"  untimed: {ticks} next-minute tick(s) delivered {sent} leftover message(s)", flush=True)

    def measure(self, at: datetime) -> None:
        """An untimed tick an hour before, the plan alone, the tick, then next-minute ticks to drain."""
        self.untimed(at - timedelta(hours=1), "an hour before, sets covered_until")
        self.settle(at - timedelta(hours=1))
        since = covered_until(self.services) or at - DEFAULT_GRACE
        window = Window(since=since, now=at, grace=DEFAULT_GRACE)
        self.timed(at, "plan", lambda: self.services.clock.plan(window))
        self.timed(at, "tick", lambda: self.tick(at), profile=self.profile > 0)
        for minute in range(1, MAX_FOLLOW_UPS + 1):
            nxt = at + timedelta(minutes=minute)
            report = self.timed(nxt, f"+{minute} min", lambda nxt=nxt: self.tick(nxt))
            if report.sent == 0 and pending(self.engine) == 0:
                break  # that one was idle: what every other minute of the day costs


def closing_week(at: datetime) -> tuple[date, datetime]:
    """The Monday of ``at``'s week in New York, and the first tick after its midnight there (00:05)."""
    today = local_date(at, NEW_YORK)
    monday = today - timedelta(days=today.weekday())
    return monday, to_utc(monday, clock_time(0, 5), NEW_YORK)


def run_size(
    reps: int, teams: int, *, database_url: str | None, at: datetime, profile: int
) -> tuple[list[Sample], str]:
    size = f"{reps}x{teams}"
    print(f"\n{size}: {reps} reps in {teams} teams", flush=True)
    with fresh_database(database_url) as url:
        began = time.perf_counter()
        upgrade(url)
        engine = make_engine(url)
        try:
            with engine.connect() as conn:
                version = (
                    conn.execute(text("SHOW server_version")).scalar_one()
                    if engine.dialect.name == "postgresql"
                    else sqlite3.sqlite_version
                )
            kind = f"{engine.dialect.name} {version}"
            migrated = time.perf_counter()
            rng = random.Random(7)
            week_start, week_close = closing_week(at)
            people = seed(engine, reps=reps, teams=teams, at=at, week_start=week_start, rng=rng)
            counts = ", ".join(f"{k} {v:,}" for k, v in row_counts(engine).items())
            print(
                f"  migrated in {migrated - began:.1f} s, seeded in {time.perf_counter() - migrated:.1f} s: "
                f"{counts}",
                flush=True,
            )
            now = [at]
            services = build_services(engine, lambda: now[0], grace=DEFAULT_GRACE)
            counter = SqlCounter(engine)
            with FakeSlack() as fake:
                client = make_client(token=fake.token, base_url=fake.api_url, retries=False)
                bench = Bench(
                    size, engine, services, fake, counter, SlackNotifier(SlackGateway(client)), now, profile
                )
                if week_close < at - timedelta(hours=2):
                    bench.measure(week_close)
                else:
                    print("  (no week-close tick: --at is too soon after midnight in New York)")
                bench.measure(at)
                added = log_today(engine, people, at, rng)
                print(f"  untimed: {added:,} entries logged during the day, before the evening", flush=True)
                bench.measure(at + EVENING)
                errors = [c for c in fake.calls() if not c.ok]
                if errors:
                    print(f"  {len(errors)} Web API call(s) failed; first: {errors[0].response}", flush=True)
            return bench.samples, kind
        finally:
            engine.dispose()


# --- output ----------------------------------------------------------------------------------


def describe_machine(kind: str, load: tuple[float, float, float] | None) -> None:
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    busy = f"  load average at start {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}" if load else ""
    print(f"machine:  nproc={cpus}  {platform.system()} {platform.machine()}{busy}")
    print(f"python:   {platform.python_implementation()} {platform.python_version()}")
    print(f"database: {kind}")
    print("sender:   SlackNotifier → fake Slack Web API over loopback HTTP, in this process")
    print("pacing:   disabled (sleep=no-op); fan-out against Slack's rate limits is a separate benchmark")


def headline(samples: list[Sample], kind: str) -> list[Figure]:
    """CPU time, SQL statements and Web API calls of each whole tick (no targets: measured only)."""
    names = {"05:05": "week close", "14:05": "morning", "22:05": "evening"}
    out = []
    for s in samples:
        if s.phase != "tick":
            continue
        name = f"clock tick, {s.size.replace('x', ' reps × ')} teams, {kind.split()[0]}"
        what = names.get(f"{s.at:%H:%M}", f"{s.at:%H:%M} UTC")
        out += [
            Figure(name, f"{what}: CPU", s.cpu, "s"),
            Figure(name, f"{what}: SQL statements", s.sql, ""),
            Figure(name, f"{what}: Web API calls", s.api, ""),
        ]
    return out


def print_table(samples: list[Sample]) -> None:
    header = (
        f"{'size':<10} {'UTC':>5} {'phase':<9} {'wall s':>7} {'CPU s':>7} {'main s':>7} {'SQL':>7} "
        f"{'txns':>6} {'wtx s':>6} {'API':>6} {'planned':>7} {'new':>6} {'sent':>6} {'paced s':>7}"
    )
    print(header)
    print("-" * len(header))
    for s in samples:
        r = s.report
        planned = r.planned if r else s.planned
        new = f"{r.enqueued}" if r else "-"
        sent = f"{r.sent}" if r else "-"
        print(
            f"{s.size:<10} {s.at:%H:%M} {s.phase:<9} {s.wall:>7.2f} {s.cpu:>7.2f} {s.main_cpu:>7.2f} "
            f"{s.sql:>7} {s.txns:>6} {s.write_txn:>6.2f} {s.api:>6} {planned:>7} {new:>6} {sent:>6} "
            f"{s.paced:>7.0f}"
        )


def print_mismatches(samples: list[Sample]) -> None:
    wrong = [s for s in samples if s.report is not None and s.report.enqueued != s.added]
    if not wrong:
        return
    print("\nTickReport.enqueued disagrees with the outbox rows the tick inserted (counted afterwards):")
    for s in wrong:
        print(
            f"  {s.size:<10} {s.at:%H:%M} {s.phase:<9} report says {s.report.enqueued}, the table gained {s.added}"
        )


def print_kinds(samples: list[Sample]) -> None:
    print("\nsent by kind (failed / skipped as late, when any):")
    for s in samples:
        r = s.report
        if r is None or not (r.sent or r.failed or r.skipped_late):
            continue
        kinds = ", ".join(f"{k} {v}" for k, v in sorted(r.by_kind.items())) or "nothing"
        extra = f"; failed {r.failed}" if r.failed else ""
        extra += f"; skipped as late {r.skipped_late}" if r.skipped_late else ""
        print(f"  {s.size:<10} {s.at:%H:%M} {s.phase:<9} {kinds}{extra}")


def print_profiles(samples: list[Sample], top: int) -> None:
    for s in samples:
        if not s.sites and not s.profile:
            continue
        print(f"\n=== profile: {s.size} {s.at:%H:%M} {s.phase} (timings inflated by the profiler) ===")
        print(f"SQL statements by call site ({s.sql} in all):")
        by_site: defaultdict[str, int] = defaultdict(int)
        for site, n in s.sites.items():
            by_site[site] += n
        for site, n in sorted(by_site.items(), key=lambda kv: -kv[1])[:top]:
            print(f"  {n:>7}  {site}")
        print(s.profile.rstrip())


# --- the command -----------------------------------------------------------------------------


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000x20,10000x200", help="comma-separated REPSxTEAMS")
    parser.add_argument(
        "--database-url", help="a PostgreSQL server URL: a database of our own is created and dropped there"
    )
    parser.add_argument(
        "--at",
        default="2026-11-30T14:05:00Z",
        help="the morning tick; the week closes that Monday 00:05 in New York, the evening is 8 hours later",
    )
    parser.add_argument("--summary", help="append the headline figures to this file (bench/all.py)")
    parser.add_argument(
        "--profile",
        type=int,
        default=0,
        metavar="N",
        help="profile the three main ticks: SQL by call site and the N costliest bot functions (slows them)",
    )
    args = parser.parse_args(argv)
    try:
        args.shapes = [
            tuple(int(n) for n in s.lower().split("x")) for s in args.sizes.split(",") if s.strip()
        ]
    except ValueError:
        parser.error("--sizes takes REPSxTEAMS pairs separated by commas, e.g. 1000x20,10000x200")
    if not args.shapes or any(len(s) != 2 or s[0] < 1 or s[1] < 1 or s[1] > s[0] for s in args.shapes):
        parser.error("each size is REPSxTEAMS with at least one rep per team, e.g. 1000x20")
    try:
        at = datetime.fromisoformat(args.at)
    except ValueError:
        parser.error("--at takes an ISO instant, e.g. 2026-11-30T14:05:00Z")
    if at.tzinfo is None:
        parser.error("--at needs a timezone, e.g. 2026-11-30T14:05:00Z")
    args.instant = at.astimezone(UTC)
    if args.database_url and not normalize_database_url(args.database_url).startswith("postgresql"):
        parser.error("--database-url must be a PostgreSQL server URL (SQLite is the default)")
    return args


class _NoMisfireNoise(logging.Filter):
    """The untimed ticks before the morning and the evening skip the hours between as late, a warning each."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith("skipped ")


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    handler = logging.StreamHandler()
    handler.addFilter(_NoMisfireNoise())
    logging.basicConfig(
        level=logging.WARNING, handlers=[handler], format="%(levelname)s %(name)s: %(message)s"
    )
    load = os.getloadavg() if hasattr(os, "getloadavg") else None  # someone else's work skews the numbers
    samples: list[Sample] = []
    kind = "?"
    interrupted = False
    try:
        for reps, teams in args.shapes:
            measured, kind = run_size(
                reps, teams, database_url=args.database_url, at=args.instant, profile=args.profile
            )
            samples += measured
    except KeyboardInterrupt:
        interrupted = True
        print("\ninterrupted: the table shows the sizes that finished")
    print()
    describe_machine(kind, load)
    _, week_close = closing_week(args.instant)
    print(
        f"instants:  {week_close:%Y-%m-%d %H:%M} UTC: New York's week closes (the stage machine judges it);\n"
        f"           {args.instant:%Y-%m-%d %H:%M} UTC: the morning (--at); "
        f"{args.instant + EVENING:%H:%M} UTC: the evening, 8 hours later\n"
    )
    if samples:
        print_table(samples)
        record(args.summary, headline(samples, kind))
        print_mismatches(samples)
        print_kinds(samples)
        print_profiles(samples, args.profile)
    return 130 if interrupted else 0


if __name__ == "__main__":
    sys.exit(main())
