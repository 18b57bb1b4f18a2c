"""Socket Mode's promises, against a real local WebSocket server that speaks as Slack's does: every
envelope acked once with its reply, a new connection before the old one goes, an envelope in flight
when its connection dies acked on the next one, a redelivered envelope not run again, and a silent
or unreachable Slack waited out.

The Bolt app here is a small one whose listeners the test can hold (``Gate``), so that "in flight"
is a state the test sets, not a race it hopes to win; the bot's own listeners over Socket Mode are
``tests/e2e/test_socket_mode.py``'s.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest
from slack_bolt import App

from bot.slack.gateway import make_client
from bot.slack.socket_mode import SocketModeRunner
from tests.support.fakeslack import FakeSlack
from tests.support.fakesocket import FakeSocketMode, SocketSender

# About connections coming and going in real seconds, not dates: the CI's passes at moved dates skip it.
pytestmark = pytest.mark.durations

FAST = {"backoff": (0.01, 0.05), "retire_after": 0.2}


@dataclass
class Gate:
    """Holds the listeners at their start until opened; says when one has arrived."""

    arrived: threading.Event = field(default_factory=threading.Event)
    opened: threading.Event = field(default_factory=threading.Event)

    def __post_init__(self) -> None:
        self.opened.set()

    def hold(self) -> None:
        self.opened.clear()

    def release(self) -> None:
        self.opened.set()

    def pass_through(self) -> None:
        self.arrived.set()
        assert self.opened.wait(10), "the test never opened the gate"


@dataclass
class Bot:
    fake: FakeSlack
    server: FakeSocketMode
    gate: Gate
    runs: list[str]
    runners: list[SocketModeRunner]

    def connect(self, **options) -> SocketModeRunner:
        """One more process's connection, with its own runner."""
        runner = SocketModeRunner(
            self.app,
            app_token=self.server.app_token,
            web_client=make_client(token=None, base_url=self.fake.api_url, retries=False),
            **{**FAST, **options},
        )
        self.runners.append(runner)
        runner.start_in_background()
        return runner

    app: App = None  # type: ignore[assignment]
    broken: set[str] = field(default_factory=set)  # app_home_opened tabs whose listener fails


@pytest.fixture
def bot() -> Iterator[Bot]:
    with FakeSlack(token="xoxb-unit") as fake, FakeSocketMode() as server:
        server.attach(fake)
        gate, runs, broken = Gate(), [], {"broken"}
        app = App(
            client=make_client(token="xoxb-unit", base_url=fake.api_url),
            signing_secret="",
            process_before_response=True,
        )

        @app.command("/log")
        def log(ack, command) -> None:
            runs.append(command["text"])
            gate.pass_through()
            ack({"response_type": "ephemeral", "text": f"Logged {command['text']}"})

        @app.event("app_home_opened")
        def home(body) -> None:
            runs.append(body["event_id"])
            gate.pass_through()
            if body["event"].get("tab") in broken:
                raise RuntimeError("the listener failed")

        @app.command("/ping")
        def ping(ack) -> None:
            ack()

        state = Bot(fake, server, gate, runs, [], app, broken)
        yield state
        gate.release()
        for runner in state.runners:
            runner.close(drain=0)


def sender(bot: Bot) -> SocketSender:
    return SocketSender(bot.server, fake=bot.fake, ack_timeout=5)


def test_a_command_is_acked_once_with_its_reply_even_with_payload_in_its_text(bot: Bot) -> None:
    bot.connect()
    bot.server.wait_for_links()
    text = '2 calls -- sent the payload deck; payload={"a":1} %7B'
    reply = sender(bot).command("/log", text, user_id="U1")
    assert reply.status == 200
    assert reply.json() == {"response_type": "ephemeral", "text": f"Logged {text}"}
    assert reply.elapsed < 3.0
    assert len(bot.server.acks_of(reply.envelope.envelope_id)) == 1
    assert bot.runs == [text]


def test_asked_to_reconnect_it_connects_anew_before_the_old_connection_goes(bot: Bot) -> None:
    bot.connect()
    [old] = bot.server.wait_for_links()
    slack = sender(bot)
    bot.server.disconnect(old, reason="refresh_requested")
    [new] = bot.server.wait_for_links(newer_than=old.id)
    assert not old.closed.is_set()  # the new connection came while the old one still stood
    # What Slack still sends on the old connection is handled, and the new one takes the rest.
    slack.to = old
    late = slack.command("/log", "1 late", user_id="U1")
    slack.to = None
    fresh = slack.command("/log", "2 fresh", user_id="U1")
    assert late.status == fresh.status == 200
    assert fresh.envelope.connection == new.id
    assert {a.connection for a in bot.server.acks if a.envelope_id == fresh.envelope.envelope_id} == {new.id}
    bot.server.wait_closed(old)  # and the bot lets the old one go
    assert bot.runs == ["1 late", "2 fresh"]


def test_an_envelope_in_flight_when_its_connection_dies_is_acked_on_the_next(bot: Bot) -> None:
    bot.connect(backoff=(0.3, 0.3))
    [first] = bot.server.wait_for_links()
    bot.gate.hold()
    envelope = bot.server.send("slash_commands", {"command": "/log", "text": "3 calls", "user_id": "U1"})
    assert bot.gate.arrived.wait(5)
    bot.fake.fail("apps.connections.open", error="internal_error", times=1)  # the first retry fails
    bot.server.drop(first, abort=True)  # the network fails while the listener works
    bot.fake.wait_for(
        lambda f: any(c.response for c in f.calls("apps.connections.open")[1:]), what="a failed reconnect"
    )
    bot.gate.release()  # the answer is ready while there is no connection, nor one coming yet
    ack = bot.server.wait_ack(envelope, timeout=5)
    [second] = bot.server.wait_for_links(newer_than=first.id)
    assert ack is not None and ack.connection == second.id
    assert ack.payload == {"response_type": "ephemeral", "text": "Logged 3 calls"}
    assert ack.at - envelope.sent_at < 3.0
    assert len(bot.server.acks_of(envelope.envelope_id)) == 1
    assert bot.runs == ["3 calls"]


def test_slack_closing_its_side_loses_nothing_sent_before(bot: Bot) -> None:
    bot.connect()
    [first] = bot.server.wait_for_links()
    envelope = bot.server.send("slash_commands", {"command": "/log", "text": "4 calls", "user_id": "U1"})
    bot.server.drop(first)  # the envelope, then the end of the stream
    bot.server.wait_for_links(newer_than=first.id)
    ack = bot.server.wait_ack(envelope, timeout=5)
    assert ack is not None and ack.payload["text"] == "Logged 4 calls"
    assert len(bot.server.acks_of(envelope.envelope_id)) == 1
    assert bot.runs == ["4 calls"]


def test_an_envelope_delivered_again_is_acked_with_its_answer_and_not_run_again(bot: Bot) -> None:
    bot.connect(concurrency=2)  # one thread held by the first delivery, one for the rest, in order
    [first] = bot.server.wait_for_links()
    slack = sender(bot)
    payload = {"command": "/log", "text": "5 calls", "user_id": "U1"}
    bot.gate.hold()
    envelope = bot.server.send("slash_commands", payload)
    assert bot.gate.arrived.wait(5)
    bot.server.send("slash_commands", payload, envelope_id=envelope.envelope_id)  # while it runs
    assert slack.command("/ping", user_id="U1").status == 200  # handled after that second delivery
    assert bot.server.acks_of(envelope.envelope_id) == []  # which neither ran nor acked
    bot.gate.release()
    assert slack.reply_to(envelope).json()["text"] == "Logged 5 calls"
    # Delivered again later, on a new connection: the first answer again, nothing run again.
    bot.server.drop(first)
    bot.server.wait_for_links(newer_than=first.id)
    again = bot.server.send("slash_commands", payload, envelope_id=envelope.envelope_id)
    assert slack.reply_to(again).json()["text"] == "Logged 5 calls"
    assert len(bot.server.acks_of(envelope.envelope_id)) == 2
    assert slack.command("/log", "6 calls", user_id="U1").status == 200  # a new envelope still runs
    assert bot.runs == ["5 calls", "6 calls"]


def test_an_ack_that_cannot_reach_slack_in_time_is_given_up_not_sent_late(bot: Bot, caplog) -> None:
    bot.connect(ack_window=0.5)
    [link] = bot.server.wait_for_links()
    bot.fake.fail("apps.connections.open", error="internal_error", times=None)  # Slack is down
    bot.gate.hold()
    envelope = bot.server.send("slash_commands", {"command": "/log", "text": "8 calls", "user_id": "U1"})
    assert bot.gate.arrived.wait(5)
    bot.server.drop(link, abort=True)
    # Released once the bot knows its connection is gone (it tries to open another): an ack sent
    # before that would vanish with the connection, as it would on a real network.
    bot.fake.wait_for(lambda f: len(f.calls("apps.connections.open")) > 1, what="a reconnect")
    bot.gate.release()
    wait_for(lambda: "could not ack envelope" in caplog.text, what="the ack given up")
    bot.fake.calm()
    bot.server.wait_for_links(newer_than=link.id)  # Slack is back: the client reconnected by itself
    assert bot.server.acks_of(envelope.envelope_id) == []
    assert bot.server.opened == 2


def test_an_event_whose_listener_failed_is_not_acked_so_slack_sends_it_again(bot: Bot) -> None:
    bot.connect(concurrency=1)  # one envelope at a time, in order: the second's ack follows the first
    bot.server.wait_for_links()
    slack = sender(bot)
    failing = slack.envelope({"type": "app_home_opened", "user": "U1", "tab": "broken"}, event_id="Ev1")
    first = bot.server.send("events_api", failing)
    assert slack.command("/ping", user_id="U1").status == 200
    assert bot.server.acks_of(first.envelope_id) == []
    bot.broken.clear()  # the listener works now; Slack's retry is a new envelope of the same event
    retry = bot.server.send("events_api", failing, retry_attempt=1, retry_reason="timeout")
    assert slack.reply_to(retry).status == 200
    assert bot.runs == ["Ev1", "Ev1"]


def test_a_connection_that_falls_silent_is_replaced(bot: Bot) -> None:
    runner = bot.connect(ping_interval=0.2)  # stale after 4 pings without a pong
    [link] = bot.server.wait_for_links()
    bot.server.stall(link)
    [new] = bot.server.wait_for_links(newer_than=link.id, timeout=15)
    assert runner.client.current_session is not None
    assert sender(bot).command("/log", "9 calls", user_id="U1").envelope.connection == new.id
    assert bot.runs == ["9 calls"]


def test_slack_unreachable_at_first_is_tried_again_with_back_off(bot: Bot) -> None:
    bot.fake.fail("apps.connections.open", status=503, times=3)
    bot.connect()
    bot.server.wait_for_links()
    assert len(bot.fake.calls("apps.connections.open")) == 4
    assert sender(bot).command("/log", "10 calls", user_id="U1").status == 200


def test_a_bot_token_cannot_open_a_connection() -> None:
    with FakeSlack(token="xoxb-unit") as fake, FakeSocketMode() as server:
        server.attach(fake)
        client = make_client(token=None, base_url=fake.api_url, retries=False)
        assert client.apps_connections_open(app_token=server.app_token)["url"].startswith("ws://127.0.0.1:")
        with pytest.raises(Exception, match="not_allowed_token_type"):
            client.apps_connections_open(app_token="xoxb-unit")
        with pytest.raises(Exception, match="invalid_auth"):
            client.apps_connections_open(app_token="xapp-1-not-this-app")


def test_several_connections_share_the_envelopes_and_each_is_handled_once(bot: Bot) -> None:
    bot.connect()
    bot.connect()
    links = bot.server.wait_for_links(2)
    slack = sender(bot)
    replies = [slack.command("/log", f"{n} demos", user_id="U1") for n in range(6)]
    assert all(r.status == 200 for r in replies)
    assert {r.envelope.connection for r in replies} == {link.id for link in links}
    assert sorted(bot.runs) == sorted(f"{n} demos" for n in range(6))
    assert all(len(bot.server.acks_of(r.envelope.envelope_id)) == 1 for r in replies)


def test_closing_answers_what_is_under_way_first(bot: Bot) -> None:
    runner = bot.connect()
    [link] = bot.server.wait_for_links()
    bot.gate.hold()
    envelope = bot.server.send("slash_commands", {"command": "/log", "text": "11 calls", "user_id": "U1"})
    assert bot.gate.arrived.wait(5)
    closing = threading.Thread(target=runner.close, kwargs={"drain": 5})
    closing.start()
    bot.gate.release()
    closing.join(10)
    assert not closing.is_alive()
    assert bot.server.acks_of(envelope.envelope_id)[0].payload["text"] == "Logged 11 calls"
    bot.server.wait_closed(link)


def wait_for(check, *, what: str, timeout: float = 10.0) -> None:
    """Bounded polling for something the bot does on its own threads."""
    done = threading.Event()
    for _ in range(int(timeout / 0.02)):
        if check():
            return
        done.wait(0.02)
    raise AssertionError(f"timed out waiting for {what}")
