"""Slack has a bad day while people use the bot.

Every Web API call the web process makes after an ack — users.info after ``/team create`` and
``/team add``, views.open for a modal, views.publish for App Home, the CSV upload of ``/team export``
— is answered with 429 and a short or a long Retry-After, with 500, or too late. Whatever Slack does:
each request is still answered inside Slack's 3 seconds with its usual reply, ``/health`` stays 200,
each follow-up gives up after a bounded number of calls (exactly what the retry policy allows, and
never one more later), and once Slack recovers the next requests work.

The web process is a private one (one worker): follow-ups still retrying must not leak into other
tests, and its log tells when each failed follow-up has given up.
"""

from __future__ import annotations

import time
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from bot.slack.gateway import FOLLOW_UP_TIMEOUT
from bot.store.models import RepProfile
from tests.e2e.conftest import SIGNING_SECRET
from tests.support.fakeslack import Call, FakeSlack
from tests.support.signing import Reply, SlackSender
from tests.support.webproc import WebProcess

pytestmark = [pytest.mark.e2e, pytest.mark.durations]

SLACK_WINDOW = 3.0
FOLLOW_UPS = (
    "users.info",
    "views.open",
    "views.publish",
    "conversations.open",
    "files.getUploadURLExternal",
    "files.completeUploadExternal",
)


@dataclass(frozen=True)
class Storm:
    name: str
    tag: str  # in the IDs of this storm's people: the web process remembers whom it has looked up
    start: Callable[[FakeSlack, str], None]
    calls: int  # how many calls one follow-up makes before it gives up: the retry policy


STORMS = [
    # A short Retry-After is waited out, twice; then the follow-up gives up.
    Storm("429 Retry-After 1", "RA1", lambda fake, m: fake.fail(m, status=429, retry_after=1, times=None), 3),
    # A long one is not worth a follow-up thread's wait (and a modal's trigger_id dies after 3 s).
    Storm(
        "429 Retry-After 30", "RA30", lambda fake, m: fake.fail(m, status=429, retry_after=30, times=None), 1
    ),
    # A 5xx is tried once more after a short backoff.
    Storm("500", "ISE", lambda fake, m: fake.fail(m, status=500, times=None), 2),
    # A call that isn't answered in time may still have been done: not repeated.
    Storm("timeout", "SLOW", lambda fake, m: fake.delay(m, FOLLOW_UP_TIMEOUT + 2, times=None), 1),
]


@pytest.fixture(scope="module")
def web(fake_slack: FakeSlack, database_url: str) -> Iterator[WebProcess]:
    process = WebProcess(
        fake=fake_slack, secret=SIGNING_SECRET, database_url=database_url, env={"WEB_CONCURRENCY": "1"}
    )
    process.start()
    try:
        yield process
    finally:
        process.stop()


def eventually(what: str, check: Callable[[], object], timeout: float) -> object:
    """Poll (bounded) for something the bot does after its ack."""
    deadline = time.monotonic() + timeout
    while not (result := check()):
        assert time.monotonic() < deadline, f"timed out after {timeout:g}s waiting for {what}"
        time.sleep(0.05)
    return result


def acked(reply: Reply, says: str | None = None) -> Reply:
    """The ack came in time, as a 200 with the reply the user would get on a good day."""
    assert reply.status == 200, (reply.status, reply.text[:500])
    assert reply.elapsed < SLACK_WINDOW, reply.elapsed
    if says is not None:
        assert says in reply.message_text, reply.message_text
    return reply


def health(web: WebProcess) -> int:
    with urllib.request.urlopen(web.url + "/health", timeout=SLACK_WINDOW) as answer:
        return answer.status


def has_tz(engine: Engine, user: str) -> bool:
    with Session(engine) as session:
        tz = session.scalar(select(RepProfile.tz).where(RepProfile.user_id == user))
    return tz is not None


def of(calls: list[Call], method: str, **params: str) -> list[Call]:
    return [c for c in calls if c.method == method and all(c.params.get(k) == v for k, v in params.items())]


@pytest.mark.parametrize("storm", STORMS, ids=[s.name for s in STORMS])
def test_follow_ups_survive_a_slack_storm(
    storm: Storm, web: WebProcess, fake_slack: FakeSlack, engine: Engine
) -> None:
    tag = storm.tag
    boss, rep1, rep2, boss2 = (f"U0{tag}{who}" for who in ("BOSS", "REPA", "REPB", "NEWBOSS"))
    for user in (boss, rep1, rep2, boss2):
        fake_slack.add_user(user, name=user.lower(), tz="America/Chicago")
    slack = SlackSender(web.url, secret=SIGNING_SECRET, fake=fake_slack, timeout=10)
    # On a good day: a team with one rep whose profiles Slack has already told us.
    assert "Created" in slack.create_team(f"Storm {tag} <#C0{tag}|storm> tz=UTC", user_id=boss)
    eventually("the manager's profile", lambda: has_tz(engine, boss), 10)
    acked(slack.command("/team", f"add <@{rep1}|a>", user_id=boss), "Added")
    eventually("the rep's profile", lambda: has_tz(engine, rep1), 10)
    before = len(fake_slack.calls())
    log_marks = web.log_text().count("follow-up work after an ack failed")

    for method in FOLLOW_UPS:
        storm.start(fake_slack, method)
    started = time.monotonic()
    # users.info for a /team create that must wait for the caller's timezone (answered by response_url) …
    create = acked(slack.command("/team", f"create Second {tag} <#C1{tag}|second>", user_id=boss2))
    # … and for a rep just added; views.publish after a /log; views.open for a button; the CSV upload.
    acked(slack.command("/team", f"add <@{rep2}|b>", user_id=boss), f"Added <@{rep2}>")
    acked(slack.command("/log", "5 calls", user_id=rep1), "Logged 5 calls")
    acked(slack.button("log_activity", user_id=rep1, value="{}"))
    export = acked(slack.command("/team", "export", user_id=boss), "Exporting 1 entry")
    assert health(web) == 200

    # Every follow-up gives up, and says so: to the user where they are waiting for an answer …
    limit = 4 + 2 * storm.calls * FOLLOW_UP_TIMEOUT  # generous: a bound, not an expectation
    no_tz = eventually("the /team create answer", lambda: fake_slack.responses(create.response_token), limit)
    assert "couldn't read your Slack timezone" in no_tz[0].text
    failed = eventually("the export's answer", lambda: fake_slack.responses(export.response_token), limit)
    assert "couldn't upload the CSV" in failed[0].text and "nothing was lost" in failed[0].text
    # … and in the log, for the Home tab and the modal, and the profile lookup.
    eventually(
        "the failed views.publish and views.open to be logged",
        lambda: web.log_text().count("follow-up work after an ack failed") - log_marks >= 2,
        limit,
    )
    eventually(
        "the failed users.info to be logged", lambda: f"users.info failed for {rep2}" in web.log_text(), limit
    )
    assert health(web) == 200

    def storm_calls() -> dict[str, int]:
        calls = fake_slack.calls()[before:]
        return {
            "users.info after /team create": len(of(calls, "users.info", user=boss2)),
            "users.info after /team add": len(of(calls, "users.info", user=rep2)),
            "views.publish after /log": len(of(calls, "views.publish", user_id=rep1)),
            "views.open for the button": len(of(calls, "views.open")),
            "conversations.open for the export": len(of(calls, "conversations.open", users=boss)),
            "the rest of the upload": len(of(calls, "files.getUploadURLExternal"))
            + len(of(calls, "files.completeUploadExternal")),
            "users.info for anyone else": len(
                [c for c in of(calls, "users.info") if c.params.get("user") not in (boss2, rep2)]
            ),
        }

    expected = {
        "users.info after /team create": storm.calls,
        "users.info after /team add": storm.calls,
        "views.publish after /log": storm.calls,
        "views.open for the button": storm.calls,
        "conversations.open for the export": storm.calls,
        "the rest of the upload": 0,
        "users.info for anyone else": 0,
    }
    assert storm_calls() == expected, fake_slack.transcript()
    given_up = time.monotonic() - started

    # Slack recovers: the next requests work, follow-ups included.
    fake_slack.calm()
    acked(slack.command("/log", "2 calls", user_id=rep2), "Logged 2 calls")
    fake_slack.wait_for(lambda f: any(c.ok for c in of(f.calls(), "views.publish", user_id=rep2)), timeout=10)
    acked(slack.button("log_activity", user_id=rep2, value="{}"))
    fake_slack.wait_for(lambda f: any(c.ok for c in f.calls("views.open")), timeout=10)
    export = acked(slack.command("/team", "export", user_id=boss), "Exporting 2 entries")
    fake_slack.wait_for(lambda f: any(c.ok for c in f.calls("files.completeUploadExternal")), timeout=10)
    assert fake_slack.responses(export.response_token) == []  # no apology: the CSV arrived
    assert health(web) == 200
    # Nothing from the storm was tried again since it gave up; the recovery made one call of each.
    assert storm_calls() == {
        **expected,
        "views.open for the button": storm.calls + 1,
        "conversations.open for the export": storm.calls + 1,
        "the rest of the upload": 2,
    }, fake_slack.transcript()
    assert given_up < limit
