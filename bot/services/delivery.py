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

import heapq
import threading
import time as _time
from collections import defaultdict, deque
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Generic, TypeVar

Row = TypeVar("Row")


class WorkspaceGate:
    """Per workspace: the pause a 429's ``Retry-After`` asks for, and a send rate learned from 429s.

    Slack doesn't publish its workspace-wide limit. Until the first 429 the gate lets every worker
    go; at the first 429 it pauses the workspace for ``Retry-After`` and caps the rate at 90 % of what
    got through over the last two seconds, at each later one at 90 % of the cap (what got through
    since would count the pause as idle time); every post that goes through raises the cap a little
    (additive increase, multiplicative decrease, as TCP does), so delivery settles just under the
    limit instead of running into it, and a pause, again and again. Workers reserve slots one after
    another at the current rate, so the cap holds however many of them there are.
    """

    WINDOW = 2.0  # seconds over which the rate that got through is measured
    FLOOR = 1.0  # posts a second: never slower than this
    DECREASE = 0.9  # at a 429, the cap becomes this share of what got through
    INCREASE = 0.25  # then grows by this many posts a second, every second: a 429 costs a whole
    # Retry-After (at least a second) of the workspace's sending, so run into the limit seldom

    def __init__(self, *, monotonic: Callable[[], float] = _time.monotonic) -> None:
        self._monotonic = monotonic
        self._lock = threading.Lock()
        self._paused_until: dict[str, float] = {}
        self._rate: dict[str, float] = {}
        self._next_slot: dict[str, float] = {}
        self._recent: dict[str, deque[float]] = defaultdict(deque)

    def pause(self, workspace_id: str, seconds: float) -> None:
        """Slack said 429: hold everyone back for ``seconds``, and post slower from then on."""
        now = self._monotonic()
        with self._lock:
            until = now + seconds
            if until > self._paused_until.get(workspace_id, 0.0):
                self._paused_until[workspace_id] = until
            current = self._rate.get(workspace_id)
            if current is None:  # the first 429: start from what got through until now
                recent = self._trim(workspace_id, now)
                span = now - recent[0] if len(recent) > 1 else self.WINDOW
                current = len(recent) / max(span, 0.1)
            self._rate[workspace_id] = max(self.FLOOR, self.DECREASE * current)

    def sent(self, workspace_id: str) -> None:
        """A post went through: remember it, and let the rate creep up."""
        now = self._monotonic()
        with self._lock:
            self._recent[workspace_id].append(now)
            self._trim(workspace_id, now)
            rate = self._rate.get(workspace_id)
            if rate is not None:
                self._rate[workspace_id] = rate + self.INCREASE / rate

    def wait(self, workspace_id: str) -> float:
        """Seconds to wait before posting in this workspace; reserves the slot."""
        now = self._monotonic()
        with self._lock:
            slot = max(now, self._paused_until.get(workspace_id, 0.0))
            rate = self._rate.get(workspace_id)
            if rate is not None:
                slot = max(slot, self._next_slot.get(workspace_id, 0.0))
                self._next_slot[workspace_id] = slot + 1.0 / rate
        return slot - now

    def rate(self, workspace_id: str) -> float | None:
        """The learned cap in posts a second, or None while Slack hasn't said 429."""
        with self._lock:
            return self._rate.get(workspace_id)

    def _trim(self, workspace_id: str, now: float) -> deque[float]:
        recent = self._recent[workspace_id]
        while recent and recent[0] < now - self.WINDOW:
            recent.popleft()
        return recent


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

    ``send_one(job, hold)`` is called when the job may go; it calls ``hold(workspace_id)`` right
    before each attempt to post (so a pause set by another worker's 429 holds it back too, and the
    conversation's next message is paced from the last attempt) and returns when the job is finished,
    whatever its outcome. ``sleep`` is injectable so that tests and benchmarks can record
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
        board = _Board(conversations(jobs), self.channel_interval, self.monotonic)

        def work() -> None:
            while (turn := board.next_turn()) is not None:
                queue, wait = turn
                if wait > 0:
                    self.sleep(wait)
                posted = [self.monotonic()]

                def hold(workspace_id: str, posted: list[float] = posted) -> None:
                    self.hold(workspace_id)
                    posted[0] = self.monotonic()  # the post follows at once: pace from here

                try:
                    send_one(queue.popleft(), hold)
                finally:
                    board.done(queue, posted[0])

        threads = min(self.workers, len(board))
        with ThreadPoolExecutor(max_workers=threads, thread_name_prefix="send") as pool:
            for future in [pool.submit(work) for _ in range(threads)]:
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


class _Board(Generic[Row]):
    """Which conversation a free worker takes next.

    A conversation whose next message may go now (its last post a full interval ago) comes first:
    the long conversations are the critical path. Then a conversation not started yet, longest
    first. Failing both, the conversation that will be ready soonest: the worker takes it and waits
    for it, so nobody else can, and the sleep is the dispatcher's (injectable) one. A conversation is
    with at most one worker at a time, which keeps its messages in order.
    """

    def __init__(self, queues: list[list[Job[Row]]], interval: float, monotonic: Callable[[], float]) -> None:
        self._fresh = deque(deque(q) for q in queues)  # longest first
        self._paced: list[tuple[float, int, deque[Job[Row]]]] = []  # (ready at, tie-break, queue)
        self._interval = interval
        self._monotonic = monotonic
        self._busy = 0
        self._ties = 0
        self._size = len(queues)
        self._cond = threading.Condition()

    def __len__(self) -> int:
        return self._size

    def next_turn(self) -> tuple[deque[Job[Row]], float] | None:
        """(conversation, seconds to wait before its next message), or None when all is sent."""
        with self._cond:
            while True:
                now = self._monotonic()
                if self._paced and (self._paced[0][0] <= now or not self._fresh):
                    ready_at, _, queue = heapq.heappop(self._paced)
                    self._busy += 1
                    return queue, max(0.0, ready_at - now)
                if self._fresh:
                    self._busy += 1
                    return self._fresh.popleft(), 0.0
                if not self._busy:
                    return None
                self._cond.wait()  # a busy conversation may come back with more to send

    def done(self, queue: deque[Job[Row]], started: float) -> None:
        """The worker is through with this conversation's message, begun at ``started``."""
        with self._cond:
            self._busy -= 1
            if queue:
                self._ties += 1
                heapq.heappush(self._paced, (started + self._interval, self._ties, queue))
            self._cond.notify_all()
