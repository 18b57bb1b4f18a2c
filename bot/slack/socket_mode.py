"""Socket Mode: Slack's commands, actions, view submissions and events over a WebSocket the bot opens,
for a workspace whose bot has no public URL.

Every envelope goes through the same Bolt app, listeners and acks as an HTTP request; the ack (with
the reply it carries) is the envelope's ``envelope_id`` sent back. slack_sdk's built-in client does
the WebSocket work; three things here make it keep its promises when connections come and go:

* **A new connection before the old one closes.** On Slack's ``disconnect`` (``refresh_requested``,
  ``warning``) or a close frame, the new connection is opened first and only then made current. Each
  connection has a reader of its own (slack_sdk's one reader would finish its 3-second read of the
  old socket before it looked at the new one), so the old one still delivers what Slack sends on it
  until Slack closes it or ``RETIRE_AFTER`` passes.
* **A lost connection is noticed at once.** The peer closing the TCP connection ends the session
  (slack_sdk would spin reading nothing until its pings fail, a minute later); a connection that
  goes silent is dropped when its pongs stop. Either way the client reconnects at once, then with
  back-off while Slack can't be reached.
* **No envelope lost, none handled twice, within this process.** An ack whose connection died is
  sent on the next one, up to Slack's 3 seconds from receipt. An ``envelope_id`` seen again (Slack
  redelivering it) is not run again: it is acked with the first run's answer, or, while that run is
  still going, left to it. Across processes (several may connect; Slack spreads envelopes over
  them) Events API retries are deduplicated by ``event_id`` in the database (see
  ``listeners/home.py``), as over HTTP.

OAuth (many workspaces) stays HTTP: Slack does not list Socket Mode apps in its Marketplace.
"""

from __future__ import annotations

import contextlib
import errno
import json
import logging
import socket
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from typing import Any

from slack_bolt import App
from slack_bolt.adapter.socket_mode.base_handler import BaseSocketModeHandler
from slack_bolt.adapter.socket_mode.internals import run_bolt_app
from slack_bolt.response import BoltResponse
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.socket_mode.builtin.client import SocketModeClient as _BuiltinClient
from slack_sdk.socket_mode.builtin.connection import Connection, ConnectionState
from slack_sdk.socket_mode.request import SocketModeRequest

log = logging.getLogger(__name__)
SDK_LOGGER = __name__ + ".sdk"  # slack_sdk's own narration of each session (quiet at INFO, see bot/logs.py)

ACK_WINDOW = 3.0  # seconds Slack waits for an envelope's ack
PING_INTERVAL = 5.0  # seconds between pings; a connection whose pongs stop for 4 of them is dropped
RECONNECT_BACKOFF = (0.5, 30.0)  # the first retry's wait, and the longest, while Slack can't be reached
REMEMBERED_ENVELOPES = 4096  # envelope ids kept to answer a redelivery without running it again
RETIRE_AFTER = 10.0  # seconds a replaced connection still reads (Slack closes it ~10 s after a warning)
DRAIN_SECONDS = 3.0  # how long closing waits for envelopes under way to be answered


class _EndOfStream(ConnectionResetError):
    """The peer closed the connection (a read returned no bytes)."""


class _PeerClosingSocket:
    """A socket whose ``recv`` raises when the peer has closed the connection instead of returning
    ``b""`` forever (slack_sdk's reader takes that for "nothing yet" and loops)."""

    def __init__(self, sock: Any) -> None:
        self._sock = sock

    def recv(self, size: int, *args: Any) -> bytes:
        data = self._sock.recv(size, *args)
        if not data:
            raise _EndOfStream(errno.ECONNRESET, "the connection was closed by Slack")
        return data

    def __getattr__(self, name: str) -> Any:
        return getattr(self._sock, name)


class _Connection(Connection):
    """slack_sdk's connection, reading through :class:`_PeerClosingSocket`, whose reader stops when
    it is closed (slack_sdk's would wait for a new one)."""

    state: ConnectionState | None = None
    retired = False  # replaced by a newer connection: its end is no loss

    @property
    def sock(self) -> Any:
        return self._sock

    @sock.setter
    def sock(self, value: Any) -> None:
        self._sock = None if value is None else _PeerClosingSocket(value)

    def disconnect(self) -> None:
        """Close on purpose: wake the reader at once (slack_sdk waits out its 3-second read), say
        nothing of the end, and stop reading."""
        self.on_error_listener = _ignore
        self.on_close_listener = None
        raw = self._sock._sock if self._sock is not None else None
        if raw is not None:
            with contextlib.suppress(OSError):
                socket.socket.shutdown(raw, socket.SHUT_RDWR)  # the descriptor's, below any TLS
        super().disconnect()
        if self.state is not None:
            self.state.terminated = True


class SocketModeClient(_BuiltinClient):
    """slack_sdk's built-in client, with a reader per connection, connecting before it lets go (see
    the module's docstring)."""

    def __init__(
        self,
        *,
        app_token: str,
        web_client: WebClient,
        concurrency: int = 8,
        ping_interval: float = PING_INTERVAL,
        backoff: tuple[float, float] = RECONNECT_BACKOFF,
        retire_after: float = RETIRE_AFTER,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        # Set before slack_sdk's constructor starts its threads, which read them.
        self._backoff = backoff
        self._retire_after = retire_after
        self._clock = clock
        self._failures = 0
        self._retry_at = 0.0
        self._started = False  # connects only once started
        self._disabled = False  # Slack said Socket Mode is off for this app (link_disabled)
        self._sessions = threading.Condition()
        self._retired: list[_Connection] = []
        self.connections_opened = 0
        super().__init__(
            app_token=app_token,
            web_client=web_client,
            logger=logging.getLogger(SDK_LOGGER),
            ping_interval=ping_interval,
            concurrency=concurrency,
        )

    # ----------------------------------------------------------------- connecting

    def start(self) -> None:
        """Watch the connection from now on and open the first one (a failure is retried, with
        back-off, by the watch)."""
        self._started = True
        if not self.current_app_monitor_started:
            self.current_app_monitor_started = True
            self.current_app_monitor.start()
        self.connect_to_new_endpoint()

    def connect(self) -> None:
        """Open a new connection and make it current; raises when none could be opened."""
        with self.connect_operation_lock:
            self._open()

    def connect_to_new_endpoint(self, force: bool = False) -> bool:
        """A new connection (``force``: even while the current one works, as Slack's ``disconnect``
        asks); never raises. False when none was opened (another attempt is under way, Slack can't
        be reached — then the watch tries again after a back-off — or the client is closing)."""
        if self.closed or self._disabled:
            return False
        if not self.connect_operation_lock.acquire(timeout=5):
            return False  # someone else is connecting: that connection will do
        try:
            if not force and self.is_connected():
                return True
            self._open()
        except Exception as err:
            self._failures += 1
            wait = min(self._backoff[1], self._backoff[0] * 2 ** (self._failures - 1))
            wait = max(wait, _retry_after(err))
            self._retry_at = self._clock() + wait
            log.warning(
                "Socket Mode: cannot connect to Slack (%s); trying again in %.1fs", _reason(err), wait
            )
            return False
        finally:
            self.connect_operation_lock.release()
        self._failures = 0
        return True

    def issue_new_wss_url(self) -> str:
        """A connection URL from ``apps.connections.open``; its errors are the caller's to report
        (slack_sdk's logs them and sleeps out a rate limit in place; here the back-off waits)."""
        return str(self.web_client.apps_connections_open(app_token=self.app_token)["url"])

    def _open(self) -> None:
        """Called with the connect lock held: a fresh URL, a working connection with a reader of its
        own, then the swap; the old connection keeps reading what Slack still sends on it until
        Slack closes it or ``retire_after`` seconds pass."""
        self.wss_uri = self.issue_new_wss_url()
        session = _Connection(
            url=self.wss_uri,
            logger=self.logger,
            ping_interval=self.ping_interval,
            trace_enabled=self.trace_enabled,
            all_message_trace_enabled=self.all_message_trace_enabled,
            ping_pong_trace_enabled=self.ping_pong_trace_enabled,
            receive_buffer_size=self.receive_buffer_size,
            proxy=self.proxy,
            proxy_headers=self.proxy_headers,
            on_message_listener=self._on_message,
            on_error_listener=self._on_error,
            on_close_listener=self._on_close,
            ssl_context=self.web_client.ssl,
        )
        session.connect()  # logs and swallows its own failures: look at the outcome
        if not session.is_active():
            raise ConnectionError("the WebSocket handshake failed")
        session.state = ConnectionState()
        old = self.current_session
        self.current_session = session
        self.current_session_state = session.state
        self.auto_reconnect_enabled = self.default_auto_reconnect_enabled
        threading.Thread(target=self._read, args=(session,), name="socket-mode-read", daemon=True).start()
        if isinstance(old, _Connection):
            self._retire(old)
        self.connections_opened += 1
        with self._sessions:
            self._sessions.notify_all()
        log.info("Socket Mode: connected (session %s)", session.session_id)

    def _read(self, session: _Connection) -> None:
        assert session.state is not None
        try:
            session.run_until_completion(session.state)
        except Exception as err:  # slack_sdk handles its own; this is a last resort
            log.warning("Socket Mode: stopped reading a connection (%s)", _reason(err))
            session.disconnect()
        if session is self.current_session:
            self._maybe_reconnect()

    def _retire(self, session: _Connection) -> None:
        session.retired = True
        session.on_error_listener = _ignore  # its end is no loss, nor a reason to reconnect
        session.on_close_listener = None
        with self._sessions:
            self._retired.append(session)
        timer = threading.Timer(self._retire_after, self._close_retired, args=(session,))
        timer.daemon = True
        timer.start()

    def _close_retired(self, session: _Connection) -> None:
        session.disconnect()
        with self._sessions:
            if session in self._retired:
                self._retired.remove(session)

    def _maybe_reconnect(self) -> None:
        session = self.current_session
        if not self._started or self.closed or self._disabled or not self.auto_reconnect_enabled:
            return
        if session is not None and session.is_active():
            return
        if self._clock() < self._retry_at or self.connect_operation_lock.locked():
            return  # waiting out a back-off, or another thread is connecting
        if session is not None and self._failures == 0:  # once an outage, not every attempt
            log.info("Socket Mode: the connection was lost; reconnecting")
        self.connect_to_new_endpoint()

    def wait_for_session(self, *, other_than: Connection | None, timeout: float) -> bool:
        """Wait up to ``timeout`` s for a working connection that isn't ``other_than``."""

        def ready() -> bool:
            session = self.current_session
            return session is not None and session is not other_than and session.is_active()

        with self._sessions:
            return self._sessions.wait_for(lambda: ready() or self.closed, timeout=timeout) and ready()

    # ----------------------------------------------------------------- slack_sdk's threads

    def _run_current_session(self) -> None:
        """slack_sdk's reader loop, every 0.1 s: each connection has its own reader here (see
        ``_read``), so this only reconnects when there is no working connection."""
        self._maybe_reconnect()

    def _monitor_current_session(self) -> None:
        """The watch, every ``ping_interval``: ping (a connection whose pongs stopped is dropped),
        and reconnect when there is no working connection."""
        session = self.current_session
        if session is not None:
            session.check_state()
        self._maybe_reconnect()

    def _on_message(self, message: str) -> None:
        kind, reason = _kind(message)
        if kind == "hello":
            log.debug("Socket Mode: Slack says hello (%s)", message[:300])
        elif kind == "disconnect":
            if reason == "link_disabled":
                self._disabled = True
                log.error(
                    "Socket Mode: Slack closed the connection because Socket Mode is off for this app; "
                    "turn it on (app settings, Socket Mode) and restart the bot"
                )
                return
            log.info("Socket Mode: Slack asks for a new connection (%s)", reason or "no reason given")
        super()._on_message(message)

    def _on_error(self, error: Exception) -> None:
        if isinstance(error, OSError):
            log.info("Socket Mode: connection lost (%s)", _reason(error))
        else:
            log.warning("Socket Mode: %s", _reason(error))
        for listener in self.on_error_listeners:
            listener(error)

    def close(self) -> None:
        self.closed = True
        self.message_queue.put(None)  # wakes slack_sdk's queue reader, which would wait a second
        super().close()
        with self._sessions:
            retired, self._retired = self._retired, []
            self._sessions.notify_all()
        for session in retired:
            session.disconnect()


class SocketModeRunner(BaseSocketModeHandler):
    """Runs every envelope through the Bolt app and acks it exactly once (see the module's docstring).

    ``request_limit()`` bounds the database waits of the thread that handles an envelope, as the web
    process bounds a request's own thread (the ack deadline).
    """

    def __init__(
        self,
        app: App,
        *,
        app_token: str,
        web_client: WebClient,
        request_limit: Callable[[], AbstractContextManager[object]] = nullcontext,
        concurrency: int = 8,
        ping_interval: float = PING_INTERVAL,
        backoff: tuple[float, float] = RECONNECT_BACKOFF,
        retire_after: float = RETIRE_AFTER,
        ack_window: float = ACK_WINDOW,
    ) -> None:
        self.app = app
        self.app_token = app_token
        self.client = SocketModeClient(
            app_token=app_token,
            web_client=web_client,
            concurrency=concurrency,
            ping_interval=ping_interval,
            backoff=backoff,
            retire_after=retire_after,
        )
        self.client.socket_mode_request_listeners.append(self.handle)  # type: ignore[arg-type]
        self._request_limit = request_limit
        self._ack_window = ack_window
        self._envelopes = _Envelopes(REMEMBERED_ENVELOPES)
        self._busy = 0
        self._idle = threading.Condition()

    def start_in_background(self) -> None:
        """Connect from a thread of its own: the process serves ``/health`` meanwhile."""
        threading.Thread(target=self.client.start, name="socket-mode-start", daemon=True).start()

    def handle(self, client: SocketModeClient, req: SocketModeRequest) -> None:  # type: ignore[override]
        received = time.monotonic()
        with self._idle:
            self._busy += 1
        try:
            first, answer = self._envelopes.begin(req.envelope_id)
            if not first:
                if answer is _RUNNING:
                    log.info(
                        "envelope %s delivered again while it is handled; its run will ack it",
                        req.envelope_id,
                    )
                else:
                    log.info("envelope %s delivered again; acked with its first answer", req.envelope_id)
                    self._ack(client, req.envelope_id, answer, received)
                return
            try:
                with self._request_limit():
                    response = run_bolt_app(self.app, req)
            except BaseException:
                self._envelopes.forget(req.envelope_id)
                raise
            payload = _ack_payload(response)
            if payload is None:  # not acked, so Slack tries again (e.g. an event whose listener failed)
                self._envelopes.forget(req.envelope_id)
                log.info(
                    "envelope %s (%s) not acked: the app answered %d",
                    req.envelope_id,
                    req.type,
                    response.status,
                )
                return
            self._envelopes.done(req.envelope_id, payload)
            self._ack(client, req.envelope_id, payload, received)
        finally:
            with self._idle:
                self._busy -= 1
                self._idle.notify_all()

    def _ack(self, client: SocketModeClient, envelope_id: str, payload: dict, received: float) -> bool:
        """Send the ack on the current connection; if that one is gone, on the next, while Slack
        still waits for it."""
        message = json.dumps({"envelope_id": envelope_id, **({"payload": payload} if payload else {})})
        while True:
            session = client.current_session
            try:
                client.send_message(message)
                return True
            except Exception as err:
                left = received + self._ack_window - time.monotonic()
                if left <= 0 or client.closed:
                    log.warning(
                        "could not ack envelope %s within Slack's %gs: %s",
                        envelope_id,
                        self._ack_window,
                        _reason(err),
                    )
                    return False
                client.wait_for_session(other_than=session, timeout=left)

    def close(self, *, drain: float = DRAIN_SECONDS) -> None:
        """Answer what is under way (up to ``drain`` s), then close the connection for good."""
        self.client.auto_reconnect_enabled = False
        self.client.default_auto_reconnect_enabled = False
        until = time.monotonic() + drain
        with self._idle:
            self._idle.wait_for(
                lambda: self._busy == 0 and self.client.message_queue.empty(),
                timeout=max(0.0, until - time.monotonic()),
            )
        self.client.close()
        log.info("Socket Mode: closed")


_RUNNING = object()


class _Envelopes:
    """The envelope ids this process has taken: running, or done with the ack's payload (bounded,
    oldest forgotten first)."""

    def __init__(self, size: int) -> None:
        self._size = size
        self._seen: OrderedDict[str, Any] = OrderedDict()
        self._lock = threading.Lock()

    def begin(self, envelope_id: str) -> tuple[bool, Any]:
        """(True, None) when this id is new (now running); else (False, what is known of it)."""
        with self._lock:
            if envelope_id in self._seen:
                return False, self._seen[envelope_id]
            self._seen[envelope_id] = _RUNNING
            while len(self._seen) > self._size:
                self._seen.popitem(last=False)
            return True, None

    def done(self, envelope_id: str, payload: dict) -> None:
        with self._lock:
            if envelope_id in self._seen:
                self._seen[envelope_id] = payload

    def forget(self, envelope_id: str) -> None:
        with self._lock:
            self._seen.pop(envelope_id, None)


def _ack_payload(response: BoltResponse) -> dict | None:
    """What an ack carries for Bolt's answer, as Bolt's own adapter sends it: ``{}`` for an empty
    200, the JSON body, or a text body as ``{"text": …}``; None when the answer is not a 200."""
    if response.status != 200:
        return None
    if not response.body:
        return {}
    content_type = (response.headers.get("content-type") or [""])[0]
    if content_type.startswith("application/json"):
        return json.loads(response.body)
    return {"text": response.body}


def _kind(message: str) -> tuple[str | None, str | None]:
    """The ``type`` (and a disconnect's ``reason``) of a message from Slack, without parsing the big
    ones: envelopes are handled elsewhere."""
    if len(message) > 2000 or '"envelope_id"' in message:
        return None, None
    try:
        decoded = json.loads(message)
    except ValueError:
        return None, None
    if not isinstance(decoded, dict):
        return None, None
    return decoded.get("type"), decoded.get("reason")


def _ignore(_error: Exception) -> None:
    return None


def _retry_after(err: BaseException) -> float:
    """Seconds a rate-limited ``apps.connections.open`` asks us to wait (0 for other errors)."""
    if isinstance(err, SlackApiError) and err.response.status_code == 429:
        try:
            return float(err.response.headers.get("Retry-After", 30))
        except (TypeError, ValueError):
            return 30.0
    return 0.0


def _reason(err: BaseException) -> str:
    """One line about a failure: Slack's error code when Slack answered, else the error's first line."""
    if isinstance(err, SlackApiError):
        return f"Slack answered {err.response.get('error') or err.response.status_code}"
    text = str(err).strip() or type(err).__name__
    return text.splitlines()[0][:300]
