"""Work that must wait until after the ack — Web API calls — on a small pool, never the request thread."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from bot.slack.listeners.voices import carry

log = logging.getLogger(__name__)

Later = Callable[[Callable[[], None]], None]

MAX_PENDING = 500
FOLLOW_UP_WORKERS = 4
# Opening a modal has a lane of its own: its trigger_id dies 3 s after the click, so it must never
# queue behind profile lookups or Home refreshes that may each wait out a 5 s timeout. Only a burst of
# clicks shares it, and a click's modal that can't start soon is useless anyway.
VIEW_WORKERS = 2
MAX_PENDING_VIEWS = 20


def make_later(
    max_workers: int = FOLLOW_UP_WORKERS, max_pending: int = MAX_PENDING, *, name: str = "followup"
) -> Later:
    """``later(work)`` runs ``work`` on the pool; a failure is logged, never raised into a request.

    While Slack is down every follow-up waits out its timeouts, and the queue would grow with every
    request. Past ``max_pending`` waiting or running, new work is dropped with a warning: follow-ups
    are refreshes (Home tab, profiles) that the next request or Home visit repeats, or Slack calls
    whose trigger has long expired; the reply itself already went out in the ack.

    A follow-up speaks the voice of the request that queued it (:func:`voices.carry`).
    """
    pool = ThreadPoolExecutor(max_workers=max_workers, thread_name_prefix=name)
    pending = 0
    lock = threading.Lock()

    def later(work: Callable[[], None]) -> None:
        nonlocal pending
        with lock:
            if pending >= max_pending:
                log.warning("%d follow-ups are waiting (is Slack slow?): dropped one", pending)
                return
            pending += 1

        def run() -> None:
            nonlocal pending
            try:
                work()
            except Exception:
                log.exception("follow-up work after an ack failed")
            finally:
                with lock:
                    pending -= 1

        try:
            pool.submit(carry(run))
        except BaseException:
            with lock:
                pending -= 1
            raise

    return later
