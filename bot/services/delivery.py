"""Fan-out under Slack's rate limits: many conversations at once, one message a second in each.

Slack lets an app post about one message per second to a conversation, with a workspace-wide limit
on top, and answers 429 with ``Retry-After`` past either. A tick that is due to send thousands of
messages (Monday's standups, 1:1 prompts and check-ins) is therefore bounded below by

* the busiest conversation: a manager receives one 1:1 prompt per rep, one a second; and
* the workspace limit: every message of the workspace, at the rate Slack allows.

To come close to that bound the messages are grouped by conversation, and the conversations with the
most messages start first (longest-processing-time first), each one worked through by one worker at
a time, in order, one message a second. A 429 pauses the whole workspace for ``Retry-After``: the
limit that was hit is most likely the workspace's, and every worker hammering on would only earn more
429s. With one worker the rows simply go in the order they came due.

Nothing here touches the database or Slack: ``send_one`` does (claim, post, mark), so the
at-most-once rules stay in one place (``ClockService``).
"""

from __future__ import annotations

import threading
import time as _time
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Generic, TypeVar

Row = TypeVar("Row")


class WorkspaceGate:
    """One pause per workspace, set by a 429's ``Retry-After``, honoured by every worker."""

    def __init__(self, *, monotonic: Callable[[], float] = _time.monotonic) -> None:
        self._monotonic = monotonic
        self._lock = threading.Lock()
        self._paused_until: dict[str, float] = {}

    def pause(self, workspace_id: str, seconds: float) -> None:
        until = self._monotonic() + seconds
        with self._lock:
            if until > self._paused_until.get(workspace_id, 0.0):
                self._paused_until[workspace_id] = until

    def wait(self, workspace_id: str) -> float:
        """Seconds to wait before posting in this workspace (0 when it isn't paused)."""
        with self._lock:
            until = self._paused_until.get(workspace_id, 0.0)
        return max(0.0, until - self._monotonic())


@dataclass(frozen=True)
class Job(Generic[Row]):
    """One message to send, with what pacing needs to know about it."""

    workspace_id: str
    target: str
    row: Row


def conversations(jobs: Iterable[Job[Row]]) -> list[list[Job[Row]]]:
    """The jobs grouped by conversation, each group in its original order, the longest first."""
    groups: dict[tuple[str, str], list[Job[Row]]] = defaultdict(list)
    for job in jobs:
        groups[(job.workspace_id, job.target)].append(job)
    return sorted(groups.values(), key=len, reverse=True)  # stable: ties keep the order of arrival


class Dispatcher(Generic[Row]):
    """Runs ``send_one`` for every job: paced per conversation, paused per workspace, in parallel.

    ``send_one(job, wait)`` is called when the job may go; it calls ``wait(workspace_id)`` before each
    attempt (so a pause set by another worker's 429 holds it back too) and returns when the job is
    finished, whatever its outcome. ``sleep`` is injectable so that tests and benchmarks can record
    the waits instead of sitting through them.
    """

    def __init__(
        self,
        *,
        workers: int,
        channel_interval: float,
        sleep: Callable[[float], None] = _time.sleep,
        monotonic: Callable[[], float] = _time.monotonic,
    ) -> None:
        self.workers = max(1, workers)
        self.channel_interval = channel_interval
        self.sleep = sleep
        self.monotonic = monotonic
        self.gate = WorkspaceGate(monotonic=monotonic)
        self._last_post: dict[tuple[str, str], float] = {}
        self._lock = threading.Lock()

    def run(
        self, jobs: Sequence[Job[Row]], send_one: Callable[[Job[Row], Callable[[str], None]], None]
    ) -> None:
        if self.workers == 1 or len(jobs) <= 1:
            self._in_order(jobs, send_one)
            return
        queues = conversations(jobs)
        with ThreadPoolExecutor(
            max_workers=min(self.workers, len(queues)), thread_name_prefix="send"
        ) as pool:
            for future in [pool.submit(self._in_order, queue, send_one) for queue in queues]:
                future.result()  # send_one handles its own errors; anything else is a bug worth raising

    def hold(self, workspace_id: str) -> None:
        """Wait out a workspace pause (another worker's 429), then go."""
        wait = self.gate.wait(workspace_id)
        if wait > 0:
            self.sleep(wait)

    def _in_order(
        self, jobs: Iterable[Job[Row]], send_one: Callable[[Job[Row], Callable[[str], None]], None]
    ) -> None:
        for job in jobs:
            key = (job.workspace_id, job.target)
            with self._lock:
                last = self._last_post.get(key)
            if last is not None:
                wait = self.channel_interval - (self.monotonic() - last)
                if wait > 0:
                    self.sleep(wait)
            send_one(job, self.hold)
            with self._lock:
                self._last_post[key] = self.monotonic()
