"""The models and the migrations never drift apart, on SQLite and on PostgreSQL."""

from __future__ import annotations

import os

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, create_engine, inspect, text

from bot.migrate import alembic_config, pending, upgrade
from bot.store.models import Base
from bot.store.oauth_tables import oauth_metadata
from tests.conftest import _fresh_postgres

# Our models, and the tables of slack_sdk's OAuth stores that our migrations create for them.
SCHEMA = [Base.metadata, oauth_metadata]


def test_upgrading_an_empty_database_to_head_matches_the_models(engine: Engine) -> None:
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), SCHEMA)
    assert diff == []


def test_the_database_reports_itself_at_head(engine: Engine, database_url: str) -> None:
    assert pending(engine, database_url) is None


def test_every_model_table_exists_with_an_index_for_each_hot_query(engine: Engine) -> None:
    inspector = inspect(engine)
    assert set(Base.metadata.tables) | set(oauth_metadata.tables) <= set(inspector.get_table_names())
    indexed = {tuple(ix["column_names"]) for ix in inspector.get_indexes("entries")}
    assert ("workspace_id", "user_id", "day") in indexed
    assert ("team_id", "day") in indexed
    # In OAuth mode every request from Slack looks up its workspace's bot token.
    bots = {tuple(ix["column_names"]) for ix in inspector.get_indexes("slack_bots")}
    assert ("client_id", "enterprise_id", "team_id", "installed_at") in bots


@pytest.fixture
def scratch_url(tmp_path):
    """A database of its own, empty, for a full upgrade/downgrade cycle."""
    admin_url = os.environ.get("TEST_DATABASE_URL")
    if not admin_url:
        yield f"sqlite:///{tmp_path / 'scratch.db'}"
        return
    url, admin, name = _fresh_postgres(admin_url)
    yield url
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def test_downgrade_to_base_and_back_leaves_the_same_schema(scratch_url: str) -> None:
    from alembic import command

    upgrade(scratch_url)
    command.downgrade(alembic_config(scratch_url), "base")
    eng = create_engine(scratch_url)
    assert set(inspect(eng).get_table_names()) <= {"alembic_version"}
    upgrade(scratch_url)
    with eng.connect() as conn:
        assert compare_metadata(MigrationContext.configure(conn), SCHEMA) == []
    eng.dispose()


def test_a_database_without_tables_is_reported_as_unmigrated(scratch_url: str) -> None:
    eng = create_engine(scratch_url)
    assert pending(eng, scratch_url) == "the database has no tables yet"
    eng.dispose()
