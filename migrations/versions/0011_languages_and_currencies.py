"""Languages and currencies

- ``rep_profiles.language``: what a person chose with ``/checkin language`` (NULL: the team's default,
  else their Slack locale's, else English); ``rep_profiles.slack_locale``: users.info's ``locale``.
- ``teams.language``: ``/team language`` (NULL: English); ``teams.currency``: ``/team currency``, the
  ISO 4217 code of the team's revenue (every existing team: USD, what it always showed).
- ``entries.currency`` / ``goals.currency``: the currency a money amount was logged or set in. Existing
  money rows were dollars; counts stay NULL.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-05

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0011"
down_revision: str | Sequence[str] | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("rep_profiles") as batch:
        batch.add_column(sa.Column("language", sa.String(8), nullable=True))
        batch.add_column(sa.Column("slack_locale", sa.String(16), nullable=True))
    with op.batch_alter_table("teams") as batch:
        batch.add_column(sa.Column("language", sa.String(8), nullable=True))
        batch.add_column(sa.Column("currency", sa.String(3), nullable=False, server_default="USD"))
    with op.batch_alter_table("entries") as batch:
        batch.add_column(sa.Column("currency", sa.String(3), nullable=True))
    with op.batch_alter_table("goals") as batch:
        batch.add_column(sa.Column("currency", sa.String(3), nullable=True))
    money = sa.text("SELECT key FROM metrics WHERE unit = 'currency' UNION SELECT 'revenue'")
    keys = [row[0] for row in op.get_bind().execute(money)]
    entries = sa.table("entries", sa.column("metric_key"), sa.column("currency"))
    goals = sa.table("goals", sa.column("metric_key"), sa.column("currency"))
    op.execute(entries.update().where(entries.c.metric_key.in_(keys)).values(currency="USD"))
    op.execute(goals.update().where(goals.c.metric_key.in_(keys)).values(currency="USD"))


def downgrade() -> None:
    with op.batch_alter_table("goals") as batch:
        batch.drop_column("currency")
    with op.batch_alter_table("entries") as batch:
        batch.drop_column("currency")
    with op.batch_alter_table("teams") as batch:
        batch.drop_column("currency")
        batch.drop_column("language")
    with op.batch_alter_table("rep_profiles") as batch:
        batch.drop_column("slack_locale")
        batch.drop_column("language")
