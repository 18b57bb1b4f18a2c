"""The demo a newcomer runs first tells the product's story — and every decision in it is explainable.

It drives the real services and the real clock code path on a SQLite file, so this is also a test of
the whole loop over eight simulated weeks.
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from types import SimpleNamespace

import pytest

from bot.demo import MANAGER, PERSONAS, START, Sent, Sim, _dms_per_week, _react, _transcript, expand, run

KINDS = {
    "checkin",
    "kudos",
    "stage_change",
    "support_plan",
    "one_on_one",
    "quota_alert",
    "quiet",
    "period_end",
    "back_on_track",
}


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    folder = tmp_path_factory.mktemp("demo")
    lines: list[str] = []
    data = run(reps=5, weeks=8, seed=7, out=folder / "report.html", db=folder / "demo.db", echo=lines.append)
    return data, lines, (folder / "report.html").read_text()


def stages_of(data, rep: str) -> list[str]:
    return [s["stage"] for s in data["stages"][rep]]


def test_the_steady_performer_earns_autonomy_and_hears_less(demo) -> None:
    data, _, _ = demo
    assert "autonomous" in stages_of(data, "U0ANA")
    assert "support" not in stages_of(data, "U0ANA")
    assert max(data["checkins"]["U0ANA"]) <= 1  # weekly, then monthly: never daily


def test_the_new_hire_steps_up_from_onboarding(demo) -> None:
    data, _, _ = demo
    assert stages_of(data, "U0BEN")[:2] == ["onboarding", "steady"]
    counts = data["checkins"]["U0BEN"]
    assert counts[0] == 5 and counts[-1] <= 1  # daily at first, then weekly


def test_the_new_hire_starts_logging_on_his_own_and_the_manager_is_told(demo) -> None:
    data, lines, html = demo
    ben = data["self_starter"]["U0BEN"]
    assert ben["left"] == "steady"
    days = [how for _, how in ben["days"]]
    assert len(days) == ben["working_days"] and days[:10] == ["prompted"] * 10  # waits for the nudge
    assert days[10:14] == ["unprompted"] * 4 and days[14] == "prompted"  # then gets going, but Fridays
    assert ben["unprompted"] == days.count("unprompted") and ben["logged"] == ben["working_days"]
    share = round(100 * ben["unprompted"] / ben["working_days"])
    said = (
        f"Self-starter: logged unprompted {ben['unprompted']} of {ben['working_days']} working days "
        f"({share} %); logged at all {ben['logged']} of {ben['working_days']}."
    )
    told = [t for t in data["transcript"] if t["to"] == "Maria" and "stage_change" in t["items"]]
    assert any(said in t["text"] for t in told), said
    assert any(
        "self-starter" in line and f"{ben['unprompted']}/{ben['working_days']}" in line for line in lines
    )
    assert 'id="self-starters"' in html
    assert set(data["self_starter"]) == {"U0BEN"}  # only the new hire: the others joined long ago


def test_the_rep_behind_quota_gets_help_at_once_and_the_bot_steps_back_after(demo) -> None:
    data, _, _ = demo
    assert stages_of(data, "U0DEV")[-2:] == ["support", "steady"]
    assert data["manager"].get("quota_alert", 0) >= 1
    assert any("1:1 held" in e["text"] and e["rep"] == "U0DEV" for e in data["events"])
    counts = data["checkins"]["U0DEV"]
    assert max(counts) == 5 and counts[-1] <= 1


def test_the_rep_who_goes_quiet_is_stepped_in_on_and_recovers(demo) -> None:
    data, _, _ = demo
    journey = stages_of(data, "U0CARA")
    assert "support" in journey and journey[-1] in ("steady", "autonomous")
    reasons = " ".join(s["reason"] for s in data["stages"]["U0CARA"])
    assert "calls at 0 % of goal" in reasons


def test_the_week_off_is_paused(demo) -> None:
    data, _, _ = demo
    [(start, end)] = data["away"]["U0EVE"]
    away_dms = [
        t
        for t in data["transcript"]
        if t["to"] == "Eve" and "checkin" in t["items"] and start <= t["date"] <= end
    ]
    assert away_dms == []
    assert any(t["to"] == "Eve" and "checkin" in t["items"] for t in data["transcript"])
    assert "support" not in stages_of(data, "U0EVE")


def test_nothing_is_sent_twice_and_the_report_is_written(demo) -> None:
    data, lines, html = demo
    keys = Counter(
        (t["to"], t["date"]) for t in data["transcript"] for kind in t["items"] if kind == "checkin"
    )
    assert keys and set(keys.values()) == {1}
    assert lines[0].startswith("Sales Check-ins demo")
    assert any("What happened" in line for line in lines)
    assert html.lower().startswith("<!doctype html>") and "<svg" in html
    assert all(p.name in html for p in PERSONAS)


# --------------------------------------------------------------------------- merged DMs


def sent(kind: str, target: str, payload: dict, at: datetime | None = None) -> Sent:
    return Sent(at or datetime(2026, 6, 2, 13, 5, tzinfo=UTC), kind, target, payload, ["…"])


MERGED = {
    "items": [
        {"kind": "stage_change", "payload": {"rep": "U0DEV", "to": "support", "from": "steady"}, "id": 7},
        {"kind": "checkin", "payload": {"rep": "U0DEV"}, "id": 8},
        {"kind": "kudos", "payload": {"rep": "U0DEV"}, "id": 9},
    ],
    "role": "rep",
    "context": "I message you at most once a working day while you're in support.",
}


def test_a_merged_dm_expands_into_its_items_and_anything_else_into_itself() -> None:
    assert [k for k, _ in expand("dm", MERGED)] == ["stage_change", "checkin", "kudos"]
    assert expand("dm", MERGED)[0][1] == {"rep": "U0DEV", "to": "support", "from": "steady"}
    assert expand("standup", {"week": "2026-06-01"}) == [("standup", {"week": "2026-06-01"})]
    assert expand("checkin", {"rep": "U0ANA"}) == [("checkin", {"rep": "U0ANA"})]
    assert expand("dm", {"items": []}) == []
    assert [k for k, _ in sent("dm", "U0DEV", MERGED).items] == ["stage_change", "checkin", "kudos"]


def test_a_merged_dm_counts_as_one_message_and_its_items_by_kind() -> None:
    weeks = [START, START + timedelta(days=7)]
    messages = [
        sent("dm", "U0DEV", MERGED),  # Tuesday of W1
        sent("checkin", "U0DEV", {}, datetime(2026, 6, 3, 14, 5, tzinfo=UTC)),
        sent("checkin", "U0ANA", {}),  # someone else's
        # Sunday 23:00 in Chicago is still W1 there, though Monday in UTC.
        sent("dm", "U0DEV", MERGED, datetime(2026, 6, 8, 4, 0, tzinfo=UTC)),
    ]
    w1, w2 = _dms_per_week(messages, "U0DEV", "America/Chicago", weeks)
    assert w1 == {"messages": 3, "items": {"stage_change": 2, "checkin": 3, "kudos": 2}}
    assert w2 == {"messages": 0, "items": {}}


def test_the_people_react_to_items_inside_merged_dms() -> None:
    calls: list[str] = []
    services = SimpleNamespace(
        coaching=SimpleNamespace(
            plan=lambda **kw: calls.append(f"plan {kw['rep']} {kw['targets']}"),
            done=lambda **kw: calls.append(f"done {kw['rep']}"),
        ),
        standup=SimpleNamespace(share=lambda **kw: calls.append(f"share {kw['user_id']}")),
    )
    at = datetime(2026, 6, 8, 21, 5, tzinfo=UTC)
    sim = Sim(now=at)
    names = {"U0MARIA": "Maria", "U0DEV": "Dev"}
    alert = {"rep": "U0DEV", "team_id": 1, "pace": 0.07}
    to_manager = {"items": [{"kind": "quota_alert", "payload": alert, "id": 1}], "role": "manager"}
    events = _react(services, sim, sent("dm", "U0MARIA", to_manager, at), names)
    assert calls == ["plan U0DEV {'calls': '30'}", "done U0DEV"]
    assert sim.planned == {"U0DEV": date(2026, 6, 9)}
    assert [e["at"] for e in events] == ["2026-06-08"] and "1:1 held" in events[0]["text"]
    _react(services, sim, sent("dm", "U0DEV", MERGED, at), names)
    assert sim.told == [("U0DEV", "support", at)]
    _react(services, sim, sent("standup", "C0DEMO", {"team_id": 1, "week": "2026-06-08"}, at), names)
    assert calls[-1] == "share U0DEV"


# --------------------------------------------------------------------------- what a newcomer reads


def test_dms_of_every_kind_per_person_and_week(demo) -> None:
    data, lines, html = demo
    people = [p.user_id for p in PERSONAS] + [MANAGER[0]]
    assert sorted(data["dms"]) == sorted(people)
    for person in people:
        weeks = data["dms"][person]
        assert len(weeks) == len(data["weeks"])
        received = [
            t for t in data["transcript"] if t["channel"] == "DM" and t["to"] == data_name(data, person)
        ]
        assert sum(w["messages"] for w in weeks) == len(received)
        assert sum(sum(w["items"].values()) for w in weeks) == sum(len(t["items"]) for t in received)
        for w in weeks:
            assert sum(w["items"].values()) >= w["messages"]
    kinds = {k for weeks in data["dms"].values() for w in weeks for k in w["items"]}
    assert {"checkin", "kudos", "stage_change", "one_on_one"} <= kinds
    assert data["checkins"]["U0BEN"] == [w["items"].get("checkin", 0) for w in data["dms"]["U0BEN"]]
    assert "DMs per week, per person" in html and ">Maria <" in html
    assert any(line.startswith("DMs per week") for line in lines)


def data_name(data, person: str) -> str:
    return {p["id"]: p["name"] for p in [*data["reps"], *data["managers"]]}[person]


ZONES = {"Ana": "EDT", "Ben": "PDT", "Cara": "CEST", "Dev": "CDT", "Eve": "BST", "Maria": "EDT"}


def test_every_time_is_the_recipients_local_time_with_its_zone(demo) -> None:
    data, lines, _ = demo
    for t in data["transcript"]:
        zone = ZONES.get(t["to"], "EDT")  # the channel: the team's time
        assert re.fullmatch(rf"[A-Z][a-z]{{2}} \d\d [A-Z][a-z]{{2}} \d\d:\d\d {zone}", t["local"]), t
    stamped = [line for line in lines if re.match(r"[A-Z][a-z]{2} \d\d [A-Z][a-z]{2} \d\d:\d\d ", line)]
    assert len(stamped) == len(data["transcript"])
    assert all(re.match(r".{17}(EDT|PDT|CEST|CDT|BST) ", line) for line in stamped)
    assert any("Times are each recipient's own local time" in line for line in lines)


def test_a_stage_change_has_one_date_everywhere(demo) -> None:
    data, _, html = demo
    changes = 0
    for rep, entries in data["stages"].items():
        dates = {s["from"] for s in entries}
        for event in (e for e in data["events"] if e["rep"] == rep and "→" in e["text"]):
            assert event["at"] in dates, (event, dates)
            changes += 1
    assert changes >= 8
    # Dev steps back on the Monday the week closed, in the team's calendar: in the list and the timeline.
    assert {"from": "2026-06-29", "stage": "steady", "reason": "back on track 2 weeks in a row"} in data[
        "stages"
    ]["U0DEV"]
    assert "Dev: steady from 29 Jun" in html


def test_the_new_hire_joins_as_the_demo_starts(demo) -> None:
    data, _, _ = demo
    ben = next(r for r in data["reps"] if r["id"] == "U0BEN")
    joined = date.fromisoformat(ben["joined"])
    assert START - timedelta(days=3) <= joined <= START
    assert data["stages"]["U0BEN"][0] == {
        "from": ben["joined"],
        "stage": "onboarding",
        "reason": "joined a team",
    }
    others = [r for r in data["reps"] if r["id"] != "U0BEN"]
    assert all(date.fromisoformat(r["joined"]) < START - timedelta(weeks=4) for r in others)


def test_messages_read_as_people_see_them_in_slack(demo) -> None:
    data, lines, html = demo
    texts = [t["text"] for t in data["transcript"]]
    assert not [t for t in texts if "<@" in t or "<#" in t or re.search(r"(^|\s)\*\S", t)]
    assert any("@Dev is at 7 % of quota pace" in t for t in texts)
    assert not [line for line in lines if "<@" in line or re.search(r"(^|\s)\*\S", line)]
    transcript = html[html.index('<section id="transcript"') :]
    assert "&lt;@U" not in transcript and "*support*" not in transcript


def test_terminal_lines_fit_and_break_between_words(demo) -> None:
    data, _, _ = demo
    words = {w for t in data["transcript"] for w in t["text"].split()} | {
        w for e in data["events"] for w in e["text"].split()
    }
    for width in (80, 100):
        lines = _transcript(data, width)
        assert all(len(line) <= width for line in lines), max(lines, key=len)
        body = lines[3 : lines.index("What happened:")]
        for line in body:
            if line.startswith("— week of") or line.strip().startswith("… and"):
                continue
            text = line[line.index("→") :].split(None, 2)[2] if "→" in line else line.strip()
            for word in text.removesuffix("…").split():
                assert word in words or word.rstrip(":") in KINDS, (word, line)
    # A long run's weekly table continues in blocks rather than running off the edge.
    long = dict(data, weeks=data["weeks"] * 3, dms={k: v * 3 for k, v in data["dms"].items()})
    lines = _transcript(long, 80)
    assert all(len(line) <= 80 for line in lines)
    assert any(line.strip().startswith("W9 ") for line in lines)
