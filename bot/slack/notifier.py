"""The clock's sender: renders an outbox message and posts it, telling apart failures worth a retry."""

from __future__ import annotations

import http.client
import socket
import threading
import time
import urllib.error
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from slack_sdk.errors import SlackApiError

from bot.services.clock import DeliveryError, HistoryBudget, HistoryScan
from bot.slack.gateway import SlackGateway
from bot.slack.messages.scheduled import render

# Errors after which Slack provably did not post, and a later try may succeed.
RETRYABLE_ERRORS = {"ratelimited", "internal_error", "fatal_error", "service_unavailable", "request_timeout"}
EVENT_TYPE = "salesbot_message"
# How far the clock's "now" may be from the wall clock for its instants to be read as Slack's ts: more,
# and the clock runs on a timeline of its own (``clock --once --now``) that says nothing of Slack's.
TIMELINE_TOLERANCE = 600.0


@dataclass(frozen=True)
class HistoryLimits:
    """What Slack lets an app read of one workspace's history: a ``conversations.history`` call every
    ``interval`` seconds, at most ``page`` messages a call."""

    interval: float
    page: int


# Slack's limits since 2025 for an app distributed commercially outside the Marketplace (1 call a
# minute, 15 messages); an internal, single-workspace app keeps Tier 3 (50+ a minute, 999 a call).
DISTRIBUTED = HistoryLimits(interval=60.0, page=15)
_DEFAULT: Any = object()


class SlackNotifier:
    """DMs go to the user ID (no conversations.open round-trip); channel posts to the channel ID.

    ``gateways`` is the one gateway of a single-workspace install, or a function from a workspace's
    ID to its gateway (one bot token per installed workspace).

    ``history``: Slack's limits on reading a workspace's history, which the clock's crash recovery
    spends as they allow. By default none for one workspace's own token (an internal app is exempt)
    and ``DISTRIBUTED`` with a gateway per workspace (OAuth: an app others install). ``wall`` is
    Slack's clock (the wall clock; a test's, where the test drives time).
    """

    def __init__(
        self,
        gateways: SlackGateway | Callable[[str], SlackGateway],
        *,
        history: HistoryLimits | None = _DEFAULT,
        wall: Callable[[], float] = time.time,
    ) -> None:
        single = isinstance(gateways, SlackGateway)
        self._gateway_for = (lambda _workspace: gateways) if single else gateways
        self._history = (None if single else DISTRIBUTED) if history is _DEFAULT else history
        self._wall = wall
        self._next_read: dict[str, float] = {}  # workspace → when its next history call may go
        self._reads = threading.Lock()

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
        with _classified():  # a reply in a thread (a scoreboard's part) names its parent's ts
            return self.gateway(workspace_id).post(
                channel=target, message=message, thread_ts=payload.get("thread_ts"), metadata=metadata
            )

    def find(self, *, workspace_id: str, target: str, key: str, since: datetime) -> tuple[str, str] | None:
        # ``since`` is on the clock's timeline, which `clock --once --now` may set anywhere; Slack's
        # ts are on the wall clock. Never start reading later than an hour ago by the wall clock.
        wall = self._wall()
        oldest = min(since.timestamp(), wall - 3600)
        if self._history is None:
            with _classified():
                return self.gateway(workspace_id).find_post(
                    target=target, oldest=oldest, match=lambda m: _outbox_key(m) == key
                )
        # One call of the workspace's budget: a post made moments ago is among the newest messages.
        if abs(since.timestamp() - wall) <= TIMELINE_TOLERANCE:
            oldest = since.timestamp()
        channel, messages, more = self._read(workspace_id, target=target, oldest=oldest, latest=None)
        for message in messages:
            if _outbox_key(message.get("metadata") or {}) == key:
                return channel, message["ts"]
        if more:
            raise DeliveryError(
                f"{target}'s history has more than {self._history.page} messages since the claim",
                retryable=True,
                ambiguous=True,
            )
        return None

    # --- reading history within Slack's limits (crash recovery) ----------------------------------

    def history_budget(self, workspace_id: str) -> HistoryBudget | None:
        if self._history is None:
            return None
        with self._reads:
            wait = max(0.0, self._next_read.get(workspace_id, 0.0) - self._wall())
        return HistoryBudget(interval=timedelta(seconds=self._history.interval), wait=wait)

    def scan(
        self,
        *,
        workspace_id: str,
        target: str,
        keys: Collection[str],
        since: datetime,
        until: datetime,
        now: datetime,
    ) -> HistoryScan:
        wall = self._wall()
        bounded = abs(now.timestamp() - wall) <= TIMELINE_TOLERANCE
        if bounded:  # the clock's instants are Slack's: read just the span the claims' posts can lie in
            oldest, latest = since.timestamp(), until.timestamp()
        else:  # they aren't: read back at least an hour of wall time, as find does
            oldest, latest = min(since.timestamp(), wall - 3600), None
        channel, messages, more = self._read(workspace_id, target=target, oldest=oldest, latest=latest)
        wanted = set(keys)
        found = {}
        for message in messages:
            key = _outbox_key(message.get("metadata") or {})
            if key in wanted:
                found[key] = (channel, str(message["ts"]))
        if not more:
            read_from = since
        elif bounded and messages:  # newest first: everything from the oldest one shown was shown
            read_from = datetime.fromtimestamp(min(float(m["ts"]) for m in messages), UTC)
        else:
            read_from = until
        return HistoryScan(found=found, read_from=read_from)

    def _read(
        self, workspace_id: str, *, target: str, oldest: float, latest: float | None
    ) -> tuple[str, list[dict], bool]:
        """One ``conversations.history`` call, if the workspace's budget has one left (else a
        ``DeliveryError`` saying when it will); Slack's 429 moves the next call as it asks."""
        assert self._history is not None
        interval = self._history.interval
        with self._reads:
            wall = self._wall()
            ready_at = self._next_read.get(workspace_id, 0.0)
            if wall < ready_at:
                raise DeliveryError(
                    f"conversations.history: workspace {workspace_id}'s next call is due in "
                    f"{ready_at - wall:.0f}s",
                    retryable=True,
                    retry_after=ready_at - wall,
                )
            self._next_read[workspace_id] = wall + interval
        try:
            with _classified():
                return self.gateway(workspace_id).history_page(
                    target=target, oldest=oldest, latest=latest, limit=self._history.page
                )
        except DeliveryError as err:
            if err.retry_after is not None and not err.ambiguous:
                with self._reads:
                    later = self._wall() + max(err.retry_after, interval)
                    self._next_read[workspace_id] = max(self._next_read.get(workspace_id, 0.0), later)
            raise


def _outbox_key(metadata: dict) -> str | None:
    """The outbox row a message's metadata names, when the bot's clock posted it."""
    if metadata.get("event_type") != EVENT_TYPE:
        return None
    return str((metadata.get("event_payload") or {}).get("outbox"))


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
