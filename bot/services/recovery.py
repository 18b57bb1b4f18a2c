"""Which conversations to read, when Slack lets the clock read only a little history.

A clock that died between claiming an outbox row and recording its post leaves the row claimed; only
the conversation's history can tell whether the post went out (it carries the row's id). For an app
distributed outside Slack's Marketplace, ``conversations.history`` answers one call a minute per
workspace, 15 messages a call. So the dead claims are read a conversation at a time:

* a conversation's claims share a read: its window runs from a minute before the first claim to a
  minute past the last one's ``claim_timeout`` (a post can only follow its claim, and no live send
  takes that long), so the messages in it are few — claims far apart in time get windows of their own;
* each read should settle as many claims as can still be sent within the grace: the heaviest set of
  windows that one read a minute can reach before their deadlines is chosen (unit jobs with
  deadlines: the greedy "heaviest first, in the latest free minute" is optimal), then read soonest
  deadline first, most claims first among equals;
* a claim whose grace runs out before its conversation was read is skipped by the caller: a message
  that may have gone out is never posted again.

Pure: no database, no Slack; the clock (``ClockService``) applies what is decided here.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True)
class Claim:
    """An outbox row claimed by a clock that stopped before recording the post."""

    id: int
    workspace_id: str
    target: str
    kind: str
    claimed_by: str | None
    claimed_at: datetime
    due_at: datetime


@dataclass(frozen=True)
class Window:
    """Claims in one conversation whose posts, if they went out, lie between ``since`` and ``until``."""

    workspace_id: str
    target: str
    claims: tuple[Claim, ...]
    since: datetime
    until: datetime


def post_window(
    claim: Claim, *, margin: timedelta, timeout: timedelta, now: datetime
) -> tuple[datetime, datetime]:
    """Where the post of ``claim`` can lie: from ``margin`` before the claim to ``margin`` past its
    ``timeout``, and never past ``now``."""
    return claim.claimed_at - margin, min(claim.claimed_at + timeout + margin, now)


def windows(claims: Iterable[Claim], *, margin: timedelta, timeout: timedelta, now: datetime) -> list[Window]:
    """The claims grouped by conversation, and within one into windows that overlap."""
    by_conversation: dict[tuple[str, str], list[Claim]] = defaultdict(list)
    for claim in claims:
        by_conversation[(claim.workspace_id, claim.target)].append(claim)
    out: list[Window] = []
    for (workspace_id, target), group in by_conversation.items():
        group.sort(key=lambda c: (c.claimed_at, c.id))
        current: list[Claim] = []
        since = until = None
        for claim in group:
            start, end = post_window(claim, margin=margin, timeout=timeout, now=now)
            if current and start > until:
                out.append(Window(workspace_id, target, tuple(current), since, until))
                current = []
            if not current:
                since, until = start, end
            current.append(claim)
            until = max(until, end)
        out.append(Window(workspace_id, target, tuple(current), since, until))
    return out


def reading_order(
    found: Sequence[Window],
    *,
    deadline: Callable[[Claim], datetime],
    first: datetime,
    interval: timedelta,
) -> list[Window]:
    """The windows worth a read, in the order to read them: one read at ``first``, then one every
    ``interval``. A window is worth what it can still send: its claims whose ``deadline`` (the end of
    the misfire grace) is not past at ``first``; windows worth nothing are left out. Those the
    budget can't reach in time come last, most claims first (in case a read frees up)."""
    worth: dict[int, int] = {}
    due: dict[int, datetime] = {}
    for i, w in enumerate(found):
        sendable = [deadline(c) for c in w.claims if deadline(c) >= first]
        if sendable:
            worth[i], due[i] = len(sendable), min(sendable)
    latest_slot = {i: int((due[i] - first) / interval) for i in worth}
    free: dict[int, int] = {}  # slot → the free slot at or before it (union-find, path halving)

    def take(slot: int) -> int | None:
        root = slot
        while free.get(root, root) != root:
            free[root] = free.get(free[root], free[root])
            root = free[root]
        if root < 0:
            return None
        free[root] = root - 1
        return root

    chosen: list[int] = []
    left: list[int] = []
    for i in sorted(worth, key=lambda i: (-worth[i], due[i], found[i].target, found[i].since)):
        (chosen if take(latest_slot[i]) is not None else left).append(i)
    chosen.sort(key=lambda i: (due[i], -worth[i], found[i].target, found[i].since))
    return [found[i] for i in chosen + left]


def covers(read: tuple[datetime, datetime] | None, start: datetime, end: datetime) -> bool:
    """Whether a read of every message in ``read`` (from, to) saw all of [start, end]."""
    return read is not None and read[0] <= start and end <= read[1]
