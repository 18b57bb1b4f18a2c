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

from bot.i18n import N_, _, n_, words
from bot.i18n import formats as fmt

KEY, HEADING = "self-starters", N_("Self-starters")  # HEADING is shown with _(…)

_CELL = {  # (colour, glyph, meaning shown with _(…))
    "unprompted": ("#2f7d5b", "■", N_("logged before any nudge")),
    "prompted": ("#d9a441", "▣", N_("logged, after a nudge (or only later, for the day)")),
    "missed": ("#c9ced6", "□", N_("not logged")),
}


# The short labels (headers, captions, legends) the HTML shows from inside f-strings, marked for the
# catalogue here (extraction sees no call inside an f-string): shown, escaped, with ``_w("Rep")``.
_WORDS = {
    "Self-starter figures": N_("Self-starter figures"),
    "Rep": N_("Rep"),
    "When": N_("When"),
    "Logged unprompted": N_("Logged unprompted"),
    "Logged at all": N_("Logged at all"),
    "Each working day": N_("Each working day"),
}


def _w(label: str) -> str:
    return html.escape(_(_WORDS[label]), quote=True)


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


def _stage(stage: Any) -> str:
    """A stage's name as the reader's language says it (the same words as the report's)."""
    return words.stage_name(stage)


def _figures(fig: Mapping[str, Any]) -> tuple[str, str]:
    days, logged, unprompted = (_int(fig.get(k)) for k in ("working_days", "logged", "unprompted"))
    if not days or unprompted is None or logged is None:
        return "—", "—"
    return (
        _("{part} of {days} ({share})", part=unprompted, days=days, share=fmt.percent(unprompted / days)),
        _("{part} of {days} ({share})", part=logged, days=days, share=fmt.percent(logged / days)),
    )


def _strip(days: Any) -> str:
    cells = []
    for item in days if isinstance(days, list) else []:
        if not isinstance(item, list | tuple) or len(item) != 2 or item[1] not in _CELL:
            continue
        day, how = _day(item[0]), item[1]
        color, glyph, words = _CELL[how]
        words = _(words)
        when = fmt.short_date(day) if day else "?"
        cells.append(f'<span style="color:{color}" title="{_e(when)}: {_e(words)}">{glyph}</span>')
    if not cells:
        return '<span class="muted">—</span>'
    return (
        f'<span class="days" role="img" aria-label="{_e(_days_judged(len(cells)))}">{"".join(cells)}</span>'
    )


def _days_judged(n: int) -> str:
    return n_("{n} working day judged", "{n} working days judged", n)


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
        when = fmt.short_date(through) if through else "—"
        moment = _e(
            _("left onboarding for {stage}, told {day}", stage=_stage(left), day=when)
            if left
            else _("still onboarding, {day}", day=when)
        )
        rows.append(
            f'<tr><th scope="row">{_e(names.get(rep) or rep)}</th><td>{moment}</td>'
            f'<td class="num">{_e(unprompted)}</td><td class="num">{_e(logged)}</td>'
            f"<td>{_strip(fig.get('days'))}</td></tr>"
        )
    legend = " · ".join(f'<span style="color:{c}">{g}</span> {_e(_(w))}' for c, g, w in _CELL.values())
    intro = _(
        "Tip 1 for a virtual sales team: hire reps who keep going without a manager over their shoulder. "
        "For each new hire, the working days (their own, since joining) on which they logged before the bot "
        "nudged them — a rep who logs before the morning check-in gets none — and on which they logged at all. "
        "The manager reads these figures in the weekly 1:1 agenda, in App Home, and in the message that moves "
        "the rep out of onboarding."
    )
    table = (
        f'<div class="scroll"><table class="self-starters"><caption>{_w("Self-starter figures")}</caption>'
        f'<thead><tr><th scope="col">{_w("Rep")}</th><th scope="col">{_w("When")}</th>'
        f'<th scope="col" class="num">{_w("Logged unprompted")}</th>'
        f'<th scope="col" class="num">{_w("Logged at all")}</th>'
        f'<th scope="col">{_w("Each working day")}</th>'
        f"</tr></thead><tbody>{''.join(rows)}</tbody></table></div>"
    )
    return (
        f'<section id="{KEY}" aria-labelledby="{KEY}-h"><h2 id="{KEY}-h">{_e(_(HEADING))}</h2>'
        f'<p class="intro">{_e(intro)}</p><p class="legend">{legend}</p>{table}</section>'
    )
