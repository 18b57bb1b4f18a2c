"""One active clock: on PostgreSQL an advisory lock, held on its own connection; a second clock waits."""

from __future__ import annotations

from bot.clock import LeaderLock


def test_only_one_clock_holds_the_lock_until_it_lets_go(engine) -> None:
    first, second = LeaderLock(engine), LeaderLock(engine)
    try:
        assert first.try_acquire()
        if engine.dialect.name == "postgresql":
            assert not second.try_acquire()  # the standby waits
            first.release()
            assert second.try_acquire()
        else:
            # SQLite lives on one machine; the outbox's compare-and-set claim keeps two clocks harmless.
            assert second.try_acquire()
        assert first.still_held() and second.still_held()
    finally:
        first.release()
        second.release()
