"""The clock's planner: what each team's people and channel are due within one window.

``plan`` proposes outbox messages — the weekly standup, the 1:1 rounds, the end-of-day evaluation
(alerts, kudos, quiet reps) and the check-ins — from the database, without sending anything. What is
addressed to a person is only a proposal: the attention policy (``services.attention``) decides when,
merged with what, and whether at all.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.domain import attention as att
from bot.domain import schedule as sch
from bot.domain.calendar import WorkCalendar, local_date, period_bounds, previous_period, to_utc
from bot.domain.goals import pace, window_target
from bot.domain.self_starter import SelfStarter
from bot.domain.types import STAGE_CADENCE, Cadence, Metric, MetricKind, Period, Role, Scoreboard, Stage, Unit
from bot.i18n import Voice
from bot.services import attention, meetings, self_starter
from bot.services.context import team_calendar
from bot.services.outcomes import ProgressLine
from bot.services.scoring import EffectiveGoal, effective_goals, progress_for, week_on_track
from bot.store import outbox as ob
from bot.store import queries as q
from bot.store.models import AwayPeriod, Membership, MetricRow, Outbox, RepProfile, StandupAnswer, Team
from bot.store.voices import person_voice, team_voice

log = logging.getLogger(__name__)

# A public scoreboard of up to this many reps goes in the standup itself; a bigger team's standup
# carries a summary, and the rep lines follow in its thread, this many to a message: Slack refuses a
# message past about 12,000 characters of text (a 200-rep standup would carry some 19,600).
SCOREBOARD_IN_STANDUP = 25
SCOREBOARD_PAGE = 50
SCOREBOARD_LEADERS = 3  # the summary names who led each of the first few metrics
# What goes to the team's channel, in the team's language; everything else is a person's DM, in theirs.
CHANNEL_KINDS = frozenset({"standup", "standup_board", "meeting"})


def _num(value: Decimal) -> str:
    return format(value.normalize(), "f") if value == value.to_integral_value() else format(value, "f")


def _board(payload: dict[str, Any], parts: int) -> dict[str, Any]:
    """What a big team's standup says of its scoreboard: how many reps logged, who led each of the
    first metrics, and in how many parts the rep lines follow in its thread."""
    rows = payload["rows"]
    leaders = []
    for line in payload["lines"][:SCOREBOARD_LEADERS]:
        key = line["metric"]
        scored = [
            (Decimal(r["totals"][key]), i) for i, r in enumerate(rows) if Decimal(r["totals"].get(key, 0)) > 0
        ]
        top = sorted(scored, key=lambda vi: (-vi[0], vi[1]))[:SCOREBOARD_LEADERS]
        if top:
            leaders.append({"metric": key, "top": [[rows[i]["user"], _num(v)] for v, i in top]})
    return {
        "reps": len(rows),
        "logged": sum(1 for r in rows if any(Decimal(v) for v in r["totals"].values())),
        "parts": parts,
        "leaders": leaders,
    }


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


def plan(
    svc: Any, window: sch.Window, report: Any = None, *, skip: frozenset[str] = frozenset()
) -> list[ob.Message]:
    """Everything that came due in the window, as outbox messages (not yet stored), but for the
    workspaces in ``skip``."""
    out: list[ob.Message] = []
    with svc.transaction(write=False) as session:
        teams = [
            t
            for t in session.scalars(select(Team).where(Team.deleted_at.is_(None)).order_by(Team.id))
            if t.workspace_id not in skip
        ]
        if not teams:
            return out
        members = defaultdict(list)
        for m in session.scalars(select(Membership).where(Membership.removed_at.is_(None))):
            members[m.team_id].append(m)
        member_ids = {(m.workspace_id, m.user_id) for ms in members.values() for m in ms}
        # Reps' and managers' profiles: the reps' for their stage and hours, everyone's for the language
        # they read (one read for all, as the clock has always made it).
        profiles = {
            (p.workspace_id, p.user_id): p
            for p in session.scalars(select(RepProfile))
            if (p.workspace_id, p.user_id) in member_ids
        }
        first = min(window.local_days("Pacific/Kiritimati")[0], window.local_days("Pacific/Pago_Pago")[0])
        last = max(window.local_days("Pacific/Kiritimati")[-1], window.local_days("Pacific/Pago_Pago")[-1])
        away_rows = session.scalars(
            select(AwayPeriod).where(AwayPeriod.start <= last, AwayPeriod.end >= first - timedelta(days=100))
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
            # Who reads in which language and currency, about this team (the rule of store.voices,
            # from the profiles read above: no query per team or per message).
            voices = {
                m.user_id: person_voice(profiles.get((team.workspace_id, m.user_id)), team)
                for m in members[team.id]
            }
            ctx = _Plan(
                svc,
                session,
                window,
                team,
                calendar,
                managers,
                reps,
                metrics,
                away,
                out,
                report,
                voices=voices,
            )
            ctx.standups()
            meetings.plan(ctx)
            ctx.one_on_ones()
            ctx.evaluations()
            ctx.checkins()
    return out


@dataclass
class _Plan:
    """Planning for one team within one window."""

    svc: Any
    session: Session
    window: sch.Window
    team: Team
    calendar: WorkCalendar
    managers: list[str]
    reps: list[_Rep]
    metrics: dict[str, Metric]
    away: dict[tuple[str, str], set[date]]
    out: list[ob.Message]
    report: Any
    voices: dict[str, Voice] = field(default_factory=dict)
    flagged: set[tuple[str, str, str]] = field(default_factory=set)
    starters: dict[str, SelfStarter] | None = None  # the team's onboarding reps, read when first needed

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

    def _voice(self, kind: str, target: str) -> Voice:
        """Whose language a message speaks: the team's in its channel, the reader's in a DM."""
        if kind in CHANNEL_KINDS:
            return team_voice(self.team)
        found = self.voices.get(target)
        return found if found is not None else person_voice(None, self.team)

    def _msg(
        self, kind: str, target: str, period: str, at: datetime, payload: dict, subject: str = ""
    ) -> None:
        voice = self._voice(kind, target)
        payload = {**payload, "lang": voice.language, "currency": voice.currency}
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
            payload = self._standup_payload(last_week, occ)
            subject = ob.standup_subject(self.team.id)
            rows = payload["rows"]
            pages = [rows[i : i + SCOREBOARD_PAGE] for i in range(0, len(rows), SCOREBOARD_PAGE)]
            if len(rows) > SCOREBOARD_IN_STANDUP:
                payload = {**payload, "rows": [], "board": _board(payload, len(pages))}
            self._msg("standup", self.team.channel_id, occ.period, occ.at, payload, subject=subject)
            if len(rows) <= SCOREBOARD_IN_STANDUP:
                continue
            parent = {"kind": "standup", "subject": subject, "period": occ.period}
            for part, page in enumerate(pages, 1):
                self._msg(
                    "standup_board",
                    self.team.channel_id,
                    f"{occ.period}#{part}",
                    occ.at,
                    {
                        **{k: payload[k] for k in ("team", "week", "last_week_start", "lines")},
                        "rows": page,
                        "part": part,
                        "parts": len(pages),
                        "thread_of": parent,
                    },
                    subject=subject,
                )

    def one_on_ones(self) -> None:
        """The round of 1:1 prompts, on the standup's day, for the whole of that day (team time).

        It is planned from the day's first minute, so that each manager's morning digest carries
        every prompt due that day; a round the clock finds already planned costs one query."""
        for occ in sch.one_on_one_rounds(
            window=self.window,
            tz=self.team.timezone,
            weekday=self.team.standup_weekday,
            calendar=self.calendar,
        ):
            if not self.reps or not self.managers:
                continue
            periods = {sch.one_on_one_key(rep.stage, occ.day) for rep in self.reps}
            planned = {  # only this round's periods: the table keeps every round ever planned
                (subject, period)
                for subject, period in self.session.execute(
                    select(Outbox.subject, Outbox.period).where(
                        Outbox.workspace_id == self.team.workspace_id,
                        Outbox.kind == "one_on_one",
                        Outbox.period.in_(sorted(periods)),
                    )
                )
            }
            alerted = set(  # a quota alert today was the 1:1 prompt: it carried the agenda
                self.session.scalars(
                    select(Outbox.subject).where(
                        Outbox.workspace_id == self.team.workspace_id,
                        Outbox.kind == "quota_alert",
                        Outbox.created_at >= to_utc(occ.day, time(0, 0), self.team.timezone),
                    )
                )
            )
            for rep in self.reps:
                if rep.user_id in alerted:
                    continue
                if (rep.user_id, sch.one_on_one_key(rep.stage, occ.day)) not in planned:
                    self._one_on_one(rep, occ, reason="cadence")

    def _standup_payload(self, week_start: date, occ: sch.Occurrence) -> dict[str, Any]:
        week_end = week_start + timedelta(days=6)
        ids = [r.user_id for r in self.reps]
        sums = q.sums_by_metric(
            session=self.session,
            workspace_id=self.team.workspace_id,
            team_id=self.team.id,
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
                team_id=self.team.id,
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
                    **meetings.video(self.team),
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
                team_id=self.team.id,
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
            team_id=self.team.id,
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
            .where(  # what the rep asked of this team: a help answer shared on another stays there
                StandupAnswer.workspace_id == self.team.workspace_id,
                StandupAnswer.team_id == self.team.id,
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
            **self._self_starter(rep),
        }

    def _self_starter(self, rep: _Rep) -> dict[str, Any]:
        """A new hire's self-starter figures for the agenda: the team's read once, in one go."""
        if rep.stage is not Stage.ONBOARDING:
            return {}
        if self.starters is None:
            self.starters = self_starter.for_team(self.session, team=self.team, now=self.window.now)
        figures = self.starters.get(rep.user_id)
        return {"self_starter": figures.as_payload()} if figures is not None else {}

    # --- end-of-day evaluation: alerts, kudos ----------------------------------------------

    def evaluations(self) -> None:
        for occ in sch.evaluations(window=self.window, tz=self.team.timezone, calendar=self.calendar):
            if self._late(occ, "the end-of-day evaluation"):
                continue
            last = q.last_logged(
                session=self.session,
                workspace_id=self.team.workspace_id,
                team_id=self.team.id,
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
            team_id=self.team.id,
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
                alert = {**alert, **meetings.video(self.team)}
                for manager in managers:
                    self._msg("quota_alert", manager, period, occ.at, alert, subject=rep.user_id)
            elif alerted and p.ratio is not None and p.ratio >= 0.8:
                for manager in managers:
                    self._msg("back_on_track", manager, period, occ.at, data, subject=rep.user_id)
                self._msg("back_on_track", rep.user_id, period, occ.at, data)
        # Quiet reps, whatever their stage: told to the managers once per quiet spell.
        since = max(last_logged or date.min, rep.joined)  # the day they joined doesn't count
        quiet = sch.quiet_days(last_logged=since, today=day, calendar=self.calendar, away=away)
        if quiet >= sch.QUIET_AFTER[rep.stage]:
            payload = {
                "rep": rep.user_id,
                "team": self.team.name,
                "days": quiet,
                "last_logged": last_logged.isoformat() if last_logged else None,
                "stage": rep.stage.value,
            }
            spell = f"since:{since.isoformat()}"  # logging again starts a new spell
            for manager in managers:
                self._msg("quiet", manager, spell, occ.at, payload, subject=rep.user_id)

    # --- check-in DMs -----------------------------------------------------------------------

    def checkins(self) -> None:
        for rep in self.reps:
            away = self._away(rep)
            for occ in sch.checkins(
                window=self.window,
                tz=rep.tz,
                at=att.checkin_time(rep.hour, attention.hours_of(rep.profile)),
                cadence=rep.cadence,
                calendar=self.calendar,
                away=away,
            ):
                if self._late(occ, f"the check-in of {rep.user_id}"):
                    continue
                if q.logged_days(
                    session=self.session,
                    workspace_id=self.team.workspace_id,
                    team_id=self.team.id,
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
                team_id=self.team.id,
                user_id=rep.user_id,
                goals=[g for g in goals if g.period is Period.DAY],
                day=looked_at,
                calendar=self.calendar,
            )
            lines += progress_for(
                self.session,
                away=self._away(rep),
                workspace_id=self.team.workspace_id,
                team_id=self.team.id,
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
                team_id=self.team.id,
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
            "first": end < rep.joined,  # the window looked at ended before the rep joined
        }
