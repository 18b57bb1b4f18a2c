"""When something breaks inside a listener, the user gets a plain apology in the reply — never an
error page — and nothing half-done is claimed."""

from __future__ import annotations

import json
import time
from datetime import date
from decimal import Decimal
from types import SimpleNamespace
from urllib.parse import urlencode

from slack_bolt.request import BoltRequest

from bot.domain.types import Metric, MetricKind, Unit
from bot.services.context import CommitUnconfirmed
from bot.services.outcomes import Logged
from bot.slack.app import build_bolt_app
from bot.slack.messages.replies import render
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


class Unconfirmed:
    """Services whose save lost the database connection during COMMIT."""

    def __getattr__(self, name):
        def fail(**kwargs):
            lost = OSError("server closed the connection unexpectedly")
            raise CommitUnconfirmed("COMMIT", None, lost, connection_invalidated=True)

        return fail


def test_a_save_nobody_can_confirm_is_not_called_a_failure(caplog) -> None:
    services = SimpleNamespace(
        activity=Unconfirmed(), goals=Unconfirmed(), teams=Unconfirmed(), checkin=Unconfirmed()
    )
    with FakeSlack(token="xoxb-unit") as fake:
        app = build_bolt_app(
            signing_secret=SECRET, token="xoxb-unit", api_url=fake.api_url, services=services
        )
        response = _log(app)
    assert response.status == 200
    text = json.loads(response.body)["text"]
    # Not "nothing was recorded, try again": it may have been, and a retry would count it twice.
    assert "nothing was recorded" not in text
    assert "can't tell whether it was recorded" in text
    assert "/log today" in text and "before you try again" in text
    assert "server closed the connection" in caplog.text


def test_a_log_saved_without_its_progress_still_says_it_is_saved() -> None:
    calls = Metric("calls", "cold calls", MetricKind.ACTIVITY, Unit.COUNT)
    today = date(2026, 11, 25)
    shown = render(
        Logged(
            items=((calls, Decimal(5)),), day=today, today=today, note=None, progress=None, team_name="East"
        )
    )["text"]
    assert "Logged 5 calls for today" in shown
    assert "saved" in shown and "/log today" in shown
    assert "No goals set yet" not in shown  # no progress read is not "no goals"


def _log(app):
    body = urlencode(
        {"command": "/log", "text": "25 calls", "user_id": "U0REP", "team_id": "T0001", "response_url": ""}
    )
    headers = {
        "content-type": ["application/x-www-form-urlencoded"],
        **{k.lower(): [v] for k, v in sign(body.encode(), secret=SECRET, timestamp=int(time.time())).items()},
    }
    return app.dispatch(BoltRequest(body=body, headers=headers))
