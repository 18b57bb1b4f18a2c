"""The clock process: ``python -m bot clock`` (long-running) and ``python -m bot clock --once``.

Both call the same ``ClockService.run_due(now)``. The long-running clock is APScheduler with one
fixed job (in-memory job store, a stable id, coalesced, never two at once); per-rep timing lives in
our tables, not in pickled jobs. On PostgreSQL only one clock is active: it holds an advisory lock on
a dedicated connection, and a second clock waits as a standby until the lock is free.
"""

from __future__ import annotations

import logging
import signal
import threading
from collections.abc import Callable
from datetime import UTC, datetime

from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.interval import IntervalTrigger
from sqlalchemy import Engine, text

from bot.services.clock import Sender, TickReport
from bot.services.container import Services
from bot.services.context import system_clock

log = logging.getLogger(__name__)

LOCK_KEY = 0x5A1E5B07  # pg advisory lock id for "the active clock"
TICK_SECONDS = 60
STANDBY_SECONDS = 15


def run_once(services: Services, sender: Sender, *, now: datetime | None = None) -> TickReport:
    return services.clock.run_due(sender=sender, now=now)


class LeaderLock:
    """``pg_try_advisory_lock`` held on its own connection for as long as this clock runs."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.connection = None

    def try_acquire(self) -> bool:
        if self.engine.dialect.name != "postgresql":
            return True  # SQLite: one machine; the outbox's compare-and-set claim keeps two clocks harmless
        if self.connection is None:
            self.connection = self.engine.connect()
        got = bool(self.connection.execute(text("SELECT pg_try_advisory_lock(:k)"), {"k": LOCK_KEY}).scalar())
        self.connection.commit()
        return got

    def still_held(self) -> bool:
        if self.connection is None:
            return True
        try:
            self.connection.execute(text("SELECT 1"))
            self.connection.commit()
            return True
        except Exception:
            return False

    def release(self) -> None:
        if self.connection is not None:
            try:
                self.connection.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": LOCK_KEY})
                self.connection.commit()
            finally:
                self.connection.close()
                self.connection = None


def run_forever(
    services: Services,
    sender: Sender,
    *,
    tick_seconds: int = TICK_SECONDS,
    clock: Callable[[], datetime] = system_clock,
) -> int:
    stop = threading.Event()

    def on_signal(signum, _frame) -> None:
        log.info("clock: signal %s, stopping", signum)
        stop.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)

    lock = LeaderLock(services.engine)
    while not lock.try_acquire():
        log.info("clock: another clock is active; standing by")
        if stop.wait(STANDBY_SECONDS):
            return 0
    log.info("clock: active (ticks every %ss)", tick_seconds)

    scheduler = BlockingScheduler(timezone=UTC)

    def tick() -> None:
        if not lock.still_held():
            log.error("clock: lost the database connection that holds the leader lock; stopping")
            stop.set()
            return
        try:
            services.clock.run_due(sender=sender, now=clock())
        except Exception:
            log.exception("clock: tick failed; the next tick will pick up what is due")

    scheduler.add_job(
        tick,
        IntervalTrigger(seconds=tick_seconds, timezone=UTC),
        id="tick",
        coalesce=True,
        max_instances=1,
        misfire_grace_time=tick_seconds,
        next_run_time=datetime.now(UTC),  # APScheduler's own (machine) time
        replace_existing=True,
    )

    def watch() -> None:
        stop.wait()
        if scheduler.running:
            scheduler.shutdown(wait=True)

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    try:
        scheduler.start()
    finally:
        lock.release()
    return 0 if lock_ok(lock) else 1


def lock_ok(lock: LeaderLock) -> bool:
    return lock.connection is None or lock.still_held()
