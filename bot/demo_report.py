"""The demo's report: one self-contained HTML page that shows the back-off and the stepping-in at a glance.

``render_report(data)`` turns the JSON-able summary of a simulated run into a complete HTML5 document:
CSS in a ``<style>`` tag, charts as inline SVG (each with a ``<title>``, a ``<desc>`` and a text table
in a ``<details>``), no scripts, no fonts, no images, nothing fetched. Every string that comes from
``data`` is escaped, and the same input always renders the same text.

``data`` (every key optional; lists per rep are padded or cut to the number of weeks)::

    title, team, start, end, seed
    weeks        ["2026-10-05", ...]                      week starts (Mondays); N weeks
    reps         [{"id", "name", "persona", "tz", "quota", "joined": date}, ...]
    managers     [{"id", "name", "tz"}, ...]
    stages       {rep_id: [{"from": date, "stage": str, "reason": str}, ...]}   team-local dates
    checkins     {rep_id: [int] * N}                       check-ins the rep received each week
    attainment   {rep_id: [float | None] * N}              mean attainment of activity goals
    quota_pace   {rep_id: [float | None] * N | None}       None = no quota
    away         {rep_id: [[from, to], ...]}               inclusive dates
    messages     {rep_id: {kind: count}}                   items in the DMs each rep received, by kind
    manager      {kind: count}                             items in the managers' DMs, by kind
    dms          {person_id: [{"messages": int, "items": {kind: int}}] * N}
                                                           DMs each rep or manager received each week
                                                           (one DM may carry several items)
    hours        ["08:00", "18:00"]                        the working hours DMs should arrive in
    events       [{"at": date, "rep": rep_id, "text": str}, ...]
    transcript   [{"at": iso, "local": "Mon 05 Oct 09:00 EDT", "date": date, "to", "channel",
                   "kind", "items": [kind, ...], "off_hours": bool, "text"}, ...]

Message text is shown as a person reads it in Slack: ``<@U…>`` mentions as names, no mrkdwn markup
(``plain_text``).
"""

from __future__ import annotations

import html
import math
import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from bot import demo_self_starter
from bot.i18n import N_, PSEUDO, _, language, n_, nN_, p_, words
from bot.i18n import formats as fmt

__all__ = ["STAGES", "kind_code", "plain_text", "render_report", "stage_name", "week_short"]

STAGES = ("onboarding", "steady", "autonomous", "support")
# (fill, text on the fill): a new hire in a light tone, trust in blue then calm green, support in a warm red.
STAGE_COLORS = {
    "onboarding": ("#b4c2e6", "#1c2444"),
    "steady": ("#3f73b5", "#ffffff"),
    "autonomous": ("#79c2a0", "#0f2e20"),
    "support": ("#c8452c", "#ffffff"),
}
OTHER_STAGE = ("#c4c4c4", "#222222")
STAGE_MEANING = {  # shown with _(…)
    "onboarding": N_("new on the team: a check-in each working day, a 1:1 prompt weekly"),
    "steady": N_("a check-in weekly, a 1:1 prompt every 2 weeks"),
    "autonomous": N_("a check-in monthly, a 1:1 prompt monthly"),
    "support": N_("struggling: a check-in each working day, a 1:1 prompt weekly, the manager alerted"),
}
KIND_NAMES = {  # (one, many), a count before it: shown with n_(*KIND_NAMES[kind], count)
    "checkin": nN_("{n} check-in", "{n} check-ins"),
    "kudos": nN_("{n} kudos", "{n} kudos"),
    "stage_change": nN_("{n} stage change", "{n} stage changes"),
    "support_plan": nN_("{n} support plan", "{n} support plans"),
    "quota_alert": nN_("{n} quota alert", "{n} quota alerts"),
    "one_on_one": nN_("{n} 1:1 prompt", "{n} 1:1 prompts"),
    "quiet": nN_("{n} gone-quiet alert", "{n} gone-quiet alerts"),
    "period_end": nN_("{n} period-end summary", "{n} period-end summaries"),
    "back_on_track": nN_("{n} back-on-track note", "{n} back-on-track notes"),
    "standup": nN_("{n} standup", "{n} standups"),
    "dm": nN_("{n} DM", "{n} DMs"),
}
KIND_LABELS = {  # a column's or a list's name for the kind: shown with _(…)
    "checkin": N_("check-ins"),
    "kudos": N_("kudos"),
    "stage_change": N_("stage changes"),
    "support_plan": N_("support plan"),
    "quota_alert": N_("quota alerts"),
    "one_on_one": N_("1:1 prompts"),
    "quiet": N_("gone-quiet alerts"),
    "period_end": N_("period-end summaries"),
    "back_on_track": N_("back-on-track notes"),
    "standup": N_("standups"),
    "dm": N_("DMs"),
}
REP_KINDS = ("checkin", "kudos", "stage_change")
MANAGER_KINDS = ("quota_alert", "one_on_one", "quiet", "stage_change", "period_end")
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

HEADINGS = {  # each section's heading, shown with _(…)
    "stages": N_("Stage over time"),
    "checkins": N_("Check-ins per week"),
    "activity": N_("Activity against goals"),
    "quota": N_("Quota pace"),
    "counters": N_("Messages"),
    "moments": N_("Key moments"),
    "transcript": N_("Transcript"),
}

ON_TRACK = 0.8
QUOTA_ALERT = 0.7
GOOD, SHORT, ALERT = "#2f7d5b", "#b7791f", "#c8452c"
INK, MUTED, GRID = "#1d2430", "#5f6b7a", "#e3e7ed"


# --------------------------------------------------------------------------- small helpers


# The short labels (headers, captions, legends) the HTML shows from inside f-strings, marked for the
# catalogue here (extraction sees no call inside an f-string): shown, escaped, with ``_w("Rep")``.
_WORDS = {
    "Lines": N_("Lines"),
    "yes": N_("yes"),
    "no": N_("no"),
    "away": N_("away"),
    "paused": N_("paused"),
    "stage change": N_("stage change"),
    "numbered as in the list below": N_("numbered as in the list below"),
    "key moment": N_("key moment"),
    "Legend": N_("Legend"),
    "The reps at a glance": N_("The reps at a glance"),
    "Rep": N_("Rep"),
    "Persona": N_("Persona"),
    "Timezone": N_("Timezone"),
    "Joined": N_("Joined"),
    "Quota": N_("Quota"),
    "Stages, in order": N_("Stages, in order"),
    "Check-ins/week, first → last": N_("Check-ins/week, first → last"),
    "Check-ins": N_("Check-ins"),
    "Sales Check-ins · demo report": N_("Sales Check-ins · demo report"),
    "What you’re looking at.": N_("What you’re looking at."),
    "Sections": N_("Sections"),
    "no reason given": N_("no reason given"),
    "Stage changes and why": N_("Stage changes and why"),
    "No stage changes recorded.": N_("No stage changes recorded."),
    "Total": N_("Total"),
    "DMs per week, per person: how many arrived, and what they carried": N_(
        "DMs per week, per person: how many arrived, and what they carried"
    ),
    "Person": N_("Person"),
    "DMs": N_("DMs"),
    "DMs to each rep, by kind of item": N_("DMs to each rep, by kind of item"),
    "Items": N_("Items"),
    "All reps": N_("All reps"),
    "DMs to the managers, by kind of item": N_("DMs to the managers, by kind of item"),
    "Kind": N_("Kind"),
    "No key moments recorded.": N_("No key moments recorded."),
    "No messages recorded.": N_("No messages recorded."),
    "outside working hours": N_("outside working hours"),
    "off hours": N_("off hours"),
    "Local time": N_("Local time"),
    "To": N_("To"),
    "Text": N_("Text"),
}


def _w(label: str) -> str:
    return html.escape(_(_WORDS[label]), quote=True)


def _e(value: Any) -> str:
    """Escaped text for HTML content and attribute values alike."""
    return html.escape("" if value is None else str(value), quote=True)


def _f(x: float) -> str:
    """A coordinate: one decimal, no trailing ``.0``."""
    s = f"{x:.1f}"
    s = s[:-2] if s.endswith(".0") else s
    return "0" if s == "-0" else s


def _date(value: Any) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip()[:10])
        except ValueError:
            return None
    return None


def _datetime(value: Any) -> datetime | None:
    if isinstance(value, datetime):
        return value
    if isinstance(value, str):
        try:
            return datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        except ValueError:
            return None
    return None


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return None if math.isnan(value) or math.isinf(value) else float(value)


def _fit(values: Any, n: int) -> list[float | None]:
    seq = list(values) if isinstance(values, list | tuple) else []
    return [_number(v) for v in seq[:n]] + [None] * max(0, n - len(seq))


def _day(d: date) -> str:
    """ "7 Dec" / "7 dhj"."""
    return fmt.month_day(d)


def stage_name(stage: str | None) -> str:
    """A stage's name as the reader's language says it (an unknown one as it is)."""
    return words.stage_name(stage)


def kind_code(kind: str) -> str:
    """A message kind in the terminal's transcript: its code in English ("stage_change"), a word in
    another language."""
    codes = {
        "checkin": p_("message kind", "checkin"),
        "kudos": p_("message kind", "kudos"),
        "stage_change": p_("message kind", "stage_change"),
        "support_plan": p_("message kind", "support_plan"),
        "quota_alert": p_("message kind", "quota_alert"),
        "one_on_one": p_("message kind", "one_on_one"),
        "quiet": p_("message kind", "quiet"),
        "period_end": p_("message kind", "period_end"),
        "back_on_track": p_("message kind", "back_on_track"),
        "standup": p_("message kind", "standup"),
        "dm": p_("message kind", "dm"),
    }
    return codes.get(kind, kind)


def week_short(i: int) -> str:
    """Week ``i`` (from 0) of the run, short: "W1" / "J1"."""
    return _("W{n}", n=i + 1)


def _span(a: date, b: date) -> str:
    if a == b:
        return f"{_day(a)} {a.year}"
    if a.year != b.year:
        return f"{_day(a)} {a.year} – {_day(b)} {b.year}"
    return f"{_day(a)} – {_day(b)} {b.year}"


def _pct(v: float) -> str:
    return f"{round(v * 100)}\u00a0%"


def _count(v: float | None) -> str:
    if v is None:
        return "—"
    return str(int(v)) if float(v).is_integer() else f"{v:g}"


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _kind_label(kind: str) -> str:
    return _(KIND_LABELS[kind]) if kind in KIND_LABELS else kind.replace("_", " ")


def _kind_count(kind: str, count: float) -> str:
    """``1 check-in``, ``3 check-ins``, ``2 kudos``."""
    if kind not in KIND_NAMES:
        return f"{_count(count)} {kind.replace('_', ' ')}"
    return n_(*KIND_NAMES[kind], count, n=_count(count))


_SLACK_TOKEN = re.compile(
    r"<([@#])([UWC][A-Z0-9]{2,})(?:\|([^<>]*))?>"  # <@U123>, <@U123|ana>, <#C123|sales>
    r"|<!(here|channel|everyone)(?:\|[^<>]*)?>"  # <!here>
    r"|<((?:https?|mailto):[^<>|\s]+)(?:\|([^<>]*))?>"  # <https://…|label>
)
_EMPHASIS = re.compile(r"(?<![\w*_~`])([*_~])(?=\S)([^\n]*?\S)\1(?![\w*_~`])")
_CODE = re.compile(r"```|`([^`\n]+)`")


def plain_text(text: str, names: Mapping[str, str] | None = None, *, escaped: bool = True) -> str:
    """Slack mrkdwn as a person reads it: ``<@U…>`` as ``@Name``, channels and links by their labels,
    no ``*bold*``, ``_italic_``, ``~strike~`` or backtick markup. ``escaped``: the text is as Slack
    stores it, with ``&lt; &gt; &amp;`` for the characters themselves."""
    names = names or {}

    def token(m: re.Match[str]) -> str:
        sigil, ref, label, special, url, link_label = m.groups()
        if sigil == "@":
            return "@" + (names.get(ref) or label or ref)
        if sigil == "#":
            return "#" + (label or names.get(ref) or ref)
        if special:
            return "@" + special
        return link_label or url.removeprefix("mailto:")

    out = _SLACK_TOKEN.sub(token, text)
    out = _CODE.sub(lambda m: m.group(1) or "", out)
    out = _EMPHASIS.sub(lambda m: m.group(2), out)
    if escaped:
        out = out.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
    return out


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9-]+", "-", text.lower()).strip("-") or "other"


def _stage_colors(stage: str | None) -> tuple[str, str]:
    return STAGE_COLORS.get(stage or "", OTHER_STAGE)


def _pill(stage: str | None) -> str:
    if not stage:
        return '<span class="pill none">—</span>'
    fill, ink = _stage_colors(stage)
    return f'<span class="pill" style="background:{fill};color:{ink}">{_e(stage_name(stage))}</span>'


def _ordered_kinds(preferred: Sequence[str], found: Iterable[str]) -> list[str]:
    found = list(dict.fromkeys(found))
    return [k for k in preferred if k in found] + sorted(k for k in found if k not in preferred)


# --------------------------------------------------------------------------- the model


@dataclass(frozen=True)
class _Change:
    number: int
    at: date
    stage: str
    previous: str | None
    reason: str


@dataclass(frozen=True)
class _Week:
    """The DMs one person received in one week: how many, and the items they carried, by kind."""

    messages: float | None
    items: dict[str, float]


@dataclass
class _Person:
    id: str
    name: str
    tz: str
    dms: list[_Week]


@dataclass
class _Rep:
    index: int
    id: str
    name: str
    persona: str
    tz: str
    quota: bool
    changes: list[_Change]
    checkins: list[float | None]
    attainment: list[float | None]
    pace: list[float | None] | None
    away: list[tuple[date, date]]
    messages: dict[str, float]
    joined: date | None = None
    dms: list[_Week] = field(default_factory=list)

    def stage_at(self, day: date) -> str | None:
        current = None
        for change in self.changes:
            if change.at > day:
                break
            current = change.stage
        return current

    def away_on(self, day: date) -> bool:
        return any(a <= day <= b for a, b in self.away)


@dataclass(frozen=True)
class _Event:
    at: date | None
    rep: _Rep | None
    rep_id: str
    text: str


@dataclass
class _Line:
    at: str
    local: str
    to: str
    channel: str
    kind: str
    text: str
    day: date | None
    items: list[str] = field(default_factory=list)
    off_hours: bool | None = None
    context: str = ""


@dataclass
class _Model:
    title: str
    team: str
    start: date | None
    end: date | None
    seed: Any
    weeks: list[date]
    reps: list[_Rep]
    events: list[_Event]
    manager: dict[str, float]
    transcript: list[_Line]
    changes: list[tuple[_Rep, _Change]] = field(default_factory=list)
    managers: list[_Person] = field(default_factory=list)
    hours: tuple[str, str] | None = None

    @property
    def n(self) -> int:
        return len(self.weeks)

    @property
    def t0(self) -> date:
        return self.weeks[0]

    @property
    def t1(self) -> date:
        return self.weeks[-1] + timedelta(days=7)

    def week_of(self, day: date) -> int:
        """The index of the week holding ``day``: -1 before the first, ``n`` after the last."""
        if day < self.t0:
            return -1
        if day >= self.t1:
            return self.n
        return bisect_right(self.weeks, day) - 1

    def week_stage(self, rep: _Rep, i: int) -> tuple[str | None, list[str]]:
        """The stage a rep spent most of week ``i``'s working days in, and every stage of that week."""
        days = [self.weeks[i] + timedelta(days=k) for k in range(5)]
        stages = [rep.stage_at(d) for d in days]
        seen = list(dict.fromkeys(s for s in stages if s))
        if not seen:
            return None, []
        counts = Counter(s for s in stages if s)
        best = max(counts.values())
        return next(s for s in reversed(stages) if s and counts[s] == best), seen

    def week_away(self, rep: _Rep, i: int) -> int:
        """How many of week ``i``'s working days the rep was away."""
        return sum(rep.away_on(self.weeks[i] + timedelta(days=k)) for k in range(5))


def _weeks(data: Mapping[str, Any]) -> list[date]:
    weeks = sorted({d for d in (_date(w) for w in data.get("weeks") or []) if d})
    if weeks:
        return weeks
    start, end = _date(data.get("start")), _date(data.get("end"))
    if not start or not end or end < start:
        return []
    monday = start - timedelta(days=start.weekday())
    return [monday + timedelta(weeks=k) for k in range((end - monday).days // 7 + 1)]


def _away(value: Any) -> list[tuple[date, date]]:
    out = []
    for item in value if isinstance(value, list | tuple) else []:
        if isinstance(item, Mapping):
            a, b = _date(item.get("from", item.get("start"))), _date(item.get("to", item.get("end")))
        elif isinstance(item, list | tuple) and len(item) == 2:
            a, b = _date(item[0]), _date(item[1])
        else:
            continue
        if a and b:
            out.append((min(a, b), max(a, b)))
    return sorted(out)


def _dm_weeks(value: Any, n: int) -> list[_Week]:
    weeks = []
    for item in (value if isinstance(value, list | tuple) else [])[:n]:
        raw = item if isinstance(item, Mapping) else {}
        items = raw.get("items") if isinstance(raw.get("items"), Mapping) else {}
        weeks.append(
            _Week(
                _number(raw.get("messages")),
                {str(k): float(v) for k, v in items.items() if _number(v) is not None and v},
            )
        )
    return weeks + [_Week(None, {})] * (n - len(weeks))


def _local_day(local: str, anchor: date | None) -> date | None:
    """The date of a ``Mon 05 Oct 09:00`` stamp, its year taken nearest to ``anchor``."""
    m = re.match(r"\s*[A-Za-z]{3},?\s+(\d{1,2})\s+([A-Za-z]{3})\b", local)
    if not m or not anchor or m.group(2).title() not in MONTHS:
        return None
    month, day = MONTHS.index(m.group(2).title()) + 1, int(m.group(1))
    candidates = []
    for year in (anchor.year - 1, anchor.year, anchor.year + 1):
        try:
            candidates.append(date(year, month, day))
        except ValueError:
            continue
    return min(candidates, key=lambda d: abs((d - anchor).days)) if candidates else None


def _model(data: Mapping[str, Any]) -> _Model:
    weeks = _weeks(data)
    n = len(weeks)
    start = _date(data.get("start")) or (weeks[0] if weeks else None)
    end = _date(data.get("end")) or (weeks[-1] + timedelta(days=6) if weeks else None)

    def per_rep(key: str) -> Mapping[str, Any]:
        value = data.get(key)
        return value if isinstance(value, Mapping) else {}

    stages, checkins, attainment = per_rep("stages"), per_rep("checkins"), per_rep("attainment")
    pace, away, messages = per_rep("quota_pace"), per_rep("away"), per_rep("messages")
    dms = per_rep("dms")

    reps: list[_Rep] = []
    for index, raw in enumerate(data.get("reps") or []):
        if not isinstance(raw, Mapping):
            continue
        rep_id = str(raw.get("id", f"rep{index}"))
        timeline = []
        for item in stages.get(rep_id) or []:
            at = _date(item.get("from")) if isinstance(item, Mapping) else None
            if at and item.get("stage"):
                timeline.append((at, str(item["stage"]), str(item.get("reason") or "")))
        timeline.sort(key=lambda t: t[0])
        changes, previous = [], None
        for at, stage, reason in timeline:
            changes.append(_Change(0, at, stage, previous, reason))
            previous = stage
        rep_pace = pace.get(rep_id)
        counts = messages.get(rep_id) if isinstance(messages.get(rep_id), Mapping) else {}
        reps.append(
            _Rep(
                index=len(reps),
                id=rep_id,
                name=str(raw.get("name") or rep_id),
                persona=str(raw.get("persona") or ""),
                tz=str(raw.get("tz") or ""),
                quota=bool(raw.get("quota")),
                changes=changes,
                checkins=_fit(checkins.get(rep_id), n),
                attainment=_fit(attainment.get(rep_id), n),
                pace=_fit(rep_pace, n) if isinstance(rep_pace, list | tuple) else None,
                away=_away(away.get(rep_id)),
                messages={str(k): v for k, v in counts.items() if _number(v) is not None},
                joined=_date(raw.get("joined")),
                dms=_dm_weeks(dms.get(rep_id), n),
            )
        )
    managers = [
        _Person(
            id=str(raw.get("id", f"manager{k}")),
            name=str(raw.get("name") or raw.get("id") or "manager"),
            tz=str(raw.get("tz") or ""),
            dms=_dm_weeks(dms.get(str(raw.get("id"))), n),
        )
        for k, raw in enumerate(data.get("managers") or [])
        if isinstance(raw, Mapping)
    ]
    names = {**{m.id: m.name for m in managers}, **{r.id: r.name for r in reps}}

    # Number every stage change in time order across the team, so a marker and its line in the list match.
    ordered = sorted(
        ((rep, k, c) for rep in reps for k, c in enumerate(rep.changes)),
        key=lambda t: (t[2].at, t[0].index, t[1]),
    )
    numbered: list[tuple[_Rep, _Change]] = []
    for number, (rep, k, change) in enumerate(ordered, start=1):
        rep.changes[k] = _Change(number, change.at, change.stage, change.previous, change.reason)
        numbered.append((rep, rep.changes[k]))

    by_id = {rep.id: rep for rep in reps}
    events = []
    for raw in data.get("events") or []:
        if isinstance(raw, Mapping):
            rep_id = "" if raw.get("rep") is None else str(raw.get("rep"))
            events.append(_Event(_date(raw.get("at")), by_id.get(rep_id), rep_id, str(raw.get("text") or "")))
    events.sort(key=lambda e: e.at or date.max)

    manager_raw = data.get("manager") if isinstance(data.get("manager"), Mapping) else {}
    manager = {str(k): v for k, v in manager_raw.items() if _number(v) is not None}

    transcript = []
    for raw in data.get("transcript") or []:
        if not isinstance(raw, Mapping):
            continue
        at = _datetime(raw.get("at"))
        local = str(raw.get("local") or "")
        day = (
            _date(raw.get("date"))
            or _local_day(local, at.date() if at else start)
            or (at.date() if at else None)
        )
        kind = str(raw.get("kind") or "")
        items = raw.get("items")
        off = raw.get("off_hours")
        transcript.append(
            _Line(
                at=str(raw.get("at") or ""),
                local=local or (at.strftime("%Y-%m-%d %H:%M") if at else ""),
                to=str(raw.get("to") or ""),
                channel=str(raw.get("channel") or ""),
                kind=kind,
                text=plain_text(str(raw.get("text") or ""), names, escaped=False),
                day=day,
                items=[str(k) for k in items] if isinstance(items, list | tuple) and items else [kind],
                off_hours=off if isinstance(off, bool) else None,
                context=plain_text(str(raw.get("context") or ""), names, escaped=False),
            )
        )
    hours = data.get("hours")
    if not (isinstance(hours, list | tuple) and len(hours) == 2):
        hours = None

    return _Model(
        title=str(data.get("title") or _("Sales Check-ins — demo")),
        team=str(data.get("team") or ""),
        start=start,
        end=end,
        seed=data.get("seed"),
        weeks=weeks,
        reps=reps,
        events=events,
        manager=manager,
        transcript=transcript,
        changes=numbered,
        managers=managers,
        hours=(str(hours[0]), str(hours[1])) if hours else None,
    )


# --------------------------------------------------------------------------- SVG pieces


def _svg_open(uid: str, cls: str, width: float, height: float, title: str, desc: str, style: str = "") -> str:
    styled = f' style="{style}"' if style else ""
    return (
        f'<svg class="chart {cls}"{styled} viewBox="0 0 {_f(width)} {_f(height)}" role="img" '
        f'aria-labelledby="{uid}-t {uid}-d" xmlns="http://www.w3.org/2000/svg">'
        f'<title id="{uid}-t">{_e(title)}</title><desc id="{uid}-d">{_e(desc)}</desc>'
        f'<defs><pattern id="{uid}-h" width="6" height="6" patternUnits="userSpaceOnUse" '
        f'patternTransform="rotate(45)"><rect width="6" height="6" fill="#ffffff" fill-opacity="0.55"/>'
        f'<line x1="0" y1="0" x2="0" y2="6" stroke="#4a4f57" stroke-width="2.2"/></pattern></defs>'
    )


def _away_title(a: date, b: date) -> str:
    return _("Away {span}: paused — no check-ins, those days don't count against goals", span=_span(a, b))


# Small multiples share one frame: a column per week, the same size and scale for every rep. The right
# margin holds the threshold labels, where no line or bar can cover them.
SM_W, SM_H, SM_L, SM_R, SM_T, SM_B = 300, 158, 40, 34, 18, 24
RATIO_CAP = 4.0  # above 400 % the axis stops growing; a point beyond it is marked and labelled


def _nice_scale(peak: float, floor: float) -> tuple[float, float]:
    """The top of an axis from 0 and its tick step: a 1-2-5 step giving 4 to 6 ticks, reaching
    ``max(peak, floor)``."""
    top = max(peak, floor, 1e-9)
    for exponent in range(-3, 10):
        for mantissa in (1, 2, 5):
            step = mantissa * 10.0**exponent
            count = math.ceil(top / step - 1e-9) + 1
            if count <= 6:
                return round((count - 1) * step, 9), round(step, 9)
    return top, top  # pragma: no cover - beyond 5e9


def _ticks(ymax: float, step: float, label: Any) -> list[tuple[float, str]]:
    return [(round(k * step, 9), label(round(k * step, 9))) for k in range(round(ymax / step) + 1)]


HALO = 'paint-order="stroke" stroke="#ffffff" stroke-width="3" stroke-linejoin="round"'


class _Frame:
    def __init__(self, model: _Model, ymax: float, step: float | None = None) -> None:
        self.model, self.ymax, self.step = model, ymax, step or ymax
        self.pw, self.ph = SM_W - SM_L - SM_R, SM_H - SM_T - SM_B
        self.col = self.pw / max(model.n, 1)

    def xc(self, i: int) -> float:
        return SM_L + (i + 0.5) * self.col

    def xday(self, day: date) -> float:
        days = (min(max(day, self.model.t0), self.model.t1) - self.model.t0).days
        return SM_L + days / (7 * self.model.n) * self.pw

    def y(self, v: float) -> float:
        return SM_T + self.ph - min(max(v, 0.0), self.ymax) / self.ymax * self.ph

    def away(self, uid: str, rep: _Rep) -> str:
        out = []
        for a, b in rep.away:
            x0, x1 = self.xday(a), self.xday(b + timedelta(days=1))
            if x1 > x0:
                out.append(
                    f'<rect class="away" x="{_f(x0)}" y="{SM_T}" width="{_f(x1 - x0)}" height="{_f(self.ph)}" '
                    f'fill="url(#{uid}-h)" opacity="0.6"><title>{_e(_away_title(a, b))}</title></rect>'
                )
        return "".join(out)

    def axes(self, ticks: Sequence[tuple[float, str]], strong: Sequence[float] = ()) -> str:
        out = []
        for v, label in ticks:
            y = self.y(v)
            color = "#b8c0cb" if v in strong else GRID
            out.append(
                f'<line x1="{SM_L}" y1="{_f(y)}" x2="{SM_W - SM_R}" y2="{_f(y)}" stroke="{color}" stroke-width="1"/>'
            )
            if label:
                out.append(
                    f'<text class="ytick" x="{SM_L - 4}" y="{_f(y + 3.5)}" text-anchor="end" font-size="10.5" '
                    f'fill="{MUTED}">{_e(label)}</text>'
                )
        step = max(1, math.ceil(self.model.n / 12))
        for i in range(0, self.model.n, step):
            out.append(
                f'<text x="{_f(self.xc(i))}" y="{SM_H - 7}" text-anchor="middle" font-size="10.5" fill="{MUTED}">{_e(week_short(i))}</text>'
            )
        base = self.y(0)
        out.append(f'<line x1="{SM_L}" y1="{_f(base)}" x2="{SM_W - SM_R}" y2="{_f(base)}" stroke="#8c96a3"/>')
        return "".join(out)

    def threshold(self, v: float, meaning: str, color: str, *, place: str = "mid", cls: str = "") -> str:
        """A dashed line across the plot, its figure in the right margin beside it, where no line or bar
        reaches: level with the line, or just ``above`` or ``below`` it when two thresholds sit close."""
        y = self.y(v)
        ty = {"above": y - 1.5, "below": y + 9.5}.get(place, y + 3.5)
        return (
            f'<g class="threshold {cls}" data-threshold="{round(v * 100)}"><title>{_e(meaning)}</title>'
            f'<line x1="{SM_L}" y1="{_f(y)}" x2="{SM_W - SM_R}" y2="{_f(y)}" stroke="{color}" '
            f'stroke-width="1.3" stroke-dasharray="5 3"/>'
            f'<text x="{SM_W - SM_R + 4}" y="{_f(ty)}" font-size="10.5" font-weight="600" '
            f'fill="{color}">{_pct(v)}</text></g>'
        )


def _threshold_key(lines: Sequence[tuple[str, str]], frame: _Frame, values: Iterable[float | None]) -> str:
    """What the dashed lines mean (their figures sit in each chart's right margin), and a word on any
    figure beyond the scale."""
    items = [
        f'<li><span class="dash" style="border-color:{color}"></span>{_e(text)}</li>' for text, color in lines
    ]
    beyond = [v for v in values if v is not None and v > frame.ymax]
    if beyond:
        items.append(
            '<li><span class="tri">▲</span>'
            + _e(
                _(
                    "beyond the {scale} scale, labelled with its figure (highest {highest})",
                    scale=_pct(frame.ymax),
                    highest=_pct(max(beyond)),
                )
            )
            + "</li>"
        )
    return f'<ul class="legend" aria-label="{_w("Lines")}">{"".join(items)}</ul>'


def _week_label(model: _Model, i: int) -> str:
    return _("W{n} (week of {day})", n=i + 1, day=_day(model.weeks[i]))


# --------------------------------------------------------------------------- sections


def _legend(model: _Model, *, markers: bool) -> str:
    extra = sorted({c.stage for r in model.reps for c in r.changes} - set(STAGES))
    items = []
    for stage in (*STAGES, *extra):
        fill, _ink = _stage_colors(stage)
        meaning = _(STAGE_MEANING[stage]) if stage in STAGE_MEANING else ""
        items.append(
            f'<li><span class="swatch" style="background:{fill}"></span><b>{_e(stage_name(stage))}</b>'
            + (f' <span class="muted">— {_e(meaning)}</span>' if meaning else "")
            + "</li>"
        )
    items.append(
        f'<li><span class="swatch hatch"></span><b>{_w("away")}</b> '
        f'<span class="muted">— {_w("paused")}</span></li>'
    )
    if markers:
        items.append(
            f'<li><span class="dot">3</span><b>{_w("stage change")}</b> '
            f'<span class="muted">— {_w("numbered as in the list below")}</span></li>'
            f'<li><span class="tri">▲</span><b>{_w("key moment")}</b></li>'
        )
    return f'<ul class="legend" aria-label="{_w("Legend")}">{"".join(items)}</ul>'


def _dm_total(people: Iterable[_Rep | _Person]) -> float | None:
    """How many DMs these people received in all; None when the data doesn't say."""
    counts = [w.messages for p in people for w in p.dms if w.messages is not None]
    return sum(counts) if counts else None


def _header(model: _Model, more: Sequence[tuple[str, str]] = ()) -> str:
    total_checkins = sum(v or 0 for r in model.reps for v in r.checkins)
    rep_dms, manager_dms = _dm_total(model.reps), _dm_total(model.managers)
    if rep_dms is not None and manager_dms is not None:
        totals = _(
            "In all, the reps got {dms} DMs carrying {checkins} check-ins, and the managers {manager_dms} DMs.",
            dms=_count(rep_dms),
            checkins=_count(total_checkins),
            manager_dms=_count(manager_dms),
        )
    elif rep_dms is not None:
        totals = _(
            "In all, the reps got {dms} DMs carrying {checkins} check-ins.",
            dms=_count(rep_dms),
            checkins=_count(total_checkins),
        )
    else:
        totals = _(
            "In all, the reps got {checkins} check-in DMs and the managers {manager_dms} DMs.",
            checkins=_count(total_checkins),
            manager_dms=_count(sum(model.manager.values())),
        )
    dates = _span(model.start, model.end) if model.start and model.end else ""
    facts = [
        (_("Team"), model.team),
        (_("Dates"), dates),
        (_("Weeks"), str(model.n)),
        (_("Reps"), str(len(model.reps))),
    ]
    facts.append((_("Seed"), "" if model.seed is None else str(model.seed)))
    meta = "".join(f"<div><dt>{_e(k)}</dt><dd>{_e(v) or '—'}</dd></div>" for k, v in facts)
    lede = _(
        "A simulated run of the bot with {reps} reps over {weeks} weeks — no Slack involved. "
        "The bot checks in each working day on new and struggling reps and steps back to weekly, then "
        "monthly, as a rep keeps hitting their goals; when a rep slips, it steps in again at once and tells "
        "their manager. Read the stage timeline first, then the check-in bars under it: they shrink as a rep "
        "earns trust and jump back in support. {totals}",
        reps=len(model.reps),
        weeks=model.n,
        totals=totals,
    )

    rows = []
    for rep in model.reps:
        path = [c.stage for c in rep.changes]
        path = [s for k, s in enumerate(path) if k == 0 or s != path[k - 1]]
        arrows = ' <span class="muted">→</span> '.join(_pill(s) for s in path) or "—"
        first = next((v for v in rep.checkins if v is not None), None)
        last = next((v for v in reversed(rep.checkins) if v is not None), None)
        rows.append(
            f'<tr><th scope="row">{_e(rep.name)}</th><td>{_e(rep.persona) or "—"}</td>'
            f"<td>{_e(rep.tz) or '—'}</td><td>{_e(_day(rep.joined)) if rep.joined else '—'}</td>"
            f"<td>{_w('yes') if rep.quota else _w('no')}</td><td>{arrows}</td>"
            f'<td class="num">{_count(first)} → {_count(last)}</td>'
            f'<td class="num">{_count(sum(v or 0 for v in rep.checkins))}</td></tr>'
        )
    table = (
        f'<div class="scroll"><table class="reps"><caption>{_w("The reps at a glance")}</caption><thead><tr>'
        f'<th scope="col">{_w("Rep")}</th><th scope="col">{_w("Persona")}</th>'
        f'<th scope="col">{_w("Timezone")}</th><th scope="col">{_w("Joined")}</th>'
        f'<th scope="col">{_w("Quota")}</th><th scope="col">{_w("Stages, in order")}</th>'
        f'<th scope="col" class="num">{_w("Check-ins/week, first → last")}</th>'
        f'<th scope="col" class="num">{_w("Check-ins")}</th>'
        f"</tr></thead><tbody>{''.join(rows)}</tbody></table></div>"
    )
    nav = [
        ("stages", _(HEADINGS["stages"])),
        ("checkins", _(HEADINGS["checkins"])),
        ("activity", _(HEADINGS["activity"])),
        ("quota", _(HEADINGS["quota"])),
        *more,
        ("counters", _(HEADINGS["counters"])),
        ("moments", _(HEADINGS["moments"])),
        ("transcript", _(HEADINGS["transcript"])),
    ]
    links = "".join(f'<li><a href="#{k}">{_e(v)}</a></li>' for k, v in nav)
    return (
        f'<header class="top"><p class="kicker">{_w("Sales Check-ins · demo report")}</p>'
        f"<h1>{_e(model.title)}</h1>"
        f'<dl class="meta">{meta}</dl><p class="lede"><strong>{_w("What you’re looking at.")}</strong> '
        f"{_e(lede)}</p>"
        f'{table}<nav aria-label="{_w("Sections")}"><ol>{links}</ol></nav></header>'
    )


# The timeline is drawn narrow — names above their band, not beside it — so that at a phone's width
# (375 px) it still fits, its smallest text no smaller than about 7 px. Up to 8 weeks it scales to the
# page; longer runs keep ~59 units a week and scroll sideways on a small screen.
TL_PAD, TL_TOP, TL_ROW, TL_NAME, TL_BAND, TL_WEEK, TL_MIN = 10, 40, 60, 17, 20, 57.5, 480


def _stages_section(model: _Model) -> str:
    if not model.n or not model.reps:
        return _empty_section("stages", _(HEADINGS["stages"]), _("No weeks or reps to show."))
    uid = "tl"
    plot = max(TL_MIN - 2 * TL_PAD, TL_WEEK * model.n)
    width = plot + 2 * TL_PAD
    height = TL_TOP + TL_ROW * len(model.reps)
    span_days = (model.t1 - model.t0).days
    day_w = plot / span_days

    def x(day: date) -> float:
        days = (min(max(day, model.t0), model.t1) - model.t0).days
        return TL_PAD + days * day_w

    desc_parts = []
    for rep in model.reps:
        steps = ", ".join(
            _("{stage} from {day}", stage=stage_name(c.stage), day=_day(c.at)) for c in rep.changes
        ) or _("no stage recorded")
        aways = "; ".join(_("away {span}", span=_span(a, b)) for a, b in rep.away)
        desc_parts.append(f"{rep.name}: {steps}" + (f"; {aways}" if aways else ""))
    title = _("Stage over time, one row per rep")
    # Too many weeks to squeeze into a phone's width: keep it legible and let it scroll sideways.
    style = f"min-width:{round(width * 0.73)}px;max-width:none" if width > TL_MIN else ""
    out = [_svg_open(uid, "timeline", width, height, title, ". ".join(desc_parts) + ".", style)]

    # The week axis: a column per week, labelled with its number and its Monday (every k-th when narrow).
    every = max(1, math.ceil(34 / (plot / model.n)))
    out.append('<g class="axis">')
    for i, week in enumerate(model.weeks):
        x0, x1 = x(week), x(week + timedelta(days=7))
        out.append(f'<line x1="{_f(x0)}" y1="{TL_TOP - 6}" x2="{_f(x0)}" y2="{_f(height)}" stroke="{GRID}"/>')
        if i % every == 0:
            out.append(
                f'<text x="{_f((x0 + x1) / 2)}" y="15" text-anchor="middle" font-size="12" font-weight="600" '
                f'fill="{INK}">{_e(week_short(i))}</text>'
                f'<text x="{_f((x0 + x1) / 2)}" y="29" text-anchor="middle" font-size="10.5" fill="{MUTED}">{_day(week)}</text>'
            )
    out.append(
        f'<line x1="{_f(x(model.t1))}" y1="{TL_TOP - 6}" x2="{_f(x(model.t1))}" y2="{_f(height)}" stroke="{GRID}"/></g>'
    )

    events_by_rep: dict[str, list[_Event]] = {}
    for event in model.events:
        if event.rep and event.at:
            events_by_rep.setdefault(event.rep.id, []).append(event)

    for rep in model.reps:
        top = TL_TOP + rep.index * TL_ROW
        band_y = top + TL_NAME
        mid = band_y + TL_BAND / 2
        out.append(f'<g class="rep-row" data-rep="{rep.index}">')
        persona = (
            f'<tspan dx="5" font-size="11" font-weight="400" fill="{MUTED}">· {_e(_clip(rep.persona, 44))}</tspan>'
            if rep.persona
            else ""
        )
        out.append(
            f'<text x="{TL_PAD}" y="{top + 12}" font-size="13" font-weight="600" fill="{INK}">'
            f"<title>{_e(rep.name + (' — ' + rep.persona if rep.persona else ''))}</title>"
            f"{_e(_clip(rep.name, 24))}{persona}</text>"
        )
        out.append(
            f'<rect x="{TL_PAD}" y="{band_y}" width="{_f(plot)}" height="{TL_BAND}" fill="#f3f5f8" rx="3"/>'
        )
        for k, change in enumerate(rep.changes):
            until = rep.changes[k + 1].at if k + 1 < len(rep.changes) else model.t1
            x0, x1 = x(change.at), x(until)
            if x1 - x0 < 0.5:
                continue
            fill, ink = _stage_colors(change.stage)
            last = until >= model.t1
            if last:
                label = _(
                    "{name}: {stage} from {day}",
                    name=rep.name,
                    stage=stage_name(change.stage),
                    day=_day(change.at),
                )
            else:
                label = _(
                    "{name}: {stage} from {day} to {until}",
                    name=rep.name,
                    stage=stage_name(change.stage),
                    day=_day(change.at),
                    until=_day(until),
                )
            out.append(
                f'<rect class="band" data-stage="{_e(change.stage)}" x="{_f(x0)}" y="{band_y}" '
                f'width="{_f(x1 - x0)}" height="{TL_BAND}" fill="{fill}"><title>{_e(label)}</title></rect>'
            )
            shown = stage_name(change.stage)
            if x1 - x0 >= len(shown) * 6.2 + 20:
                out.append(
                    f'<text x="{_f(x0 + 11)}" y="{_f(mid + 3.8)}" font-size="10.5" fill="{ink}" '
                    f'pointer-events="none">{_e(shown)}</text>'
                )
        for a, b in rep.away:
            x0, x1 = x(a), x(b + timedelta(days=1))
            if x1 > x0:
                out.append(
                    f'<rect class="away" x="{_f(x0)}" y="{band_y}" width="{_f(x1 - x0)}" height="{TL_BAND}" '
                    f'fill="url(#{uid}-h)"><title>{_e(rep.name + " — " + _away_title(a, b))}</title></rect>'
                )
        for event in events_by_rep.get(rep.id, []):
            assert event.at is not None
            if not model.t0 <= event.at < model.t1:
                continue
            ex, ey = x(event.at) + 0.5 * day_w, band_y + TL_BAND + 2
            out.append(
                f'<path class="event" d="M{_f(ex)} {_f(ey)} l4.5 8 h-9 z" fill="{INK}">'
                f"<title>{_e(_day(event.at) + ' — ' + event.text)}</title></path>"
            )
        previous_x = -100.0
        low = False
        for change in rep.changes:
            cx = x(change.at)
            low = not low if cx - previous_x < 17 else False
            previous_x = cx
            cy = mid + (TL_BAND / 2 + 9 if low else 0)
            what = (
                f"{stage_name(change.previous)} → {stage_name(change.stage)}"
                if change.previous
                else _("starts as {stage}", stage=stage_name(change.stage))
            )
            tip = f"#{change.number} · {_day(change.at)} · {rep.name}: {what} — {change.reason}"
            out.append(
                f'<g class="change"><title>{_e(tip)}</title>'
                f'<circle cx="{_f(cx)}" cy="{_f(cy)}" r="8" fill="#ffffff" stroke="{INK}" stroke-width="1.4"/>'
                f'<text x="{_f(cx)}" y="{_f(cy + 3.5)}" text-anchor="middle" font-size="10" '
                f'font-weight="700" fill="{INK}">{change.number}</text></g>'
            )
        out.append("</g>")
    out.append("</svg>")

    changes = []
    for rep, change in model.changes:
        what = (
            f'{_pill(change.previous)} <span class="muted">→</span> {_pill(change.stage)}'
            if change.previous
            else _e(_("starts as {stage}", stage="\x00")).replace("\x00", _pill(change.stage))
        )
        reason = _e(change.reason) or f'<span class="muted">{_w("no reason given")}</span>'
        changes.append(
            f'<li value="{change.number}"><span class="when">{_day(change.at)}</span> '
            f"<b>{_e(rep.name)}</b> {what} — {reason}</li>"
        )
    change_list = (
        f'<h3>{_w("Stage changes and why")}</h3><ol class="changes">{"".join(changes)}</ol>'
        if changes
        else f'<p class="muted">{_w("No stage changes recorded.")}</p>'
    )

    head = "".join(
        f'<th scope="col">{_e(week_short(i))}<br><span class="muted">{_day(w)}</span></th>'
        for i, w in enumerate(model.weeks)
    )
    rows = []
    for rep in model.reps:
        cells = []
        for i in range(model.n):
            stage, seen = model.week_stage(rep, i)
            text = " → ".join(map(stage_name, seen)) if len(seen) > 1 else (stage_name(stage) or "—")
            away = model.week_away(rep, i)
            away_text = " · " + _("away {n}d", n=away) if away else ""
            cells.append(f"<td>{_e(text)}{_e(away_text)}</td>")
        rows.append(f'<tr><th scope="row">{_e(rep.name)}</th>{"".join(cells)}</tr>')
    table = _details_table(
        _("Stage over time as a table"),
        _("Stage each week (most of its working days; both when it changed); days away"),
        f'<th scope="col">{_w("Rep")}</th>{head}',
        rows,
    )
    intro = _(
        "Each band is the stage the bot had the rep in, which sets how often it checks in. Trust is earned "
        "left to right — {onboarding}, {steady}, {autonomous} — and red means the bot stepped in. Hover a "
        "numbered marker for the reason.",
        onboarding=stage_name("onboarding"),
        steady=stage_name("steady"),
        autonomous=stage_name("autonomous"),
    )
    return _section(
        "stages",
        _(HEADINGS["stages"]),
        f'<p class="intro">{_e(intro)}</p>{_legend(model, markers=True)}'
        f'<div class="scroll">{"".join(out)}</div>{change_list}{table}',
    )


def _checkins_section(model: _Model) -> str:
    if not model.n or not model.reps:
        return _empty_section("checkins", _(HEADINGS["checkins"]), _("No weeks or reps to show."))
    peak = max([v for r in model.reps for v in r.checkins if v is not None] or [0])
    ymax, step = _nice_scale(peak, 5.0)  # at least a week of daily check-ins, for every rep alike
    frame = _Frame(model, ymax, step)
    ticks = _ticks(ymax, step, _count)
    bar_w = frame.col * 0.66

    cards = []
    for rep in model.reps:
        uid = f"ci{rep.index}"
        values = ", ".join(_count(v) for v in rep.checkins)
        desc = _(
            "Check-ins {name} received each week, {first} to {last}: {values}.",
            name=rep.name,
            first=week_short(0),
            last=week_short(model.n - 1),
            values=values,
        )
        title = _("Check-ins per week — {name}", name=rep.name)
        parts = [_svg_open(uid, "bars", SM_W, SM_H, title, desc)]
        parts.append(frame.away(uid, rep))
        parts.append(frame.axes(ticks))
        for i, v in enumerate(rep.checkins):
            stage, seen = model.week_stage(rep, i)
            fill, _ink = _stage_colors(stage)
            value = v or 0.0
            y = frame.y(value)
            h = frame.y(0) - y
            x0 = frame.xc(i) - bar_w / 2
            stage_text = " → ".join(map(stage_name, seen)) if seen else _("no stage")
            what = _("no data") if v is None else _kind_count("checkin", v)
            parts.append(
                f'<rect class="bar" data-week="{i + 1}" data-value="{_count(v)}" x="{_f(x0)}" y="{_f(y)}" '
                f'width="{_f(bar_w)}" height="{_f(h)}" fill="{fill}" rx="1.5">'
                f"<title>{_e(f'{_week_label(model, i)}: {what} — {stage_text}')}</title></rect>"
                f'<text x="{_f(frame.xc(i))}" y="{_f(y - 3)}" text-anchor="middle" font-size="11" '
                f'font-weight="600" fill="{INK}" {HALO}>{_count(v) if v is not None else ""}</text>'
            )
        parts.append("</svg>")
        total = sum(v or 0 for v in rep.checkins)
        first = next((v for v in rep.checkins if v is not None), None)
        last = next((v for v in reversed(rep.checkins) if v is not None), None)
        now = rep.stage_at(model.t1 - timedelta(days=1))
        cards.append(
            f'<figure class="card"><figcaption><b>{_e(rep.name)}</b> <span class="muted">{_e(rep.persona)}</span>'
            '<span class="sub">'
            + _e(
                _(
                    "{first} → {last} a week · {total} in all · now {stage}",
                    first=_count(first),
                    last=_count(last),
                    total=_count(total),
                    stage="\x00",
                )
            ).replace("\x00", _pill(now))
            + "</span>"
            f"</figcaption>{''.join(parts)}</figure>"
        )

    head = "".join(f'<th scope="col" class="num">{_e(week_short(i))}</th>' for i in range(model.n))
    rows = [
        f'<tr><th scope="row">{_e(r.name)}</th>'
        + "".join(f'<td class="num">{_count(v)}</td>' for v in r.checkins)
        + f'<td class="num"><b>{_count(sum(v or 0 for v in r.checkins))}</b></td></tr>'
        for r in model.reps
    ]
    table = _details_table(
        _("Check-ins per week as a table"),
        _("Check-ins per rep per week"),
        f'<th scope="col">{_w("Rep")}</th>{head}<th scope="col" class="num">{_w("Total")}</th>',
        rows,
    )
    intro = _(
        "Check-ins each rep received per week (alone or in one DM with other items due that day), on the "
        "same scale for everyone, each bar in the colour of the stage the rep was in that week. The better "
        "a rep does, the shorter the bars; {support} brings them straight back.",
        support=stage_name("support"),
    )
    return _section(
        "checkins",
        _(HEADINGS["checkins"]),
        f'<p class="intro">{_e(intro)}</p>{_legend(model, markers=False)}<div class="grid">{"".join(cards)}</div>{table}',
    )


def _ratio_frame(model: _Model, values: Iterable[float | None]) -> _Frame:
    """One scale for a section's small multiples, tall enough for its highest figure (up to
    ``RATIO_CAP``; a figure beyond that is marked at the top with its value)."""
    peak = max([v for v in values if v is not None] or [0.0])
    return _Frame(model, *_nice_scale(min(peak, RATIO_CAP), 1.2))


def _line_chart(
    model: _Model,
    frame: _Frame,
    uid: str,
    rep: _Rep,
    values: list[float | None],
    title: str,
    desc: str,
    thresholds: str,
    color_of: Any,
    judge: Any,
) -> str:
    parts = [_svg_open(uid, "lines", SM_W, SM_H, title, desc), frame.away(uid, rep)]
    parts.append(frame.axes(_ticks(frame.ymax, frame.step, _pct), strong=(1.0,)))
    parts.append(thresholds)
    path, pen_down = [], False
    for i, v in enumerate(values):
        if v is None:
            pen_down = False
            continue
        path.append(f"{'L' if pen_down else 'M'}{_f(frame.xc(i))} {_f(frame.y(v))}")
        pen_down = True
    if path:
        parts.append(
            f'<path class="series" d="{" ".join(path)}" fill="none" stroke="#4b5868" stroke-width="1.8" '
            f'stroke-linejoin="round"/>'
        )
    for i, v in enumerate(values):
        if v is None:
            continue
        tip = f"<title>{_e(f'{_week_label(model, i)}: {_pct(v)} — {judge(v)}')}</title>"
        x, y = frame.xc(i), frame.y(v)
        if v > frame.ymax:  # beyond the scale: an arrow at the top, and the true figure beside it
            parts.append(
                f'<g class="beyond" data-value="{_pct(v)}">{tip}'
                f'<path d="M{_f(x)} {_f(y - 6)} l5 8 h-10 z" fill="{color_of(v)}"/>'
                f'<text x="{_f(x)}" y="{_f(y - 8)}" text-anchor="middle" font-size="10" font-weight="600" '
                f'fill="{INK}" {HALO}>{_pct(v)}</text></g>'
            )
            continue
        parts.append(
            f'<circle class="point" cx="{_f(x)}" cy="{_f(y)}" r="3.8" fill="{color_of(v)}" '
            f'stroke="{color_of(v)}" stroke-width="1.6">{tip}</circle>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _ratio_rows(model: _Model, reps: Sequence[_Rep], series: Any) -> list[str]:
    rows = []
    for rep in reps:
        cells = []
        for i, v in enumerate(series(rep)):
            if v is not None:
                cells.append(f'<td class="num">{_pct(v)}</td>')
            else:
                cells.append(f'<td class="num muted">{_w("away") if model.week_away(rep, i) else "—"}</td>')
        rows.append(f'<tr><th scope="row">{_e(rep.name)}</th>{"".join(cells)}</tr>')
    return rows


def _activity_section(model: _Model) -> str:
    if not model.n or not model.reps:
        return _empty_section("activity", _(HEADINGS["activity"]), _("No weeks or reps to show."))
    frame = _ratio_frame(model, (v for r in model.reps for v in r.attainment))
    threshold = frame.threshold(ON_TRACK, _("80 % on track"), GOOD, cls="on-track")

    def color(v: float) -> str:
        return GOOD if v >= ON_TRACK else ALERT

    def judge(v: float) -> str:
        return _("on track") if v >= ON_TRACK else _("below 80 %, off track")

    cards = []
    for rep in model.reps:
        values = rep.attainment
        shown = ", ".join(_("not judged") if v is None else _pct(v) for v in values)
        desc = _(
            "Mean attainment of {name}'s activity goals each week, {first} to {last}, against the 80 % "
            "on-track line: {values}.",
            name=rep.name,
            first=week_short(0),
            last=week_short(model.n - 1),
            values=shown,
        )
        judged = [v for v in values if v is not None]
        on = sum(v >= ON_TRACK for v in judged)
        on_track = n_(
            "on track {on} of {n} judged week", "on track {on} of {n} judged weeks", len(judged), on=on
        )
        chart = _line_chart(
            model,
            frame,
            f"ac{rep.index}",
            rep,
            values,
            _("Activity against goals — {name}", name=rep.name),
            desc,
            threshold,
            color,
            judge,
        )
        cards.append(
            f'<figure class="card"><figcaption><b>{_e(rep.name)}</b> <span class="muted">{_e(rep.persona)}</span>'
            f'<span class="sub">{_e(on_track)}</span>'
            f"</figcaption>{chart}</figure>"
        )
    head = "".join(f'<th scope="col" class="num">{_e(week_short(i))}</th>' for i in range(model.n))
    table = _details_table(
        _("Activity against goals as a table"),
        _("Mean attainment of activity goals per week (— not judged)"),
        f'<th scope="col">{_w("Rep")}</th>{head}',
        _ratio_rows(model, model.reps, lambda r: r.attainment),
    )
    intro = _(
        "Mean attainment of each rep's activity goals (calls, presentations, notes…) per week. At or above "
        "the dashed 80 % line a week is on track; a gap is a week that was not judged, such as a week away."
    )
    key = _threshold_key([(_("80 % on track"), GOOD)], frame, (v for r in model.reps for v in r.attainment))
    return _section(
        "activity",
        _(HEADINGS["activity"]),
        f'<p class="intro">{_e(intro)}</p>{key}<div class="grid">{"".join(cards)}</div>{table}',
    )


def _quota_section(model: _Model) -> str:
    reps = [r for r in model.reps if r.pace is not None]
    others = [r for r in model.reps if r.pace is None]
    no_quota = _("No quota: {names}.", names=", ".join(r.name for r in others))
    none_note = f'<p class="muted">{_e(no_quota)}</p>' if others and reps else ""
    if not model.n or not reps:
        return _empty_section("quota", _(HEADINGS["quota"]), _("No rep in this run has a quota."))
    frame = _ratio_frame(model, (v for r in reps for v in (r.pace or [])))
    thresholds = frame.threshold(
        ON_TRACK, _("80 % on pace"), GOOD, place="above", cls="on-track"
    ) + frame.threshold(QUOTA_ALERT, _("70 % alert"), ALERT, place="below", cls="alert")

    def color(v: float) -> str:
        return GOOD if v >= ON_TRACK else SHORT if v >= QUOTA_ALERT else ALERT

    def judge(v: float) -> str:
        if v >= ON_TRACK:
            return _("on pace")
        return _("behind pace") if v >= QUOTA_ALERT else _("below 70 %: quota alert territory")

    cards = []
    for rep in reps:
        values = rep.pace or []
        shown = ", ".join(_("no figure") if v is None else _pct(v) for v in values)
        desc = _(
            "Quota pace of {name} at each week's end, {first} to {last}, against 70 % and 80 % lines: {values}.",
            name=rep.name,
            first=week_short(0),
            last=week_short(model.n - 1),
            values=shown,
        )
        low = sum(v < QUOTA_ALERT for v in values if v is not None)
        chart = _line_chart(
            model,
            frame,
            f"qp{rep.index}",
            rep,
            values,
            _("Quota pace — {name}", name=rep.name),
            desc,
            thresholds,
            color,
            judge,
        )
        sub = n_("{n} week below 70 %", "{n} weeks below 70 %", low) if low else _("never below 70 %")
        cards.append(
            f'<figure class="card"><figcaption><b>{_e(rep.name)}</b> <span class="muted">{_e(rep.persona)}</span>'
            f'<span class="sub">{_e(sub)}</span></figcaption>{chart}</figure>'
        )
    head = "".join(f'<th scope="col" class="num">{_e(week_short(i))}</th>' for i in range(model.n))
    table = _details_table(
        _("Quota pace as a table"),
        _("Quota pace at each week's end"),
        f'<th scope="col">{_w("Rep")}</th>{head}',
        _ratio_rows(model, reps, lambda r: r.pace or []),
    )
    intro = _(
        "Revenue or deals so far against the quota pro-rated to the working days gone, at each week's end. "
        "Below 70 % (with a quarter of the period gone) the manager gets a quota alert and the rep moves to "
        "{support} at once; 80 % counts as on pace.",
        support=stage_name("support"),
    )
    key = _threshold_key(
        [
            (_("80 % on pace"), GOOD),
            (
                _(
                    "70 % alert: the manager is told, the rep moves to {support}",
                    support=stage_name("support"),
                ),
                ALERT,
            ),
        ],
        frame,
        (v for r in reps for v in (r.pace or [])),
    )
    return _section(
        "quota",
        _(HEADINGS["quota"]),
        f'<p class="intro">{_e(intro)}</p>{key}<div class="grid">{"".join(cards)}</div>{none_note}{table}',
    )


def _carried(week: _Week) -> list[str]:
    kinds = _ordered_kinds(tuple(dict.fromkeys((*REP_KINDS, *MANAGER_KINDS))), week.items)
    return [_kind_count(k, week.items[k]) for k in kinds]


def _dms_table(model: _Model) -> str:
    """Per person and week: how many DMs arrived, and the items they carried, by kind."""
    people = [(r.name, "", r.dms) for r in model.reps] + [
        (m.name, _("manager"), m.dms) for m in model.managers
    ]
    if not any(w.messages is not None for _name, _role, dms in people for w in dms):
        return ""
    head = "".join(
        f'<th scope="col" class="num">{_e(week_short(i))}<br><span class="muted">{_day(w)}</span></th>'
        for i, w in enumerate(model.weeks)
    )
    rows = []
    for name, role, dms in people:
        cells = []
        for i, week in enumerate(dms):
            if week.messages is None:
                cells.append('<td class="num muted">—</td>')
                continue
            carried = _carried(week)
            if carried:
                tip = _(
                    "{name}, {week}: {dms} carrying {items}",
                    name=name,
                    week=_week_label(model, i),
                    dms=_kind_count("dm", week.messages),
                    items=", ".join(carried),
                )
            else:
                tip = f"{name}, {_week_label(model, i)}: {_kind_count('dm', week.messages)}"
            cells.append(
                f'<td class="num dms" title="{_e(tip)}"><b>{_count(week.messages)}</b>'
                + (f'<span class="carried">{"<br>".join(_e(c) for c in carried)}</span>' if carried else "")
                + "</td>"
            )
        total = sum(w.messages or 0 for w in dms)
        items = sum(sum(w.items.values()) for w in dms)
        carrying = n_("{n} item", "{n} items", items, n=_count(items))
        who = _e(name) + (f' <span class="muted">{_e(role)}</span>' if role else "")
        rows.append(
            f'<tr><th scope="row">{who}</th>{"".join(cells)}<td class="num"><b>{_count(total)}</b>'
            f'<span class="carried">{_e(carrying)}</span></td></tr>'
        )
    return (
        f'<div class="scroll"><table class="counts dms"><caption>'
        f"{_w('DMs per week, per person: how many arrived, and what they carried')}</caption>"
        f'<thead><tr><th scope="col">{_w("Person")}</th>{head}'
        f'<th scope="col" class="num">{_w("Total")}</th></tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table></div>"
    )


def _hours_note(model: _Model) -> str:
    """Whether every DM arrived inside its recipient's working hours, and the ones that didn't."""
    dms = [t for t in model.transcript if t.channel.lower() == "dm" and t.off_hours is not None]
    if not dms:
        return ""
    hours = f"{model.hours[0]}–{model.hours[1]}" if model.hours else _("working hours")
    off = [t for t in dms if t.off_hours]
    if not off:
        said = n_(
            "All {n} DM arrived inside the recipient's {hours}, local time, on a working day.",
            "All {n} DMs arrived inside the recipient's {hours}, local time, on a working day.",
            len(dms),
            hours=hours,
        )
        return f'<p class="hours">{_e(said).replace("&#x27;", chr(39))}</p>'
    items = "".join(
        f"<li>{_e(t.local)} → {_e(t.to)}: {_e(' + '.join(_kind_label(k) for k in t.items))}</li>" for t in off
    )
    said = n_(
        "{off} of {n} DM arrived outside the recipient's {hours}, local time, or on a day off",
        "{off} of {n} DMs arrived outside the recipient's {hours}, local time, or on a day off",
        len(dms),
        off=len(off),
        hours=hours,
    )
    return (
        f'<details class="hours"><summary>{_e(said).replace("&#x27;", chr(39))}</summary>'
        f"<ul>{items}</ul></details>"
    )


def _counters_section(model: _Model) -> str:
    kinds = _ordered_kinds(REP_KINDS, (k for r in model.reps for k in r.messages))
    with_dms = _dm_total(model.reps) is not None
    head = "".join(
        f'<th scope="col" class="num" title="{_e(kind_code(k))}">{_e(_kind_label(k))}</th>' for k in kinds
    )
    rows = []
    for rep in model.reps:
        cells = "".join(f'<td class="num">{_count(rep.messages.get(k, 0))}</td>' for k in kinds)
        total = sum(rep.messages.values())
        dms = f'<td class="num">{_count(_dm_total([rep]))}</td>' if with_dms else ""
        rows.append(
            f'<tr><th scope="row">{_e(rep.name)}</th>{cells}<td class="num"><b>{_count(total)}</b></td>{dms}</tr>'
        )
    totals = "".join(
        f'<td class="num"><b>{_count(sum(r.messages.get(k, 0) for r in model.reps))}</b></td>' for k in kinds
    )
    grand = sum(sum(r.messages.values()) for r in model.reps)
    dms_head = f'<th scope="col" class="num">{_w("DMs")}</th>' if with_dms else ""
    dms_foot = f'<td class="num"><b>{_count(_dm_total(model.reps))}</b></td>' if with_dms else ""
    reps_table = (
        f'<div class="scroll"><table class="counts"><caption>{_w("DMs to each rep, by kind of item")}</caption>'
        f'<thead><tr><th scope="col">{_w("Rep")}</th>{head}<th scope="col" class="num">{_w("Items")}</th>'
        f"{dms_head}</tr></thead>"
        f"<tbody>{''.join(rows)}</tbody>"
        f'<tfoot><tr><th scope="row">{_w("All reps")}</th>{totals}<td class="num"><b>{_count(grand)}</b></td>'
        f"{dms_foot}</tr></tfoot>"
        "</table></div>"
    )
    mkinds = _ordered_kinds(MANAGER_KINDS, model.manager)
    mrows = "".join(
        f'<tr><th scope="row" title="{_e(kind_code(k))}">{_e(_kind_label(k))}</th><td class="num">{_count(model.manager[k])}</td></tr>'
        for k in mkinds
    )
    manager_dms = _dm_total(model.managers)
    mdms = (
        f'<tr><th scope="row">{_w("DMs")}</th><td class="num"><b>{_count(manager_dms)}</b></td></tr>'
        if manager_dms is not None
        else ""
    )
    manager_table = (
        f'<div class="scroll"><table class="counts"><caption>{_w("DMs to the managers, by kind of item")}'
        f'</caption><thead><tr><th scope="col">{_w("Kind")}</th>'
        f'<th scope="col" class="num">{_w("Items")}</th></tr></thead>'
        f"<tbody>{mrows}</tbody>"
        f'<tfoot>{mdms}<tr><th scope="row">{_w("Items")}</th>'
        f'<td class="num"><b>{_count(sum(model.manager.values()))}</b></td></tr></tfoot>'
        "</table></div>"
    )
    intro = _(
        "Every DM the bot sent on its own initiative, per person and week. Items due the same day travel "
        "together in one DM, so a DM can carry several: a check-in with its kudos, a stage change with the "
        "numbers. The channel's standups are not DMs and are not counted here."
    )
    return _section(
        "counters",
        _(HEADINGS["counters"]),
        f'<p class="intro">{_e(intro)}</p>{_dms_table(model)}{_hours_note(model)}'
        f'<div class="pair">{reps_table}{manager_table}</div>',
    )


def _moments_section(model: _Model) -> str:
    if not model.events:
        return _section(
            "moments", _(HEADINGS["moments"]), f'<p class="muted">{_w("No key moments recorded.")}</p>'
        )
    items = []
    for event in model.events:
        when = _day(event.at) if event.at else "—"
        stage = event.rep.stage_at(event.at) if event.rep and event.at else None
        who = event.rep.name if event.rep else event.rep_id
        items.append(
            f'<li><span class="when">{_e(when)}</span> '
            + (f"<b>{_e(who)}</b> " if who else "")
            + (f"{_pill(stage)} " if stage else "")
            + f"<span>{_e(event.text)}</span></li>"
        )
    intro = _("What the bot did when it mattered, with the rep's stage on that day.")
    return _section(
        "moments",
        _(HEADINGS["moments"]),
        f'<p class="intro">{_e(intro).replace("&#x27;", chr(39))}</p>'
        f'<ol class="moments">{"".join(items)}</ol>',
    )


def _transcript_section(model: _Model) -> str:
    if not model.transcript:
        return _section(
            "transcript", _(HEADINGS["transcript"]), f'<p class="muted">{_w("No messages recorded.")}</p>'
        )
    groups: dict[int, list[_Line]] = {}
    for line in model.transcript:
        key = model.n + 1 if line.day is None or not model.n else model.week_of(line.day)
        groups.setdefault(key, []).append(line)

    blocks = []
    for key in sorted(groups):
        lines = groups[key]
        if key == -1:
            label = _("Before {day}", day=_day(model.t0))
        elif key == model.n:
            label = _("From {day}", day=_day(model.t1))
        elif key > model.n:
            label = _("Undated")
        else:
            label = _week_label(model, key)
        kinds = Counter(k or "other" for line in lines for k in line.items)
        by_kind = ", ".join(
            f"{_kind_label(k)} {c}" for k, c in sorted(kinds.items(), key=lambda kc: (-kc[1], kc[0]))
        )
        rows = []
        for line in lines:
            plain = line.channel.lower() in ("", "channel") or line.channel == line.to
            where = line.to if plain else f"{_channel(line.channel)} → {line.to}"
            merged = line.kind == "dm" or len(line.items) > 1
            counts = Counter(line.items)
            carried = " + ".join(f"{kind_code(k)} ×{c}" if c > 1 else kind_code(k) for k, c in counts.items())
            kind = f"{kind_code('dm')}: {carried}" if merged else kind_code(line.kind)
            why = f'<span class="why">{_e(line.context)}</span>' if line.context else ""
            classes = " ".join(dict.fromkeys(f"k-{_slug(k)}" for k in [line.kind, *line.items]))
            classes += " off-hours" if line.off_hours else ""
            flag = (
                f' <span class="flag" title="{_w("outside working hours")}">{_w("off hours")}</span>'
                if line.off_hours
                else ""
            )
            rows.append(
                f'<tr class="{classes}"><td class="t" title="{_e(line.at)}">{_e(line.local)}{flag}</td>'
                f'<td class="to">{_e(where)}</td><td class="kind">{_e(kind)}</td><td class="text">{_e(line.text)}{why}</td></tr>'
            )
        messages = n_("{n} message", "{n} messages", len(lines))
        blocks.append(
            f'<details class="week" open><summary><b>{_e(label)}</b> — '
            f"{_e(messages)}"
            f' <span class="muted">({_e(by_kind)})</span></summary>'
            f'<div class="scroll"><table class="log"><thead><tr><th scope="col">{_w("Local time")}</th>'
            f'<th scope="col">{_w("To")}</th><th scope="col">{_w("Kind")}</th>'
            f'<th scope="col">{_w("Text")}</th></tr></thead>'
            f"<tbody>{''.join(rows)}</tbody></table></div></details>"
        )
    n = len(model.transcript)
    show_all = n_("Show all {n} message", "Show all {n} messages", n)
    intro = _(
        "Every message the bot sent, in the recipient's own local time (the channel's in the team's), with "
        "its zone, grouped by week."
    )
    return _section(
        "transcript",
        _(HEADINGS["transcript"]),
        f'<p class="intro">{_e(intro).replace("&#x27;", chr(39))}</p>'
        f'<details class="transcript"><summary>{_e(show_all)}'
        f"</summary>{''.join(blocks)}</details>",
    )


def _channel(channel: str) -> str:
    """Where a transcript line went: a DM, or the channel."""
    return {"DM": _("DM"), "channel": _("channel")}.get(channel, channel)


def _details_table(summary: str, caption: str, head: str, rows: Sequence[str]) -> str:
    return (
        f'<details class="alt"><summary>{_e(summary)}</summary><div class="scroll"><table class="alt">'
        f"<caption>{_e(caption)}</caption><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody>"
        "</table></div></details>"
    )


def _section(key: str, heading: str, body: str) -> str:
    return (
        f'<section id="{key}" aria-labelledby="{key}-h"><h2 id="{key}-h">{_e(heading)}</h2>{body}</section>'
    )


def _empty_section(key: str, heading: str, note: str) -> str:
    return _section(key, heading, f'<p class="muted">{_e(note)}</p>')


CSS = """
:root{color-scheme:light;--ink:#1d2430;--muted:#5f6b7a;--line:#d9dee5;--panel:#f6f8fb;--warm:#c8452c}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;background:#fff;color:var(--ink);font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
main{max-width:1200px;margin:0 auto;padding:28px 20px 56px}
h1{font-size:1.75rem;line-height:1.2;margin:.1rem 0 .6rem}
h2{font-size:1.3rem;margin:0 0 .4rem;padding-top:.9rem;border-top:2px solid var(--line)}
h3{font-size:1rem;margin:1rem 0 .3rem}
section{margin:2.2rem 0}
.kicker{margin:0;color:var(--muted);font-size:.85rem;letter-spacing:.04em;text-transform:uppercase}
.muted{color:var(--muted)}
.lede{max-width:78ch;font-size:1.02rem}
.intro{max-width:80ch;margin:.2rem 0 .6rem}
dl.meta{display:flex;flex-wrap:wrap;gap:.3rem 1.6rem;margin:0 0 .8rem}
dl.meta div{display:flex;gap:.4rem}
dl.meta dt{color:var(--muted)}
dl.meta dd{margin:0;font-weight:600}
nav ol{display:flex;flex-wrap:wrap;gap:.3rem 1rem;list-style:none;padding:0;margin:1rem 0 0;font-size:.92rem}
nav a{color:#2b5c99}
.legend{display:flex;flex-wrap:wrap;gap:.3rem 1.2rem;list-style:none;padding:0;margin:.4rem 0 .8rem;font-size:.88rem}
.swatch{display:inline-block;width:1.15em;height:.85em;border-radius:2px;vertical-align:-.08em;margin-right:.35em;border:1px solid rgba(0,0,0,.18)}
.swatch.hatch{background:repeating-linear-gradient(45deg,#4a4f57 0 2px,#fff 2px 5px)}
.dot{display:inline-flex;align-items:center;justify-content:center;width:1.25em;height:1.25em;border:1.5px solid var(--ink);border-radius:50%;font-size:.7em;font-weight:700;margin-right:.35em}
.tri{font-size:.75em;margin-right:.35em}
.dash{display:inline-block;width:1.6em;border-top:2px dashed;vertical-align:.3em;margin-right:.4em}
.pill{display:inline-block;padding:0 .55em;border-radius:999px;font-size:.8rem;line-height:1.55;white-space:nowrap;font-weight:600}
.pill.none{background:#eee;color:var(--muted)}
svg.chart{display:block;width:100%;height:auto;overflow:visible}
svg.timeline{max-width:640px}
svg.chart text{font-family:inherit}
.scroll{overflow-x:auto}
.grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(270px,1fr));gap:12px}
figure.card{margin:0;padding:8px 10px 4px;border:1px solid var(--line);border-radius:8px;background:#fff;break-inside:avoid}
figcaption{font-size:.92rem;line-height:1.35}
figcaption .sub{display:block;color:var(--muted);font-size:.82rem;margin-top:.1rem}
table{border-collapse:collapse;font-size:.86rem;margin:.3rem 0}
caption{text-align:left;font-weight:600;padding:.2rem 0 .35rem}
th,td{padding:.28rem .55rem;border-bottom:1px solid var(--line);text-align:left;vertical-align:top}
thead th{border-bottom:2px solid var(--line);font-weight:600}
tfoot th,tfoot td{border-top:2px solid var(--line);border-bottom:0}
.num{text-align:right;font-variant-numeric:tabular-nums}
table.dms td.dms b{display:block}
.carried{display:block;color:var(--muted);font-size:.75rem;line-height:1.3;white-space:nowrap}
.hours{margin:.5rem 0}
.pair{display:flex;flex-wrap:wrap;gap:1rem 2.5rem;align-items:flex-start}
details{margin:.6rem 0}
summary{cursor:pointer;color:#2b5c99}
details.alt table{font-size:.8rem}
ol.changes,ol.moments{margin:.2rem 0;padding-left:2.2rem}
ol.changes li,ol.moments li{margin:.2rem 0}
.when{display:inline-block;min-width:3.6em;color:var(--muted);font-variant-numeric:tabular-nums}
details.transcript>summary{font-weight:600}
details.week{margin:.4rem 0 .8rem .4rem}
details.week>summary{color:var(--ink)}
table.log{font:12px/1.45 ui-monospace,SFMono-Regular,Menlo,Consolas,"Liberation Mono",monospace;width:100%}
table.log td{padding:.12rem .5rem;border-bottom:1px solid #eef1f4}
table.log td.t,table.log td.to,table.log td.kind{white-space:nowrap;color:var(--muted)}
table.log td.text{white-space:pre-wrap;overflow-wrap:anywhere;min-width:24ch}
table.log .why{display:block;color:var(--muted);font-size:.92em}
table.log tr.k-quota-alert td.kind,table.log tr.k-quiet td.kind,table.log tr.k-stage-change td.kind{color:var(--warm);font-weight:700}
table.log tr.k-kudos td.kind{color:#2f7d5b;font-weight:700}
.flag{display:inline-block;margin-left:.4em;padding:0 .35em;border-radius:3px;background:#fbe3dd;color:#8a2a17;font-size:.85em}
:focus-visible{outline:3px solid #2b5c99;outline-offset:2px}
@media (max-width:640px){main{padding:18px 12px 40px}h1{font-size:1.4rem}.grid{grid-template-columns:1fr}}
@media print{
  *{-webkit-print-color-adjust:exact;print-color-adjust:exact}
  body{font-size:10.5pt}
  main{max-width:none;padding:0}
  nav,details.alt{display:none}
  a{color:inherit;text-decoration:none}
  section{break-before:auto}
  h2{break-after:avoid}
  figure.card,tr,li{break-inside:avoid}
  .grid{grid-template-columns:repeat(3,1fr)}
  svg.timeline{min-width:0!important;max-width:none}
}
@page{margin:12mm}
"""


def render_report(data: Mapping[str, Any]) -> str:
    """A complete, self-contained HTML5 document for the demo run described by ``data``."""
    model = _model(data)
    sections = [
        _stages_section(model),
        _checkins_section(model),
        _activity_section(model),
        _quota_section(model),
        starters := demo_self_starter.section(data),
        _counters_section(model),
        _moments_section(model),
        _transcript_section(model),
    ]
    if model.seed is None:
        footer = _("Generated by the demo of Sales Check-ins. Same seed, same report.")
    else:
        footer = _(
            "Generated by the demo of Sales Check-ins · seed {seed}. Same seed, same report.", seed=model.seed
        )
    code = "qps-ploc" if language() == PSEUDO else language()
    return (
        "<!doctype html>\n"
        f'<html lang="{_e(code)}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{_e(model.title)}{' — ' + _e(model.team) if model.team else ''}</title>"
        f"<style>{CSS}</style></head>"
        f"<body><main>{_header(model, [(demo_self_starter.KEY, _(demo_self_starter.HEADING))] if starters else [])}"
        f"{''.join(sections)}"
        f'<footer class="muted"><p>{_e(footer)}</p></footer></main></body></html>\n'
    )
