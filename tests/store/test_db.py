"""Transactions when the database connection dies: before COMMIT nothing was written and the error is
an ordinary one; during COMMIT nobody can know, and the error says so (``CommitUnconfirmed``)."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

import pytest
from sqlalchemy import Engine, event, select
from sqlalchemy.exc import DBAPIError

from bot.store.db import CommitUnconfirmed, make_session_factory, transaction
from bot.store.models import Workspace


@contextmanager
def connection_dies(engine: Engine, when: str, only: Callable[..., bool] = lambda *a: True) -> Iterator[None]:
    """Close the driver's connection under SQLAlchemy at an engine event, as a crashed server would."""

    def kill(conn, *args) -> None:
        if only(*args):
            conn.connection.dbapi_connection.close()

    event.listen(engine, when, kill)
    try:
        yield
    finally:
        event.remove(engine, when, kill)


def _stored(engine: Engine, workspace_id: str) -> bool:
    with transaction(make_session_factory(engine), write=False) as session:
        return session.scalar(select(Workspace.id).where(Workspace.id == workspace_id)) is not None


def _add_workspace(engine: Engine) -> str:
    workspace_id = f"T{uuid.uuid4().hex[:10].upper()}"
    with transaction(make_session_factory(engine), write=True) as session:
        session.add(Workspace(id=workspace_id, created_at=datetime(2026, 11, 25, 15, 0, tzinfo=UTC)))
    return workspace_id


def test_losing_the_connection_during_commit_is_unconfirmed(engine: Engine) -> None:
    with connection_dies(engine, "commit"), pytest.raises(CommitUnconfirmed) as caught:
        _add_workspace(engine)
    assert caught.value.connection_invalidated
    # The pool hands out a working connection again at once.
    assert _stored(engine, _add_workspace(engine))


def test_losing_the_connection_before_commit_is_an_ordinary_failure(engine: Engine) -> None:
    def inserting(_cursor, statement: str, *_rest) -> bool:
        return statement.lstrip().upper().startswith("INSERT")

    with connection_dies(engine, "before_cursor_execute", inserting), pytest.raises(DBAPIError) as caught:
        _add_workspace(engine)
    assert not isinstance(caught.value, CommitUnconfirmed)
    assert _stored(engine, _add_workspace(engine))


def test_a_read_only_transaction_never_claims_a_write(engine: Engine) -> None:
    factory = make_session_factory(engine)
    with (
        connection_dies(engine, "commit"),
        pytest.raises(DBAPIError) as caught,
        transaction(factory, write=False) as session,
    ):
        session.scalar(select(Workspace.id).limit(1))
    assert not isinstance(caught.value, CommitUnconfirmed)


def test_a_database_host_that_stops_answering_fails_fast_instead_of_hanging() -> None:
    """A server that accepts the TCP connection and then says nothing, as a hung host would."""
    import socket
    import time

    from sqlalchemy.exc import OperationalError

    from bot.store.db import make_engine

    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        port = silent.getsockname()[1]
        engine = make_engine(f"postgresql+psycopg://nobody@127.0.0.1:{port}/none", connect_timeout=1)
        began = time.monotonic()
        with pytest.raises(OperationalError):
            engine.connect()
        assert time.monotonic() - began < 10  # libpq's default would wait for ever
        engine.dispose()
