"""The clock's sender: renders an outbox message and posts it, telling apart failures worth a retry."""

from __future__ import annotations

import http.client
import socket
import time
import urllib.error
from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any

from slack_sdk.errors import SlackApiError

from bot.services.clock import DeliveryError
from bot.slack.gateway import SlackGateway
from bot.slack.messages.scheduled import render

# Errors after which Slack provably did not post, and a later try may succeed.
RETRYABLE_ERRORS = {"ratelimited", "internal_error", "fatal_error", "service_unavailable", "request_timeout"}
EVENT_TYPE = "salesbot_message"


class SlackNotifier:
    """DMs go to the user ID (no conversations.open round-trip); channel posts to the channel ID.

    ``gateways`` is the one gateway of a single-workspace install, or a function from a workspace's
    ID to its gateway (one bot token per installed workspace).
    """

    def __init__(self, gateways: SlackGateway | Callable[[str], SlackGateway]) -> None:
        self._gateway_for = (lambda _workspace: gateways) if isinstance(gateways, SlackGateway) else gateways

    def gateway(self, workspace_id: str) -> SlackGateway:
        try:
            return self._gateway_for(workspace_id)
        except LookupError as err:
            raise DeliveryError(
                f"no installation for workspace {workspace_id}: {err}", retryable=False
            ) from None

    def reachable(self, workspace_ids: Iterable[str]) -> set[str]:
        """The workspaces the bot can post in: all of them with one token; with OAuth, those where the
        app is installed (one that removed it keeps its data, and hears from the bot again if it
        reinstalls)."""
        out = set()
        for workspace_id in workspace_ids:
            try:
                self.gateway(workspace_id)
            except DeliveryError:
                continue
            out.add(workspace_id)
        return out

    def send(
        self, *, workspace_id: str, kind: str, target: str, payload: dict[str, Any], key: str
    ) -> tuple[str, str]:
        message = render(kind, target, payload)
        # The metadata names what the bot sent and which outbox row it was: after a crash between
        # posting and recording the post, the conversation's history tells whether it went out.
        event: dict[str, Any] = {"kind": kind, "outbox": key}
        if kind == "dm":  # what the merged message carries, for anyone reading the conversation
            event["items"] = ",".join(str(i.get("kind")) for i in payload.get("items", []))
        metadata = {"event_type": EVENT_TYPE, "event_payload": event}
        with _classified():
            return self.gateway(workspace_id).post(channel=target, message=message, metadata=metadata)

    def find(self, *, workspace_id: str, target: str, key: str, since: datetime) -> tuple[str, str] | None:
        # ``since`` is on the clock's timeline, which `clock --once --now` may set anywhere; Slack's
        # ts are on the wall clock. Never start reading later than an hour ago by the wall clock.
        oldest = min(since.timestamp(), time.time() - 3600)
        with _classified():
            return self.gateway(workspace_id).find_post(
                target=target,
                oldest=oldest,
                match=lambda m: (
                    m.get("event_type") == EVENT_TYPE
                    and str((m.get("event_payload") or {}).get("outbox")) == key
                ),
            )


class _classified:
    """Turns what the Web API raised into a ``DeliveryError`` that says whether a retry is safe."""

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind: type[BaseException] | None, err: BaseException | None, _tb: Any) -> bool:
        if err is None:
            return False
        if isinstance(err, SlackApiError):
            status = err.response.status_code
            code = err.response.get("error") or f"http_{status}"
            if status == 429:
                headers = err.response.headers
                retry_after = float(headers.get("Retry-After", headers.get("retry-after", 1)))
                raise DeliveryError(
                    f"rate limited ({code})", retryable=True, retry_after=retry_after
                ) from None
            if status >= 500 or code in RETRYABLE_ERRORS:
                raise DeliveryError(
                    f"Slack answered {status} {code}", retryable=True, ambiguous=True
                ) from None
            raise DeliveryError(f"Slack refused: {code}", retryable=False) from None
        if isinstance(err, (TimeoutError, urllib.error.URLError, ConnectionError, http.client.HTTPException)):
            # Only a connection that was never made proves the post never reached Slack.
            reason = err.reason if isinstance(err, urllib.error.URLError) else err
            never_sent = isinstance(reason, (ConnectionRefusedError, socket.gaierror))
            raise DeliveryError(
                f"no answer from Slack: {err}", retryable=True, ambiguous=not never_sent
            ) from None
        return False
