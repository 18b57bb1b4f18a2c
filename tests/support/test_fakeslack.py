"""The test doubles are tested like the code: the e2e suite is only as honest as its fake Slack."""

from __future__ import annotations

import json
import threading
import time
import urllib.request
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.signature import SignatureVerifier
from slack_sdk.webhook import WebhookClient

from tests.support.fakeslack import FakeSlack, visible_text
from tests.support.signing import Reply, SlackSender, sign


@pytest.fixture(scope="module")
def module_fake() -> Iterator[FakeSlack]:
    with FakeSlack() as fake:
        yield fake


@pytest.fixture
def fake(module_fake: FakeSlack) -> FakeSlack:
    module_fake.reset()
    return module_fake


@pytest.fixture
def client(fake: FakeSlack) -> WebClient:
    return WebClient(token=fake.token, base_url=fake.api_url, timeout=5)


# ---------------------------------------------------------------- the fake Web API


def test_urls(fake: FakeSlack) -> None:
    assert fake.url.startswith("http://127.0.0.1:")
    assert fake.api_url == fake.url + "/api/"


def test_auth_test(client: WebClient, fake: FakeSlack) -> None:
    answer = client.auth_test()
    assert answer["team_id"] == "T0001"
    assert answer["user_id"] == "UBOT"
    assert answer["bot_id"] == "BBOT"
    assert [c.method for c in fake.calls()] == ["auth.test"]
    assert fake.calls()[0].headers["Authorization"] == "Bearer xoxb-test-token"


def test_post_message_to_a_user_lands_in_their_dm(client: WebClient, fake: FakeSlack) -> None:
    blocks = [{"type": "section", "text": {"type": "mrkdwn", "text": "*calls* 25/25 ✅"}}]
    first = client.chat_postMessage(channel="U0REP1", text="Good morning", blocks=blocks)
    second = client.chat_postMessage(channel="C0SALES", text="Standup")
    assert first["channel"] == "D0REP1"
    assert first["message"]["blocks"] == blocks
    assert float(second["ts"]) > float(first["ts"])
    assert [p["text"] for p in fake.posts("U0REP1")] == ["Good morning"]
    assert [p["text"] for p in fake.posts("D0REP1")] == ["Good morning"]
    assert [p["text"] for p in fake.posts("C0SALES")] == ["Standup"]
    assert fake.posts()[0]["blocks"] == blocks  # JSON body kept as structure
    assert "Good morning" in fake.transcript()
    assert "C0SALES" in fake.transcript()


def test_form_encoded_blocks_are_decoded(fake: FakeSlack) -> None:
    # slack_sdk sends some methods form-encoded, with blocks as a JSON string.
    client = WebClient(token=fake.token, base_url=fake.api_url)
    blocks = [{"type": "context", "elements": [{"type": "mrkdwn", "text": "logged"}]}]
    client.api_call("chat.postMessage", params={"channel": "C1", "text": "hi", "blocks": json.dumps(blocks)})
    assert fake.posts("C1")[0]["blocks"] == blocks
    assert visible_text(fake.posts("C1")[0]) == "hi\nlogged"


def test_post_message_without_text_is_refused_like_slack(client: WebClient) -> None:
    with pytest.raises(SlackApiError) as caught, pytest.warns(UserWarning, match="text"):
        client.chat_postMessage(channel="C1")
    assert caught.value.response["error"] == "no_text"


def test_users_info(client: WebClient, fake: FakeSlack) -> None:
    fake.add_user("U0REP1", name="ana", tz="America/Los_Angeles")
    user = client.users_info(user="U0REP1")["user"]
    assert user["id"] == "U0REP1"
    assert user["team_id"] == "T0001"
    assert user["tz"] == "America/Los_Angeles"
    assert user["tz_offset"] in (-8 * 3600, -7 * 3600)
    assert user["tz_label"].startswith("Pacific")
    assert user["profile"]["display_name"] == "ana"
    assert user["is_bot"] is False and user["deleted"] is False
    with pytest.raises(SlackApiError) as caught:
        client.users_info(user="U0NOBODY")
    assert caught.value.response["error"] == "user_not_found"


def test_reset_keeps_users(fake: FakeSlack, client: WebClient) -> None:
    fake.add_user("U0KEEP", name="keep")
    client.auth_test()
    fake.reset()
    assert fake.calls() == []
    assert client.users_info(user="U0KEEP")["ok"]


def test_views(client: WebClient, fake: FakeSlack) -> None:
    home = {"type": "home", "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": "Your week"}}]}
    published = client.views_publish(user_id="U0REP1", view=home)
    assert published["view"]["id"].startswith("V")
    assert published["view"]["type"] == "home"
    assert published["view"]["hash"]
    assert fake.calls("views.publish")[0].params["view"]["blocks"] == home["blocks"]

    modal = {
        "type": "modal",
        "callback_id": "log",
        "title": {"type": "plain_text", "text": "Log"},
        "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": "What did you do?"}}],
    }
    opened = client.views_open(trigger_id="123.456.abc", view=modal)
    updated = client.views_update(view_id=opened["view"]["id"], view=modal)
    assert updated["view"]["id"] == opened["view"]["id"]
    assert opened["view"]["callback_id"] == "log"


def test_other_methods(client: WebClient, fake: FakeSlack) -> None:
    assert client.conversations_open(users="U0MGR")["channel"]["id"] == "D0MGR"
    assert client.conversations_info(channel="C0SALES")["channel"]["id"] == "C0SALES"
    assert client.chat_postEphemeral(channel="C0SALES", user="U0REP1", text="psst")["message_ts"]
    assert client.chat_update(channel="C0SALES", ts="1.000100", text="edited")["ts"] == "1.000100"
    assert (
        "archives/C0SALES" in client.chat_getPermalink(channel="C0SALES", message_ts="1.000100")["permalink"]
    )
    with pytest.raises(SlackApiError) as caught:
        client.api_call("pins.add", params={"channel": "C1"})
    assert caught.value.response["error"] == "unknown_method"


def test_file_upload_v2_round_trip(client: WebClient, fake: FakeSlack) -> None:
    csv = b"date,rep,metric,amount\n2026-11-25,ana,calls,25\n"
    answer = client.files_upload_v2(channel="D0MGR", content=csv, filename="entries.csv", title="Entries")
    file_id = answer["file"]["id"]
    assert fake.uploads[file_id] == csv
    assert answer["file"]["title"] == "Entries"
    assert [c.method for c in fake.calls()] == ["files.getUploadURLExternal", "files.completeUploadExternal"]


def test_invalid_auth(fake: FakeSlack) -> None:
    client = WebClient(token="xoxb-wrong", base_url=fake.api_url)
    with pytest.raises(SlackApiError) as caught:
        client.auth_test()
    assert caught.value.response["error"] == "invalid_auth"
    assert fake.calls()[0].ok is False


def test_rate_limit_is_a_429_with_retry_after(client: WebClient, fake: FakeSlack) -> None:
    fake.fail("chat.postMessage", retry_after=7)
    with pytest.raises(SlackApiError) as caught:
        client.chat_postMessage(channel="C1", text="one")
    assert caught.value.response.status_code == 429
    assert caught.value.response.headers["Retry-After"] == "7"
    assert caught.value.response["error"] == "ratelimited"
    # times=1: the next call goes through, and both are in the transcript.
    assert client.chat_postMessage(channel="C1", text="two")["ok"]
    assert [c.status for c in fake.calls("chat.postMessage")] == [429, 200]
    assert "429 ratelimited" in fake.transcript()


def test_server_error(client: WebClient, fake: FakeSlack) -> None:
    fake.fail("chat.postMessage", status=500, times=2)
    for _ in range(2):
        with pytest.raises(SlackApiError) as caught:
            client.chat_postMessage(channel="C1", text="x")
        assert caught.value.response.status_code == 500
    assert client.chat_postMessage(channel="C1", text="x")["ok"]


def test_slack_error_with_http_200(client: WebClient, fake: FakeSlack) -> None:
    fake.fail("chat.postMessage", error="channel_not_found", times=None)
    for _ in range(3):
        with pytest.raises(SlackApiError) as caught:
            client.chat_postMessage(channel="C404", text="x")
        assert caught.value.response.status_code == 200
        assert caught.value.response["error"] == "channel_not_found"
    fake.reset()
    assert client.chat_postMessage(channel="C1", text="x")["ok"]


def test_delay(client: WebClient, fake: FakeSlack) -> None:
    fake.delay("auth.test", 0.3, times=1)
    started = time.monotonic()
    client.auth_test()
    assert time.monotonic() - started >= 0.3
    started = time.monotonic()
    client.auth_test()
    assert time.monotonic() - started < 0.3


def test_calm_ends_the_faults_and_keeps_the_transcript(client: WebClient, fake: FakeSlack) -> None:
    fake.fail("auth.test", status=500, times=None)
    fake.delay("auth.test", 1, times=None)
    client.retry_handlers.clear()
    with pytest.raises(SlackApiError):
        client.auth_test()
    fake.calm()
    started = time.monotonic()
    assert client.auth_test()["ok"]
    assert time.monotonic() - started < 1
    assert [c.status for c in fake.calls("auth.test")] == [500, 200]


# ---------------------------------------------------------------- response_url and waiting


def test_response_url_records_and_unique_response(fake: FakeSlack) -> None:
    url = fake.response_url()
    assert url != fake.response_url()
    token = url.rsplit("/", 1)[-1]
    WebhookClient(url).send(text="Logged 25 calls", response_type="ephemeral")
    response = fake.unique_response(token)
    assert response.body["text"] == "Logged 25 calls"
    assert response.text == "Logged 25 calls"
    assert fake.responses(url) == [response]
    WebhookClient(url).send(text="again")
    with pytest.raises(AssertionError, match="exactly one"):
        fake.unique_response(token)


def test_wait_for_a_call_made_later(client: WebClient, fake: FakeSlack) -> None:
    # Like a lazy listener: the reply arrives from another thread after the request returned.
    timer = threading.Timer(0.1, lambda: client.chat_postMessage(channel="U0MGR", text="Ana fell behind"))
    timer.start()
    try:
        posts = fake.wait_for(lambda f: f.posts("U0MGR"), timeout=5)
    finally:
        timer.join()
    assert posts[0]["text"] == "Ana fell behind"


def test_wait_for_times_out_with_the_transcript(client: WebClient, fake: FakeSlack) -> None:
    client.chat_postMessage(channel="C0SALES", text="Standup")
    started = time.monotonic()
    with pytest.raises(AssertionError) as caught:
        fake.wait_for(lambda f: f.posts("U0MGR"), timeout=0.2, what="a DM to the manager")
    assert time.monotonic() - started < 2
    message = str(caught.value)
    assert "a DM to the manager" in message
    assert "chat.postMessage → C0SALES: 'Standup'" in message


def test_stop_releases_a_delayed_answer() -> None:
    fake = FakeSlack().start()
    fake.delay("auth.test", 30)
    outcome: list[Any] = []

    def call() -> None:
        try:
            outcome.append(WebClient(token=fake.token, base_url=fake.api_url, timeout=10).auth_test())
        except Exception as exc:
            outcome.append(exc)

    worker = threading.Thread(target=call)
    worker.start()
    fake.wait_for(lambda f: f.calls("auth.test"))
    started = time.monotonic()
    fake.stop()
    worker.join(timeout=10)
    assert time.monotonic() - started < 5
    assert not worker.is_alive()


# ---------------------------------------------------------------- the signer


def test_sign_agrees_with_slack_sdk() -> None:
    body = b"token=x&team_id=T0001&command=%2Flog&text=25+calls"
    now = int(time.time())
    headers = sign(body, secret="s3cret", timestamp=now)
    verifier = SignatureVerifier("s3cret")
    assert verifier.is_valid(body, headers["X-Slack-Request-Timestamp"], headers["X-Slack-Signature"])
    assert verifier.generate_signature(timestamp=str(now), body=body) == headers["X-Slack-Signature"]
    assert not SignatureVerifier("other").is_valid(
        body, headers["X-Slack-Request-Timestamp"], headers["X-Slack-Signature"]
    )
    stale = sign(body, secret="s3cret", timestamp=now - 600)
    assert not verifier.is_valid(body, stale["X-Slack-Request-Timestamp"], stale["X-Slack-Signature"])


class _Recorder(BaseHTTPRequestHandler):
    """A stand-in bot that verifies like Bolt and echoes what it received."""

    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    secret = "bot-secret"

    def log_message(self, format: str, *args: Any) -> None:
        return

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        verifier = SignatureVerifier(self.secret)
        valid = verifier.is_valid_request(body, dict(self.headers.items()))
        answer = json.dumps(
            {
                "text": "echo",
                "blocks": [
                    {"type": "section", "text": {"type": "mrkdwn", "text": "section"}},
                    {"type": "context", "elements": [{"type": "mrkdwn", "text": "context"}]},
                ],
                "received": body.decode(),
                "headers": dict(self.headers.items()),
            }
        ).encode()
        self.send_response(200 if valid else 401)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)


class _RecorderServer(ThreadingHTTPServer):
    request_queue_size = 128
    daemon_threads = True


@pytest.fixture(scope="module")
def bot_url() -> Iterator[str]:
    server = _RecorderServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=server.serve_forever, args=(0.1,), daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture
def sender(bot_url: str, fake: FakeSlack) -> SlackSender:
    return SlackSender(bot_url, secret=_Recorder.secret, fake=fake)


def _received(reply: Reply) -> dict[str, Any]:
    from urllib.parse import parse_qs

    return {k: v[0] for k, v in parse_qs(reply.json()["received"], keep_blank_values=True).items()}


def test_command_is_signed_and_complete(sender: SlackSender, fake: FakeSlack) -> None:
    fake.add_user("U0REP1", name="ana")
    reply = sender.command("/log", "25 calls, 3 demos -- good day", user_id="U0REP1")
    assert reply.status == 200
    fields = _received(reply)
    assert fields["command"] == "/log"
    assert fields["text"] == "25 calls, 3 demos -- good day"
    assert fields["user_name"] == "ana"
    assert fields["team_id"] == "T0001"
    assert fields["response_url"] == reply.response_url
    assert reply.response_url and reply.response_url.startswith(fake.url + "/response/")
    assert set(fields) == {
        "token",
        "team_id",
        "team_domain",
        "channel_id",
        "channel_name",
        "user_id",
        "user_name",
        "command",
        "text",
        "api_app_id",
        "is_enterprise_install",
        "response_url",
        "trigger_id",
    }
    headers = reply.json()["headers"]
    assert headers["Content-Type"] == "application/x-www-form-urlencoded"
    assert reply.message_text == "echo\nsection\ncontext"
    assert reply.elapsed > 0


def test_unsigned_forged_and_stale_are_rejected(sender: SlackSender) -> None:
    assert sender.command("/log", "help", user_id="U1", sign=False).status == 401
    assert sender.command("/log", "help", user_id="U1", secret="wrong").status == 401
    assert sender.command("/log", "help", user_id="U1", timestamp=int(time.time()) - 600).status == 401
    assert "X-Slack-Signature" not in sender.command("/log", "", user_id="U1", sign=False).json()["headers"]


def test_clock_sets_the_timestamp(bot_url: str) -> None:
    late = SlackSender(bot_url, secret=_Recorder.secret, clock=lambda: time.time() - 3600)
    assert late.command("/log", "help", user_id="U1").status == 401


def test_action_and_event(sender: SlackSender) -> None:
    reply = sender.button("log_activity", user_id="U0REP1", value="open")
    assert reply.status == 200
    payload = json.loads(_received(reply)["payload"])
    assert payload["type"] == "block_actions"
    assert payload["actions"][0]["action_id"] == "log_activity"
    assert payload["container"]["channel_id"] == "D0REP1"
    assert reply.response_url == payload["response_url"]

    submitted = sender.submit_view(
        "log_modal", {"calls": {"amount": {"type": "plain_text_input", "value": "25"}}}, user_id="U0REP1"
    )
    view = json.loads(_received(submitted)["payload"])["view"]
    assert view["state"]["values"]["calls"]["amount"]["value"] == "25"

    body = sender.envelope({"type": "app_home_opened", "user": "U0REP1", "tab": "home"}, event_id="Ev1")
    event_reply = sender.event(body, retry_num=1, retry_reason="http_timeout")
    assert event_reply.status == 200
    echoed = event_reply.json()
    assert json.loads(echoed["received"])["event_id"] == "Ev1"
    assert echoed["headers"]["X-Slack-Retry-Num"] == "1"
    assert echoed["headers"]["X-Slack-Retry-Reason"] == "http_timeout"
    assert echoed["headers"]["Content-Type"] == "application/json"


def test_raw_and_concurrent_use(sender: SlackSender) -> None:
    assert sender.raw(b"garbage", {"Content-Type": "text/plain"}).status == 401
    assert sender.raw(b"garbage", {"Content-Type": "text/plain"}, sign=True).status == 200
    results: list[int] = []
    lock = threading.Lock()

    def fire() -> None:
        for _ in range(10):
            status = sender.command("/log", "1 calls", user_id="U1").status
            with lock:
                results.append(status)

    threads = [threading.Thread(target=fire) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == [200] * 80


def test_reply_json_fails_readably() -> None:
    reply = Reply(status=500, headers={"Content-Type": "text/html"}, body=b"<h1>boom</h1>", elapsed=0.01)
    with pytest.raises(AssertionError, match="boom"):
        reply.json()
    assert reply.message_text == "<h1>boom</h1>"
    plain = Reply(status=200, headers={"Content-Type": "text/plain"}, body=b"Usage: /log 25 calls", elapsed=0)
    assert plain.message_text == "Usage: /log 25 calls"


def test_health_like_get_with_urllib(fake: FakeSlack) -> None:
    # Unknown paths answer 404 rather than hang, so a misconfigured URL fails fast.
    with pytest.raises(urllib.error.HTTPError) as caught:
        urllib.request.urlopen(fake.url + "/nope", timeout=5)
    assert caught.value.code == 404
