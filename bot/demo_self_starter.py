"""The demo report's "Self-starters" section: for each new hire, on how many working days they logged
before any nudge, and at all, as told to the manager when they left onboarding (or as of the run's
end), with each day judged in a row of cells.

``data["self_starter"]`` maps a rep's id to ``{"working_days", "logged", "unprompted", "through",
"left", "days": [[iso date, "unprompted" | "prompted" | "missed"], …]}``. Anything missing or odd
is shown as a dash, never an error.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from datetime import date
from typing import Any

KEY, HEADING = "self-starters", "Self-starters"

_CELL = {
    "unprompted": ("#2f7d5b", "■", "logged before any nudge"),
    "prompted": ("#d9a441", "▣", "logged, after a nudge (or only later, for the day)"),
    "missed": ("#c9ced6", "□", "not logged"),
}


def _e(value: Any) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _day(value: Any) -> date | None:
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        return None


def _figures(fig: Mapping[str, Any]) -> tuple[str, str]:
    days, logged, unprompted = (_int(fig.get(k)) for k in ("working_days", "logged", "unprompted"))
    if not days or unprompted is None or logged is None:
        return "—", "—"
    return (
        f"{unprompted} of {days} ({round(100 * unprompted / days)} %)",
        f"{logged} of {days} ({round(100 * logged / days)} %)",
    )


def _strip(days: Any) -> str:
    cells = []
    for item in days if isinstance(days, list) else []:
        if not isinstance(item, list | tuple) or len(item) != 2 or item[1] not in _CELL:
            continue
        day, how = _day(item[0]), item[1]
        color, glyph, words = _CELL[how]
        when = f"{day:%a %d %b}" if day else "?"
        cells.append(f'<span style="color:{color}" title="{_e(when)}: {_e(words)}">{glyph}</span>')
    if not cells:
        return '<span class="muted">—</span>'
    return (
        f'<span class="days" role="img" aria-label="{len(cells)} working days judged">{"".join(cells)}</span>'
    )


def section(data: Mapping[str, Any]) -> str:
    """The section's HTML, or "" when the run had no new hire to judge."""
    figures = data.get("self_starter")
    if not isinstance(figures, Mapping) or not figures:
        return ""
    names = {r.get("id"): r.get("name") for r in data.get("reps") or [] if isinstance(r, Mapping)}
    rows = []
    for rep, fig in figures.items():
        if not isinstance(fig, Mapping):
            continue
        unprompted, logged = _figures(fig)
        through = _day(fig.get("through"))
        left = fig.get("left")
        when = f"{through:%a %d %b}" if through else "—"
        moment = (
            f"left onboarding for {_e(left)}, told {_e(when)}" if left else f"still onboarding, {_e(when)}"
        )
        rows.append(
            f'<tr><th scope="row">{_e(names.get(rep) or rep)}</th><td>{moment}</td>'
            f'<td class="num">{_e(unprompted)}</td><td class="num">{_e(logged)}</td>'
            f"<td>{_strip(fig.get('days'))}</td></tr>"
        )
    legend = " · ".join(f'<span style="color:{c}">{g}</span> {_e(w)}' for c, g, w in _CELL.values())
    intro = (
        "Tip 1 for a virtual sales team: hire reps who keep going without a manager over their shoulder. "
        "For each new hire, the working days (their own, since joining) on which they logged before the bot "
        "nudged them — a rep who logs before the morning check-in gets none — and on which they logged at all. "
        "The manager reads these figures in the weekly 1:1 agenda, in App Home, and in the message that moves "
        "the rep out of onboarding."
    )
    table = (
        '<div class="scroll"><table class="self-starters"><caption>Self-starter figures</caption><thead><tr>'
        '<th scope="col">Rep</th><th scope="col">When</th><th scope="col" class="num">Logged unprompted</th>'
        '<th scope="col" class="num">Logged at all</th><th scope="col">Each working day</th>'
        f"</tr></thead><tbody>{''.join(rows)}</tbody></table></div>"
    )
    return (
        f'<section id="{KEY}" aria-labelledby="{KEY}-h"><h2 id="{KEY}-h">{HEADING}</h2>'
        f'<p class="intro">{_e(intro)}</p><p class="legend">{legend}</p>{table}</section>'
    )
