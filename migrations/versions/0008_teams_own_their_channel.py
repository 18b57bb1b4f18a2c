"""a team owns its channel and its standup: deleted teams, and standups keyed by team

- ``teams.deleted_at`` / ``deleted_by``: ``/team delete`` keeps the team's row (its entries, answers
  and messages still point at it) but takes it out of every view and off the clock.
- ``standup_answers``: a rep's answer is unique per team and week, not per week, so a rep moved
  mid-week shares into their new team's thread instead of editing the old team's.
- ``outbox``: standups are keyed by team (``subject`` = ``team:<id>``), not by channel alone; rows
  already planned are re-keyed so none is planned twice.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-04

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0008"
down_revision: str | Sequence[str] | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("teams") as batch:
        batch.add_column(sa.Column("deleted_at", sa.DateTime(), nullable=True))
        batch.add_column(sa.Column("deleted_by", sa.String(length=32), nullable=True))
    with op.batch_alter_table("standup_answers") as batch:
        batch.drop_constraint("uq_standup_answers_rep_week", type_="unique")
        batch.create_unique_constraint(
            "uq_standup_answers_team_rep_week", ["workspace_id", "team_id", "user_id", "week"]
        )
    op.execute(
        "UPDATE outbox SET subject = 'team:' || CAST(team_id AS VARCHAR(16)) "
        "WHERE kind = 'standup' AND team_id IS NOT NULL AND subject = ''"
    )


def downgrade() -> None:
    op.execute("UPDATE outbox SET subject = '' WHERE kind = 'standup'")
    with op.batch_alter_table("standup_answers") as batch:
        batch.drop_constraint("uq_standup_answers_team_rep_week", type_="unique")
        batch.create_unique_constraint("uq_standup_answers_rep_week", ["workspace_id", "user_id", "week"])
    with op.batch_alter_table("teams") as batch:
        batch.drop_column("deleted_by")
        batch.drop_column("deleted_at")
