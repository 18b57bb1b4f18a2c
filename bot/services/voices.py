"""Which language and currency a reply, DM or view speaks for the person it is for."""

from __future__ import annotations

from bot.i18n import Voice
from bot.services.context import ServiceBase
from bot.store import voices as v


class VoiceService(ServiceBase):
    """Reads a person's voice (one short read); this process remembers the last one it read, for
    answers that can't wait on the database (the deadline's "still saving…")."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._last: dict[tuple[str, str], Voice] = {}

    def for_person(self, *, workspace_id: str, user_id: str) -> Voice:
        try:
            with self.transaction(write=False) as session:
                found = v.voice_of(session=session, workspace_id=workspace_id, user_id=user_id)
        except Exception:  # a database that can't answer: the last voice known, else English
            return self.remembered(workspace_id=workspace_id, user_id=user_id)
        self._last[(workspace_id, user_id)] = found
        return found

    def remembered(self, *, workspace_id: str, user_id: str) -> Voice:
        return self._last.get((workspace_id, user_id), Voice())
