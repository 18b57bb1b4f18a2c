"""Engines and sessions, tuned per backend."""

from __future__ import annotations

import threading
import time
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

WRITE = "salesbot_write"
_write_locks: weakref.WeakKeyDictionary[Engine, threading.Lock] = weakref.WeakKeyDictionary()

BUSY_TIMEOUT = 30.0  # seconds a statement waits for a lock when no time limit is set
_until: ContextVar[float | None] = ContextVar("salesbot_db_until", default=None)


class OutOfTime(Exception):
    """The time limit ran out before the database could be used: nothing was written."""


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Every wait for the database in this thread ends ``seconds`` from now (or at an outer limit,
    if that ends first): the in-process write lock, SQLite's busy handler, PostgreSQL's lock and
    statement timeouts. A wait cut short raises, and the transaction rolls back: nothing is written.

    Each transaction is given what is left when it begins; a transaction of many statements that each
    wait could take longer, but every wait the bot's transactions make is their first statement's.
    """
    until = time.monotonic() + max(seconds, 0.0)
    outer = _until.get()
    token = _until.set(until if outer is None else min(outer, until))
    try:
        yield
    finally:
        _until.reset(token)


def remaining() -> float | None:
    """Seconds left under the current :func:`time_limit`, or None when there is none."""
    until = _until.get()
    return None if until is None else until - time.monotonic()


def _wait_ms() -> int | None:
    """Milliseconds a statement may wait now (at least 1), or None without a limit."""
    left = remaining()
    if left is None:
        return None
    if left <= 0:
        raise OutOfTime("the time limit ran out before the transaction began")
    return max(1, int(left * 1000))


def make_engine(
    url: str, *, pool_size: int = 5, max_overflow: int | None = None, connect_timeout: int = 3
) -> Engine:
    """Build an engine for ``url``; at most ``pool_size + max_overflow`` connections (``max_overflow``
    defaults to ``pool_size``): enough for every thread that may hold one at once, so none waits for
    a connection.

    SQLite: WAL so readers never block the writer, a busy timeout, foreign keys on. Write transactions
    start with ``BEGIN IMMEDIATE`` (see :func:`transaction`) so concurrent writers queue on the lock
    instead of failing when a read snapshot upgrades to a write; reads stay deferred.
    PostgreSQL: a pre-pinged pool so a restarted server costs one failed check, not a user's request.
    Under a :func:`time_limit` each transaction begins by shortening its lock waits to what is left.
    """
    overflow = pool_size if max_overflow is None else max_overflow
    if url.startswith("sqlite"):
        engine = create_engine(
            url,
            connect_args={"timeout": BUSY_TIMEOUT, "check_same_thread": False},
            pool_size=pool_size,
            max_overflow=overflow,
        )

        @event.listens_for(engine, "connect")
        def _on_connect(dbapi_connection, record) -> None:  # pragma: no cover - driver glue
            dbapi_connection.isolation_level = None
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute(f"PRAGMA busy_timeout={int(BUSY_TIMEOUT * 1000)}")
            cursor.close()
            record.info["busy_ms"] = int(BUSY_TIMEOUT * 1000)

        @event.listens_for(engine, "begin")
        def _on_begin(conn) -> None:  # pragma: no cover - driver glue
            # The busy timeout belongs to the connection: set it for this transaction (a limit's
            # remainder, or the default back again) only when it differs from the last one's.
            wait = _wait_ms()
            busy = int(BUSY_TIMEOUT * 1000) if wait is None else min(wait, int(BUSY_TIMEOUT * 1000))
            if conn.info.get("busy_ms") != busy:
                conn.exec_driver_sql(f"PRAGMA busy_timeout={busy}")
                conn.info["busy_ms"] = busy
            conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get(WRITE) else "BEGIN")

        _write_locks[engine] = threading.Lock()
        return engine
    # A database host that stops answering (rather than refusing) must not hold a request past
    # Slack's 3 seconds for long: libpq waits forever by default. A URL's own setting wins.
    connect_args = {} if "connect_timeout" in url else {"connect_timeout": connect_timeout}
    engine = create_engine(
        url,
        pool_pre_ping=True,
        pool_size=pool_size,
        max_overflow=overflow,
        pool_recycle=1800,
        connect_args=connect_args,
    )

    @event.listens_for(engine, "begin")
    def _on_begin_pg(conn) -> None:  # pragma: no cover - driver glue
        wait = _wait_ms()
        if wait is not None:  # transaction-local: the next transaction on this connection is unbounded
            conn.exec_driver_sql(
                "SELECT set_config('lock_timeout', %(ms)s, true), set_config('statement_timeout', %(ms)s, true)",
                {"ms": f"{wait}ms"},
            )

    return engine


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


class CommitUnconfirmed(OperationalError):
    """The database connection was lost while COMMIT was under way: the write may or may not have
    landed. Any failure before COMMIT means nothing was written; this one means nobody can know yet."""


@contextmanager
def transaction(factory: sessionmaker[Session], *, write: bool) -> Iterator[Session]:
    """One transaction; committed on success, rolled back on error.

    Pending writes are flushed before COMMIT, so an error up to there means nothing was written;
    a write whose COMMIT loses the connection raises :class:`CommitUnconfirmed` instead.

    On SQLite a write transaction takes the database's write lock up front, and threads of this
    process queue on an in-process lock first: waiting there is a wake-up, whereas SQLite's own busy
    handler sleeps in growing steps and turns a burst into a long tail. Under a :func:`time_limit`
    that queue is left, with :class:`OutOfTime`, when the limit ends.
    """
    engine = factory.kw["bind"]
    lock = _write_locks.get(engine) if write else None
    if lock is not None:
        left = remaining()
        if not lock.acquire(timeout=-1 if left is None else max(left, 0.0)):
            raise OutOfTime("the time limit ran out waiting for this process's other writes")
    try:
        with factory() as session:
            session.begin()
            try:
                if write:
                    session.connection(execution_options={WRITE: True})
                yield session
                session.flush()  # every statement runs here, so a failure from now on is COMMIT's own
            except BaseException:
                session.rollback()
                raise
            try:
                session.commit()
            except DBAPIError as err:
                if write and err.connection_invalidated:
                    raise CommitUnconfirmed(
                        err.statement, err.params, err.orig, connection_invalidated=True
                    ) from err
                raise
    finally:
        if lock is not None:
            lock.release()


def ping(engine: Engine) -> bool:
    """True when the database answers a trivial query."""
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        return True
    except Exception:
        return False


PROBE_TIMEOUT = 0.5  # seconds /health waits for the database's write lock


def write_problem(engine: Engine, *, timeout: float = PROBE_TIMEOUT) -> tuple[str, str] | None:
    """None when the database would take a write right now, else ``(state, reason)`` with ``state``
    one of ``unreachable``, ``locked`` and ``read-only``; never waits on a lock past ``timeout``.

    Nothing is written: an ``UPDATE entries … WHERE 1 = 0`` in a write transaction (SQLite's
    ``BEGIN IMMEDIATE``), rolled back. It needs what a /log needs — SQLite's write lock, PostgreSQL's
    lock for writing to ``entries``, a database that isn't read-only — and changes no row. It doesn't
    queue behind this process's own writers (the in-process lock): their wait is short, not an outage.
    """
    try:
        with time_limit(timeout), engine.connect() as conn:
            conn = conn.execution_options(**{WRITE: True})
            trans = conn.begin()
            try:
                conn.exec_driver_sql("UPDATE entries SET id = id WHERE 1 = 0")
            finally:
                trans.rollback()
        return None
    except OutOfTime:
        return "locked", f"the database didn't take a write within {timeout:g}s"
    except DBAPIError as err:
        return _diagnose(err)
    except Exception as err:  # pragma: no cover - anything else the driver raises
        return "unreachable", type(err).__name__


def _diagnose(err: DBAPIError) -> tuple[str, str]:
    code = getattr(err.orig, "sqlstate", None)
    text_ = str(err.orig).lower()
    if code == "25006" or "readonly database" in text_ or "read-only" in text_:
        return "read-only", "the database accepts no writes (read-only)"
    if code in ("55P03", "57014") or "database is locked" in text_ or "database table is locked" in text_:
        return "locked", "another connection holds a lock that writes need"
    return "unreachable", "the database did not answer"
