"""A manager's team at a glance, for ``/team`` and App Home: the counts first, then the reps who need
a look, then everyone else — a 200-rep table can't all fit in one Slack message, so what matters most
comes before the cut."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from bot.domain.types import Stage
from bot.services.outcomes import RepRow
from bot.slack.messages import format as f

BEHIND = 0.7  # quota pace below which a rep needs a look: the quota alert's own threshold


def reasons(row: RepRow) -> list[str]:
    """Why a rep needs their manager's look now, in a few words each (empty: they don't)."""
    why = []
    if row.stage is Stage.SUPPORT:
        why.append("in support")
    for ln in row.progress:
        if ln.metric.is_result and ln.pace is not None and ln.pace < BEHIND:
            why.append(f"{ln.metric.key} pace {f.percent(ln.pace)}")
    if row.last_logged is None and not row.away:
        why.append("nothing logged yet")
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
    parts = [f"*{len(rows)} {f.noun('reps', len(rows))}*", f"{logged} logged this week"]
    if needs:
        parts.append(f"{needs} {'needs' if needs == 1 else 'need'} a look")
    if away:
        parts.append(f"{away} away")
    return " · ".join(parts)
