"""The product's words as plain values shared by every layer."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class MetricKind(StrEnum):
    ACTIVITY = "activity"
    RESULT = "result"


class Unit(StrEnum):
    COUNT = "count"
    CURRENCY = "currency"


class Period(StrEnum):
    DAY = "day"
    WEEK = "week"
    MONTH = "month"
    QUARTER = "quarter"


class Role(StrEnum):
    REP = "rep"
    MANAGER = "manager"


class Stage(StrEnum):
    ONBOARDING = "onboarding"
    STEADY = "steady"
    AUTONOMOUS = "autonomous"
    SUPPORT = "support"


class Cadence(StrEnum):
    DAILY = "daily"
    WEEKLY = "weekly"
    MONTHLY = "monthly"


class Scoreboard(StrEnum):
    PUBLIC = "public"
    KUDOS_ONLY = "kudos-only"


@dataclass(frozen=True)
class Metric:
    """Something counted. ``aliases`` are extra lower-case names the parser accepts."""

    key: str
    label: str
    kind: MetricKind
    unit: Unit
    aliases: tuple[str, ...] = ()

    @property
    def is_result(self) -> bool:
        return self.kind is MetricKind.RESULT


DEFAULT_METRICS: tuple[Metric, ...] = (
    Metric("calls", "cold calls", MetricKind.ACTIVITY, Unit.COUNT, ("call", "dials", "dial")),
    Metric(
        "presentations",
        "presentations",
        MetricKind.ACTIVITY,
        Unit.COUNT,
        ("presentation", "demos", "demo", "meetings", "meeting", "pres"),
    ),
    Metric(
        "notes", "thank-you notes", MetricKind.ACTIVITY, Unit.COUNT, ("note", "thanks", "thank-yous", "ty")
    ),
    Metric("emails", "emails", MetricKind.ACTIVITY, Unit.COUNT, ("email",)),
    Metric("deals", "deals closed", MetricKind.RESULT, Unit.COUNT, ("deal", "wins", "win", "closed")),
    Metric("revenue", "revenue", MetricKind.RESULT, Unit.CURRENCY, ("sales", "bookings")),
)

# Stage → how often the bot sends a check-in DM.
STAGE_CADENCE: dict[Stage, Cadence] = {
    Stage.ONBOARDING: Cadence.DAILY,
    Stage.STEADY: Cadence.WEEKLY,
    Stage.AUTONOMOUS: Cadence.MONTHLY,
    Stage.SUPPORT: Cadence.DAILY,
}
