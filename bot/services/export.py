"""``/team export``: a month of a team's entries as CSV, for the manager's DM."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date

from bot.domain import parsing as p
from bot.domain.calendar import local_date, period_bounds
from bot.domain.types import Period
from bot.services.context import Caller
from bot.store import queries as q
from bot.store.models import Team


@dataclass(frozen=True)
class Export:
    """A month of the team's entries as CSV, to be uploaded to the manager's DM after the ack."""

    user_id: str
    team_name: str
    filename: str
    title: str
    content: bytes
    rows: int


def month_csv(session, caller: Caller, team: Team, command: p.TeamExport) -> Export:
    """``/team export [month]``: the team's live entries of a month, one row each, with where each came
    from (``source``: command, modal, webhook, hubspot, pipedrive)."""
    today = local_date(caller.now, team.timezone)
    year, month = (command.year, command.month) if command.month else (today.year, today.month)
    start, end = period_bounds(Period.MONTH, date(year, month, 1))
    entries = q.team_entries(session=session, team_id=team.id, start=start, end=end)
    names = {
        uid: prof.display_name or ""
        for uid, prof in q.profiles(
            session=session, workspace_id=caller.workspace_id, user_ids={e.user_id for e in entries}
        ).items()
    }
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["date", "rep_id", "rep_name", "metric", "amount", "note", "source", "logged_at_utc"])
    for e in entries:
        writer.writerow(
            [
                e.day.isoformat(),
                e.user_id,
                _safe_cell(names.get(e.user_id, "")),
                e.metric_key,
                f"{e.amount:f}",
                _safe_cell(e.note or ""),
                e.source,
                e.created_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
            ]
        )
    slug = "".join(c if c.isalnum() else "-" for c in team.name.lower()).strip("-") or "team"
    return Export(
        user_id=caller.user_id,
        team_name=team.name,
        filename=f"{slug}-{year:04d}-{month:02d}.csv",
        title=f"{team.name} — entries for {date(year, month, 1):%B %Y}",
        content=out.getvalue().encode("utf-8"),
        rows=len(entries),
    )


def _safe_cell(text: str) -> str:
    """Neutralise spreadsheet formulas in user text (CSV injection): a leading = + - @ is quoted."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
