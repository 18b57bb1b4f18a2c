"""kill -9 at random points of a tick, over and over: no message is posted twice, none is lost.

The clock runs as cron would run it (``python -m bot clock --once --now …``) and is killed with
SIGKILL right after Slack accepted its k-th post (k chosen at random, sometimes before the first):
between claiming a row and recording the post is where a crash could double-post or drop a message.
Once the dead claims are old enough to be settled, a clean run must leave every due message posted
exactly once. ``CLOCK_KILL_SEED`` picks another sequence of kill points.
"""

from __future__ import annotations

import contextlib
import json
import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from bot.store.models import Outbox
from tests.support.fakeslack import FakeSlack
from tests.support.signing import SlackSender
from tests.support.timewarp import MovableClock
from tests.support.webproc import REPO_ROOT

pytestmark = pytest.mark.e2e

BOSS = "U0KILLBOSS"
REPS = [f"U0KILLREP{i}" for i in range(8)]
CHANNEL = "C0KILL"
MONDAY = datetime(2026, 11, 30, 14, 5, tzinfo=UTC)  # 09:05 in New York: standup, check-ins, 1:1 prompts
KILLS = 8


def clock_env(fake: FakeSlack, database_url: str) -> dict[str, str]:
    env = {
        **os.environ,
        "SLACK_BOT_TOKEN": fake.token,
        "SLACK_API_URL": fake.api_url,
        "DATABASE_URL": database_url,
        "LOG_LEVEL": "WARNING",
    }
    env.pop("SLACK_SIGNING_SECRET", None)
    return env


def start_clock(fake: FakeSlack, database_url: str, instant: datetime) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "bot", "clock", "--once", "--now", instant.isoformat()],
        cwd=REPO_ROOT,
        env=clock_env(fake, database_url),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def accepted(fake: FakeSlack) -> list[dict]:
    return [c.params for c in fake.calls("chat.postMessage") if c.ok]


def until_post_or_exit(fake: FakeSlack, proc: subprocess.Popen, k: int, timeout: float = 60) -> None:
    """Return as soon as Slack has accepted ``k`` posts in all, or the clock has exited by itself."""
    deadline = time.monotonic() + timeout
    while len(accepted(fake)) < k and proc.poll() is None:
        assert time.monotonic() < deadline, f"the clock neither posted nor exited in {timeout:g}s"
        with contextlib.suppress(AssertionError):  # wakes on each call Slack receives, or every 0.1 s
            fake.wait_for(lambda f: len(accepted(f)) >= k, timeout=0.1)


def outbox_key(params: dict) -> str:
    metadata = params.get("metadata") or {}
    if isinstance(metadata, str):
        metadata = json.loads(metadata)
    return str(metadata["event_payload"]["outbox"])


def test_kill_9_at_random_points_never_doubles_or_drops_a_message(
    slack: SlackSender, fake_slack: FakeSlack, database_url: str, web_clock: MovableClock
) -> None:
    web_clock.set(MONDAY - timedelta(days=3))  # the team is set up the Friday before, in the bot's time
    fake_slack.add_user(BOSS, name="boss", tz="America/New_York")
    for rep in REPS:
        fake_slack.add_user(rep, name=rep.lower(), tz="America/New_York")
    slack.create_team(f"Kill Nine <#{CHANNEL}|kill> tz=America/New_York", user_id=BOSS)
    slack.command("/team", "add " + " ".join(f"<@{r}|{r.lower()}>" for r in REPS), user_id=BOSS)
    slack.command("/goals", "team 20 calls/day", user_id=BOSS)
    fake_slack.wait_for(
        lambda f: len([c for c in f.calls("users.info") if c.ok]) >= len(REPS) + 1, timeout=10
    )
    fake_slack.reset()

    rng = random.Random(int(os.environ.get("CLOCK_KILL_SEED", "9")))
    kill_points = []
    for i in range(KILLS):
        before = len(accepted(fake_slack))
        k = before + rng.choice([0, 1, 1, 2, 3, 5])  # 0: killed before it posts anything
        proc = start_clock(fake_slack, database_url, MONDAY + timedelta(seconds=20 * i))
        try:
            until_post_or_exit(fake_slack, proc, k)
        finally:
            proc.send_signal(signal.SIGKILL)
            proc.wait(timeout=30)
        kill_points.append((k - before, proc.returncode))

    # Claims left by the dead clocks are settled once older than any live send (10 minutes).
    for minutes in (15, 16):
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "bot",
                "clock",
                "--once",
                "--now",
                (MONDAY + timedelta(minutes=minutes)).isoformat(),
            ],
            cwd=REPO_ROOT,
            env=clock_env(fake_slack, database_url),
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 0, done.stderr + done.stdout

    posts = accepted(fake_slack)
    per_row = Counter(outbox_key(p) for p in posts)
    engine = create_engine(database_url)
    try:
        with Session(engine) as session:
            rows = {
                str(r.id): (r.status, r.kind, r.target)
                for r in session.scalars(select(Outbox).where(Outbox.merged_into.is_(None)))
            }  # the posts; each item addressed to a person rides in one of them (a "dm" row)
            items = [r.status for r in session.scalars(select(Outbox).where(Outbox.merged_into.is_not(None)))]
            carried = Counter(
                (r.kind, r.target)
                for r in session.scalars(select(Outbox).where(Outbox.merged_into.is_not(None)))
            )
    finally:
        engine.dispose()
    assert any(code == -signal.SIGKILL for _, code in kill_points), kill_points  # some kills hit mid-tick
    assert per_row and set(per_row.values()) == {1}, (per_row, kill_points)  # never twice
    assert set(per_row) == set(rows), rows  # every row posted …
    assert {status for status, _, _ in rows.values()} == {"sent"}  # … and recorded as sent
    kinds = Counter((kind, target) for _, kind, target in rows.values())
    assert kinds[("standup", CHANNEL)] == 1
    assert set(items) == {"sent"}  # every item settled with the post that carried it
    assert all(carried[("checkin", rep)] == 1 for rep in REPS), carried  # nothing due was lost
    assert carried[("one_on_one", BOSS)] == len(REPS)
    assert kinds[("dm", BOSS)] == 1  # the whole round in one digest
