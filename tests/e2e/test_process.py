"""The web process as an operator sees it: it never waits on Slack's Web API to answer a user, and it
stops cleanly on SIGTERM."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.store.models import RepProfile
from tests.e2e.conftest import SIGNING_SECRET
from tests.e2e.test_commands import eventually
from tests.support.fakeslack import FakeSlack
from tests.support.signing import SlackSender
from tests.support.webproc import WebProcess

pytestmark = pytest.mark.e2e


def test_a_slow_web_api_never_delays_the_reply(slack: SlackSender, fake_slack: FakeSlack, engine) -> None:
    fake_slack.add_user("U0SLOWBOSS", name="slowboss")
    fake_slack.add_user("U0SLOWREP", name="slowrep", tz="Asia/Tokyo")
    slack.create_team("Slow <#C0SLOW|slow> tz=UTC", user_id="U0SLOWBOSS")
    fake_slack.delay("users.info", 2.0)

    reply = slack.command("/team", "add <@U0SLOWREP|slowrep>", user_id="U0SLOWBOSS")

    assert "Added <@U0SLOWREP>" in reply.message_text
    # The reply is back before the profile lookup it triggered has been answered by Slack.
    about_rep = [c for c in fake_slack.calls("users.info") if c.params.get("user") == "U0SLOWREP"]
    assert not any(call.status for call in about_rep), fake_slack.transcript()
    fake_slack.wait_for(
        lambda f: any(c.status == 200 for c in f.calls("users.info") if c.params.get("user") == "U0SLOWREP"),
        timeout=10,
    )
    eventually(lambda: _tz_of(engine, "U0SLOWREP") == "Asia/Tokyo")  # and it was stored


def _tz_of(engine, user: str) -> str | None:
    with Session(engine) as session:
        return session.scalar(select(RepProfile.tz).where(RepProfile.user_id == user))


def test_sigterm_stops_the_server_gracefully(fake_slack: FakeSlack, database_url: str) -> None:
    process = WebProcess(fake=fake_slack, secret=SIGNING_SECRET, database_url=database_url)
    process.start()
    try:
        reply = SlackSender(process.url, secret=SIGNING_SECRET, fake=fake_slack).command(
            "/log", "help", user_id="U0ANYONE"
        )
        assert reply.status == 200
    finally:
        code = process.stop()
    assert code == 0, process.log_text()
    assert "Shutting down: Master" in process.log_text()


def test_an_oversized_body_is_refused_unread(slack: SlackSender, fake_slack: FakeSlack) -> None:
    body = b"command=%2Flog&text=" + b"9" * (2 * 1024 * 1024)
    reply = slack.raw(body, {"Content-Type": "application/x-www-form-urlencoded"}, sign=True)
    assert reply.status == 413
    assert [c for c in fake_slack.calls() if c.method != "auth.test"] == []
