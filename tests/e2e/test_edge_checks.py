"""What reaches the listeners, as the running web process decides it: a request is authenticated by its
signature before anything reads its body, and an Events API delivery counts as handled only once its
listener has succeeded, so Slack's retry of a failed first try runs again."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import timedelta

import pytest
from sqlalchemy import Engine, select, text
from sqlalchemy.orm import Session

from bot.store.models import ProcessedEvent
from bot.store.oauth_tables import BOTS, oauth_metadata
from tests.e2e.conftest import SIGNING_SECRET, START
from tests.support.fakeslack import FakeSlack
from tests.support.signing import SlackSender
from tests.support.timewarp import MovableClock
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


# ------------------------------------------------------------------ Events API retries

OAUTH_ENV = {
    "SLACK_BOT_TOKEN": None,
    "SLACK_CLIENT_ID": "1111111111.2222222222",
    "SLACK_CLIENT_SECRET": "oauth-client-secret-for-tests",
    "SLACK_REDIRECT_URI": "https://sales.example.com/slack/oauth_redirect",
    "WEB_CONCURRENCY": "1",
}


@pytest.fixture(scope="module")
def oauth_web(fake_slack: FakeSlack, database_url: str, _session_clock: MovableClock) -> Iterator[WebProcess]:
    process = WebProcess(
        fake=fake_slack, secret=SIGNING_SECRET, database_url=database_url, env=OAUTH_ENV, clock=_session_clock
    )
    process.start()
    try:
        yield process
    finally:
        process.stop()


def _bot_tokens(engine: Engine, team_id: str) -> list[str]:
    table = oauth_metadata.tables[BOTS]
    with engine.connect() as conn:
        return list(conn.scalars(select(table.c.bot_token).where(table.c.team_id == team_id)))


class RefusedDeletes:
    """A database that refuses, for a while, to delete any stored bot token: a listener that fails."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._postgres = engine.dialect.name == "postgresql"

    def __enter__(self) -> RefusedDeletes:
        with self._engine.begin() as conn:
            if self._postgres:
                conn.execute(
                    text(
                        "CREATE FUNCTION refuse_delete() RETURNS trigger LANGUAGE plpgsql AS "
                        "$$ BEGIN RAISE EXCEPTION 'deletes are refused'; END $$"
                    )
                )
                conn.execute(
                    text(
                        f"CREATE TRIGGER refuse_delete BEFORE DELETE ON {BOTS} "
                        "FOR EACH ROW EXECUTE FUNCTION refuse_delete()"
                    )
                )
            else:
                conn.execute(
                    text(
                        f"CREATE TRIGGER refuse_delete BEFORE DELETE ON {BOTS} "
                        "BEGIN SELECT RAISE(ABORT, 'deletes are refused'); END"
                    )
                )
        return self

    def __exit__(self, *exc: object) -> None:
        with self._engine.begin() as conn:
            if self._postgres:
                conn.execute(text(f"DROP TRIGGER refuse_delete ON {BOTS}"))
                conn.execute(text("DROP FUNCTION refuse_delete()"))
            else:
                conn.execute(text("DROP TRIGGER refuse_delete"))


def test_a_retry_of_a_failed_uninstall_forgets_the_workspace(
    oauth_web: WebProcess, fake_slack: FakeSlack, engine: Engine
) -> None:
    from tests.e2e.test_oauth import install  # the whole "Add to Slack" flow, as an admin clicks it

    install(oauth_web.url, fake_slack, team_id="T0EPSILON", team="Epsilon")
    epsilon = SlackSender(oauth_web.url, secret=SIGNING_SECRET, fake=fake_slack, team_id="T0EPSILON")
    assert _bot_tokens(engine, "T0EPSILON") != []
    body = epsilon.envelope(
        {"type": "app_uninstalled", "event_ts": "1764000000.000300"}, event_id="Ev0RETRY1"
    )

    with RefusedDeletes(engine):
        first = epsilon.event(body)
    assert first.status == 500, first.text  # Slack will try again
    assert _bot_tokens(engine, "T0EPSILON") != []

    retry = epsilon.event(body, retry_num=1, retry_reason="http_error")

    assert retry.status == 200, retry.text
    assert _bot_tokens(engine, "T0EPSILON") == []  # the retry ran: no token of a removed app is kept
    window = LogWindow(oauth_web)
    assert epsilon.event(body, retry_num=2, retry_reason="http_timeout").status == 200
    assert len(window.lines("already handled")) == 1, window.text()  # a success is handled once


def _home_opened(slack: SlackSender, user: str, event_id: str):
    event = {"type": "app_home_opened", "user": user, "channel": "D0EDGE", "tab": "home", "event_ts": "1.2"}
    return slack.event(slack.envelope(event, event_id=event_id))


def _recorded(engine: Engine) -> set[str]:
    with Session(engine) as session:
        return set(session.scalars(select(ProcessedEvent.event_id)))


def test_handled_event_ids_are_kept_for_a_day(
    slack: SlackSender, fake_slack: FakeSlack, engine: Engine, web_clock: MovableClock
) -> None:
    fake_slack.add_user("U0EDGE", name="edge")
    with Session(engine) as session, session.begin():
        for event_id, age in (("Ev0OLD", timedelta(days=1, minutes=1)), ("Ev0RECENT", timedelta(hours=23))):
            session.add(ProcessedEvent(event_id=event_id, workspace_id="T0001", received_at=START - age))

    assert _home_opened(slack, "U0EDGE", "Ev0NEW").status == 200

    assert _recorded(engine) == {"Ev0RECENT", "Ev0NEW"}
    fake_slack.wait_for(lambda f: f.calls("views.publish"), what="the Home tab")
