"""Share my week: a rep's wins, focus and where they could use help, threaded under the standup."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select, update

from bot.i18n import SOURCE, _
from bot.services.context import ServiceBase
from bot.services.outcomes import Problem
from bot.store import outbox as ob
from bot.store.models import StandupAnswer, Team
from bot.store.voices import team_voice

MAX_ANSWER = 1000


@dataclass(frozen=True)
class ShareForm:
    """What the modal needs: the team's name and any earlier answer for the week, to edit."""

    team_id: int
    team: str
    week: str
    previous: dict[str, str] | None


@dataclass(frozen=True)
class Shared:
    """An answer stored; where to post it (the standup's thread), and the earlier post to update."""

    answer_id: int
    user_id: str
    wins: str
    focus: str
    help: str
    channel: str | None
    thread_ts: str | None
    posted_ts: str | None
    language: str = SOURCE  # the thread is the team's channel: it speaks the team's language


class StandupService(ServiceBase):
    def form(self, *, workspace_id: str, user_id: str, team_id: int, week: str) -> ShareForm | Problem:
        with self.transaction(write=False) as session:
            team = self._rep_team(session, workspace_id, user_id, team_id)
            if isinstance(team, Problem):
                return team
            answer = self._answer(session, workspace_id, team.id, user_id, week)
            previous = {"wins": answer.wins, "focus": answer.focus, "help": answer.help} if answer else None
            return ShareForm(team.id, team.name, week, previous)

    def share(
        self, *, workspace_id: str, user_id: str, team_id: int, week: str, wins: str, focus: str, help: str
    ) -> Shared | Problem:
        wins, focus, help = (t.strip()[:MAX_ANSWER] for t in (wins or "", focus or "", help or ""))
        if not (wins or focus or help):
            return Problem(_("Share at least one thing — a win, your focus, or where you could use help."))
        self.ensure_workspace(workspace_id)
        with self.transaction(write=True) as session:
            team = self._rep_team(session, workspace_id, user_id, team_id)
            if isinstance(team, Problem):
                return team
            now = self.now()
            answer = self._answer(session, workspace_id, team.id, user_id, week)
            if answer is None:
                answer = StandupAnswer(
                    workspace_id=workspace_id, team_id=team.id, user_id=user_id, week=week, created_at=now
                )
                session.add(answer)
            answer.wins, answer.focus, answer.help, answer.updated_at = wins, focus, help, now
            session.flush()
            standup = ob.team_standup(session=session, workspace_id=workspace_id, team_id=team.id, week=week)
            return Shared(
                answer_id=answer.id,
                user_id=user_id,
                wins=wins,
                focus=focus,
                help=help,
                channel=standup.slack_channel if standup is not None and standup.slack_ts else None,
                thread_ts=standup.slack_ts if standup is not None else None,
                posted_ts=answer.posted_ts,
                language=team_voice(team).language,
            )

    def posted(self, *, answer_id: int, ts: str) -> None:
        with self.transaction(write=True) as session:  # one UPDATE: an answer gone meanwhile is no error
            session.execute(update(StandupAnswer).where(StandupAnswer.id == answer_id).values(posted_ts=ts))

    def _answer(
        self, session, workspace_id: str, team_id: int, user_id: str, week: str
    ) -> StandupAnswer | None:
        """The rep's answer for the week on this team: one moved mid-week answers the new team afresh,
        in its thread, and never edits what they shared with the old one."""
        return session.scalar(
            select(StandupAnswer).where(
                StandupAnswer.workspace_id == workspace_id,
                StandupAnswer.team_id == team_id,
                StandupAnswer.user_id == user_id,
                StandupAnswer.week == week,
            )
        )

    def _rep_team(self, session, workspace_id: str, user_id: str, team_id: int) -> Team | Problem:
        team = self.rep_team(session, workspace_id, user_id)
        if team is None or team.id != team_id:
            return Problem(_("Only the team's reps can share their week here."))
        return team
