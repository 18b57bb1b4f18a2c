"""The self-starter figures in words: the 1:1 agenda, the stage change (to the manager; to the rep only
as praise), App Home's compact cell — counts read right, and nothing when there is nothing to say."""

from __future__ import annotations

from bot.slack.messages import self_starter
from bot.slack.messages.scheduled import render
from tests.support import blockkit

FIGURES = {"working_days": 10, "logged": 9, "unprompted": 8}
CHANGE = {"rep": "U0ANA", "team": "East", "team_id": 1, "from": "onboarding", "reason": "4 weeks on track"}


def _text(message: dict) -> str:
    out = [message["text"]]
    for b in message["blocks"]:
        if b.get("type") == "section":
            out.append(b["text"]["text"])
        elif b.get("type") == "context":
            out += [e["text"] for e in b["elements"]]
    return "\n".join(out)


def test_the_sentence_and_the_cell() -> None:
    assert self_starter.sentence(FIGURES) == (
        "Self-starter: logged unprompted 8 of 10 working days (80 %); logged at all 9 of 10"
    )
    one = {"working_days": 1, "logged": 1, "unprompted": 0}
    assert (
        self_starter.sentence(one)
        == "Self-starter: logged unprompted 0 of 1 working day (0 %); logged at all 1 of 1"
    )
    assert self_starter.compact(FIGURES) == "self-starter 8/10 days (logged 9)"
    assert self_starter.compact(one) == "self-starter 0/1 day (logged 1)"
    none = {"working_days": 0, "logged": 0, "unprompted": 0}
    assert self_starter.sentence(none) == "Self-starter: no working day on the team to judge yet"
    assert self_starter.for_rep(none) is None
    assert self_starter.sentence(None) is None and self_starter.compact({"logged": "x"}) is None


def test_the_agenda_carries_it() -> None:
    payload = {"rep": "U0ANA", "team": "East", "team_id": 1, "stage": "onboarding"}
    agenda = {"weeks": [], "quota": [], "trend": None, "help": None}
    with_it = render("one_on_one", "U0BOSS", {**payload, "agenda": {**agenda, "self_starter": FIGURES}})
    assert "*Self-starter:* logged unprompted 8 of 10 working days (80 %); logged at all 9 of 10." in _text(
        with_it
    )
    assert blockkit.message_problems(with_it["blocks"]) == []
    assert "Self-starter" not in _text(render("one_on_one", "U0BOSS", {**payload, "agenda": agenda}))


def test_leaving_onboarding_for_steady_tells_both() -> None:
    p = {**CHANGE, "to": "steady", "self_starter": FIGURES}
    boss = _text(render("stage_change", "U0BOSS", p))
    assert "Self-starter: logged unprompted 8 of 10 working days (80 %); logged at all 9 of 10." in boss
    rep = _text(render("stage_change", "U0ANA", p))
    assert "You logged before any nudge from me on 8 of your 10 working days (80 %)." in rep


def test_leaving_onboarding_for_support_tells_the_manager_only() -> None:
    p = {**CHANGE, "to": "support", "reason": "off track 2 weeks in a row", "self_starter": FIGURES}
    assert "Self-starter: logged unprompted 8 of 10" in _text(render("stage_change", "U0BOSS", p))
    rep = _text(render("stage_change", "U0ANA", p))
    assert "nudge" not in rep and "8 of" not in rep  # help in private, and no score rubbed in
