"""One DM carrying everything the attention policy let through for a person at once.

A rep's day message reads stage change first, then the check-in's numbers, then praise; a manager's
morning digest carries every 1:1 prompt due with its agenda and buttons, then quiet reps and period
results. Each item keeps the words and buttons its own builder gives it; this module joins them,
keeps the whole within Slack's 50 blocks and well within its ~12,000 characters of block text (a
digest too big for one message lists its items a line each and sends the manager to App Home for the
rest), and ends with one context line saying why the message came and how to change that.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from bot.services.outcomes import esc
from bot.slack.messages import scheduled

Payload = dict[str, Any]
Block = dict[str, Any]

MAX_BLOCKS = scheduled.MAX_BLOCKS
DIVIDER: Block = {"type": "divider"}

_BUDGET = {"daily": "once a working day", "weekly": "once a week", "monthly": "once a month"}


def context_line(why: Payload) -> str:
    """Why this message came and how to change that, in one line."""
    hours = why.get("hours") or ["08:00", "18:00"]
    when = f"between {hours[0]} and {hours[1]} your time"
    if why.get("role") == "manager":
        teams = why.get("teams") or []
        whose = f" for {esc(', '.join(teams))}" if teams else ""
        return (
            f"You get this as a manager{whose}: at most a morning digest and one alert a day, {when}. "
            "Change the hours with `/checkin hours 09:00-17:00`."
        )
    budget = _BUDGET.get(str(why.get("cadence")), "once a working day")
    stage = why.get("stage")
    because = (
        "your manager set this cadence"
        if why.get("pinned")
        else f"you're {stage}"
        if stage
        else "that's your cadence"
    )
    kudos = "`/checkin unmute kudos`" if why.get("kudos_muted") else "`/checkin mute kudos`"
    return (
        f"I message you at most {budget} while {because}, {when}. "
        f"Change it with `/checkin hours 09:00-17:00` or {kudos}."
    )


def _uniquify(blocks: list[Block]) -> list[Block]:
    """Slack refuses a message whose blocks repeat a ``block_id`` (two 1:1 prompts' buttons)."""
    seen: dict[str, int] = {}
    out = []
    for b in blocks:
        bid = b.get("block_id")
        if bid is not None:
            seen[bid] = seen.get(bid, 0) + 1
            if seen[bid] > 1:
                b = {**b, "block_id": f"{bid}:{seen[bid]}"}
        out.append(b)
    return out


def _summary(items: Sequence[tuple[str, Payload, Payload]], why: Payload) -> list[Block]:
    """Too much for one message: one line per item, and App Home for the agendas and buttons."""
    lines = [f"• {rendered['text']}" for _, _, rendered in items]
    blocks = [
        scheduled.section(f"*{len(items)} things for you today.* They don't all fit in one message:"),
        *scheduled.chunked(
            "",
            lines,
            max_sections=MAX_BLOCKS - 4,
            budget=scheduled.BUDGET - 600,  # the heading, the Home pointer and the context line
            more=lambda n: f"…and {n} more, in my *Home* tab",
        ),
    ]
    blocks.append(
        scheduled.section(
            "Open my *Home* tab for each rep's agenda and the *Plan 1:1* / *Mark 1:1 done* buttons."
        )
    )
    return blocks


def render(target: str, payload: Payload) -> Payload:
    """The ``dm`` row's message: its items in order, then the context line."""
    why = payload.get("why") or {}
    items = []
    for item in payload.get("items", []):
        rendered = scheduled.render(item["kind"], target, item.get("payload") or {})
        items.append((item["kind"], item.get("payload") or {}, rendered))
    if not items:
        raise ValueError("a dm row without items")
    blocks: list[Block] = []
    for i, (_, _, rendered) in enumerate(items):
        if i:
            blocks.append(DIVIDER)
        blocks += rendered.get("blocks", [])
    if len(blocks) + 1 > MAX_BLOCKS or scheduled.text_size(blocks) > scheduled.BUDGET - 300:
        blocks = _summary(items, why)
    blocks.append(scheduled.context(context_line(why)))
    texts = [rendered["text"] for _, _, rendered in items]
    fallback = texts[0] if len(texts) == 1 else f"{texts[0]} (and {len(texts) - 1} more)"
    return {"text": scheduled.clip(fallback, scheduled.MAX_TEXT), "blocks": _uniquify(blocks)}
