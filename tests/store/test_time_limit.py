"""Database waits that end when a time limit does, and the write probe behind ``/health``.

Another connection holds the lock every write needs — SQLite's ``BEGIN IMMEDIATE``, or PostgreSQL's
``EXCLUSIVE`` lock on a table — as a migration or a stuck job would. Under ``time_limit`` a write
gives up when the limit ends, rolls back, and leaves nothing behind; without one it keeps the
generous default. The probe tells a database that can't take a write from one that can, quickly.
"""

from __future__ import annotations

import sqlite3
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

import pytest
from sqlalchemy import Engine, create_engine, select, text
from sqlalchemy.exc import OperationalError

from bot.store import db
from bot.store.db import (
    BUSY_TIMEOUT,
    OutOfTime,
    make_engine,
    make_session_factory,
    remaining,
    time_limit,
    transaction,
    write_problem,
)
from bot.store.models import Workspace

NOW = datetime(2026, 11, 25, 15, 0, tzinfo=UTC)


@contextmanager
def write_locked(engine: Engine, table: str) -> Iterator[None]:
    """Another connection, outside this engine's pool, holds the lock that writes to ``table`` need."""
    url = engine.url
    if url.get_backend_name() == "sqlite":
        conn = sqlite3.connect(url.database, isolation_level=None)
        try:
            conn.execute("BEGIN IMMEDIATE")
            yield
            conn.execute("ROLLBACK")
        finally:
            conn.close()
        return
    other = create_engine(url)
    try:
        with other.connect() as conn:
            conn.exec_driver_sql(f"LOCK TABLE {table} IN EXCLUSIVE MODE")
            yield
            conn.rollback()
    finally:
        other.dispose()


def _add_workspace(engine: Engine) -> str:
    workspace_id = f"T{uuid.uuid4().hex[:10].upper()}"
    with transaction(make_session_factory(engine), write=True) as session:
        session.add(Workspace(id=workspace_id, created_at=NOW))
    return workspace_id


def _stored(engine: Engine, workspace_id: str) -> bool:
    with transaction(make_session_factory(engine), write=False) as session:
        return session.scalar(select(Workspace.id).where(Workspace.id == workspace_id)) is not None


def test_a_write_gives_up_when_its_time_limit_ends_and_leaves_nothing(engine: Engine) -> None:
    before = {w for (w,) in _all_workspaces(engine)}
    with write_locked(engine, "workspaces"):
        started = time.monotonic()
        with pytest.raises((OperationalError, OutOfTime)), time_limit(0.3):
            _add_workspace(engine)
        took = time.monotonic() - started
    assert took < 2.0, f"waited {took:.2f}s under a 0.3 s limit"  # a bound, not a measurement
    assert {w for (w,) in _all_workspaces(engine)} == before  # nothing was written
    assert _stored(engine, _add_workspace(engine))  # and the next write, unlimited, works


def _all_workspaces(engine: Engine) -> list[tuple[str]]:
    with transaction(make_session_factory(engine), write=False) as session:
        return list(session.execute(select(Workspace.id)).tuples())


def test_a_limit_that_has_ended_fails_before_touching_the_database(engine: Engine) -> None:
    with time_limit(0), pytest.raises(OutOfTime):
        _add_workspace(engine)


def test_this_processs_own_queue_of_writers_is_left_at_the_limit(engine: Engine) -> None:
    lock = db._write_locks.get(engine)
    if lock is None:
        pytest.skip("only SQLite queues this process's writers on an in-process lock")
    with lock, time_limit(0.01), pytest.raises(OutOfTime):  # another thread of this process writes
        _add_workspace(engine)
    assert _stored(engine, _add_workspace(engine))


def test_a_limit_shortens_lock_waits_for_its_transactions_only(engine: Engine) -> None:
    factory = make_session_factory(engine)
    sqlite = engine.dialect.name == "sqlite"
    setting = "PRAGMA busy_timeout" if sqlite else "SHOW lock_timeout"

    def current() -> str:
        with transaction(factory, write=True) as session:
            return str(session.execute(text(setting)).scalar())

    with time_limit(5):
        limited = current()
    after = current()
    if sqlite:
        assert 4000 <= int(limited) <= 5000
        assert int(after) == int(BUSY_TIMEOUT * 1000)
    else:
        assert limited.endswith("ms") and 4000 <= int(limited[:-2]) <= 5000
        assert after == "0"  # PostgreSQL's own default: the limit was local to its transaction


def test_an_inner_limit_never_outlasts_an_outer_one() -> None:
    assert remaining() is None
    with time_limit(1):
        with time_limit(60):
            left = remaining()
            assert left is not None and left <= 1
        with time_limit(0.5):
            left = remaining()
            assert left is not None and left <= 0.5
    assert remaining() is None


def test_the_probe_says_a_database_that_takes_writes_is_fine(engine: Engine) -> None:
    assert write_problem(engine) is None


def test_the_probe_says_a_locked_database_is_locked_within_a_second(engine: Engine) -> None:
    with write_locked(engine, "entries"):
        started = time.monotonic()
        problem = write_problem(engine, timeout=0.3)
        took = time.monotonic() - started
    assert problem is not None and problem[0] == "locked", problem
    assert took < 1.0, f"the probe took {took:.2f}s"
    assert write_problem(engine) is None  # and fine again once the lock is gone


def test_the_probe_says_a_read_only_database_is_read_only(engine: Engine) -> None:
    url = engine.url
    if url.get_backend_name() == "sqlite":
        read_only = make_engine(f"sqlite:///file:{url.database}?mode=ro&uri=true")
    else:
        read_only = create_engine(url, connect_args={"options": "-c default_transaction_read_only=on"})
    try:
        problem = write_problem(read_only)
    finally:
        read_only.dispose()
    assert problem is not None and problem[0] == "read-only", problem


def test_the_probe_says_a_database_that_is_gone_is_unreachable(tmp_path) -> None:
    gone = make_engine(f"sqlite:///file:{tmp_path / 'missing.db'}?mode=ro&uri=true")
    try:
        problem = write_problem(gone)
    finally:
        gone.dispose()
    assert problem is not None and problem[0] == "unreachable", problem
