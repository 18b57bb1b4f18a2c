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

from bot.i18n import N_, _, n_, speaking
from bot.services.outcomes import esc
from bot.slack.messages import scheduled

Payload = dict[str, Any]
Block = dict[str, Any]

MAX_BLOCKS = scheduled.MAX_BLOCKS
DIVIDER: Block = {"type": "divider"}

_BUDGET = {"daily": N_("once a working day"), "weekly": N_("once a week"), "monthly": N_("once a month")}


def context_line(why: Payload) -> str:
    """Why this message came and how to change that, in one line."""
    hours = why.get("hours") or ["08:00", "18:00"]
    when = _("between {start} and {end} your time", start=hours[0], end=hours[1])
    if why.get("role") == "manager":
        teams = why.get("teams") or []
        if teams:
            return _(
                "You get this as a manager for {teams}: at most a morning digest and one alert a day, {when}. "
                "Change the hours with `/checkin hours 09:00-17:00`.",
                teams=esc(", ".join(teams)),
                when=when,
            )
        return _(
            "You get this as a manager: at most a morning digest and one alert a day, {when}. "
            "Change the hours with `/checkin hours 09:00-17:00`.",
            when=when,
        )
    budget = _(_BUDGET.get(str(why.get("cadence")), _BUDGET["daily"]))
    stage = why.get("stage")
    if why.get("pinned"):
        because = _("your manager set this cadence")
    elif stage:
        because = _("you're {stage}", stage=scheduled.stage_word(str(stage)))
    else:
        because = _("that's your cadence")
    kudos = _("`/checkin unmute kudos`") if why.get("kudos_muted") else _("`/checkin mute kudos`")
    return _(
        "I message you at most {budget} while {because}, {when}. "
        "Change it with `/checkin hours 09:00-17:00` or {kudos}.",
        budget=budget,
        because=because,
        when=when,
        kudos=kudos,
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
        scheduled.section(
            n_(
                "*{n} thing for you today.* They don't all fit in one message:",
                "*{n} things for you today.* They don't all fit in one message:",
                len(items),
            )
        ),
        *scheduled.chunked(
            "",
            lines,
            max_sections=MAX_BLOCKS - 4,
            budget=scheduled.BUDGET - 600,  # the heading, the Home pointer and the context line
            more=lambda n: _("…and {n} more, in my *Home* tab", n=n),
        ),
    ]
    blocks.append(
        scheduled.section(
            _("Open my *Home* tab for each rep's agenda and the *Plan 1:1* / *Mark 1:1 done* buttons.")
        )
    )
    return blocks


def render(target: str, payload: Payload) -> Payload:
    """The ``dm`` row's message: its items in order, each in the voice planned for it, then the
    context line in the envelope's (a ``dm`` row without its own speaks its first item's)."""
    first = next(iter(payload.get("items") or []), {}).get("payload") or {}
    lang = payload.get("lang") or first.get("lang")
    with speaking(lang, currency=payload.get("currency") or first.get("currency")):
        return _render(target, payload)


def _render(target: str, payload: Payload) -> Payload:
    why = payload.get("why") or {}
    items = []
    for item in payload.get("items", []):
        rendered = scheduled.render(item["kind"], target, item.get("payload") or {})
        items.append((item["kind"], item.get("payload") or {}, rendered))
    if not items:
        raise ValueError("a dm row without items")
    blocks: list[Block] = []
    for i, (_kind, _payload, rendered) in enumerate(items):
        if i:
            blocks.append(DIVIDER)
        blocks += rendered.get("blocks", [])
    if len(blocks) + 1 > MAX_BLOCKS or scheduled.text_size(blocks) > scheduled.BUDGET - 300:
        blocks = _summary(items, why)
    blocks.append(scheduled.context(context_line(why)))
    texts = [rendered["text"] for _kind, _payload, rendered in items]
    if len(texts) == 1:
        fallback = texts[0]
    else:
        fallback = n_("{first} (and {n} more)", "{first} (and {n} more)", len(texts) - 1, first=texts[0])
    return {"text": scheduled.clip(fallback, scheduled.MAX_TEXT), "blocks": _uniquify(blocks)}
