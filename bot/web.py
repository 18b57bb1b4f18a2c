"""The HTTP process: a WSGI app (Slack at ``POST /slack/events``, ``GET /health``, CRMs at
``POST /integrations/<key>/<webhook|hubspot|pipedrive>``; in OAuth mode also the install page and
Slack's redirect back) served by gunicorn."""

from __future__ import annotations

import hashlib
import hmac
import io
import json
import logging
import threading
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import Future
from contextlib import AbstractContextManager, nullcontext
from typing import Any

from gunicorn.app.base import BaseApplication
from gunicorn.glogging import Logger as GunicornLogger
from slack_bolt import App
from slack_sdk.signature import SignatureVerifier

from bot.logs import LOG_FORMAT
from bot.services.integrations import Answer, Delivery
from bot.slack.requests import SlackRequest, SlackRequestHandler

log = logging.getLogger(__name__)

MAX_BODY_BYTES = 1024 * 1024  # Slack's own payloads are far smaller; anything bigger is refused unread
HEALTH_WAIT = 1.0  # seconds /health waits for the database's answer before calling it unreachable

Health = Callable[[], "tuple[str, str] | None"]  # None: fine; else (state, reason)
Ingest = Callable[[Delivery], Answer]
INTEGRATIONS_PREFIX = "/integrations/"


class BoundedHealth:
    """``/health`` answers within ``wait`` seconds whatever the database does: the probe runs on a
    thread of its own, and requests that arrive while one is under way wait for that one (a load
    balancer polling a hung database must not pile up probes)."""

    def __init__(self, probe: Health, *, wait: float = HEALTH_WAIT) -> None:
        self._probe = probe
        self._wait = wait
        self._lock = threading.Lock()
        self._running: Future | None = None

    def __call__(self) -> tuple[str, str] | None:
        with self._lock:
            future = self._running
            if future is None:
                future = self._running = Future()
                threading.Thread(target=self._run, args=(future,), name="health", daemon=True).start()
        try:
            return future.result(timeout=self._wait)
        except TimeoutError:
            return "unreachable", f"the database did not answer within {self._wait:g}s"

    def _run(self, future: Future) -> None:
        try:
            result = self._probe()
        except Exception as err:  # the probe classifies the driver's errors; this is a last resort
            result = ("unreachable", type(err).__name__)
        with self._lock:
            self._running = None
        future.set_result(result)


class _BytesSignatureVerifier(SignatureVerifier):
    """slack_sdk's verifier (the five-minute window, the constant-time compare), signing the body's
    bytes as they came: slack_sdk decodes them first, which fails on a body that isn't UTF-8."""

    def generate_signature(self, *, timestamp: str, body: str | bytes) -> str | None:
        if timestamp is None:
            return None
        raw = body.encode("utf-8") if isinstance(body, str) else (body or b"")
        base = b"v0:" + timestamp.encode("utf-8", "replace") + b":" + raw
        return "v0=" + hmac.new(self.signing_secret.encode("utf-8"), base, hashlib.sha256).hexdigest()


class SlackGate:
    """What every ``POST /slack/events`` passes before Bolt sees it: the signature over the raw bytes,
    then a body Bolt can read (UTF-8, a JSON object where it expects JSON). Nothing is parsed before
    the signature holds, and a refusal is one log line, never a traceback."""

    def __init__(self, signing_secret: str) -> None:
        self._verifier = _BytesSignatureVerifier(signing_secret)

    def signed(self, body: bytes, environ: Mapping[str, Any]) -> bool:
        timestamp = environ.get("HTTP_X_SLACK_REQUEST_TIMESTAMP")
        signature = environ.get("HTTP_X_SLACK_SIGNATURE")
        if not timestamp or not signature or not timestamp.isascii() or not timestamp.isdigit():
            return False
        if len(timestamp) > 12:  # int() of thousands of digits is slow, and no clock is that far out
            return False
        return self._verifier.is_valid(body, timestamp, signature)

    @staticmethod
    def problem(body: bytes, environ: Mapping[str, Any]) -> str | None:
        """Why Bolt couldn't make a request of this signed body, or None when it can."""
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            return "the body is not UTF-8"
        headers = {"content-type": environ.get("CONTENT_TYPE") or ""}
        try:
            request = SlackRequest(body=text, query=environ.get("QUERY_STRING", ""), headers=headers)
        except RecursionError:
            return "the body nests too deeply"
        except (ValueError, TypeError, AttributeError, KeyError, IndexError):
            return "the body is not a Slack payload"
        if not isinstance(request.body, dict):
            return "the body is not a JSON object"
        return None


class WebApp:
    """Routes the few paths we serve; everything Slack sends passes the :class:`SlackGate` (and Bolt's
    own signature check) before any listener runs."""

    def __init__(
        self,
        bolt_app: App,
        health: Health,
        *,
        signing_secret: str | None,
        request_limit: Callable[[], AbstractContextManager[object]] = nullcontext,
        ingest: Ingest | None = None,
        public_url: str | None = None,
    ) -> None:
        """``request_limit()`` bounds every database wait of a Slack request's own thread (the
        composition root passes the ack deadline): work that may take longer runs elsewhere.
        ``signing_secret`` None: Slack's requests come over Socket Mode, and ``/slack/events`` is
        not served. ``ingest`` answers a CRM's delivery to ``/integrations/<key>/<source>``;
        ``public_url`` is the base of the URI HubSpot signs (None: the request's own host)."""
        self._ingest = ingest
        self._public_url = public_url
        self._slack = SlackRequestHandler(bolt_app)
        self._gate = SlackGate(signing_secret) if signing_secret is not None else None
        self._health = BoundedHealth(health)
        self._request_limit = request_limit
        flow = bolt_app.oauth_flow
        # OAuth mode: the "Add to Slack" page and the redirect back, both browser GETs that Bolt answers.
        self._install_paths = {flow.install_path, flow.redirect_uri_path} if flow is not None else set()

    def __call__(self, environ: dict[str, Any], start_response) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        method = environ.get("REQUEST_METHOD", "GET")
        if path in self._install_paths:
            if method != "GET":
                return _send(start_response, 405, {"error": "method not allowed"}, [("Allow", "GET")])
            return self._slack(environ, start_response)
        if path == "/slack/events" and self._gate is not None:
            if method != "POST":
                return _send(start_response, 405, {"error": "method not allowed"}, [("Allow", "POST")])
            try:
                length = int(environ.get("CONTENT_LENGTH") or 0)
            except ValueError:
                return _send(start_response, 400, {"error": "bad content length"})
            if length > MAX_BODY_BYTES:
                return _send(start_response, 413, {"error": "request body too large"})
            return self._slack_events(environ, start_response, length)
        if path.startswith(INTEGRATIONS_PREFIX) and self._ingest is not None:
            return self._integration(environ, start_response, path, method)
        if path == "/health" and method in ("GET", "HEAD"):
            problem = self._health()
            if problem is None:
                return _send(start_response, 200, {"status": "ok", "database": "ok"})
            state, reason = problem
            return _send(start_response, 503, {"status": "unavailable", "database": state, "reason": reason})
        return _send(start_response, 404, {"error": "not found"})

    def _slack_events(self, environ: dict[str, Any], start_response, length: int) -> Iterable[bytes]:
        body = environ["wsgi.input"].read(length) if length > 0 else b""
        if not self._gate.signed(body, environ):
            log.warning("refused a request: no valid Slack signature (%d bytes)", len(body))
            return _send(start_response, 401, {"error": "invalid request"})
        problem = self._gate.problem(body, environ)
        if problem is not None:
            log.warning("refused a request: %s (%d bytes, signed)", problem, len(body))
            return _send(start_response, 400, {"error": "malformed request"})
        environ["wsgi.input"] = io.BytesIO(body)  # read once here; Bolt reads it again
        environ["CONTENT_LENGTH"] = str(len(body))
        with self._request_limit():
            return self._slack(environ, start_response)

    def _integration(
        self, environ: dict[str, Any], start_response, path: str, method: str
    ) -> Iterable[bytes]:
        """A CRM's delivery: the body read whole (at most 1 MiB), then handed over with its headers;
        the service checks the signature before it reads a byte of the body as JSON."""
        parts = path[len(INTEGRATIONS_PREFIX) :].split("/")
        if len(parts) != 2 or not all(parts) or len(parts[0]) > 64:
            return _send(start_response, 404, {"ok": False, "error": "not found"})
        if method != "POST":
            return _send(
                start_response, 405, {"ok": False, "error": "method not allowed"}, [("Allow", "POST")]
            )
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return _send(start_response, 400, {"ok": False, "error": "bad content length"})
        if length > MAX_BODY_BYTES:
            return _send(
                start_response, 413, {"ok": False, "error": "request body too large (1 MiB at most)"}
            )
        body = environ["wsgi.input"].read(length) if length > 0 else b""
        headers = {
            name[5:].replace("_", "-").lower(): str(value)
            for name, value in environ.items()
            if name.startswith("HTTP_")
        }
        query = environ.get("QUERY_STRING", "")
        base = self._public_url or (
            f"{environ.get('wsgi.url_scheme', 'https')}://{environ.get('HTTP_HOST', '')}"
        )
        uri = base + (environ.get("RAW_URI") or path + (f"?{query}" if query else ""))
        delivery = Delivery(key=parts[0], source=parts[1], method=method, uri=uri, headers=headers, body=body)
        try:
            answer = self._ingest(delivery)
        except Exception:  # one line and a 500, and the CRM retries; never a traceback page
            log.exception("a %s delivery failed", parts[1])
            return _send(start_response, 500, {"ok": False, "error": "internal error; retry later"})
        return _send(start_response, answer.status, answer.body)


def _send(
    start_response, status: int, body: dict, headers: list[tuple[str, str]] | None = None
) -> list[bytes]:
    data = json.dumps(body).encode()
    reason = {
        200: "OK",
        400: "Bad Request",
        401: "Unauthorized",
        404: "Not Found",
        405: "Method Not Allowed",
        413: "Payload Too Large",
        503: "Service Unavailable",
        500: "Internal Server Error",
    }[status]
    start_response(
        f"{status} {reason}",
        [("Content-Type", "application/json"), ("Content-Length", str(len(data))), *(headers or [])],
    )
    return [data]


class Server(BaseApplication):
    """gunicorn, configured in code: threaded workers for bursts, graceful SIGTERM.

    The app is built once in the master (``preload_app``) so a bad token or an unmigrated database
    stops start-up with one clear line; each worker then drops the pooled connections it inherited.
    """

    def __init__(
        self,
        load: Callable[[], WebApp],
        *,
        port: int,
        workers: int,
        threads: int,
        on_fork: Callable[[], None],
        on_worker_start: Callable[[], None] | None = None,
        on_worker_exit: Callable[[], None] | None = None,
    ):
        """``on_worker_start`` runs in each worker once it serves (Socket Mode connects there),
        ``on_worker_exit`` as it stops, after the requests under way are answered."""
        self._load = load
        self._options = {
            "bind": f"0.0.0.0:{port}",
            "workers": workers,
            "threads": threads,
            "worker_class": "gthread",
            "preload_app": True,
            "timeout": 30,
            "graceful_timeout": 20,
            "keepalive": 5,
            "accesslog": None,
            "errorlog": "-",
            "loglevel": "info",
            "post_fork": lambda _server, _worker: on_fork(),
            "post_worker_init": lambda _worker: on_worker_start and on_worker_start(),
            "worker_exit": lambda _server, _worker: on_worker_exit and on_worker_exit(),
            "logger_class": _Logger,
            "proc_name": "salesbot-web",
        }
        super().__init__()

    def load_config(self) -> None:
        for key, value in self._options.items():
            self.cfg.set(key, value)

    def load(self) -> WebApp:
        return self._load()


class _Logger(GunicornLogger):
    """gunicorn's own lines in the bot's log format (``bot.logs``)."""

    error_fmt = LOG_FORMAT
    datefmt = None
