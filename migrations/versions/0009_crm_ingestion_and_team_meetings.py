"""activity from the CRM, and team meetings on video

- ``team_integrations``: a team's ingestion endpoint key and signing secret (``/team integrations``),
  its HubSpot app secret and its Pipedrive activity-type mapping.
- ``ingested_deliveries``: webhook deliveries already recorded, so a redelivery records nothing.
- ``email_lookups``: ``users.lookupByEmail`` answers, cached (CRMs name reps by e-mail).
- ``teams.meeting_weekday`` / ``meeting_time`` / ``meeting_url``: the recurring team meeting;
  ``teams.video_url``: the link every 1:1 prompt carries.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0009"
down_revision: str | Sequence[str] | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("teams") as batch:
        batch.add_column(sa.Column("meeting_weekday", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("meeting_time", sa.String(length=5), nullable=True))
        batch.add_column(sa.Column("meeting_url", sa.String(length=500), nullable=True))
        batch.add_column(sa.Column("video_url", sa.String(length=500), nullable=True))
    op.create_table(
        "team_integrations",
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.String(length=32), nullable=False),
        sa.Column("key", sa.String(length=32), nullable=False),
        sa.Column("secret", sa.String(length=80), nullable=False),
        sa.Column("hubspot_secret", sa.String(length=128), nullable=True),
        sa.Column("pipedrive_types", sa.JSON(), nullable=True),
        sa.Column("created_by", sa.String(length=32), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("rotated_by", sa.String(length=32), nullable=True),
        sa.Column("rotated_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["team_id"], ["teams.id"], name=op.f("fk_team_integrations_team_id_teams")),
        sa.ForeignKeyConstraint(
            ["workspace_id"], ["workspaces.id"], name=op.f("fk_team_integrations_workspace_id_workspaces")
        ),
        sa.PrimaryKeyConstraint("team_id", name=op.f("pk_team_integrations")),
        sa.UniqueConstraint("key", name=op.f("uq_team_integrations_key")),
    )
    op.create_table(
        "ingested_deliveries",
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("delivery_id", sa.String(length=128), nullable=False),
        sa.Column("entries", sa.Integer(), nullable=False),
        sa.Column("received_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["team_id"], ["teams.id"], name=op.f("fk_ingested_deliveries_team_id_teams")),
        sa.PrimaryKeyConstraint("team_id", "source", "delivery_id", name=op.f("pk_ingested_deliveries")),
    )
    op.create_table(
        "email_lookups",
        sa.Column("workspace_id", sa.String(length=32), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("user_id", sa.String(length=32), nullable=True),
        sa.Column("fetched_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["workspace_id"], ["workspaces.id"], name=op.f("fk_email_lookups_workspace_id_workspaces")
        ),
        sa.PrimaryKeyConstraint("workspace_id", "email", name=op.f("pk_email_lookups")),
    )


def downgrade() -> None:
    op.drop_table("email_lookups")
    op.drop_table("ingested_deliveries")
    op.drop_table("team_integrations")
    with op.batch_alter_table("teams") as batch:
        batch.drop_column("video_url")
        batch.drop_column("meeting_url")
        batch.drop_column("meeting_time")
        batch.drop_column("meeting_weekday")
