"""The tests' movable clock: what a launched process reads follows every ``set`` the test makes."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta

from tests.support.timewarp import MovableClock, _OffsetFile
from tests.support.webproc import REPO_ROOT


def test_a_reader_follows_each_set() -> None:
    clock = MovableClock(datetime(2026, 11, 18, 16, 30, tzinfo=UTC))
    try:
        reader = _OffsetFile(str(clock.path))
        assert abs(reader.now() - datetime(2026, 11, 18, 16, 30, tzinfo=UTC)) < timedelta(seconds=5)
        clock.set(datetime(2031, 2, 3, 4, 5, tzinfo=UTC))
        assert abs(reader.now() - datetime(2031, 2, 3, 4, 5, tzinfo=UTC)) < timedelta(seconds=5)
        clock.advance(days=2)
        assert abs(reader.now() - datetime(2031, 2, 5, 4, 5, tzinfo=UTC)) < timedelta(seconds=5)
        assert abs(clock.now() - reader.now()) < timedelta(seconds=1)
    finally:
        clock.close()


def test_a_launched_process_reads_the_bots_now_from_the_clock() -> None:
    clock = MovableClock(datetime(2027, 3, 14, 6, 59, tzinfo=UTC))
    try:
        result = subprocess.run(
            [sys.executable, "-m", "tests.support.timewarp", "tests.support.print_now"],
            cwd=REPO_ROOT,
            env={**os.environ, **clock.env},
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        )
    finally:
        clock.close()
    printed = datetime.fromisoformat(result.stdout.strip())
    assert abs(printed - datetime(2027, 3, 14, 6, 59, tzinfo=UTC)) < timedelta(seconds=30)
