"""How close does the clock's fan-out come to what Slack's rate limits allow?

A benchmark, not a test: it reports numbers and never judges them. It seeds the same database as
``clock_tick.py`` (10,000 reps in 200 teams by default), then runs the busiest tick of a Monday
morning in New York — the standups, a 1:1 prompt per onboarding rep to their manager, every check-in
due at 14:00 UTC — with real sleeps, against the fake Slack Web API enforcing ``chat.postMessage``'s
limits the way Slack does (429 with ``Retry-After``): one message a second per conversation, and a
workspace-wide bucket (``--burst`` messages, refilled at ``--rate`` a second).

Those limits alone put a floor under the fan-out's wall time: the busiest conversation needs
``n - 1`` seconds for its ``n`` messages, and the workspace needs ``(N - burst) / rate`` seconds for
all ``N``. The ratio of the measured wall time to that floor is the number to watch (target: ≤ 1.2).

Run from the repository root:  python bench/fanout.py [--size 10000x200] [--workers 8] [--rate 50]
"""

from __future__ import annotations

import argparse
import logging
import os
import random
import sys
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from sqlalchemy.orm import Session  # noqa: E402

from bench.clock_tick import (  # noqa: E402
    SqlCounter,
    closing_week,
    describe_machine,
    fresh_database,
    pending,
    seed,
)
from bench.summary import Figure, record  # noqa: E402
from bot.migrate import upgrade  # noqa: E402
from bot.services.clock import DEFAULT_GRACE  # noqa: E402
from bot.services.container import build_services  # noqa: E402
from bot.slack.gateway import SlackGateway, make_client  # noqa: E402
from bot.slack.notifier import SlackNotifier  # noqa: E402
from bot.store.db import make_engine  # noqa: E402
from bot.store.models import ClockState, Outbox  # noqa: E402
from tests.support.fakeslack import FakeSlack  # noqa: E402

TARGET = 1.2


def lower_bound(
    per_conversation: Counter, *, burst: int, rate: float, interval: float
) -> tuple[float, float]:
    """(busiest conversation's floor, workspace's floor) in seconds for these messages."""
    total = sum(per_conversation.values())
    busiest = (max(per_conversation.values()) - 1) * interval if per_conversation else 0.0
    return busiest, max(0.0, (total - burst) / rate) if rate > 0 else 0.0


def run(args: argparse.Namespace) -> int:
    reps, teams = args.shape
    at = args.instant
    load = os.getloadavg() if hasattr(os, "getloadavg") else None
    print(
        f"{reps}x{teams}: {reps} reps in {teams} teams; the morning tick at {at:%Y-%m-%d %H:%M} UTC",
        flush=True,
    )
    with fresh_database(args.database_url) as url:
        upgrade(url)
        engine = make_engine(url)
        try:
            began = time.perf_counter()
            week_start, _ = closing_week(at)
            seed(engine, reps=reps, teams=teams, at=at, week_start=week_start, rng=random.Random(7))
            print(f"  seeded in {time.perf_counter() - began:.1f} s", flush=True)
            clock = [at - timedelta(hours=1)]
            with FakeSlack(team_id="T0BENCH") as fake:
                client = make_client(token=fake.token, base_url=fake.api_url, retries=False)
                notifier = SlackNotifier(SlackGateway(client))
                rows: list[dict[str, float]] = []
                for workers in args.workers:
                    services = build_services(
                        engine, lambda: clock[0], grace=DEFAULT_GRACE, send_workers=workers
                    )
                    # An hour before, untimed and unlimited: sets the clock's mark and drains the
                    # queue, so that the measured tick covers one hour and starts clean.
                    fake.limit_posts(rate=0)
                    with Session(engine) as session, session.begin():  # each run plans the morning afresh
                        session.execute(Outbox.__table__.delete())
                        session.execute(ClockState.__table__.delete())
                    services.clock.run_due(sender=notifier, now=at - timedelta(hours=1), sleep=lambda s: None)
                    minute = 0
                    while pending(engine):
                        minute += 1
                        services.clock.run_due(
                            sender=notifier,
                            now=at - timedelta(hours=1, minutes=-minute),
                            sleep=lambda s: None,
                        )
                    fake.reset()
                    if args.rate > 0:
                        fake.limit_posts(per_channel=1.0, burst=args.burst, rate=args.rate)
                    counter = SqlCounter(engine)
                    counter.active = True
                    wall, cpu, started_at = time.perf_counter(), time.process_time(), time.time()
                    clock[0] = at
                    ticks = 0
                    # The scheduler runs the next tick as soon as an overlong one ends (coalesced);
                    # keep ticking until the outbox is drained, each tick at the wall time it starts.
                    while True:
                        now = at + timedelta(seconds=time.perf_counter() - wall)
                        report = services.clock.run_due(sender=notifier, now=now)
                        ticks += 1
                        if not pending(engine) or ticks >= 20:
                            break
                    wall = time.perf_counter() - wall
                    cpu = time.process_time() - cpu
                    counter.active = False
                    accepted = [c for c in fake.calls("chat.postMessage") if c.ok]
                    first = min((c.at for c in accepted), default=started_at)
                    last = max((c.at for c in accepted), default=started_at)
                    fanout = last - first
                    per_conversation = Counter(str(c.response["channel"]) for c in accepted)
                    busiest, workspace = lower_bound(
                        per_conversation, burst=args.burst, rate=args.rate, interval=1.0
                    )
                    bound = max(busiest, workspace)
                    calls = Counter(c.method for c in fake.calls())
                    print(
                        f"  workers {workers}: {len(accepted):,} posts in {wall:.1f} s over {ticks} tick(s); "
                        f"{fake.rate_limited} refused with 429; last tick: {report.summary()}",
                        flush=True,
                    )
                    rows.append(
                        {
                            "workers": workers,
                            "posts": len(accepted),
                            "convs": len(per_conversation),
                            "most": max(per_conversation.values(), default=0),
                            "busiest": busiest,
                            "workspace": workspace,
                            "bound": bound,
                            "tick": wall,
                            "fanout": fanout,
                            "cpu": cpu,
                            "sql": counter.statements,
                            "api": sum(calls.values()),
                            "refused": fake.rate_limited,
                        }
                    )
        finally:
            engine.dispose()
    print()
    describe_machine(f"{engine.dialect.name}", load)
    print(
        f"limits:   chat.postMessage 1/s per conversation; workspace bucket {args.burst} burst, "
        f"{args.rate:g}/s; 429 with Retry-After past either\n"
    )
    header = (
        f"{'workers':>7} {'posts':>6} {'convs':>6} {'max/conv':>8} {'conv s':>7} {'ws s':>7} {'bound s':>7} "
        f"{'tick s':>7} {'fan-out s':>9} {'ratio':>6} {'target':>11} {'CPU s':>6} {'SQL':>7} {'API':>6} {'429s':>5}"
    )
    print(header)
    print("-" * len(header))
    figures = []
    for r in rows:
        ratio = r["fanout"] / r["bound"] if r["bound"] else float("nan")
        name = f"clock fan-out, {reps:,} reps, {r['workers']} workers"
        figures += [
            Figure(name, "fan-out wall time / lower bound", ratio, "×", f"≤ {TARGET:g}", ratio <= TARGET),
            Figure(name, "fan-out wall time", r["fanout"], "s", f"bound {r['bound']:.1f} s"),
        ]
        verdict = "PASS" if ratio <= TARGET else "MISS"
        print(
            f"{r['workers']:>7} {r['posts']:>6,} {r['convs']:>6,} {r['most']:>8} {r['busiest']:>7.1f} "
            f"{r['workspace']:>7.1f} {r['bound']:>7.1f} {r['tick']:>7.1f} {r['fanout']:>9.1f} {ratio:>6.2f} "
            f"{'≤ ' + format(TARGET, 'g') + ' ' + verdict:>11} {r['cpu']:>6.1f} {r['sql']:>7,} {r['api']:>6,} "
            f"{r['refused']:>5}"
        )
    record(args.summary, figures)
    return 0


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", default="10000x200", help="REPSxTEAMS")
    parser.add_argument("--workers", default="8", help="comma-separated send worker counts to compare")
    parser.add_argument("--rate", type=float, default=50.0, help="workspace limit: posts a second")
    parser.add_argument("--burst", type=int, default=50, help="workspace limit: burst size")
    parser.add_argument("--at", default="2026-11-30T14:05:00Z", help="the morning tick (ISO instant)")
    parser.add_argument("--summary", help="append the headline figures to this file (bench/all.py)")
    parser.add_argument(
        "--database-url", help="a PostgreSQL server URL: a database of our own is created and dropped"
    )
    args = parser.parse_args(argv)
    try:
        args.shape = tuple(int(n) for n in args.size.lower().split("x"))
        args.workers = [int(w) for w in args.workers.split(",")]
    except ValueError:
        parser.error("--size is REPSxTEAMS, --workers a list of integers")
    args.instant = datetime.fromisoformat(args.at.replace("Z", "+00:00")).astimezone(UTC)
    return args


if __name__ == "__main__":
    logging.basicConfig(level=logging.ERROR)
    sys.exit(run(parse_args(None)))
