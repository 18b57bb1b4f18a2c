"""The support loop of a good sales manager: after a quota alert, a 1:1 with an agenda, a few
short-term activity goals agreed with an end date, tracked in the rep's check-ins until results recover."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError

from bot.domain.calendar import local_date
from bot.domain.types import Period
from bot.i18n import _
from bot.services.context import ServiceBase
from bot.services.outcomes import Notice, Problem
from bot.services.scoring import effective_goals
from bot.store import outbox as ob
from bot.store import queries as q
from bot.store.models import Goal, OneOnOne, Outbox, Team
from bot.store.voices import voice_of

PLAN_DAYS = 14
MAX_PLAN_DAYS = 90
MAX_TARGET = Decimal(100_000)


@dataclass(frozen=True)
class Invalid:
    """A modal field that needs fixing; shown inline under that field."""

    field: str
    message: str


@dataclass(frozen=True)
class PlanForm:
    rep: str
    team_id: int
    metrics: list[dict[str, str]]  # key, label, unit, period, current target
    until: str
    video: str | None = None  # the team's 1:1 video room (``/team video``)


@dataclass(frozen=True)
class Planned:
    rep: str
    manager: str
    team: str
    items: list[tuple[str, str, str]]  # (label, target, period)
    until: date
    video: str | None = None  # the team's 1:1 video room (``/team video``)


class CoachingService(ServiceBase):
    def _managed(self, session, workspace_id: str, manager: str, rep: str, team_id: int) -> Team | Problem:
        team = self.rep_team(session, workspace_id, rep)
        caller = self.caller(session, workspace_id, manager)
        if team is None or team.id != team_id or not caller.manages(team.id):
            return Problem(_("Only <@{user}>'s manager can plan their 1:1 goals.", user=rep))
        return team

    def plan_form(self, *, workspace_id: str, manager: str, rep: str, team_id: int) -> PlanForm | Problem:
        with self.transaction(write=False) as session:
            team = self._managed(session, workspace_id, manager, rep, team_id)
            if isinstance(team, Problem):
                return team
            metrics = {m.key: m for m in q.metrics(session=session, workspace_id=workspace_id)}
            goals = {
                g.metric.key: g
                for g in effective_goals(session, team=team, user_id=rep, metrics=metrics, at=self.now())
            }
            fields = []
            for m in metrics.values():
                if m.is_result:
                    continue
                g = goals.get(m.key)
                fields.append(
                    {
                        "key": m.key,
                        "label": m.label,
                        "unit": m.unit.value,
                        "period": (g.period if g else Period.DAY).value,
                        "current": format(g.target.normalize(), "f") if g else "",
                    }
                )
            until = local_date(self.now(), team.timezone) + timedelta(days=PLAN_DAYS)
            return PlanForm(rep, team.id, fields, until.isoformat(), video=team.video_url)

    def plan(
        self,
        *,
        workspace_id: str,
        manager: str,
        rep: str,
        team_id: int,
        targets: dict[str, str],
        until: date | None,
    ) -> Planned | Invalid | Problem:
        """Record the agreed short-term goals (only the metrics given), in force through ``until``."""
        self.ensure_workspace(workspace_id)
        with self.transaction(write=True) as session:
            team = self._managed(session, workspace_id, manager, rep, team_id)
            if isinstance(team, Problem):
                return team
            today = local_date(self.now(), team.timezone)
            if until is None or until <= today or until > today + timedelta(days=MAX_PLAN_DAYS):
                return Invalid(
                    "until", _("Pick an end date after today and within {n} days.", n=MAX_PLAN_DAYS)
                )
            metrics = {m.key: m for m in q.metrics(session=session, workspace_id=workspace_id)}
            goals = {
                g.metric.key: g
                for g in effective_goals(session, team=team, user_id=rep, metrics=metrics, at=self.now())
            }
            items = []
            for key, raw in targets.items():
                if key not in metrics or metrics[key].is_result or not raw.strip():
                    continue
                try:
                    target = Decimal(raw.strip())
                except InvalidOperation:
                    return Invalid(f"metric:{key}", _("“{text}” isn't a number.", text=raw[:20]))
                if (
                    not target.is_finite()
                    or target <= 0
                    or target > MAX_TARGET
                    or target != target.to_integral_value()
                ):
                    return Invalid(f"metric:{key}", _("Targets are whole numbers above zero."))
                period = goals[key].period if key in goals else Period.DAY
                items.append((key, target, period))
            if not items:
                return Invalid(
                    f"metric:{next(iter(targets))}" if targets else "until",
                    _("Set at least one short-term goal."),
                )
            now = self.now()
            # A new plan replaces the one in force for those metrics (and a double submit stays one plan).
            session.execute(
                update(Goal)
                .where(
                    Goal.team_id == team.id,
                    Goal.user_id == rep,
                    Goal.metric_key.in_([k for k, _, _ in items]),
                    Goal.ends_on.is_not(None),
                    Goal.effective_to.is_(None),
                )
                .values(effective_to=now)
            )
            for key, target, period in items:
                session.add(
                    Goal(
                        workspace_id=workspace_id,
                        team_id=team.id,
                        user_id=rep,
                        metric_key=key,
                        period=period.value,
                        target=target,
                        effective_from=now,
                        set_by=manager,
                        ends_on=until,
                    )
                )
            planned = Planned(
                rep=rep,
                manager=manager,
                team=team.name,
                items=[(metrics[k].label, format(t.normalize(), "f"), p.value) for k, t, p in items],
                until=until,
                video=team.video_url,
            )
            # The rep hears of it through the attention policy, at the head of their next message;
            # a plan saved again before that (or a double submit) replaces the one not yet told.
            heard = voice_of(session=session, workspace_id=workspace_id, user_id=rep, team=team)
            told = {
                "rep": rep,
                "manager": manager,
                "team": team.name,
                "team_id": team.id,
                "items": [list(i) for i in planned.items],
                "until": until.isoformat(),
                "lang": heard.language,
                "currency": heard.currency,
            }
            waiting = session.execute(
                update(Outbox)
                .where(
                    Outbox.workspace_id == workspace_id,
                    Outbox.kind == "support_plan",
                    Outbox.target == rep,
                    Outbox.status == ob.PENDING,
                )
                .values(payload=told)
            ).rowcount
            if not waiting:
                message = ob.Message(
                    workspace_id=workspace_id,
                    kind="support_plan",
                    target=rep,
                    period=f"plan:{now:%Y-%m-%dT%H:%M:%S.%f}",
                    due_at=now,
                    payload=told,
                    team_id=team.id,
                )
                ob.enqueue(session=session, messages=[message], now=now)
            return planned

    def done(self, *, workspace_id: str, manager: str, rep: str, team_id: int) -> Notice | Problem:
        """Note a 1:1 as held — once per manager, rep and day, however often the button is clicked."""
        self.ensure_workspace(workspace_id)
        try:
            with self.transaction(write=True) as session:
                team = self._managed(session, workspace_id, manager, rep, team_id)
                if isinstance(team, Problem):
                    return team
                session.add(
                    OneOnOne(
                        workspace_id=workspace_id,
                        team_id=team.id,
                        rep_id=rep,
                        manager_id=manager,
                        held_at=self.now(),
                        dedupe_key=f"{manager}:{rep}:{local_date(self.now(), team.timezone).isoformat()}",
                    )
                )
        except IntegrityError:
            pass  # a double click: already noted
        return Notice(
            _("Noted: your 1:1 with <@{user}> is done.", user=rep),
            _("Their next check-ins will track what you agreed."),
        )
