"""How fast does ``/log`` answer, next to a bare Bolt app on the same server stack?

A benchmark, not a test: it reports numbers and never judges them (the PASS/MISS marks compare them
with the targets; the exit status ignores them). It starts a fake Slack Web API, migrates a database
(a fresh temporary SQLite file unless ``--database-url`` is given), starts ``python -m bot web`` and
``python -m bench.bare_bolt`` (a Bolt app that only acks ``/log``, served by the bot's own gunicorn
``Server`` and WSGI router), sets up a team with goals through signed commands, warms both up, then
fires signed ``/log 1 calls`` at each in turn from N client threads per concurrency level and prints
throughput and latency percentiles side by side, with the bot's share of the bare app's throughput.

Run from the repository root:  python bench/log_latency.py [--concurrency 1,10,50] [--seconds 5]
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import hmac
import math
import multiprocessing
import os
import platform
import shutil
import socket
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

REPO_ROOT = Path(__file__).resolve().parents[1]
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from bench.summary import Figure, record  # noqa: E402
from bot.config import Settings  # noqa: E402
from tests.support.fakeslack import FakeSlack  # noqa: E402
from tests.support.signing import (  # noqa: E402
    APP_ID,
    TEAM_DOMAIN,
    USER_AGENT,
    VERIFICATION_TOKEN,
    Reply,
    SlackSender,
)
from tests.support.webproc import WebProcess, run_migrate  # noqa: E402

SECRET = "bench-signing-secret"
MANAGER = "U0MGR"
TEAM_ID = "T0001"
TEXT = "1 calls"
TARGET_RATIO = 0.7  # the bot's throughput as a share of the bare app's, at each level
TARGET_P99_MS = 50.0
POOL = 64  # distinct signed requests each client thread cycles through
RESIGN_AFTER = 240.0  # seconds; Slack signatures are accepted for 5 minutes
CLK_TCK = os.sysconf("SC_CLK_TCK")


# ----------------------------------------------------------------------------- the client
#
# Runs in separate processes (``--client-processes``), so that neither the fake Slack answering the
# bot's follow-up calls nor the parent's bookkeeping shares a GIL with the clients. Each client thread
# holds one keep-alive connection and writes requests built and signed before the clock starts; it
# reads the status line, the headers and exactly Content-Length bytes of body. Per request that is
# about 20 µs of client CPU, a fifth of what http.client spends (see bench/README.md).


def signed_command(*, host: str, port: int, user_id: str, response_url: str, timestamp: int) -> bytes:
    """One signed ``/log`` request as Slack sends it: the form fields of ``SlackSender.command``, in order."""
    body = urlencode(
        {
            "token": VERIFICATION_TOKEN,
            "team_id": TEAM_ID,
            "team_domain": TEAM_DOMAIN,
            "channel_id": "C0GENERAL",
            "channel_name": "general",
            "user_id": user_id,
            "user_name": user_id.lower(),
            "command": "/log",
            "text": TEXT,
            "api_app_id": APP_ID,
            "is_enterprise_install": "false",
            "response_url": response_url,
            "trigger_id": f"{timestamp}.{uuid.uuid4().int % 10**9:09d}.{uuid.uuid4().hex}",
        }
    ).encode()
    digest = hmac.new(SECRET.encode(), b"v0:%d:" % timestamp + body, hashlib.sha256).hexdigest()
    head = (
        f"POST /slack/events HTTP/1.1\r\nHost: {host}:{port}\r\n"
        "Content-Type: application/x-www-form-urlencoded\r\n"
        f"Content-Length: {len(body)}\r\nUser-Agent: {USER_AGENT}\r\nAccept: application/json,*/*\r\n"
        f"X-Slack-Request-Timestamp: {timestamp}\r\nX-Slack-Signature: v0={digest}\r\n\r\n"
    )
    return head.encode() + body


class Closed(ConnectionError):
    """The server closed the connection before answering anything."""


def exchange(sock: socket.socket, request: bytes) -> tuple[int, bytes, bool]:
    """Send one request, read one response: (status, body, server asked to close)."""
    sock.sendall(request)
    data = b""
    while (end := data.find(b"\r\n\r\n")) < 0:
        chunk = sock.recv(65536)
        if not chunk:
            raise (
                Closed("connection closed before a response")
                if not data
                else ConnectionError("connection closed inside the response headers")
            )
        data += chunk
    head, body = data[:end], data[end + 4 :]
    status = int(head[9:12])
    length, close = None, False
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        name = name.strip().lower()
        if name == b"content-length":
            length = int(value)
        elif name == b"connection":
            close = value.strip().lower() == b"close"
    if length is None:
        raise ValueError(f"HTTP {status} without Content-Length")
    while len(body) < length:
        chunk = sock.recv(65536)
        if not chunk:
            raise ConnectionError("connection closed inside the response body")
        body += chunk
    return status, body, close


@dataclass
class Job:
    """What one client process runs for one cell: its threads, one rep each, and when to stop."""

    port: int
    users: list[str]
    response_base: str
    seconds: float | None
    requests: list[int]  # per thread; used when ``seconds`` is None
    expect: bytes | None  # a 200 whose body lacks this counts as an error
    reconnect: bool = False  # a new connection for every request instead of keep-alive


@dataclass
class Part:
    """One client process's share of a cell."""

    latencies: list[float] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    began: float = 0.0
    ended: float = 0.0
    cpu: float = 0.0


def run_job(job: Job, ready, go) -> Part:
    """Build and sign every thread's requests, report ready, wait for the go, then send."""
    part = Part()
    lock = threading.Lock()
    host = "127.0.0.1"
    built = threading.Barrier(len(job.users) + 1)
    barrier = threading.Barrier(len(job.users) + 1)
    start: list[float] = []

    def pool(user: str, size: int) -> tuple[list[bytes], float]:
        now = time.time()
        return [
            signed_command(
                host=host,
                port=job.port,
                user_id=user,
                response_url=f"{job.response_base}/response/b{uuid.uuid4().hex[:12]}",
                timestamp=int(now),
            )
            for _ in range(size)
        ], now

    def client(index: int) -> None:
        user = job.users[index]
        count = job.requests[index] if job.seconds is None else None
        requests, signed_at = pool(user, POOL if count is None else max(1, min(POOL, count)))
        latencies: list[float] = []
        failures: list[str] = []
        sock: socket.socket | None = None
        built.wait()
        barrier.wait()
        deadline = start[0] + job.seconds if job.seconds is not None else math.inf
        n = 0
        while (n < count) if count is not None else (time.perf_counter() < deadline):
            if time.time() - signed_at > RESIGN_AFTER:
                requests, signed_at = pool(user, len(requests))
            request = requests[n % len(requests)]
            n += 1
            t0 = time.perf_counter()
            for attempt in (1, 2):
                reused = sock is not None
                try:
                    if sock is None:
                        sock = socket.create_connection((host, job.port), timeout=30)
                        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                    status, body, close = exchange(sock, request)
                except (OSError, ValueError) as exc:
                    if sock is not None:
                        sock.close()
                        sock = None
                    # A keep-alive connection the server dropped while idle: retry once, as clients do.
                    if attempt == 1 and reused and isinstance(exc, Closed):
                        continue
                    failures.append(f"{type(exc).__name__}: {exc}")
                    break
                elapsed = time.perf_counter() - t0
                if close or job.reconnect:
                    sock.close()
                    sock = None
                if status != 200:
                    failures.append(f"HTTP {status}: {body[:200]!r}")
                elif job.expect is not None and job.expect not in body:
                    failures.append(f"HTTP 200 without {job.expect!r}: {body[:200]!r}")
                else:
                    latencies.append(elapsed)
                break
        if sock is not None:
            sock.close()
        with lock:
            part.latencies.extend(latencies)
            part.failures.extend(failures)

    threads = [threading.Thread(target=client, args=(i,), daemon=True) for i in range(len(job.users))]
    for thread in threads:
        thread.start()
    built.wait()
    ready()
    start_at = go()
    time.sleep(max(0.0, start_at - time.time()))
    cpu = time.process_time()
    part.began = time.time()
    start.append(time.perf_counter())
    barrier.wait()
    for thread in threads:
        thread.join()
    part.ended = time.time()
    part.cpu = time.process_time() - cpu
    return part


def client_process(conn) -> None:
    """A client process: runs the jobs it receives until it receives None."""
    while (job := conn.recv()) is not None:
        part = run_job(job, ready=lambda: conn.send("ready"), go=conn.recv)
        conn.send(part)


class Clients:
    """Persistent client processes; a cell's threads are spread over them and start together."""

    def __init__(self, processes: int, *, reconnect: bool = False) -> None:
        self._reconnect = reconnect
        context = multiprocessing.get_context("spawn")
        self._conns = []
        self._procs = []
        for _ in range(processes):
            parent, child = context.Pipe()
            proc = context.Process(target=client_process, args=(child,), daemon=True)
            proc.start()
            self._conns.append(parent)
            self._procs.append(proc)

    def run(
        self, *, port: int, users: list[str], response_base: str, seconds: float | None, total: int, expect
    ) -> Cell:
        shares = [total // len(users) + (1 if i < total % len(users) else 0) for i in range(len(users))]
        n = len(self._conns)
        busy = []
        for k, conn in enumerate(self._conns):
            mine = list(range(k, len(users), n))
            if not mine:
                continue
            conn.send(
                Job(
                    port=port,
                    users=[users[i] for i in mine],
                    response_base=response_base,
                    seconds=seconds,
                    requests=[shares[i] for i in mine],
                    expect=expect,
                    reconnect=self._reconnect,
                )
            )
            busy.append(conn)
        for conn in busy:
            if conn.recv() != "ready":
                raise RuntimeError("a client process failed to start its threads")
        start_at = time.time() + 0.05
        for conn in busy:
            conn.send(start_at)
        parts: list[Part] = [conn.recv() for conn in busy]
        return Cell(
            latencies=[x for p in parts for x in p.latencies],
            failures=[f for p in parts for f in p.failures],
            wall=max(p.ended for p in parts) - min(p.began for p in parts),
            client_cpu=sum(p.cpu for p in parts),
        )

    def close(self) -> None:
        for conn in self._conns:
            with contextlib.suppress(OSError):
                conn.send(None)
        for proc in self._procs:
            proc.join(timeout=5)
            if proc.is_alive():
                proc.terminate()


# ----------------------------------------------------------------------------- measuring


@dataclass
class Cell:
    """One app at one concurrency level (summed over rounds)."""

    latencies: list[float] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    wall: float = 0.0
    client_cpu: float = 0.0
    server_cpu: float = 0.0

    def add(self, other: Cell) -> None:
        self.latencies += other.latencies
        self.failures += other.failures
        self.wall += other.wall
        self.client_cpu += other.client_cpu
        self.server_cpu += other.server_cpu

    @property
    def ok(self) -> int:
        return len(self.latencies)

    @property
    def requests(self) -> int:
        return len(self.latencies) + len(self.failures)

    @property
    def rate(self) -> float:
        return self.ok / self.wall if self.wall else 0.0

    def percentile(self, p: float) -> float:
        """Nearest-rank percentile in milliseconds (no interpolation: every value was observed)."""
        ordered = sorted(self.latencies)
        if not ordered:
            return float("nan")
        rank = max(1, math.ceil(p / 100 * len(ordered)))
        return ordered[rank - 1] * 1000


def group_cpu(pgid: int) -> float:
    """CPU seconds (user + system) used so far by every live process in a process group."""
    ticks = 0
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as stat:
                fields = stat.read().rsplit(b")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid:  # pgrp; fields[0] is the state
            ticks += int(fields[11]) + int(fields[12])  # utime, stime
    return ticks / CLK_TCK


def settle(pgids: list[int], *, quiet: float = 0.05, limit: float = 30.0) -> float:
    """Wait until the servers are idle (follow-up work from the last cell finished); seconds waited."""
    began = time.monotonic()
    before = sum(group_cpu(g) for g in pgids)
    while time.monotonic() - began < limit:
        time.sleep(0.25)
        now = sum(group_cpu(g) for g in pgids)
        if now - before <= quiet * 0.25 + 1 / CLK_TCK:
            break
        before = now
    return time.monotonic() - began


@dataclass
class Target:
    name: str
    web: WebProcess
    expect: bytes | None
    cells: dict[int, Cell] = field(default_factory=dict)


def rep_id(n: int) -> str:
    return f"U0REP{n}"


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--concurrency", default="1,10,50", help="comma-separated client counts")
    parser.add_argument("--seconds", type=float, default=5.0, help="load per app, level and round")
    parser.add_argument(
        "--requests", type=int, help="a fixed number of requests per cell instead of --seconds"
    )
    parser.add_argument("--rounds", type=int, default=2, help="rounds over all levels; the order alternates")
    parser.add_argument("--database-url", help="use this database (migrated first) instead of a temp SQLite")
    parser.add_argument("--one-rep", action="store_true", help="every client logs as the same rep")
    parser.add_argument("--warmup", type=int, default=300, help="untimed requests per app before measuring")
    parser.add_argument("--client-processes", type=int, default=1, help="processes the clients run in")
    parser.add_argument(
        "--new-connections", action="store_true", help="connect for every request instead of keep-alive"
    )
    parser.add_argument("--workers", type=int, help="WEB_CONCURRENCY for both web processes")
    parser.add_argument("--threads", type=int, help="WEB_THREADS for both web processes")
    parser.add_argument("--log-level", default="INFO", help="LOG_LEVEL for both web processes")
    parser.add_argument("--summary", help="append the headline figures to this file (bench/all.py)")
    args = parser.parse_args(argv)
    try:
        args.levels = [int(x) for x in args.concurrency.split(",") if x.strip()]
    except ValueError:
        parser.error("--concurrency takes whole numbers separated by commas, e.g. 1,10,50")
    if not args.levels or min(args.levels) < 1:
        parser.error("--concurrency levels must be at least 1")
    if (args.requests is not None and args.requests < 1) or args.seconds <= 0 or args.rounds < 1:
        parser.error("--requests, --seconds and --rounds must be positive")
    if args.client_processes < 1:
        parser.error("--client-processes must be at least 1")
    return args


def expect_ok(what: str, reply: Reply) -> None:
    """Show what a setup command answered; stop when it was not a 200."""
    text = reply.message_text.replace("\n", " ⏎ ")
    print(f"  {what:<40} {reply.status}  {text[:100]}")
    if reply.status != 200:
        raise SystemExit(f"setup failed: {what} → HTTP {reply.status}: {reply.text[:500]}")


def set_up_team(slack: SlackSender, reps: int) -> None:
    print("setup:")
    # As a manager does it: from inside the channel, answered once Slack has said so.
    created = slack.create_team("Bench <#C0BENCH|bench> tz=America/New_York", user_id=MANAGER)
    print(f"  {'/team create':<40} {created[:100]}")
    if "Created *Bench*" not in created:
        raise SystemExit(f"setup failed: /team create → {created[:500]}")
    mentions = " ".join(f"<@{rep_id(n)}|rep{n}>" for n in range(1, reps + 1))
    expect_ok(f"/team add ({reps} reps)", slack.command("/team", f"add {mentions}", user_id=MANAGER))
    expect_ok(
        "/goals team",
        slack.command("/goals", "team 25 calls/day, 5 presentations/week", user_id=MANAGER),
    )
    # Thousands of "/log 1 calls" a rep's day would never hold: lift the daily ceiling out of the way.
    expect_ok("/team ceiling calls", slack.command("/team", "ceiling calls 100000", user_id=MANAGER))
    expect_ok("/log 1 calls (rep1, first)", slack.command("/log", TEXT, user_id=rep_id(1)))


def fmt_ms(value: float) -> str:
    return f"{value:.1f}" if not math.isnan(value) else "-"


def headline(levels: list[int], targets: list[Target], kind: str) -> list[Figure]:
    """Per level: the bot's throughput, its share of the bare app's, and its p99, against the targets."""
    bot, bare = targets[0], targets[1]
    name = f"/log vs bare Bolt, {kind}"
    out = []
    for level in levels:
        b, r = bot.cells[level], bare.cells[level]
        ratio = b.rate / r.rate if r.rate else float("nan")
        p99 = b.percentile(99)
        out += [
            Figure(name, f"{level} clients: bot req/s", b.rate, "req/s"),
            Figure(
                name,
                f"{level} clients: bot/bare req/s",
                ratio,
                "",
                f"≥ {TARGET_RATIO:.2f}",
                ratio >= TARGET_RATIO,
            ),
            Figure(
                name, f"{level} clients: bot p99", p99, "ms", f"< {TARGET_P99_MS:.0f} ms", p99 < TARGET_P99_MS
            ),
        ]
    return out


def print_tables(levels: list[int], targets: list[Target]) -> None:
    header = (
        f"{'clients':>7} {'app':<4} {'requests':>8} {'errors':>6} {'req/s':>8} {'p50 ms':>7} {'p90 ms':>7} "
        f"{'p99 ms':>7} {'max ms':>7} {'srv CPU ms/req':>14} {'client µs/req':>13}"
    )
    print(header)
    print("-" * len(header))
    for level in levels:
        for t in targets:
            c = t.cells[level]
            print(
                f"{level:>7} {t.name:<4} {c.requests:>8} {len(c.failures):>6} {c.rate:>8.1f} "
                f"{fmt_ms(c.percentile(50)):>7} {fmt_ms(c.percentile(90)):>7} {fmt_ms(c.percentile(99)):>7} "
                f"{fmt_ms(c.percentile(100)):>7} {c.server_cpu / max(c.ok, 1) * 1000:>14.2f} "
                f"{c.client_cpu / max(c.requests, 1) * 1e6:>13.0f}"
            )
    bot, bare = targets[0], targets[1]
    print(
        f"\n{'clients':>7}  {'bot/bare req/s':>14} (target ≥ {TARGET_RATIO:.2f})"
        f"  {'bot p99':>9} (target < {TARGET_P99_MS:.0f} ms)  {'bare p99':>9}"
    )
    for level in levels:
        b, r = bot.cells[level], bare.cells[level]
        ratio = b.rate / r.rate if r.rate else float("nan")
        p99 = b.percentile(99)
        print(
            f"{level:>7}  {ratio:>14.2f} {'PASS' if ratio >= TARGET_RATIO else 'MISS':<16}"
            f"  {fmt_ms(p99):>6} ms {'PASS' if p99 < TARGET_P99_MS else 'MISS':<19}  "
            f"{fmt_ms(r.percentile(99)):>6} ms"
        )


def loadavg() -> str:
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "unknown"


def describe_machine(database_url: str, env: dict[str, str], args: argparse.Namespace, reps: int) -> None:
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    kind = "postgresql" if database_url.startswith("postgres") else database_url.split(":", 1)[0]
    print(f"machine:  nproc={cpus}  {platform.system()} {platform.machine()}  load average {loadavg()}")
    print(f"python:   {platform.python_implementation()} {platform.python_version()}")
    print(f"database: {kind}")
    settings = Settings.from_env(env)  # what both servers read
    print(
        f"servers:  bot = python -m bot web, bare = python -m bench.bare_bolt; both gunicorn gthread, "
        f"{settings.web_concurrency} worker(s) × {settings.web_threads} threads"
    )
    how = f"{args.requests} requests" if args.requests else f"{args.seconds:g} s"
    print(
        f"clients:  {args.client_processes} process(es), "
        f"{'a connection per request' if args.new_connections else 'keep-alive'}, pre-signed; "
        f"{'one rep' if args.one_rep else 'one rep per client'} ({reps}); "
        f"{how} per app, level and round; {args.rounds} round(s), order alternating\n"
    )


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
    clients = Clients(args.client_processes, reconnect=args.new_connections)
    targets: list[Target] = []
    failures: list[str] = []
    try:
        run_migrate(database_url)
        with FakeSlack() as fake:
            fake.add_user(MANAGER, name="manager")
            for n in range(1, reps + 1):
                fake.add_user(rep_id(n), name=f"rep{n}")
            common = {"fake": fake, "secret": SECRET, "database_url": database_url, "env": overrides}
            targets = [
                Target("bot", WebProcess(**common), b"Logged"),
                Target("bare", WebProcess(**common, module="bench.bare_bolt", args=()), None),
            ]
            for t in targets:
                t.web.start()
            try:
                describe_machine(database_url, targets[0].web.env, args, reps)
                set_up_team(SlackSender(targets[0].web.url, secret=SECRET, fake=fake, team_id=TEAM_ID), reps)
                users = [rep_id(1 if args.one_rep else n) for n in range(1, max(args.levels) + 1)]
                pgids = [t.web.process.pid for t in targets]

                def cell(t: Target, level: int, *, seconds: float | None, total: int) -> Cell:
                    settle(pgids)
                    cpu = group_cpu(t.web.process.pid)
                    result = clients.run(
                        port=t.web.port,
                        users=users[:level],
                        response_base=fake.url,
                        seconds=seconds,
                        total=total,
                        expect=t.expect,
                    )
                    settle([t.web.process.pid])  # the follow-up work a level started is its cost too
                    result.server_cpu = group_cpu(t.web.process.pid) - cpu
                    return result

                for t in targets:
                    if args.warmup:
                        cell(t, max(args.levels), seconds=None, total=args.warmup)
                calls_before = Counter(c.method for c in fake.calls())
                print(
                    f"\n/log {TEXT}: latency as the client saw it; load average {loadavg()} before measuring",
                    flush=True,
                )
                for r in range(args.rounds):
                    for i, level in enumerate(args.levels):
                        order = targets if (r + i) % 2 == 0 else targets[::-1]
                        for t in order:
                            got = cell(
                                t,
                                level,
                                seconds=None if args.requests else args.seconds,
                                total=args.requests or 0,
                            )
                            t.cells.setdefault(level, Cell()).add(got)
                            print(
                                f"  round {r + 1} clients {level:>3} {t.name:<4} {got.rate:8.1f} req/s  "
                                f"p99 {fmt_ms(got.percentile(99)):>7} ms  errors {len(got.failures)}",
                                file=sys.stderr,
                                flush=True,
                            )
                print()
                print_tables(args.levels, targets)
                kind = "postgresql" if database_url.startswith("postgres") else "sqlite"
                record(args.summary, headline(args.levels, targets, kind))
                during = Counter(c.method for c in fake.calls()) - calls_before
                summary = ", ".join(f"{m} ×{n}" for m, n in during.most_common()) or "none"
                print(f"\nWeb API calls during the measured levels (follow-ups of the bot's /log): {summary}")
            finally:
                for t in targets:
                    code = t.web.stop()
                    if code not in (0, None):
                        print(
                            f"\n{t.name} web process exited with {code}; its log:\n{t.web.log_text()[-4000:]}"
                        )
        failures = [f for t in targets for c in t.cells.values() for f in c.failures]
        if failures:
            print(f"\n{len(failures)} request(s) failed; first: {failures[0]}")
            return 1
        return 0
    finally:
        clients.close()
        if scratch is not None:
            shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
