"""Modals opened from the check-in and standup buttons, and the standup-thread answer they produce.

Pure builders: the ids a listener needs to act on a submission ride in ``private_metadata`` (JSON),
never in the visible labels, so a submission can be handled without looking anything up first.
"""

from __future__ import annotations

import json
from typing import Any

from bot.domain.types import Unit
from bot.i18n import N_, _
from bot.i18n import formats as fmt
from bot.slack.messages import format as f
from bot.slack.messages.scheduled import MAX_SECTION, clip, esc, link_button, quote

View = dict[str, Any]
Block = dict[str, Any]

ANSWER_MAX = 1000  # characters per standup answer: a thread post, not an essay
NOTE_MAX = 500
COUNT_MAX = "1000"  # PRODUCT.md: more than 1,000 of a count in one entry is refused
BACKDATE_DAYS = 14

SHARE_FIELDS = (
    ("wins", N_("Wins last week"), N_("What went well? A deal, a great call, a new lead…"), False),
    ("focus", N_("Focus this week"), N_("The one or two things that matter most this week."), False),
    ("help", N_("Where I could use help"), N_("Anything in the way? Your manager sees this."), True),
)


# "25 calls a day": how often a 1:1's goal is counted
PER = {"day": N_("a day"), "week": N_("a week"), "month": N_("a month"), "quarter": N_("a quarter")}


def _metric_label(m: dict) -> str:
    """A default metric's label in the reader's language; a workspace's own as its manager wrote it."""
    label = str(m["label"])
    if label in f.METRIC_WORDS or label in f.MONEY_WORDS:
        return f.noun(label, 2, Unit.CURRENCY if m.get("unit") == "currency" else Unit.COUNT)
    return label


def _plain(text: str) -> dict[str, Any]:
    return {"type": "plain_text", "text": text, "emoji": True}


def _meta(**ids: Any) -> str:
    return json.dumps(ids, separators=(",", ":"))


def share_week_modal(*, team_id: int, week: str, team: str, previous: dict | None = None) -> View:
    """The standup modal: wins, focus, and where the rep could use help (the only optional one).

    ``previous`` pre-fills an earlier answer for the same week, so sharing twice edits rather than
    starting over.
    """
    previous = previous or {}
    blocks: list[Block] = [
        {
            "type": "context",
            "elements": [
                {
                    "type": "mrkdwn",
                    "text": clip(_("Posted in *{team}*'s standup thread.", team=esc(team)), 300),
                }
            ],
        }
    ]
    for key, label, placeholder, optional in SHARE_FIELDS:
        element: dict[str, Any] = {
            "type": "plain_text_input",
            "action_id": "value",
            "multiline": True,
            "max_length": ANSWER_MAX,
            "placeholder": _plain(_(placeholder)),
        }
        initial = previous.get(key)
        if isinstance(initial, str) and initial.strip():
            element["initial_value"] = initial[:ANSWER_MAX]
        blocks.append(
            {
                "type": "input",
                "block_id": key,
                "label": _plain(_(label)),
                "optional": optional,
                "element": element,
            }
        )
    return {
        "type": "modal",
        "callback_id": "share_week",
        "private_metadata": _meta(team_id=team_id, week=week),
        "title": _plain(_("Share my week")),
        "submit": _plain(_("Share")),
        "close": _plain(_("Cancel")),
        "blocks": blocks,
    }


def log_activity_modal(*, team_id: int | None, metrics: list[dict], today: str) -> View:
    """One optional number per goal metric, the day (default today) and a note.

    Every number is optional so a rep can log just what they did; the listener refuses an empty form.
    """
    blocks: list[Block] = []
    for m in metrics[:95]:  # a modal holds 100 blocks; two are the date and the note
        currency = m.get("unit") == "currency"
        label = _metric_label({**m, "label": m.get("label") or m["key"]})
        if currency:
            label = _("{metric} ({symbol})", metric=label, symbol=fmt.currency_symbol())
        element: dict[str, Any] = {
            "type": "number_input",
            "action_id": "value",
            "is_decimal_allowed": currency,
            "min_value": "0",
        }
        if not currency:
            element["max_value"] = COUNT_MAX
        blocks.append(
            {
                "type": "input",
                "block_id": f"metric:{m['key']}",
                "label": _plain(clip(label[:1].upper() + label[1:], 2000)),
                "optional": True,
                "element": element,
            }
        )
    blocks.append(
        {
            "type": "input",
            "block_id": "day",
            "label": _plain(_("Day")),
            "hint": _plain(_("Today or up to {n} days back.", n=BACKDATE_DAYS)),
            "element": {"type": "datepicker", "action_id": "value", "initial_date": today},
        }
    )
    blocks.append(
        {
            "type": "input",
            "block_id": "note",
            "label": _plain(_("Note")),
            "optional": True,
            "element": {
                "type": "plain_text_input",
                "action_id": "value",
                "max_length": NOTE_MAX,
                "placeholder": _plain(_("e.g. two want pricing")),
            },
        }
    )
    return {
        "type": "modal",
        "callback_id": "log_activity",
        "private_metadata": _meta(team_id=team_id),
        "title": _plain(_("Log activity")),
        "submit": _plain(_("Log")),
        "close": _plain(_("Cancel")),
        "blocks": blocks,
    }


def share_answer_message(*, user_id: str, wins: str, focus: str, help: str) -> dict[str, Any]:
    """One rep's standup answer for the standup's thread; empty answers are left out, text escaped."""
    head = _("*<@{user}> shared their week*", user=user_id)
    blocks: list[Block] = [{"type": "section", "text": {"type": "mrkdwn", "text": head}}]
    parts = []
    for (_key, name, _placeholder, _optional), answer in zip(SHARE_FIELDS, (wins, focus, help), strict=True):
        label = _(name)
        if answer and answer.strip():
            body = quote(answer, MAX_SECTION - len(label) - 10)
            blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": f"*{label}*\n{body}"}})
            parts.append(f"{label}: {clip(esc(answer.strip()), 600)}")
    if parts:
        text = _("<@{user}> shared their week: {answers}", user=user_id, answers=" · ".join(parts))
    else:
        text = _("<@{user}> shared their week.", user=user_id)
    return {"text": clip(text, 3000), "blocks": blocks}


def plan_one_on_one_modal(
    *, rep: str, team_id: int, metrics: list[dict], until: str, video: str | None = None
) -> dict:
    """Short-term activity goals agreed in a 1:1, with an end date; tracked in the rep's check-ins.
    With the team's 1:1 video room (``video``), a button to join it."""
    blocks: list[dict] = [
        {
            "type": "section",
            "text": {
                "type": "mrkdwn",
                "text": _(
                    "Short-term activity goals you agreed with <@{rep}>. Leave a field empty to keep their "
                    "usual goal.",
                    rep=rep,
                ),
            },
        }
    ]
    if video:
        blocks.append(
            {
                "type": "section",
                "block_id": "video",
                "text": {
                    "type": "mrkdwn",
                    "text": _("Meeting on video? The team's 1:1 room: <{url}|join>", url=esc(video)),
                },
                "accessory": link_button(_("Join video"), video),
            }
        )
    for m in metrics:
        per = _(PER[m["period"]]) if m["period"] in PER else ""
        element: dict = {
            "type": "number_input",
            "action_id": "value",
            "is_decimal_allowed": False,
            "min_value": "1",
        }
        if m.get("current"):
            element["placeholder"] = {
                "type": "plain_text",
                "text": _("now {current} {per}", current=m["current"], per=per),
            }
        blocks.append(
            {
                "type": "input",
                "block_id": f"metric:{m['key']}",
                "optional": True,
                "label": {"type": "plain_text", "text": f"{_metric_label(m).capitalize()} {per}"[:2000]},
                "element": element,
            }
        )
    blocks.append(
        {
            "type": "input",
            "block_id": "until",
            "label": {"type": "plain_text", "text": _("Until")},
            "hint": {
                "type": "plain_text",
                "text": _("Tracked in their check-ins until then, or until results recover."),
            },
            "element": {"type": "datepicker", "action_id": "value", "initial_date": until},
        }
    )
    return {
        "type": "modal",
        "callback_id": "plan_one_on_one",
        "private_metadata": json.dumps({"rep": rep, "team_id": team_id}),
        "title": {"type": "plain_text", "text": _("Plan 1:1")},
        "submit": {"type": "plain_text", "text": _("Save plan")},
        "close": {"type": "plain_text", "text": _("Cancel")},
        "blocks": blocks,
    }
