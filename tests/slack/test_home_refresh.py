"""The Home tab refresh after /log: one queued per rep, so a burst of /log doesn't queue a burst of
Home refreshes — and a /log made once a refresh has started gets a refresh of its own."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from bot.slack.listeners import commands


@pytest.fixture
def published(monkeypatch) -> list[tuple[str, str]]:
    seen: list[tuple[str, str]] = []
    monkeypatch.setattr(
        commands, "publish_home", lambda services, gateway, workspace, user: seen.append((workspace, user))
    )
    return seen


def test_logs_while_a_refresh_waits_share_it(published) -> None:
    queue: list[Callable[[], None]] = []
    refresh = commands._home_refresher(services=None, later=queue.append, every=0.0)
    for _ in range(3):
        refresh(None, "T1", "U1")
    refresh(None, "T1", "U2")
    refresh(None, "T2", "U1")
    assert len(queue) == 3  # U1 once, U2, and U1 of the other workspace
    for work in queue:
        work()
    assert published == [("T1", "U1"), ("T1", "U2"), ("T2", "U1")]


def test_a_log_after_the_refresh_started_queues_another(published) -> None:
    queue: list[Callable[[], None]] = []
    refresh = commands._home_refresher(services=None, later=queue.append, every=0.0)
    refresh(None, "T1", "U1")
    first = queue.pop()
    first()  # started (and finished): what it read may predate the next /log
    refresh(None, "T1", "U1")
    assert len(queue) == 1
    queue.pop()()
    assert published == [("T1", "U1"), ("T1", "U1")]


def test_a_refused_submission_does_not_block_later_refreshes(published) -> None:
    calls = 0

    def later(work: Callable[[], None]) -> None:
        nonlocal calls
        calls += 1
        if calls == 1:
            raise RuntimeError("cannot schedule new futures after shutdown")
        work()

    refresh = commands._home_refresher(services=None, later=later, every=0.0)
    with pytest.raises(RuntimeError):
        refresh(None, "T1", "U1")
    refresh(None, "T1", "U1")
    assert published == [("T1", "U1")]


def test_a_rep_logging_again_soon_after_gets_one_more_refresh_a_few_seconds_on(published) -> None:
    queue: list[Callable[[], None]] = []
    timers: list[tuple[float, Callable[[], None]]] = []
    now = [100.0]
    refresh = commands._home_refresher(
        services=None,
        later=queue.append,
        every=5.0,
        after=lambda seconds, work: timers.append((seconds, work)),
        monotonic=lambda: now[0],
    )
    refresh(None, "T1", "U1")
    queue.pop()()  # published at once: the first /log in a while
    now[0] += 1.5
    refresh(None, "T1", "U1")
    refresh(None, "T1", "U1")
    assert queue == [] and [round(s, 6) for s, _ in timers] == [3.5]  # one, when 5 s have passed
    timers.pop()[1]()
    queue.pop()()
    assert published == [("T1", "U1"), ("T1", "U1")]
    now[0] += 60
    refresh(None, "T1", "U1")
    assert len(queue) == 1 and timers == []  # long after: at once again
