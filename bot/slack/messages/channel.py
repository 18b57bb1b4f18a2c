"""What the clock posts in a team's channel: the weekly standup, its scoreboard's parts in its thread,
and the team meeting's reminder — as Block Kit, from the outbox's JSON payloads.

Praise in public, help in private: a post here names reps only for what they did well, or for what
they themselves shared in the standup's thread; nobody's shortfall is shown unless the team chose
``scoreboard public``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import timedelta

from bot.i18n import _, n_
from bot.services.outcomes import esc
from bot.slack.messages import format as f
from bot.slack.messages.scheduled import (
    BUDGET,
    MAX_BLOCKS,
    MAX_ROW,
    Block,
    Payload,
    _day,
    _dec,
    _label,
    _message,
    _metric,
    _short,
    _span,
    button,
    chunked,
    clip,
    context,
    header,
    line_text,
    link_button,
    section,
    text_size,
)

# --- weekly standup in the team channel ---------------------------------------------------------


def _standup(target: str, p: Payload) -> Payload:
    """Last week in the team's channel: team totals, kudos, and — with ``scoreboard public`` — each rep's
    numbers: here for a small team; for a big one a summary here (how many logged, who led), and the
    rep lines in the standup's thread (``standup_board``), so that no message nears Slack's limit."""
    team = str(p.get("team", ""))
    start = _day(p["last_week_start"])
    end = start + timedelta(days=6)
    lines = list(p.get("lines") or [])
    kudos = [str(u) for u in p.get("kudos") or []]
    public = p.get("scoreboard") == "public"

    totals = []
    for ln in lines:
        line = {**ln, "target": "0" if ln.get("target") is None else ln["target"]}
        totals.append(f"• {line_text(line, show_pace=False)}")
    head = _("*Last week ({span}), team totals*", span=_span(start, end)) + "\n"

    blocks: list[Block] = [header(_("Weekly standup — {team}", team=team))]
    # Budget: header, totals, kudos, prompt, actions, context; the rest for long lists.
    blocks += chunked(head, totals or [_("Nothing logged last week.")], max_sections=3, budget=2000)
    if kudos:
        blocks += chunked(
            _("👏 *On track last week:* "), [f"<@{u}>" for u in kudos], max_sections=3, sep=", ", budget=4000
        )
    else:
        blocks.append(section(_("A new week and a clean slate — let's make it a good one.")))
    if public and p.get("board"):
        blocks.append(section(_board_summary(p["board"], lines)))
    elif public:
        rows = _row_lines(p)
        if rows:
            room = MAX_BLOCKS - len(blocks) - 3
            budget = BUDGET - text_size(blocks) - 400  # the prompt, the button and the context to come
            blocks += chunked(_("*Each rep last week*") + "\n", rows, max_sections=room, budget=budget)
    blocks.append(
        section(
            _(
                "*Your turn:* share your wins from last week, your focus for this week, and where you "
                "could use a hand. Answers land in this thread."
            )
        )
    )
    blocks.append(
        {
            "type": "actions",
            "block_id": "standup_actions",
            "elements": [
                button(
                    _("Share my week"),
                    "share_week",
                    {"team_id": p["team_id"], "week": p["week"]},
                    primary=True,
                )
            ],
        }
    )
    if not public:
        blocks.append(
            context(_("Your own numbers stay between you and your manager: `/log week` · `/goals`"))
        )
    fallback = _(
        "Weekly standup — {team}: share your wins, focus and where you could use help.", team=esc(team)
    )
    return _message(fallback, blocks)


def _row_lines(p: Payload) -> list[str]:
    """Each rep's line of the scoreboard, the metrics in the team totals' order: "• <@U1> — cold calls
    112 · revenue $4,500", cut at ``MAX_ROW`` characters."""
    lines = list(p.get("lines") or [])
    order = {ln.get("metric"): i for i, ln in enumerate(lines)}
    known = {ln.get("metric"): ln for ln in lines}
    out = []
    for row in p.get("rows") or []:
        items = sorted((row.get("totals") or {}).items(), key=lambda kv: order.get(kv[0], 99))
        parts = [
            line_text(
                {**known.get(k, {"metric": k, "label": k, "unit": "count"}), "actual": v, "target": "0"}
            )
            for k, v in items
        ]
        numbers = " · ".join(parts) if parts else _("nothing logged")
        out.append(clip(_("• <@{rep}> — {numbers}", rep=row["user"], numbers=numbers), MAX_ROW))
    return out


def _board_summary(board: Payload, lines: Sequence[Payload]) -> str:
    """The scoreboard of a big team, in a few lines: how many reps logged, who led each metric."""
    reps, logged = int(board.get("reps") or 0), int(board.get("logged") or 0)
    text = n_(
        "*Scoreboard:* {logged} of {n} rep logged activity last week. Each rep's numbers are in this thread 🧵",
        "*Scoreboard:* {logged} of {n} reps logged activity last week. Each rep's numbers are in this thread 🧵",
        reps,
        logged=logged,
    )
    known = {ln.get("metric"): ln for ln in lines}
    for lead in (board.get("leaders") or [])[:3]:
        ln = known.get(lead.get("metric")) or {"metric": lead.get("metric"), "label": lead.get("metric")}
        m = _metric(ln)
        top = " · ".join(
            f"<@{user}> {f.amount(_dec(value), m)}" for user, value in (lead.get("top") or [])[:3]
        )
        if top:
            text += "\n" + _("🏆 Most {metric}: {top}", metric=_label(m), top=top)
    return text


def _standup_board(target: str, p: Payload) -> Payload:
    """One part of a big team's public scoreboard, posted in the standup's thread."""
    part, parts = int(p.get("part") or 1), int(p.get("parts") or 1)
    start = _day(p["last_week_start"])
    span = _span(start, start + timedelta(days=6))
    if parts > 1:
        title = _("*Each rep last week ({span})* — {part} of {parts}", span=span, part=part, parts=parts)
    else:
        title = _("*Each rep last week ({span})*", span=span)
    rows = _row_lines(p)
    blocks = chunked(
        title + "\n", rows or [_("Nobody on this part of the board.")], max_sections=MAX_BLOCKS - 1
    )
    return _message(
        _("Scoreboard, {part} of {parts}: each rep's numbers last week", part=part, parts=parts), blocks
    )


# --- the team meeting's reminder ----------------------------------------------------------------


def _totals(p: Payload) -> list[str]:
    """Last week's team totals against the team's goals, as the standup reads them."""
    return [
        f"• {line_text({**ln, 'target': '0' if ln.get('target') is None else ln['target']}, show_pace=False)}"
        for ln in p.get("lines") or []
    ]


def _said(items: Sequence[Payload]) -> list[str]:
    """What reps shared in the standup's thread, in their words: "• <@U1> — closed Acme"."""
    return [clip(f"• <@{i['user']}> — {esc(str(i.get('text') or ''))}", 320) for i in items if i.get("user")]


def _more(extra: int) -> Callable[[int], str]:
    return lambda n: _("…and {n} more in the standup's thread", n=n + extra)


def _meeting(target: str, p: Payload) -> Payload:
    """15 minutes before the team meeting: when, the link, and an agenda from the numbers — last
    week against the team's goals, who was on track, the wins and the "where I could use help"
    topics reps shared in the standup's thread (and, with ``scoreboard public``, each rep's line)."""
    team = str(p.get("team", ""))
    day = _day(p["meeting_day"])
    at = str(p.get("meeting_time", ""))
    start = _day(p["last_week_start"])
    url = str(p.get("url") or "")
    public = p.get("scoreboard") == "public"

    blocks: list[Block] = [header(_("Team meeting in 15 minutes — {team}", team=team))]
    blocks.append(
        section(
            _(
                "*{day}, {time}* ({tz}) · <{url}|Join the meeting>",
                day=_short(day),
                time=at,
                tz=esc(str(p.get("tz", ""))),
                url=esc(url),
            )
        )
    )
    blocks.append(
        {
            "type": "actions",
            "block_id": "meeting_link",
            "elements": [link_button(_("Join the meeting"), url, primary=True)],
        }
    )
    head = (
        _("*1. Last week ({span}) against team goals*", span=_span(start, start + timedelta(days=6))) + "\n"
    )
    blocks += chunked(head, _totals(p) or [_("Nothing logged last week.")], max_sections=2, budget=1600)
    kudos = [f"<@{u}>" for u in p.get("kudos") or []]
    wins = _said(p.get("wins") or [])
    title = _("*2. Wins* 👏") + "\n"
    if kudos:
        blocks += chunked(title + _("On track last week: "), kudos, max_sections=2, sep=", ", budget=1500)
        title = ""
    if wins:
        more = int(p.get("wins_more") or 0)
        blocks += chunked(title, wins, max_sections=4, budget=2200, more=_more(more))
    elif not kudos:
        blocks.append(section(title + _("_No wins shared yet — bring one to the meeting._")))
    helps = _said(p.get("help") or [])
    title = _("*3. Where reps could use help*") + "\n"
    if helps:
        more = int(p.get("help_more") or 0)
        blocks += chunked(title, helps, max_sections=4, budget=2200, more=_more(more))
    else:
        blocks.append(section(title + _("_Nobody asked for a hand in the standup — ask around the table._")))
    if public:
        rows = _row_lines(p)
        if rows:
            room = MAX_BLOCKS - len(blocks) - 1
            budget = BUDGET - text_size(blocks) - 300
            blocks += chunked(_("*Each rep last week*") + "\n", rows, max_sections=room, budget=budget)
    if public:
        note = _("Agenda from last week's numbers and the answers to the standup.")
    else:
        note = _(
            "Agenda from last week's numbers and the answers to the standup. "
            "Your own numbers stay between you and your manager."
        )
    blocks.append(context(note))
    fallback = _("Team meeting in 15 minutes — {team}, {time}: {url}", team=esc(team), time=at, url=esc(url))
    return _message(fallback, blocks)


_RENDERERS: dict[str, Callable[[str, Payload], Payload]] = {
    "standup": _standup,
    "standup_board": _standup_board,
    "meeting": _meeting,
}


def render(kind: str, target: str, payload: Payload) -> Payload:
    """The message for one of the channel's outbox rows (``scheduled.render`` hands these over)."""
    return _RENDERERS[kind](target, payload)
