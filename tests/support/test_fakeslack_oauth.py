"""The fake's side of an OAuth install: a code is exchanged once, only by the client it was approved
for, and the bot token it yields is then that workspace's, as Slack's would be."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from tests.support.fakeslack import FakeSlack


@pytest.fixture
def fake() -> Iterator[FakeSlack]:
    with FakeSlack() as fake:
        yield fake


def test_a_code_buys_its_workspaces_bot_token_once(fake: FakeSlack) -> None:
    client = WebClient(base_url=fake.api_url, timeout=5)
    token = fake.add_install("c0de", team_id="T0NEW", team="New", client_id="1.2", client_secret="s")

    granted = client.oauth_v2_access(client_id="1.2", client_secret="s", code="c0de")

    assert granted["access_token"] == token
    assert granted["team"] == {"id": "T0NEW", "name": "New"}
    assert client.auth_test(token=token)["team_id"] == "T0NEW"  # the new token is that workspace's
    with pytest.raises(SlackApiError, match="invalid_code"):
        client.oauth_v2_access(client_id="1.2", client_secret="s", code="c0de")


@pytest.mark.parametrize(
    ("client_id", "client_secret", "error"),
    [("9.9", "s", "invalid_client_id"), ("1.2", "wrong", "bad_client_secret")],
)
def test_only_the_approved_client_may_exchange_a_code(
    fake: FakeSlack, client_id: str, client_secret: str, error: str
) -> None:
    fake.add_install("c0de", team_id="T0NEW", team="New", client_id="1.2", client_secret="s")
    with pytest.raises(SlackApiError, match=error):
        WebClient(base_url=fake.api_url, timeout=5).oauth_v2_access(
            client_id=client_id, client_secret=client_secret, code="c0de"
        )


def test_a_token_never_issued_is_refused(fake: FakeSlack) -> None:
    with pytest.raises(SlackApiError, match="invalid_auth"):
        WebClient(token="xoxb-T0NEW-made-up", base_url=fake.api_url, timeout=5).auth_test()
