"""The self-starter signal: does a new hire get going without a manager over their shoulder?

PRODUCT.md's first tip is to hire reps who keep going on their own. For a rep in onboarding the bot
can see it: on how many working days did they log before the bot nudged them, and on how many did
they log at all. The arithmetic, precisely:

- **The days judged** are the rep's working days on the team, in the rep's own timezone: from the
  day they joined the team through today, on the team's working days (its weekdays and holidays),
  without the rep's away days. Two days are partial and count only once the rep has logged on them:
  the day they joined (they may have been added at 4 pm) and today (it isn't over). A day the rep
  hasn't logged yet is not held against them until it has passed.
- **Logged** (on a day judged): at least one live entry, from any source, for that local day —
  including one logged later for it.
- **Logged unprompted**: the day's first entry was made *on that day* (its ``created_at`` falls on
  that local day: an entry backfilled the next morning shows the day's work, not a self-starter),
  and before the first unprompted DM the bot sent the rep that day — or no DM came that day at all.
  The check-in is skipped when the rep has already logged, so a rep who logs before their check-in
  hour is never nudged: that day counts as self-started.

Nothing here reads the clock or the database: callers pass the rep's entries, the instants their DMs
were sent, and ``today``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime

from bot.domain.calendar import WorkCalendar, local_date

__all__ = ["MISSED", "PROMPTED", "UNPROMPTED", "SelfStarter", "self_starter"]

# How a day judged went: logged before any nudge; logged, but after one (or only later, for it); not logged.
UNPROMPTED, PROMPTED, MISSED = "unprompted", "prompted", "missed"


@dataclass(frozen=True)
class SelfStarter:
    """A rep's self-starter figures over ``working_days`` days judged."""

    working_days: int
    logged: int
    unprompted: int
    days: tuple[tuple[date, str], ...] = field(default=(), compare=False)  # each day judged, and how

    @property
    def unprompted_share(self) -> float | None:
        return self.unprompted / self.working_days if self.working_days else None

    @property
    def logged_share(self) -> float | None:
        return self.logged / self.working_days if self.working_days else None

    def as_payload(self) -> dict[str, int]:
        """The figures as they travel in an outbox payload (plain JSON)."""
        return {"working_days": self.working_days, "logged": self.logged, "unprompted": self.unprompted}


def self_starter(
    *,
    first_entries: Mapping[date, datetime],
    nudges: Iterable[datetime],
    joined: date,
    today: date,
    tz: str,
    calendar: WorkCalendar,
    away: frozenset[date] = frozenset(),
) -> SelfStarter:
    """The rep's figures from ``first_entries`` (local day → when its first live entry was made) and
    ``nudges`` (when each unprompted DM to the rep was sent), ``tz`` being the rep's timezone."""
    first_nudge: dict[date, datetime] = {}
    for at in nudges:
        day = local_date(at, tz)
        if day not in first_nudge or at < first_nudge[day]:
            first_nudge[day] = at
    judged: list[tuple[date, str]] = []
    for day in calendar.working_days(joined, today):
        if day in away:
            continue
        made = first_entries.get(day)
        if made is None:
            if day not in (joined, today):  # a partial day counts only once logged
                judged.append((day, MISSED))
            continue
        nudge = first_nudge.get(day)
        self_started = local_date(made, tz) == day and (nudge is None or made < nudge)
        judged.append((day, UNPROMPTED if self_started else PROMPTED))
    return SelfStarter(
        working_days=len(judged),
        logged=sum(1 for _, how in judged if how != MISSED),
        unprompted=sum(1 for _, how in judged if how == UNPROMPTED),
        days=tuple(judged),
    )
