"""End-to-end fixtures: the real web process, a fake Slack Web API, and a signer that speaks like Slack.

One web process and one fake serve the whole session (starting gunicorn per test would dominate the
run); the fake's transcript is wiped before each test, and the lead's ``database_url`` fixture keeps
the database empty between tests.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.support.fakeslack import FakeSlack
from tests.support.signing import SlackSender
from tests.support.timewarp import MovableClock
from tests.support.webproc import WebProcess

SIGNING_SECRET = "test-signing-secret"
# The bot's public address as its operator would set it: the base of the CRM endpoints that
# /team integrations shows, and of the URI HubSpot signs (requests still go to the local port).
PUBLIC_URL = "https://salesbot.example.com"
# Where every end-to-end test starts in the bot's time, whatever the machine's date: a Wednesday,
# 08:30 in Los Angeles, 11:30 in New York, 17:30 in Berlin, early Thursday in Tokyo — hours from any
# local midnight in the zones the tests use. A test that needs another instant sets ``web_clock``.
START = datetime(2026, 11, 18, 16, 30, tzinfo=UTC)

_HERE = Path(__file__).resolve().parent


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark everything under tests/e2e as ``e2e``, so ``-m "not e2e"`` skips the slow layer."""
    for item in items:
        if item.path.resolve().is_relative_to(_HERE):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def fake_slack() -> Iterator[FakeSlack]:
    """The Slack Web API the web process talks to, for the whole session."""
    with FakeSlack() as fake:
        yield fake


@pytest.fixture(autouse=True)
def _fresh_transcript(fake_slack: FakeSlack) -> Iterator[None]:
    """Each test reads only its own calls; registered users stay, like a workspace's directory."""
    fake_slack.reset()
    yield


@pytest.fixture(scope="session")
def _session_clock() -> Iterator[MovableClock]:
    clock = MovableClock(START)
    yield clock
    clock.close()


@pytest.fixture
def web_clock(_session_clock: MovableClock) -> MovableClock:
    """The bot's "now" in the web processes of the tests, at :data:`START` when each test begins."""
    _session_clock.set(START)
    return _session_clock


@pytest.fixture(scope="session")
def web_process(
    fake_slack: FakeSlack, database_url: str, _session_clock: MovableClock
) -> Iterator[WebProcess]:
    """``python -m bot web`` on a free port, healthy, pointed at the fake and the test database, with
    its "now" on the tests' clock."""
    process = WebProcess(
        fake=fake_slack,
        secret=SIGNING_SECRET,
        database_url=database_url,
        clock=_session_clock,
        env={"PUBLIC_URL": PUBLIC_URL},
    )
    process.start()
    try:
        yield process
    finally:
        process.stop()


@pytest.fixture
def slack(web_process: WebProcess, fake_slack: FakeSlack, web_clock: MovableClock) -> SlackSender:
    """Sends signed slash commands, interactions and events to the running bot."""
    return SlackSender(web_process.url, secret=SIGNING_SECRET, fake=fake_slack)
