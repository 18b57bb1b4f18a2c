"""Work that must wait until after the ack — Web API calls — on a small pool, never the request thread."""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

log = logging.getLogger(__name__)

Later = Callable[[Callable[[], None]], None]


def make_later(max_workers: int = 4) -> Later:
    """``later(work)`` runs ``work`` on the pool; a failure is logged, never raised into a request."""
    pool = ThreadPoolExecutor(max_workers=max_workers, thread_name_prefix="followup")

    def later(work: Callable[[], None]) -> None:
        def run() -> None:
            try:
                work()
            except Exception:
                log.exception("follow-up work after an ack failed")

        pool.submit(run)

    return later
