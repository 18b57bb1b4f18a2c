"""Run a process of the bot at an instant the test chooses, and move it while it runs.

``python -m tests.support.timewarp bot web`` runs ``python -m bot web`` with the bot's wall clock
(``bot.services.context.system_clock``, the one place the processes read "now") replaced by one that
reads ``<the machine's time> + <an offset>``; the offset lives in the file named by
``$SALESBOT_TEST_CLOCK`` and is re-read whenever that file changes, so a test moves a running server
(and every gunicorn worker it forked) by writing the file — see :class:`MovableClock`.

Only the bot's business time moves. Everything that speaks Slack's protocol (request signatures,
OAuth state expiry) keeps the machine's time, as it does in production, so a test signs its requests
with the machine's clock. Under libfaketime (CI moves the machine's clock too) both sides move alike.
"""

from __future__ import annotations

import os
import runpy
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

__all__ = ["ENV", "MovableClock"]

ENV = "SALESBOT_TEST_CLOCK"


class MovableClock:
    """A ticking clock at an instant the test sets, shared with the processes it launches.

    ``now()`` is ``instant + (machine time elapsed since set())``: time runs on between two ``set``s
    as it would in production, so a process never sees it stand still or run backwards within a test.
    """

    def __init__(self, instant: datetime) -> None:
        fd, name = tempfile.mkstemp(prefix="salesbot-clock-", suffix=".offset")
        os.close(fd)
        self.path = Path(name)
        self._offset = 0.0
        self.set(instant)

    def set(self, instant: datetime) -> None:
        """From now on, the processes' "now" reads ``instant`` (and ticks on from there)."""
        if instant.tzinfo is None:
            raise ValueError("a MovableClock instant needs a timezone")
        self._offset = instant.timestamp() - time.time()
        staged = self.path.with_suffix(".tmp")
        staged.write_text(repr(self._offset))
        os.replace(staged, self.path)  # a reader sees the old offset or the new one, never half

    def advance(self, **delta: float) -> None:
        self.set(self.now() + timedelta(**delta))

    def now(self) -> datetime:
        return _shifted(self._offset)

    @property
    def env(self) -> dict[str, str]:
        """What a launched process needs to follow this clock."""
        return {ENV: str(self.path)}

    def close(self) -> None:
        for path in (self.path, self.path.with_suffix(".tmp")):
            path.unlink(missing_ok=True)


class _OffsetFile:
    """The launched process's side: the offset, re-read when the file's modification changes."""

    def __init__(self, path: str) -> None:
        self.path = path
        self._stamp: tuple[int, int] | None = None
        self._offset = 0.0

    def offset(self) -> float:
        try:
            stat = os.stat(self.path)
        except FileNotFoundError:  # the test is over; keep the last offset
            return self._offset
        stamp = (stat.st_mtime_ns, stat.st_ino)
        if stamp != self._stamp:
            with open(self.path, encoding="ascii") as handle:
                self._offset = float(handle.read())
            self._stamp = stamp
        return self._offset

    def now(self) -> datetime:
        return _shifted(self.offset())


def _shifted(offset: float) -> datetime:
    """The machine's time moved by ``offset`` seconds."""
    return datetime.fromtimestamp(time.time() + offset, UTC)


def main(argv: list[str]) -> None:
    if not argv:
        raise SystemExit(f"usage: python -m tests.support.timewarp MODULE [ARG ...]  (reads ${ENV})")
    from bot.services import context

    context.system_clock = _OffsetFile(os.environ[ENV]).now
    sys.argv = [argv[0], *argv[1:]]
    runpy.run_module(argv[0], run_name="__main__", alter_sys=True)


if __name__ == "__main__":
    main(sys.argv[1:])
