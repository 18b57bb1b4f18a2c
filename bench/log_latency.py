"""How fast does ``/log`` answer? Signed slash commands against the real web process.

A benchmark, not a test: it reports numbers and never judges them. It starts a fake Slack Web API,
migrates a database (a fresh temporary SQLite file unless ``--database-url`` is given), starts
``python -m bot web``, sets up a team with goals through signed commands, warms up, then fires
``/log 1 calls`` from N threads per concurrency level and prints latency percentiles.

Run from the repository root:  python bench/log_latency.py --requests 500 --concurrency 1,20
"""

from __future__ import annotations

import argparse
import math
import os
import platform
import shutil
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from tests.support.fakeslack import FakeSlack  # noqa: E402
from tests.support.signing import Reply, SlackSender  # noqa: E402
from tests.support.webproc import WebProcess, run_migrate  # noqa: E402

SECRET = "bench-signing-secret"
MANAGER = "U0MGR"


@dataclass
class Level:
    """The outcome of one concurrency level."""

    concurrency: int
    latencies: list[float]
    failures: list[str]
    wall: float

    @property
    def requests(self) -> int:
        return len(self.latencies) + len(self.failures)

    def percentile(self, p: float) -> float:
        """Nearest-rank percentile in milliseconds (no interpolation: every value was observed)."""
        ordered = sorted(self.latencies)
        if not ordered:
            return float("nan")
        rank = max(1, math.ceil(p / 100 * len(ordered)))
        return ordered[rank - 1] * 1000


def rep_id(n: int) -> str:
    return f"U0REP{n}"


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=500, help="requests per concurrency level")
    parser.add_argument("--concurrency", default="1,20", help="comma-separated client thread counts")
    parser.add_argument("--database-url", help="use this database (migrated first) instead of a temp SQLite")
    parser.add_argument("--one-rep", action="store_true", help="every thread logs as the same rep")
    parser.add_argument("--warmup", type=int, default=50, help="untimed requests before measuring")
    parser.add_argument("--workers", type=int, help="WEB_CONCURRENCY for the web process")
    parser.add_argument("--threads", type=int, help="WEB_THREADS for the web process")
    parser.add_argument("--log-level", default="INFO", help="LOG_LEVEL for the web process")
    args = parser.parse_args(argv)
    try:
        args.levels = [int(x) for x in args.concurrency.split(",") if x.strip()]
    except ValueError:
        parser.error("--concurrency takes whole numbers separated by commas, e.g. 1,20")
    if not args.levels or min(args.levels) < 1 or args.requests < 1:
        parser.error("--concurrency levels and --requests must be at least 1")
    return args


def expect_ok(what: str, reply: Reply) -> None:
    """Show what a setup command answered; stop when it was not a 200."""
    text = reply.message_text.replace("\n", " ⏎ ")
    print(f"  {what:<40} {reply.status}  {text[:100]}")
    if reply.status != 200:
        raise SystemExit(f"setup failed: {what} → HTTP {reply.status}: {reply.text[:500]}")


def set_up_team(slack: SlackSender, reps: int) -> None:
    print("setup:")
    expect_ok(
        "/team create",
        slack.command("/team", "create Bench <#C0BENCH|bench> tz=America/New_York", user_id=MANAGER),
    )
    mentions = " ".join(f"<@{rep_id(n)}|rep{n}>" for n in range(1, reps + 1))
    expect_ok(f"/team add ({reps} reps)", slack.command("/team", f"add {mentions}", user_id=MANAGER))
    expect_ok(
        "/goals team",
        slack.command("/goals", "team 25 calls/day, 5 presentations/week", user_id=MANAGER),
    )
    expect_ok("/log 1 calls (rep1, first)", slack.command("/log", "1 calls", user_id=rep_id(1)))


def fire(slack: SlackSender, *, total: int, concurrency: int, reps: int) -> Level:
    """``total`` signed ``/log 1 calls`` from ``concurrency`` threads started together."""
    shares = [total // concurrency + (1 if i < total % concurrency else 0) for i in range(concurrency)]
    latencies: list[float] = []
    failures: list[str] = []
    lock = threading.Lock()
    start = threading.Barrier(sum(1 for n in shares if n) + 1)  # the clients and the timer start together

    def client(index: int, count: int) -> None:
        user = rep_id(index % reps + 1)
        start.wait()
        for _ in range(count):
            try:
                reply = slack.command("/log", "1 calls", user_id=user)
            except OSError as exc:
                with lock:
                    failures.append(f"{type(exc).__name__}: {exc}")
                continue
            with lock:
                if reply.status == 200:
                    latencies.append(reply.elapsed)
                else:
                    failures.append(f"HTTP {reply.status}: {reply.text[:200]}")

    threads = [threading.Thread(target=client, args=(i, n)) for i, n in enumerate(shares) if n]
    for thread in threads:
        thread.start()
    start.wait()
    began = time.perf_counter()
    for thread in threads:
        thread.join()
    return Level(
        concurrency=concurrency, latencies=latencies, failures=failures, wall=time.perf_counter() - began
    )


def print_table(levels: list[Level]) -> None:
    header = f"{'concurrency':>11} {'requests':>8} {'errors':>6} {'req/s':>8} {'p50 ms':>8} {'p90 ms':>8} "
    header += f"{'p99 ms':>8} {'max ms':>8}"
    print(header)
    print("-" * len(header))
    for level in levels:
        ok = len(level.latencies)
        print(
            f"{level.concurrency:>11} {level.requests:>8} {len(level.failures):>6} "
            f"{ok / level.wall if level.wall else 0:>8.1f} {level.percentile(50):>8.1f} "
            f"{level.percentile(90):>8.1f} {level.percentile(99):>8.1f} {level.percentile(100):>8.1f}"
        )


def describe_machine(database_url: str, env: dict[str, str]) -> None:
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    kind = "postgresql" if database_url.startswith("postgres") else database_url.split(":", 1)[0]
    print(f"machine:  nproc={cpus}  {platform.system()} {platform.machine()}")
    print(f"python:   {platform.python_implementation()} {platform.python_version()}")
    print(f"database: {kind}")
    workers = env.get("WEB_CONCURRENCY", "app default")
    threads = env.get("WEB_THREADS", "app default")
    print(f"server:   python -m bot web  WEB_CONCURRENCY={workers}  WEB_THREADS={threads}")


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    reps = 1 if args.one_rep else max(args.levels)
    overrides: dict[str, str | None] = {"LOG_LEVEL": args.log_level}
    if args.workers:
        overrides["WEB_CONCURRENCY"] = str(args.workers)
    if args.threads:
        overrides["WEB_THREADS"] = str(args.threads)

    scratch = None
    database_url = args.database_url
    if database_url is None:
        scratch = tempfile.mkdtemp(prefix="salesbot-bench-")
        database_url = f"sqlite:///{Path(scratch) / 'bench.db'}"
    try:
        run_migrate(database_url)
        with FakeSlack() as fake:
            fake.add_user(MANAGER, name="manager")
            for n in range(1, reps + 1):
                fake.add_user(rep_id(n), name=f"rep{n}")
            web = WebProcess(fake=fake, secret=SECRET, database_url=database_url, env=overrides)
            web.start()
            try:
                describe_machine(database_url, web.env)
                print(f"clients:  {'one rep' if args.one_rep else 'one rep per thread'}, {reps} rep(s)\n")
                slack = SlackSender(web.url, secret=SECRET, fake=fake)
                set_up_team(slack, reps)
                if args.warmup:
                    fire(slack, total=args.warmup, concurrency=max(args.levels), reps=reps)
                print(f"\n/log 1 calls, {args.requests} requests per level, latency as the client saw it:\n")
                levels = [fire(slack, total=args.requests, concurrency=c, reps=reps) for c in args.levels]
                print_table(levels)
                methods = Counter(c.method for c in fake.calls())
                summary = ", ".join(f"{m} ×{n}" for m, n in methods.most_common()) or "none"
                print(f"\nWeb API calls the bot made (setup included): {summary}")
            finally:
                code = web.stop()
                if code not in (0, None):
                    print(f"\nweb process exited with {code}; its log:\n{web.log_text()[-4000:]}")
        failures = [f for level in levels for f in level.failures]
        if failures:
            print(f"\n{len(failures)} request(s) failed; first: {failures[0]}")
            return 1
        return 0
    finally:
        if scratch is not None:
            shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
