"""The one place that talks to Slack's Web API."""

from __future__ import annotations

import logging
from collections.abc import Callable

from slack_bolt import BoltContext
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import ConnectionErrorRetryHandler, RateLimitErrorRetryHandler

from bot.services.profiles import UserInfo

log = logging.getLogger(__name__)


def make_client(
    *,
    token: str | None,
    base_url: str,
    timeout: int = 10,
    retries: bool = True,
    logger: logging.Logger | None = None,
) -> WebClient:
    """A WebClient aimed at ``SLACK_API_URL``.

    With ``retries`` it waits out 429s and retries dropped connections itself (web process
    follow-ups); the clock passes False because its outbox does its own, counted, retries. ``token``
    is None for a client that authenticates otherwise (OAuth's code exchange) or per request.
    """
    client = WebClient(token=token, base_url=base_url, timeout=timeout, logger=logger)
    if not retries:
        client.retry_handlers.clear()
        return client
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

    def post(
        self, *, channel: str, message: dict, thread_ts: str | None = None, metadata: dict | None = None
    ) -> tuple[str, str]:
        result = self.client.chat_postMessage(
            channel=channel,
            text=message["text"],
            blocks=message.get("blocks"),
            thread_ts=thread_ts,
            unfurl_links=False,
            metadata=metadata,
        )
        return result["channel"], result["ts"]

    def find_post(
        self, *, target: str, oldest: float, match: Callable[[dict], bool], pages: int = 5
    ) -> tuple[str, str] | None:
        """(channel, ts) of the bot's message in ``target`` since ``oldest`` whose metadata ``match``es.

        ``target`` may be a user ID (the bot's DM with them). Reads at most ``pages`` pages of 200."""
        channel = target
        if target[:1] in ("U", "W"):
            channel = self.client.conversations_open(users=target)["channel"]["id"]
        cursor = None
        for _ in range(pages):
            page = self.client.conversations_history(
                channel=channel, oldest=f"{oldest:.6f}", limit=200, include_all_metadata=True, cursor=cursor
            )
            for message in page.get("messages") or []:
                if match(message.get("metadata") or {}):
                    return channel, message["ts"]
            cursor = (page.get("response_metadata") or {}).get("next_cursor")
            if not page.get("has_more") or not cursor:
                return None
        return None

    def update(self, *, channel: str, ts: str, message: dict) -> None:
        self.client.chat_update(channel=channel, ts=ts, text=message["text"], blocks=message.get("blocks"))

    def open_view(self, *, trigger_id: str, view: dict) -> None:
        self.client.views_open(trigger_id=trigger_id, view=view)

    def publish_home(self, *, user_id: str, view: dict) -> None:
        self.client.views_publish(user_id=user_id, view=view)


GatewayFor = Callable[[BoltContext], SlackGateway]
"""The gateway that serves one request from Slack. Listeners ask for it; they never build one."""


def one_gateway(gateway: SlackGateway) -> GatewayFor:
    """Token mode: one workspace, one bot token, so one client serves every request."""
    return lambda _context: gateway


def request_gateway(context: BoltContext) -> SlackGateway:
    """OAuth mode: the client Bolt authorized for this request carries its own workspace's bot token."""
    return SlackGateway(context.client)
