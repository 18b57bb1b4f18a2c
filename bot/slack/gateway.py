"""The one place that talks to Slack's Web API."""

from __future__ import annotations

import logging
import math
import random
import time
from collections.abc import Callable

from slack_bolt import BoltContext
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)
from slack_sdk.http_retry.builtin_interval_calculators import BackoffRetryIntervalCalculator
from slack_sdk.http_retry.response import HttpResponse
from slack_sdk.http_retry.state import RetryState

from bot.services.integrations import EmailLookupFailed
from bot.services.profiles import UserInfo

log = logging.getLogger(__name__)

# The web process's follow-ups work for someone looking at Slack right now (a modal's trigger_id dies
# 3 s after the click) on a handful of threads, so their patience is short and bounded.
FOLLOW_UP_TIMEOUT = 5  # seconds for one Web API call; a late answer is not retried (it may have worked)
RATE_LIMIT_PATIENCE = 3.0  # seconds of Retry-After, in all, that one call waits out before giving up


def make_client(
    *,
    token: str | None,
    base_url: str,
    timeout: int | None = None,
    retries: bool = True,
    logger: logging.Logger | None = None,
) -> WebClient:
    """A WebClient aimed at ``SLACK_API_URL``.

    With ``retries`` (the web process's follow-ups) one call is tried at most 3 times: a 429 is waited
    out only while its Retry-After adds up to ``RATE_LIMIT_PATIENCE``; a 5xx is tried once more after
    a short backoff; a dropped connection twice more; a call not answered within ``FOLLOW_UP_TIMEOUT``
    is not repeated. The clock passes False because its outbox does its own, counted, retries (and
    keeps a 10 s timeout). ``token`` is None for a client that authenticates otherwise (OAuth's code
    exchange) or per request.
    """
    if timeout is None:
        timeout = FOLLOW_UP_TIMEOUT if retries else 10
    client = WebClient(token=token, base_url=base_url, timeout=timeout, logger=logger)
    if not retries:
        client.retry_handlers.clear()
        return client
    client.retry_handlers[:] = [
        _PatientRateLimitRetry(max_retry_count=2, patience=RATE_LIMIT_PATIENCE),
        _ServerErrorRetry(max_retry_count=1, interval_calculator=BackoffRetryIntervalCalculator(0.5)),
        ConnectionErrorRetryHandler(max_retry_count=2),
    ]
    return client


class _PatientRateLimitRetry(RateLimitErrorRetryHandler):
    """Waits out a 429 while the Retry-After waits of one call add up to ``patience`` seconds.

    slack_sdk's own handler sleeps whatever Retry-After says: a minute's wait would hold a follow-up
    thread for a minute, for a modal long dead or a Home tab the next /log refreshes anyway.
    """

    def __init__(self, *, max_retry_count: int, patience: float) -> None:
        super().__init__(max_retry_count=max_retry_count)
        self.patience = patience

    def _can_retry(self, *, state: RetryState, request, response=None, error=None) -> bool:
        if response is None or response.status_code != 429:
            return False
        return _waited(state) + _retry_after(response) <= self.patience

    def prepare_for_next_attempt(self, *, state: RetryState, request, response=None, error=None) -> None:
        wait = _retry_after(response)
        state.custom_values = {**(state.custom_values or {}), "rate_limited_for": _waited(state) + wait}
        state.next_attempt_requested = True
        time.sleep(wait + random.uniform(0, 0.1 * wait))  # a little jitter: threads limited together
        state.increment_current_attempt()


class _ServerErrorRetry(ServerErrorRetryHandler):
    """Any 5xx (slack_sdk's handler knows only 500 and 503; a 502 or 504 is as passing)."""

    def _can_retry(self, *, state: RetryState, request, response=None, error=None) -> bool:
        return response is not None and response.status_code >= 500


def _waited(state: RetryState) -> float:
    return float((state.custom_values or {}).get("rate_limited_for", 0.0))


def _retry_after(response: HttpResponse) -> float:
    """Seconds Slack asks us to wait; an unreadable value counts as too long to wait for."""
    for name, values in response.headers.items():
        if name.lower() == "retry-after":
            value = values[0] if isinstance(values, list) else values
            try:
                seconds = float(value)
            except (TypeError, ValueError):
                return math.inf
            return seconds if math.isfinite(seconds) and seconds >= 0 else math.inf
    return 1.0  # Slack always sends one; without it, what its SDK assumes


class SlackGateway:
    def __init__(self, client: WebClient) -> None:
        self.client = client

    def user_info(self, user_id: str) -> UserInfo | None:
        try:
            user = self.client.users_info(user=user_id, include_locale=True)["user"]
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
            locale=user.get("locale"),
            is_bot=bool(user.get("is_bot")),
            deleted=bool(user.get("deleted")),
        )

    def user_id_by_email(self, email: str) -> str | None:
        """``users.lookupByEmail`` (scope ``users:read.email``): the user's ID, None when nobody in the
        workspace has that e-mail. Any other failure raises :class:`EmailLookupFailed`."""
        try:
            user = self.client.users_lookupByEmail(email=email)["user"]
        except SlackApiError as err:
            error = err.response.get("error")
            if error in ("users_not_found", "user_not_found"):
                return None
            raise EmailLookupFailed(str(error), missing_scope=error == "missing_scope") from None
        except OSError as err:
            raise EmailLookupFailed(type(err).__name__) from None
        if user.get("deleted") or user.get("is_bot"):
            return None
        return user.get("id")

    def channel_has_member(self, *, channel: str, user_id: str, pages: int = 50) -> bool | None:
        """Whether ``user_id`` is a member of ``channel``, from ``conversations.members`` (1,000 a
        page, at most ``pages`` pages: 50,000 members). None when the bot can't see the channel (a
        private one it isn't in, one that's gone, or an install without the read scopes)."""
        cursor = None
        for _ in range(pages):
            try:
                page = self.client.conversations_members(channel=channel, limit=1000, cursor=cursor)
            except SlackApiError as err:
                error = err.response.get("error")
                if error in (
                    "channel_not_found",
                    "not_in_channel",
                    "missing_scope",
                    "method_not_supported_for_channel_type",
                ):
                    if error == "missing_scope":
                        log.warning(
                            "conversations.members needs channels:read and groups:read: reinstall the app"
                        )
                    return None
                raise
            if user_id in (page.get("members") or []):
                return True
            cursor = (page.get("response_metadata") or {}).get("next_cursor")
            if not cursor:
                return False
        return False

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
        channel = self._conversation(target)
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

    def history_page(
        self, *, target: str, oldest: float, latest: float | None, limit: int
    ) -> tuple[str, list[dict], bool]:
        """One ``conversations.history`` call, metadata included, for the messages from ``oldest`` to
        ``latest`` (both included; None: up to now): the channel, at most ``limit`` of its messages,
        newest first, and whether older ones in the span were left out."""
        channel = self._conversation(target)
        page = self.client.conversations_history(
            channel=channel,
            oldest=f"{oldest:.6f}",
            latest=None if latest is None else f"{latest:.6f}",
            inclusive=True,
            limit=limit,
            include_all_metadata=True,
        )
        return channel, list(page.get("messages") or []), bool(page.get("has_more"))

    def _conversation(self, target: str) -> str:
        """The channel ID for ``target``: a user ID means the bot's DM with them."""
        if target[:1] in ("U", "W"):
            return self.client.conversations_open(users=target)["channel"]["id"]
        return target

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
