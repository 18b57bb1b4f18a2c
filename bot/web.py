"""The HTTP process: a WSGI app (Slack at ``POST /slack/events``, ``GET /health``; in OAuth mode also
the install page and Slack's redirect back) served by gunicorn."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable
from typing import Any

from gunicorn.app.base import BaseApplication
from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler

log = logging.getLogger(__name__)

MAX_BODY_BYTES = 1024 * 1024  # Slack's own payloads are far smaller; anything bigger is refused unread


class WebApp:
    """Routes the few paths we serve; everything Slack sends goes through Bolt (signature checks first)."""

    def __init__(self, bolt_app: App, health: Callable[[], bool]) -> None:
        self._slack = SlackRequestHandler(bolt_app)
        self._health = health
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
        if path == "/slack/events":
            if method != "POST":
                return _send(start_response, 405, {"error": "method not allowed"}, [("Allow", "POST")])
            try:
                length = int(environ.get("CONTENT_LENGTH") or 0)
            except ValueError:
                return _send(start_response, 400, {"error": "bad content length"})
            if length > MAX_BODY_BYTES:
                return _send(start_response, 413, {"error": "request body too large"})
            return self._slack(environ, start_response)
        if path == "/health" and method in ("GET", "HEAD"):
            ok = self._health()
            return _send(
                start_response,
                200 if ok else 503,
                {"status": "ok" if ok else "unavailable", "database": "ok" if ok else "unreachable"},
            )
        return _send(start_response, 404, {"error": "not found"})


def _send(
    start_response, status: int, body: dict, headers: list[tuple[str, str]] | None = None
) -> list[bytes]:
    data = json.dumps(body).encode()
    reason = {
        200: "OK",
        400: "Bad Request",
        404: "Not Found",
        405: "Method Not Allowed",
        413: "Payload Too Large",
        503: "Service Unavailable",
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
    ):
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
            "proc_name": "salesbot-web",
        }
        super().__init__()

    def load_config(self) -> None:
        for key, value in self._options.items():
            self.cfg.set(key, value)

    def load(self) -> WebApp:
        return self._load()
