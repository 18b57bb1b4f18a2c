"""What reaches the listeners, as the running web process decides it: a request is authenticated by its
signature before anything reads its body."""

from __future__ import annotations

import time

import pytest

from tests.support.fakeslack import FakeSlack
from tests.support.signing import SlackSender
from tests.support.webproc import WebProcess

pytestmark = pytest.mark.e2e

FORM = "application/x-www-form-urlencoded"
JSON = "application/json"
DEEP = b"[" * 100_000 + b"]" * 100_000  # well under the 1 MiB cap, far past any parser's recursion limit

# Bodies no Slack request has: each must be refused before a parser sees it when unsigned, and with
# 400 (not a 500 and a traceback) when signed.
MALFORMED = {
    "not_utf8": (b"payload=\xff\xfe\xfa", FORM),
    "bad_payload": (b"payload={bad", FORM),
    "null_payload": (b"payload=null", FORM),
    "list_payload": (b"payload=%5B1%5D", FORM),
    "json_list": (b"[1]", JSON),
    "json_null": (b"null", JSON),
    "json_broken": (b"{bad", JSON),
    "deep_json": (DEEP, JSON),
    "deep_payload": (b"payload=" + DEEP, FORM),
}


class LogWindow:
    """What the web process logs from now on."""

    def __init__(self, process: WebProcess) -> None:
        self._process = process
        self._start = len(process.log_text())

    def text(self) -> str:
        return self._process.log_text()[self._start :]

    def lines(self, containing: str) -> list[str]:
        return [line for line in self.text().splitlines() if containing in line]


def _assert_one_quiet_line(window: LogWindow, marker: str) -> None:
    logged = window.text()
    assert "Traceback" not in logged, logged
    assert len(window.lines(marker)) == 1, logged


@pytest.mark.parametrize("case", sorted(MALFORMED))
def test_an_unsigned_malformed_body_is_refused_before_it_is_parsed(
    slack: SlackSender, web_process: WebProcess, case: str
) -> None:
    body, content_type = MALFORMED[case]
    window = LogWindow(web_process)

    reply = slack.raw(body, {"Content-Type": content_type})

    assert reply.status == 401, reply.text
    _assert_one_quiet_line(window, "refused a request")


@pytest.mark.parametrize("case", sorted(MALFORMED))
def test_a_signed_malformed_body_is_a_bad_request(
    slack: SlackSender, web_process: WebProcess, case: str
) -> None:
    body, content_type = MALFORMED[case]
    window = LogWindow(web_process)

    reply = slack.raw(body, {"Content-Type": content_type}, sign=True)

    assert reply.status == 400, reply.text
    _assert_one_quiet_line(window, "refused a request")


@pytest.mark.parametrize(
    "headers",
    [
        {"X-Slack-Request-Timestamp": "abc"},
        {"X-Slack-Request-Timestamp": "abc", "X-Slack-Signature": "v0=00"},
        {"X-Slack-Request-Timestamp": "9" * 5000, "X-Slack-Signature": "v0=00"},
        {"X-Slack-Signature": "v0=00"},
        {"X-Slack-Request-Timestamp": str(int(time.time())), "X-Slack-Signature": "nonsense"},
    ],
    ids=["abc", "abc_signed", "huge", "no_timestamp", "bad_signature"],
)
def test_a_request_with_broken_signature_headers_is_refused(
    slack: SlackSender, fake_slack: FakeSlack, web_process: WebProcess, headers: dict[str, str]
) -> None:
    for body in (b"ssl_check=1&token=x", b"command=%2Flog&text=help&user_id=U0EDGE&team_id=T0001"):
        window = LogWindow(web_process)

        reply = slack.raw(body, {"Content-Type": FORM, **headers})

        assert reply.status == 401, reply.text
        _assert_one_quiet_line(window, "refused a request")
    assert fake_slack.responses() == []


def test_a_stale_request_is_refused_with_one_line(slack: SlackSender, web_process: WebProcess) -> None:
    window = LogWindow(web_process)

    reply = slack.command("/log", "help", user_id="U0EDGE", timestamp=int(time.time()) - 600)

    assert reply.status == 401, reply.text
    _assert_one_quiet_line(window, "refused a request")


def test_a_signed_request_still_gets_through(slack: SlackSender) -> None:
    reply = slack.command("/log", "help", user_id="U0EDGE")
    assert reply.status == 200 and "/log" in reply.message_text, reply.text
