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
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any, Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.domain import schedule as sch
from bot.domain.calendar import WorkCalendar, local_date, period_bounds, previous_period
from bot.domain.goals import pace, window_target
from bot.domain.types import STAGE_CADENCE, Cadence, Metric, MetricKind, Period, Role, Scoreboard, Stage, Unit
from bot.services import stages
from bot.services.context import ServiceBase, team_calendar
from bot.services.delivery import Dispatcher, Job
from bot.services.outcomes import ProgressLine
from bot.services.scoring import EffectiveGoal, effective_goals, progress_for, week_on_track
from bot.store import outbox as ob
from bot.store import queries as q
from bot.store.models import AwayPeriod, Membership, MetricRow, RepProfile, StandupAnswer, Team

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
    by_kind: dict[str, int] = field(default_factory=lambda: defaultdict(int))

    def summary(self) -> str:
        kinds = ", ".join(f"{k} {v}" for k, v in sorted(self.by_kind.items())) or "nothing"
        return (
            f"clock {self.since:%Y-%m-%d %H:%M}→{self.now:%Y-%m-%d %H:%M} UTC: planned {self.planned}, "
            f"new {self.enqueued}, sent {self.sent} ({kinds}), failed {self.failed}, "
            f"retried {self.retried}, skipped as late {self.skipped_late}"
            + (f", recovered {self.recovered}" if self.recovered else "")
        )


def _num(value: Decimal) -> str:
    return format(value.normalize(), "f") if value == value.to_integral_value() else format(value, "f")


def line_data(line: ProgressLine) -> dict[str, Any]:
    return {
        "metric": line.metric.key,
        "label": line.metric.label,
        "unit": line.metric.unit.value,
        "result": line.metric.is_result,
        "period": line.period.value,
        "actual": _num(line.actual),
        "target": _num(line.target.quantize(Decimal("0.01"))),
        "pace": line.pace,
    }


@dataclass
class _Rep:
    user_id: str
    team: Team
    profile: RepProfile | None
    joined: date

    @property
    def tz(self) -> str:
        return self.profile.tz if self.profile is not None and self.profile.tz else self.team.timezone

    @property
    def stage(self) -> Stage:
        return Stage(self.profile.stage) if self.profile is not None else Stage.ONBOARDING

    @property
    def cadence(self) -> Cadence:
        if self.profile is not None and self.profile.pinned_cadence:
            return Cadence(self.profile.pinned_cadence)
        return STAGE_CADENCE[self.stage]

    @property
    def hour(self) -> int:
        return self.profile.checkin_hour if self.profile is not None else 9


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
        out: list[ob.Message] = []
        with self.transaction(write=False) as session:
            teams = [t for t in session.scalars(select(Team).order_by(Team.id)) if t.workspace_id not in skip]
            if not teams:
                return out
            members = defaultdict(list)
            for m in session.scalars(select(Membership).where(Membership.removed_at.is_(None))):
                members[m.team_id].append(m)
            rep_ids = {
                (m.workspace_id, m.user_id) for ms in members.values() for m in ms if m.role == Role.REP.value
            }
            profiles = {
                (p.workspace_id, p.user_id): p
                for p in session.scalars(select(RepProfile))
                if (p.workspace_id, p.user_id) in rep_ids
            }
            first = min(window.local_days("Pacific/Kiritimati")[0], window.local_days("Pacific/Pago_Pago")[0])
            last = max(
                window.local_days("Pacific/Kiritimati")[-1], window.local_days("Pacific/Pago_Pago")[-1]
            )
            away_rows = session.scalars(
                select(AwayPeriod).where(
                    AwayPeriod.start <= last, AwayPeriod.end >= first - timedelta(days=100)
                )
            )
            away: dict[tuple[str, str], set[date]] = defaultdict(set)
            for a in away_rows:
                d = a.start
                while d <= a.end:
                    away[(a.workspace_id, a.user_id)].add(d)
                    d += timedelta(days=1)
            metrics_by_ws: dict[str, dict[str, Metric]] = defaultdict(dict)
            for r in session.scalars(select(MetricRow).order_by(MetricRow.position)):
                metrics_by_ws[r.workspace_id][r.key] = Metric(
                    r.key, r.label, MetricKind(r.kind), Unit(r.unit), tuple(r.aliases or ())
                )

            for team in teams:
                calendar = team_calendar(team, local_date(window.now, team.timezone))
                managers = [m.user_id for m in members[team.id] if m.role == Role.MANAGER.value]
                reps = [
                    _Rep(
                        m.user_id,
                        team,
                        profiles.get((team.workspace_id, m.user_id)),
                        local_date(m.added_at, team.timezone),
                    )
                    for m in members[team.id]
                    if m.role == Role.REP.value
                ]
                metrics = metrics_by_ws[team.workspace_id]
                ctx = _Plan(self, session, window, team, calendar, managers, reps, metrics, away, out, report)
                ctx.standups()
                ctx.evaluations()
                ctx.checkins()
        return out

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
            report.skipped_late += ob.expire(session=session, before=now - self.grace)
        self._recover(sender, now, report)
        with self.transaction(write=False) as session:
            jobs = [
                Job(r.workspace_id, r.target, _Pending(r.id, r.kind, r.payload))
                for r in ob.ready(session=session, now=now, limit=self.batch_limit)
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
                    report.by_kind[row.kind] += 1
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


@dataclass
class _Plan:
    """Planning for one team within one window."""

    svc: ClockService
    session: Session
    window: sch.Window
    team: Team
    calendar: WorkCalendar
    managers: list[str]
    reps: list[_Rep]
    metrics: dict[str, Metric]
    away: dict[tuple[str, str], set[date]]
    out: list[ob.Message]
    report: TickReport | None
    flagged: set[tuple[str, str, str]] = field(default_factory=set)

    def _late(self, occurrence: sch.Occurrence, what: str) -> bool:
        if self.window.is_missed(occurrence.at):
            log.warning(
                "skipped %s for %s at %s: past the misfire grace", what, self.team.name, occurrence.at
            )
            if self.report is not None:
                self.report.skipped_late += 1
            return True
        return False

    def _away(self, rep: _Rep) -> frozenset[date]:
        return frozenset(self.away.get((self.team.workspace_id, rep.user_id), ()))

    def _goals(self, rep: _Rep) -> list[EffectiveGoal]:
        return effective_goals(
            self.session, team=self.team, user_id=rep.user_id, metrics=self.metrics, at=self.window.now
        )

    def _msg(
        self, kind: str, target: str, period: str, at: datetime, payload: dict, subject: str = ""
    ) -> None:
        self.out.append(
            ob.Message(
                workspace_id=self.team.workspace_id,
                kind=kind,
                target=target,
                period=period,
                due_at=at,
                payload={**payload, "team_id": self.team.id},
                subject=subject,
                team_id=self.team.id,
            )
        )

    # --- standup and 1:1 prompts ------------------------------------------------------------

    def standups(self) -> None:
        hh, mm = (int(x) for x in self.team.standup_time.split(":"))
        for occ in sch.standups(
            window=self.window,
            tz=self.team.timezone,
            weekday=self.team.standup_weekday,
            at=time(hh, mm),
            calendar=self.calendar,
        ):
            if self._late(occ, "the standup"):
                continue
            last_week = period_bounds(Period.WEEK, occ.day - timedelta(days=7))[0]
            self._msg(
                "standup", self.team.channel_id, occ.period, occ.at, self._standup_payload(last_week, occ)
            )
            for rep in self.reps:
                self._one_on_one(rep, occ, reason="cadence")

    def _standup_payload(self, week_start: date, occ: sch.Occurrence) -> dict[str, Any]:
        week_end = week_start + timedelta(days=6)
        ids = [r.user_id for r in self.reps]
        sums = q.sums_by_metric(
            session=self.session,
            workspace_id=self.team.workspace_id,
            user_ids=ids,
            start=week_start,
            end=week_end,
        )
        totals: dict[str, Decimal] = defaultdict(Decimal)
        targets: dict[str, Decimal] = defaultdict(Decimal)
        kudos, rows = [], []

        for rep in self.reps:
            goals = self._goals(rep)
            away = self._away(rep)
            for key, amount in sums.get(rep.user_id, {}).items():
                totals[key] += amount
            for g in goals:
                if g.metric.is_result and g.period is not Period.DAY:
                    continue
                targets[g.metric.key] += window_target(
                    target=g.target,
                    period=g.period,
                    start=week_start,
                    end=week_end,
                    calendar=self.calendar,
                    away=away,
                )
            if goals and week_on_track(
                self.session,
                workspace_id=self.team.workspace_id,
                user_id=rep.user_id,
                goals=goals,
                week_start=week_start,
                calendar=self.calendar,
            ):
                kudos.append(rep.user_id)
            if self.team.scoreboard == Scoreboard.PUBLIC.value:
                rows.append(
                    {
                        "user": rep.user_id,
                        "totals": {k: _num(v) for k, v in sums.get(rep.user_id, {}).items()},
                    }
                )
        lines = [
            {
                "metric": m.key,
                "label": m.label,
                "unit": m.unit.value,
                "actual": _num(totals.get(m.key, Decimal(0))),
                "target": _num(targets[m.key].quantize(Decimal("0.01"))) if m.key in targets else None,
            }
            for m in self.metrics.values()
            if m.key in totals or m.key in targets
        ]
        return {
            "team": self.team.name,
            "team_id": self.team.id,
            "week": sch.week_key(occ.day),
            "last_week_start": week_start.isoformat(),
            "lines": lines,
            "kudos": kudos,
            "scoreboard": self.team.scoreboard,
            "rows": rows,
        }

    def _one_on_one(self, rep: _Rep, occ: sch.Occurrence, *, reason: str, alert: dict | None = None) -> None:
        period = sch.one_on_one_key(rep.stage, occ.day)
        agenda = self._agenda(rep, occ.day)
        for manager in self.managers:
            self._msg(
                "one_on_one",
                manager,
                period,
                occ.at,
                {
                    "rep": rep.user_id,
                    "team": self.team.name,
                    "stage": rep.stage.value,
                    "reason": reason,
                    "alert": alert,
                    "agenda": agenda,
                },
                subject=rep.user_id,
            )

    def _agenda(self, rep: _Rep, today: date) -> dict[str, Any]:
        goals = self._goals(rep)
        weeks = []
        for back in (14, 7):
            start = period_bounds(Period.WEEK, today - timedelta(days=back))[0]
            lines = progress_for(
                self.session,
                away=self._away(rep),
                workspace_id=self.team.workspace_id,
                user_id=rep.user_id,
                goals=[g for g in goals if not g.metric.is_result],
                day=start,
                calendar=self.calendar,
                week_goals_as_days=True,
            )
            weeks.append({"week_start": start.isoformat(), "lines": [line_data(ln) for ln in lines]})
        quota = progress_for(
            self.session,
            away=self._away(rep),
            workspace_id=self.team.workspace_id,
            user_id=rep.user_id,
            goals=[g for g in goals if g.metric.is_result and g.period is not Period.DAY],
            day=today,
            calendar=self.calendar,
        )

        def mean(week) -> float | None:
            ratios = [
                float(Decimal(x["actual"]) / Decimal(x["target"]))
                for x in week["lines"]
                if Decimal(x["target"]) > 0
            ]
            return sum(ratios) / len(ratios) if ratios else None

        a, b = mean(weeks[0]), mean(weeks[1])
        trend = (
            None if a is None or b is None else ("up" if b > a + 0.05 else "down" if b < a - 0.05 else "flat")
        )
        answer = self.session.scalar(
            select(StandupAnswer)
            .where(
                StandupAnswer.workspace_id == self.team.workspace_id,
                StandupAnswer.user_id == rep.user_id,
                StandupAnswer.help != "",
            )
            .order_by(StandupAnswer.updated_at.desc())
            .limit(1)
        )
        return {
            "weeks": weeks,
            "quota": [line_data(ln) for ln in quota],
            "trend": trend,
            "help": answer.help if answer is not None else None,
            "help_week": answer.week if answer is not None else None,
        }

    # --- end-of-day evaluation: alerts, kudos ----------------------------------------------

    def evaluations(self) -> None:
        for occ in sch.evaluations(window=self.window, tz=self.team.timezone, calendar=self.calendar):
            if self._late(occ, "the end-of-day evaluation"):
                continue
            last = q.last_logged(
                session=self.session,
                workspace_id=self.team.workspace_id,
                user_ids=[r.user_id for r in self.reps],
            )
            self.flagged = ob.existing_keys(
                session=self.session, workspace_id=self.team.workspace_id, kinds=("quota_alert",)
            )
            for rep in self.reps:
                self._evaluate(rep, occ, last.get(rep.user_id))

    def _period_sums(self, rep: _Rep, goals: list[EffectiveGoal], day: date) -> dict[str, dict[str, Decimal]]:
        """metric → period key → total so far, from one query over the longest period needed."""
        if not goals:
            return {}
        start = min(period_bounds(g.period, day)[0] for g in goals)
        daily = q.daily_sums(
            session=self.session,
            workspace_id=self.team.workspace_id,
            user_id=rep.user_id,
            start=start,
            end=day,
        )
        out: dict[str, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
        for g in goals:
            p_start, _ = period_bounds(g.period, day)
            key = sch.period_key(g.period, day)
            out[g.metric.key][key] = sum(
                (
                    amounts.get(g.metric.key, Decimal(0))
                    for d, amounts in daily.items()
                    if p_start <= d <= day
                ),
                Decimal(0),
            )
        return out

    def _evaluate(self, rep: _Rep, occ: sch.Occurrence, last_logged: date | None) -> None:
        day = occ.day
        away = self._away(rep)
        if day in away:
            return
        goals = [g for g in self._goals(rep) if g.period is not Period.DAY]
        managers = self.managers
        flagged = self.flagged
        sums = self._period_sums(rep, goals, day)
        for g in goals:
            start, end = period_bounds(g.period, day)
            period = f"{g.metric.key}:{sch.period_key(g.period, day)}"
            actual = sums.get(g.metric.key, {}).get(sch.period_key(g.period, day), Decimal(0))
            full = window_target(
                target=g.target, period=g.period, start=start, end=end, calendar=self.calendar, away=away
            )
            data = {
                "rep": rep.user_id,
                "team": self.team.name,
                "metric": g.metric.key,
                "label": g.metric.label,
                "unit": g.metric.unit.value,
                "result": g.metric.is_result,
                "period": g.period.value,
                "period_key": sch.period_key(g.period, day),
                "actual": _num(actual),
                "target": _num(full.quantize(Decimal("0.01"))),
            }
            # Kudos: the first time in a period a weekly/monthly goal or a quota is reached.
            if full > 0 and actual >= full:
                self._msg("kudos", rep.user_id, period, occ.at, data)
            if not g.metric.is_result:
                continue
            p = pace(
                actual=actual, quota=g.target, period=g.period, today=day, calendar=self.calendar, away=away
            )
            data = {
                **data,
                "pace": p.ratio,
                "expected": _num(p.expected.quantize(Decimal("0.01"))),
                "elapsed": p.elapsed_share,
            }
            last_working = self.calendar.first_working_day(day + timedelta(days=1), end) is None
            if last_working:
                for manager in managers:
                    self._msg(
                        "period_end",
                        manager,
                        period,
                        occ.at,
                        {**data, "made": actual >= full},
                        subject=rep.user_id,
                    )
            alerted = ("quota_alert", rep.user_id, period) in flagged
            if sch.is_quota_alert(pace=p.ratio, elapsed_share=p.elapsed_share) and not last_working:
                # The alert is also the 1:1 prompt: it carries the agenda and the buttons.
                alert = (
                    {**data, "stage": rep.stage.value, "agenda": self._agenda(rep, day)}
                    if not alerted
                    else data
                )
                for manager in managers:
                    self._msg("quota_alert", manager, period, occ.at, alert, subject=rep.user_id)
            elif alerted and p.ratio is not None and p.ratio >= 0.8:
                for manager in managers:
                    self._msg("back_on_track", manager, period, occ.at, data, subject=rep.user_id)
                self._msg("back_on_track", rep.user_id, period, occ.at, data)
        # Quiet reps in onboarding or support: nothing logged for 3 working days.
        if rep.stage in (Stage.ONBOARDING, Stage.SUPPORT):
            since = max(last_logged or date.min, rep.joined)  # the day they joined doesn't count
            quiet = sch.quiet_days(last_logged=since, today=day, calendar=self.calendar, away=away)
            if quiet >= 3:
                payload = {
                    "rep": rep.user_id,
                    "team": self.team.name,
                    "days": quiet,
                    "last_logged": last_logged.isoformat() if last_logged else None,
                    "stage": rep.stage.value,
                }
                for manager in managers:
                    self._msg("quiet", manager, sch.week_key(day), occ.at, payload, subject=rep.user_id)

    # --- check-in DMs -----------------------------------------------------------------------

    def checkins(self) -> None:
        for rep in self.reps:
            away = self._away(rep)
            for occ in sch.checkins(
                window=self.window,
                tz=rep.tz,
                hour=rep.hour,
                cadence=rep.cadence,
                calendar=self.calendar,
                away=away,
            ):
                if self._late(occ, f"the check-in of {rep.user_id}"):
                    continue
                if q.logged_days(
                    session=self.session,
                    workspace_id=self.team.workspace_id,
                    user_id=rep.user_id,
                    start=occ.day,
                    end=occ.day,
                ):
                    continue  # a rep who is on it needs no nudge
                self._msg("checkin", rep.user_id, occ.period, occ.at, self._checkin_payload(rep, occ, away))

    def _checkin_payload(self, rep: _Rep, occ: sch.Occurrence, away: frozenset[date]) -> dict[str, Any]:
        goals = self._goals(rep)
        cadence = rep.cadence
        if cadence is Cadence.DAILY:
            try:
                looked_at = self.calendar.previous_working_day(occ.day)
            except ValueError:
                looked_at = occ.day - timedelta(days=1)
            scope, start, end = "day", looked_at, looked_at
            lines = progress_for(
                self.session,
                away=self._away(rep),
                workspace_id=self.team.workspace_id,
                user_id=rep.user_id,
                goals=[g for g in goals if g.period is Period.DAY],
                day=looked_at,
                calendar=self.calendar,
            )
            lines += progress_for(
                self.session,
                away=self._away(rep),
                workspace_id=self.team.workspace_id,
                user_id=rep.user_id,
                goals=[g for g in goals if g.period is not Period.DAY],
                day=occ.day,
                calendar=self.calendar,
                include_today=False,  # a morning message: today has not happened yet
            )
        else:
            period = Period.WEEK if cadence is Cadence.WEEKLY else Period.MONTH
            start, end = previous_period(period, occ.day)
            scope = period.value
            lines = progress_for(
                self.session,
                away=self._away(rep),
                workspace_id=self.team.workspace_id,
                user_id=rep.user_id,
                goals=goals,
                day=end,
                calendar=self.calendar,
                week_goals_as_days=period is Period.WEEK,
            )
        return {
            "user": rep.user_id,
            "team": self.team.name,
            "team_id": self.team.id,
            "day": occ.day.isoformat(),
            "scope": scope,
            "from": start.isoformat(),
            "to": end.isoformat(),
            "lines": [line_data(ln) for ln in lines],
            "stage": rep.stage.value,
            "cadence": cadence.value,
            "week": sch.week_key(occ.day),
            "metrics": [g.metric.key for g in goals if not g.metric.is_result] or ["calls"],
            "plan": [
                {
                    "label": g.metric.label,
                    "target": _num(g.target),
                    "period": g.period.value,
                    "until": g.until.isoformat(),
                }
                for g in goals
                if g.until is not None
            ],
            "share_week": occ.day.weekday() == self.team.standup_weekday or cadence is not Cadence.DAILY,
        }
