"""Secrets never reach the logs, even at DEBUG: not the bot token, not the signing secret."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import SIGNING_SECRET
from tests.support.fakeslack import FakeSlack
from tests.support.signing import SlackSender
from tests.support.webproc import WebProcess

pytestmark = pytest.mark.e2e


def test_debug_logs_carry_no_secrets(fake_slack: FakeSlack, database_url: str) -> None:
    fake_slack.add_user("U0SECRETBOSS", name="sboss")
    process = WebProcess(
        fake=fake_slack, secret=SIGNING_SECRET, database_url=database_url, env={"LOG_LEVEL": "DEBUG"}
    )
    process.start()
    try:
        sender = SlackSender(process.url, secret=SIGNING_SECRET, fake=fake_slack)
        sender.command(
            "/team", "create Secret <#C0SEC|sec>", user_id="U0SECRETBOSS"
        )  # users.info after the ack
        sender.command("/log", "help", user_id="U0SECRETBOSS")
        fake_slack.wait_for(lambda f: f.calls("users.info"), what="a Web API call")
    finally:
        process.stop()
    log = process.log_text()
    assert "DEBUG" in log  # the test looked at debug output
    assert fake_slack.token not in log
    assert SIGNING_SECRET not in log
