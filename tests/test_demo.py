"""The demo a newcomer runs first tells the product's story — and every decision in it is explainable.

It drives the real services and the real clock code path on a SQLite file, so this is also a test of
the whole loop over eight simulated weeks.
"""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

import pytest

from bot.demo import PERSONAS, START, run


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
        if t["to"] == "Eve" and t["kind"] == "checkin" and start <= t["at"][:10] <= end
    ]
    assert away_dms == []
    assert "support" not in stages_of(data, "U0EVE")


def test_nothing_is_sent_twice_and_the_report_is_written(demo) -> None:
    data, lines, html = demo
    keys = Counter(
        (t["kind"], t["to"], t["local"][:10]) for t in data["transcript"] if t["kind"] == "checkin"
    )
    assert set(keys.values()) == {1}
    assert lines[0].startswith("Sales Check-ins demo")
    assert any("What happened" in line for line in lines)
    assert html.lower().startswith("<!doctype html>") and "<svg" in html
    assert all(p.name in html for p in PERSONAS)


def test_the_new_hire_joins_as_the_demo_starts(demo) -> None:
    data, _, _ = demo
    first = data["stages"]["U0BEN"][0]
    assert first["stage"] == "onboarding" and first["reason"] == "joined a team"
    assert START - timedelta(days=3) <= date.fromisoformat(first["from"]) <= START
