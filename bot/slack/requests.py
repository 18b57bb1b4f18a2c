"""Slack's requests as Bolt should read them.

bolt-python's ``parse_body`` treats a form body as an interaction whenever the *text* ``payload``
appears anywhere in it, not when the form has a ``payload`` field: ``/log 2 calls -- sent the payload
deck`` (or a channel, team or user name holding the word) then parses as ``{}`` and Bolt answers 404.
:func:`parse_body` reads the form's fields first and only then takes ``payload`` as the interaction's
JSON; :class:`SlackRequest` is a ``BoltRequest`` built with it, and :class:`SlackRequestHandler` the
WSGI adapter that makes them. Every HTTP path goes through it; Socket Mode hands Bolt the envelope's
JSON object, which needs no parsing.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qsl

from slack_bolt.adapter.wsgi import SlackRequestHandler as _BoltWsgiHandler
from slack_bolt.context.context import BoltContext
from slack_bolt.request import BoltRequest
from slack_bolt.request.internals import build_context


def parse_body(body: str, content_type: str | None) -> dict[str, Any]:
    """A request body as Bolt's listeners expect it: JSON as is; a form as its fields, or, for an
    interaction (a form whose ``payload`` field holds JSON), that JSON."""
    if not body:
        return {}
    if content_type == "application/json" or body.startswith("{"):
        return json.loads(body)
    fields = dict(parse_qsl(body, keep_blank_values=True))
    if "payload" in fields:
        return json.loads(fields["payload"])
    return fields


class SlackRequest(BoltRequest):
    """A ``BoltRequest`` whose body is read by :func:`parse_body` (the raw body, which the signature
    covers, is kept as it came)."""

    def __init__(self, *, body: str | dict, context: dict[str, Any] | None = None, **kwargs: Any) -> None:
        if not isinstance(body, str):
            super().__init__(body=body, context=context, **kwargs)
            return
        # Bolt's own parse of the text would run first and could misread it: give it nothing to parse.
        super().__init__(body="", context=context, **kwargs)
        self.raw_body = body
        self.body = parse_body(body, self.content_type)
        self.context = build_context(BoltContext(context if context else {}), self.body)


class SlackRequestHandler(_BoltWsgiHandler):
    """Bolt's WSGI adapter, making :class:`SlackRequest`\\ s."""

    def dispatch(self, request):  # type: ignore[no-untyped-def]
        return self.app.dispatch(_request(request))

    def handle_installation(self, request):  # type: ignore[no-untyped-def]
        return self.app.oauth_flow.handle_installation(_request(request))  # type: ignore[union-attr]

    def handle_callback(self, request):  # type: ignore[no-untyped-def]
        return self.app.oauth_flow.handle_callback(_request(request))  # type: ignore[union-attr]


def _request(request) -> SlackRequest:  # type: ignore[no-untyped-def]
    return SlackRequest(body=request.get_body(), query=request.query_string, headers=request.get_headers())
