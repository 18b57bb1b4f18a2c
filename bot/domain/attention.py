"""How the bot speaks: the one attention policy every unprompted message to a person goes through.

The clock's planner proposes *items* (a check-in, kudos, a stage change, a 1:1 prompt, an alert…);
this module decides, per recipient and from plain facts, what happens to each of them at an instant:

- **send** now, merged with every other item ready for that person into one message, in a fixed
  order (stage change first, then the check-in's numbers, then praise);
- **hold** until the recipient's next window (their working day, their hours, their local time);
- **drop** when stale (a check-in once its day's window has passed; anything else after 3 working
  days) or unwanted (praise the person muted).

Volume is set per person. A rep gets at most one unprompted DM a day, and within the budget of
their cadence: one a working day (onboarding, support), one a week (steady), one a month
(autonomous); beyond it only milestone praise (a monthly goal or a quota reached) may start a
message. Weekly-goal praise never starts a message: it rides along in one that goes anyway. A
manager gets at most two a day: the morning digest (1:1 prompts, quiet reps, period results, stage
changes) and one alert message (quota alerts, back on track).

Nothing here reads the clock or the database: ``decide`` is a pure function of a ``Person``, their
pending ``Item`` s, what they already ``Received`` and ``now``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from bot.domain.calendar import WorkCalendar, local_datetime, period_bounds, to_utc
from bot.domain.types import Cadence, Period

DEFAULT_FROM = time(8, 0)
DEFAULT_UNTIL = time(18, 0)
EARLIEST = time(6, 0)  # the widest hours a person may choose: 06:00–21:00
LATEST = time(21, 0)
STALE_AFTER_WORKING_DAYS = 3

REP, MANAGER = "rep", "manager"

# The order items read in one message: what changed first, then the numbers, then praise.
ORDER = (
    "stage_change",
    "support_plan",
    "quota_alert",
    "back_on_track",
    "checkin",
    "one_on_one",
    "quiet",
    "period_end",
    "kudos",
)
DIGEST_KINDS = frozenset({"one_on_one", "quiet", "period_end", "stage_change"})  # a manager's morning
ALERT_KINDS = frozenset({"quota_alert", "back_on_track"})  # a manager's one alert message a day
PRAISE_KINDS = frozenset({"kudos"})
DM_KINDS = frozenset(ORDER)  # every unprompted message to a person
# What may wait for the person's next window; a check-in is for its hour (the misfire grace) and day.
HELD_KINDS = DM_KINDS - {"checkin"}

DIGEST, ALERT, DAY = "digest", "alert", "day"  # the slots a message fills

BUDGET_PERIOD: dict[Cadence, Period] = {
    Cadence.DAILY: Period.DAY,
    Cadence.WEEKLY: Period.WEEK,
    Cadence.MONTHLY: Period.MONTH,
}


@dataclass(frozen=True)
class Person:
    """A recipient, as the policy needs them."""

    user_id: str
    tz: str
    role: str  # REP or MANAGER
    calendar: WorkCalendar
    away: frozenset[date] = frozenset()
    hours: tuple[time, time] = (DEFAULT_FROM, DEFAULT_UNTIL)
    cadence: Cadence = Cadence.DAILY  # reps: the stage's cadence, or a manager's pin
    stage_since: datetime | None = None  # a new stage starts a new budget
    first_at: time | None = None  # reps: the day's message waits for their check-in time
    mute_kudos: bool = False


@dataclass(frozen=True)
class Item:
    """One proposed message. ``came_due``: when it first came due (staleness counts from it)."""

    id: int
    kind: str
    came_due: datetime
    day: date | None = None  # a check-in: the local day it was meant for
    milestone: bool = False  # praise for a monthly goal or a quota: may exceed the stage's budget


@dataclass(frozen=True)
class Received:
    """An unprompted message the person already got (or that is on its way)."""

    at: datetime
    slot: str


@dataclass(frozen=True)
class Decision:
    send: tuple[int, ...] = ()  # merged into one message now, in reading order
    slot: str | None = None
    hold: dict[int, datetime] = field(default_factory=dict)  # not before
    drop: dict[int, str] = field(default_factory=dict)  # why


# --- windows ------------------------------------------------------------------------------


def checkin_time(hour: int, hours: tuple[time, time] = (DEFAULT_FROM, DEFAULT_UNTIL)) -> time:
    """A rep's check-in hour, held inside their message hours."""
    wanted = time(max(0, min(23, hour)))
    return min(max(wanted, hours[0]), (datetime.combine(date.min, hours[1]) - timedelta(hours=1)).time())


def is_working_day(person: Person, day: date) -> bool:
    return person.calendar.is_working_day(day) and day not in person.away


def window(person: Person, day: date) -> tuple[datetime, datetime] | None:
    """The person's message window on ``day`` (UTC instants), or None on a day off."""
    if not is_working_day(person, day):
        return None
    start, end = person.hours
    return to_utc(day, start, person.tz), to_utc(day, end, person.tz)


def _opens(person: Person, day: date) -> datetime | None:
    """When the day's message may go: the window's start, or a rep's check-in time if later."""
    w = window(person, day)
    if w is None:
        return None
    if person.first_at is not None:
        return min(max(w[0], to_utc(day, person.first_at, person.tz)), w[1])
    return w[0]


def next_opening(person: Person, after: datetime, *, skip_today: bool = False) -> datetime | None:
    """The first instant after ``after`` when the person may get a message (None: not in 60 days)."""
    today = local_datetime(after, person.tz).date()
    for i in range(1 if skip_today else 0, 60):
        day = today + timedelta(days=i)
        opens, w = _opens(person, day), window(person, day)
        if opens is None or w is None:
            continue
        if after < opens:
            return opens
        if after < w[1] and not (i == 0 and skip_today):
            return after
    return None


def is_open(person: Person, now: datetime) -> bool:
    day = local_datetime(now, person.tz).date()
    opens, w = _opens(person, day), window(person, day)
    return opens is not None and w is not None and opens <= now < w[1]


def stale_at(person: Person, item: Item) -> datetime:
    """After this instant the item is no longer worth sending.

    A check-in is for its day: stale at the end of that day's window. Anything else stays relevant
    for 3 of the person's working days, counting the day it came due if its window was still open.
    """
    if item.kind == "checkin":
        w = window(person, item.day or local_datetime(item.came_due, person.tz).date())
        return w[1] if w is not None else item.came_due
    day = local_datetime(item.came_due, person.tz).date()
    counted, last = 0, item.came_due
    for i in range(60):
        w = window(person, day + timedelta(days=i))
        if w is None or w[1] <= item.came_due:
            continue
        counted += 1
        last = w[1]
        if counted == STALE_AFTER_WORKING_DAYS:
            break
    return last


# --- the policy ---------------------------------------------------------------------------


def _local_day(person: Person, at: datetime) -> date:
    return local_datetime(at, person.tz).date()


def _ordered(items: Iterable[Item]) -> tuple[int, ...]:
    rank = {k: i for i, k in enumerate(ORDER)}
    return tuple(i.id for i in sorted(items, key=lambda i: (rank.get(i.kind, len(ORDER)), i.came_due, i.id)))


def budget_used(person: Person, received: Sequence[Received], now: datetime) -> bool:
    """Has the rep had their cadence's share of unprompted DMs (counted within their current stage)?"""
    period = BUDGET_PERIOD[person.cadence]
    start, _ = period_bounds(period, _local_day(person, now))
    for r in received:
        if person.stage_since is not None and r.at < person.stage_since:
            continue
        if start <= _local_day(person, r.at) <= _local_day(person, now):
            return True
    return False


def decide(person: Person, items: Sequence[Item], received: Sequence[Received], now: datetime) -> Decision:
    """What happens now to each of the person's ready items."""
    hold: dict[int, datetime] = {}
    drop: dict[int, str] = {}
    live: list[Item] = []
    for item in items:
        if item.kind in PRAISE_KINDS and person.mute_kudos:
            drop[item.id] = "muted: the person turned kudos DMs off"
        elif now >= stale_at(person, item):
            drop[item.id] = "stale: no window for it while it was relevant"
        else:
            live.append(item)
    if not live:
        return Decision(hold=hold, drop=drop)

    def wait(for_items: Iterable[Item], *, skip_today: bool) -> None:
        opening = next_opening(person, now, skip_today=skip_today)
        for item in for_items:
            if opening is None or opening >= stale_at(person, item):
                drop[item.id] = "stale: no window for it while it is relevant"
            else:
                hold[item.id] = opening

    if not is_open(person, now):
        wait(live, skip_today=False)
        return Decision(hold=hold, drop=drop)

    today = _local_day(person, now)
    slots_today = [r.slot for r in received if _local_day(person, r.at) == today]

    if person.role == MANAGER:
        if len(slots_today) >= 2:
            wait(live, skip_today=True)
            return Decision(hold=hold, drop=drop)
        digest_open = DIGEST not in slots_today
        alert_open = ALERT not in slots_today
        can = [
            i
            for i in live
            if (i.kind in ALERT_KINDS and (alert_open or digest_open))
            or (i.kind not in ALERT_KINDS and digest_open)
        ]
        wait([i for i in live if i not in can], skip_today=True)
        if not can:
            return Decision(hold=hold, drop=drop)
        slot = DIGEST if digest_open and any(i.kind not in ALERT_KINDS for i in can) else ALERT
        if slot == ALERT and not alert_open:
            slot = DIGEST
        return Decision(send=_ordered(can), slot=slot, hold=hold, drop=drop)

    # A rep: one unprompted message a day, within the budget of their cadence.
    if slots_today:
        wait(live, skip_today=True)
        return Decision(hold=hold, drop=drop)
    starters = [i for i in live if i.kind not in PRAISE_KINDS or i.milestone]
    if budget_used(person, received, now):
        starters = [i for i in starters if i.milestone]
    if not starters:  # nothing that may start a message: the rest waits to ride along in one
        wait(live, skip_today=True)
        return Decision(hold=hold, drop=drop)
    return Decision(send=_ordered(live), slot=DAY, hold=hold, drop=drop)
