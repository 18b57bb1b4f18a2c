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
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.domain import attention as att
from bot.domain import schedule as sch
from bot.domain.calendar import local_date
from bot.domain.types import Role
from bot.services import attention, planner, stages
from bot.services.context import ServiceBase, team_calendar
from bot.services.delivery import Dispatcher, Job
from bot.store import outbox as ob
from bot.store import queries as q
from bot.store.models import Team

log = logging.getLogger(__name__)

DEFAULT_GRACE = timedelta(hours=1)
DEFAULT_SEND_WORKERS = 8
DEFAULT_CLAIM_TIMEOUT = timedelta(minutes=10)
RATE_LIMIT_PATIENCE = 120.0  # seconds of 429 waits one message may sit through in one run
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
                moves += stages.weekly_team(session, team=team, now=now, calendar=calendar, metrics=metrics)
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
            out += stages.on_quota_alert(
                session, team=team, managers=managers, rep_id=m.subject, data=m.payload, now=now
            )
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
        self._recover(sender, now, report)
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

    def _recover(self, sender: Sender, now: datetime, report: TickReport) -> None:
        """Settle claims a dead clock left behind (killed between its claim and its mark).

        Whether Slack got the message is a question only Slack can answer: the post carries its
        outbox row's id in its metadata, so the conversation's recent history tells. Posted: mark it
        sent. Not posted: back to pending, to go out now if still within the grace. Slack unreachable:
        leave it for the next tick. A claim counts as dead after ``claim_timeout``, far longer than a
        live send can take (a few attempts of a 10-second timeout, ``RATE_LIMIT_PATIENCE`` of waits).
        """
        with self.transaction(write=False) as session:
            stale = [
                (r.id, r.workspace_id, r.target, r.kind, r.claimed_by, r.claimed_at, r.due_at)
                for r in ob.stale_claims(session=session, before=now - self.claim_timeout)
            ]
        for row_id, workspace_id, target, kind, claimed_by, claimed_at, due_at in stale:
            try:
                found = sender.find(
                    workspace_id=workspace_id,
                    target=target,
                    key=str(row_id),
                    since=claimed_at - timedelta(minutes=1),
                )
            except DeliveryError as err:
                log.warning("could not check whether %s to %s went out: %s", kind, target, err)
                if due_at < now - self.grace:  # past the grace it can't be sent anyway: stop asking
                    with self.transaction(write=True) as session:
                        if ob.settle(
                            session=session,
                            row_id=row_id,
                            worker=claimed_by,
                            status=ob.FAILED,
                            now=now,
                            error=f"claimed by a clock that stopped; could not tell whether it was posted: {err}",
                        ):
                            report.recovered += 1
                continue
            with self.transaction(write=True) as session:
                if found is not None:
                    settled = ob.settle(
                        session=session,
                        row_id=row_id,
                        worker=claimed_by,
                        channel=found[0],
                        ts=found[1],
                        now=now,
                    )
                elif due_at < now - self.grace:
                    settled = ob.settle(
                        session=session,
                        row_id=row_id,
                        worker=claimed_by,
                        status=ob.SKIPPED,
                        now=now,
                        error="claimed by a clock that stopped; past the misfire grace",
                    )
                else:
                    settled = ob.release(
                        session=session,
                        row_id=row_id,
                        retry_at=now,
                        error="claimed by a clock that stopped before posting",
                        worker=claimed_by,
                    )
            if settled:
                report.recovered += 1
                log.info("recovered %s to %s: %s", kind, target, "it was posted" if found else "not posted")


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
