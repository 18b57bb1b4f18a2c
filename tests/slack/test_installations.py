"""OAuth mode's pieces that have no HTTP of their own: each workspace's gateway for the clock, Slack's
consent URL, and what a workspace without an installation is told."""

from __future__ import annotations

import pytest
from slack_sdk.oauth.installation_store import Installation
from sqlalchemy import Engine

from bot.config import OAUTH_REDIRECT_PATH
from bot.slack.installations import (
    REDIRECT_PATH,
    NotInstalled,
    WorkspaceGateways,
    authorization_url,
    installation_store,
    not_installed_message,
)

API_URL = "http://127.0.0.1:9/api/"


class Ticker:
    """A monotonic clock the test moves."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def install(store, team_id: str, token: str) -> None:
    store.save(
        Installation(
            app_id="A0SALESBOT",
            enterprise_id=None,
            team_id=team_id,
            bot_token=token,
            bot_id="BBOT",
            bot_user_id="UBOT",
            user_id="U0INSTALLER",
        )
    )


def test_each_workspace_gets_a_gateway_with_its_own_token(engine: Engine) -> None:
    store = installation_store(engine, client_id="1.2")
    install(store, "T0EAST", "xoxb-east")
    install(store, "T0WEST", "xoxb-west")
    gateway_for = WorkspaceGateways(store, api_url=API_URL)

    east, west = gateway_for("T0EAST"), gateway_for("T0WEST")

    assert (east.client.token, west.client.token) == ("xoxb-east", "xoxb-west")
    assert east.client.base_url == API_URL
    assert east.client.retry_handlers == []  # the clock's outbox counts its own retries


def test_a_workspace_without_an_installation_is_a_lookup_error_naming_it(engine: Engine) -> None:
    gateway_for = WorkspaceGateways(installation_store(engine, client_id="1.2"), api_url=API_URL)
    with pytest.raises(NotInstalled, match="T0NOWHERE") as caught:
        gateway_for("T0NOWHERE")
    assert isinstance(caught.value, LookupError)  # what the notifier turns into a refusal


def test_answers_are_kept_briefly_then_looked_up_again(engine: Engine) -> None:
    store = installation_store(engine, client_id="1.2")
    ticker = Ticker()
    gateway_for = WorkspaceGateways(store, api_url=API_URL, ttl=60, now=ticker)
    install(store, "T0KEPT", "xoxb-kept")
    first = gateway_for("T0KEPT")

    store.delete_all(enterprise_id=None, team_id="T0KEPT")  # uninstalled
    ticker.now += 59
    assert gateway_for("T0KEPT") is first  # a tick's many messages cost one lookup
    ticker.now += 2
    with pytest.raises(NotInstalled):
        gateway_for("T0KEPT")

    install(store, "T0KEPT", "xoxb-again")  # reinstalled: shows once the "not installed" answer expires
    with pytest.raises(NotInstalled):
        gateway_for("T0KEPT")
    ticker.now += 61
    assert gateway_for("T0KEPT").client.token == "xoxb-again"


@pytest.mark.parametrize(
    ("api_url", "expected"),
    [
        ("https://slack.com/api/", "https://slack.com/oauth/v2/authorize"),
        ("https://slack-gov.com/api/", "https://slack-gov.com/oauth/v2/authorize"),
        ("http://127.0.0.1:8080/api/", "http://127.0.0.1:8080/oauth/v2/authorize"),
    ],
)
def test_slacks_consent_page_sits_next_to_its_web_api(api_url: str, expected: str) -> None:
    assert authorization_url(api_url) == expected


def test_a_workspace_without_an_installation_is_told_where_to_add_the_app() -> None:
    with_link = not_installed_message("https://sales.example.com/bot/slack/oauth_redirect")
    assert "<https://sales.example.com/bot/slack/install|Add to Slack>" in with_link
    assert "nothing was recorded" in with_link
    assert "admin" in not_installed_message(None) and "<" not in not_installed_message(None)


def test_config_checks_the_redirect_path_the_web_process_serves() -> None:
    assert OAUTH_REDIRECT_PATH == REDIRECT_PATH
