"""The one place that talks to Slack's Web API."""

from __future__ import annotations

import logging

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import ConnectionErrorRetryHandler, RateLimitErrorRetryHandler

from bot.services.profiles import UserInfo

log = logging.getLogger(__name__)


def make_client(*, token: str, base_url: str, timeout: int = 10) -> WebClient:
    """A WebClient aimed at ``SLACK_API_URL`` that waits out 429s and retries dropped connections."""
    client = WebClient(token=token, base_url=base_url, timeout=timeout)
    client.retry_handlers.append(RateLimitErrorRetryHandler(max_retry_count=2))
    client.retry_handlers.append(ConnectionErrorRetryHandler(max_retry_count=2))
    return client


class SlackGateway:
    def __init__(self, client: WebClient) -> None:
        self.client = client

    def user_info(self, user_id: str) -> UserInfo | None:
        try:
            user = self.client.users_info(user=user_id)["user"]
        except SlackApiError as err:
            if err.response.get("error") in ("user_not_found", "user_not_visible"):
                return None
            raise
        profile = user.get("profile") or {}
        name = (
            profile.get("display_name")
            or profile.get("real_name")
            or user.get("real_name")
            or user.get("name")
        )
        return UserInfo(
            user_id=user_id,
            name=name,
            tz=user.get("tz"),
            is_bot=bool(user.get("is_bot")),
            deleted=bool(user.get("deleted")),
        )

    def upload_to_dm(self, *, user_id: str, filename: str, title: str, content: bytes, comment: str) -> str:
        """Upload a file into the bot's DM with ``user_id`` (the current external-upload API)."""
        channel = self.client.conversations_open(users=user_id)["channel"]["id"]
        result = self.client.files_upload_v2(
            channel=channel, filename=filename, title=title, content=content, initial_comment=comment
        )
        return result["files"][0]["id"] if result.get("files") else ""
