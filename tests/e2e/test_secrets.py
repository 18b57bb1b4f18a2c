"""Secrets never reach the logs, even at DEBUG: not the bot token, not the signing secret — and in OAuth
mode neither the client secret nor the bot tokens Slack issues to installing workspaces."""

from __future__ import annotations

import base64

import pytest

from tests.e2e.conftest import SIGNING_SECRET
from tests.e2e.test_oauth import CLIENT_ID, CLIENT_SECRET, OAUTH_ENV, install
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
        sender.create_team("Secret <#C0SEC|sec>", user_id="U0SECRETBOSS")  # users.info after the ack
        sender.command("/log", "help", user_id="U0SECRETBOSS")
        fake_slack.wait_for(lambda f: f.calls("users.info"), what="a Web API call")
    finally:
        process.stop()
    log = process.log_text()
    assert "DEBUG" in log  # the test looked at debug output
    assert fake_slack.token not in log
    assert SIGNING_SECRET not in log


def test_debug_logs_of_an_oauth_install_carry_no_secrets(fake_slack: FakeSlack, database_url: str) -> None:
    process = WebProcess(
        fake=fake_slack,
        secret=SIGNING_SECRET,
        database_url=database_url,
        env={**OAUTH_ENV, "LOG_LEVEL": "DEBUG"},
    )
    process.start()
    try:
        token = install(process.url, fake_slack, team_id="T0SECRET", team="Secretive")
        fake_slack.add_user("U0OAUTHBOSS", name="oboss", team_id="T0SECRET")
        sender = SlackSender(process.url, secret=SIGNING_SECRET, fake=fake_slack, team_id="T0SECRET")
        sender.create_team("Hush <#C0HUSH|hush>", user_id="U0OAUTHBOSS")
        fake_slack.wait_for(lambda f: f.calls("users.info"), what="a Web API call with the new token")
    finally:
        process.stop()
    log = process.log_text()
    assert "Handling an OAuth callback success" in log  # the test looked at the install's debug output
    basic = base64.b64encode(f"{CLIENT_ID}:{CLIENT_SECRET}".encode()).decode()
    for secret in (CLIENT_SECRET, basic, token, SIGNING_SECRET):
        assert secret not in log
