"""daily ceilings: the most of each metric a rep's day may hold, set per team by its managers

``teams.daily_ceilings`` maps a metric key to the day's most as a decimal string; a metric it doesn't
name (and a NULL column) has its default ceiling, so existing teams need no data here.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0007"
down_revision: str | Sequence[str] | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("teams") as batch:
        batch.add_column(sa.Column("daily_ceilings", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("teams") as batch:
        batch.drop_column("daily_ceilings")
