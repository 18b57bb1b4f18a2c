"""The web process as Slack and a load balancer see it: healthy, refusing forgeries, answering /log."""

from __future__ import annotations

import json
import time
import urllib.request
from collections.abc import Callable

import pytest

from tests.e2e.conftest import SIGNING_SECRET
from tests.support.fakeslack import FakeSlack
from tests.support.signing import Reply, SlackSender, sign
from tests.support.webproc import WebProcess

pytestmark = pytest.mark.e2e


def test_health_reports_the_database(web_process: WebProcess) -> None:
    with urllib.request.urlopen(web_process.url + "/health", timeout=5) as answer:
        assert answer.status == 200
        body = json.loads(answer.read())
    assert body["status"] == "ok", body
    assert body["database"] == "ok", body


def _unsigned(slack: SlackSender) -> Reply:
    return slack.command("/log", "25 calls", user_id="U0REP1", sign=False)


def _forged(slack: SlackSender) -> Reply:
    return slack.command("/log", "25 calls", user_id="U0REP1", secret="not-the-signing-secret")


def _stale(slack: SlackSender) -> Reply:
    return slack.command("/log", "25 calls", user_id="U0REP1", timestamp=int(time.time()) - 600)


def _tampered(slack: SlackSender) -> Reply:
    # Signed for one body, delivered with another: a replayed signature on a changed command.
    now = int(time.time())
    headers = sign(b"command=%2Flog&text=1+calls", secret=SIGNING_SECRET, timestamp=now)
    body = b"command=%2Flog&text=999+calls&user_id=U0REP1&team_id=T0001"
    return slack.raw(body, {"Content-Type": "application/x-www-form-urlencoded", **headers})


def _calls_beyond_startup(fake: FakeSlack) -> list[str]:
    # A gunicorn worker that boots late may still make its start-up auth.test mid-test.
    return [c.method for c in fake.calls() if c.method != "auth.test"]


@pytest.mark.parametrize("attempt", [_unsigned, _forged, _stale, _tampered], ids=lambda f: f.__name__[1:])
def test_requests_without_a_valid_signature_are_refused(
    slack: SlackSender, fake_slack: FakeSlack, attempt: Callable[[SlackSender], Reply]
) -> None:
    fake_slack.add_user("U0REP1", name="ana")
    before = _calls_beyond_startup(fake_slack)
    reply = attempt(slack)
    assert reply.status == 401, reply.text
    # Refused before any listener runs, so nothing reaches Slack on a forger's behalf.
    assert _calls_beyond_startup(fake_slack) == before, fake_slack.transcript()
    assert fake_slack.responses() == [], fake_slack.transcript()


def test_log_help_answers_in_the_ack(slack: SlackSender, fake_slack: FakeSlack) -> None:
    fake_slack.add_user("U0REP1", name="ana")
    reply = slack.command("/log", "help", user_id="U0REP1")
    assert reply.status == 200, reply.text
    assert "/log" in reply.message_text, f"{reply.text}\n{fake_slack.transcript()}"
    if reply.is_json:
        assert reply.json().get("response_type", "ephemeral") == "ephemeral"
    assert reply.elapsed < 3, "Slack gives up on an ack after 3 seconds"
