"""Hostile and random input through the real Bolt app: never a 5xx, always a reply, nothing half-done.

Requests are signed and dispatched in-process (the HTTP edge is covered by the end-to-end tests), so
hypothesis can try thousands of texts and payloads in seconds.
"""

from __future__ import annotations

import json
import time
from urllib.parse import urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from slack_bolt.request import BoltRequest

from bot.services.container import build_services
from bot.slack.app import build_bolt_app
from tests.support.fakeslack import FakeSlack
from tests.support.signing import sign

SECRET = "fuzz-secret"
W, BOSS, REP = "T0FUZZ", "U0FUZZBOSS", "U0FUZZREP"

WORDS = st.sampled_from(
    [
        "25",
        "calls",
        "demos",
        "$4,500",
        "4.5k",
        "1.2m",
        "-5",
        "0",
        "1e9",
        "NaN",
        "yesterday",
        "mon",
        "2026-11-25",
        "--",
        "—",
        "undo",
        "week",
        "help",
        "team",
        "quota",
        "/day",
        "per",
        "week",
        "clear",
        "<@U0FUZZREP|rep>",
        "<@U0NOBODY>",
        "<#C0X|x>",
        "#x",
        "&amp;",
        "&lt;script&gt;",
        "<!channel>",
        "create",
        "add",
        "remove",
        "managers",
        "standup",
        "09:00",
        "workdays",
        "mon-fri",
        "holidays",
        "US",
        "XX",
        "scoreboard",
        "public",
        "export",
        "november",
        "away",
        "until",
        "back",
        "daily",
        "auto",
        "tz=America/New_York",
        "tz=Mars/Base",
        "٣",
        "１２",
        "\u200b",
        "'; DROP TABLE entries; --",
    ]
)
TEXT = st.one_of(
    st.lists(WORDS, max_size=12).map(" ".join),
    st.text(max_size=300),
    st.text(alphabet=st.characters(blacklist_categories=("Cs",)), min_size=1900, max_size=2100),
)


@pytest.fixture
def app(engine):
    with FakeSlack(token="xoxb-fuzz") as fake:
        fake.add_user(BOSS, name="boss")
        fake.add_user(REP, name="rep")
        services = build_services(engine)
        bolt = build_bolt_app(
            signing_secret=SECRET, token="xoxb-fuzz", api_url=fake.api_url, services=services
        )
        services.teams.team(
            workspace_id=W, user_id=BOSS, text="create Fuzz <#C0FUZZ|fuzz> tz=UTC", in_channel="C0FUZZ"
        )
        services.teams.team(workspace_id=W, user_id=BOSS, text=f"add <@{REP}|rep>")
        yield bolt


def dispatch(app, body: str, content_type: str = "application/x-www-form-urlencoded"):
    headers = {"content-type": [content_type]}
    headers.update(
        {k.lower(): [v] for k, v in sign(body.encode(), secret=SECRET, timestamp=int(time.time())).items()}
    )
    return app.dispatch(BoltRequest(body=body, headers=headers))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    command=st.sampled_from(["/log", "/goals", "/team", "/checkin"]),
    text=TEXT,
    who=st.sampled_from([BOSS, REP, "U0STRANGER"]),
)
def test_any_command_text_gets_a_reply_never_an_error(app, command: str, text: str, who: str) -> None:
    body = urlencode({"command": command, "text": text, "user_id": who, "team_id": W, "response_url": ""})
    response = dispatch(app, body)
    assert response.status == 200, (command, text, response.body)
    if response.body:
        reply = json.loads(response.body)
        assert reply.get("response_type") == "ephemeral"
        assert reply.get("text"), (command, text)
        assert "something went wrong" not in reply["text"], (command, text)


PAYLOAD = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=20)),
    lambda children: st.one_of(
        st.lists(children, max_size=4), st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=12,
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    kind=st.sampled_from(["block_actions", "view_submission"]),
    action=st.sampled_from(["log_activity", "share_week", "plan_one_on_one", "one_on_one_done", "nope"]),
    value=st.one_of(PAYLOAD.map(json.dumps), st.text(max_size=50)),
    values=st.dictionaries(
        st.text(max_size=12), st.dictionaries(st.just("value"), PAYLOAD, max_size=1), max_size=4
    ),
    meta=st.one_of(PAYLOAD.map(json.dumps), st.text(max_size=30)),
)
def test_any_interactive_payload_is_answered_without_a_5xx(app, kind, action, value, values, meta) -> None:
    user = {"id": REP, "username": "rep", "team_id": W}
    if kind == "block_actions":
        payload = {
            "type": "block_actions",
            "user": user,
            "team": {"id": W},
            "trigger_id": "1.2.abc",
            "actions": [
                {"action_id": action, "block_id": "b", "type": "button", "value": value, "action_ts": "1.2"}
            ],
        }
    else:
        payload = {
            "type": "view_submission",
            "user": user,
            "team": {"id": W},
            "view": {
                "id": "V0FUZZ",
                "type": "modal",
                "callback_id": action,
                "private_metadata": meta,
                "state": {"values": values},
            },
        }
    response = dispatch(app, urlencode({"payload": json.dumps(payload)}))
    assert response.status < 500, (payload, response.body)
