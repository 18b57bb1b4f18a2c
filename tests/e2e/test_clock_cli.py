"""The clock as cron drives it: ``python -m bot clock --once --now …`` at chosen instants, two weeks
and a day of them, against the fake Slack. Exactly the promised messages arrive — and no others — and
every DM keeps the attention policy's limits, counted per person and per local day."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import Counter
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from tests.support.fakeslack import FakeSlack
from tests.support.signing import SlackSender
from tests.support.timewarp import MovableClock
from tests.support.webproc import REPO_ROOT

pytestmark = pytest.mark.e2e

BOSS, NY, LA, BERLIN = "U0CLIBOSS", "U0CLINY", "U0CLILA", "U0CLIBER"
CHANNEL = "C0CLI"


def clock_once(fake: FakeSlack, database_url: str, instant: datetime) -> str:
    env = {
        **os.environ,
        "SLACK_BOT_TOKEN": fake.token,
        "SLACK_API_URL": fake.api_url,
        "DATABASE_URL": database_url,
        "LOG_LEVEL": "WARNING",
    }
    env.pop("SLACK_SIGNING_SECRET", None)  # the clock doesn't need it
    result = subprocess.run(
        [sys.executable, "-m", "bot", "clock", "--once", "--now", instant.isoformat()],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr + result.stdout
    return result.stdout


def test_two_weeks_driven_from_the_command_line(
    slack: SlackSender, fake_slack: FakeSlack, database_url: str, web_clock: MovableClock
) -> None:
    # Mon 30 Nov … Mon 7 Dec 2026, four runs a day: 08:05, 14:05, 17:05 and 22:05 UTC — just after
    # 09:00 in Berlin, New York and Los Angeles, and after 17:00 (evaluation) in New York. The team
    # is set up the Friday before, in the bot's time: its quota is effective from that day.
    start = datetime(2026, 11, 30, tzinfo=UTC)
    web_clock.set(start - timedelta(days=3) + timedelta(hours=15))
    fake_slack.add_user(BOSS, name="boss", tz="America/New_York")
    fake_slack.add_user(NY, name="ny", tz="America/New_York")
    fake_slack.add_user(LA, name="la", tz="America/Los_Angeles")
    fake_slack.add_user(BERLIN, name="berlin", tz="Europe/Berlin")
    slack.create_team(f"Sales CLI <#{CHANNEL}|sales-cli> tz=America/New_York", user_id=BOSS)
    slack.command("/team", f"add <@{NY}|ny> <@{LA}|la> <@{BERLIN}|berlin>", user_id=BOSS)
    slack.command("/goals", "team 20 calls/day, 5 presentations/week", user_id=BOSS)
    slack.command("/goals", f"<@{NY}|ny> quota $40k/month", user_id=BOSS)
    fake_slack.wait_for(lambda f: len([c for c in f.calls("users.info") if c.status == 200]) >= 4, timeout=10)

    # Two weeks and a day of working days (the weekend needs no run), four runs a day.
    days = [start + timedelta(days=d) for d in range(15) if (start + timedelta(days=d)).weekday() < 5]
    instants = [day + timedelta(hours=h, minutes=5) for day in days for h in (8, 14, 17, 22)]
    fake_slack.reset()
    posts: list[tuple[datetime, dict]] = []  # each post with the instant of the run that made it
    for instant in instants:
        clock_once(fake_slack, database_url, instant)
        done = [c for c in fake_slack.calls("chat.postMessage") if c.status == 200]
        posts += [(instant, c.params) for c in done[len(posts) :]]

    items = Counter((params["channel"], kind) for _, params in posts for kind in _kinds(params))
    for rep in (NY, LA, BERLIN):
        assert items[(rep, "checkin")] == len(days), fake_slack.transcript()
    assert items[(CHANNEL, "standup")] == 3
    assert items[(BOSS, "one_on_one")] == 3 * 3  # weekly for each onboarding (then support) rep
    assert items[(BOSS, "quiet")] == 3  # nothing logged for 3 working days: once per quiet spell
    assert items[(BOSS, "period_end")] == 1  # New York's November quota: missed
    # Silent new hires: off track the two full weeks since they joined, so in support on Monday
    # 14 Dec (New York sooner, at her December quota alert). Each rep hears it first thing in the
    # day's one message, before the check-in's numbers; the manager in the morning digest.
    for rep in (NY, LA, BERLIN):
        [moved] = [(at, p) for at, p in posts if p["channel"] == rep and "stage_change" in _kinds(p)]
        assert _kinds(moved[1]) == ["stage_change", "checkin"]
        if rep != NY:
            assert _local(moved[0], rep).date().isoformat() == "2026-12-14"
    assert items[(BOSS, "stage_change")] == 3

    # The policy's limits, per person and per local day.
    dms = [(at, p) for at, p in posts if p["channel"] != CHANNEL]
    per_day = Counter((p["channel"], _local(at, p["channel"]).date()) for at, p in dms)
    for (person, day), count in per_day.items():
        assert count <= (2 if person == BOSS else 1), (person, day, count)
    for at, p in dms:
        local = _local(at, p["channel"])
        assert local.weekday() < 5 and 8 <= local.hour < 18, (p["channel"], local)
    # Each Monday's 1:1 prompts for all three reps arrive in one DM.
    rounds = [p for _, p in dms if p["channel"] == BOSS and "one_on_one" in _kinds(p)]
    assert [_kinds(p).count("one_on_one") for p in rounds] == [3, 3, 3]
    assert all("You get this as a manager" in json.dumps(p["blocks"]) for _, p in dms if p["channel"] == BOSS)

    # Nothing twice, nothing to anyone else, and the second run of the same instant sends nothing.
    assert {p["channel"] for _, p in posts} == {NY, LA, BERLIN, BOSS, CHANNEL}
    clock_once(fake_slack, database_url, instants[-1])
    assert len([c for c in fake_slack.calls("chat.postMessage") if c.status == 200]) == len(posts)


ZONE = {BOSS: "America/New_York", NY: "America/New_York", LA: "America/Los_Angeles", BERLIN: "Europe/Berlin"}


def _local(at: datetime, user: str) -> datetime:
    return at.astimezone(ZoneInfo(ZONE[user]))


def _kinds(params: dict) -> list[str]:
    """What the message carries, from the bot's own metadata on it: a "dm" lists its items."""
    metadata = params.get("metadata") or {}
    if isinstance(metadata, str):
        metadata = json.loads(metadata)
    event = metadata.get("event_payload") or {}
    if event.get("kind") == "dm":
        return str(event.get("items", "")).split(",")
    return [event.get("kind", "?")]
