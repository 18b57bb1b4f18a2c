"""The clock's use cases: what is due at an instant, into the outbox, and out to Slack — at most once.

``run_due(now)`` is the one code path behind both ``python -m bot clock`` and ``clock --once``:

1. plan: every check-in, standup, evaluation (alerts, kudos) and 1:1 prompt whose instant lies in
   (covered_until, now], from the database; occurrences older than the misfire grace are skipped;
2. enqueue them in the outbox under their natural key (ON CONFLICT DO NOTHING);
3. deliver what is pending: claim by compare-and-set, send, mark sent with Slack's ``ts``.
"""

from __future__ import annotations

import logging
import threading
import time as _time
import uuid
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from typing import Any, Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.domain import attention as att
from bot.domain import schedule as sch
from bot.domain.calendar import local_date
from bot.domain.types import Role
from bot.services import attention, planner, recovery, stages
from bot.services.context import ServiceBase, team_calendar
from bot.services.delivery import Dispatcher, Job
from bot.services.recovery import Claim
from bot.store import outbox as ob
from bot.store import queries as q
from bot.store.models import Team
from bot.store.voices import voices

log = logging.getLogger(__name__)

DEFAULT_GRACE = timedelta(hours=1)
DEFAULT_SEND_WORKERS = 8
DEFAULT_CLAIM_TIMEOUT = timedelta(minutes=10)
RATE_LIMIT_PATIENCE = 120.0  # seconds of 429 waits one message may sit through in one run
HISTORY_PATIENCE = 10.0  # seconds a tick waits for a workspace's next conversations.history call
HISTORY_MARGIN = timedelta(minutes=1)  # around a claim, for the clocks' skew
CLOCK = "main"


class DeliveryError(Exception):
    """A send that failed.

    ``retryable``: a later try may succeed. ``ambiguous``: Slack may have posted all the same (a
    timeout, a 5xx), so the conversation must be checked before trying again. A retryable error that
    isn't ambiguous (a 429, a refused connection) means Slack provably did not post.
    """

    def __init__(
        self, message: str, *, retryable: bool, retry_after: float | None = None, ambiguous: bool = False
    ) -> None:
        super().__init__(message)
        self.retryable = retryable
        self.retry_after = retry_after
        self.ambiguous = ambiguous


@dataclass(frozen=True)
class HistoryBudget:
    """How much of a workspace's history Slack lets the clock read: one ``conversations.history``
    call every ``interval``, the next one in ``wait`` (0: now)."""

    interval: timedelta
    wait: float


@dataclass(frozen=True)
class HistoryScan:
    """What one read of a conversation told: the posts found for the keys asked about, and from which
    instant on (up to the ``until`` asked for) every message was seen — ``since`` itself when the
    read reached it, ``until`` when it showed too little to rule anything out."""

    found: dict[str, tuple[str, str]]
    read_from: datetime


class Sender(Protocol):
    """Slack, as the clock sees it. Implemented at the Slack edge."""

    def send(
        self, *, workspace_id: str, kind: str, target: str, payload: dict[str, Any], key: str
    ) -> tuple[str, str]:
        """Post one outbox message, tagged with ``key``; returns (channel, ts)."""
        ...

    def find(self, *, workspace_id: str, target: str, key: str, since: datetime) -> tuple[str, str] | None:
        """(channel, ts) of the post tagged ``key`` in ``target`` since ``since``, or None."""
        ...

    def reachable(self, workspace_ids: Iterable[str]) -> set[str]:
        """The workspaces among ``workspace_ids`` the bot can post in (the app is installed there)."""
        ...

    def history_budget(self, workspace_id: str) -> HistoryBudget | None:
        """What Slack lets the clock read of the workspace's history; None: as much as it likes."""
        ...

    def scan(
        self,
        *,
        workspace_id: str,
        target: str,
        keys: Collection[str],
        since: datetime,
        until: datetime,
        now: datetime,
    ) -> HistoryScan:
        """One read of ``target``'s history between ``since`` and ``until`` for the posts tagged with
        ``keys`` (instants on the clock's timeline, whose present is ``now``)."""
        ...


@dataclass
class TickReport:
    """What one run did: for logs, the CLI and the benchmark."""

    since: datetime
    now: datetime
    planned: int = 0
    enqueued: int = 0
    sent: int = 0
    failed: int = 0
    retried: int = 0
    skipped_late: int = 0
    recovered: int = 0
    held: int = 0  # items the attention policy kept for the recipient's next window
    dropped: int = 0  # items it let go as stale or unwanted
    by_kind: dict[str, int] = field(default_factory=lambda: defaultdict(int))

    def summary(self) -> str:
        kinds = ", ".join(f"{k} {v}" for k, v in sorted(self.by_kind.items())) or "nothing"
        return (
            f"clock {self.since:%Y-%m-%d %H:%M}→{self.now:%Y-%m-%d %H:%M} UTC: planned {self.planned}, "
            f"new {self.enqueued}, sent {self.sent} ({kinds}), failed {self.failed}, "
            f"retried {self.retried}, skipped as late {self.skipped_late}"
            + (f", recovered {self.recovered}" if self.recovered else "")
            + (f", held {self.held}" if self.held else "")
            + (f", dropped {self.dropped}" if self.dropped else "")
        )


class ClockService(ServiceBase):
    def __init__(
        self,
        *args,
        grace: timedelta = DEFAULT_GRACE,
        send_workers: int = DEFAULT_SEND_WORKERS,
        claim_timeout: timedelta = DEFAULT_CLAIM_TIMEOUT,
        batch_limit: int = 20_000,
        **kwargs,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.grace = grace
        self.send_workers = send_workers
        self.claim_timeout = claim_timeout
        self.batch_limit = batch_limit
        self._judged: dict[int, date] = {}  # team → the closed week this process has judged
        # (workspace, conversation) → the span of its history read to the end, over several ticks
        self._history_read: dict[tuple[str, str], tuple[datetime, datetime]] = {}

    # --- the one code path ----------------------------------------------------------------

    def run_due(
        self, *, sender: Sender, now: datetime | None = None, sleep: Callable[[float], None] = _time.sleep
    ) -> TickReport:
        now = now or self.now()
        with self.transaction(write=False) as session:
            covered = ob.covered_until(session=session, name=CLOCK)
        since = covered if covered is not None and covered < now else now - self.grace
        if covered is not None and covered >= now:
            since = now  # another clock already covered this instant: just deliver
        window = sch.Window(since=since, now=now, grace=self.grace)
        report = TickReport(since=since, now=now)
        with self.transaction(write=False) as session:
            workspaces = set(session.scalars(select(Team.workspace_id).distinct()))
        skip = frozenset(workspaces - sender.reachable(workspaces))  # the app was removed there
        if skip:
            log.info("not planning for %d workspace(s) without the app installed", len(skip))
        moves = self.judge_weeks(
            now, skip=skip
        )  # stages first: this week's check-ins follow the stage it earned
        messages = self.plan(window, report, skip=skip)
        report.planned = len(messages) + len(moves)
        with self.transaction(write=True) as session:
            report.enqueued = ob.enqueue(session=session, messages=[*moves, *messages], now=now)
            report.enqueued += ob.enqueue(
                session=session, messages=self._alert_moves(session, messages, now), now=now
            )
            ob.set_covered_until(session=session, name=CLOCK, until=now, now=now)
        self.deliver(sender=sender, now=now, report=report, sleep=sleep)
        log.info(report.summary())
        return report

    def judge_weeks(self, now: datetime, *, skip: frozenset[str] = frozenset()) -> list[ob.Message]:
        """Apply the stage machine to every team whose week has closed, one team per transaction,
        so a big workspace's Monday never holds the write lock for long. Teams this process has
        already judged for their latest closed week cost nothing on later ticks."""
        moves: list[ob.Message] = []
        if self._judged and now.weekday() in (2, 3, 4, 5):
            return moves  # every team's week turns over between Sunday and Monday, UTC
        with self.transaction(write=False) as session:
            due = [
                t
                for t in stages.teams_due(session, now=now)
                if self._judged.get(t.id) != stages.last_closed_week(t, now) and t.workspace_id not in skip
            ]
        for team in due:
            with self.transaction(write=True) as session:
                team = session.get(Team, team.id)
                metrics = {m.key: m for m in q.metrics(session=session, workspace_id=team.workspace_id)}
                calendar = team_calendar(team, local_date(now, team.timezone))
                judged = stages.weekly_team(session, team=team, now=now, calendar=calendar, metrics=metrics)
                moves += spoken(session, team=team, messages=judged)
                self._judged[team.id] = stages.last_closed_week(team, now)
        return moves

    def _alert_moves(self, session: Session, messages: list[ob.Message], now: datetime) -> list[ob.Message]:
        """A quota-pace alert moves the rep to support at once."""
        out: list[ob.Message] = []
        done: set[tuple[str, str]] = set()
        for m in messages:
            if m.kind != "quota_alert" or (m.workspace_id, m.subject) in done:
                continue
            done.add((m.workspace_id, m.subject))
            team = session.get(Team, m.team_id)
            managers = [
                x.user_id for x in q.team_members(session=session, team_id=team.id, role=Role.MANAGER)
            ]
            moved = stages.on_quota_alert(
                session, team=team, managers=managers, rep_id=m.subject, data=m.payload, now=now
            )
            out += spoken(session, team=team, messages=moved)
        return out

    # --- planning -------------------------------------------------------------------------

    def plan(
        self, window: sch.Window, report: TickReport | None = None, *, skip: frozenset[str] = frozenset()
    ) -> list[ob.Message]:
        """Everything that came due in the window, as outbox messages (not yet stored), but for the
        workspaces in ``skip``."""
        return planner.plan(self, window, report, skip=skip)

    # --- delivery -------------------------------------------------------------------------

    def deliver(
        self,
        *,
        sender: Sender,
        now: datetime,
        report: TickReport | None = None,
        sleep: Callable[[float], None] = _time.sleep,
        max_attempts: int = 4,
        channel_interval: float = 1.0,
    ) -> TickReport:
        """Send what is pending: one claim per row (compare-and-set), many conversations at once, one
        message a second in each, retried only when Slack provably did not post."""
        report = report or TickReport(since=now, now=now)
        worker = f"clock-{uuid.uuid4().hex[:8]}"
        started = _time.monotonic()

        def instant() -> datetime:
            """The tick's ``now`` moved on by the time delivery has taken: claims and sends are stamped
            with it, so that a claim's age means the same under ``--now`` as on the wall clock."""
            return now + timedelta(seconds=_time.monotonic() - started)

        with self.transaction(write=True) as session:
            report.skipped_late += ob.expire(session=session, before=now - self.grace, keep=att.HELD_KINDS)
        self._drop_thread_claims(now, report)
        self._recover(sender, now, report, sleep)
        with self.transaction(write=True) as session:
            routed = attention.route(session, now=now)
        report.held += routed["held"]
        report.dropped += routed["dropped"]
        with self.transaction(write=False) as session:
            jobs = [
                Job(r.workspace_id, r.target, _Pending(r.id, r.kind, r.payload))
                for r in ob.ready(session=session, now=now, limit=self.batch_limit)
                if r.kind not in att.DM_KINDS  # a person's items go out only inside a "dm", never alone
            ]
        dispatcher: Dispatcher[_Pending] = Dispatcher(
            workers=self.send_workers, channel_interval=channel_interval, sleep=sleep
        )
        lock = threading.Lock()

        def send_one(job: Job[_Pending], hold: Callable[[str], None]) -> None:
            if "thread_of" in job.row.payload:
                threaded = self._into_thread(job, instant())
                if threaded is None:
                    return
                job = threaded
            row = job.row
            claimed_at = instant()
            with self.transaction(write=True) as session:
                if not ob.claim(session=session, row_id=row.id, worker=worker, now=claimed_at):
                    return  # another clock has it
            outcome = self._send(sender, dispatcher, hold, job, claimed_at, sleep, max_attempts, report, lock)
            if isinstance(outcome, DeliveryError) and outcome.ambiguous:
                log.warning(
                    "%s to %s may or may not have gone out (%s): settled later", row.kind, job.target, outcome
                )
                return  # stays claimed: _recover asks Slack once the claim is old
            with self.transaction(write=True) as session:
                if isinstance(outcome, tuple):
                    ob.mark_sent(
                        session=session, row_id=row.id, channel=outcome[0], ts=outcome[1], now=instant()
                    )
                elif outcome.retryable:
                    retry_at = now + timedelta(seconds=max(60.0, outcome.retry_after or 0))
                    ob.release(session=session, row_id=row.id, retry_at=retry_at, error=str(outcome))
                    log.warning("will retry %s to %s after %s: %s", row.kind, job.target, retry_at, outcome)
                else:
                    ob.mark_failed(session=session, row_id=row.id, error=str(outcome))
                    log.error("could not send %s to %s: %s", row.kind, job.target, outcome)
            with lock:
                if isinstance(outcome, tuple):
                    report.sent += 1
                    for kind in _kinds(row):
                        report.by_kind[kind] += 1
                elif not outcome.retryable:
                    report.failed += 1

        dispatcher.run(jobs, send_one)
        return report

    def _into_thread(self, job: Job[_Pending], now: datetime) -> Job[_Pending] | None:
        """A reply in another message's thread (a big scoreboard's parts, under the standup) goes where
        that message went, once it has: until then it waits, and if it never will, neither does the
        reply. Returns the job aimed at the thread, or None when it isn't going now."""
        row = job.row
        with self.transaction(write=True) as session:
            parent = ob.thread_parent(
                session=session, workspace_id=job.workspace_id, ref=row.payload["thread_of"]
            )
            if parent is not None and parent.status == ob.SENT and parent.slack_ts:
                payload = {**row.payload, "thread_ts": parent.slack_ts}
                return Job(
                    job.workspace_id, parent.slack_channel or job.target, _Pending(row.id, row.kind, payload)
                )
            if parent is None or parent.status in (ob.FAILED, ob.SKIPPED):
                ob.mark_failed(
                    session=session,
                    row_id=row.id,
                    status=ob.SKIPPED,
                    error="the message it follows was never posted",
                )
            else:  # pending, or out with another worker: it may be posted yet
                ob.postpone(session=session, row_id=row.id, until=now + timedelta(minutes=1))
        return None

    def _drop_thread_claims(self, now: datetime, report: TickReport) -> None:
        """A reply in a thread that a stopped clock left claimed is skipped, not looked for: Slack's
        channel history leaves thread replies out, so whether it went out can't be told, and at most
        once beats twice."""
        with self.transaction(write=True) as session:
            for row in ob.stale_claims(session=session, before=now - self.claim_timeout):
                if "thread_of" in (row.payload or {}) and ob.settle(
                    session=session,
                    row_id=row.id,
                    worker=row.claimed_by,
                    status=ob.SKIPPED,
                    now=now,
                    error="claimed by a clock that stopped; a reply in a thread can't be looked up",
                ):
                    report.recovered += 1

    def _send(
        self,
        sender: Sender,
        dispatcher: Dispatcher[_Pending],
        hold: Callable[[str], None],
        job: Job[_Pending],
        claimed_at: datetime,
        sleep: Callable[[float], None],
        max_attempts: int,
        report: TickReport,
        lock: threading.Lock,
    ) -> tuple[str, str] | DeliveryError:
        """Send with retries inside this run; returns (channel, ts) or the last error.

        A 429 pauses the whole workspace for its ``Retry-After`` and doesn't use up an attempt (Slack
        said when to come back), until the waits add up to ``RATE_LIMIT_PATIENCE``: then the message
        goes back to the outbox, so that one send never holds its claim for long. After an ambiguous
        failure (a timeout, a 5xx) the conversation is checked before the next try: a post that went
        out despite the error is recorded, not repeated. When even the check fails, the error is
        returned still ambiguous, and the row stays claimed for ``_recover`` to settle."""
        row = job.row
        backoff, attempt, waited = 1.0, 0, 0.0
        while True:
            hold(job.workspace_id)  # a pause another worker's 429 set, or the learned rate
            try:
                posted = sender.send(
                    workspace_id=job.workspace_id,
                    kind=row.kind,
                    target=job.target,
                    payload=row.payload,
                    key=str(row.id),
                )
                dispatcher.gate.sent(job.workspace_id)
                return posted
            except DeliveryError as err:
                if not err.retryable:
                    return err
                if err.retry_after is not None and not err.ambiguous:
                    if waited + err.retry_after > RATE_LIMIT_PATIENCE:
                        return err
                    dispatcher.gate.pause(job.workspace_id, err.retry_after)
                    sleep(err.retry_after)
                    waited += err.retry_after
                else:
                    if err.ambiguous and "thread_ts" in row.payload:
                        # A reply in a thread isn't in the channel's history, so whether it went out
                        # can't be asked: at most once beats twice.
                        return DeliveryError(f"{err}; not sent again: a reply in a thread", retryable=False)
                    attempt += 1
                    sleep(backoff)
                    backoff = min(backoff * 2, 30.0)
                    if err.ambiguous:
                        try:
                            found = sender.find(
                                workspace_id=job.workspace_id,
                                target=job.target,
                                key=str(row.id),
                                since=claimed_at - timedelta(minutes=1),
                            )
                        except DeliveryError:
                            return err
                        if found is not None:
                            return found
                    if attempt >= max_attempts:  # provably not posted: back to pending for a later run
                        return DeliveryError(f"{err} ({attempt} tries)", retryable=True)
                with lock:
                    report.retried += 1
            except Exception as err:  # a bug building this one message must not stop the others
                log.exception("could not build or send %s to %s", row.kind, job.target)
                return DeliveryError(f"{type(err).__name__}: {err}", retryable=False)

    def _recover(
        self,
        sender: Sender,
        now: datetime,
        report: TickReport,
        sleep: Callable[[float], None] = _time.sleep,
    ) -> None:
        """Settle claims a dead clock left behind (killed between its claim and its mark).

        Whether Slack got the message is a question only Slack can answer: the post carries its
        outbox row's id in its metadata, so the conversation's recent history tells. Posted: mark it
        sent. Not posted: back to pending, to go out now if still within the grace. Slack unreachable:
        leave it for the next tick. A claim counts as dead after ``claim_timeout``, far longer than a
        live send can take (a few attempts of a 10-second timeout, ``RATE_LIMIT_PATIENCE`` of waits).

        Where Slack limits how much history the app may read (an app distributed outside the
        Marketplace: one call a minute per workspace), the claims are read a conversation at a time,
        as ``recovery`` orders them, and one whose grace runs out before its turn is skipped.
        """
        with self.transaction(write=False) as session:
            stale = [
                Claim(r.id, r.workspace_id, r.target, r.kind, r.claimed_by, r.claimed_at, r.due_at)
                for r in ob.stale_claims(session=session, before=now - self.claim_timeout)
            ]
        by_workspace: dict[str, list[Claim]] = defaultdict(list)
        for claim in stale:
            by_workspace[claim.workspace_id].append(claim)
        self._history_read = {k: v for k, v in self._history_read.items() if k[0] in by_workspace}
        for workspace_id, claims in by_workspace.items():
            budget = sender.history_budget(workspace_id)
            if budget is None:
                for claim in claims:
                    self._recover_one(sender, claim, now, report)
            else:
                self._recover_within(sender, budget, workspace_id, claims, now, report, sleep)

    def _recover_one(self, sender: Sender, claim: Claim, now: datetime, report: TickReport) -> None:
        """One claim, one look at its conversation (history as far back as it takes)."""
        try:
            found = sender.find(
                workspace_id=claim.workspace_id,
                target=claim.target,
                key=str(claim.id),
                since=claim.claimed_at - HISTORY_MARGIN,
            )
        except DeliveryError as err:
            log.warning("could not check whether %s to %s went out: %s", claim.kind, claim.target, err)
            self._unknown(claim, now, report, err)
            return
        self._settle(claim, found, now, report)

    def _recover_within(
        self,
        sender: Sender,
        budget: HistoryBudget,
        workspace_id: str,
        claims: list[Claim],
        now: datetime,
        report: TickReport,
        sleep: Callable[[float], None],
    ) -> None:
        """One workspace's claims under Slack's history limits: this tick's one read goes to the
        conversation ``recovery.reading_order`` puts first; claims past the grace that it didn't
        settle are skipped — a message that may have been posted is never posted again."""
        windows = recovery.windows(claims, margin=HISTORY_MARGIN, timeout=self.claim_timeout, now=now)
        self._history_read = {
            k: v
            for k, v in self._history_read.items()
            if k[0] != workspace_id or any(w.target == k[1] for w in windows)
        }
        wait = budget.wait if budget.wait <= HISTORY_PATIENCE else None
        order = recovery.reading_order(
            windows,
            deadline=self._deadline,
            first=now + timedelta(seconds=budget.wait),
            interval=budget.interval,
        )
        settled: set[int] = set()
        if order and wait is not None:
            if wait > 0:
                sleep(wait)
            settled = self._read_window(sender, order[0], now, report)
        unread = [c for c in claims if c.id not in settled and self._deadline(c) < now]
        for claim in unread:
            with self.transaction(write=True) as session:
                if ob.settle(
                    session=session,
                    row_id=claim.id,
                    worker=claim.claimed_by,
                    status=ob.SKIPPED,
                    now=now,
                    error="claimed by a clock that stopped; Slack's history limits left no read of its "
                    "conversation within the misfire grace",
                ):
                    report.recovered += 1
        if unread:
            log.warning(
                "skipped %d message(s) in workspace %s that a stopped clock may or may not have posted: "
                "Slack's history limits left no read for them within the grace",
                len(unread),
                workspace_id,
            )

    def _read_window(
        self, sender: Sender, window: recovery.Window, now: datetime, report: TickReport
    ) -> set[int]:
        """Read ``window`` (or, when an earlier tick read its newest part, the part below that) and
        settle each claim the read decides; returns the ids of the claims it settled."""
        key = (window.workspace_id, window.target)
        known = self._history_read.get(key)
        until, top = window.until, window.until
        if known is not None and known[0] <= until <= known[1]:
            # Continue below where the last read of this conversation stopped (Slack's ts count
            # microseconds: nothing lies between the oldest message seen and a microsecond before).
            until, top = known[0] - timedelta(microseconds=1), known[1]
        try:
            scan = sender.scan(
                workspace_id=window.workspace_id,
                target=window.target,
                keys=[str(c.id) for c in window.claims],
                since=window.since,
                until=until,
                now=now,
            )
        except DeliveryError as err:
            log.warning(
                "could not read %s's history for %d claim(s): %s", window.target, len(window.claims), err
            )
            if err.retry_after is not None and not err.ambiguous:
                return set()  # rate limited: a later tick reads it
            # Slack couldn't say. One that refuses to show the history never will: give its claims up
            # now rather than spend every later read on them.
            gone = {c.id for c in window.claims if not err.retryable or self._deadline(c) < now}
            for claim in window.claims:
                if claim.id in gone:
                    self._unknown(claim, now, report, err, at_once=True)
            return gone
        read = (scan.read_from, top)
        self._history_read[key] = read
        settled: set[int] = set()
        for claim in window.claims:
            found = scan.found.get(str(claim.id))
            start, end = recovery.post_window(
                claim, margin=HISTORY_MARGIN, timeout=self.claim_timeout, now=now
            )
            if found is not None or recovery.covers(read, start, end):
                self._settle(claim, found, now, report)
                settled.add(claim.id)
        log.info(
            "read %s's history for %d claim(s): %d posted, %d settled",
            window.target,
            len(window.claims),
            len(scan.found),
            len(settled),
        )
        return settled

    def _deadline(self, claim: Claim) -> datetime:
        """The last instant at which the claimed message may still go out."""
        return claim.due_at + self.grace

    def _unknown(
        self, claim: Claim, now: datetime, report: TickReport, err: DeliveryError, *, at_once: bool = False
    ) -> None:
        """Slack couldn't tell whether the claim was posted: past the grace (or ``at_once``) it is
        given up, never sent; within it, ask again next tick."""
        if self._deadline(claim) >= now and not at_once:
            return
        with self.transaction(write=True) as session:
            if ob.settle(
                session=session,
                row_id=claim.id,
                worker=claim.claimed_by,
                status=ob.FAILED,
                now=now,
                error=f"claimed by a clock that stopped; could not tell whether it was posted: {err}",
            ):
                report.recovered += 1

    def _settle(self, claim: Claim, found: tuple[str, str] | None, now: datetime, report: TickReport) -> None:
        """What Slack's history said: posted (mark it sent), or not (send it, if still in time)."""
        with self.transaction(write=True) as session:
            if found is not None:
                settled = ob.settle(
                    session=session,
                    row_id=claim.id,
                    worker=claim.claimed_by,
                    channel=found[0],
                    ts=found[1],
                    now=now,
                )
            elif self._deadline(claim) < now:
                settled = ob.settle(
                    session=session,
                    row_id=claim.id,
                    worker=claim.claimed_by,
                    status=ob.SKIPPED,
                    now=now,
                    error="claimed by a clock that stopped; past the misfire grace",
                )
            else:
                settled = ob.release(
                    session=session,
                    row_id=claim.id,
                    retry_at=now,
                    error="claimed by a clock that stopped before posting",
                    worker=claim.claimed_by,
                )
        if settled:
            report.recovered += 1
            log.info(
                "recovered %s to %s: %s", claim.kind, claim.target, "it was posted" if found else "not posted"
            )


@dataclass(frozen=True)
class _Pending:
    id: int
    kind: str
    payload: dict[str, Any]


def _kinds(row: _Pending) -> list[str]:
    """What a sent row said: a "dm" row, the kinds of the items it carried."""
    if row.kind == attention.DM:
        return [item["kind"] for item in row.payload.get("items", [])]
    return [row.kind]


def spoken(session: Session, *, team: Team, messages: list[ob.Message]) -> list[ob.Message]:
    """``messages`` about ``team``, each payload naming the language and currency its reader reads
    (one read for them all; the sender renders in it)."""
    if not messages:
        return messages
    heard = voices(
        session=session, workspace_id=team.workspace_id, user_ids=[m.target for m in messages], team=team
    )
    return [
        replace(
            m, payload={**m.payload, "lang": heard[m.target].language, "currency": heard[m.target].currency}
        )
        for m in messages
    ]
