"""A manager's team at a glance, for ``/team`` and App Home: the counts first, then the reps who need
a look, then everyone else — a 200-rep table can't all fit in one Slack message, so what matters most
comes before the cut."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from bot.domain.types import Stage
from bot.i18n import _, n_
from bot.services.outcomes import RepRow
from bot.slack.messages import format as f

BEHIND = 0.7  # quota pace below which a rep needs a look: the quota alert's own threshold


def reasons(row: RepRow) -> list[str]:
    """Why a rep needs their manager's look now, in a few words each (empty: they don't)."""
    why = []
    if row.stage is Stage.SUPPORT:
        why.append(_("in support"))
    for ln in row.progress:
        if ln.metric.is_result and ln.pace is not None and ln.pace < BEHIND:
            why.append(_("{metric} pace {pace}", metric=f.name(ln.metric), pace=f.percent(ln.pace)))
    if row.last_logged is None and not row.away:
        why.append(_("nothing logged yet"))
    return why


def split(rows: Sequence[RepRow]) -> tuple[list[RepRow], list[RepRow]]:
    """(the reps who need a look, everyone else), each in the table's own order."""
    needs = [r for r in rows if reasons(r)]
    return needs, [r for r in rows if not reasons(r)]


def summary(rows: Sequence[RepRow], week_start: date) -> str:
    """ "*200 reps* · 143 logged this week · 12 need a look · 3 away"."""
    logged = sum(1 for r in rows if r.last_logged is not None and r.last_logged >= week_start)
    needs = sum(1 for r in rows if reasons(r))
    away = sum(1 for r in rows if r.away)
    parts = [n_("*{n} rep*", "*{n} reps*", len(rows)), _("{n} logged this week", n=logged)]
    if needs:
        parts.append(n_("{n} needs a look", "{n} need a look", needs))
    if away:
        parts.append(_("{n} away", n=away))
    return " · ".join(parts)
