"""Delivery guarantees: two clocks at once, a crash between claim and send, and Slack saying 429 or 500."""

from __future__ import annotations

import threading
from collections import Counter
from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.services.clock import DeliveryError
from bot.services.container import build_services
from bot.slack.gateway import SlackGateway, make_client
from bot.slack.notifier import SlackNotifier
from bot.store import outbox as ob
from bot.store.models import Outbox
from tests.clock.conftest import NY
from tests.support.fakeslack import FakeSlack

MONDAY_MORNING = "2026-11-09T14:05:00+00:00"  # the standup and New York's check-in are due


def statuses(engine) -> Counter:
    """Outbox rows by status, counting what is posted as such: a merged item rides in its "dm" row."""
    with Session(engine) as session:
        return Counter(session.scalars(select(Outbox.status).where(Outbox.merged_into.is_(None))))


def test_two_clocks_at_once_post_each_message_once(spread_team, engine, clock, sender) -> None:
    clock.set("2026-11-09T13:00:00+00:00")
    spread_team.clock.run_due(sender=sender, now=clock(), sleep=lambda s: None)
    clock.set(MONDAY_MORNING)
    clocks = [build_services(engine, clock).clock for _ in range(4)]
    start = threading.Barrier(len(clocks))
    errors: list[BaseException] = []

    def run(service) -> None:
        try:
            start.wait()
            service.run_due(sender=sender, now=clock(), sleep=lambda s: None)
        except BaseException as err:  # pragma: no cover - reported below
            errors.append(err)

    threads = [threading.Thread(target=run, args=(c,)) for c in clocks]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert errors == []
    keys = Counter(
        (s.kind, s.target, s.payload.get("rep"), s.payload.get("day"), s.payload.get("week"))
        for s in sender.sent
    )
    assert keys and set(keys.values()) == {1}, keys
    assert len(sender.of("standup")) == 1
    assert len(sender.of("checkin", NY)) == 1


def test_a_crash_between_claim_and_send_never_leads_to_a_second_post(
    spread_team, engine, clock, sender
) -> None:
    clock.set("2026-11-09T13:00:00+00:00")
    spread_team.clock.run_due(sender=sender, now=clock(), sleep=lambda s: None)
    clock.set(MONDAY_MORNING)
    # A clock plans and enqueues, claims New York's check-in … and dies before sending it.
    crashed = build_services(engine, clock).clock
    from bot.domain.schedule import Window

    messages = crashed.plan(Window(since=clock() - timedelta(minutes=65), now=clock(), grace=crashed.grace))
    with Session(engine) as session, session.begin():
        ob.enqueue(session=session, messages=messages, now=clock())
        row = session.scalar(select(Outbox).where(Outbox.kind == "checkin", Outbox.target == NY))
        assert ob.claim(session=session, row_id=row.id, worker="crashed", now=clock())
    # The next clock run delivers everything else, but not the claimed check-in: its clock may still
    # be sending it.
    spread_team.clock.run_due(sender=sender, now=clock() + timedelta(minutes=1), sleep=lambda s: None)
    assert sender.of("checkin", NY) == []
    assert len(sender.of("standup")) == 1
    assert statuses(engine)["sending"] == 1
    # Once the claim is older than any live send could be, Slack is asked: it was never posted, so
    # it goes out now (the rep's 09:00 is 20 minutes ago, well within the hour of grace), once.
    report = spread_team.clock.run_due(
        sender=sender, now=clock() + timedelta(minutes=20), sleep=lambda s: None
    )
    assert report.recovered == 1
    assert len(sender.of("checkin", NY)) == 1
    assert statuses(engine)["sending"] == 0
    spread_team.clock.run_due(sender=sender, now=clock() + timedelta(minutes=21), sleep=lambda s: None)
    assert len(sender.of("checkin", NY)) == 1


def claimed_then_died(services, engine, clock, *, posted_by=None) -> Outbox:
    """The hour before Monday morning delivered, then a clock plans and enqueues the morning, claims
    New York's check-in … and dies (after posting it, with ``posted_by``: the post went out, the mark
    never came)."""
    from bot.domain.schedule import Window

    clock.set("2026-11-09T13:00:00+00:00")
    services.clock.run_due(sender=posted_by or _Nobody(), now=clock(), sleep=lambda s: None)
    clock.set(MONDAY_MORNING)

    crashed = services.clock
    messages = crashed.plan(Window(since=clock() - timedelta(minutes=65), now=clock(), grace=crashed.grace))
    with Session(engine, expire_on_commit=False) as session, session.begin():
        ob.enqueue(session=session, messages=messages, now=clock())
        row = session.scalar(select(Outbox).where(Outbox.kind == "checkin", Outbox.target == NY))
        assert ob.claim(session=session, row_id=row.id, worker="crashed", now=clock())
    if posted_by is not None:
        posted_by.send(
            workspace_id=row.workspace_id,
            kind=row.kind,
            target=row.target,
            payload=row.payload,
            key=str(row.id),
        )
    return row


def test_a_post_that_went_out_before_the_crash_is_recorded_not_repeated(
    spread_team, engine, clock, sender
) -> None:
    row = claimed_then_died(spread_team, engine, clock, posted_by=sender)
    report = spread_team.clock.run_due(
        sender=sender, now=clock() + timedelta(minutes=15), sleep=lambda s: None
    )
    assert report.recovered == 1
    assert len(sender.of("checkin", NY)) == 1
    with Session(engine) as session:
        settled = session.get(Outbox, row.id)
        assert (settled.status, settled.slack_channel) == ("sent", NY) and settled.slack_ts


def test_a_dead_claim_past_the_grace_is_skipped_and_one_slack_cannot_check_waits(
    spread_team, engine, clock, sender
) -> None:
    row = claimed_then_died(spread_team, engine, clock)
    broken = _Unreachable(sender)
    spread_team.clock.run_due(sender=broken, now=clock() + timedelta(minutes=15), sleep=lambda s: None)
    assert statuses(engine)["sending"] == 1  # Slack couldn't say: left for a later tick
    report = spread_team.clock.run_due(sender=sender, now=clock() + timedelta(hours=2), sleep=lambda s: None)
    assert report.recovered == 1
    assert sender.of("checkin", NY) == []  # 09:00 plus the hour of grace has passed: never sent late
    with Session(engine) as session:
        assert session.get(Outbox, row.id).status == "skipped"


class _Unreachable:
    def __init__(self, inner) -> None:
        self.inner = inner

    def send(self, **kwargs):
        return self.inner.send(**kwargs)

    def find(self, **kwargs):
        raise DeliveryError("no answer from Slack", retryable=True)

    def reachable(self, workspace_ids):
        return set(workspace_ids)

    def history_budget(self, workspace_id):
        return None


@pytest.fixture
def fake():
    with FakeSlack() as fake:
        yield fake


@pytest.fixture
def notifier(fake) -> SlackNotifier:
    return SlackNotifier(SlackGateway(make_client(token=fake.token, base_url=fake.api_url, retries=False)))


def test_a_429_waits_for_retry_after_then_sends(spread_team, clock, fake, notifier, sleeps) -> None:
    clock.set("2026-11-09T12:30:00+00:00")  # before anyone's window opens
    spread_team.clock.run_due(sender=notifier, now=clock(), sleep=sleeps.append)
    fake.fail("chat.postMessage", status=429, retry_after=7, times=1)
    clock.set(MONDAY_MORNING)
    report = spread_team.clock.run_due(sender=notifier, now=clock(), sleep=sleeps.append)
    assert 7 in sleeps
    assert report.retried == 1 and report.failed == 0
    posts = [c for c in fake.calls("chat.postMessage") if c.status == 200]
    assert len(posts) == report.sent
    assert {c.params["channel"] for c in posts} >= {"C0GLOBAL", NY}


def test_5xx_is_retried_with_backoff_then_left_for_the_next_run(
    spread_team, clock, fake, notifier, sleeps, engine
) -> None:
    clock.set("2026-11-09T12:30:00+00:00")  # before anyone's window opens
    spread_team.clock.run_due(sender=notifier, now=clock(), sleep=sleeps.append)
    fake.fail("chat.postMessage", status=500, times=4)
    spread_team.clock.send_workers = 1  # one message at a time: the four failures all land on the first
    clock.set(MONDAY_MORNING)
    report = spread_team.clock.run_due(sender=notifier, now=clock(), sleep=sleeps.append)
    assert sleeps[:3] == [1.0, 2.0, 4.0]  # backoff, then the message goes back to the outbox
    assert report.retried == 3
    assert statuses(engine)["pending"] >= 1  # provably not posted: it may go out on a later run
    clock.advance(minutes=2)
    later = spread_team.clock.run_due(sender=notifier, now=clock(), sleep=sleeps.append)
    assert later.sent >= 1
    delivered = [c for c in fake.calls("chat.postMessage") if c.status == 200]
    assert len(delivered) == report.sent + later.sent == statuses(engine)["sent"]
    assert statuses(engine)["pending"] == 0


def test_a_refusal_is_marked_failed_and_not_retried(
    spread_team, clock, fake, notifier, engine, sleeps
) -> None:
    clock.set("2026-11-09T13:00:00+00:00")
    spread_team.clock.run_due(sender=notifier, now=clock(), sleep=sleeps.append)
    fake.fail("chat.postMessage", error="channel_not_found", times=None)
    clock.set(MONDAY_MORNING)
    report = spread_team.clock.run_due(sender=notifier, now=clock(), sleep=sleeps.append)
    assert report.sent == 0 and report.failed >= 2 and report.retried == 0
    assert statuses(engine)["failed"] == report.failed


def test_delivery_errors_say_whether_a_retry_is_safe() -> None:
    assert DeliveryError("x", retryable=True, retry_after=3).retry_after == 3
    assert not DeliveryError("x", retryable=False).retryable


def test_a_dead_claim_slack_cannot_vouch_for_is_given_up_after_the_grace(
    spread_team, engine, clock, sender
) -> None:
    row = claimed_then_died(spread_team, engine, clock)
    report = spread_team.clock.run_due(
        sender=_Unreachable(sender), now=clock() + timedelta(hours=2), sleep=lambda s: None
    )
    assert report.recovered == 1 and sender.of("checkin", NY) == []
    with Session(engine) as session:
        assert session.get(Outbox, row.id).status == "failed"


class _Nobody:
    """A sender for an hour in which nothing is due."""

    def send(self, **kwargs):
        raise AssertionError(f"nothing was due: {kwargs}")

    def find(self, **kwargs):
        return None

    def reachable(self, workspace_ids):
        return set(workspace_ids)

    def history_budget(self, workspace_id):
        return None
