"""The fan-out dispatcher on a virtual clock: longest conversations first, order and pacing kept."""

from __future__ import annotations

import itertools
import threading
from collections import defaultdict

from bot.services.delivery import Dispatcher, Job, WorkspaceGate, conversations


class VirtualTime:
    """Time that moves only when someone sleeps: tests see the waits without sitting through them."""

    def __init__(self) -> None:
        self.now = 0.0
        self.lock = threading.Lock()
        self.waits: list[float] = []

    def monotonic(self) -> float:
        with self.lock:
            return self.now

    def sleep(self, seconds: float) -> None:
        with self.lock:
            self.waits.append(seconds)
            self.now += seconds


def jobs(sizes: dict[str, int], workspace: str = "T1") -> list[Job[tuple[str, int]]]:
    out = []
    for i in range(max(sizes.values())):  # interleaved, as rows come due
        for target, n in sizes.items():
            if i < n:
                out.append(Job(workspace, target, (target, i)))
    return out


def test_conversations_are_grouped_in_order_longest_first() -> None:
    groups = conversations(jobs({"U1": 1, "MGR": 4, "U2": 1, "C1": 2}))
    assert [[j.row for j in g] for g in groups] == [
        [("MGR", 0), ("MGR", 1), ("MGR", 2), ("MGR", 3)],
        [("C1", 0), ("C1", 1)],
        [("U1", 0)],
        [("U2", 0)],
    ]


def test_parallel_workers_keep_each_conversations_order_and_pace() -> None:
    time = VirtualTime()
    sent: dict[str, list[tuple[int, float]]] = defaultdict(list)
    lock = threading.Lock()

    def send_one(job, hold) -> None:
        hold(job.workspace_id)
        with lock:
            sent[job.target].append((job.row[1], time.monotonic()))

    dispatcher = Dispatcher(workers=4, channel_interval=1.0, sleep=time.sleep, monotonic=time.monotonic)
    dispatcher.run(jobs({"MGR": 6, "C1": 3, **{f"U{i}": 1 for i in range(10)}}), send_one)
    assert sum(len(v) for v in sent.values()) == 19
    for target, posts in sent.items():
        assert [i for i, _ in posts] == list(range(len(posts))), target
        gaps = [b - a for (_, a), (_, b) in itertools.pairwise(posts)]
        assert all(g >= 1.0 - 1e-9 for g in gaps), (target, gaps)


def test_the_longest_conversations_start_first() -> None:
    started: list[str] = []
    lock = threading.Lock()
    gate = threading.Barrier(2)

    def send_one(job, hold) -> None:
        with lock:
            first = job.target not in started
            started.append(job.target)
        if first and len(set(started)) <= 2:
            gate.wait(timeout=5)  # both workers are busy with their first conversation at once

    Dispatcher(workers=2, channel_interval=0.0, sleep=lambda s: None).run(
        jobs({"U1": 1, "MGR": 5, "U2": 1, "C1": 3}), send_one
    )
    assert set(started[:2]) == {"MGR", "C1"}


def test_one_worker_sends_in_the_order_rows_came_due() -> None:
    order: list[tuple[str, int]] = []
    Dispatcher(workers=1, channel_interval=0.0, sleep=lambda s: None).run(
        jobs({"A": 2, "B": 2}), lambda job, hold: order.append(job.row)
    )
    assert order == [("A", 0), ("B", 0), ("A", 1), ("B", 1)]


def test_a_pause_holds_back_only_its_workspace() -> None:
    time = VirtualTime()
    gate = WorkspaceGate(monotonic=time.monotonic)
    assert [gate.wait("T1") for _ in range(3)] == [0, 0, 0]  # no 429 yet: no cap
    gate.pause("T1", 5)
    gate.pause("T1", 2)  # a shorter pause never cuts a longer one short
    assert gate.wait("T1") == 5 and gate.wait("T2") == 0
    time.sleep(4.5)
    assert gate.wait("T1") > 0 and gate.wait("T2") == 0


def test_after_a_429_the_rate_settles_just_under_what_got_through() -> None:
    time = VirtualTime()
    gate = WorkspaceGate(monotonic=time.monotonic)
    for _ in range(20):  # 10 posts a second for two seconds, then Slack says 429
        time.sleep(0.1)
        gate.sent("T1")
    gate.pause("T1", 1)
    assert abs(gate.rate("T1") - 9.0 * 20 / 19) < 1e-9  # 90 % of the 20 posts over the 1.9 s they took
    slots = [gate.wait("T1") for _ in range(10)]
    assert slots[0] == 1.0  # the pause first
    rate = gate.rate("T1")
    assert all(abs((b - a) - 1 / rate) < 1e-9 for a, b in itertools.pairwise(slots))  # then at that rate
    for _ in range(9):
        gate.sent("T1")
    assert (
        abs(gate.rate("T1") - rate - 9 * 0.25 / rate) < 0.01
    )  # a second's worth through: 0.25 a second faster
    gate.pause("T1", 1)
    assert gate.rate("T1") < rate  # and down again at the next 429
