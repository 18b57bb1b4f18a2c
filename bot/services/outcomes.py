"""What a use case hands back to the edge: plain values that the Slack layer renders."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal

from bot.domain.cadence import WeekResult
from bot.domain.types import Cadence, Metric, Period, Scoreboard, Stage
from bot.i18n import p_

# What a CRM sent for a rep's day: (where from, as the rep reads it, e.g. "HubSpot"; what).
FromCrm = tuple[tuple[str, tuple[tuple[Metric, Decimal], ...]], ...]


def esc(text: str) -> str:
    """Escape user-supplied text (team names, notes) before it is embedded in Slack mrkdwn."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


@dataclass(frozen=True)
class Problem:
    """The request was refused; nothing changed. ``usage`` shows the right form."""

    message: str
    usage: str | None = None


@dataclass(frozen=True)
class OverCeiling(Problem):
    """A /log or Log activity refused whole: it would take a day past a metric's daily ceiling.

    ``field`` is the modal input it is about (``metric:<key>``), for an inline error there.
    """

    field: str = ""


@dataclass(frozen=True)
class Notice:
    """A plain confirmation or answer with no numbers behind it."""

    message: str
    detail: str | None = None


@dataclass(frozen=True)
class ProgressLine:
    metric: Metric
    period: Period
    actual: Decimal
    target: Decimal
    pace: float | None = None  # quota pace for result goals over a week or longer

    @property
    def ratio(self) -> float | None:
        return float(self.actual / self.target) if self.target > 0 else None

    @property
    def met(self) -> bool:
        return self.target > 0 and self.actual >= self.target


@dataclass(frozen=True)
class Logged:
    items: tuple[tuple[Metric, Decimal], ...]
    day: date
    today: date
    note: str | None
    progress: tuple[ProgressLine, ...] | None  # None: saved, but the progress couldn't be read back
    team_name: str
    repeat_of: datetime | None = None  # an identical /log made moments before: this may be a retry
    from_crm: FromCrm = ()  # of the day's numbers, what came from a CRM


@dataclass(frozen=True)
class ProgressView:
    day: date
    today: date
    progress: tuple[ProgressLine, ...]
    logged: tuple[tuple[Metric, Decimal], ...]
    streak: int = 0
    from_crm: FromCrm = ()


@dataclass(frozen=True)
class WeekView:
    start: date
    today: date
    metrics: tuple[Metric, ...]
    days: tuple[tuple[date, dict[str, Decimal], bool], ...]  # (day, metric → amount, working day?)
    progress: tuple[ProgressLine, ...]


@dataclass(frozen=True)
class Undone:
    items: tuple[tuple[Metric, Decimal], ...]
    day: date
    logged_at: datetime
    crm_sources: tuple[str, ...] = ()  # CRMs whose recent entries /log undo left alone, as named to a rep


@dataclass(frozen=True)
class GoalView:
    metric: Metric
    period: Period
    target: Decimal
    inherited: bool  # from the team default
    until: date | None = None  # agreed in a 1:1 for a while


@dataclass(frozen=True)
class GoalsView:
    subject: str  # a user id, or "team"
    team_name: str
    goals: tuple[GoalView, ...]
    progress: tuple[ProgressLine, ...]
    is_self: bool


@dataclass(frozen=True)
class GoalsChanged:
    targets: tuple[str, ...]  # user ids or ("team",)
    team_name: str
    set: tuple[GoalView, ...] = ()
    cleared: tuple[Metric, ...] = ()
    replaced: tuple[GoalView, ...] = ()


@dataclass(frozen=True)
class RepRow:
    user_id: str
    progress: tuple[ProgressLine, ...]  # this week's activity goals, month's quota
    stage: Stage
    last_logged: date | None
    away: bool


@dataclass(frozen=True)
class TeamTable:
    team_name: str
    channel_id: str
    week_start: date
    today: date
    rows: tuple[RepRow, ...]
    managers: tuple[str, ...]


@dataclass(frozen=True)
class TeamSummary:
    """What a rep sees of the team: totals and kudos, never a teammate's shortfall."""

    team_name: str
    week_start: date
    today: date
    totals: tuple[tuple[Metric, Decimal], ...]
    kudos: tuple[str, ...]  # reps on track last week
    scoreboard: Scoreboard
    public_rows: tuple[RepRow, ...] = ()


@dataclass(frozen=True)
class TeamChanged:
    """A change to who is on the team; ``refresh_users`` need their Slack profile fetched."""

    message: str
    detail: str | None = None
    refresh_users: tuple[str, ...] = ()


@dataclass(frozen=True)
class TeamSettings:
    team_name: str
    channel_id: str
    timezone: str
    workdays: frozenset[int]
    standup_weekday: int
    standup_time: str
    holidays: str | None
    scoreboard: Scoreboard
    changed: str  # what changed, in words
    meeting: str | None = None  # the weekly team meeting, "Thursday 16:00"
    meeting_url: str | None = None
    video_url: str | None = None  # the 1:1s' video link


@dataclass(frozen=True)
class CheckinView:
    user_id: str
    is_self: bool
    stage: Stage
    cadence: Cadence
    pinned: Cadence | None
    since: datetime
    reason: str
    next_step: str
    away: tuple[tuple[date, date], ...] = ()
    checkin_hour: int = 9
    weeks: tuple[WeekResult, ...] = ()  # the latest closed weeks, judged
    hours: tuple[time, time] = (time(8, 0), time(18, 0))  # when the bot may message them, local time
    checkin_at: time = time(9, 0)  # the check-in hour, held inside those hours
    tz: str | None = None  # their Slack timezone, once Slack has told us
    kudos_muted: bool = False


@dataclass(frozen=True)
class HoursChanged:
    """A person's own hours for unprompted messages, as now set (``default``: back to 08:00–18:00)."""

    hours: tuple[time, time]
    tz: str | None
    default: bool


@dataclass(frozen=True)
class KudosChanged:
    muted: bool
    already: bool  # nothing changed: it was already so


@dataclass(frozen=True)
class Help:
    command: str
    metrics: tuple[Metric, ...] = ()
    is_manager: bool = False


def metric_label(metric: Metric) -> str:
    """A metric's label in a sentence, escaped: a default metric's in the reader's language ("cold
    calls" / "telefonata"), a workspace's own as its manager typed it."""
    label = metric.label
    if label == "cold calls":
        return p_("metric label", "cold calls")
    if label == "presentations":
        return p_("metric label", "presentations")
    if label == "thank-you notes":
        return p_("metric label", "thank-you notes")
    if label == "emails":
        return p_("metric label", "emails")
    if label == "deals closed":
        return p_("metric label", "deals closed")
    if label == "revenue":
        return p_("metric label", "revenue")
    return esc(label)
