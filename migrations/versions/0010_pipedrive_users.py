"""Pipedrive users mapped to reps

- ``team_integrations.pipedrive_users``: Pipedrive user ID → Slack user ID. Pipedrive's webhooks v2
  name an activity's owner by their Pipedrive id only, so a manager says who is who once
  (``/team integrations pipedrive user 123 @ana``).

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-04

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0010"
down_revision: str | Sequence[str] | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("team_integrations") as batch:
        batch.add_column(sa.Column("pipedrive_users", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("team_integrations") as batch:
        batch.drop_column("pipedrive_users")
