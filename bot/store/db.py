"""Engines and sessions, tuned per backend."""

from __future__ import annotations

import threading
import weakref
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

WRITE = "salesbot_write"
_write_locks: weakref.WeakKeyDictionary[Engine, threading.Lock] = weakref.WeakKeyDictionary()


def make_engine(url: str, *, pool_size: int = 5, connect_timeout: int = 3) -> Engine:
    """Build an engine for ``url``.

    SQLite: WAL so readers never block the writer, a generous busy timeout, foreign keys on. Write
    transactions start with ``BEGIN IMMEDIATE`` (see :func:`transaction`) so concurrent writers queue
    on the lock instead of failing when a read snapshot upgrades to a write; reads stay deferred.
    PostgreSQL: a pre-pinged pool so a restarted server costs one failed check, not a user's request.
    """
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False})

        @event.listens_for(engine, "connect")
        def _on_connect(dbapi_connection, _record) -> None:  # pragma: no cover - driver glue
            dbapi_connection.isolation_level = None
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA busy_timeout=30000")
            cursor.close()

        @event.listens_for(engine, "begin")
        def _on_begin(conn) -> None:  # pragma: no cover - driver glue
            conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get(WRITE) else "BEGIN")

        _write_locks[engine] = threading.Lock()
        return engine
    # A database host that stops answering (rather than refusing) must not hold a request past
    # Slack's 3 seconds for long: libpq waits forever by default. A URL's own setting wins.
    connect_args = {} if "connect_timeout" in url else {"connect_timeout": connect_timeout}
    return create_engine(
        url,
        pool_pre_ping=True,
        pool_size=pool_size,
        max_overflow=pool_size,
        pool_recycle=1800,
        connect_args=connect_args,
    )


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
    handler sleeps in growing steps and turns a burst into a long tail.
    """
    engine = factory.kw["bind"]
    lock = _write_locks.get(engine) if write else None
    with lock or nullcontext(), factory() as session:
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


def ping(engine: Engine) -> bool:
    """True when the database answers a trivial query."""
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        return True
    except Exception:
        return False
