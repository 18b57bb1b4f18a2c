"""When something breaks inside a listener, the user gets a plain apology in the reply — never an
error page — and nothing half-done is claimed."""

from __future__ import annotations

import json
import time
from types import SimpleNamespace
from urllib.parse import urlencode

from slack_bolt.request import BoltRequest

from bot.slack.app import build_bolt_app
from tests.support.fakeslack import FakeSlack
from tests.support.signing import sign

SECRET = "unit-secret"


class Broken:
    def __getattr__(self, name):
        def fail(**kwargs):
            raise RuntimeError("database is down")

        return fail


def test_a_failing_command_answers_with_an_apology_and_logs_it(caplog) -> None:
    services = SimpleNamespace(
        activity=Broken(), goals=Broken(), teams=Broken(), checkin=Broken(), profiles=Broken()
    )
    with FakeSlack(token="xoxb-unit") as fake:
        app = build_bolt_app(
            signing_secret=SECRET, token="xoxb-unit", api_url=fake.api_url, services=services
        )
        response = _log(app)
    assert response.status == 200
    shown = json.loads(response.body)
    assert shown["response_type"] == "ephemeral"
    assert "nothing was recorded" in shown["text"]
    assert "database is down" in caplog.text


def _log(app):
    body = urlencode(
        {"command": "/log", "text": "25 calls", "user_id": "U0REP", "team_id": "T0001", "response_url": ""}
    )
    headers = {
        "content-type": ["application/x-www-form-urlencoded"],
        **{k.lower(): [v] for k, v in sign(body.encode(), secret=SECRET, timestamp=int(time.time())).items()},
    }
    return app.dispatch(BoltRequest(body=body, headers=headers))
