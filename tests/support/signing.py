"""Requests to the bot made exactly as Slack makes them: same bodies, same headers, same signature.

Signature checks, body parsing and the 3-second ack all live at the HTTP edge, so end-to-end tests
speak real, signed HTTP to the running web process instead of calling ``app.dispatch``.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import http.client
import json
import re
import secrets
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode, urlsplit

from tests.support import blockkit
from tests.support.fakeslack import FakeSlack, record_refusal, visible_text

__all__ = ["Reply", "SlackSender", "sign"]

APP_ID = "A0SALESBOT"
TEAM_DOMAIN = "acme"
# Slack still sends the deprecated verification token in every body; apps must not rely on it.
VERIFICATION_TOKEN = "gIkuvaNzQIHg97ATvDxqgjtO"
USER_AGENT = "Slackbot 1.0 (+https://api.slack.com/robots)"
# Where response_urls point when no FakeSlack is given: a closed local port, so nothing leaves the machine.
NOWHERE = "http://127.0.0.1:9/response/unused"
# The bot's ack while it asks Slack whether the caller is in a channel (the answer follows by response_url).
CHECKING = "Checking that you're in"
_CHANNEL_MENTION = re.compile(r"<#([CG][A-Z0-9]+)(?:\|([^>]*))?>")


def sign(body: bytes, *, secret: str, timestamp: int) -> dict[str, str]:
    """Slack's v0 signature headers for ``body`` sent at ``timestamp``."""
    base = b"v0:%d:" % timestamp + body
    digest = hmac.new(secret.encode("utf-8"), base, hashlib.sha256).hexdigest()
    return {"X-Slack-Request-Timestamp": str(timestamp), "X-Slack-Signature": "v0=" + digest}


@dataclass
class Reply:
    """The bot's HTTP answer to one simulated Slack request."""

    status: int
    headers: dict[str, str]
    body: bytes
    elapsed: float
    response_url: str | None = None
    trigger_id: str | None = None
    request_body: bytes = field(default=b"", repr=False)

    @property
    def text(self) -> str:
        """The body decoded as UTF-8."""
        return self.body.decode("utf-8", "replace")

    def header(self, name: str) -> str | None:
        """A response header, case-insensitively."""
        wanted = name.lower()
        return next((v for k, v in self.headers.items() if k.lower() == wanted), None)

    def json(self) -> dict[str, Any]:
        """The body as a JSON object; fails showing the body when it is not one."""
        try:
            decoded = json.loads(self.body.decode("utf-8"))
        except (ValueError, UnicodeDecodeError) as exc:
            raise AssertionError(f"reply ({self.status}) is not JSON: {self.text[:2000]!r}") from exc
        if not isinstance(decoded, dict):
            raise AssertionError(f"reply ({self.status}) is JSON but not an object: {self.text[:2000]!r}")
        return decoded

    @property
    def is_json(self) -> bool:
        return (self.header("Content-Type") or "").split(";")[0].strip() == "application/json"

    @property
    def message_text(self) -> str:
        """What the user saw from the ack: ``text`` plus section/context block text (or a plain body)."""
        if not self.body:
            return ""
        if self.is_json or self.body.lstrip()[:1] == b"{":
            try:
                return visible_text(self.json())
            except AssertionError:
                return self.text
        return self.text

    @property
    def response_token(self) -> str | None:
        """The response_url's token, for ``fake.responses(...)`` / ``fake.unique_response(...)``."""
        if not self.response_url:
            return None
        return self.response_url.rstrip("/").rsplit("/", 1)[-1]


class SlackSender:
    """POSTs signed slash commands, interactions and events to the bot's ``/slack/events``.

    Each request uses its own connection, so one sender may be used from many threads at once.
    """

    def __init__(
        self,
        base_url: str,
        *,
        secret: str,
        fake: FakeSlack | None = None,
        team_id: str = "T0001",
        clock: Callable[[], float] = time.time,
        path: str = "/slack/events",
        timeout: float = 30.0,
    ) -> None:
        parts = urlsplit(base_url)
        if parts.scheme != "http" or not parts.hostname:
            raise ValueError(f"expected an http:// base URL, got {base_url!r}")
        self.base_url = base_url.rstrip("/")
        self.host = parts.hostname
        self.port = parts.port or 80
        self.secret = secret
        self.fake = fake
        self.team_id = team_id
        self.clock = clock
        self.path = path
        self.timeout = timeout

    # ----------------------------------------------------------------- what Slack sends

    def command(
        self,
        command: str,
        text: str = "",
        *,
        user_id: str,
        team_id: str | None = None,
        channel_id: str = "C0GENERAL",
        channel_name: str = "general",
        user_name: str | None = None,
        trigger_id: str | None = None,
        response_url: str | None = None,
        sign: bool = True,
        secret: str | None = None,
        timestamp: int | None = None,
        extra_headers: Mapping[str, str] | None = None,
    ) -> Reply:
        """A slash command, form-encoded with every field Slack sends, in Slack's order."""
        response_url = response_url or self._response_url()
        trigger_id = trigger_id or self.new_trigger_id()
        fields = {
            "token": VERIFICATION_TOKEN,
            "team_id": team_id or self.team_id,
            "team_domain": TEAM_DOMAIN,
            "channel_id": channel_id,
            "channel_name": channel_name,
            "user_id": user_id,
            "user_name": user_name or self._user_name(user_id),
            "command": command,
            "text": text,
            "api_app_id": APP_ID,
            "is_enterprise_install": "false",
            "response_url": response_url,
            "trigger_id": trigger_id,
        }
        body = urlencode(fields).encode("utf-8")
        reply = self._post(
            body,
            "application/x-www-form-urlencoded",
            sign=sign,
            secret=secret,
            timestamp=timestamp,
            extra_headers=extra_headers,
        )
        reply.response_url = response_url
        reply.trigger_id = trigger_id
        return reply

    def action(
        self,
        payload: Mapping[str, Any],
        *,
        sign: bool = True,
        secret: str | None = None,
        timestamp: int | None = None,
        extra_headers: Mapping[str, str] | None = None,
    ) -> Reply:
        """An interaction (block_actions, view_submission, …): form body ``payload=<json>``."""
        body = urlencode({"payload": json.dumps(payload, separators=(",", ":"))}).encode("utf-8")
        reply = self._post(
            body,
            "application/x-www-form-urlencoded",
            sign=sign,
            secret=secret,
            timestamp=timestamp,
            extra_headers=extra_headers,
        )
        reply.response_url = payload.get("response_url") or None
        reply.trigger_id = payload.get("trigger_id") or None
        return reply

    def create_team(
        self, text: str, *, user_id: str, members: Iterable[str] = (), timeout: float = 15.0, **command: Any
    ) -> str:
        """``/team create <text>`` by someone in the channel it names, as a person sees it: the channel
        is registered on the fake Slack with the caller (and ``members``) in it; the answer is the ack
        when the bot refuses at once, else the one it sends by response_url once Slack has said the
        caller is in the channel (and, without ``tz=``, what their timezone is)."""
        match = _CHANNEL_MENTION.search(text)
        if self.fake is not None and match is not None:
            if match[1] not in self.fake.channels:
                self.fake.add_channel(match[1], name=match[2] or match[1].lower())
            self.fake.join_channel(match[1], user_id, *members)
        reply = self.command("/team", f"create {text}", user_id=user_id, **command)
        if reply.status != 200 or self.fake is None or (reply.body and CHECKING not in reply.message_text):
            return reply.message_text
        token = reply.response_token
        answers = self.fake.wait_for(lambda f: f.responses(token), timeout, what="the /team create answer")
        return answers[0].text

    def event(
        self,
        body: Mapping[str, Any],
        *,
        retry_num: int | None = None,
        retry_reason: str | None = None,
        sign: bool = True,
        secret: str | None = None,
        timestamp: int | None = None,
        extra_headers: Mapping[str, str] | None = None,
    ) -> Reply:
        """An Events API delivery (JSON body), with Slack's retry headers when given."""
        headers = dict(extra_headers or {})
        if retry_num is not None:
            headers["X-Slack-Retry-Num"] = str(retry_num)
        if retry_reason is not None:
            headers["X-Slack-Retry-Reason"] = retry_reason
        return self._post(
            json.dumps(body).encode("utf-8"),
            "application/json",
            sign=sign,
            secret=secret,
            timestamp=timestamp,
            extra_headers=headers,
        )

    def raw(
        self,
        body: bytes,
        headers: Mapping[str, str] | None = None,
        *,
        path: str | None = None,
        method: str = "POST",
        sign: bool = False,
        secret: str | None = None,
        timestamp: int | None = None,
    ) -> Reply:
        """Any bytes with any headers, for hostile tests (garbage, oversized bodies, wrong types)."""
        headers = dict(headers or {})
        content_type = headers.pop("Content-Type", "application/octet-stream")
        return self._post(
            body,
            content_type,
            sign=sign,
            secret=secret,
            timestamp=timestamp,
            extra_headers=headers,
            path=path,
            method=method,
        )

    # ----------------------------------------------------------------- payload builders

    def button(
        self,
        action_id: str,
        *,
        user_id: str,
        value: str | None = None,
        block_id: str = "actions",
        channel_id: str | None = None,
        message: Mapping[str, Any] | None = None,
        view: Mapping[str, Any] | None = None,
        state: Mapping[str, Any] | None = None,
        org_wide: bool = False,
        **signing: Any,
    ) -> Reply:
        """A ``block_actions`` click on a button, in a message (default: the user's DM) or a view;
        ``org_wide``: as an Enterprise Grid org-wide install sends it (see :func:`as_org_wide`)."""
        payload = self.block_actions_payload(
            [
                {
                    "action_id": action_id,
                    "block_id": block_id,
                    "text": {"type": "plain_text", "text": action_id, "emoji": True},
                    "value": value,
                    "type": "button",
                    "action_ts": f"{self.clock():.6f}",
                }
            ],
            user_id=user_id,
            channel_id=channel_id,
            message=message,
            view=view,
            state=state,
        )
        if value is None:
            del payload["actions"][0]["value"]
        return self.action(as_org_wide(payload) if org_wide else payload, **signing)

    def block_actions_payload(
        self,
        actions: list[dict[str, Any]],
        *,
        user_id: str,
        channel_id: str | None = None,
        message: Mapping[str, Any] | None = None,
        view: Mapping[str, Any] | None = None,
        state: Mapping[str, Any] | None = None,
    ) -> dict[str, Any]:
        """A ``block_actions`` payload as Slack builds it, from a message or from a view (App Home, modal)."""
        payload: dict[str, Any] = {
            "type": "block_actions",
            "user": self._user(user_id),
            "api_app_id": APP_ID,
            "token": VERIFICATION_TOKEN,
            "trigger_id": self.new_trigger_id(),
            "team": {"id": self.team_id, "domain": TEAM_DOMAIN},
            "enterprise": None,
            "is_enterprise_install": False,
            "state": {"values": dict(state or {})},
            "actions": actions,
        }
        if view is not None:
            full_view = {"id": "V0VIEW", "team_id": self.team_id, "type": "home", **view}
            payload["container"] = {"type": "view", "view_id": full_view["id"]}
            payload["view"] = full_view
        else:
            channel = channel_id or "D" + user_id[1:]
            msg = {"type": "message", "user": "UBOT", "bot_id": "BBOT", "text": "", "ts": "1764000000.000100"}
            msg.update(message or {})
            payload["container"] = {
                "type": "message",
                "message_ts": msg["ts"],
                "channel_id": channel,
                "is_ephemeral": False,
            }
            payload["channel"] = {
                "id": channel,
                "name": "directmessage" if channel[:1] == "D" else channel.lower(),
            }
            payload["message"] = msg
            payload["response_url"] = self._response_url()
        return payload

    def submit_view(
        self,
        callback_id: str,
        values: Mapping[str, Any],
        *,
        user_id: str,
        private_metadata: str = "",
        view_id: str = "V0MODAL",
        org_wide: bool = False,
        **signing: Any,
    ) -> Reply:
        """A ``view_submission``; ``values`` is Slack's ``{block_id: {action_id: {type, value…}}}``."""
        payload = {
            "type": "view_submission",
            "team": {"id": self.team_id, "domain": TEAM_DOMAIN},
            "user": self._user(user_id),
            "api_app_id": APP_ID,
            "token": VERIFICATION_TOKEN,
            "trigger_id": self.new_trigger_id(),
            "view": {
                "id": view_id,
                "team_id": self.team_id,
                "type": "modal",
                "blocks": [],
                "private_metadata": private_metadata,
                "callback_id": callback_id,
                "state": {"values": dict(values)},
                "hash": secrets.token_hex(8),
                "title": {"type": "plain_text", "text": "Sales bot"},
                "clear_on_close": False,
                "notify_on_close": False,
                "root_view_id": view_id,
                "previous_view_id": None,
                "app_id": APP_ID,
                "external_id": "",
                "app_installed_team_id": self.team_id,
                "bot_id": "BBOT",
            },
            "response_urls": [],
            "is_enterprise_install": False,
            "enterprise": None,
        }
        return self.action(as_org_wide(payload) if org_wide else payload, **signing)

    def envelope(self, event: Mapping[str, Any], *, event_id: str | None = None) -> dict[str, Any]:
        """Wrap an inner event in Slack's ``event_callback`` envelope."""
        now = int(self.clock())
        return {
            "token": VERIFICATION_TOKEN,
            "team_id": self.team_id,
            "context_team_id": self.team_id,
            "api_app_id": APP_ID,
            "event": dict(event),
            "type": "event_callback",
            "event_id": event_id or "Ev" + secrets.token_hex(5).upper(),
            "event_time": now,
            "authorizations": [
                {
                    "enterprise_id": None,
                    "team_id": self.team_id,
                    "user_id": "UBOT",
                    "is_bot": True,
                    "is_enterprise_install": False,
                }
            ],
            "is_ext_shared_channel": False,
        }

    def new_trigger_id(self) -> str:
        """A trigger_id shaped like Slack's (``<digits>.<digits>.<hex>``)."""
        return f"{int(self.clock())}.{secrets.randbelow(10**9):09d}.{secrets.token_hex(16)}"

    # ----------------------------------------------------------------- transport

    def _post(
        self,
        body: bytes,
        content_type: str,
        *,
        sign: bool,
        secret: str | None,
        timestamp: int | None,
        extra_headers: Mapping[str, str] | None,
        path: str | None = None,
        method: str = "POST",
    ) -> Reply:
        headers = {
            "Content-Type": content_type,
            "User-Agent": USER_AGENT,
            "Accept": "application/json,*/*",
        }
        if sign:
            ts = int(self.clock()) if timestamp is None else timestamp
            headers.update(_sign(body, secret=secret or self.secret, timestamp=ts))
        headers.update(extra_headers or {})
        connection = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
        started = time.perf_counter()
        try:
            # The server may answer (413, 400) and close before reading a hostile body in full.
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                connection.request(method, path or self.path, body=body, headers=headers)
            response = connection.getresponse()
            payload = response.read()
            elapsed = time.perf_counter() - started
            reply = Reply(
                status=response.status,
                headers=dict(response.getheaders()),
                body=payload,
                elapsed=elapsed,
                request_body=body,
            )
        finally:
            connection.close()
        _judge_ack(reply, self.fake)
        return reply

    def _response_url(self) -> str:
        return self.fake.response_url() if self.fake is not None else NOWHERE

    def _user_name(self, user_id: str) -> str:
        if self.fake is not None:
            user = self.fake.users.get(user_id)
            if user is not None:
                return str(user["name"])
        return user_id.lower()

    def _user(self, user_id: str) -> dict[str, str]:
        name = self._user_name(user_id)
        return {"id": user_id, "username": name, "name": name, "team_id": self.team_id}


def _judge_ack(reply: Reply, fake: FakeSlack | None) -> None:
    """Slack reads an ack's body by the same rules as any message or view: one it would refuse (a
    reply past its limits, a modal the submission pushes with a title too long) is recorded as a
    refusal, which fails the test unless it takes it (``FakeSlack.take_refusals``)."""
    if reply.status != 200 or not reply.body.lstrip().startswith(b"{"):
        return
    try:
        body = reply.json()
    except AssertionError:
        return
    if body.get("response_action") in ("update", "push") and "view" in body:
        verdict = blockkit.review("views.update", {"view": body["view"]})
    elif "blocks" in body or "text" in body:
        verdict = blockkit.review(blockkit.RESPONSE_URL, body)
    else:
        return
    if verdict.refusal is not None:
        record_refusal("ack", verdict, fake)


ENTERPRISE_ID = "E0ORG"


def as_org_wide(payload: dict[str, Any]) -> dict[str, Any]:
    """An interaction as an org-wide (Enterprise Grid) install receives it: ``team`` is null, the
    enterprise is named, and the workspace is only in ``user.team_id`` (and ``view.team_id``)."""
    payload = {**payload, "team": None, "is_enterprise_install": True}
    payload["enterprise"] = {"id": ENTERPRISE_ID, "name": "Acme Org"}
    if isinstance(payload.get("view"), dict):
        payload["view"] = {k: v for k, v in payload["view"].items() if k != "app_installed_team_id"}
    return payload


_sign = sign  # the methods' ``sign`` flag shadows the function
