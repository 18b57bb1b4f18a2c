"""The follow-up pool: failures stay inside it, and a backlog (Slack down) is bounded."""

from __future__ import annotations

import threading

from bot.slack.listeners.followups import make_later


def test_a_backlog_past_the_bound_is_dropped_and_the_pool_recovers(caplog) -> None:
    later = make_later(max_workers=1, max_pending=3)
    release = threading.Event()
    ran: list[int] = []
    done, all_ran = threading.Event(), threading.Event()

    def work(i: int) -> None:
        release.wait(5)
        ran.append(i)
        if len(ran) == 3:
            all_ran.set()

    for i in range(5):  # one runs (and blocks), two wait, two are over the bound
        later(lambda i=i: work(i))
    release.set()
    assert all_ran.wait(5)
    later(done.set)  # once the backlog drains, new work is taken again
    assert done.wait(5)
    assert sorted(ran) == [0, 1, 2]
    assert sum("dropped" in r.getMessage() for r in caplog.records) == 2


def test_a_failing_follow_up_is_logged_not_raised(caplog) -> None:
    later = make_later(max_workers=1)
    done = threading.Event()
    later(lambda: 1 / 0)
    later(done.set)
    assert done.wait(5)
    assert any("follow-up work after an ack failed" in r.getMessage() for r in caplog.records)
