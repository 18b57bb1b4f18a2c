"""A fake Slack Web API: a real local HTTP server that answers like Slack and records a transcript.

Tests point the app's ``SLACK_API_URL`` at ``fake.api_url`` so every Web API call the app makes
crosses a real socket, is parsed from the bytes ``slack_sdk`` actually sends, and lands in an
ordered, thread-safe transcript that assertions read like a conversation (zulip_bots style).
"""

from __future__ import annotations

import base64
import contextlib
import email.parser
import email.policy
import itertools
import json
import math
import threading
import time
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit
from zoneinfo import ZoneInfo

from tests.support import blockkit

__all__ = [
    "Call",
    "FakeSlack",
    "Fault",
    "Refusal",
    "Response",
    "Upload",
    "forget_refusals",
    "record_refusal",
    "refusals_since",
]

# Slack's long zone labels for the zones sales teams mostly sit in; others fall back to the abbreviation.
_TZ_LABELS = {
    "EST": "Eastern Standard Time",
    "EDT": "Eastern Daylight Time",
    "CST": "Central Standard Time",
    "CDT": "Central Daylight Time",
    "MST": "Mountain Standard Time",
    "MDT": "Mountain Daylight Time",
    "PST": "Pacific Standard Time",
    "PDT": "Pacific Daylight Time",
    "GMT": "Greenwich Mean Time",
    "BST": "British Summer Time",
    "CET": "Central European Time",
    "CEST": "Central European Summer Time",
    "UTC": "Coordinated Universal Time",
}

# Params that Slack sends JSON-encoded inside form bodies; decoded so tests see the same shape either way.
_JSON_PARAMS = ("blocks", "attachments", "view", "files", "metadata")


@dataclass
class Call:
    """One Web API call as the fake received it, and what it answered."""

    method: str
    params: dict[str, Any]
    headers: dict[str, str]
    at: float
    status: int = 0
    response: dict[str, Any] | None = None
    refused: str = ""  # what Slack's Block Kit rules found wrong with it, when they refused it

    @property
    def ok(self) -> bool:
        """Whether the fake answered ``ok: true`` (False while the answer is still pending)."""
        return bool(self.response and self.response.get("ok"))


@dataclass
class Response:
    """One message the app sent to a ``response_url``."""

    token: str
    body: dict[str, Any]
    at: float
    refused: str = ""  # why Slack would have answered 400 and shown nobody this message

    @property
    def text(self) -> str:
        """The visible text of the message (``text`` plus section/context block text)."""
        return visible_text(self.body)


@dataclass(frozen=True)
class Refusal:
    """A payload Slack's Block Kit rules refused: which fake, which method, Slack's error, and why."""

    fake: int  # id() of the FakeSlack that refused it
    method: str
    error: str
    detail: str
    at: float

    def __str__(self) -> str:
        return f"{self.method}: {self.error} — {self.detail}"


# Every refusal of every fake, until a test takes it: a test that sends what Slack would refuse fails
# even when the bot swallows the error (see ``tests/conftest.py``). Tests that mean to be refused take
# theirs with ``FakeSlack.take_refusals()``.
_REFUSALS: list[Refusal] = []
_REFUSALS_LOCK = threading.Lock()


def refusals_since(mark: int = 0) -> list[Refusal]:
    """Refusals not taken yet, from the ``mark``-th on (``len(refusals_since())`` is a mark)."""
    with _REFUSALS_LOCK:
        return list(_REFUSALS[mark:])


def forget_refusals() -> None:
    with _REFUSALS_LOCK:
        _REFUSALS.clear()


def record_refusal(method: str, review: blockkit.Review, fake: FakeSlack | None = None) -> None:
    """Count a payload Slack would refuse (``fake``: the one that saw it, for ``take_refusals``)."""
    with _REFUSALS_LOCK:
        _REFUSALS.append(Refusal(id(fake), method, str(review.error), review.detail, time.time()))


@dataclass
class Upload:
    """Bytes the app uploaded to an external upload URL (files.getUploadURLExternal flow)."""

    file_id: str
    data: bytes
    at: float


@dataclass
class Fault:
    """A scripted misbehaviour for a method: an HTTP error, a Slack error, or a delay."""

    method: str
    status: int = 200
    error: str | None = None
    retry_after: int | None = None
    delay: float = 0.0
    times: int | None = 1  # None: until reset()


@dataclass
class _Limits:
    """The state of ``limit_posts``: when each conversation last got a post, the workspace's bucket."""

    per_channel: float
    burst: int
    rate: float
    tokens: float
    at: float
    last_post: dict[str, float] = field(default_factory=dict)
    refused: int = 0


@dataclass
class _State:
    calls: list[Call] = field(default_factory=list)
    responses: list[Response] = field(default_factory=list)
    uploads: dict[str, Upload] = field(default_factory=dict)
    events: list[Call | Response | Upload] = field(default_factory=list)
    faults: list[Fault] = field(default_factory=list)


@dataclass
class Install:
    """The app installed in a workspace through OAuth: the code Slack gave the installer's browser, and
    the bot token ``oauth.v2.access`` exchanges it for."""

    code: str
    team_id: str
    team: str
    client_id: str
    client_secret: str
    installer: str
    bot_token: str
    scopes: str


def visible_text(body: Any) -> str:
    """What a person would read in a message body: its ``text`` and the text of its blocks.

    Repeated pieces (a fallback ``text`` that equals the first section) are shown once.
    """
    if isinstance(body, str):
        return body
    if not isinstance(body, dict):
        return ""
    parts: list[str] = []

    def add(value: Any) -> None:
        if isinstance(value, dict):
            value = value.get("text")
        if isinstance(value, str) and value and value not in parts:
            parts.append(value)

    add(body.get("text"))
    blocks = body.get("blocks") or []
    if isinstance(blocks, str):
        with contextlib.suppress(ValueError):
            blocks = json.loads(blocks)
    for block in blocks if isinstance(blocks, list) else []:
        if not isinstance(block, dict):
            continue
        kind = block.get("type")
        if kind in ("section", "header"):
            add(block.get("text"))
            for item in block.get("fields") or []:
                add(item)
        elif kind == "context":
            for item in block.get("elements") or []:
                add(item)
        elif kind == "rich_text":
            add(_rich_text(block))
    return "\n".join(parts)


def _rich_text(node: Any) -> str:
    """Flatten a rich_text block to its plain text."""
    if isinstance(node, dict):
        if node.get("type") == "text":
            return str(node.get("text", ""))
        return "".join(_rich_text(child) for child in node.get("elements") or [])
    return ""


class FakeSlack:
    """A local stand-in for ``https://slack.com/api/`` plus response_url and upload endpoints.

    Start it (context manager or ``start()``), give the app ``api_url`` and ``token``, then read
    ``calls()``, ``posts()``, ``responses()`` or ``transcript()``. Use ``fail()`` and ``delay()`` to
    script Slack's bad days.
    """

    def __init__(self, *, token: str = "xoxb-test-token", team_id: str = "T0001", team: str = "Acme") -> None:
        self.token = token
        self.team_id = team_id
        self.team = team
        self.users: dict[str, dict[str, Any]] = {}
        self.channels: dict[str, dict[str, Any]] = {}
        self.channel_members: dict[str, list[str]] = {}
        self.installs: dict[str, Install] = {}  # by authorization code; a code is exchanged once
        self.installed: dict[str, Install] = {}  # by the bot token oauth.v2.access issued for it
        self._lock = threading.RLock()
        self._changed = threading.Condition(self._lock)
        self._state = _State()
        self._ids = itertools.count(1)
        self._last_ts_us = 0
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self._stopping = threading.Event()
        self._started_at = time.time()
        self._limits: _Limits | None = None
        self._history = _HistoryLimits()  # see "conversations.history limits" below
        self._time: Callable[[], float] = time.time  # see follow_clock()
        # Socket Mode: apps.connections.open takes this app-level token and answers with a URL of
        # ``socket_mode`` (a FakeSocketMode of tests/support/fakesocket.py, which sets both).
        self.app_token: str | None = None
        self.socket_mode: Any = None
        # The scopes the fake's own token was granted; None: all of them. Methods that need a scope
        # this fake checks (users.lookupByEmail) answer ``missing_scope`` without it, like Slack.
        self.scopes: set[str] | None = None

    # ----------------------------------------------------------------- lifecycle

    def start(self) -> FakeSlack:
        """Bind 127.0.0.1 on a free port and serve from a daemon thread."""
        if self._server is not None:
            return self
        self._stopping.clear()
        server = _Server(("127.0.0.1", 0), _make_handler(self))
        self._server = server
        self._thread = threading.Thread(
            target=server.serve_forever, args=(0.1,), name="fake-slack", daemon=True
        )
        self._thread.start()
        self._started_at = time.time()
        return self

    def stop(self) -> None:
        """Stop serving; delayed answers in flight are released at once."""
        self._stopping.set()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._server = None
        self._thread = None

    def __enter__(self) -> FakeSlack:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def port(self) -> int:
        if self._server is None:
            raise RuntimeError("FakeSlack is not started")
        return int(self._server.server_address[1])

    @property
    def url(self) -> str:
        """Base URL of the server, e.g. ``http://127.0.0.1:54321``."""
        return f"http://127.0.0.1:{self.port}"

    @property
    def api_url(self) -> str:
        """What the app gets as ``SLACK_API_URL`` (ends with a slash, like Slack's own)."""
        return self.url + "/api/"

    # ----------------------------------------------------------------- registry

    def add_user(
        self,
        user_id: str,
        *,
        name: str,
        tz: str = "America/New_York",
        is_bot: bool = False,
        deleted: bool = False,
        team_id: str | None = None,
        real_name: str | None = None,
        email: str | None = None,
        locale: str = "en-US",
    ) -> dict[str, Any]:
        """Register a user that ``users.info`` will return, shaped like Slack's user object, and
        ``users.lookupByEmail`` finds by ``email`` (default ``<name>@example.com``)."""
        zone = ZoneInfo(tz)
        now = datetime.now(zone)
        offset = now.utcoffset()
        abbreviation = now.tzname() or tz
        real = real_name or name.replace(".", " ").replace("_", " ").title()
        user = {
            "id": user_id,
            "team_id": team_id or self.team_id,
            "name": name,
            "deleted": deleted,
            "color": "9f69e7",
            "real_name": real,
            "tz": tz,
            "tz_label": _TZ_LABELS.get(abbreviation, abbreviation),
            "tz_offset": int(offset.total_seconds()) if offset is not None else 0,
            "profile": {
                "display_name": name,
                "display_name_normalized": name,
                "real_name": real,
                "real_name_normalized": real,
                "email": email or f"{name}@example.com",
                "team": team_id or self.team_id,
            },
            "is_admin": False,
            "is_owner": False,
            "is_primary_owner": False,
            "is_restricted": False,
            "is_ultra_restricted": False,
            "is_bot": is_bot,
            "is_app_user": False,
            "updated": int(time.time()),
            "locale": locale,  # users.info returns it only when asked (include_locale=true)
        }
        with self._lock:
            self.users[user_id] = user
        return user

    def add_channel(
        self,
        channel_id: str,
        *,
        name: str,
        is_private: bool = False,
        members: Iterable[str] = (),
        bot_is_member: bool = True,
    ) -> dict[str, Any]:
        """Register a channel that ``conversations.info`` describes and ``conversations.members``
        lists (``members``, in order). As on Slack, the bot sees a private channel only when it is in it."""
        channel = self._channel_object(channel_id, name=name, is_private=is_private)
        channel["is_member"] = bot_is_member
        with self._lock:
            self.channels[channel_id] = channel
            self.channel_members[channel_id] = list(dict.fromkeys(members))
        return channel

    def join_channel(self, channel_id: str, *users: str) -> None:
        """People join a registered channel."""
        with self._lock:
            listed = self.channel_members[channel_id]
            listed.extend(u for u in users if u not in listed)

    def add_install(
        self,
        code: str,
        *,
        team_id: str,
        team: str,
        client_id: str,
        client_secret: str,
        installer: str = "U0INSTALLER",
        scopes: str = "commands,chat:write",
    ) -> str:
        """Approve an install in ``team_id``: Slack sends the installer back with ``code``, which
        ``oauth.v2.access`` exchanges once, for that client, for the bot token returned here — a token
        this fake accepts as that workspace's from then on."""
        token = f"xoxb-{team_id}-{uuid.uuid4().hex[:12]}"
        with self._lock:
            self.installs[code] = Install(
                code, team_id, team, client_id, client_secret, installer, token, scopes
            )
        return token

    # ----------------------------------------------------------------- faults

    def fail(
        self,
        method: str,
        *,
        status: int | None = None,
        retry_after: int = 1,
        times: int | None = 1,
        error: str | None = None,
    ) -> None:
        """Make the next ``times`` calls of ``method`` fail (``None``: until ``reset()``).

        Without ``error``: HTTP 429 with ``Retry-After`` (or the given 5xx ``status``).
        With ``error`` and no ``status``: HTTP 200 ``{"ok": false, "error": error}``, Slack's usual way.
        ``method`` may be ``"*"`` for every method, ``"response_url"`` or ``"upload"``.
        """
        if status is None:
            status = 200 if error is not None else 429
        if error is None:
            error = "ratelimited" if status == 429 else "internal_error"
        fault = Fault(method=method, status=status, error=error, times=times)
        if status == 429:
            fault.retry_after = retry_after
        with self._lock:
            self._state.faults.append(fault)

    def limit_posts(self, *, per_channel: float = 1.0, burst: int = 50, rate: float = 50.0) -> None:
        """Enforce ``chat.postMessage``'s limits the way Slack does, with 429 and ``Retry-After``:
        one message per ``per_channel`` seconds in a conversation, and a workspace-wide bucket of
        ``burst`` messages refilled at ``rate`` a second. ``limit_posts(rate=0)`` lifts them."""
        with self._lock:
            self._limits = (
                _Limits(per_channel, burst, rate, tokens=float(burst), at=time.monotonic()) if rate else None
            )

    def _rate_limited(self, method: str, params: dict[str, Any]) -> int | None:
        """Seconds to come back after, when this post breaks a limit (None: it may go)."""
        if method != "chat.postMessage":
            return None
        with self._lock:
            limits = self._limits
            if limits is None:
                return None
            now = time.monotonic()
            channel = _dm_id(str(params.get("channel") or ""))
            last = limits.last_post.get(channel)
            if last is not None and now - last < limits.per_channel - 0.02:
                limits.refused += 1
                return max(1, math.ceil(limits.per_channel - (now - last)))
            limits.tokens = min(float(limits.burst), limits.tokens + (now - limits.at) * limits.rate)
            limits.at = now
            if limits.tokens < 1:
                limits.refused += 1
                return max(1, math.ceil((1 - limits.tokens) / limits.rate))
            limits.tokens -= 1
            limits.last_post[channel] = now
            return None

    @property
    def rate_limited(self) -> int:
        """How many posts the limits of ``limit_posts`` refused."""
        with self._lock:
            return self._limits.refused if self._limits else 0

    def delay(self, method: str, seconds: float, *, times: int | None = None) -> None:
        """Make ``method`` answer only after ``seconds`` (``times=None``: every call until reset)."""
        with self._lock:
            self._state.faults.append(Fault(method=method, delay=seconds, times=times))

    def calm(self) -> None:
        """End every scripted fault and delay (answers already delayed still arrive late); keep the
        transcript, so a test can read what a storm cost after it has passed."""
        with self._lock:
            self._state.faults.clear()

    def reset(self) -> None:
        """Forget calls, responses, uploads and faults; keep registered users and channels."""
        with self._lock:
            self._state = _State()
            self._started_at = time.time()
            self.scopes = None
            self._changed.notify_all()

    def take_refusals(self) -> list[Refusal]:
        """The payloads this fake refused by Slack's Block Kit rules, oldest first; a test that means
        to send them takes them here, so that the suite's check doesn't count them against it."""
        with _REFUSALS_LOCK:
            mine = [r for r in _REFUSALS if r.fake == id(self)]
            _REFUSALS[:] = [r for r in _REFUSALS if r.fake != id(self)]
        return mine

    def _refused(self, method: str, review: blockkit.Review) -> None:
        record_refusal(method, review, self)

    # ----------------------------------------------------------------- transcript

    def calls(self, method: str | None = None) -> list[Call]:
        """Every recorded Web API call, oldest first, optionally of one method."""
        with self._lock:
            return [c for c in self._state.calls if method is None or c.method == method]

    def posts(self, channel: str | None = None) -> list[dict[str, Any]]:
        """The params of every ``chat.postMessage``, optionally to one channel or user (or their DM)."""
        wanted = None if channel is None else _dm_id(channel)
        return [
            c.params
            for c in self.calls("chat.postMessage")
            if wanted is None or _dm_id(str(c.params.get("channel"))) == wanted
        ]

    def responses(self, token: str | None = None) -> list[Response]:
        """Every message sent to a response_url, optionally to one (token or full URL)."""
        if token is not None:
            token = token.rstrip("/").rsplit("/", 1)[-1]
        with self._lock:
            return [r for r in self._state.responses if token is None or r.token == token]

    def unique_response(self, token: str) -> Response:
        """The one message sent to a response_url; fails loudly on none or several."""
        found = self.responses(token)
        if len(found) != 1:
            raise AssertionError(
                f"expected exactly one message to response_url {token!r}, got {len(found)}\n"
                + self.transcript()
            )
        return found[0]

    @property
    def uploads(self) -> dict[str, bytes]:
        """Uploaded file bytes by file id."""
        with self._lock:
            return {file_id: up.data for file_id, up in self._state.uploads.items()}

    def response_url(self) -> str:
        """A fresh response_url for one simulated Slack request."""
        return f"{self.url}/response/r{next(self._ids)}-{uuid.uuid4().hex[:8]}"

    def wait_for(
        self, predicate: Callable[[FakeSlack], Any], timeout: float = 5.0, *, what: str | None = None
    ) -> Any:
        """Block until ``predicate(fake)`` is truthy, re-checking on every recorded call or response.

        For replies a lazy listener sends after the ack. Returns the predicate's value; on timeout
        raises AssertionError showing the transcript.
        """
        with self._changed:
            result = self._changed.wait_for(lambda: predicate(self), timeout=timeout)
        if not result:
            label = what or getattr(predicate, "__name__", "condition")
            raise AssertionError(f"timed out after {timeout:g}s waiting for {label}\n{self.transcript()}")
        return result

    def transcript(self) -> str:
        """Everything recorded, in order, one line each: for assertion messages."""
        with self._lock:
            events = list(self._state.events)
            start = self._started_at
        if not events:
            return "(fake Slack recorded nothing)"
        lines = ["fake Slack transcript:"]
        for event in events:
            stamp = f"+{event.at - start:7.3f}s"
            if isinstance(event, Call):
                target = _target(event.params)
                text = visible_text(event.params).replace("\n", " ⏎ ")
                outcome = "…" if event.response is None else "ok"
                if event.response is not None and not event.response.get("ok"):
                    outcome = f"{event.status} {event.response.get('error')}"
                if event.refused:
                    outcome += f": {_shorten(event.refused, 400)}"
                line = f"{stamp} {event.method}"
                if target:
                    line += f" → {target}"
                if text:
                    line += f": {_shorten(text)!r}"
                lines.append(f"{line}  [{outcome}]")
            elif isinstance(event, Response):
                text = event.text.replace("\n", " ⏎ ")
                kind = event.body.get("response_type", "")
                extra = " (replace_original)" if event.body.get("replace_original") else ""
                extra += " (delete_original)" if event.body.get("delete_original") else ""
                extra += f" [refused: {_shorten(event.refused, 400)}]" if event.refused else ""
                lines.append(f"{stamp} response_url {event.token} {kind}{extra}: {_shorten(text)!r}")
            else:
                lines.append(f"{stamp} upload {event.file_id}: {len(event.data)} bytes")
        return "\n".join(lines)

    # ----------------------------------------------------------------- internals used by the handler

    def _record(self, event: Call | Response | Upload) -> None:
        with self._lock:
            if isinstance(event, Call):
                self._state.calls.append(event)
            elif isinstance(event, Response):
                self._state.responses.append(event)
            else:
                self._state.uploads[event.file_id] = event
            self._state.events.append(event)
            self._changed.notify_all()

    def _answered(self, call: Call, status: int, response: dict[str, Any]) -> None:
        with self._lock:
            call.status = status
            call.response = response
            self._changed.notify_all()

    def _take_faults(self, method: str) -> tuple[float, Fault | None]:
        """Consume the faults scripted for one call: total delay, and the first failure if any."""
        delay = 0.0
        failure: Fault | None = None
        with self._lock:
            for fault in list(self._state.faults):
                if fault.method not in (method, "*") or (fault.method == "*" and method in _NOT_API):
                    continue
                if fault.delay:
                    delay += fault.delay
                elif failure is None:
                    failure = fault
                else:
                    continue
                if fault.times is not None:
                    fault.times -= 1
                    if fault.times <= 0:
                        self._state.faults.remove(fault)
        return delay, failure

    def _sleep(self, seconds: float) -> None:
        # An interruptible server-side delay, so stop() never waits for a slow answer.
        if seconds > 0:
            self._stopping.wait(seconds)

    def _next_ts(self) -> str:
        with self._lock:
            now_us = int(self._time() * 1_000_000)
            self._last_ts_us = max(now_us, self._last_ts_us + 1)
            value = self._last_ts_us
        return f"{value // 1_000_000}.{value % 1_000_000:06d}"

    def _new_id(self, prefix: str) -> str:
        return f"{prefix}{next(self._ids):04d}{uuid.uuid4().hex[:6].upper()}"

    def _channel_object(self, channel_id: str, *, name: str | None = None, is_private: bool = False) -> dict:
        is_im = channel_id.startswith("D")
        return {
            "id": channel_id,
            "name": name or ("" if is_im else channel_id.lower()),
            "is_channel": not is_im and not is_private,
            "is_group": is_private,
            "is_im": is_im,
            "is_private": is_private or is_im,
            "is_archived": False,
            "is_general": channel_id == "C0GENERAL",
            "is_member": True,
            "context_team_id": self.team_id,
            "created": int(self._started_at),
        }

    def _authenticates(self, method: str, token: str | None) -> bool:
        """The app's own token, or one an install issued; ``oauth.v2.access`` checks the client instead."""
        with self._lock:
            if method == "apps.connections.open":  # an app-level token's method: it answers for itself
                return bool(token)
            return method == "oauth.v2.access" or token == self.token or token in self.installed

    def _api(self, method: str, params: dict[str, Any], call: Call | None = None) -> dict[str, Any]:
        """Slack's answer for a well-authenticated call: a message or view Slack's Block Kit rules
        refuse is refused as Slack refuses it; a ``text`` past 40,000 characters is cut, with a warning."""
        handler = _METHODS.get(method)
        if handler is None:
            return {"ok": False, "error": "unknown_method"}
        review = blockkit.review(method, params)
        if review.refusal is not None:
            self._refused(method, review)
            if call is not None:
                call.refused = review.detail
            return review.refusal
        return review.answer(handler(self, review.params))

    # ----------------------------------------------------------------- conversations.history limits
    # Slack's limits since 2025 for an app distributed commercially outside the Marketplace: one
    # conversations.history call a minute per workspace, at most 15 messages a call (a larger
    # ``limit`` is cut to 15). An internal app keeps Tier 3 (no per-minute limit here, 999 a call).
    # By default the tokens that installs issued (OAuth mode: the app others install) are held to
    # them and this fake's own ``token`` (token mode: one workspace's internal app) is not.

    def limit_history(self, *, apply_to: str = "installs", interval: float = 60.0, page: int = 15) -> None:
        """Which tokens the history limits hold: ``"installs"`` (the default), ``"all"`` (the fake's
        own token too), or ``"none"``; one call per ``interval`` seconds per workspace, on the fake's
        clock (see ``follow_clock``), answered 429 ``ratelimited`` with ``Retry-After`` past it."""
        if apply_to not in ("installs", "all", "none"):
            raise ValueError(f"apply_to must be 'installs', 'all' or 'none', not {apply_to!r}")
        with self._lock:
            self._history = _HistoryLimits(apply_to=apply_to, interval=interval, page=page)

    def follow_clock(self, now: Callable[[], float]) -> None:
        """Read time from ``now`` (seconds since the epoch) instead of the machine: the ts of new
        messages and the history limit's minute follow the test's clock, where the test drives time."""
        with self._lock:
            self._time = now

    def install_workspace(self, team_id: str, *, team: str | None = None) -> str:
        """The app installed in ``team_id`` as an install leaves it (no OAuth round trip): returns the
        bot token, which this fake takes as that workspace's from then on."""
        token = f"xoxb-{team_id}-{uuid.uuid4().hex[:12]}"
        install = Install("", team_id, team or team_id, "", "", "U0INSTALLER", token, "")
        with self._lock:
            self.installed[token] = install
        return token

    @property
    def history_refused(self) -> int:
        """How many conversations.history calls the per-minute limit answered 429."""
        with self._lock:
            return self._history.refused

    def _history_workspace(self, token: str | None) -> str | None:
        """The workspace whose history budget a call with ``token`` spends; None: not limited."""
        with self._lock:
            limits = self._history
            install = self.installed.get(str(token))
            if limits.apply_to == "none" or (install is None and limits.apply_to == "installs"):
                return None
            return install.team_id if install is not None else self.team_id

    def _history_limited(self, method: str, token: str | None) -> int | None:
        """Seconds to come back after, when this conversations.history call is one too many."""
        if method != "conversations.history":
            return None
        workspace = self._history_workspace(token)
        if workspace is None:
            return None
        with self._lock:
            limits = self._history
            now = self._time()
            last = limits.last.get(workspace)
            if last is not None and now - last < limits.interval:
                limits.refused += 1
                return max(1, math.ceil(limits.interval - (now - last)))
            limits.last[workspace] = now
            return None

    def _history_page(self, token: str | None) -> tuple[int, int]:
        """(default, maximum) messages a conversations.history call with ``token`` returns."""
        if self._history_workspace(token) is None:
            return 100, HISTORY_PAGE_MAX
        with self._lock:
            return self._history.page, self._history.page


_NOT_API = ("response_url", "upload")


class _Server(ThreadingHTTPServer):
    """socketserver's listen backlog of 5 drops bursts of connections (a 1 s SYN retry each)."""

    request_queue_size = 128
    daemon_threads = True


def _dm_id(channel: str) -> str:
    """Slack's DM channel id for a user id (posting to ``U123`` lands in ``D123``)."""
    if channel[:1] in ("U", "W"):
        return "D" + channel[1:]
    return channel


def _target(params: dict[str, Any]) -> str:
    for key in ("channel", "channel_id", "user", "user_id", "users", "view_id", "filename"):
        if params.get(key):
            return str(params[key])
    return ""


def _shorten(text: str, limit: int = 160) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _view_echo(fake: FakeSlack, params: dict[str, Any], view_id: str | None = None) -> dict[str, Any]:
    view = params.get("view")
    if not isinstance(view, dict):
        return {"ok": False, "error": "invalid_arguments"}
    echoed = {
        "id": view_id or fake._new_id("V"),
        "team_id": fake.team_id,
        "type": view.get("type", "modal"),
        "callback_id": view.get("callback_id", ""),
        "private_metadata": view.get("private_metadata", ""),
        "external_id": view.get("external_id", params.get("external_id", "")),
        "state": {"values": {}},
        "hash": uuid.uuid4().hex[:16],
        "app_id": "A0SALESBOT",
        "bot_id": "BBOT",
        **{k: v for k, v in view.items() if k not in ("id", "hash", "state")},
    }
    return {"ok": True, "view": echoed}


def _m_auth_test(fake: FakeSlack, params: dict[str, Any]) -> dict[str, Any]:
    with fake._lock:
        install = fake.installed.get(str(params.get("token")))
    team, team_id = (install.team, install.team_id) if install else (fake.team, fake.team_id)
    return {
        "ok": True,
        "url": f"https://{team.lower()}.slack.com/",
        "team": team,
        "team_id": team_id,
        "user": "salesbot",
        "user_id": "UBOT",
        "bot_id": "BBOT",
        "is_enterprise_install": False,
    }


def _m_oauth_v2_access(fake: FakeSlack, params: dict[str, Any]) -> dict[str, Any]:
    """Exchange an install's code, once, for its bot token; only for the client it was approved for."""
    with fake._lock:
        install = fake.installs.get(str(params.get("code")))
        if install is None:
            return {"ok": False, "error": "invalid_code"}
        if params.get("client_id") != install.client_id:
            return {"ok": False, "error": "invalid_client_id"}
        if params.get("client_secret") != install.client_secret:
            return {"ok": False, "error": "bad_client_secret"}
        del fake.installs[install.code]
        fake.installed[install.bot_token] = install
    return {
        "ok": True,
        "app_id": "A0SALESBOT",
        "authed_user": {"id": install.installer},
        "scope": install.scopes,
        "token_type": "bot",
        "access_token": install.bot_token,
        "bot_user_id": "UBOT",
        "team": {"id": install.team_id, "name": install.team},
        "enterprise": None,
        "is_enterprise_install": False,
    }


def _basic_auth(authorization: str) -> dict[str, str]:
    """client_id and client_secret from HTTP Basic auth, the way slack_sdk sends them to oauth.v2.access."""
    if not authorization.startswith("Basic "):
        return {}
    client_id, _, client_secret = base64.b64decode(authorization[len("Basic ") :]).decode().partition(":")
    return {"client_id": client_id, "client_secret": client_secret}


def _m_users_info(fake: FakeSlack, params: dict[str, Any]) -> dict[str, Any]:
    with fake._lock:
        user = fake.users.get(str(params.get("user", "")))
    if user is None:
        return {"ok": False, "error": "user_not_found"}
    user = json.loads(json.dumps(user))
    if str(params.get("include_locale", "")).lower() not in ("1", "true"):
        user.pop("locale", None)
    return {"ok": True, "user": user}


def _granted(fake: FakeSlack, token: str | None) -> set[str] | None:
    """The token's scopes (None: every scope): an install's are what it was granted."""
    with fake._lock:
        install = fake.installed.get(token or "")
        if install is not None:
            return set(install.scopes.split(",")) if install.scopes else None
        return None if fake.scopes is None else set(fake.scopes)


def _m_users_lookup_by_email(fake: FakeSlack, params: dict[str, Any]) -> dict[str, Any]:
    """Slack's ``users.lookupByEmail``: needs ``users:read.email``; ``users_not_found`` for an e-mail
    nobody in the workspace has (a deleted user is still found, flagged ``deleted``)."""
    granted = _granted(fake, params.get("token"))
    if granted is not None and "users:read.email" not in granted:
        return {
            "ok": False,
            "error": "missing_scope",
            "needed": "users:read.email",
            "provided": ",".join(sorted(granted)),
        }
    email = str(params.get("email") or "").strip()
    if not email:
        return {"ok": False, "error": "invalid_arguments"}
    with fake._lock:
        found = next(
            (
                u
                for u in fake.users.values()
                if (u["profile"].get("email") or "").casefold() == email.casefold()
            ),
            None,
        )
    if found is None:
        return {"ok": False, "error": "users_not_found"}
    return {"ok": True, "user": json.loads(json.dumps(found))}


def _m_post_message(fake: FakeSlack, params: dict[str, Any]) -> dict[str, Any]:
    channel = str(params.get("channel") or "")
    if not channel:
        return {"ok": False, "error": "channel_not_found"}
    if not (params.get("text") or params.get("blocks") or params.get("attachments")):
        return {"ok": False, "error": "no_text"}
    ts = fake._next_ts()
    message: dict[str, Any] = {
        "type": "message",
        "user": "UBOT",
        "bot_id": "BBOT",
        "app_id": "A0SALESBOT",
        "team": fake.team_id,
        "text": params.get("text", ""),
        "ts": ts,
    }
    for key in ("blocks", "attachments", "thread_ts", "metadata"):
        if params.get(key):
            message[key] = params[key]
    return {"ok": True, "channel": _dm_id(channel), "ts": ts, "message": message}


def _m_post_ephemeral(fake: FakeSlack, params: dict[str, Any]) -> dict[str, Any]:
    if not params.get("channel") or not params.get("user"):
        return {"ok": False, "error": "invalid_arguments"}
    return {"ok": True, "message_ts": fake._next_ts()}


def _m_update(fake: FakeSlack, params: dict[str, Any]) -> dict[str, Any]:
    if not params.get("channel") or not params.get("ts"):
        return {"ok": False, "error": "message_not_found"}
    channel, ts = str(params["channel"]), str(params["ts"])
    message = {"type": "message", "user": "UBOT", "bot_id": "BBOT", "text": params.get("text", "")}
    if params.get("blocks"):
        message["blocks"] = params["blocks"]
    return {"ok": True, "channel": channel, "ts": ts, "text": params.get("text", ""), "message": message}


def _m_delete(fake: FakeSlack, params: dict[str, Any]) -> dict[str, Any]:
    return {"ok": True, "channel": params.get("channel"), "ts": params.get("ts")}


def _m_permalink(fake: FakeSlack, params: dict[str, Any]) -> dict[str, Any]:
    channel, ts = str(params.get("channel", "")), str(params.get("message_ts", ""))
    if not channel or not ts:
        return {"ok": False, "error": "message_not_found"}
    return {
        "ok": True,
        "channel": channel,
        "permalink": f"https://{fake.team.lower()}.slack.com/archives/{channel}/p{ts.replace('.', '')}",
    }


def _m_conversations_open(fake: FakeSlack, params: dict[str, Any]) -> dict[str, Any]:
    users = [u for u in str(params.get("users", "")).split(",") if u]
    if params.get("channel"):
        return {"ok": True, "channel": {"id": params["channel"]}}
    if not users:
        return {"ok": False, "error": "users_list_not_supplied"}
    channel_id = (
        _dm_id(users[0])
        if len(users) == 1
        else "G" + uuid.uuid5(uuid.NAMESPACE_OID, ",".join(sorted(users))).hex[:10].upper()
    )
    return {"ok": True, "no_op": False, "already_open": False, "channel": {"id": channel_id}}


# ----------------------------------------------------------------- conversations.history

HISTORY_PAGE_MAX = 999  # Tier 3's largest page; the 2025 limits cut it to 15 (see limit_history)


@dataclass
class _HistoryLimits:
    """The state of ``limit_history``: which tokens, how often, how many; each workspace's last call."""

    apply_to: str = "installs"
    interval: float = 60.0
    page: int = 15
    last: dict[str, float] = field(default_factory=dict)
    refused: int = 0


def _m_conversations_history(fake: FakeSlack, params: dict[str, Any]) -> dict[str, Any]:
    """The conversation's messages posted through this fake, newest first, as Slack pages them:
    between ``oldest`` and ``latest`` (ends excluded unless ``inclusive``), at most ``limit`` a page
    (cut to the token's maximum), ``has_more`` and a ``next_cursor`` for the rest; replies in a
    thread stay in their thread; metadata only if asked for."""
    channel = _dm_id(str(params.get("channel") or ""))
    if not channel:
        return {"ok": False, "error": "channel_not_found"}
    default, maximum = fake._history_page(params.get("token"))
    try:
        oldest = float(params.get("oldest") or 0)
        latest = float(params["latest"]) if params.get("latest") else math.inf  # all posted so far
        limit = min(int(params.get("limit") or default), maximum)
        below = (
            float(base64.urlsafe_b64decode(str(params["cursor"])).decode().removeprefix("history:"))
            if params.get("cursor")
            else None
        )
    except (TypeError, ValueError, UnicodeDecodeError):
        return {"ok": False, "error": "invalid_arguments"}
    if limit < 1:
        return {"ok": False, "error": "invalid_limit"}
    inclusive = str(params.get("inclusive", "")).lower() in ("1", "true")
    with_metadata = str(params.get("include_all_metadata", "")).lower() in ("1", "true")
    messages = []
    for call in fake.calls("chat.postMessage"):
        if not call.ok or call.response["channel"] != channel:
            continue
        message = dict(call.response["message"])
        ts = float(message["ts"])
        if message.get("thread_ts") and message["thread_ts"] != message["ts"]:
            continue  # a reply: conversations.replies shows it, not the channel's history
        if not (oldest <= ts <= latest if inclusive else oldest < ts < latest):
            continue
        if below is not None and ts >= below:
            continue
        if not with_metadata:
            message.pop("metadata", None)
        messages.append(message)
    messages.reverse()
    page, more = messages[:limit], len(messages) > limit
    cursor = base64.urlsafe_b64encode(f"history:{page[-1]['ts']}".encode()).decode() if more else ""
    return {"ok": True, "messages": page, "has_more": more, "response_metadata": {"next_cursor": cursor}}


def _m_conversations_info(fake: FakeSlack, params: dict[str, Any]) -> dict[str, Any]:
    channel_id = str(params.get("channel", ""))
    if not channel_id:
        return {"ok": False, "error": "channel_not_found"}
    with fake._lock:
        channel = fake.channels.get(channel_id)
    return {"ok": True, "channel": channel or fake._channel_object(channel_id)}


MEMBERS_PAGE_MAX = 1000  # conversations.members' largest page


def _m_conversations_members(fake: FakeSlack, params: dict[str, Any]) -> dict[str, Any]:
    """Slack's ``conversations.members``: pages of user ids with a ``next_cursor`` ("" on the last);
    ``channel_not_found`` for a channel that doesn't exist or a private one the bot isn't in."""
    channel_id = str(params.get("channel", ""))
    with fake._lock:
        channel = fake.channels.get(channel_id)
        members = list(fake.channel_members.get(channel_id, ()))
    if channel is None or (channel["is_private"] and not channel["is_member"]):
        return {"ok": False, "error": "channel_not_found"}
    try:
        limit = int(params.get("limit") or 100)
    except (TypeError, ValueError):
        return {"ok": False, "error": "invalid_limit"}
    if not 1 <= limit <= MEMBERS_PAGE_MAX:
        return {"ok": False, "error": "invalid_limit"}
    cursor = str(params.get("cursor") or "")
    start = 0
    if cursor:
        try:
            start = int(base64.urlsafe_b64decode(cursor.encode()).decode().removeprefix("members:"))
        except (ValueError, UnicodeDecodeError):
            return {"ok": False, "error": "invalid_cursor"}
    page = members[start : start + limit]
    more = start + limit < len(members)
    next_cursor = base64.urlsafe_b64encode(f"members:{start + limit}".encode()).decode() if more else ""
    return {"ok": True, "members": page, "response_metadata": {"next_cursor": next_cursor}}


def _m_views_open(fake: FakeSlack, params: dict[str, Any]) -> dict[str, Any]:
    if not params.get("trigger_id") and not params.get("interactivity_pointer"):
        return {"ok": False, "error": "invalid_arguments"}
    return _view_echo(fake, params)


def _m_views_update(fake: FakeSlack, params: dict[str, Any]) -> dict[str, Any]:
    if not params.get("view_id") and not params.get("external_id"):
        return {"ok": False, "error": "not_found"}
    return _view_echo(fake, params, view_id=str(params.get("view_id") or "") or None)


def _m_views_publish(fake: FakeSlack, params: dict[str, Any]) -> dict[str, Any]:
    if not params.get("user_id"):
        return {"ok": False, "error": "invalid_arguments"}
    return _view_echo(fake, params)


def _m_get_upload_url(fake: FakeSlack, params: dict[str, Any]) -> dict[str, Any]:
    if not params.get("filename") or not str(params.get("length", "")).isdigit():
        return {"ok": False, "error": "invalid_arguments"}
    file_id = fake._new_id("F")
    return {"ok": True, "upload_url": f"{fake.url}/upload/{file_id}", "file_id": file_id}


def _m_complete_upload(fake: FakeSlack, params: dict[str, Any]) -> dict[str, Any]:
    files = params.get("files")
    if not isinstance(files, list) or not files:
        return {"ok": False, "error": "invalid_arguments"}
    with fake._lock:
        missing = [f.get("id") for f in files if f.get("id") not in fake._state.uploads]
    if missing:
        return {"ok": False, "error": "file_not_found"}
    return {
        "ok": True,
        "files": [
            {"id": f["id"], "title": f.get("title") or f["id"], "name": f.get("title") or f["id"]}
            for f in files
        ],
    }


def _m_apps_connections_open(fake: FakeSlack, params: dict[str, Any]) -> dict[str, Any]:
    """A Socket Mode URL for the app-level token; a bot token is the wrong kind, as on Slack."""
    token = str(params.get("token") or "")
    if token.startswith(("xoxb-", "xoxp-")):
        return {"ok": False, "error": "not_allowed_token_type"}
    if fake.socket_mode is None or token != fake.app_token:
        return {"ok": False, "error": "invalid_auth"}
    return {"ok": True, "url": fake.socket_mode.open_url()}


_METHODS: dict[str, Callable[[FakeSlack, dict[str, Any]], dict[str, Any]]] = {
    "apps.connections.open": _m_apps_connections_open,
    "auth.test": _m_auth_test,
    "users.info": _m_users_info,
    "users.lookupByEmail": _m_users_lookup_by_email,
    "chat.postMessage": _m_post_message,
    "chat.postEphemeral": _m_post_ephemeral,
    "chat.update": _m_update,
    "chat.delete": _m_delete,
    "chat.getPermalink": _m_permalink,
    "conversations.open": _m_conversations_open,
    "conversations.info": _m_conversations_info,
    "conversations.members": _m_conversations_members,
    "conversations.history": _m_conversations_history,
    "views.open": _m_views_open,
    "views.push": _m_views_open,
    "views.update": _m_views_update,
    "views.publish": _m_views_publish,
    "files.getUploadURLExternal": _m_get_upload_url,
    "files.completeUploadExternal": _m_complete_upload,
    "oauth.v2.access": _m_oauth_v2_access,
}


def _parse_params(content_type: str, body: bytes, query: str) -> dict[str, Any]:
    """Merge query string and body (form, JSON, or multipart) into one params dict."""
    params: dict[str, Any] = dict(parse_qsl(query, keep_blank_values=True))
    kind = content_type.split(";", 1)[0].strip().lower()
    if body:
        if kind == "application/json":
            decoded = json.loads(body.decode("utf-8"))
            if isinstance(decoded, dict):
                params.update(decoded)
        elif kind == "multipart/form-data":
            message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
                b"Content-Type: " + content_type.encode("latin-1") + b"\r\n\r\n" + body
            )
            for part in message.iter_parts():
                name = part.get_param("name", header="content-disposition")
                payload = part.get_payload(decode=True) or b""
                if name:
                    params[str(name)] = payload if part.get_filename() else payload.decode("utf-8")
        else:
            params.update(parse_qsl(body.decode("utf-8"), keep_blank_values=True))
    for key in _JSON_PARAMS:
        value = params.get(key)
        if isinstance(value, str) and value[:1] in ("[", "{"):
            with contextlib.suppress(ValueError):
                params[key] = json.loads(value)
    return params


def _make_handler(fake: FakeSlack) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        """Routes /api/<method>, /response/<token> and /upload/<file_id>."""

        server_version = "FakeSlack/1.0"
        protocol_version = "HTTP/1.1"
        # Headers and body go out in two writes; without this, Nagle + delayed ACK add ~40 ms a call.
        disable_nagle_algorithm = True

        def log_message(self, format: str, *args: Any) -> None:
            return  # keep test output clean; the transcript is the log

        def do_GET(self) -> None:
            path = urlsplit(self.path)
            if path.path.startswith("/api/"):
                self._api(path.path[len("/api/") :], path.query, b"")
            else:
                self._send(404, b"not found", "text/plain")

        def do_POST(self) -> None:
            path = urlsplit(self.path)
            body = self._read_body()
            if path.path.startswith("/api/"):
                self._api(path.path[len("/api/") :], path.query, body)
            elif path.path.startswith("/response/"):
                self._response_url(path.path[len("/response/") :], body)
            elif path.path.startswith("/upload/"):
                self._upload(path.path[len("/upload/") :], body)
            else:
                self._send(404, b"not found", "text/plain")

        def _read_body(self) -> bytes:
            length = int(self.headers.get("Content-Length") or 0)
            return self.rfile.read(length) if length else b""

        def _api(self, method: str, query: str, body: bytes) -> None:
            headers = {k: v for k, v in self.headers.items()}
            try:
                params = _parse_params(self.headers.get("Content-Type", ""), body, query)
            except (ValueError, UnicodeDecodeError):
                params = {"_raw": body.decode("utf-8", "replace")}
            call = Call(method=method, params=params, headers=headers, at=time.time())
            fake._record(call)
            delay, failure = fake._take_faults(method)
            fake._sleep(delay)
            supplied = self.headers.get("Authorization", "")
            token = supplied[len("Bearer ") :] if supplied.startswith("Bearer ") else params.get("token")
            extra: dict[str, str] = {}
            if not fake._authenticates(method, token):
                status, answer = 200, {"ok": False, "error": "not_authed" if not token else "invalid_auth"}
            elif failure is not None:
                status, answer = failure.status, {"ok": False, "error": failure.error}
                if failure.retry_after is not None:
                    extra["Retry-After"] = str(failure.retry_after)
            elif (
                retry_after := fake._rate_limited(method, params) or fake._history_limited(method, token)
            ) is not None:
                status, answer = 429, {"ok": False, "error": "ratelimited"}
                extra["Retry-After"] = str(retry_after)
            else:
                status, answer = (
                    200,
                    fake._api(method, {**params, "token": token, **_basic_auth(supplied)}, call),
                )
            fake._answered(call, status, answer)
            self._send(status, json.dumps(answer).encode("utf-8"), "application/json; charset=utf-8", extra)

        def _response_url(self, token: str, body: bytes) -> None:
            try:
                decoded = json.loads(body.decode("utf-8")) if body else {}
            except (ValueError, UnicodeDecodeError):
                decoded = {"_raw": body.decode("utf-8", "replace")}
            if not isinstance(decoded, dict):
                decoded = {"_raw": decoded}
            review = blockkit.review(blockkit.RESPONSE_URL, decoded)
            response = Response(token=token, body=review.params, at=time.time(), refused=review.detail)
            fake._record(response)
            delay, failure = fake._take_faults("response_url")
            fake._sleep(delay)
            if failure is not None:
                self._send(failure.status, str(failure.error).encode(), "text/plain")
            elif review.refusal is not None:  # Slack answers a webhook's bad message 400, with the code
                fake._refused("response_url", review)
                self._send(400, str(review.error).encode(), "text/plain")
            else:
                self._send(200, b"ok", "text/plain")

        def _upload(self, file_id: str, body: bytes) -> None:
            delay, failure = fake._take_faults("upload")
            fake._sleep(delay)
            if failure is not None:
                self._send(failure.status, str(failure.error).encode(), "text/plain")
                return
            fake._record(Upload(file_id=file_id, data=body, at=time.time()))
            self._send(200, f"OK - {len(body)}".encode(), "text/plain")

        def _send(
            self, status: int, body: bytes, content_type: str, extra: dict[str, str] | None = None
        ) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            for name, value in (extra or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(body)

    return Handler
