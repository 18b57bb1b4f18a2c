"""Slack's bad days, through real HTTP: storms of 429s, 5xx and timeouts never cost a message and
never post one twice. Every post carries its outbox row's id, so "once" is checked per row."""

from __future__ import annotations

from collections import Counter

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.slack.gateway import SlackGateway, make_client
from bot.slack.notifier import SlackNotifier
from bot.store.models import Outbox
from tests.clock.conftest import BOSS, Directory, W
from tests.support.fakeslack import FakeSlack

MONDAY_MORNING = "2026-11-09T14:05:00+00:00"  # the standup, the manager's digest, the reps' check-ins
REPS = [f"U0STORM{i:02d}" for i in range(12)]


class NewYork(Directory):
    def user_info(self, user_id: str):
        info = super().user_info(user_id)
        return type(info)(info.user_id, info.name, "America/New_York")


@pytest.fixture
def big_team(services, clock):
    clock.set("2026-10-30T12:00:00+00:00")
    services.teams.team(
        workspace_id=W,
        user_id=BOSS,
        text="create Storm <#C0STORM|storm> tz=America/New_York",
        in_channel="C0STORM",
    )
    services.teams.team(
        workspace_id=W, user_id=BOSS, text="add " + " ".join(f"<@{r}|{r.lower()}>" for r in REPS)
    )
    services.profiles.refresh(workspace_id=W, user_ids=[BOSS, *REPS], directory=NewYork())
    services.goals.goals(workspace_id=W, user_id=BOSS, text="team 20 calls/day, 5 presentations/week")
    clock.set("2026-11-09T12:30:00+00:00")  # 07:30 in New York: nobody's window is open yet
    return services


@pytest.fixture
def fake():
    with FakeSlack(team_id=W) as fake:
        yield fake


def notifier_for(fake: FakeSlack, *, timeout: int = 10) -> SlackNotifier:
    return SlackNotifier(
        SlackGateway(make_client(token=fake.token, base_url=fake.api_url, timeout=timeout, retries=False))
    )


def posted_keys(fake: FakeSlack) -> Counter:
    """How many times Slack accepted a post for each outbox row."""
    return Counter(
        str(c.params["metadata"]["event_payload"]["outbox"]) for c in fake.calls("chat.postMessage") if c.ok
    )


def outbox(engine) -> dict[str, str]:
    """The rows that are posts (a person's items ride in one "dm" row), by status."""
    with Session(engine) as session:
        return {
            str(r.id): r.status for r in session.scalars(select(Outbox).where(Outbox.merged_into.is_(None)))
        }


def test_a_storm_of_429s_and_5xx_delivers_every_message_exactly_once(big_team, clock, fake, engine) -> None:
    notifier = notifier_for(fake)
    big_team.clock.run_due(sender=notifier, now=clock(), sleep=lambda s: None)
    fake.fail("chat.postMessage", status=429, retry_after=3, times=25)
    fake.fail("chat.postMessage", status=500, times=8)
    fake.fail("chat.postMessage", status=503, times=4)
    fake.fail("chat.postMessage", error="service_unavailable", times=4)
    clock.set(MONDAY_MORNING)
    waits: list[float] = []
    reports = [big_team.clock.run_due(sender=notifier, now=clock(), sleep=waits.append)]
    for _ in range(5):  # what the storm sent back to the outbox goes out on the next minutes' ticks
        clock.advance(minutes=1)
        reports.append(big_team.clock.run_due(sender=notifier, now=clock(), sleep=waits.append))
    rows = outbox(engine)
    assert len(rows) > len(REPS)  # the standup, a check-in per rep, the manager's 1:1 prompts
    assert set(rows.values()) == {"sent"}
    keys = posted_keys(fake)
    assert set(keys) == set(rows) and set(keys.values()) == {1}
    assert sum(r.sent for r in reports) == len(rows)
    assert sum(r.retried for r in reports) >= 25 + 8 + 4 + 4 - 4  # at most 4 gave up and came back later
    assert 3 in waits  # a 429's Retry-After is honoured
    errors = Counter(c.status for c in fake.calls("chat.postMessage"))
    assert errors[429] == 25 and errors[500] == 8 and errors[503] == 4
    # Before each try after a 5xx, the conversation was checked: the 5xx may have posted after all.
    assert len(fake.calls("conversations.history")) >= 8 + 4 + 4


def test_a_post_slack_made_despite_a_5xx_is_recorded_not_repeated(big_team, clock, fake, engine) -> None:
    notifier = notifier_for(fake)
    big_team.clock.run_due(sender=notifier, now=clock(), sleep=lambda s: None)
    big_team.clock.send_workers = 1
    clock.set(MONDAY_MORNING)
    # The first post is accepted by Slack but its answer is lost: the client sees a 500.
    real_send = notifier.send
    calls = []

    def send_then_fail(**kwargs):
        result = real_send(**kwargs)
        calls.append(kwargs["key"])
        if len(calls) == 1:
            from bot.services.clock import DeliveryError

            raise DeliveryError("Slack answered 500 internal_error", retryable=True, ambiguous=True)
        return result

    notifier.send = send_then_fail
    report = big_team.clock.run_due(sender=notifier, now=clock(), sleep=lambda s: None)
    keys = posted_keys(fake)
    assert set(keys.values()) == {1}
    assert set(outbox(engine).values()) == {"sent"} and report.sent == len(keys)
    assert calls.count(calls[0]) == 1  # never sent again


def test_timeouts_are_checked_before_a_retry_so_a_slow_post_is_not_doubled(
    big_team, clock, fake, engine
) -> None:
    notifier = notifier_for(fake, timeout=1)
    big_team.clock.run_due(sender=notifier, now=clock(), sleep=lambda s: None)
    # Slack takes 2 s to answer the next three posts, and posts them all the same.
    fake.delay("chat.postMessage", 2.0, times=3)
    clock.set(MONDAY_MORNING)

    def until_slack_has_answered(_seconds: float) -> None:
        # Instead of a back-off on the wall clock: wait until every post Slack received is answered.
        fake.wait_for(lambda f: all(c.response for c in f.calls("chat.postMessage")), timeout=10)

    report = big_team.clock.run_due(sender=notifier, now=clock(), sleep=until_slack_has_answered)
    keys = posted_keys(fake)
    rows = outbox(engine)
    assert set(keys.values()) == {1} and set(keys) == set(rows)
    assert set(rows.values()) == {"sent"} and report.sent == len(rows)
    assert len(fake.calls("conversations.history")) >= 3


def test_slack_down_for_the_whole_tick_loses_nothing_within_the_grace(big_team, clock, fake, engine) -> None:
    notifier = notifier_for(fake)
    big_team.clock.run_due(sender=notifier, now=clock(), sleep=lambda s: None)
    fake.fail("*", status=503, times=None)
    clock.set(MONDAY_MORNING)
    down = big_team.clock.run_due(sender=notifier, now=clock(), sleep=lambda s: None)
    assert down.sent == 0 and down.failed == 0
    assert "sent" not in outbox(engine).values()
    fake.reset()
    clock.advance(minutes=20)
    later = big_team.clock.run_due(sender=notifier, now=clock(), sleep=lambda s: None)
    clock.advance(minutes=20)  # claims the outage left ambiguous are settled once they are old
    settled = big_team.clock.run_due(sender=notifier, now=clock(), sleep=lambda s: None)
    rows = outbox(engine)
    assert set(rows.values()) == {"sent"}
    assert later.sent + settled.sent + settled.recovered >= len(rows) - settled.recovered
    keys = posted_keys(fake)
    assert set(keys) == set(rows) and set(keys.values()) == {1}


def test_a_429_pauses_every_worker_of_the_workspace(big_team, clock, fake) -> None:
    notifier = notifier_for(fake)
    big_team.clock.run_due(sender=notifier, now=clock(), sleep=lambda s: None)
    fake.fail("chat.postMessage", status=429, retry_after=30, times=1)
    clock.set(MONDAY_MORNING)
    waits: list[float] = []
    big_team.clock.run_due(sender=notifier, now=clock(), sleep=waits.append)
    # The worker that got the 429 waits 30 s; the others, holding back for the same pause, wait
    # at least what is left of it (the sleeps here don't sleep, so nearly all of it), then go at
    # the rate that got through.
    assert waits.count(30) == 1
    held = [w for w in waits if 29 < w != 30]
    assert len(held) >= 3, waits  # other workers held back by the same pause
    assert all(w <= 1 or w > 29 for w in waits), waits  # nobody posted early: a wait is pacing or the pause
