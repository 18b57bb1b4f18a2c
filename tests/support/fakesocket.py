"""A stand-in for Slack's Socket Mode server: a real local WebSocket server (standard library only).

``apps.connections.open`` on the fake Web API (``FakeSlack.socket_mode``, see :meth:`attach`) hands
out single-use ``ws://127.0.0.1:…/link/?ticket=…`` URLs. Each connection gets Slack's ``hello``;
envelopes go out as Slack sends them (``envelope_id``, ``type``, ``payload``,
``accepts_response_payload``, ``retry_attempt``, ``retry_reason``), spread over the live connections
in turn, and every ack that comes back (on any connection) is recorded with its payload. A test
can ask a connection to go (``disconnect``, as Slack does with ``refresh_requested`` or ``warning``),
cut it without a word (``drop``), or make it fall silent (``stall``: no more pongs, nothing read).

:class:`SocketSender` is :class:`~tests.support.signing.SlackSender` over Socket Mode: the same
commands, clicks, submissions and events, sent as envelopes; its replies are the acks.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import itertools
import json
import socket
import socketserver
import struct
import threading
import time
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, parse_qsl, urlsplit

from tests.support.fakeslack import FakeSlack
from tests.support.signing import APP_ID, Reply, SlackSender, _judge_ack

__all__ = ["Ack", "Envelope", "FakeSocketMode", "SocketSender"]

APP_TOKEN = "xapp-1-A0SALESBOT-1-0123456789abcdef"
_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
OP_TEXT, OP_CLOSE, OP_PING, OP_PONG = 0x1, 0x8, 0x9, 0xA
ACK_WINDOW = 3.0  # Slack waits this long for an ack


@dataclass
class Envelope:
    """One envelope as the fake sent it."""

    envelope_id: str
    type: str
    payload: dict[str, Any]
    accepts_response_payload: bool
    connection: int
    sent_at: float
    retry_attempt: int = 0
    retry_reason: str = ""

    def message(self) -> dict[str, Any]:
        return {
            "envelope_id": self.envelope_id,
            "type": self.type,
            "payload": self.payload,
            "accepts_response_payload": self.accepts_response_payload,
            "retry_attempt": self.retry_attempt,
            "retry_reason": self.retry_reason,
        }


@dataclass
class Ack:
    """An ack as the fake received it: on which connection, when, and what it carried."""

    envelope_id: str
    payload: dict[str, Any] | None
    connection: int
    at: float


@dataclass
class _Link:
    """One WebSocket connection, server side."""

    id: int
    sock: socket.socket
    opened_at: float
    live: bool = True  # envelopes may go to it (no disconnect sent, not stalled)
    stalled: bool = False
    aborted: bool = False  # closed with a reset (see FakeSocketMode.drop)
    closed: threading.Event = field(default_factory=threading.Event)
    send_lock: threading.Lock = field(default_factory=threading.Lock)
    pings: int = 0

    def send(self, opcode: int, data: bytes) -> None:
        with self.send_lock:
            self.sock.sendall(_frame(opcode, data))

    def send_json(self, message: Mapping[str, Any]) -> None:
        self.send(OP_TEXT, json.dumps(message).encode("utf-8"))


class FakeSocketMode:
    """Slack's Socket Mode server for one app, on 127.0.0.1."""

    def __init__(self, *, app_token: str = APP_TOKEN, app_id: str = APP_ID) -> None:
        self.app_token = app_token
        self.app_id = app_id
        self._lock = threading.RLock()
        self._changed = threading.Condition(self._lock)
        self._tickets: set[str] = set()
        self._links: list[_Link] = []
        self._ids = itertools.count(1)
        self._turn = itertools.count()
        self.envelopes: list[Envelope] = []
        self.acks: list[Ack] = []
        self.refused_handshakes = 0
        self._server: socketserver.ThreadingTCPServer | None = None

    # ----------------------------------------------------------------- lifecycle

    def start(self) -> FakeSocketMode:
        server = _Server(("127.0.0.1", 0), _handler(self))
        self._server = server
        threading.Thread(
            target=server.serve_forever, args=(0.1,), name="fake-socket-mode", daemon=True
        ).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        for link in self.links(live_only=False):
            self._close(link)

    def __enter__(self) -> FakeSocketMode:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def attach(self, fake: FakeSlack) -> FakeSocketMode:
        """Make ``fake``'s ``apps.connections.open`` hand out this server's URLs for ``app_token``."""
        fake.app_token = self.app_token
        fake.socket_mode = self
        return self

    def open_url(self) -> str:
        """A new single-use connection URL (what ``apps.connections.open`` answers)."""
        assert self._server is not None, "FakeSocketMode is not started"
        ticket = uuid.uuid4().hex
        with self._lock:
            self._tickets.add(ticket)
        port = self._server.server_address[1]
        return f"ws://127.0.0.1:{port}/link/?ticket={ticket}&app_id={self.app_id}"

    # ----------------------------------------------------------------- connections

    def links(self, *, live_only: bool = True) -> list[_Link]:
        with self._lock:
            return [c for c in self._links if not c.closed.is_set() and (c.live or not live_only)]

    @property
    def opened(self) -> int:
        """How many connections were ever opened."""
        with self._lock:
            return len(self._links)

    def wait_for_links(self, count: int = 1, *, newer_than: int = 0, timeout: float = 10.0) -> list[_Link]:
        """Wait until at least ``count`` live connections opened after the ``newer_than``-th one
        (``newer_than=fake.opened`` before a reconnect waits for the new connection)."""

        def fresh() -> list[_Link]:
            return [link for link in self.links() if link.id > newer_than]

        with self._changed:
            ok = self._changed.wait_for(lambda: len(fresh()) >= count, timeout=timeout)
        if not ok:
            raise AssertionError(
                f"timed out after {timeout:g}s waiting for {count} live Socket Mode connection(s) opened "
                f"after the {newer_than}th (live: {[link.id for link in self.links()]}, ever opened: {self.opened})"
            )
        return fresh()

    def wait_closed(self, link: _Link, timeout: float = 10.0) -> None:
        if not link.closed.wait(timeout):
            raise AssertionError(f"connection {link.id} still open after {timeout:g}s")

    def disconnect(self, link: _Link, reason: str = "refresh_requested") -> None:
        """Slack's ``disconnect`` message: no envelope goes to ``link`` from now on."""
        with self._lock:
            link.live = False
            self._changed.notify_all()
        link.send_json({"type": "disconnect", "reason": reason, "debug_info": {"host": f"applink-{link.id}"}})

    def drop(self, link: _Link, *, abort: bool = False) -> None:
        """End the connection without a close frame: what was sent arrives, then the end of the
        stream, as when Slack's side goes away. ``abort``: a reset instead, which also loses what
        the client had not read yet, as a network failure does."""
        with self._lock:
            link.live = False
            self._changed.notify_all()
        if abort:
            link.aborted = True
            with contextlib.suppress(OSError):
                link.sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            with contextlib.suppress(OSError):
                # Wakes the reader (a descriptor closed under a blocked read stays open), which
                # then closes it: with no linger, that is a reset.
                link.sock.shutdown(socket.SHUT_RD)
            return
        with contextlib.suppress(OSError):
            link.sock.shutdown(socket.SHUT_WR)

    def stall(self, link: _Link) -> None:
        """The connection goes silent: nothing read, no pong, nothing sent (a half-open TCP link)."""
        with self._lock:
            link.live = False
            link.stalled = True
            self._changed.notify_all()

    # ----------------------------------------------------------------- envelopes

    def send(
        self,
        type: str,
        payload: Mapping[str, Any],
        *,
        to: _Link | None = None,
        envelope_id: str | None = None,
        accepts_response_payload: bool | None = None,
        retry_attempt: int = 0,
        retry_reason: str = "",
        wait: float = 10.0,
    ) -> Envelope:
        """Send one envelope: to ``to``, else to the next live connection in turn (waiting up to
        ``wait`` s for one)."""
        link = to or self._next_link(wait)
        if accepts_response_payload is None:
            accepts_response_payload = _accepts_response_payload(type, payload)
        envelope = Envelope(
            envelope_id=envelope_id or str(uuid.uuid4()),
            type=type,
            payload=dict(payload),
            accepts_response_payload=accepts_response_payload,
            connection=link.id,
            sent_at=time.monotonic(),
            retry_attempt=retry_attempt,
            retry_reason=retry_reason,
        )
        with self._lock:
            self.envelopes.append(envelope)
        link.send_json(envelope.message())
        return envelope

    def _next_link(self, wait: float) -> _Link:
        with self._changed:
            self._changed.wait_for(lambda: bool(self.links()), timeout=wait)
            live = self.links()
            if not live:
                raise AssertionError(
                    f"no live Socket Mode connection to send an envelope to within {wait:g}s"
                )
            return live[next(self._turn) % len(live)]

    def acks_of(self, envelope_id: str) -> list[Ack]:
        with self._lock:
            return [a for a in self.acks if a.envelope_id == envelope_id]

    def wait_ack(self, envelope: Envelope | str, timeout: float = 10.0) -> Ack | None:
        """The first ack of ``envelope`` (of this delivery of it: acks since it was sent), or of an
        envelope id, waiting up to ``timeout`` s; None when none came."""
        if isinstance(envelope, Envelope):
            envelope_id, since = envelope.envelope_id, envelope.sent_at
        else:
            envelope_id, since = envelope, 0.0

        def found() -> list[Ack]:
            return [a for a in self.acks_of(envelope_id) if a.at >= since]

        with self._changed:
            self._changed.wait_for(lambda: bool(found()), timeout=timeout)
            acks = found()
        return acks[0] if acks else None

    # ----------------------------------------------------------------- the server side of a connection

    def _accept(self, sock: socket.socket) -> None:
        request = _read_head(sock)
        if request is None:
            return
        path, headers = request
        ticket = (parse_qs(urlsplit(path).query).get("ticket") or [""])[0]
        with self._lock:
            known = ticket in self._tickets
            self._tickets.discard(ticket)  # a ticket opens one connection
        key = headers.get("sec-websocket-key", "")
        if not known or not key or headers.get("upgrade", "").lower() != "websocket":
            with self._lock:
                self.refused_handshakes += 1
            sock.sendall(b"HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
            return
        accept = base64.b64encode(hashlib.sha1((key + _GUID).encode()).digest()).decode()
        sock.sendall(
            b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + f"Sec-WebSocket-Accept: {accept}\r\n\r\n".encode()
        )
        with self._lock:
            link = _Link(id=next(self._ids), sock=sock, opened_at=time.monotonic())
            self._links.append(link)
            live = len(self.links())
            self._changed.notify_all()
        link.send_json(
            {
                "type": "hello",
                "num_connections": live,
                "debug_info": {
                    "host": f"applink-{link.id}",
                    "build_number": 1,
                    "approximate_connection_time": 18060,
                },
                "connection_info": {"app_id": self.app_id},
            }
        )
        try:
            self._read(link)
        finally:
            self._close(link)

    def _read(self, link: _Link) -> None:
        sock = link.sock
        while not link.closed.is_set():
            if link.stalled:
                link.closed.wait(0.05)  # a stalled link reads nothing until it is dropped
                continue
            try:
                frame = _read_frame(sock)
            except (OSError, ValueError):
                return
            if frame is None:
                return
            opcode, data = frame
            if link.stalled:
                continue
            if opcode == OP_PING:
                link.pings += 1
                with contextlib.suppress(OSError):
                    link.send(OP_PONG, data)
            elif opcode == OP_CLOSE:
                with contextlib.suppress(OSError):
                    link.send(OP_CLOSE, data[:2])
                return
            elif opcode == OP_TEXT:
                self._received(link, data)

    def _received(self, link: _Link, data: bytes) -> None:
        try:
            message = json.loads(data.decode("utf-8"))
        except (ValueError, UnicodeDecodeError):
            return
        if not isinstance(message, dict) or "envelope_id" not in message:
            return
        payload = message.get("payload")
        with self._lock:
            self.acks.append(Ack(str(message["envelope_id"]), payload, link.id, time.monotonic()))
            self._changed.notify_all()

    def _close(self, link: _Link) -> None:
        with self._lock:
            if link.closed.is_set():
                return
            link.closed.set()
            link.live = False
            self._changed.notify_all()
        if not link.aborted:
            with contextlib.suppress(OSError):
                link.sock.shutdown(socket.SHUT_RDWR)
        with contextlib.suppress(OSError):
            link.sock.close()


def _accepts_response_payload(type: str, payload: Mapping[str, Any]) -> bool:
    """Slack takes a reply in the ack of a slash command, a view submission and an options request."""
    if type == "slash_commands":
        return True
    return type == "interactive" and payload.get("type") in ("view_submission", "block_suggestion")


class _Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 64


def _handler(server: FakeSocketMode) -> type[socketserver.BaseRequestHandler]:
    class Handler(socketserver.BaseRequestHandler):
        def handle(self) -> None:
            self.request.settimeout(None)
            server._accept(self.request)

    return Handler


def _read_head(sock: socket.socket) -> tuple[str, dict[str, str]] | None:
    """The handshake's request line and headers."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(4096)
        if not chunk or len(data) > 65536:
            return None
        data += chunk
    head = data.split(b"\r\n\r\n", 1)[0].decode("latin-1").split("\r\n")
    parts = head[0].split(" ")
    if len(parts) < 2 or parts[0] != "GET":
        return None
    headers = {}
    for line in head[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    return parts[1], headers


def _exactly(sock: socket.socket, size: int) -> bytes | None:
    data = b""
    while len(data) < size:
        chunk = sock.recv(size - len(data))
        if not chunk:
            return None
        data += chunk
    return data


def _read_frame(sock: socket.socket) -> tuple[int, bytes] | None:
    """One whole message from the client (masked frames, continuations joined)."""
    message = b""
    opcode = None
    while True:
        head = _exactly(sock, 2)
        if head is None:
            return None
        fin, code = head[0] & 0x80, head[0] & 0x0F
        masked, length = head[1] & 0x80, head[1] & 0x7F
        if length == 126:
            extended = _exactly(sock, 2)
            if extended is None:
                return None
            length = struct.unpack("!H", extended)[0]
        elif length == 127:
            extended = _exactly(sock, 8)
            if extended is None:
                return None
            length = struct.unpack("!Q", extended)[0]
        if not masked:
            raise ValueError("a client frame must be masked")
        mask = _exactly(sock, 4)
        data = _exactly(sock, length) if length else b""
        if mask is None or data is None:
            return None
        data = bytes(b ^ mask[i % 4] for i, b in enumerate(data))
        if code in (OP_PING, OP_PONG, OP_CLOSE):
            return code, data  # control frames are never fragmented
        if code != 0:
            opcode = code
        message += data
        if fin:
            return (opcode or OP_TEXT), message


def _frame(opcode: int, data: bytes) -> bytes:
    """A server frame: final, unmasked."""
    first = 0x80 | opcode
    if len(data) < 126:
        return bytes([first, len(data)]) + data
    if len(data) < 65536:
        return struct.pack("!BBH", first, 126, len(data)) + data
    return struct.pack("!BBQ", first, 127, len(data)) + data


class SocketSender(SlackSender):
    """What :class:`SlackSender` sends, as Socket Mode envelopes; a reply is the envelope's ack.

    ``Reply.status`` is 200 when the ack came (0 when none came within ``ack_timeout``), its body the
    payload the ack carried where Slack would take one; ``reply.envelope`` and ``reply.ack`` hold both
    sides as they crossed the WebSocket.
    """

    def __init__(
        self,
        socket_mode: FakeSocketMode,
        *,
        fake: FakeSlack | None = None,
        team_id: str = "T0001",
        ack_timeout: float = 10.0,
        **kwargs: Any,
    ) -> None:
        super().__init__("http://socket-mode.invalid", secret="", fake=fake, team_id=team_id, **kwargs)
        self.socket_mode = socket_mode
        self.ack_timeout = ack_timeout
        self.to: _Link | None = None  # a connection to send to; None: Slack's choice

    def _post(
        self,
        body: bytes,
        content_type: str,
        *,
        extra_headers: Mapping[str, str] | None = None,
        **_http: Any,
    ) -> Reply:
        type, payload = _as_envelope(body, content_type)
        headers = {k.lower(): v for k, v in (extra_headers or {}).items()}
        envelope = self.socket_mode.send(
            type,
            payload,
            to=self.to,
            retry_attempt=int(headers.get("x-slack-retry-num", 0)),
            retry_reason=headers.get("x-slack-retry-reason", ""),
        )
        return self.reply_to(envelope, request_body=body)

    def reply_to(self, envelope: Envelope, *, request_body: bytes = b"") -> Reply:
        """The ack of ``envelope`` as a :class:`Reply` (status 0 when none came in time)."""
        ack = self.socket_mode.wait_ack(envelope, timeout=self.ack_timeout)
        shown = ack is not None and envelope.accepts_response_payload and ack.payload
        reply = Reply(
            status=200 if ack is not None else 0,
            headers={"Content-Type": "application/json"} if shown else {},
            body=json.dumps(ack.payload).encode("utf-8") if shown else b"",
            elapsed=(ack.at - envelope.sent_at) if ack is not None else self.ack_timeout,
            request_body=request_body,
        )
        reply.envelope = envelope  # type: ignore[attr-defined]
        reply.ack = ack  # type: ignore[attr-defined]
        reply.response_url = envelope.payload.get("response_url") or None
        reply.trigger_id = envelope.payload.get("trigger_id") or None
        _judge_ack(reply, self.fake)
        return reply


def _as_envelope(body: bytes, content_type: str) -> tuple[str, dict[str, Any]]:
    """The envelope type and payload Slack sends over Socket Mode for what it would POST over HTTP:
    a slash command's fields, an interaction's JSON, an event callback as it is."""
    if content_type == "application/json":
        return "events_api", json.loads(body)
    fields = dict(parse_qsl(body.decode("utf-8"), keep_blank_values=True))
    if "command" in fields:
        return "slash_commands", fields
    return "interactive", json.loads(fields["payload"])
