"""The clock's messages speak through the catalogue: every kind the sender renders, from the realistic
payloads of ``test_scheduled_messages``, rendered in the pseudo-locale holds no word that bypassed it;
and rendered in Albanian reads Albanian (dates, lek amounts, plurals)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from bot.i18n import speaking
from bot.slack.messages import channel, scheduled
from bot.slack.messages.scheduled import CHANNEL_KINDS, KINDS, render
from tests.slack.test_scheduled_messages import CASES, checkin, line, standup
from tests.support.fakeslack import visible_text
from tests.support.pseudo import assert_catalogued, uncatalogued

# What a payload carries that a person typed (names, reasons, answers, links): never translated.
_SUPPLIED = ("team", "reason", "help", "text", "tz", "url", "video", "teams", "meeting_time")


def supplied(node: Any) -> list[str]:
    found: list[str] = []
    if isinstance(node, dict):
        for k, v in node.items():
            if k in _SUPPLIED and isinstance(v, str):
                found.append(v)
            elif k == "teams" and isinstance(v, list):
                found += [str(t) for t in v]
            else:
                found += supplied(v)
    elif isinstance(node, list):
        for v in node:
            found += supplied(v)
    return found


WHY_REP = {"role": "rep", "hours": ["08:00", "18:00"], "cadence": "daily", "stage": "onboarding"}
WHY_MANAGER = {"role": "manager", "hours": ["08:00", "18:00"], "teams": ["Sales East"], "cadence": "daily"}


def dm(target: str, kinds: list[tuple[str, dict]], why: dict) -> dict:
    return {"items": [{"id": i, "kind": k, "payload": p} for i, (k, p) in enumerate(kinds)], "why": why}


def dm_cases() -> list[tuple[str, str, str, dict]]:
    """A rep's merged message and a manager's digest, of every DM kind the cases have; and a
    digest too big for one message (its one-line-per-item summary)."""
    by_target: dict[str, list[tuple[str, dict]]] = {}
    for _id, kind, target, payload, *_ in CASES:
        if kind not in CHANNEL_KINDS:
            by_target.setdefault(target, []).append((kind, payload))
    out = []
    for target, items in by_target.items():
        why = WHY_MANAGER if any(k in ("one_on_one", "quota_alert", "quiet") for k, _ in items) else WHY_REP
        for i in range(0, len(items), 3):  # a few per message, as the attention policy merges them
            out.append((f"dm-{target}-{i}", "dm", target, dm(target, items[i : i + 3], why)))
    prompts = [(k, p) for _i, k, t, p, *_ in CASES if k == "one_on_one"]
    out.append(("dm-summary", "dm", "U0MGR", dm("U0MGR", prompts * 20, WHY_MANAGER)))
    pinned = {**WHY_REP, "pinned": True, "kudos_muted": True}
    out.append(("dm-pinned", "dm", "U0REP1", dm("U0REP1", [("checkin", checkin())], pinned)))
    return out


ALL = [(c[0], c[1], c[2], c[3]) for c in CASES] + dm_cases()


def test_every_kind_the_sender_renders_has_a_pseudo_locale_case() -> None:
    """A new kind (a DM builder, a channel post, a digest) without a case here fails this test."""
    covered = {kind for _, kind, *_ in ALL}
    assert covered == KINDS | {"dm"}
    assert set(scheduled._RENDERERS) | set(channel._RENDERERS) <= covered
    in_digests = {item["kind"] for _, kind, _t, p in ALL if kind == "dm" for item in p["items"]}
    assert in_digests == set(scheduled._RENDERERS)


@pytest.mark.parametrize(("kind", "target", "payload"), [c[1:] for c in ALL], ids=[c[0] for c in ALL])
def test_every_word_comes_through_the_catalogue(kind: str, target: str, payload: dict) -> None:
    message = render(kind, target, {**payload, "lang": "qps"})
    assert_catalogued(message, allowed=supplied(payload))


def test_the_guard_catches_a_word_that_bypassed_the_catalogue() -> None:
    message = render("checkin", "U0REP1", {**checkin(), "lang": "qps"})
    message["blocks"].append(scheduled.section("Bypassed"))
    assert uncatalogued(message) == ["Bypassed"]


# --- Albanian --------------------------------------------------------------------------------


def sq(kind: str, target: str, payload: dict) -> str:
    return visible_text(render(kind, target, {**payload, "lang": "sq", "currency": "ALL"}))


def test_a_checkin_in_albanian() -> None:
    text = sq("checkin", "U0REP1", checkin())
    assert "Dje arrite shënime falënderimi ✅ dhe ishe 8 telefonata të ftohta më pak se 25." in text
    assert "*Dje (enj, 26 nën)*" in text
    assert "të ardhura 12\xa0000\xa0Lekë/50\xa0000\xa0Lekë · ritmi 52 %" in text
    assert "Regjistro aktivitetin" in json.dumps(
        render("checkin", "U0REP1", {**checkin(), "lang": "sq"}), ensure_ascii=False
    )
    assert "Je në fazën e integrimit: të shkruaj çdo ditë pune." in text


def test_albanian_plurals_follow_the_number() -> None:
    one = sq("checkin", "U0REP1", checkin(lines=[line("calls", "24", "25")]))
    assert "1 telefonatë e ftohtë më pak se 25" in one
    many = sq("checkin", "U0REP1", checkin(lines=[line("calls", "0", "25"), line("notes", "3", "0")]))
    assert "25 telefonata të ftohta më pak se 25" in many


def test_the_standup_in_albanian_dates_and_lek() -> None:
    text = sq("standup", "C0SALES", standup())
    assert "Standup-i javor — Sales East" in text
    assert "*Java e kaluar (23–29 nën), totalet e ekipit*" in text
    assert "Lekë" in text and "$" not in text
    assert "Ndaj javën time" in json.dumps(
        render("standup", "C0SALES", {**standup(), "lang": "sq"}), ensure_ascii=False
    )


def test_a_meeting_reminder_names_the_day_in_albanian() -> None:
    payload = next(p for _i, k, _t, p, *_ in CASES if k == "meeting")
    text = sq("meeting", "C0SALES", payload)
    assert "Mbledhja e ekipit pas 15 minutash" in text
    assert "Hyr në mbledhje" in text


def test_a_quiet_rep_alert_in_albanian() -> None:
    payload = {"rep": "U0REP1", "team": "Sales East", "team_id": 7, "days": 3, "last_logged": "2026-11-30"}
    text = sq("quiet", "U0MGR", payload)
    assert "<@U0REP1> nuk ka regjistruar asgjë prej 3 ditësh pune (e fundit: hën, 30 nën)." in text
    one = sq("quiet", "U0MGR", {**payload, "days": 1})
    assert "prej 1 dite pune" in one


def test_a_row_planned_before_languages_reads_english_in_dollars() -> None:
    english = visible_text(render("checkin", "U0REP1", checkin()))
    assert "Yesterday you hit thank-you notes ✅ and were 8 cold calls short of 25." in english
    assert "$12,000/$50,000" in english
    with speaking("sq", currency="ALL"):  # the sender's own context does not leak into the row's
        assert (
            visible_text(render("checkin", "U0REP1", {**checkin(), "lang": "en", "currency": "USD"}))
            == english
        )
