"""attention policy: each person's message hours and kudos preference; merged outbox items

A person's unprompted DMs go out only inside their own hours (``dm_from``–``dm_until``, local time;
NULL means the default 08:00–18:00), and ``mute_kudos`` stops praise DMs. An outbox row that the
attention policy folded into another message points at it with ``merged_into``.

Revision ID: 0006
Revises: 0005_oauth_stores
Create Date: 2026-12-02

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0006"
down_revision: str | Sequence[str] | None = "0005_oauth_stores"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("rep_profiles") as batch:
        batch.add_column(sa.Column("dm_from", sa.String(length=5), nullable=True))
        batch.add_column(sa.Column("dm_until", sa.String(length=5), nullable=True))
        batch.add_column(sa.Column("mute_kudos", sa.Boolean(), nullable=False, server_default=sa.false()))
    with op.batch_alter_table("outbox") as batch:
        batch.add_column(sa.Column("merged_into", sa.Integer(), nullable=True))
        batch.create_index("ix_outbox_merged_into", ["merged_into"])


def downgrade() -> None:
    with op.batch_alter_table("outbox") as batch:
        batch.drop_index("ix_outbox_merged_into")
        batch.drop_column("merged_into")
    with op.batch_alter_table("rep_profiles") as batch:
        batch.drop_column("mute_kudos")
        batch.drop_column("dm_until")
        batch.drop_column("dm_from")
