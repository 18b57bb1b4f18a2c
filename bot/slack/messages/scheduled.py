"""What the clock sends: check-in DMs, manager alerts and kudos, as Block Kit (the channel's posts —
the weekly standup, the team meeting's reminder — are in ``channel``, on the helpers here).

Every builder is pure: the clock stores a JSON payload in the outbox, and the sender turns it into a
message here at delivery time. Praise goes in public, help in private: the standup names only reps
who were on track, and every shortfall is told to the rep or their manager alone.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from bot.domain.cadence import reason_text
from bot.domain.types import STAGE_CADENCE, Cadence, Metric, MetricKind, Period, Stage, Unit
from bot.i18n import N_, _, n_, p_, speaking
from bot.i18n import formats as fmt
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

# "On Friday" and the day alone, as the opener of a check-in names it (a weekday's case differs by
# language: "të premten").
_ON_DAY = (
    N_("On Monday"),
    N_("On Tuesday"),
    N_("On Wednesday"),
    N_("On Thursday"),
    N_("On Friday"),
    N_("On Saturday"),
    N_("On Sunday"),
)


def _for_day(index: int) -> str:
    """A weekday as it reads in "Nothing logged for Friday" (Monday is 0)."""
    return (
        p_("for weekday", "Monday"),
        p_("for weekday", "Tuesday"),
        p_("for weekday", "Wednesday"),
        p_("for weekday", "Thursday"),
        p_("for weekday", "Friday"),
        p_("for weekday", "Saturday"),
        p_("for weekday", "Sunday"),
    )[index]


_RESULT_KEYS = frozenset({"deals", "revenue"})  # when a payload does not say whether a metric is a result
_ONE_ON_ONE_EVERY = {
    Stage.ONBOARDING: N_("every week"),
    Stage.SUPPORT: N_("every week"),
    Stage.STEADY: N_("every 2 weeks"),
    Stage.AUTONOMOUS: N_("every month"),
}
_CADENCE_WORDS = {
    Cadence.DAILY: N_("each working day"),
    Cadence.WEEKLY: N_("once a week"),
    Cadence.MONTHLY: N_("once a month"),
}


def stage_word(stage: str) -> str:
    """A stage's name in a sentence ("the onboarding stage"); an unknown one as it came."""
    words = {
        "onboarding": p_("in the stage", "onboarding"),
        "steady": p_("in the stage", "steady"),
        "autonomous": p_("in the stage", "autonomous"),
        "support": p_("in the stage", "support"),
        "new": p_("in the stage", "new"),
    }
    return words.get(stage, stage)


def _period_word(period: str) -> str:
    """ "day", "week"… as it reads in "25 calls a {period}"."""
    words = {
        "day": p_("per period", "day"),
        "week": p_("per period", "week"),
        "month": p_("per period", "month"),
        "quarter": p_("per period", "quarter"),
    }
    return words.get(period, period)


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
        return _("{amount} in {metric}", amount=number, metric=_label(m)) if named else number
    return _("{amount} {metric}", amount=number, metric=f.noun(m.label, value))


def _label(m: Metric) -> str:
    """A metric's name as a heading, as its payload labels it (translated where it is a default one)."""
    return f.noun(m.label, 2, m.unit)


def _day(iso: str) -> date:
    return date.fromisoformat(iso)


def _short(d: date) -> str:
    """The day as a person reads it, "Thu 26 Nov", without a leading zero."""
    return fmt.weekday_day_month(d)


def _mon(d: date) -> str:
    """The month's short name: "Nov"."""
    return fmt.month_abbr(d)


def month_name(d: date) -> str:
    """The month's name on its own: "November"."""
    return fmt.month_name(d)


def _span(start: date, end: date) -> str:
    """A date range kept short: "23–29 Nov", or "30 Nov – 6 Dec" across months."""
    if start.month == end.month and start.year == end.year:
        return _("{start}–{end} {month}", start=start.day, end=end.day, month=_mon(end))
    return _(
        "{start} {start_month} – {end} {end_month}",
        start=start.day,
        start_month=_mon(start),
        end=end.day,
        end_month=_mon(end),
    )


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
    return _("Q{n}", n=(d.month - 1) // 3 + 1)


def period_name(period: str, key: str) -> str:
    """A period key from the clock ("2026-11", "2026-Q4", "2026-W48", "2026-11-27") in words."""
    try:
        if period == Period.MONTH.value:
            year, month = key.split("-")
            return month_name(date(int(year), int(month), 1))
        if period == Period.QUARTER.value:
            return _("Q{n}", n=int(key.split("-")[1].lstrip("Q")))
        if period == Period.WEEK.value:
            year, week = key.split("-W")
            return _("the week of {day}", day=_short(date.fromisocalendar(int(year), int(week), 1)))
        if period == Period.DAY.value:
            return _short(_day(key))
    except (ValueError, IndexError):
        pass
    return key


def quota_name(period: str, key: str) -> str:
    """The period as it reads before "quota": "November", "Q4", "weekly"."""
    return p_("quota", "weekly") if period == Period.WEEK.value else period_name(period, key)


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
    more: Callable[[int], str] | None = None,
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
        chunks[-1] = [*chunks[-1], more(hidden) if more is not None else _("…and {n} more", n=hidden)]
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
        return _("{metric} {actual}", metric=_label(m), actual=f.amount(actual, m))
    text = _(
        "{metric} {actual}/{target}", metric=_label(m), actual=f.amount(actual, m), target=f.target(target, m)
    )
    if actual >= target:
        return text + " ✅"
    pace = data.get("pace")
    if show_pace and pace is not None:
        text += _(" · pace {pct}", pct=f.percent(float(pace)))
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
        return _(
            "{gap} short of {target} {metric}",
            gap=f.target(gap, m),
            target=f.target(target, m),
            metric=_label(m),
        )
    return _(
        "{gap} {metric} short of {target}",
        gap=f.target(gap, m),
        metric=f.noun(m.label, gap),
        target=f.target(target, m),
    )


def _and(words: Sequence[str]) -> str:
    if len(words) <= 1:
        return "".join(words)
    return _("{first} and {last}", first=_(", ").join(words[:-1]), last=words[-1])


def _bullets(lines: Iterable[Payload]) -> str:
    return "\n".join(f"• {line_text(ln)}" for ln in lines)


# --- check-in DM to a rep -----------------------------------------------------------------------


def _looked_at(scope: str, start: date, end: date, today: date) -> str:
    """The window a check-in looks back on: "Yesterday (Thu 26 Nov)", "Friday (20 Nov)", "Last week (23–29 Nov)"."""
    if scope == "day":
        back = (today - start).days
        if back == 1:
            return _("Yesterday ({day})", day=_short(start))
        if 1 < back < 7:
            return _(
                "{weekday} ({day} {month})",
                weekday=fmt.weekday(start.weekday()),
                day=start.day,
                month=_mon(start),
            )
        return _short(start)
    if scope == "week":
        return _("Last week ({span})", span=_span(start, end))
    return month_name(start) if start.month == end.month else _span(start, end)


def _window_label(period: str, anchor: date, today: date) -> str:
    """Where a line that isn't part of the recap belongs: "This week so far", "November", "Q4 so far"."""
    if period == Period.DAY.value:
        return _short(anchor)
    if period == Period.WEEK.value:
        start, end = _week_bounds(anchor)
        if start <= today <= end:
            return _("This week so far") if end >= today else _("This week")
        name = _("Week of {day}", day=_short(start))
    elif period == Period.MONTH.value:
        end = _month_end(anchor)
        if anchor.month == today.month and anchor.year == today.year:
            return _("This month so far") if end >= today else _("This month")
        name = month_name(anchor)
    else:
        end = _quarter_end(anchor)
        same = _quarter(anchor) == _quarter(today) and anchor.year == today.year
        if same:
            return _("This quarter so far") if end >= today else _("This quarter")
        name = _quarter(anchor)
    return _("{period} so far", period=name) if end >= today else name


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
            return _("Yesterday"), _("yesterday")
        if 1 < back < 7:
            return _(_ON_DAY[start.weekday()]), _for_day(start.weekday())
        name = _short(start)
        return _("On {day}", day=name), name
    if scope == "week":
        return _("Last week"), _("last week")
    return _("In {month}", month=month_name(start)), month_name(start)


_FRESH = {
    "day": N_("Today's a fresh shot at closing that."),
    "week": N_("A new week is a fresh start."),
    "month": N_("A new month is a fresh start."),
}


def _checkin_opener(scope: str, start: date, today: date, recap: Sequence[Payload], *, goals: bool) -> str:
    """One friendly line that depends on how it went, with the concrete gap when there is one."""
    when, lower = _subject(scope, start, today)
    scored = [ln for ln in recap if _scored(ln)]
    if not scored:
        if recap:
            logged = _and([_qty(_dec(ln["actual"]), _metric(ln), named=True) for ln in recap])
            return _(
                "{when} you logged {logged}. Thanks for keeping it up to date.", when=when, logged=logged
            )
        if goals:
            return _("Here's where your goals stand.")
        return _("No goals set yet — agree them with your manager, and `/goals` will show them here.")
    met = [ln for ln in scored if _met(ln)]
    behind = [ln for ln in scored if not _met(ln)]
    if not behind:
        done = _and([_qty(_dec(ln["actual"]), _metric(ln), named=True) for ln in met])
        if len(met) > 1:
            return _("{when} you hit every goal — {done}. Great work! 🎉", when=when, done=done)
        return _("{when} you hit your goal — {done}. Great work! 🎉", when=when, done=done)
    if all(_dec(ln.get("actual")) == 0 for ln in recap):
        return _("Nothing logged for {day}. If you were working, log it below so it counts.", day=lower)
    gaps = _and([_gap(ln) for ln in behind[:2]])
    if len(behind) > 2:
        gaps = _("{gaps} (and more below)", gaps=gaps)
    fresh = _(_FRESH[scope]) if scope in _FRESH else ""
    if met:
        hit = _and([_label(_metric(ln)) for ln in met])
        return _(
            "{when} you hit {hit} ✅ and were {gaps}. {fresh}", when=when, hit=hit, gaps=gaps, fresh=fresh
        )
    return _("{when} you were {gaps}. {fresh}", when=when, gaps=gaps, fresh=fresh)


def _cadence_note(stage: str, cadence: str) -> str:
    """Why the rep gets this DM and how often: the cadence is never a mystery."""
    try:
        c = Cadence(cadence)
    except ValueError:
        return _("`/checkin` shows how often I check in, and why.")
    how = _(_CADENCE_WORDS[c])
    try:
        s = Stage(stage)
    except ValueError:
        return _("I check in {how}. `/checkin` to see why.", how=how)
    who = {
        Stage.ONBOARDING: N_("You're in onboarding"),
        Stage.STEADY: N_("You're steady"),
        Stage.AUTONOMOUS: N_("You're running on your own"),
        Stage.SUPPORT: N_("You're in support for now"),
    }[s]
    if STAGE_CADENCE[s] is not c:  # only a manager's pin makes them differ
        return _(
            "{who}, and your manager asked me to check in {how}. `/checkin` to see why.", who=_(who), how=how
        )
    return _("{who}: I check in {how}. `/checkin` to see why.", who=_(who), how=how)


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
        opener = _("Welcome to the team! Here are your goals; log what you do and I'll keep score.")
        when = _("Your daily goals") if scope == "day" else _("Your goals")

    blocks: list[Block] = [section(opener)]
    if recap:
        blocks.append(section(f"*{when}*\n{_bullets(recap)}"))
    for label, group in rest[:10]:
        blocks.append(section(f"*{label}*\n{_bullets(group)}"))

    buttons = [
        button(
            _("Log activity"),
            "log_activity",
            {"team_id": p["team_id"], "metrics": list(p.get("metrics") or [])},
            primary=True,
        )
    ]
    if p.get("share_week"):
        buttons.append(button(_("Share my week"), "share_week", {"team_id": p["team_id"], "week": p["week"]}))
    blocks.append({"type": "actions", "block_id": "checkin_actions", "elements": buttons})
    blocks.append(context(_cadence_note(str(p.get("stage", "")), str(p.get("cadence", "")))))
    plan = p.get("plan") or []
    if plan:
        agreed = _(", ").join(_agreed(x["label"], x["target"], x["period"]) for x in plan)
        until = _short(_day(plan[0]["until"]))
        blocks.append(context(_("Agreed in your 1:1: {goals}, until {day}.", goals=esc(agreed), day=until)))
    return _message(opener, blocks)


def _agreed(label: str, target: Any, period: str) -> str:
    """One short-term goal of a 1:1: "25 calls a week"."""
    return _(
        "{target} {metric} a {period}",
        target=target,
        metric=f.noun(str(label), target),
        period=_period_word(str(period)),
    )


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
        body = " · ".join(_agenda_line(ln, start) for ln in scored) if scored else _("no activity goals")
        weeks.append(_("• Week of {day}: {numbers}", day=_short(start), numbers=body))
    if weeks:
        parts.append(_("*Activity vs goals*") + "\n" + "\n".join(weeks))
    quota = [ln for ln in agenda.get("quota") or [] if _scored(ln)]
    if quota:
        parts.append(_("*Quota*") + "\n" + "\n".join(f"• {_quota_pace_line(ln)}" for ln in quota))
    trend = {
        "up": N_("Activity is up on the week before."),
        "down": N_("Activity is down on the week before."),
        "flat": N_("Activity is about level with the week before."),
    }.get(agenda.get("trend") or "")
    if trend:
        parts.append(_("*Trend:* {trend}", trend=_(trend)))
    starter = self_starter.sentence(agenda.get("self_starter"), label=_("*Self-starter:*"))
    if starter:
        parts.append(starter + ".")
    help_text = agenda.get("help")
    if help_text and str(help_text).strip():
        when = agenda.get("help_week")
        if when:
            title = _("*Where I could use help* (shared {week})", week=period_name("week", str(when)))
        else:
            title = _("*Where I could use help*")
        parts.append(f"{title}\n{quote(str(help_text))}")
    else:
        parts.append(_("_No “Where I could use help” answer yet — worth asking._"))
    return [section(part) for part in parts]


def _agenda_line(ln: Payload, week_start: date) -> str:
    """A week's line; a month or quarter goal says which one, since the row is about a week."""
    text = line_text(ln, show_pace=False)
    period = ln.get("period")
    if period == Period.MONTH.value:
        return f"{text} ({_mon(week_start)})"
    if period == Period.QUARTER.value:
        return f"{text} ({_quarter(week_start)})"
    return text


def _quota_pace_line(ln: Payload) -> str:
    m = _metric(ln)
    actual, target = _dec(ln.get("actual")), _dec(ln.get("target"))
    period = f.PERIOD_WORD.get(Period(ln.get("period", "month")), "")
    text = _(
        "{metric} {actual} of {target} {period}",
        metric=_label(m),
        actual=f.amount(actual, m),
        target=f.target(target, m),
        period=period,
    )
    pace = ln.get("pace")
    if pace is not None:
        text += _(" — pace {pct}", pct=f.percent(float(pace)))
    return text


def _one_on_one(target: str, p: Payload) -> Payload:
    rep = p["rep"]
    head = _("*Time for a 1:1 with <@{rep}>* ({team})", rep=rep, team=esc(str(p.get("team", ""))))
    alert = p.get("alert")
    blocks: list[Block] = [section(head + "\n" + _("Here's a short agenda from their numbers."))]
    if isinstance(alert, dict) and alert.get("metric"):
        blocks.append(section(_pace_sentence(alert)))
    blocks += _agenda_blocks(p.get("agenda"))
    try:
        stage = Stage(p.get("stage"))
        note = _(
            "<@{rep}> is in the {stage} stage: I suggest a 1:1 {every}. "
            "Only you and the team's other managers get this.",
            rep=rep,
            stage=stage_word(stage.value),
            every=_(_ONE_ON_ONE_EVERY[stage]),
        )
    except ValueError:
        note = _("Prompted by the 1:1 cadence. Only you and the team's other managers get this.")
    blocks.append(context(note))
    blocks += _coaching_buttons(p)
    return _message(_("Time for a 1:1 with <@{rep}>", rep=rep), blocks)


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
    rep = p["rep"]
    pace = p.get("pace")
    have = f.amount(actual, m)
    exp = _qty(expected, m, as_target=True)
    if m.unit is Unit.CURRENCY:
        of_quota = _("{amount} quota", amount=f.target(quota, m))
    else:
        of_quota = _("quota {amount}", amount=f.target(quota, m))
    if pace is None:
        return _(
            "<@{rep}> is at {have} for {when} ({quota})",
            rep=rep,
            have=_qty(actual, m),
            when=when,
            quota=of_quota,
        )
    return _(
        "<@{rep}> is at {pct} of quota pace for {when}: {have} of {expected} expected by now ({quota})",
        rep=rep,
        pct=f.percent(float(pace)),
        when=when,
        have=have,
        expected=exp,
        quota=of_quota,
    )


_WORKING_DAYS_GONE = {
    "day": N_("{sentence}, with {pct} of the day's working days gone"),
    "week": N_("{sentence}, with {pct} of the week's working days gone"),
    "month": N_("{sentence}, with {pct} of the month's working days gone"),
    "quarter": N_("{sentence}, with {pct} of the quarter's working days gone"),
}


def _quota_alert(target: str, p: Payload) -> Payload:
    rep = p["rep"]
    sentence = _pace_sentence(p)
    elapsed, period = p.get("elapsed"), p.get("period")
    if elapsed is not None and period in _WORKING_DAYS_GONE:
        sentence = _(_WORKING_DAYS_GONE[period], sentence=sentence, pct=f.percent(float(elapsed)))
    sentence += "."
    blocks: list[Block] = [
        section(f":warning: {sentence}"),
        section(
            _(
                "A 1:1 now helps most: ask what's getting in the way, and agree a few short-term activity "
                "goals until results recover."
            )
        ),
    ]
    blocks += _agenda_blocks(p.get("agenda"))
    team = esc(str(p["team"])) if "team" in p else _("the team")
    if p.get("stage"):
        note = _(
            "Private to {team}'s managers · <@{rep}> is in the {stage} stage.",
            team=team,
            rep=rep,
            stage=esc(stage_word(str(p["stage"]))),
        )
    else:
        note = _("Private to {team}'s managers.", team=team)
    blocks.append(context(note))
    blocks += _coaching_buttons(p)
    return _message(_pace_sentence(p), blocks)


def _quiet(target: str, p: Payload) -> Payload:
    rep = p["rep"]
    days = int(p.get("days") or 0)
    last = p.get("last_logged")
    when = _short(_day(last)) if last else _("never")
    head = n_(
        "<@{rep}> hasn't logged anything for {n} working day (last: {last}).",
        "<@{rep}> hasn't logged anything for {n} working days (last: {last}).",
        days,
        rep=rep,
        last=when,
    )
    stage = str(p.get("stage") or "")
    helps = _(
        "A short, personal message — how's it going, is anything in the way — usually helps more "
        "than a reminder to log."
    )
    if stage:
        why = _(
            "They're in the {stage} stage, when a little contact matters most.", stage=esc(stage_word(stage))
        )
        body = f"{why} {helps}"
    else:
        body = helps
    blocks = [
        section(head),
        section(body),
        context(_("If they're off, they can pause everything with `/checkin away until <date>`.")),
    ]
    blocks += _coaching_buttons(p)
    return _message(head, blocks)


def _period_end(target: str, p: Payload) -> Payload:
    m, actual, quota, _exp, _when = _numbers(p)
    when = quota_name(str(p.get("period", "")), str(p.get("period_key", "")))
    rep = p["rep"]
    numbers = _(
        "{actual} of {quota} ({pct})",
        actual=_qty(actual, m),
        quota=_qty(quota, m, as_target=True),
        pct=_pct(actual, quota),
    )
    if p.get("made"):
        head = _("🎉 <@{rep}> made their {when} quota: {numbers}.", rep=rep, when=when, numbers=numbers)
        body = _("Worth a thank-you — in the channel, if they'd like the spotlight.")
    else:
        short = _qty(max(quota - actual, Decimal(0)), m, as_target=True)
        head = _(
            "<@{rep}> missed their {when} quota: {numbers}, {short} short.",
            rep=rep,
            when=when,
            numbers=numbers,
            short=short,
        )
        body = _("A 1:1 to look at what got in the way, and agree the focus for the next period, will help.")
    team = esc(str(p["team"])) if "team" in p else _("the team")
    blocks = [
        section(head),
        section(body),
        context(_("Private to {team}'s managers.", team=team)),
    ]
    return _message(head, blocks)


def _back_on_track(target: str, p: Payload) -> Payload:
    m, actual, _quota, expected, when = _numbers(p)
    pace = p.get("pace")
    pct = f.percent(float(pace)) if pace is not None else None
    numbers = _(
        "{actual} of {expected} expected by now",
        actual=_qty(actual, m),
        expected=_qty(expected, m, as_target=True),
    )
    if target == p["rep"]:
        yours = quota_name(str(p.get("period", "")), str(p.get("period_key", "")))
        if pct:
            head = _("You're back on pace for your {when} quota — {pct}", when=yours, pct=pct)
        else:
            head = _("You're back on pace for your {when} quota", when=yours)
        blocks = [
            section(_("{head} ({numbers}). Nice recovery — keep it going! 💪", head=head, numbers=numbers))
        ]
        head = _("{sentence}.", sentence=head)
    else:
        if pct:
            head = _(
                "<@{rep}> is back on track: {pct} of quota pace for {when} ({numbers}).",
                rep=p["rep"],
                pct=pct,
                when=when,
                numbers=numbers,
            )
        else:
            head = _(
                "<@{rep}> is back on track: {when} ({numbers}).", rep=p["rep"], when=when, numbers=numbers
            )
        blocks = [section(head), context(_("Good moment for a word of thanks."))]
    return _message(head, blocks)


_GOAL_HIT = {
    "day": N_("You hit your daily goal of {goal} — {actual} so far 🎉"),
    "week": N_("You hit your weekly goal of {goal} — {actual} so far 🎉"),
    "month": N_("You hit your monthly goal of {goal} — {actual} so far 🎉"),
    "quarter": N_("You hit your quarterly goal of {goal} — {actual} so far 🎉"),
}


def _kudos(target: str, p: Payload) -> Payload:
    m, actual, goal, _exp, _when = _numbers(p)
    period = str(p.get("period", "week"))
    if _is_result(p):
        when = quota_name(period, str(p.get("period_key", "")))
        head = _(
            "You've hit your {when} quota of {goal} — {actual} so far 🎉",
            when=when,
            goal=_qty(goal, m, as_target=True),
            actual=f.amount(actual, m),
        )
    else:
        template = _GOAL_HIT.get(period, N_("You hit your {period} goal of {goal} — {actual} so far 🎉"))
        head = _(template, period=period, goal=_qty(goal, m, as_target=True), actual=f.amount(actual, m))
    blocks = [
        section(head),
        context(_("Thank you for putting in the work. Your progress any time: `/goals`")),
    ]
    return _message(head, blocks)


def _coaching_buttons(p: Payload) -> list[Block]:
    """Plan 1:1 (short-term goals with an end date) and Mark 1:1 done, for a manager's message; and
    the team's 1:1 video room, where it has one (``/team video``)."""
    if not p.get("team_id"):
        return []
    value = {"rep": p["rep"], "team_id": p["team_id"]}
    elements = [
        button(_("Plan 1:1"), "plan_one_on_one", value, primary=True),
        button(_("Mark 1:1 done"), "one_on_one_done", value),
    ]
    if p.get("video"):
        elements.append(link_button(_("Join video"), str(p["video"])))
    return [{"type": "actions", "block_id": "coaching", "elements": elements}]


_STAGE_DM = {
    "onboarding": N_("each working day"),
    "steady": N_("once a week"),
    "autonomous": N_("once a month"),
    "support": N_("each working day"),
}


def _stage_change(target: str, p: Payload) -> Payload:
    """A stage move, told to the rep (stepping back is praise; stepping in is help) and to managers."""
    to, before = p["to"], p.get("from") or ""
    reason = esc(reason_text(p.get("reason") or "", {"why": p.get("why")}))
    how = _(_STAGE_DM[to]) if to in _STAGE_DM else ""
    pinned = p.get("pinned")
    if target == p["rep"]:
        if to == "support":
            text = _(
                "I'm going to check in {how} for a while ({reason}). That's not a mark against you — "
                "it's so you and your manager can get things moving again quickly.",
                how=how,
                reason=reason,
            )
        elif before == "support":
            text = _(
                "You're back on track ({reason}) — I'll step back to checking in {how}. Nice work.",
                how=how,
                reason=reason,
            )
        elif to == "autonomous":
            text = _(
                "You've earned your autonomy: {reason}. I'll only check in {how} from now on. 🙌",
                how=how,
                reason=reason,
            )
        elif before == "autonomous":
            text = _(
                "I'll check in {how} again for now ({reason}) — a couple of good weeks and I'll step back.",
                how=how,
                reason=reason,
            )
        else:
            text = _(
                "You've found your feet: {reason}. I'll step back to checking in {how}. 🎉",
                how=how,
                reason=reason,
            )
            told = self_starter.for_rep(p.get("self_starter"))
            text += f" {told}" if told else ""
        if pinned:
            text += " " + _(
                "(Your manager has pinned check-ins to {cadence}, so that's what you'll see.)",
                cadence=_cadence_word(str(pinned)),
            )
        blocks = [section(text), context(_("See why, and what would change it, with `/checkin`."))]
        return _message(text, blocks)
    text = _(
        "<@{rep}> moved from {before} to *{to}*: {reason}.",
        rep=p["rep"],
        before=stage_word(before or "new"),
        to=stage_word(to),
        reason=reason,
    )
    starter = self_starter.sentence(p.get("self_starter"))
    text += f"\n{starter}." if starter else ""
    detail = (
        _("Weekly 1:1s until results recover; agree a few short-term activity goals.")
        if to == "support"
        else _("The bot now checks in on them {how}.", how=how)
    )
    buttons = _coaching_buttons(p) if to == "support" else []
    return _message(text, [section(text), context(detail), *buttons])


def _support_plan(target: str, p: Payload) -> Payload:
    """The short-term goals agreed in a 1:1, told to the rep."""
    goals = _and(
        [_agreed(label, target_, period) for label, target_, period in (tuple(i) for i in p.get("items", []))]
    )
    until = _short(_day(str(p["until"])))
    text = _(
        "In your 1:1 with <@{manager}> you agreed: {goals}, until {day}. "
        "I'll track it in your check-ins — and step back as soon as results recover.",
        manager=p["manager"],
        goals=esc(goals),
        day=until,
    )
    return _message(text, [section(text)])


def _cadence_word(cadence: str) -> str:
    """A pinned cadence as it reads in "pinned check-ins to {cadence}": "weekly"."""
    words = {
        "daily": p_("pinned cadence", "daily"),
        "weekly": p_("pinned cadence", "weekly"),
        "monthly": p_("pinned cadence", "monthly"),
    }
    return words.get(cadence, cadence)


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
    """The message for one outbox row: ``{"text", "blocks"}`` for ``chat.postMessage`` to ``target``,
    in the language and currency planned for its reader (``lang``, ``currency``; a row planned before
    there were any reads in English and dollars)."""
    with speaking(payload.get("lang"), currency=payload.get("currency")):
        return _render(kind, target, payload)


def _render(kind: str, target: str, payload: Payload) -> Payload:
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
