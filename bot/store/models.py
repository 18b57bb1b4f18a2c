"""The tables. Every row belongs to one workspace (Slack ``team_id``); nothing crosses workspaces."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from bot.store.types import Amount, UTCDateTime

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

WorkspaceId = String(32)
UserId = String(32)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class Workspace(Base):
    __tablename__ = "workspaces"

    id: Mapped[str] = mapped_column(WorkspaceId, primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class Team(Base):
    __tablename__ = "teams"
    __table_args__ = (UniqueConstraint("workspace_id", "name_key", name="uq_teams_workspace_name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workspace_id: Mapped[str] = mapped_column(ForeignKey("workspaces.id"), index=True)
    name: Mapped[str] = mapped_column(String(80))
    name_key: Mapped[str] = mapped_column(String(80))
    channel_id: Mapped[str] = mapped_column(String(32))
    timezone: Mapped[str] = mapped_column(String(64))
    workdays: Mapped[str] = mapped_column(String(16), default="0,1,2,3,4")
    standup_weekday: Mapped[int] = mapped_column(Integer, default=0)
    standup_time: Mapped[str] = mapped_column(String(5), default="09:00")
    holiday_country: Mapped[str | None] = mapped_column(String(8))
    holiday_subdivision: Mapped[str | None] = mapped_column(String(16))
    scoreboard: Mapped[str] = mapped_column(String(16), default="kudos-only")
    # Managers' daily ceilings, metric key → amount as a decimal string; a metric not in it (or NULL)
    # has its default (bot.domain.ceilings).
    daily_ceilings: Mapped[dict[str, str] | None] = mapped_column(JSON)
    created_by: Mapped[str] = mapped_column(UserId)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    # ``/team delete``: the row stays (entries, answers and messages point at it) but the team is in
    # no view and off the clock; its name and channel are free for a new team.
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    deleted_by: Mapped[str | None] = mapped_column(UserId)
    # ``/team meeting thu 16:00 https://…``: the recurring team meeting (weekday 0 = Monday, team time)
    # and its video link; ``/team video https://…``: the link every 1:1 prompt and Plan 1:1 carries.
    meeting_weekday: Mapped[int | None] = mapped_column(Integer)
    meeting_time: Mapped[str | None] = mapped_column(String(5))
    meeting_url: Mapped[str | None] = mapped_column(String(500))
    video_url: Mapped[str | None] = mapped_column(String(500))
    # ``/team language sq``: what the team's channel posts speak, and its people's DMs unless they chose
    # (None: English). ``/team currency EUR``: the ISO 4217 code revenue is logged and shown in.
    language: Mapped[str | None] = mapped_column(String(8))
    currency: Mapped[str] = mapped_column(String(3), default="USD", server_default=text("'USD'"))


class TeamIntegration(Base):
    """A team's activity-ingestion endpoint for its CRM: ``/team integrations [rotate]``.

    ``key`` names the team in the endpoint's URL (random, so URLs can't be guessed from team ids);
    ``secret`` (``whsec_<base64>``) signs Standard Webhooks requests and is Pipedrive's Basic-auth
    password; ``hubspot_secret`` is the HubSpot app's client secret that signs its v3 requests;
    ``pipedrive_types`` maps a Pipedrive activity type to a metric key (None: the defaults);
    ``pipedrive_users`` maps a Pipedrive user ID to the rep's Slack user ID.
    """

    __tablename__ = "team_integrations"

    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"), primary_key=True)
    workspace_id: Mapped[str] = mapped_column(ForeignKey("workspaces.id"))
    key: Mapped[str] = mapped_column(String(32), unique=True)
    secret: Mapped[str] = mapped_column(String(80))
    hubspot_secret: Mapped[str | None] = mapped_column(String(128))
    pipedrive_types: Mapped[dict[str, str] | None] = mapped_column(JSON)
    pipedrive_users: Mapped[dict[str, str] | None] = mapped_column(JSON)
    created_by: Mapped[str] = mapped_column(UserId)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    rotated_by: Mapped[str | None] = mapped_column(UserId)
    rotated_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class IngestedDelivery(Base):
    """A CRM webhook delivery already recorded: a redelivery (same ``webhook-id``) records nothing."""

    __tablename__ = "ingested_deliveries"

    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"), primary_key=True)
    source: Mapped[str] = mapped_column(String(16), primary_key=True)
    delivery_id: Mapped[str] = mapped_column(String(128), primary_key=True)
    entries: Mapped[int] = mapped_column(Integer, default=0)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime())


class EmailLookup(Base):
    """``users.lookupByEmail`` answers, cached: a CRM names reps by e-mail. ``user_id`` None: no such user."""

    __tablename__ = "email_lookups"

    workspace_id: Mapped[str] = mapped_column(ForeignKey("workspaces.id"), primary_key=True)
    email: Mapped[str] = mapped_column(String(254), primary_key=True)
    user_id: Mapped[str | None] = mapped_column(UserId)
    fetched_at: Mapped[datetime] = mapped_column(UTCDateTime())


class Membership(Base):
    """A rep or manager on a team. Removal sets ``removed_at``; the row stays as history."""

    __tablename__ = "memberships"
    __table_args__ = (
        # A rep is on at most one team at a time.
        Index(
            "uq_memberships_active_rep",
            "workspace_id",
            "user_id",
            unique=True,
            sqlite_where=text("role = 'rep' AND removed_at IS NULL"),
            postgresql_where=text("role = 'rep' AND removed_at IS NULL"),
        ),
        Index("ix_memberships_team_active", "team_id", "removed_at"),
        Index("ix_memberships_user", "workspace_id", "user_id", "removed_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workspace_id: Mapped[str] = mapped_column(ForeignKey("workspaces.id"))
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"))
    user_id: Mapped[str] = mapped_column(UserId)
    role: Mapped[str] = mapped_column(String(16))
    added_by: Mapped[str] = mapped_column(UserId)
    added_at: Mapped[datetime] = mapped_column(UTCDateTime())
    removed_by: Mapped[str | None] = mapped_column(UserId)
    removed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class MetricRow(Base):
    __tablename__ = "metrics"
    __table_args__ = (UniqueConstraint("workspace_id", "key", name="uq_metrics_workspace_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workspace_id: Mapped[str] = mapped_column(ForeignKey("workspaces.id"))
    key: Mapped[str] = mapped_column(String(32))
    label: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(16))
    unit: Mapped[str] = mapped_column(String(16))
    aliases: Mapped[list[str]] = mapped_column(JSON, default=list)
    position: Mapped[int] = mapped_column(Integer, default=0)


class Goal(Base):
    """A target for one metric over a period, for one rep (``user_id``) or the team default (NULL).

    Goals are effective-dated: a replacement closes the old row (``effective_to``) and opens a new one,
    so history keeps every expectation that was ever agreed.
    """

    __tablename__ = "goals"
    __table_args__ = (Index("ix_goals_lookup", "team_id", "user_id", "metric_key", "effective_to"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workspace_id: Mapped[str] = mapped_column(ForeignKey("workspaces.id"))
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"))
    user_id: Mapped[str | None] = mapped_column(UserId)
    metric_key: Mapped[str] = mapped_column(String(32))
    period: Mapped[str] = mapped_column(String(16))
    target: Mapped[Decimal] = mapped_column(Amount())
    effective_from: Mapped[datetime] = mapped_column(UTCDateTime())
    effective_to: Mapped[datetime | None] = mapped_column(UTCDateTime())
    set_by: Mapped[str] = mapped_column(UserId)
    ends_on: Mapped[date | None] = mapped_column(Date)
    currency: Mapped[str | None] = mapped_column(String(3))  # a currency metric's target is in it


class Entry(Base):
    """One logged amount of one metric on the rep's local date. Undo marks it deleted; nothing is lost."""

    __tablename__ = "entries"
    __table_args__ = (
        Index("ix_entries_rep_day", "workspace_id", "user_id", "day"),
        Index("ix_entries_team_day", "team_id", "day"),
        Index("ix_entries_rep_created", "workspace_id", "user_id", "created_at"),
        UniqueConstraint("dedupe_key", name="uq_entries_dedupe_key"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workspace_id: Mapped[str] = mapped_column(ForeignKey("workspaces.id"))
    team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id"))
    user_id: Mapped[str] = mapped_column(UserId)
    metric_key: Mapped[str] = mapped_column(String(32))
    amount: Mapped[Decimal] = mapped_column(Amount())
    day: Mapped[date] = mapped_column(Date)
    note: Mapped[str | None] = mapped_column(Text)
    source: Mapped[str] = mapped_column(String(16))
    batch: Mapped[str] = mapped_column(String(36))
    dedupe_key: Mapped[str | None] = mapped_column(String(128))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # What a currency metric's amount is in (ISO 4217), fixed when logged: a team changing its currency
    # never rewrites what its reps logged before. Counts have none.
    currency: Mapped[str | None] = mapped_column(String(3))


class RepProfile(Base):
    """What the bot knows about a person: Slack timezone (cached), check-in hour, stage and pin."""

    __tablename__ = "rep_profiles"

    workspace_id: Mapped[str] = mapped_column(ForeignKey("workspaces.id"), primary_key=True)
    user_id: Mapped[str] = mapped_column(UserId, primary_key=True)
    display_name: Mapped[str | None] = mapped_column(String(120))
    tz: Mapped[str | None] = mapped_column(String(64))
    tz_fetched_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    checkin_hour: Mapped[int] = mapped_column(Integer, default=9)
    stage: Mapped[str] = mapped_column(String(16), default="onboarding")
    stage_since: Mapped[datetime] = mapped_column(UTCDateTime())
    pinned_cadence: Mapped[str | None] = mapped_column(String(16))
    evaluated_week: Mapped[date | None] = mapped_column(Date)  # the last closed week judged for the stage
    # Unprompted DMs only inside these local hours ("HH:MM"; None: the default 08:00–18:00).
    dm_from: Mapped[str | None] = mapped_column(String(5))
    dm_until: Mapped[str | None] = mapped_column(String(5))
    mute_kudos: Mapped[bool] = mapped_column(Boolean, default=False, server_default=text("false"))
    # ``/checkin language sq``: the language of this person's DMs and replies (None: the team's, else
    # their Slack locale's, else English); ``slack_locale`` as users.info last said ("en-US").
    language: Mapped[str | None] = mapped_column(String(8))
    slack_locale: Mapped[str | None] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class StageChange(Base):
    __tablename__ = "stage_changes"
    __table_args__ = (Index("ix_stage_changes_rep", "workspace_id", "user_id", "at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workspace_id: Mapped[str] = mapped_column(ForeignKey("workspaces.id"))
    user_id: Mapped[str] = mapped_column(UserId)
    from_stage: Mapped[str | None] = mapped_column(String(16))
    to_stage: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str] = mapped_column(Text)
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    changed_by: Mapped[str | None] = mapped_column(UserId)
    at: Mapped[datetime] = mapped_column(UTCDateTime())


class AwayPeriod(Base):
    """Days a rep is paused (holidays, leave): no check-ins, and they don't count against goals."""

    __tablename__ = "away_periods"
    __table_args__ = (Index("ix_away_periods_rep", "workspace_id", "user_id", "start"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workspace_id: Mapped[str] = mapped_column(ForeignKey("workspaces.id"))
    user_id: Mapped[str] = mapped_column(UserId)
    start: Mapped[date] = mapped_column(Date)
    end: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class Outbox(Base):
    """Every scheduled message, keyed by what it is (kind, target, period): at most one per key.

    Rows are inserted with ON CONFLICT DO NOTHING, claimed by compare-and-set, sent, and marked sent
    with Slack's ``ts``. A row claimed but never marked (its clock died mid-send) is settled later by
    asking Slack: every post carries its row's id in its metadata.
    """

    __tablename__ = "outbox"
    __table_args__ = (
        UniqueConstraint("workspace_id", "kind", "target", "subject", "period", name="uq_outbox_natural_key"),
        Index("ix_outbox_status_due", "status", "due_at"),
        Index("ix_outbox_target", "workspace_id", "target", "kind"),
        Index("ix_outbox_merged_into", "merged_into"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workspace_id: Mapped[str] = mapped_column(ForeignKey("workspaces.id"))
    kind: Mapped[str] = mapped_column(String(32))
    target: Mapped[str] = mapped_column(String(64))  # a user ID (DM) or a channel ID
    period: Mapped[str] = mapped_column(String(32))
    subject: Mapped[str] = mapped_column(UserId, default="")  # the rep a manager's message is about
    team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id"))
    due_at: Mapped[datetime] = mapped_column(UTCDateTime())
    payload: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    status: Mapped[str] = mapped_column(String(16), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    claimed_by: Mapped[str | None] = mapped_column(String(64))
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    slack_channel: Mapped[str | None] = mapped_column(String(32))
    slack_ts: Mapped[str | None] = mapped_column(String(32))
    error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    merged_into: Mapped[int | None] = mapped_column(Integer)  # the "dm" row that carried this item


class ClockState(Base):
    """Where the clock got to: the instant up to which everything due has been looked at."""

    __tablename__ = "clock_state"

    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    covered_until: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class StandupAnswer(Base):
    """A rep's "Share my week": wins, focus, and where they could use help."""

    __tablename__ = "standup_answers"
    __table_args__ = (
        # Per team: a rep moved mid-week answers afresh in their new team's thread.
        UniqueConstraint(
            "workspace_id", "team_id", "user_id", "week", name="uq_standup_answers_team_rep_week"
        ),
        Index("ix_standup_answers_team_week", "team_id", "week"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workspace_id: Mapped[str] = mapped_column(ForeignKey("workspaces.id"))
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"))
    user_id: Mapped[str] = mapped_column(UserId)
    week: Mapped[str] = mapped_column(String(10))
    wins: Mapped[str] = mapped_column(Text, default="")
    focus: Mapped[str] = mapped_column(Text, default="")
    help: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    posted_ts: Mapped[str | None] = mapped_column(String(32))


class OneOnOne(Base):
    """A 1:1 a manager marked done, so prompts and the agenda know when the last one was."""

    __tablename__ = "one_on_ones"
    __table_args__ = (Index("ix_one_on_ones_rep", "workspace_id", "rep_id", "held_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workspace_id: Mapped[str] = mapped_column(ForeignKey("workspaces.id"))
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"))
    rep_id: Mapped[str] = mapped_column(UserId)
    manager_id: Mapped[str] = mapped_column(UserId)
    held_at: Mapped[datetime] = mapped_column(UTCDateTime())
    dedupe_key: Mapped[str | None] = mapped_column(String(128), unique=True)


class ProcessedEvent(Base):
    """Events API deliveries already handled: Slack retries (X-Slack-Retry-Num) are deduplicated by id."""

    __tablename__ = "processed_events"

    event_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    workspace_id: Mapped[str] = mapped_column(String(32))
    received_at: Mapped[datetime] = mapped_column(UTCDateTime())
