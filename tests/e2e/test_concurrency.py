"""A burst of /log from one rep, all at once: every request answered, every entry counted exactly once."""

from __future__ import annotations

import threading
from decimal import Decimal

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.store.models import Entry
from tests.support.fakeslack import FakeSlack
from tests.support.signing import SlackSender

pytestmark = pytest.mark.e2e

REQUESTS = 60


def test_simultaneous_logs_from_one_rep_are_each_counted_once(
    slack: SlackSender, fake_slack: FakeSlack, engine
) -> None:
    fake_slack.add_user("U0BOSS", name="boss")
    fake_slack.add_user("U0FAST", name="fast")
    slack.create_team("Burst <#C0BURST|burst> tz=America/Chicago", user_id="U0BOSS")
    slack.command("/team", "add <@U0FAST|fast>", user_id="U0BOSS")
    # The burst adds up to 1,830 calls: above the default daily ceiling, which isn't what's tested here.
    assert "5,000" in slack.command("/team", "ceiling calls 5000", user_id="U0BOSS").message_text

    start = threading.Barrier(REQUESTS)
    replies: list = [None] * REQUESTS

    def send(i: int) -> None:
        start.wait()
        replies[i] = slack.command("/log", f"{i + 1} calls -- burst {i}", user_id="U0FAST")

    threads = [threading.Thread(target=send, args=(i,)) for i in range(REQUESTS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)

    assert all(r is not None and r.status == 200 for r in replies), [r and r.status for r in replies]
    # On a busy machine a burst can pass the ack deadline: then the ack says "Saving…" and the
    # outcome follows by response_url. Either way each one must end "Logged".
    outcomes = [
        r.message_text
        if "Saving" not in r.message_text
        else fake_slack.wait_for(lambda f, r=r: f.responses(r.response_token), timeout=30)[0].text
        for r in replies
    ]
    assert all("Logged" in text for text in outcomes), [text for text in outcomes if "Logged" not in text]
    with Session(engine) as session:
        count, total = session.execute(
            select(func.count(), func.sum(Entry.amount)).where(
                Entry.user_id == "U0FAST", Entry.deleted_at.is_(None)
            )
        ).one()
        notes = set(session.scalars(select(Entry.note).where(Entry.user_id == "U0FAST")))
    assert count == REQUESTS
    assert Decimal(total) == Decimal(REQUESTS * (REQUESTS + 1) // 2)
    assert notes == {f"burst {i}" for i in range(REQUESTS)}
