"""A modal opens inside its trigger's 3 seconds however slow Slack is on other calls: ``views.open`` has
a lane of its own and never queues behind Home refreshes or profile lookups."""

from __future__ import annotations

import time

import pytest

from bot.slack.listeners.followups import FOLLOW_UP_WORKERS
from tests.support.fakeslack import FakeSlack
from tests.support.signing import SlackSender

pytestmark = [pytest.mark.e2e, pytest.mark.durations]

BOSS = "U0MLBOSS"
CLICKER = "U0MLCLIK"
LOGGERS = [f"U0MLREP{i}" for i in range(FOLLOW_UP_WORKERS + 2)]  # more refreshes than the pool holds
SLOW = 4.0  # seconds each views.publish and users.info takes: under the client's 5 s timeout
SLOW_METHODS = ("views.publish", "users.info")


def _waiting(fake: FakeSlack, after: int) -> list:
    """Slow calls made since the ``after``-th recorded call that Slack has not answered yet."""
    return [c for c in fake.calls()[after:] if c.method in SLOW_METHODS and not c.status]


def test_a_modal_opens_while_slow_follow_ups_fill_their_pool(
    slack: SlackSender, fake_slack: FakeSlack
) -> None:
    fake_slack.add_user(BOSS, name="mlboss", tz="America/New_York")
    for rep in [*LOGGERS, CLICKER]:
        fake_slack.add_user(rep, name=rep.lower(), tz="America/New_York")
    assert "Created" in slack.create_team("Modal Lane <#C0MODAL|modal> tz=America/New_York", user_id=BOSS)
    slack.command(
        "/team", "add " + " ".join(f"<@{r}|{r.lower()}>" for r in [*LOGGERS, CLICKER]), user_id=BOSS
    )
    fake_slack.wait_for(
        lambda f: len([c for c in f.calls("users.info") if c.ok]) >= len(LOGGERS) + 2, timeout=10
    )

    mark = len(fake_slack.calls())
    fake_slack.delay("views.publish", SLOW)
    fake_slack.delay("users.info", SLOW)
    for rep in LOGGERS:  # each /log refreshes its rep's Home after the ack, held SLOW seconds by Slack
        assert "Logged" in slack.command("/log", "3 calls", user_id=rep).message_text
    # Every follow-up worker is now waiting on Slack (the rest of the refreshes queue behind them).
    fake_slack.wait_for(
        lambda f: len(_waiting(f, mark)) >= FOLLOW_UP_WORKERS, timeout=SLOW, what="a full follow-up pool"
    )

    clicked = time.time()
    click = slack.button("log_activity", user_id=CLICKER, value='{"metrics": ["calls"]}')
    assert click.status == 200
    [opened] = fake_slack.wait_for(
        lambda f: [c for c in f.calls("views.open") if c.ok], timeout=3 * SLOW, what="views.open"
    )
    still_waiting = [c for c in _waiting(fake_slack, mark) if c.at < clicked]
    assert opened.params["trigger_id"] == click.trigger_id
    # Inside the trigger's 3 seconds, while slow calls made before the click were still waiting.
    assert opened.at - clicked < 3.0, fake_slack.transcript()
    assert still_waiting, fake_slack.transcript()
    # Let the slow refreshes finish here, not during the next test.
    fake_slack.wait_for(
        lambda f: (
            not _waiting(f, mark)
            and len([c for c in f.calls()[mark:] if c.method == "views.publish"]) >= len(LOGGERS)
        ),
        timeout=6 * SLOW,
        what="the slow refreshes to finish",
    )
