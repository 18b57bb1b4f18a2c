"""``python -m bot web`` with ``SLACK_APP_TOKEN``: everything Slack sends arrives over Socket Mode, from
a real local WebSocket server standing in for Slack's, through the same listeners and acks as HTTP;
``/health`` is served on ``$PORT`` meanwhile. Slack asking for a new connection, a connection cut
from under the bot, and two processes sharing the envelopes lose nothing and handle nothing twice."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections.abc import Iterator
from decimal import Decimal

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.store.models import Entry
from tests.e2e.test_commands import eventually
from tests.e2e.test_home import published, view_of
from tests.e2e.test_interactive import buttons, opened_view
from tests.support.fakeslack import FakeSlack
from tests.support.fakesocket import FakeSocketMode, SocketSender
from tests.support.timewarp import MovableClock
from tests.support.webproc import WebProcess

pytestmark = pytest.mark.e2e

BOSS, REP = "U0SMBOSS", "U0SMREP"
OTHER = "U0SMOTHER"  # whose Home tab no /log refreshes: each publish is an event handled
TODAY = "2026-11-18"  # START in New York


@pytest.fixture(scope="module")
def socket_server(fake_slack: FakeSlack) -> Iterator[FakeSocketMode]:
    with FakeSocketMode() as server:
        server.attach(fake_slack)
        yield server
    fake_slack.socket_mode = fake_slack.app_token = None


def socket_mode_process(
    fake: FakeSlack,
    server: FakeSocketMode,
    database_url: str,
    clock: MovableClock,
    *,
    workers: int = 1,
    log_level: str = "INFO",
) -> WebProcess:
    """Each worker holds a connection of its own (``workers``; one makes the tests' connection the
    process's)."""
    return WebProcess(
        fake=fake,
        secret="",
        database_url=database_url,
        clock=clock,
        # Only the bot token and the app-level token: nothing comes by HTTP, so no signing secret.
        env={
            "SLACK_APP_TOKEN": server.app_token,
            "SLACK_SIGNING_SECRET": None,
            "WEB_CONCURRENCY": str(workers),
            "LOG_LEVEL": log_level,
        },
    )


@pytest.fixture(scope="module")
def socket_process(
    fake_slack: FakeSlack, socket_server: FakeSocketMode, database_url: str, _session_clock: MovableClock
) -> Iterator[WebProcess]:
    process = socket_mode_process(fake_slack, socket_server, database_url, _session_clock)
    process.start()
    try:
        yield process
    finally:
        process.stop()


@pytest.fixture
def over_socket(
    socket_process: WebProcess, socket_server: FakeSocketMode, fake_slack: FakeSlack, web_clock: MovableClock
) -> SocketSender:
    """Sends commands, clicks, submissions and events as Socket Mode envelopes; replies are acks."""
    socket_server.wait_for_links()
    return SocketSender(socket_server, fake=fake_slack)


@pytest.fixture
def team(over_socket: SocketSender, fake_slack: FakeSlack) -> None:
    fake_slack.add_user(BOSS, name="smboss", tz="America/New_York")
    fake_slack.add_user(REP, name="smrep", tz="America/New_York")
    created = over_socket.create_team("Socket Team <#C0SOCKET|socket> tz=America/New_York", user_id=BOSS)
    assert "Created *Socket Team*" in created, created
    added = over_socket.command("/team", f"add <@{REP}|smrep>", user_id=BOSS)
    assert "Added" in added.message_text, added.text


def entries(engine) -> list[tuple[Decimal, str | None]]:
    with Session(engine) as session:
        rows = session.scalars(select(Entry).where(Entry.user_id == REP).order_by(Entry.id))
        return [(row.amount, row.note) for row in rows]


def acked_once(server: FakeSocketMode, reply) -> bool:
    return reply.status == 200 and len(server.acks_of(reply.envelope.envelope_id)) == 1


@pytest.mark.parametrize("note", ["sent the payload deck to Acme", "payload=deck", "%7B not json"])
def test_a_log_is_answered_in_its_ack(over_socket, socket_server, team, engine, note) -> None:
    reply = over_socket.command("/log", f"2 calls -- {note}", user_id=REP, channel_name="payload")
    assert acked_once(socket_server, reply)
    assert reply.elapsed < 3.0
    assert "Logged 2 calls" in reply.message_text
    assert entries(engine) == [(2, note)]


def test_a_button_a_modal_and_app_home_go_through_the_same_listeners(
    over_socket, socket_server, fake_slack, team, engine
) -> None:
    home = over_socket.event(
        over_socket.envelope({"type": "app_home_opened", "user": REP, "channel": "D0SM", "tab": "home"})
    )
    assert acked_once(socket_server, home) and home.ack.payload is None  # an event's ack carries nothing
    [call] = published(fake_slack, REP)
    found = buttons({"blocks": view_of(call)["blocks"]})

    click = over_socket.button("log_activity", user_id=REP, value=found["log_activity"]["value"])
    assert acked_once(socket_server, click)
    modal = opened_view(fake_slack)
    assert modal["callback_id"] == "log_activity"

    values = {
        "metric:calls": {"value": {"type": "number_input", "value": "7"}},
        "day": {"value": {"type": "datepicker", "selected_date": TODAY}},
        "note": {"value": {"type": "plain_text_input", "value": "from the modal, payload={}"}},
    }
    saved = over_socket.submit_view(
        "log_activity", values, user_id=REP, private_metadata=modal["private_metadata"]
    )
    assert acked_once(socket_server, saved)
    eventually(lambda: entries(engine) == [(7, "from the modal, payload={}")])

    refused = over_socket.submit_view(
        "log_activity",
        {"metric:calls": {"value": {"type": "number_input", "value": "5000"}}},
        user_id=REP,
        private_metadata=modal["private_metadata"],
    )
    assert refused.json()["response_action"] == "errors"  # a submission's answer rides in its ack


def test_health_is_served_on_port_and_slack_events_is_not(socket_process: WebProcess) -> None:
    with urllib.request.urlopen(socket_process.url + "/health", timeout=5) as answer:
        assert answer.status == 200
        assert json.loads(answer.read())["status"] == "ok"
    request = urllib.request.Request(socket_process.url + "/slack/events", data=b"command=%2Flog")
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=5)
    assert refused.value.code == 404  # no request URL, nothing to forge


def test_asked_for_a_new_connection_it_loses_nothing(over_socket, socket_server, team, engine) -> None:
    [old] = socket_server.wait_for_links()
    before = over_socket.command("/log", "1 calls -- before", user_id=REP)
    socket_server.disconnect(old, reason="refresh_requested")
    [new] = socket_server.wait_for_links(newer_than=old.id)
    over_socket.to = old  # Slack may still deliver what it had under way on the old one
    late = over_socket.command("/log", "2 calls -- late", user_id=REP)
    over_socket.to = None
    after = over_socket.command("/log", "3 calls -- after", user_id=REP)
    assert after.envelope.connection == new.id
    assert all(acked_once(socket_server, r) for r in (before, late, after))
    assert entries(engine) == [(1, "before"), (2, "late"), (3, "after")]


def test_a_connection_cut_from_under_it_loses_nothing_and_doubles_nothing(
    over_socket, socket_server, fake_slack, team, engine
) -> None:
    [first] = socket_server.wait_for_links()
    # Slack's side goes away right after sending a /log: the bot still answers it, then reconnects.
    envelope = socket_server.send(
        "slash_commands", {**command_payload(over_socket, "4 calls -- in flight"), "user_id": REP}
    )
    socket_server.drop(first)
    [second] = socket_server.wait_for_links(newer_than=first.id)
    reply = over_socket.reply_to(envelope)
    assert acked_once(socket_server, reply) and "Logged 4 calls" in reply.message_text

    # The network fails under an event: Slack, seeing no ack, sends it again on the new connection;
    # it is handled once whether or not the first delivery got through.
    event = home_event(over_socket, OTHER)
    socket_server.send("events_api", event, to=second)
    socket_server.drop(second, abort=True)
    socket_server.wait_for_links(newer_than=second.id)
    retry = socket_server.send("events_api", event, retry_attempt=1, retry_reason="timeout")
    assert over_socket.reply_to(retry).status == 200
    assert over_socket.event(home_event(over_socket, BOSS)).status == 200  # queued after the two
    published(fake_slack, BOSS)
    eventually(lambda: homes_published(fake_slack, OTHER) >= 1)
    assert homes_published(fake_slack, OTHER) == 1
    assert entries(engine) == [(4, "in flight")]


def home_event(sender: SocketSender, user: str) -> dict:
    return sender.envelope({"type": "app_home_opened", "user": user, "channel": "D0SM", "tab": "home"})


def homes_published(fake: FakeSlack, user: str) -> int:
    return len([c for c in fake.calls("views.publish") if c.params.get("user_id") == user])


def command_payload(sender: SocketSender, text: str) -> dict:
    """A /log's fields as Slack sends them in a slash_commands envelope."""
    return {
        "token": "x",
        "team_id": sender.team_id,
        "team_domain": "acme",
        "channel_id": "C0GENERAL",
        "channel_name": "general",
        "user_name": "smrep",
        "command": "/log",
        "text": text,
        "api_app_id": "A0SALESBOT",
        "is_enterprise_install": "false",
        "response_url": sender.fake.response_url() if sender.fake else "",
        "trigger_id": sender.new_trigger_id(),
    }


def test_two_processes_share_the_envelopes_and_handle_each_once(
    over_socket, socket_server, fake_slack, team, engine, database_url, _session_clock
) -> None:
    [first] = socket_server.wait_for_links()
    second_process = socket_mode_process(fake_slack, socket_server, database_url, _session_clock, workers=2)
    with second_process:
        links = socket_server.wait_for_links(3)  # one per worker: the first process's, the second's two
        replies = [over_socket.command("/log", f"{n} calls -- #{n}", user_id=REP) for n in range(1, 7)]
        assert {r.envelope.connection for r in replies} == {link.id for link in links}
        assert all(acked_once(socket_server, r) for r in replies)
        assert entries(engine) == [(n, f"#{n}") for n in range(1, 7)]

        # An event, and Slack's retry of it to the other process: one Home tab published.
        event = home_event(over_socket, OTHER)
        one, other = links[0], links[-1]  # the first process, then the second
        assert over_socket.reply_to(socket_server.send("events_api", event, to=one)).status == 200
        published(fake_slack, OTHER)
        retry = socket_server.send("events_api", event, to=other, retry_attempt=1, retry_reason="timeout")
        assert over_socket.reply_to(retry).status == 200
        assert over_socket.event(home_event(over_socket, BOSS)).status == 200
        published(fake_slack, BOSS)
        assert homes_published(fake_slack, OTHER) == 1
    assert second_process.returncode == 0
    assert first.id in {link.id for link in socket_server.links()}  # the first process carries on


def test_debug_logs_over_socket_mode_carry_no_tokens(
    fake_slack, socket_server, database_url, _session_clock
) -> None:
    process = socket_mode_process(fake_slack, socket_server, database_url, _session_clock, log_level="DEBUG")
    before = socket_server.opened
    with process:
        [link] = socket_server.wait_for_links(newer_than=before)
        sender = SocketSender(socket_server, fake=fake_slack)
        sender.to = link
        assert sender.command("/log", "help", user_id="U0SMANYONE").status == 200
    log = process.log_text()
    assert "DEBUG" in log and "apps.connections.open" in log  # the test read the connection's debug output
    assert socket_server.app_token not in log
    assert fake_slack.token not in log
