"""Keeping what we know of people (timezone, name) fresh from Slack, off the request path."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta
from typing import Protocol
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.services.context import ServiceBase
from bot.store import queries as q

log = logging.getLogger(__name__)

PROFILE_MAX_AGE = timedelta(hours=24)


@dataclass(frozen=True)
class UserInfo:
    user_id: str
    name: str | None
    tz: str | None
    is_bot: bool = False
    deleted: bool = False


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
    def stale(self, *, workspace_id: str, user_ids: list[str]) -> list[str]:
        with self.transaction() as session:
            return q.stale_profile_ids(
                session=session,
                workspace_id=workspace_id,
                user_ids=user_ids,
                now=self.now(),
                max_age=PROFILE_MAX_AGE,
            )

    def refresh(
        self, *, workspace_id: str, user_ids: list[str], directory: Directory, force: bool = False
    ) -> int:
        """Fetch stale profiles from Slack and cache them. Web API calls happen outside any transaction."""
        ids = user_ids if force else self.stale(workspace_id=workspace_id, user_ids=user_ids)
        fetched = []
        for uid in ids:
            try:
                info = directory.user_info(uid)
            except Exception:
                log.warning("users.info failed for %s; keeping the cached profile", uid, exc_info=True)
                continue
            if info is not None:
                fetched.append(info)
        if not fetched:
            return 0
        with self.transaction() as session:
            now = self.now()
            q.ensure_workspace(session=session, workspace_id=workspace_id, now=now)
            for info in fetched:
                prof = q.ensure_profile(
                    session=session, workspace_id=workspace_id, user_id=info.user_id, now=now
                )
                prof.tz = _valid_tz(info.tz) or prof.tz
                prof.display_name = (info.name or prof.display_name or "")[:120] or None
                prof.tz_fetched_at = now
        return len(fetched)
