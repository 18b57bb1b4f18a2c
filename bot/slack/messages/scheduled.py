"""What the clock sends: check-in DMs, manager alerts and kudos, as Block Kit (the channel's posts —
the weekly standup, the team meeting's reminder — are in ``channel``, on the helpers here).

Every builder is pure: the clock stores a JSON payload in the outbox, and the sender turns it into a
message here at delivery time. Praise goes in public, help in private: the standup names only reps
who were on track, and every shortfall is told to the rep or their manager alone.
"""

from __future__ import annotations

import json
from calendar import month_name
from collections.abc import Callable, Iterable, Sequence
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from bot.domain.types import STAGE_CADENCE, Cadence, Metric, MetricKind, Period, Stage, Unit
from bot.services.outcomes import esc  # one escaping rule for all user text
from bot.slack.messages import format as f
from bot.slack.messages import self_starter

Payload = dict[str, Any]
Block = dict[str, Any]

MAX_BLOCKS = 50  # Slack's cap for a message
MAX_SECTION = 2900  # a section's text is capped at 3,000 characters; keep a margin
MAX_TEXT = 3000  # the fallback / notification text
MAX_HEADER = 150  # a header block's plain text
MAX_HELP_QUOTE = 1500  # a rep's "Where I could use help" answer, as quoted to a manager
# Slack refuses a message whose blocks carry more than about 12,000 characters of text in all
# (msg_blocks_too_long; it has refused as little as 11,300, depending on the blocks around the text).
# Builders keep well under it, and past it a message is cut here rather than refused.
BUDGET = 8000  # what a builder plans for: its long lists end in "…and N more" past it
MAX_BLOCKS_TEXT = 10_000  # the last line of defence
MAX_ROW = 150  # one rep's line on the scoreboard: 50 of them, a thread part, stay within BUDGET

_DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_RESULT_KEYS = frozenset({"deals", "revenue"})  # when a payload does not say whether a metric is a result
_PERIOD_ADJ = {"day": "daily", "week": "weekly", "month": "monthly", "quarter": "quarterly"}
_ONE_ON_ONE_EVERY = {
    Stage.ONBOARDING: "every week",
    Stage.SUPPORT: "every week",
    Stage.STEADY: "every 2 weeks",
    Stage.AUTONOMOUS: "every month",
}
_CADENCE_WORDS = {
    Cadence.DAILY: "each working day",
    Cadence.WEEKLY: "once a week",
    Cadence.MONTHLY: "once a month",
}


# --- small helpers: text, numbers, dates -----------------------------------------------------


def clip(text: str, limit: int) -> str:
    """Cut text to ``limit`` characters with an ellipsis, never leaving half an ``&amp;`` behind."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    amp = cut.rfind("&")
    if amp != -1 and ";" not in cut[amp:]:
        cut = cut[:amp]
    return cut.rstrip() + "…"


def quote(text: str, limit: int = MAX_HELP_QUOTE) -> str:
    """User text as an escaped mrkdwn block quote, one ``>`` per line."""
    quoted = "\n".join(f"> {line}" if line.strip() else ">" for line in esc(text.strip()).splitlines())
    return clip(quoted, limit)


def _dec(value: Any) -> Decimal:
    """Decimals travel through the outbox as strings; anything unreadable counts as zero."""
    if value is None:
        return Decimal(0)
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return Decimal(0)


def _metric(data: Payload) -> Metric:
    """The metric a payload line talks about, enough for ``format.amount``."""
    key = str(data.get("metric", ""))
    kind = MetricKind.RESULT if _is_result(data) else MetricKind.ACTIVITY
    unit = Unit.CURRENCY if data.get("unit") == Unit.CURRENCY.value else Unit.COUNT
    return Metric(key, str(data.get("label") or key), kind, unit)


def _is_result(data: Payload) -> bool:
    if "result" in data:
        return bool(data["result"])
    return data.get("metric") in _RESULT_KEYS


def _qty(value: Decimal, m: Metric, *, as_target: bool = False, named: bool = False) -> str:
    """Counts read "25 cold calls"; currency "$4,500", or "$4,500 in revenue" where it stands alone."""
    number = f.target(value, m) if as_target else f.amount(value, m)
    if m.unit is Unit.CURRENCY:
        return f"{number} in {m.label}" if named else number
    return f"{number} {f.noun(m.label, value)}"


def _day(iso: str) -> date:
    return date.fromisoformat(iso)


def _short(d: date) -> str:
    """The day as a person reads it, "Thu 26 Nov", without a leading zero."""
    return f"{d:%a} {d.day} {d:%b}"


def _span(start: date, end: date) -> str:
    """A date range kept short: "23–29 Nov", or "30 Nov – 6 Dec" across months."""
    if start.month == end.month and start.year == end.year:
        return f"{start.day}–{end.day} {end:%b}"
    return f"{start.day} {start:%b} – {end.day} {end:%b}"


def _week_bounds(d: date) -> tuple[date, date]:
    start = d - timedelta(days=d.weekday())
    return start, start + timedelta(days=6)


def _month_end(d: date) -> date:
    nxt = date(d.year + d.month // 12, d.month % 12 + 1, 1)
    return nxt - timedelta(days=1)


def _quarter_end(d: date) -> date:
    last_month = (d.month - 1) // 3 * 3 + 3
    return _month_end(date(d.year, last_month, 1))


def _quarter(d: date) -> str:
    return f"Q{(d.month - 1) // 3 + 1}"


def period_name(period: str, key: str) -> str:
    """A period key from the clock ("2026-11", "2026-Q4", "2026-W48", "2026-11-27") in words."""
    try:
        if period == Period.MONTH.value:
            _year, month = key.split("-")
            return month_name[int(month)]
        if period == Period.QUARTER.value:
            return key.split("-")[1]
        if period == Period.WEEK.value:
            year, week = key.split("-W")
            return f"the week of {_short(date.fromisocalendar(int(year), int(week), 1))}"
        if period == Period.DAY.value:
            return _short(_day(key))
    except (ValueError, IndexError):
        pass
    return key


def quota_name(period: str, key: str) -> str:
    """The period as it reads before "quota": "November", "Q4", "weekly"."""
    return "weekly" if period == Period.WEEK.value else period_name(period, key)


def _pct(actual: Decimal, target: Decimal) -> str:
    return f.percent(float(actual / target)) if target > 0 else "—"


# --- blocks -----------------------------------------------------------------------------------


def section(text: str) -> Block:
    return {"type": "section", "text": {"type": "mrkdwn", "text": clip(text, MAX_SECTION)}}


def context(text: str) -> Block:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": clip(text, MAX_SECTION)}]}


def header(text: str) -> Block:
    return {"type": "header", "text": {"type": "plain_text", "text": clip(text, MAX_HEADER), "emoji": True}}


def button(text: str, action_id: str, value: Payload, *, primary: bool = False) -> Block:
    """A button whose value is a compact JSON string the action listener parses back."""
    b: Block = {
        "type": "button",
        "text": {"type": "plain_text", "text": text, "emoji": True},
        "action_id": action_id,
        "value": json.dumps(value, separators=(",", ":")),
    }
    if primary:
        b["style"] = "primary"
    return b


LINK_ACTION = "open_link"  # a link button: Slack opens the address and tells the app, which only acks


def link_button(text: str, url: str, *, primary: bool = False) -> Block:
    """A button that opens a web address we checked (http/https): a meeting's, a 1:1's video room."""
    b: Block = {
        "type": "button",
        "text": {"type": "plain_text", "text": text, "emoji": True},
        "action_id": LINK_ACTION,
        "url": url,
        "value": "{}",  # nothing for the app to act on
    }
    if primary:
        b["style"] = "primary"
    return b


def text_size(blocks: Iterable[Block]) -> int:
    """The characters of text in blocks, as Slack counts them against msg_blocks_too_long."""

    def size(node: Any) -> int:
        if isinstance(node, dict):
            return sum(len(v) if k == "text" and isinstance(v, str) else size(v) for k, v in node.items())
        if isinstance(node, list):
            return sum(size(v) for v in node)
        return 0

    return size(list(blocks))


def chunked(
    title: str,
    lines: Sequence[str],
    *,
    max_sections: int,
    sep: str = "\n",
    budget: int = BUDGET,
    more: Callable[[int], str] = lambda n: f"…and {n} more",
) -> list[Block]:
    """Lines as as few sections as fit Slack's limits; past ``max_sections`` sections or ``budget``
    characters in all, the rest are counted in one last line, ``more(n)`` ("…and N more").

    A 200-rep team must still get its standup, so long lists are split rather than refused.
    """
    if max_sections < 1:
        return []
    chunks: list[list[str]] = [[]]
    size = total = len(title)
    shown = 0
    for line in lines:
        line = clip(line, MAX_SECTION - 40)
        if total + len(sep) + len(line) > budget - 40:
            break
        if chunks[-1] and size + len(sep) + len(line) > MAX_SECTION - 40:
            if len(chunks) == max_sections:
                break
            chunks.append([])
            size = 0
        size += len(line) + len(sep)
        total += len(line) + len(sep)
        chunks[-1].append(line)
        shown += 1
    hidden = len(lines) - shown
    if hidden:
        chunks[-1] = [*chunks[-1], more(hidden)]
    blocks = []
    for i, chunk in enumerate(chunks):
        text = sep.join(chunk)
        blocks.append(section(f"{title}{text}" if i == 0 else text))
    return blocks


def _message(fallback: str, blocks: list[Block]) -> Payload:
    """The message; builders budget its blocks and their text, and this is the last line of defence:
    past Slack's limits the last sections go (the buttons stay), so that it posts rather than fails."""
    if len(blocks) > MAX_BLOCKS:
        blocks = blocks[:MAX_BLOCKS]
    while text_size(blocks) > MAX_BLOCKS_TEXT and any(b["type"] == "section" for b in blocks[1:]):
        last = max(i for i, b in enumerate(blocks) if b["type"] == "section" and i > 0)
        blocks = blocks[:last] + blocks[last + 1 :]
    return {"text": clip(fallback, MAX_TEXT), "blocks": blocks}


# --- progress lines ---------------------------------------------------------------------------


def line_text(data: Payload, *, show_pace: bool = True) -> str:
    """One goal's progress: "cold calls 17/25", "notes 10/10 ✅", "revenue $12,000/$50,000 · pace 52 %".

    With no target in the window (target 0) the actual stands alone: there is nothing to compare.
    """
    m = _metric(data)
    actual, target = _dec(data.get("actual")), _dec(data.get("target"))
    if target <= 0:
        return f"{m.label} {f.amount(actual, m)}"
    text = f"{m.label} {f.amount(actual, m)}/{f.target(target, m)}"
    if actual >= target:
        return text + " ✅"
    pace = data.get("pace")
    if show_pace and pace is not None:
        text += f" · pace {f.percent(float(pace))}"
    return text


def _met(data: Payload) -> bool:
    target = _dec(data.get("target"))
    return target > 0 and _dec(data.get("actual")) >= target


def _scored(data: Payload) -> bool:
    return _dec(data.get("target")) > 0


def _noise(data: Payload) -> bool:
    """Nothing expected and nothing done: a line that would only say "0"."""
    return not _scored(data) and _dec(data.get("actual")) == 0


def _gap(data: Payload) -> str:
    """The concrete gap, never a vague "behind": "8 cold calls short of 25", "$1,500 short of $5,000 revenue"."""
    m = _metric(data)
    actual, target = _dec(data.get("actual")), _dec(data.get("target"))
    gap = target - actual
    if m.unit is Unit.CURRENCY:
        return f"{f.target(gap, m)} short of {f.target(target, m)} {m.label}"
    return f"{f.target(gap, m)} {f.noun(m.label, gap)} short of {f.target(target, m)}"


def _and(words: Sequence[str]) -> str:
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " and " + words[-1]


def _bullets(lines: Iterable[Payload]) -> str:
    return "\n".join(f"• {line_text(ln)}" for ln in lines)


# --- check-in DM to a rep -----------------------------------------------------------------------


def _looked_at(scope: str, start: date, end: date, today: date) -> str:
    """The window a check-in looks back on: "Yesterday (Thu 26 Nov)", "Friday (20 Nov)", "Last week (23–29 Nov)"."""
    if scope == "day":
        back = (today - start).days
        if back == 1:
            return f"Yesterday ({_short(start)})"
        if 1 < back < 7:
            return f"{_DAY_NAMES[start.weekday()]} ({start.day} {start:%b})"
        return _short(start)
    if scope == "week":
        return f"Last week ({_span(start, end)})"
    return month_name[start.month] if start.month == end.month else _span(start, end)


def _window_label(period: str, anchor: date, today: date) -> str:
    """Where a line that isn't part of the recap belongs: "This week so far", "November", "Q4 so far"."""
    if period == Period.DAY.value:
        return _short(anchor)
    if period == Period.WEEK.value:
        start, end = _week_bounds(anchor)
        name = "This week" if start <= today <= end else f"Week of {_short(start)}"
    elif period == Period.MONTH.value:
        end = _month_end(anchor)
        name = (
            "This month"
            if anchor.month == today.month and anchor.year == today.year
            else month_name[anchor.month]
        )
    else:
        end = _quarter_end(anchor)
        same = _quarter(anchor) == _quarter(today) and anchor.year == today.year
        name = "This quarter" if same else _quarter(anchor)
    return f"{name} so far" if end >= today else name


def _group_checkin_lines(
    scope: str, lines: Sequence[Payload], start: date, end: date, today: date
) -> tuple[list[Payload], list[tuple[str, list[Payload]]]]:
    """Split lines into the recap of the looked-at window and the periods still running.

    The clock measures day goals over the week for a weekly check-in, so there they join the recap;
    for a daily check-in the longer goals are "so far" as of today; for a monthly one, each line
    keeps the window it was measured over.
    """
    recap_periods = {"day": {"day"}, "week": {"day", "week"}, "month": {"month"}}[scope]
    anchor = today if scope == "day" else end
    recap: list[Payload] = []
    others: dict[str, list[Payload]] = {}
    for ln in lines:
        if _noise(ln):
            continue
        period = str(ln.get("period", "day"))
        if period in recap_periods:
            recap.append(ln)
        else:
            others.setdefault(_window_label(period, anchor, today), []).append(ln)
    return recap, list(others.items())


def _subject(scope: str, start: date, today: date) -> tuple[str, str]:
    """How the opener names the looked-at window: ("Yesterday", "yesterday"), ("On Friday", "Friday")."""
    if scope == "day":
        back = (today - start).days
        if back == 1:
            return "Yesterday", "yesterday"
        name = _DAY_NAMES[start.weekday()] if 1 < back < 7 else _short(start)
        return f"On {name}", name
    if scope == "week":
        return "Last week", "last week"
    return f"In {month_name[start.month]}", month_name[start.month]


_FRESH = {
    "day": "Today's a fresh shot at closing that.",
    "week": "A new week is a fresh start.",
    "month": "A new month is a fresh start.",
}


def _checkin_opener(scope: str, start: date, today: date, recap: Sequence[Payload], *, goals: bool) -> str:
    """One friendly line that depends on how it went, with the concrete gap when there is one."""
    when, lower = _subject(scope, start, today)
    scored = [ln for ln in recap if _scored(ln)]
    if not scored:
        if recap:
            logged = _and([_qty(_dec(ln["actual"]), _metric(ln), named=True) for ln in recap])
            return f"{when} you logged {logged}. Thanks for keeping it up to date."
        if goals:
            return "Here's where your goals stand."
        return "No goals set yet — agree them with your manager, and `/goals` will show them here."
    met = [ln for ln in scored if _met(ln)]
    behind = [ln for ln in scored if not _met(ln)]
    if not behind:
        done = _and([_qty(_dec(ln["actual"]), _metric(ln), named=True) for ln in met])
        every = "every goal" if len(met) > 1 else "your goal"
        return f"{when} you hit {every} — {done}. Great work! 🎉"
    if all(_dec(ln.get("actual")) == 0 for ln in recap):
        return f"Nothing logged for {lower}. If you were working, log it below so it counts."
    gaps = _and([_gap(ln) for ln in behind[:2]]) + (" (and more below)" if len(behind) > 2 else "")
    fresh = _FRESH.get(scope, "")
    if met:
        hit = _and([_metric(ln).label for ln in met])
        return f"{when} you hit {hit} ✅ and were {gaps}. {fresh}"
    return f"{when} you were {gaps}. {fresh}"


def _cadence_note(stage: str, cadence: str) -> str:
    """Why the rep gets this DM and how often: the cadence is never a mystery."""
    try:
        c = Cadence(cadence)
    except ValueError:
        return "`/checkin` shows how often I check in, and why."
    how = _CADENCE_WORDS[c]
    try:
        s = Stage(stage)
    except ValueError:
        return f"I check in {how}. `/checkin` to see why."
    who = {
        Stage.ONBOARDING: "You're in onboarding",
        Stage.STEADY: "You're steady",
        Stage.AUTONOMOUS: "You're running on your own",
        Stage.SUPPORT: "You're in support for now",
    }[s]
    if STAGE_CADENCE[s] is not c:  # only a manager's pin makes them differ
        return f"{who}, and your manager asked me to check in {how}. `/checkin` to see why."
    return f"{who}: I check in {how}. `/checkin` to see why."


def _checkin(target: str, p: Payload) -> Payload:
    today = _day(p["day"])
    start, end = _day(p["from"]), _day(p["to"])
    scope = p.get("scope", "day")
    if scope not in ("day", "week", "month"):
        raise ValueError(f"unknown check-in scope {scope!r}")
    when = _looked_at(scope, start, end, today)
    lines = list(p.get("lines") or [])
    recap, rest = _group_checkin_lines(scope, lines, start, end, today)
    opener = _checkin_opener(scope, start, today, recap, goals=bool(recap or rest))
    if p.get("first"):  # the looked-at day was before they joined: nothing to recap yet
        opener = "Welcome to the team! Here are your goals; log what you do and I'll keep score."
        when = "Your daily goals" if scope == "day" else "Your goals"

    blocks: list[Block] = [section(opener)]
    if recap:
        blocks.append(section(f"*{when}*\n{_bullets(recap)}"))
    for label, group in rest[:10]:
        blocks.append(section(f"*{label}*\n{_bullets(group)}"))

    buttons = [
        button(
            "Log activity",
            "log_activity",
            {"team_id": p["team_id"], "metrics": list(p.get("metrics") or [])},
            primary=True,
        )
    ]
    if p.get("share_week"):
        buttons.append(button("Share my week", "share_week", {"team_id": p["team_id"], "week": p["week"]}))
    blocks.append({"type": "actions", "block_id": "checkin_actions", "elements": buttons})
    blocks.append(context(_cadence_note(str(p.get("stage", "")), str(p.get("cadence", "")))))
    plan = p.get("plan") or []
    if plan:
        agreed = ", ".join(f"{x['target']} {f.noun(x['label'], x['target'])} a {x['period']}" for x in plan)
        blocks.append(context(f"Agreed in your 1:1: {esc(agreed)}, until {_short(_day(plan[0]['until']))}."))
    return _message(opener, blocks)


# --- manager DMs: 1:1 prompts, alerts, period ends ----------------------------------------------


def _agenda_blocks(agenda: Payload | None) -> list[Block]:
    """The 1:1 agenda from the numbers: activity each of the last 2 weeks, quota pace, trend, help."""
    if not agenda:
        return []
    parts: list[str] = []
    weeks = []
    for week in agenda.get("weeks") or []:
        start = _day(week["week_start"])
        scored = [ln for ln in week.get("lines") or [] if not _noise(ln)]
        body = " · ".join(_agenda_line(ln, start) for ln in scored) if scored else "no activity goals"
        weeks.append(f"• Week of {_short(start)}: {body}")
    if weeks:
        parts.append("*Activity vs goals*\n" + "\n".join(weeks))
    quota = [ln for ln in agenda.get("quota") or [] if _scored(ln)]
    if quota:
        parts.append("*Quota*\n" + "\n".join(f"• {_quota_pace_line(ln)}" for ln in quota))
    trend = {
        "up": "Activity is up on the week before.",
        "down": "Activity is down on the week before.",
        "flat": "Activity is about level with the week before.",
    }.get(agenda.get("trend") or "")
    if trend:
        parts.append(f"*Trend:* {trend}")
    starter = self_starter.sentence(agenda.get("self_starter"), label="*Self-starter:*")
    if starter:
        parts.append(starter + ".")
    help_text = agenda.get("help")
    if help_text and str(help_text).strip():
        when = agenda.get("help_week")
        label = f" (shared {period_name('week', str(when))})" if when else ""
        parts.append(f"*Where I could use help*{label}\n{quote(str(help_text))}")
    else:
        parts.append("_No “Where I could use help” answer yet — worth asking._")
    return [section(part) for part in parts]


def _agenda_line(ln: Payload, week_start: date) -> str:
    """A week's line; a month or quarter goal says which one, since the row is about a week."""
    text = line_text(ln, show_pace=False)
    period = ln.get("period")
    if period == Period.MONTH.value:
        return f"{text} ({week_start:%b})"
    if period == Period.QUARTER.value:
        return f"{text} ({_quarter(week_start)})"
    return text


def _quota_pace_line(ln: Payload) -> str:
    m = _metric(ln)
    actual, target = _dec(ln.get("actual")), _dec(ln.get("target"))
    period = f.PERIOD_WORD.get(Period(ln.get("period", "month")), "")
    text = f"{m.label} {f.amount(actual, m)} of {f.target(target, m)} {period}"
    pace = ln.get("pace")
    if pace is not None:
        text += f" — pace {f.percent(float(pace))}"
    return text


def _one_on_one(target: str, p: Payload) -> Payload:
    rep = p["rep"]
    head = f"*Time for a 1:1 with <@{rep}>* ({esc(str(p.get('team', '')))})"
    alert = p.get("alert")
    blocks: list[Block] = [section(head + "\nHere's a short agenda from their numbers.")]
    if isinstance(alert, dict) and alert.get("metric"):
        blocks.append(section(_pace_sentence(alert)))
    blocks += _agenda_blocks(p.get("agenda"))
    note = "Prompted by the 1:1 cadence"
    try:
        stage = Stage(p.get("stage"))
        note = f"<@{rep}> is in the {stage.value} stage: I suggest a 1:1 {_ONE_ON_ONE_EVERY[stage]}"
    except ValueError:
        pass
    blocks.append(context(note + ". Only you and the team's other managers get this."))
    blocks += _coaching_buttons(p)
    return _message(f"Time for a 1:1 with <@{rep}>", blocks)


def _numbers(p: Payload) -> tuple[Metric, Decimal, Decimal, Decimal, str]:
    m = _metric(p)
    return (
        m,
        _dec(p.get("actual")),
        _dec(p.get("target")),
        _dec(p.get("expected")),
        period_name(str(p.get("period", "")), str(p.get("period_key", ""))),
    )


def _pace_sentence(p: Payload) -> str:
    """Pace with the numbers behind it, so a manager can judge for themselves.

    "<@rep> is at 52 % of quota pace for November: $12,000 of $23,000 expected by now ($50,000 quota)".
    """
    m, actual, quota, expected, when = _numbers(p)
    who = f"<@{p['rep']}> is"
    pace = p.get("pace")
    have = f.amount(actual, m)
    exp = _qty(expected, m, as_target=True)
    of_quota = f"{f.target(quota, m)} quota" if m.unit is Unit.CURRENCY else f"quota {f.target(quota, m)}"
    if pace is None:
        return f"{who} at {_qty(actual, m)} for {when} ({of_quota})"
    return f"{who} at {f.percent(float(pace))} of quota pace for {when}: {have} of {exp} expected by now ({of_quota})"


def _quota_alert(target: str, p: Payload) -> Payload:
    rep = p["rep"]
    sentence = _pace_sentence(p)
    elapsed, period = p.get("elapsed"), p.get("period")
    if elapsed is not None and period in _PERIOD_ADJ:
        sentence += f", with {f.percent(float(elapsed))} of the {period}'s working days gone"
    sentence += "."
    blocks: list[Block] = [
        section(f":warning: {sentence}"),
        section(
            "A 1:1 now helps most: ask what's getting in the way, and agree a few short-term activity "
            "goals until results recover."
        ),
    ]
    blocks += _agenda_blocks(p.get("agenda"))
    note = f"Private to {esc(str(p.get('team', 'the team')))}'s managers"
    if p.get("stage"):
        note += f" · <@{rep}> is in the {esc(str(p['stage']))} stage"
    blocks.append(context(note + "."))
    blocks += _coaching_buttons(p)
    return _message(_pace_sentence(p), blocks)


def _quiet(target: str, p: Payload) -> Payload:
    rep = p["rep"]
    days = int(p.get("days") or 0)
    last = p.get("last_logged")
    when = _short(_day(last)) if last else "never"
    plural = "day" if days == 1 else "days"
    head = f"<@{rep}> hasn't logged anything for {days} working {plural} (last: {when})."
    stage = str(p.get("stage") or "")
    why = f"They're in the {esc(stage)} stage, when a little contact matters most. " if stage else ""
    body = (
        f"{why}A short, personal message — how's it going, is anything in the way — usually helps more "
        "than a reminder to log."
    )
    blocks = [
        section(head),
        section(body),
        context("If they're off, they can pause everything with `/checkin away until <date>`."),
    ]
    blocks += _coaching_buttons(p)
    return _message(head, blocks)


def _period_end(target: str, p: Payload) -> Payload:
    m, actual, quota, _, _ = _numbers(p)
    when = quota_name(str(p.get("period", "")), str(p.get("period_key", "")))
    rep = p["rep"]
    numbers = f"{_qty(actual, m)} of {_qty(quota, m, as_target=True)} ({_pct(actual, quota)})"
    if p.get("made"):
        head = f"🎉 <@{rep}> made their {when} quota: {numbers}."
        body = "Worth a thank-you — in the channel, if they'd like the spotlight."
    else:
        short = _qty(max(quota - actual, Decimal(0)), m, as_target=True)
        head = f"<@{rep}> missed their {when} quota: {numbers}, {short} short."
        body = "A 1:1 to look at what got in the way, and agree the focus for the next period, will help."
    blocks = [
        section(head),
        section(body),
        context(f"Private to {esc(str(p.get('team', 'the team')))}'s managers."),
    ]
    return _message(head, blocks)


def _back_on_track(target: str, p: Payload) -> Payload:
    m, actual, _, expected, when = _numbers(p)
    pace = p.get("pace")
    pct = f.percent(float(pace)) if pace is not None else None
    numbers = f"{_qty(actual, m)} of {_qty(expected, m, as_target=True)} expected by now"
    if target == p["rep"]:
        yours = quota_name(str(p.get("period", "")), str(p.get("period_key", "")))
        head = f"You're back on pace for your {yours} quota" + (f" — {pct}" if pct else "")
        blocks = [section(f"{head} ({numbers}). Nice recovery — keep it going! 💪")]
        head += "."
    else:
        head = f"<@{p['rep']}> is back on track: " + (f"{pct} of quota pace for {when}" if pct else when)
        head += f" ({numbers})."
        blocks = [section(head), context("Good moment for a word of thanks.")]
    return _message(head, blocks)


def _kudos(target: str, p: Payload) -> Payload:
    m, actual, goal, _, _ = _numbers(p)
    period = str(p.get("period", "week"))
    if _is_result(p):
        when = quota_name(period, str(p.get("period_key", "")))
        head = f"You've hit your {when} quota of {_qty(goal, m, as_target=True)} — {f.amount(actual, m)} so far 🎉"
    else:
        adj = _PERIOD_ADJ.get(period, period)
        head = f"You hit your {adj} goal of {_qty(goal, m, as_target=True)} — {f.amount(actual, m)} so far 🎉"
    blocks = [section(head), context("Thank you for putting in the work. Your progress any time: `/goals`")]
    return _message(head, blocks)


def _coaching_buttons(p: Payload) -> list[Block]:
    """Plan 1:1 (short-term goals with an end date) and Mark 1:1 done, for a manager's message; and
    the team's 1:1 video room, where it has one (``/team video``)."""
    if not p.get("team_id"):
        return []
    value = {"rep": p["rep"], "team_id": p["team_id"]}
    elements = [
        button("Plan 1:1", "plan_one_on_one", value, primary=True),
        button("Mark 1:1 done", "one_on_one_done", value),
    ]
    if p.get("video"):
        elements.append(link_button("Join video", str(p["video"])))
    return [{"type": "actions", "block_id": "coaching", "elements": elements}]


_STAGE_DM = {
    "onboarding": "each working day",
    "steady": "once a week",
    "autonomous": "once a month",
    "support": "each working day",
}


def _stage_change(target: str, p: Payload) -> Payload:
    """A stage move, told to the rep (stepping back is praise; stepping in is help) and to managers."""
    to, before, reason = p["to"], p.get("from") or "", esc(p.get("reason") or "")
    how = _STAGE_DM.get(to, "")
    pinned = p.get("pinned")
    if target == p["rep"]:
        if to == "support":
            text = (
                f"I'm going to check in {how} for a while ({reason}). That's not a mark against you — "
                "it's so you and your manager can get things moving again quickly."
            )
        elif before == "support":
            text = f"You're back on track ({reason}) — I'll step back to checking in {how}. Nice work."
        elif to == "autonomous":
            text = f"You've earned your autonomy: {reason}. I'll only check in {how} from now on. 🙌"
        elif before == "autonomous":
            text = (
                f"I'll check in {how} again for now ({reason}) — a couple of good weeks and I'll step back."
            )
        else:
            text = f"You've found your feet: {reason}. I'll step back to checking in {how}. 🎉"
            told = self_starter.for_rep(p.get("self_starter"))
            text += f" {told}" if told else ""
        if pinned:
            text += f" (Your manager has pinned check-ins to {pinned}, so that's what you'll see.)"
        blocks = [section(text), context("See why, and what would change it, with `/checkin`.")]
        return _message(text, blocks)
    text = f"<@{p['rep']}> moved from {before or 'new'} to *{to}*: {reason}."
    starter = self_starter.sentence(p.get("self_starter"))
    text += f"\n{starter}." if starter else ""
    detail = (
        "Weekly 1:1s until results recover; agree a few short-term activity goals."
        if to == "support"
        else f"The bot now checks in on them {how}."
    )
    buttons = _coaching_buttons(p) if to == "support" else []
    return _message(text, [section(text), context(detail), *buttons])


def _support_plan(target: str, p: Payload) -> Payload:
    """The short-term goals agreed in a 1:1, told to the rep."""
    goals = _and(
        [
            f"{target_} {f.noun(str(label), target_)} a {period}"
            for label, target_, period in (tuple(i) for i in p.get("items", []))
        ]
    )
    until = _short(_day(str(p["until"])))
    text = (
        f"In your 1:1 with <@{p['manager']}> you agreed: {esc(goals)}, until {until}. "
        "I'll track it in your check-ins — and step back as soon as results recover."
    )
    return _message(text, [section(text)])


_RENDERERS: dict[str, Callable[[str, Payload], Payload]] = {
    "stage_change": _stage_change,
    "support_plan": _support_plan,
    "checkin": _checkin,
    "one_on_one": _one_on_one,
    "quota_alert": _quota_alert,
    "quiet": _quiet,
    "period_end": _period_end,
    "back_on_track": _back_on_track,
    "kudos": _kudos,
}
# What goes to a team's channel, built in ``channel`` (which leans on the helpers above).
CHANNEL_KINDS = frozenset({"standup", "standup_board", "meeting"})
KINDS = frozenset(_RENDERERS) | CHANNEL_KINDS


def render(kind: str, target: str, payload: Payload) -> Payload:
    """The message for one outbox row: ``{"text", "blocks"}`` for ``chat.postMessage`` to ``target``."""
    if kind == "dm":  # a person's merged message: its items, each by its own builder
        from bot.slack.messages import digest

        return digest.render(target, payload)
    if kind in CHANNEL_KINDS:
        from bot.slack.messages import channel

        return channel.render(kind, target, payload)
    try:
        builder = _RENDERERS[kind]
    except KeyError:
        raise ValueError(f"no scheduled message of kind {kind!r}") from None
    return builder(target, payload)
