"""The clock as cron drives it: ``python -m bot clock --once --now …`` at chosen instants, a week and a
day of them, against the fake Slack. Exactly the promised messages arrive — and no others."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import Counter
from datetime import UTC, datetime, timedelta

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


def test_a_week_driven_from_the_command_line(
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
    slack.command("/team", f"create Sales CLI <#{CHANNEL}|sales-cli> tz=America/New_York", user_id=BOSS)
    slack.command("/team", f"add <@{NY}|ny> <@{LA}|la> <@{BERLIN}|berlin>", user_id=BOSS)
    slack.command("/goals", "team 20 calls/day, 5 presentations/week", user_id=BOSS)
    slack.command("/goals", f"<@{NY}|ny> quota $40k/month", user_id=BOSS)
    fake_slack.wait_for(lambda f: len([c for c in f.calls("users.info") if c.status == 200]) >= 4, timeout=10)

    instants = [start + timedelta(days=d, hours=h, minutes=5) for d in range(8) for h in (8, 14, 17, 22)]
    fake_slack.reset()
    for instant in instants:
        clock_once(fake_slack, database_url, instant)

    posts = [c for c in fake_slack.calls("chat.postMessage") if c.status == 200]
    by = Counter((c.params["channel"], _kind(c.params)) for c in posts)
    working_days = 6  # Mon–Fri and the next Monday
    for rep in (NY, LA, BERLIN):
        assert by[(rep, "checkin")] == working_days, fake_slack.transcript()
    assert by[(CHANNEL, "standup")] == 2
    assert by[(BOSS, "one_on_one")] == 3 * 2  # weekly for each onboarding rep
    assert by[(BOSS, "quiet")] == 3 * 2  # nothing logged for 3 working days: once a week each
    assert by[(BOSS, "period_end")] == 1  # New York's November quota: missed
    assert sum(by.values()) == len(posts) == 3 * working_days + 2 + 6 + 6 + 1, by
    # Nothing twice, nothing to anyone else, and the second run of the same instant sends nothing.
    assert {c.params["channel"] for c in posts} == {NY, LA, BERLIN, BOSS, CHANNEL}
    clock_once(fake_slack, database_url, instants[-1])
    assert len([c for c in fake_slack.calls("chat.postMessage") if c.status == 200]) == len(posts)


def _kind(params: dict) -> str:
    """What the message is, from the bot's own metadata on it."""
    metadata = params.get("metadata") or {}
    if isinstance(metadata, str):
        metadata = json.loads(metadata)
    return (metadata.get("event_payload") or {}).get("kind", "?")
