"""The clock's sender: renders an outbox message and posts it, telling apart failures worth a retry."""

from __future__ import annotations

import urllib.error
from typing import Any

from slack_sdk.errors import SlackApiError

from bot.services.clock import DeliveryError
from bot.slack.gateway import SlackGateway
from bot.slack.messages.scheduled import render

# Errors after which Slack provably did not post, and a later try may succeed.
RETRYABLE_ERRORS = {"ratelimited", "internal_error", "fatal_error", "service_unavailable", "request_timeout"}


class SlackNotifier:
    """DMs go to the user ID (no conversations.open round-trip); channel posts to the channel ID."""

    def __init__(self, gateway: SlackGateway) -> None:
        self.gateway = gateway

    def send(self, *, kind: str, target: str, payload: dict[str, Any]) -> tuple[str, str]:
        message = render(kind, target, payload)
        try:
            # Message metadata names what the bot sent, for anyone reading the conversation's API.
            metadata = {"event_type": "salesbot_message", "event_payload": {"kind": kind}}
            return self.gateway.post(channel=target, message=message, metadata=metadata)
        except SlackApiError as err:
            status = err.response.status_code
            code = err.response.get("error") or f"http_{status}"
            if status == 429:
                retry_after = float(
                    err.response.headers.get("Retry-After", err.response.headers.get("retry-after", 1))
                )
                raise DeliveryError(
                    f"rate limited ({code})", retryable=True, retry_after=retry_after
                ) from None
            if status >= 500 or code in RETRYABLE_ERRORS:
                raise DeliveryError(f"Slack answered {status} {code}", retryable=True) from None
            raise DeliveryError(f"Slack refused: {code}", retryable=False) from None
        except (TimeoutError, urllib.error.URLError, ConnectionError) as err:
            raise DeliveryError(f"no answer from Slack: {err}", retryable=True) from None
