"""The web process's retry policy for its Web API calls, against the fake Slack: how many calls each
kind of failure costs, and that none is waited on for longer than a follow-up can afford."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from slack_sdk.errors import SlackApiError

from bot.slack.gateway import FOLLOW_UP_TIMEOUT, RATE_LIMIT_PATIENCE, make_client
from tests.support.fakeslack import FakeSlack


@pytest.fixture(scope="module")
def module_fake() -> Iterator[FakeSlack]:
    with FakeSlack() as fake:
        yield fake


@pytest.fixture
def fake(module_fake: FakeSlack) -> FakeSlack:
    module_fake.reset()
    module_fake.add_user("U0WHO", name="who")
    return module_fake


@pytest.mark.parametrize(
    ("status", "retry_after", "calls"),
    [
        (429, 1, 3),  # waited out twice (1 s + 1 s fits the patience), then given up
        (429, 2, 2),  # 2 s fits once; a second 2 s would not
        (429, 30, 1),  # not worth waiting for at all
        (500, None, 2),
        (502, None, 2),
    ],
)
def test_follow_up_calls_are_retried_a_bounded_number_of_times(
    fake: FakeSlack, status: int, retry_after: int | None, calls: int
) -> None:
    if retry_after is None:
        fake.fail("users.info", status=status, times=None)
    else:
        fake.fail("users.info", status=status, retry_after=retry_after, times=None)
    client = make_client(token=fake.token, base_url=fake.api_url)
    started = time.monotonic()
    with pytest.raises(SlackApiError) as caught:
        client.users_info(user="U0WHO")
    spent = time.monotonic() - started
    assert caught.value.response.status_code == status
    assert [c.status for c in fake.calls("users.info")] == [status] * calls
    assert spent < RATE_LIMIT_PATIENCE * 1.1 + 2  # the waits asked for, never a 30 s one


def test_a_passing_failure_is_retried_into_success(fake: FakeSlack) -> None:
    fake.fail("users.info", status=500, times=1)
    fake.fail("users.info", status=429, retry_after=1, times=1)
    client = make_client(token=fake.token, base_url=fake.api_url)
    assert client.users_info(user="U0WHO")["user"]["name"] == "who"
    assert [c.status for c in fake.calls("users.info")] == [500, 429, 200]


def test_a_late_answer_is_not_asked_again(fake: FakeSlack) -> None:
    fake.delay("users.info", 2, times=1)
    client = make_client(token=fake.token, base_url=fake.api_url, timeout=1)
    with pytest.raises(TimeoutError):
        client.users_info(user="U0WHO")
    assert len(fake.calls("users.info")) == 1


def test_timeouts_follow_ups_are_short_and_the_clocks_unchanged(fake: FakeSlack) -> None:
    assert make_client(token=fake.token, base_url=fake.api_url).timeout == FOLLOW_UP_TIMEOUT
    clock = make_client(token=fake.token, base_url=fake.api_url, retries=False)
    assert clock.timeout == 10
    fake.fail("users.info", status=429, retry_after=1, times=None)
    with pytest.raises(SlackApiError):
        clock.users_info(user="U0WHO")
    assert len(fake.calls("users.info")) == 1  # the clock's outbox does its own retries
