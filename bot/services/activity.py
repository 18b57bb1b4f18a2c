"""/log: reps record activity and see where they stand."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from bot.domain import parsing as p
from bot.domain.calendar import days, period_bounds
from bot.domain.ceilings import Breach, first_breach, format_amount, nice_ceiling
from bot.domain.goals import streak
from bot.domain.types import Metric, MetricKind, Period, Unit
from bot.i18n import _
from bot.i18n import formats as fmt
from bot.services.context import Caller, ServiceBase, team_calendar
from bot.services.integrations import crm_sources_since, from_crm
from bot.services.outcomes import (
    Help,
    Logged,
    Notice,
    OverCeiling,
    Problem,
    ProgressLine,
    ProgressView,
    Undone,
    WeekView,
    esc,
    metric_label,
)
from bot.services.scoring import effective_goals, progress_for
from bot.store import queries as q

log = logging.getLogger(__name__)

UNDO_WINDOW = timedelta(hours=24)
# A /log exactly like the rep's previous one within this long is likely the same one sent again
# (while the first was still saving): both are kept, and the reply says so. Longer than the
# web process's work budget, so a late first save and its retry always meet.
REPEAT_WINDOW = timedelta(minutes=2)


def already_recorded() -> Notice:
    return Notice(_("Already recorded — I only count it once."))


def not_on_a_team() -> Problem:
    return Problem(
        _("You're not on a sales team yet, so I can't record that."),
        _(
            "Ask your manager to add you with `/team add @you` — or start a team with "
            "`/team create Sales East #sales-east`."
        ),
    )


LogOutcome = Logged | ProgressView | WeekView | Undone | Help | Problem


@dataclass(frozen=True)
class LogForm:
    metrics: list[dict[str, str]]
    today: str


class ActivityService(ServiceBase):
    def log(
        self,
        *,
        workspace_id: str,
        user_id: str,
        text: str,
        source: str = "command",
        dedupe_key: str | None = None,
    ) -> LogOutcome:
        """Read, then write only what must be written, then read the progress back.

        Keeping the write transaction to the insert alone is what lets a burst of /log from a whole
        team queue briefly on SQLite's single writer instead of on each other's reads.
        """
        self.ensure_workspace(workspace_id)
        with self.transaction(write=False) as session:
            caller = self.caller(session, workspace_id, user_id)
            today = caller.today()
            command = p.parse_log(text, metrics=caller.metrics, today=today)
            if isinstance(command, p.LogHelp):
                return Help("/log", tuple(caller.metrics), bool(caller.managed))
            if caller.rep_of is None or caller.rep_team is None:
                if caller.managed:
                    return Problem(
                        _(
                            "You manage *{team}* but aren't one of its reps, so there's nothing of yours "
                            "to log.",
                            team=esc(caller.managed_team.name),
                        ),
                        _("To log your own numbers too, add yourself: `/team add @you`."),
                    )
                return not_on_a_team()
            if isinstance(command, p.ParseError):
                return Problem(command.message, command.usage)
            if isinstance(command, p.LogShow):
                return self._show(session, caller, command.day, today)
            if isinstance(command, p.LogWeek):
                return self._week(session, caller, today)
        if isinstance(command, p.LogUndo):
            with self.transaction(write=True) as session:
                return self._undo(session, caller)
        try:
            with self.transaction(write=True) as session:
                repeat_of = self._repeat_of(session, caller, command)
                refused = self._record(session, caller, command, source, dedupe_key)
            if refused is not None:
                return refused
        except IntegrityError:
            if dedupe_key is None:
                raise
            return already_recorded()  # a double click or a retried submission: recorded once already
        crm: tuple = ()
        try:
            with self.transaction(write=False) as session:
                progress = self._progress(session, caller, command.day)
                crm = self._from_crm(session, caller, command.day)
        except SQLAlchemyError:
            # The entry is committed: the reply must say so, not "nothing was recorded" (a retry would
            # count it twice). The progress can wait for `/log today`.
            log.warning("logged for %s, but reading their progress back failed", user_id, exc_info=True)
            progress = None
        metrics = caller.metric_map
        return Logged(
            items=tuple((metrics[i.metric], i.amount) for i in command.items),
            day=command.day,
            today=today,
            note=command.note,
            progress=None if progress is None else tuple(progress),
            team_name=caller.rep_team.name,
            repeat_of=repeat_of,
            from_crm=crm,
        )

    def form_metrics(self, *, workspace_id: str, user_id: str, keys: list[str]) -> LogForm | Problem:
        """What the Log activity modal asks for: the rep's goal metrics (or the ones named), and today."""
        self.ensure_workspace(workspace_id)
        with self.transaction(write=False) as session:
            caller = self.caller(session, workspace_id, user_id)
            if caller.rep_team is None:
                return not_on_a_team()
            metrics = caller.metric_map
            if not keys:
                goals = effective_goals(
                    session, team=caller.rep_team, user_id=user_id, metrics=metrics, at=caller.now
                )
                keys = [g.metric.key for g in goals]
            chosen = [metrics[k] for k in dict.fromkeys(keys) if k in metrics] or [
                metrics[k] for k in metrics
            ][:4]
            return LogForm(
                metrics=[{"key": m.key, "label": m.label, "unit": m.unit.value} for m in chosen],
                today=caller.today().isoformat(),
            )

    def log_form(
        self,
        *,
        workspace_id: str,
        user_id: str,
        amounts: dict[str, str],
        day: date | None,
        note: str | None,
        dedupe_key: str,
    ) -> LogOutcome | Notice:
        """The Log activity modal: its fields become one /log line, so one parser validates both."""
        parts = [
            f"{amount.strip()} {key}"
            for key, amount in amounts.items()
            if amount and amount.strip() not in ("0", "")
        ]
        if not parts:
            return Problem(_("Enter at least one number to log."))
        text = ", ".join(parts)
        if day is not None:
            text += f" {day.isoformat()}"
        if note and note.strip():
            text += f" -- {note.strip()}"
        return self.log(
            workspace_id=workspace_id, user_id=user_id, text=text, source="modal", dedupe_key=dedupe_key
        )

    def _repeat_of(self, session, caller: Caller, command: p.LogEntries) -> datetime | None:
        """When the rep made a /log exactly like this one within :data:`REPEAT_WINDOW`: a retry, most
        likely, while the first was still saving (perhaps in another web process). Read with the
        rep's entries locked, so of two such /log the second to be saved always sees the first."""
        q.lock_rep_entries(session=session, workspace_id=caller.workspace_id, user_id=caller.user_id)
        batches: dict[str, list] = {}
        for entry in q.entries_since(
            session=session,
            workspace_id=caller.workspace_id,
            user_id=caller.user_id,
            since=caller.now - REPEAT_WINDOW,
        ):
            batches.setdefault(entry.batch, []).append(entry)
        wanted = sorted((i.metric, i.amount) for i in command.items)
        for batch in batches.values():
            first = batch[0]
            if (
                first.day == command.day
                and (first.note or None) == (command.note or None)
                and sorted((e.metric_key, e.amount) for e in batch) == wanted
            ):
                return first.created_at
        return None

    def _record(
        self, session, caller: Caller, command: p.LogEntries, source: str, dedupe_key: str | None
    ) -> OverCeiling | Notice | Problem | None:
        """Insert the entries, all or none: None when they were, else why not (nothing written).

        The day's totals are read inside the write transaction, with the rep's entries locked, so two
        /log at once can't both fit under a ceiling that only one of them fits under.
        """
        q.lock_rep_entries(session=session, workspace_id=caller.workspace_id, user_id=caller.user_id)
        if dedupe_key is not None and q.dedupe_key_used(session=session, dedupe_key=dedupe_key):
            return already_recorded()  # a retried submission must say so, not that it no longer fits
        metrics = caller.metric_map
        team = caller.rep_team
        money = [metrics[i.metric] for i in command.items if metrics[i.metric].unit is Unit.CURRENCY]
        other = wrong_currency(money, command.currency, team.currency)
        if other is not None:
            return other
        logged = q.sums_by_metric(  # the team's ceiling, over what the rep's day holds on the team
            session=session,
            workspace_id=caller.workspace_id,
            team_id=caller.rep_team.id,
            user_ids=[caller.user_id],
            start=command.day,
            end=command.day,
        ).get(caller.user_id, {})
        breach = first_breach(
            [(metrics[i.metric], i.amount) for i in command.items],
            logged=logged,
            overrides=caller.rep_team.daily_ceilings,
        )
        if breach is not None:
            return over_ceiling(breach, day=command.day)
        if caller.profile is None:
            q.ensure_profile(
                session=session, workspace_id=caller.workspace_id, user_id=caller.user_id, now=caller.now
            )
        q.add_entries(
            session=session,
            workspace_id=caller.workspace_id,
            team_id=caller.rep_team.id,
            user_id=caller.user_id,
            items=[(i.metric, i.amount) for i in command.items],
            day=command.day,
            note=command.note,
            source=source,
            now=caller.now,
            dedupe_key=dedupe_key,
            currency=team.currency,  # fixed with the entry: a later /team currency never rewrites it
            money=[m.key for m in money],
        )

    def _progress(self, session, caller: Caller, day: date) -> list[ProgressLine]:
        """The rep's own progress against their team's goals, from their entries on that team: what
        they logged on a team they have left isn't counted (see :mod:`bot.services.scoring`)."""
        team = caller.rep_team
        goals = effective_goals(
            session, team=team, user_id=caller.user_id, metrics=caller.metric_map, at=caller.now
        )
        return progress_for(
            session,
            workspace_id=caller.workspace_id,
            team_id=team.id,
            user_id=caller.user_id,
            goals=goals,
            day=day,
            calendar=team_calendar(team, day),
        )

    def _from_crm(self, session, caller: Caller, day: date):
        return from_crm(
            session,
            workspace_id=caller.workspace_id,
            team_id=caller.rep_team.id,
            user_id=caller.user_id,
            day=day,
            metrics=caller.metric_map,
        )

    def _show(self, session, caller: Caller, day: date, today: date) -> ProgressView:
        team_id = caller.rep_team.id
        logged = q.sums_by_metric(
            session=session,
            workspace_id=caller.workspace_id,
            team_id=team_id,
            user_ids=[caller.user_id],
            start=day,
            end=day,
        ).get(caller.user_id, {})
        metrics = caller.metric_map
        calendar = team_calendar(caller.rep_team, today)
        lookback = today - timedelta(days=120)
        logged_days = q.logged_days(
            session=session,
            workspace_id=caller.workspace_id,
            team_id=team_id,
            user_id=caller.user_id,
            start=lookback,
            end=today,
        )
        away = q.away_days(
            session=session,
            workspace_id=caller.workspace_id,
            user_id=caller.user_id,
            start=lookback,
            end=today,
        )
        return ProgressView(
            day=day,
            today=today,
            progress=tuple(self._progress(session, caller, day)),
            logged=tuple((m, logged[m.key]) for m in metrics.values() if m.key in logged),
            streak=streak(logged_days, today=today, calendar=calendar, away=away),
            from_crm=self._from_crm(session, caller, day),
        )

    def _week(self, session, caller: Caller, today: date) -> WeekView:
        start, _ = period_bounds(Period.WEEK, today)
        daily = q.daily_sums(
            session=session,
            workspace_id=caller.workspace_id,
            team_id=caller.rep_team.id,
            user_id=caller.user_id,
            start=start,
            end=today,
        )
        calendar = team_calendar(caller.rep_team, today)
        goals = effective_goals(
            session, team=caller.rep_team, user_id=caller.user_id, metrics=caller.metric_map, at=caller.now
        )
        week_progress = progress_for(
            session,
            workspace_id=caller.workspace_id,
            team_id=caller.rep_team.id,
            user_id=caller.user_id,
            goals=[g for g in goals if g.period in (Period.DAY, Period.WEEK)],
            day=today,
            calendar=calendar,
            week_goals_as_days=True,
        )
        used = {k for amounts in daily.values() for k in amounts} | {g.metric.key for g in goals}
        shown: tuple[Metric, ...] = tuple(m for m in caller.metrics if m.key in used)
        return WeekView(
            start=start,
            today=today,
            metrics=shown,
            days=tuple((d, daily.get(d, {}), calendar.is_working_day(d)) for d in days(start, today)),
            progress=tuple(week_progress),
        )

    def _undo(self, session, caller: Caller) -> Undone | Problem:
        batch = q.latest_batch(
            session=session,
            workspace_id=caller.workspace_id,
            team_id=caller.rep_team.id,
            user_id=caller.user_id,
            since=caller.now - UNDO_WINDOW,
        )
        crm = crm_sources_since(
            session,
            workspace_id=caller.workspace_id,
            team_id=caller.rep_team.id,
            user_id=caller.user_id,
            since=caller.now - UNDO_WINDOW,
        )
        if not batch:
            if crm:
                return Problem(
                    _(
                        "There's nothing you logged yourself in the last 24 hours to undo. {crm}",
                        crm=crm_not_undone(crm),
                    ),
                    _("`/log undo` removes your most recent /log or Log activity from the last 24 hours."),
                )
            return Problem(
                _("There's nothing of yours from the last 24 hours to undo."),
                _("`/log undo` removes your most recent entry, if you made it in the last 24 hours."),
            )
        for entry in batch:
            entry.deleted_at = caller.now
        metrics = caller.metric_map
        return Undone(
            items=tuple((metrics.get(e.metric_key) or _unknown(e.metric_key), e.amount) for e in batch),
            day=batch[0].day,
            logged_at=batch[0].created_at,
            crm_sources=crm,
        )


def wrong_currency(
    money: list[Metric], given: str | None, team_currency: str, *, goal: bool = False
) -> Problem | None:
    """The refusal of money in another currency than the team's (nothing is converted or recorded)."""
    if not money or given is None or given.upper() == team_currency.upper():
        return None
    code = team_currency.upper()
    fields = {"metric": money_name(money[0]), "currency": fmt.currency_name(code), "code": code}
    return Problem(
        _("This team sets {metric} goals in {currency} ({code}); no goal was changed.", **fields)
        if goal
        else _("This team logs {metric} in {currency} ({code}); nothing was recorded.", **fields),
        _(
            "Give the amount in {code}, or without a currency sign. A manager can change the team's "
            "currency with `/team currency`.",
            code=code,
        ),
    )


def money_name(metric: Metric) -> str:
    """A money metric's name in a sentence: the default one's from the catalogue, a workspace's own
    as its manager typed it."""
    return metric_label(metric)


def crm_not_undone(sources: tuple[str, ...]) -> str:
    """ "Entries from HubSpot can't be undone here — change them in HubSpot." """
    names = _(" or ").join(sources)
    return _("Entries from {names} can't be undone here — change them in {names}.", names=names)


def over_ceiling(breach: Breach, *, day: date) -> OverCeiling:
    """The refusal. Its message fits a modal's inline error (150 characters of plain text, and no
    "day" or "date" in it: those words put the error on the date picker); ``usage`` adds the sums."""
    m = breach.metric
    label = metric_label(m)
    label = label if len(label) <= 16 else m.key
    example = format_amount(nice_ceiling(breach.total), m, short=True).replace(",", "")
    fields = {
        "metric": label,
        "ceiling": format_amount(breach.ceiling, m, short=True),
        "logged": format_amount(breach.logged, m, short=True),
        "day": _(
            "{weekday} {date}",
            weekday=fmt.weekday(day.weekday(), width="abbreviated"),
            date=fmt.month_day(day),
        ),
        "key": m.key,
        "example": example,
    }
    message = (
        _(
            "Nothing was recorded: the daily ceiling for {metric} is {ceiling} (none yet logged for {day}). "
            "A manager can raise it: `/team ceiling {key} {example}`",
            **fields,
        )
        if breach.logged == 0
        else _(
            "Nothing was recorded: the daily ceiling for {metric} is {ceiling} ({logged} logged for {day}). "
            "A manager can raise it: `/team ceiling {key} {example}`",
            **fields,
        )
    )
    room = (
        _("You can still log {amount} more that day.", amount=format_amount(breach.room, m))
        if breach.room > 0
        else _("Nothing more fits that day.")
    )
    usage = _(
        "Logging {adding} would make {total}. {room} "
        "If the number is right, ask your manager to raise the ceiling; `/team ceiling` shows them all.",
        adding=format_amount(breach.adding, m),
        total=format_amount(breach.total, m),
        room=room,
    )
    return OverCeiling(message, usage, field=f"metric:{m.key}")


def _unknown(key: str) -> Metric:
    """A metric that was since removed from the workspace still shows by its key."""
    return Metric(key, key, MetricKind.ACTIVITY, Unit.COUNT)
