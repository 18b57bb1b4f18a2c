"""A modal opens inside its trigger's 3 seconds however slow Slack is on other calls: ``views.open`` has
a lane of its own and never queues behind Home refreshes or profile lookups."""

from __future__ import annotations

import pytest

from tests.e2e.test_commands import eventually
from tests.support.fakeslack import FakeSlack
from tests.support.signing import SlackSender

pytestmark = [pytest.mark.e2e, pytest.mark.durations]

BOSS = "U0MLBOSS"
REPS = [f"U0MLREP{i}" for i in range(6)]
SLOW = 4.0  # seconds each views.publish and users.info takes: under the client's 5 s timeout


def test_a_modal_opens_while_slow_follow_ups_fill_their_pool(
    slack: SlackSender, fake_slack: FakeSlack
) -> None:
    fake_slack.add_user(BOSS, name="mlboss", tz="America/New_York")
    for rep in REPS:
        fake_slack.add_user(rep, name=rep.lower(), tz="America/New_York")
    assert "Created" in slack.create_team("Modal Lane <#C0MODAL|modal> tz=America/New_York", user_id=BOSS)
    slack.command("/team", "add " + " ".join(f"<@{r}|{r.lower()}>" for r in REPS), user_id=BOSS)
    fake_slack.wait_for(
        lambda f: len([c for c in f.calls("users.info") if c.ok]) >= len(REPS) + 1, timeout=10
    )

    fake_slack.delay("views.publish", SLOW)
    fake_slack.delay("users.info", SLOW)
    for rep in REPS[:5]:  # five Home refreshes, each held 4 s by Slack: more than the follow-up pool holds
        assert "Logged" in slack.command("/log", "3 calls", user_id=rep).message_text
    eventually(lambda: len(fake_slack.calls("views.publish")) >= 4)  # the pool's workers are all waiting

    click = slack.button("log_activity", user_id=REPS[5], value='{"metrics": ["calls"]}')
    assert click.status == 200
    [opened] = fake_slack.wait_for(
        lambda f: [c for c in f.calls("views.open") if c.ok], timeout=3 * SLOW, what="views.open"
    )
    publishes = fake_slack.calls("views.publish")
    assert opened.params["trigger_id"] == click.trigger_id
    # It went out while every slow call ahead of it was still waiting for Slack's answer.
    assert publishes and not any(c.status for c in publishes if c.at < opened.at), fake_slack.transcript()
    # Let the slow refreshes finish here, not during the next test.
    fake_slack.wait_for(
        lambda f: len([c for c in f.calls("views.publish") if c.status]) >= 5, timeout=6 * SLOW
    )
