"""The long-running clock as a platform runs it: it starts, ticks, and stops cleanly on SIGTERM; on
PostgreSQL a second clock stands by instead of running."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

from tests.support.fakeslack import FakeSlack
from tests.support.webproc import REPO_ROOT

pytestmark = pytest.mark.e2e


def start_clock(fake: FakeSlack, database_url: str, log_path) -> subprocess.Popen:
    env = {
        **os.environ,
        "SLACK_BOT_TOKEN": fake.token,
        "SLACK_API_URL": fake.api_url,
        "DATABASE_URL": database_url,
    }
    return subprocess.Popen(
        [sys.executable, "-m", "bot", "clock"],
        cwd=REPO_ROOT,
        env=env,
        stdout=open(log_path, "w"),
        stderr=subprocess.STDOUT,
    )


def wait_for_line(path, text: str, timeout: float = 30.0) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        content = path.read_text()
        if text in content:
            return content
        time.sleep(0.05)
    raise AssertionError(f"{text!r} not in the clock's log:\n{path.read_text()}")


def test_the_clock_runs_ticks_and_stops_on_sigterm(fake_slack, database_url, tmp_path) -> None:
    log = tmp_path / "clock.log"
    active = start_clock(fake_slack, database_url, log)
    try:
        wait_for_line(log, "clock: active")
        wait_for_line(log, "planned")  # the first tick runs at once
        standby = None
        if database_url.startswith("postgresql"):
            other_log = tmp_path / "standby.log"
            standby = start_clock(fake_slack, database_url, other_log)
            wait_for_line(other_log, "standing by")
            standby.send_signal(signal.SIGTERM)
            assert standby.wait(timeout=30) == 0
    finally:
        active.send_signal(signal.SIGTERM)
        code = active.wait(timeout=30)
    assert code == 0, log.read_text()
    assert "stopping" in log.read_text()
