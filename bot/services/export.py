"""``/team export``: a month of a team's entries as CSV, for the manager's DM."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date

from bot.domain import parsing as p
from bot.domain.calendar import local_date, period_bounds
from bot.domain.types import Period
from bot.i18n import _, formats, p_
from bot.services.context import Caller
from bot.store import queries as q
from bot.store.models import Team


def headers() -> list[str]:
    """The columns, in the reader's language (a spreadsheet's header row); ``currency`` is each money
    amount's own (ISO 4217), empty for counts."""
    return [
        p_("CSV column", "date"),
        p_("CSV column", "rep_id"),
        p_("CSV column", "rep_name"),
        p_("CSV column", "metric"),
        p_("CSV column", "amount"),
        p_("CSV column", "note"),
        p_("CSV column", "source"),
        p_("CSV column", "logged_at_utc"),
        p_("CSV column", "currency"),
    ]


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
    writer.writerow(headers())
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
                e.currency or "",  # money keeps the currency it was logged in; counts have none
            ]
        )
    slug = "".join(c if c.isalnum() else "-" for c in team.name.lower()).strip("-") or "team"
    return Export(
        user_id=caller.user_id,
        team_name=team.name,
        filename=f"{slug}-{year:04d}-{month:02d}.csv",
        title=_("{team} — entries for {month}", team=team.name, month=_month_year(date(year, month, 1))),
        content=out.getvalue().encode("utf-8"),
        rows=len(entries),
    )


def _month_year(d: date) -> str:
    return formats.month_year(d)


def _safe_cell(text: str) -> str:
    """Neutralise spreadsheet formulas in user text (CSV injection): a leading = + - @ is quoted."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
