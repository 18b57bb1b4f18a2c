"""Shared fixtures: a migrated database (SQLite by default, PostgreSQL with TEST_DATABASE_URL), emptied
between tests, and services driven by a clock the test controls."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from bot.config import normalize_database_url
from bot.migrate import upgrade
from bot.services.container import Services, build_services
from bot.store.db import make_engine
from bot.store.models import Base
from bot.store.oauth_tables import oauth_metadata
from tests.support.fakeslack import forget_refusals, refusals_since

KEPT = {"workspaces", "metrics"}


class Clock:
    """A clock the test moves by hand; services read time only through it."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def set(self, iso: str) -> None:
        self.now = datetime.fromisoformat(iso).astimezone(UTC)

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


def _fresh_postgres(admin_url: str) -> tuple[str, Engine, str]:
    url = make_url(normalize_database_url(admin_url))
    name = f"salesbot_test_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    return url.set(database=name).render_as_string(hide_password=False), admin, name


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The URL of a migrated database of our own for this test session."""
    admin_url = os.environ.get("TEST_DATABASE_URL")
    if admin_url:
        url, admin, name = _fresh_postgres(admin_url)
        upgrade(url)
        yield url
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
    else:
        path: Path = tmp_path_factory.mktemp("db") / "salesbot.db"
        url = f"sqlite:///{path}"
        upgrade(url)
        yield url


@pytest.fixture(scope="session")
def engine(database_url: str) -> Iterator[Engine]:
    eng = make_engine(database_url)
    yield eng
    eng.dispose()


@pytest.fixture(autouse=True)
def _empty_tables(request: pytest.FixtureRequest) -> Iterator[None]:
    """Every test that touches the database starts from empty tables (the schema stays).

    Workspaces and their metric catalogue stay: a running web process remembers the workspaces it
    has seeded, as it would in production where they are never deleted.
    """
    if "database_url" not in request.fixturenames:
        yield
        return
    eng = request.getfixturevalue("engine")
    yield
    # A running web process may still be finishing a test's follow-up write (a profile lookup); if
    # the two collide, PostgreSQL picks one to abort — try the cleanup again.
    for attempt in range(5):
        try:
            with eng.begin() as conn:
                for table in [*reversed(Base.metadata.sorted_tables), *oauth_metadata.sorted_tables]:
                    if table.name not in KEPT:
                        conn.execute(table.delete())
            return
        except OperationalError:
            if attempt == 4:
                raise


@pytest.fixture(autouse=True)
def _slack_accepts_what_it_was_sent() -> Iterator[None]:
    """A test fails when a fake Slack refused something the bot sent it during the test — a block
    past Slack's limits, a modal title too long — even when the bot shrugged the error off, as it
    must for a ``response_url``. A test that sends such a payload on purpose takes its refusals with
    ``FakeSlack.take_refusals()``."""
    forget_refusals()
    yield
    refused = refusals_since()
    forget_refusals()
    if refused:
        pytest.fail(
            "fake Slack refused what it was sent, as Slack would:\n" + "\n".join(f"  {r}" for r in refused),
            pytrace=False,
        )


@pytest.fixture
def clock() -> Clock:
    return Clock(datetime(2026, 11, 25, 15, 0, tzinfo=UTC))  # a Wednesday, 10:00 in New York


@pytest.fixture
def services(engine: Engine, clock: Clock) -> Services:
    return build_services(engine, clock)
