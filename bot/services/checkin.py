"""/checkin: how often the bot checks in, why, and what would change it; away and back; pins; and
each person's own hours and praise."""

from __future__ import annotations

from datetime import timedelta

from bot.domain import attention as att
from bot.domain import cadence as cad
from bot.domain import parsing as p
from bot.domain.calendar import local_date, period_bounds
from bot.domain.parsing import voice as pv
from bot.domain.types import STAGE_CADENCE, Cadence, Period, Stage
from bot.i18n import N_, PSEUDO, SOURCE, _, normalize, speaking
from bot.i18n import formats as fmt
from bot.i18n.words import cadence_name, stage_name
from bot.services import attention, stages
from bot.services.context import Caller, ServiceBase, team_calendar
from bot.services.outcomes import CheckinView, Help, HoursChanged, KudosChanged, Notice, Problem
from bot.services.teams import language_choices, unknown_language
from bot.store import queries as q
from bot.store.models import AwayPeriod, StageChange, Team
from bot.store.voices import person_voice

CheckinOutcome = CheckinView | HoursChanged | KudosChanged | Notice | Help | Problem


class CheckinService(ServiceBase):
    def checkin(self, *, workspace_id: str, user_id: str, text: str) -> CheckinOutcome:
        self.ensure_workspace(workspace_id)
        with self.transaction(write=True) as session:
            caller = self.caller(session, workspace_id, user_id)
            command = p.parse_checkin(text, today=caller.today())
            if isinstance(command, p.ParseError):
                return Problem(command.message, command.usage)
            if isinstance(command, p.CheckinHelp):
                return Help("/checkin", (), bool(caller.managed))
            if isinstance(command, p.CheckinHours):  # anyone's own: reps and managers alike
                return self._hours(session, caller, command)
            if isinstance(command, p.CheckinKudos):
                return self._kudos(session, caller, command)
            if isinstance(command, pv.LanguageShow | pv.LanguageSet):  # anyone's own, like the hours
                return self._language(session, caller, command)
            if isinstance(command, p.CheckinView):
                subject = command.user_id or user_id
                if subject != user_id:
                    team = self._team_managed_for(session, caller, subject)
                    if isinstance(team, Problem):
                        return team
                elif caller.rep_team is None:
                    return _not_a_rep(caller)
                return self.view_for(session, caller, subject)
            if isinstance(command, p.CheckinPin):
                team = self._team_managed_for(session, caller, command.user_id)
                if isinstance(team, Problem):
                    return team
                return self._pin(session, caller, command)
            if caller.rep_team is None:
                return _not_a_rep(caller)
            if isinstance(command, p.CheckinAway):
                return self._away(session, caller, command)
            return self._back(session, caller)

    def _team_managed_for(self, session, caller: Caller, rep: str) -> Team | Problem:
        if not caller.managed:
            return Problem(
                _("Only a rep's manager can see or change their cadence."), _("See your own with `/checkin`.")
            )
        team = self.rep_team(session, caller.workspace_id, rep)
        if team is None or not caller.manages(team.id):
            return Problem(
                _("<@{user}> isn't a rep on a team you manage.", user=rep),
                _("Add them with `/team add <@{user}>`.", user=rep),
            )
        return team

    def view_for(self, session, caller: Caller, subject: str) -> CheckinView:
        prof = q.ensure_profile(
            session=session, workspace_id=caller.workspace_id, user_id=subject, now=caller.now
        )
        stage = Stage(prof.stage)
        pinned = Cadence(prof.pinned_cadence) if prof.pinned_cadence else None
        change = q.latest_stage_change(session=session, workspace_id=caller.workspace_id, user_id=subject)
        team = self.rep_team(session, caller.workspace_id, subject)
        membership = next(
            m
            for m, t in q.roles(session=session, workspace_id=caller.workspace_id, user_id=subject)
            if t.id == team.id and m.role == "rep"
        )
        today = local_date(caller.now, prof.tz or team.timezone)
        joined = local_date(membership.added_at, team.timezone)
        last_closed = period_bounds(Period.WEEK, today)[0] - timedelta(days=7)
        weeks = stages.history(
            session,
            team=team,
            user_id=subject,
            metrics=caller.metric_map,
            joined=joined,
            through=last_closed,
            calendar=team_calendar(team, today),
            at=caller.now,
        )
        since = local_date(prof.stage_since, team.timezone)
        away = q.away_periods(
            session=session, workspace_id=caller.workspace_id, user_id=subject, on_or_after=today
        )
        hours = attention.hours_of(prof)
        return CheckinView(
            user_id=subject,
            is_self=subject == caller.user_id,
            stage=stage,
            cadence=cad.cadence_for(stage, pinned),
            pinned=pinned,
            since=prof.stage_since,
            reason=cad.reason_text(change.reason, change.details)
            if change is not None
            else _("joined a team"),
            next_step=cad.next_step(stage=stage, joined=joined, stage_since=since, weeks=weeks, today=today),
            away=tuple((a.start, a.end) for a in away),
            checkin_hour=prof.checkin_hour,
            weeks=tuple(weeks[-4:]),
            hours=hours,
            checkin_at=att.checkin_time(prof.checkin_hour, hours),
            tz=prof.tz,
            kudos_muted=bool(prof.mute_kudos),
        )

    def _hours(self, session, caller: Caller, command: p.CheckinHours) -> HoursChanged:
        prof = q.ensure_profile(
            session=session, workspace_id=caller.workspace_id, user_id=caller.user_id, now=caller.now
        )
        if command.start is None or command.end is None:
            prof.dm_from = prof.dm_until = None
        else:
            prof.dm_from, prof.dm_until = f"{command.start:%H:%M}", f"{command.end:%H:%M}"
        return HoursChanged(attention.hours_of(prof), prof.tz, default=command.start is None)

    def _kudos(self, session, caller: Caller, command: p.CheckinKudos) -> KudosChanged:
        prof = q.ensure_profile(
            session=session, workspace_id=caller.workspace_id, user_id=caller.user_id, now=caller.now
        )
        already = bool(prof.mute_kudos) == command.muted
        prof.mute_kudos = command.muted
        return KudosChanged(muted=command.muted, already=already)

    def _language(
        self, session, caller: Caller, command: pv.LanguageShow | pv.LanguageSet
    ) -> Notice | Problem:
        """A person's own language for their DMs and replies; ``default`` goes back to their team's
        (else their Slack's). The answer already speaks the language it sets."""
        team = caller.rep_team or caller.managed_team
        if isinstance(command, pv.LanguageShow):
            chosen = normalize(caller.profile.language) if caller.profile is not None else None
            now = person_voice(caller.profile, team).language
            return Notice(
                _("I write to you in {language}.", language=fmt.language_name(now))
                if chosen
                else _(
                    "I write to you in {language}, your team's or your Slack's language.",
                    language=fmt.language_name(now),
                ),
                _(
                    "Languages: {choices}. Change it with `/checkin language sq`, or go back to your "
                    "team's with `/checkin language default`.",
                    choices=language_choices(),
                ),
            )
        if command.language is not None:
            code = normalize(command.language)
            if code is None or code == PSEUDO:
                return unknown_language(command.language, "/checkin language")
        prof = q.ensure_profile(
            session=session, workspace_id=caller.workspace_id, user_id=caller.user_id, now=caller.now
        )
        prof.language = None if command.language is None else code
        now = person_voice(prof, team)
        with speaking(now.language):
            if command.language is None:
                return Notice(
                    _(
                        "Back to the usual: I write to you in {language}, your team's or your Slack's "
                        "language.",
                        language=fmt.language_name(now.language),
                    ),
                    _("Choose your own any time: `/checkin language sq` or `/checkin language en`."),
                )
            return Notice(
                _("From now on I write to you in {language}.", language=fmt.language_name(now.language)),
                _(
                    "Change it any time: `/checkin language sq`, `/checkin language en`, or "
                    "`/checkin language default`."
                ),
            )

    def _pin(self, session, caller: Caller, command: p.CheckinPin) -> Notice:
        prof = q.ensure_profile(
            session=session, workspace_id=caller.workspace_id, user_id=command.user_id, now=caller.now
        )
        before = prof.pinned_cadence
        prof.pinned_cadence = command.cadence.value if command.cadence else None
        why = (
            cad.why(
                N_("cadence pinned to {cadence} by <@{user}>"),
                cadence=command.cadence.value,
                user=caller.user_id,
            )
            if command.cadence
            else cad.why(N_("cadence pin removed by <@{user}>"), user=caller.user_id)
        )
        with speaking(SOURCE):
            reason = cad.say(why)
        session.add(
            StageChange(
                workspace_id=caller.workspace_id,
                user_id=command.user_id,
                from_stage=prof.stage,
                to_stage=prof.stage,
                reason=reason,
                details={"pin": prof.pinned_cadence, "previous_pin": before, "why": why},
                changed_by=caller.user_id,
                at=caller.now,
            )
        )
        if command.cadence is None:
            stage = Stage(prof.stage)
            return Notice(
                _(
                    "<@{user}>'s cadence is automatic again: {cadence} check-ins while in *{stage}*.",
                    user=command.user_id,
                    cadence=cadence_word(STAGE_CADENCE[stage]),
                    stage=stage_word(stage),
                ),
                _("It will follow their results from now on."),
            )
        return Notice(
            _(
                "Pinned <@{user}> to *{cadence}* check-ins, whatever their stage.",
                user=command.user_id,
                cadence=cadence_word(command.cadence),
            ),
            _("Free it again with `/checkin <@{user}> auto`.", user=command.user_id),
        )

    def _away(self, session, caller: Caller, command: p.CheckinAway) -> Notice:
        session.add(
            AwayPeriod(
                workspace_id=caller.workspace_id,
                user_id=caller.user_id,
                start=command.start,
                end=command.until,
                created_at=caller.now,
            )
        )
        if command.start == command.until:
            said = _(
                "Enjoy the time away! I've paused everything on {day}: no check-ins, and those days don't "
                "count against your goals.",
                day=fmt.short_date(command.start),
            )
        else:
            said = _(
                "Enjoy the time away! I've paused everything from {start} until {until}: no check-ins, and "
                "those days don't count against your goals.",
                start=fmt.short_date(command.start),
                until=fmt.full_date(command.until),
            )
        return Notice(said, _("Back early? `/checkin back`."))

    def _back(self, session, caller: Caller) -> Notice:
        today = caller.today()
        current = [
            a
            for a in q.away_periods(
                session=session, workspace_id=caller.workspace_id, user_id=caller.user_id, on_or_after=today
            )
            if a.start <= today
        ]
        if not current:
            return Notice(_("Welcome back! You weren't marked away, so nothing changed."))
        for period in current:
            if period.start >= today:
                session.delete(period)
            else:
                period.end = today - timedelta(days=1)
        return Notice(
            _("Welcome back! Check-ins resume from today, and today counts towards your goals again.")
        )


def _not_a_rep(caller: Caller) -> Problem:
    if caller.managed:
        return Problem(
            _("The bot's check-ins are for reps; you manage a team."),
            _(
                "See a rep's cadence with `/checkin @rep`, or pin it: `/checkin @rep weekly`. "
                "Your own hours for my messages: `/checkin hours 09:00-17:00`."
            ),
        )
    return Problem(
        _("You're not on a sales team yet, so there are no check-ins to show."),
        _("Ask your manager to add you with `/team add @you`."),
    )


def cadence_word(cadence: Cadence) -> str:
    """ "daily" / "ditor": how often, as a word in a sentence."""
    return cadence_name(cadence)


def stage_word(stage: Stage) -> str:
    return stage_name(stage)
