"""Keeping what we know of people (timezone, name) fresh from Slack, off the request path."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.services.context import ServiceBase
from bot.store import queries as q

log = logging.getLogger(__name__)

PROFILE_MAX_AGE = timedelta(hours=24)
_NEVER = datetime.min.replace(tzinfo=UTC)


@dataclass(frozen=True)
class UserInfo:
    user_id: str
    name: str | None
    tz: str | None
    is_bot: bool = False
    deleted: bool = False
    locale: str | None = None  # users.info's ``locale`` ("en-US"), asked for with include_locale


class Directory(Protocol):
    """Looks people up in Slack (``users.info``). Implemented at the Slack edge."""

    def user_info(self, user_id: str) -> UserInfo | None: ...


def _valid_tz(tz: str | None) -> str | None:
    if not tz:
        return None
    try:
        ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError):
        return None
    return tz


class ProfileService(ServiceBase):
    """Slack profiles, refreshed at most daily; this process remembers who it knows to be fresh so
    the follow-up after a command costs nothing in the common case."""

    RECHECK = timedelta(hours=1)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._fresh_until: dict[tuple[str, str], datetime] = {}

    def may_be_stale(self, *, workspace_id: str, user_ids: list[str]) -> bool:
        """A memory-only check: False when this process knows every one of them to be fresh."""
        now = self.now()
        return any(self._fresh_until.get((workspace_id, u), _NEVER) <= now for u in user_ids)

    def stale(self, *, workspace_id: str, user_ids: list[str]) -> list[str]:
        with self.transaction(write=False) as session:
            return q.stale_profile_ids(
                session=session,
                workspace_id=workspace_id,
                user_ids=user_ids,
                now=self.now(),
                max_age=PROFILE_MAX_AGE,
            )

    def refresh(
        self,
        *,
        workspace_id: str,
        user_ids: list[str],
        directory: Directory,
        force: bool = False,
        trust_memory: bool = True,
    ) -> int:
        """Fetch stale profiles from Slack and cache them. Web API calls happen outside any transaction.

        ``trust_memory=False`` asks the database even about people this process believes fresh
        (people just added to a team); ``force`` refetches regardless.
        """
        now = self.now()
        if not force and trust_memory:
            user_ids = [u for u in user_ids if self._fresh_until.get((workspace_id, u), _NEVER) <= now]
            if not user_ids:
                return 0
        ids = user_ids if force else self.stale(workspace_id=workspace_id, user_ids=user_ids)
        for uid in set(user_ids) - set(ids):
            self._fresh_until[(workspace_id, uid)] = now + self.RECHECK
        fetched = []
        for uid in ids:
            # Whatever Slack answers, don't ask again for a while: a failing users.info must not turn
            # every command into another Web API call.
            self._fresh_until[(workspace_id, uid)] = now + self.RECHECK
            try:
                info = directory.user_info(uid)
            except Exception:
                log.warning("users.info failed for %s; keeping the cached profile", uid, exc_info=True)
                continue
            if info is not None:
                fetched.append(info)
        if not fetched:
            return 0
        self.ensure_workspace(workspace_id)
        with self.transaction(write=True) as session:
            now = self.now()
            for info in fetched:
                prof = q.ensure_profile(
                    session=session, workspace_id=workspace_id, user_id=info.user_id, now=now
                )
                prof.tz = _valid_tz(info.tz) or prof.tz
                prof.display_name = (info.name or prof.display_name or "")[:120] or None
                prof.tz_fetched_at = now
                if info.locale:
                    prof.slack_locale = info.locale[:16]
                self._fresh_until[(workspace_id, info.user_id)] = now + PROFILE_MAX_AGE
        return len(fetched)
