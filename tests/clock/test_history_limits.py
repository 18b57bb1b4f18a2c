"""Crash recovery within Slack's history limits (issue 13, item 4).

An app distributed outside the Marketplace (OAuth mode: workspaces install it) may call
conversations.history once a minute per workspace, for 15 messages. A clock that died holding
claims in many conversations leaves more to read than that budget allows within the misfire grace:
the clock reads the conversations where a read settles the most claims, each within the span its
claims' posts can lie in, and skips the claims it can't read in time — never posting one twice.
The fake Slack enforces the limits and follows the test's clock; nothing sleeps.
"""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.domain.schedule import Window
from bot.services import attention
from bot.slack.gateway import SlackGateway, make_client
from bot.slack.notifier import SlackNotifier
from bot.store import outbox as ob
from bot.store.models import Outbox
from tests.clock.conftest import BERLIN, BOSS, LA, NY, W
from tests.support.fakeslack import FakeSlack

MONDAY_MORNING = "2026-11-09T14:05:00+00:00"  # the standup and New York's day are due
CHANNEL = "C0GLOBAL"
EXTRA = [f"U0EXTRA{i:02d}" for i in range(1, 10)]
GRACE = timedelta(minutes=20)  # so that the budget runs out within a test: 1 read a minute

# Dead claims per conversation: (claims, how many of them went out before the clock died).
LAYOUT = {BOSS: (4, 2), NY: (3, 1), CHANNEL: (2, 1)} | {
    t: (1, i % 2) for i, t in enumerate([LA, BERLIN, *EXTRA])
}


@pytest.fixture
def fake(clock):
    with FakeSlack(team_id=W) as fake:
        fake.follow_clock(lambda: clock().timestamp())  # Slack's ts and its minute are the test's
        yield fake


def oauth_notifier(fake: FakeSlack, clock) -> SlackNotifier:
    """The clock's sender in OAuth mode: the workspace's own bot token, from an install."""
    gateway = SlackGateway(make_client(token=fake.install_workspace(W), base_url=fake.api_url, retries=False))

    def gateway_for(workspace_id: str) -> SlackGateway:
        if workspace_id != W:
            raise LookupError(workspace_id)
        return gateway

    return SlackNotifier(gateway_for, wall=lambda: clock().timestamp())


def token_notifier(fake: FakeSlack, clock) -> SlackNotifier:
    """Token mode: one workspace's internal app, exempt from the limits."""
    client = make_client(token=fake.token, base_url=fake.api_url, retries=False)
    return SlackNotifier(SlackGateway(client), wall=lambda: clock().timestamp())


def died_holding(services, engine, clock, notifier, layout=LAYOUT) -> dict[str, list[int]]:
    """The hour before Monday morning delivered; then a clock plans the morning, claims a message
    (or several: it came back and died again) in each conversation of ``layout``, posts some of
    them, and dies before recording any. Returns each conversation's claimed row ids, posted first."""
    clock.set("2026-11-09T13:00:00+00:00")
    services.clock.run_due(sender=notifier, now=clock(), sleep=lambda s: None)
    clock.set(MONDAY_MORNING)
    dead = services.clock
    messages = dead.plan(Window(since=clock() - timedelta(minutes=65), now=clock(), grace=dead.grace))
    claimed: dict[str, list[int]] = {}
    with Session(engine, expire_on_commit=False) as session, session.begin():
        ob.enqueue(session=session, messages=messages, now=clock())
        attention.route(session, now=clock())
        ready = {r.target: r for r in ob.ready(session=session, now=clock()) if r.kind in ("dm", "standup")}
        assert {NY, CHANNEL} <= set(ready), ready
        for target, (count, _) in layout.items():
            source = ready.get(target) or ready[NY]  # a single-claim DM elsewhere: NY's day, cloned
            rows = [source] if target in ready else []
            while len(rows) < count:
                clone = Outbox(
                    workspace_id=source.workspace_id,
                    kind=source.kind,
                    target=target,
                    period=f"{source.period}#{len(rows)}"[:32],
                    subject=source.subject,
                    team_id=source.team_id,
                    due_at=source.due_at,
                    payload=source.payload,
                    status=ob.PENDING,
                    attempts=0,
                    created_at=clock(),
                )
                session.add(clone)
                session.flush()
                rows.append(clone)
            for row in rows:
                assert ob.claim(session=session, row_id=row.id, worker="crashed", now=clock())
            claimed[target] = [r.id for r in rows]
    for target, (_, posted) in layout.items():
        for row_id in claimed[target][:posted]:
            with Session(engine) as session:
                row = session.get(Outbox, row_id)
            notifier.send(workspace_id=W, kind=row.kind, target=target, payload=row.payload, key=str(row_id))
    return claimed


def posts_per_row(fake: FakeSlack, since: int = 0) -> Counter:
    """How many times Slack accepted a post for each outbox row (from the ``since``-th call on)."""
    return Counter(
        str(c.params["metadata"]["event_payload"]["outbox"])
        for c in fake.calls()[since:]
        if c.method == "chat.postMessage" and c.ok and c.params.get("metadata")
    )


def history(fake: FakeSlack, since: int = 0) -> list:
    """The conversations.history calls from the ``since``-th call on."""
    return [c for c in fake.calls()[since:] if c.method == "conversations.history"]


def statuses(engine, ids) -> dict[int, str]:
    with Session(engine) as session:
        return {r.id: r.status for r in session.scalars(select(Outbox).where(Outbox.id.in_(list(ids))))}


def conversation(call) -> str:
    """The conversation a history call read (a DM by its user's id)."""
    channel = str(call.params["channel"])
    return "U" + channel[1:] if channel.startswith("D") else channel


def test_oauth_recovery_spends_one_read_a_minute_where_it_settles_most_and_skips_the_rest(
    spread_team, engine, clock, fake
) -> None:
    notifier = oauth_notifier(fake, clock)
    spread_team.clock.grace = GRACE
    claimed = died_holding(spread_team, engine, clock, notifier)
    every = [i for ids in claimed.values() for i in ids]
    posted_before = posts_per_row(fake)
    assert len(every) == 20 and sum(posted_before.values()) == 9 + 1  # and the 1:1 digest at 13:00
    mark = len(fake.calls())  # the transcript from here on: recovery's (Slack keeps the history)

    reads_by_minute = []
    for minute in range(11, 26):  # 14:16 … 14:30, a tick a minute, as the clock runs
        clock.set(MONDAY_MORNING)
        clock.advance(minutes=minute)
        before = len(fake.calls())
        spread_team.clock.run_due(sender=notifier, now=clock(), sleep=lambda s: None)
        reads_by_minute.append([conversation(c) for c in history(fake, before)])

    reads = history(fake, mark)
    # Within Slack's limits: no call refused, never more than one a minute, never past 15 messages.
    assert fake.history_refused == 0, fake.transcript()
    assert all(len(r) <= 1 for r in reads_by_minute), reads_by_minute
    assert all(int(c.params["limit"]) <= 15 for c in reads)
    assert all(c.params.get("oldest") and c.params.get("latest") for c in reads)  # just the claims' span
    # Where the reads went: the standup's channel first (its grace ends first), then the DMs with the
    # most claims, then single claims while the grace lasts — ten reads, each settling its conversation.
    order = [r[0] for r in reads_by_minute if r]
    assert order[:3] == [CHANNEL, BOSS, NY], order
    assert len(order) == 10 == len(set(order)), order
    read = set(order)
    settled_by_reads = sum(LAYOUT[t][0] for t in read)
    assert settled_by_reads == 16

    # Each read claim is settled by what Slack showed: posted → sent (not again); not posted → sent
    # now, once. What no read reached in time is skipped, posted before the crash or not.
    after = statuses(engine, every)
    posts = posts_per_row(fake, mark)
    for target, ids in claimed.items():
        posted = ids[: LAYOUT[target][1]]
        for row_id in ids:
            again = posts[str(row_id)]
            if target in read:
                assert after[row_id] == "sent", (target, row_id, after[row_id])
                assert again == (0 if row_id in posted else 1), (target, row_id)
            else:
                assert after[row_id] == "skipped", (target, row_id, after[row_id])
                assert again == 0, (target, row_id)
    assert set((posted_before + posts).values()) == {1}  # every row posted at most once, ever
    assert Counter(after.values()) == {"sent": 16, "skipped": 4}


def test_a_busy_channel_is_read_down_a_page_a_minute_until_its_claims_are_settled(
    spread_team, engine, clock, fake
) -> None:
    notifier = oauth_notifier(fake, clock)
    layout = {CHANNEL: (2, 1)}  # the standup went out; a second message to the channel didn't
    claimed = died_holding(spread_team, engine, clock, notifier, layout)
    people = SlackGateway(make_client(token=fake.token, base_url=fake.api_url, retries=False))
    for _ in range(40):  # the team talks in the channel after the standup: three pages of chatter
        clock.advance(seconds=10)
        people.post(channel=CHANNEL, message={"text": "nice numbers!"})
    mark = len(fake.calls())

    clock.set(MONDAY_MORNING)
    for minute in range(11, 16):
        clock.set(MONDAY_MORNING)
        clock.advance(minutes=minute)
        spread_team.clock.run_due(sender=notifier, now=clock(), sleep=lambda s: None)

    reads = history(fake, mark)
    assert fake.history_refused == 0
    assert len(reads) == 3  # 41 messages in the span: 15, 15, then the last 11 with the standup
    assert [len(c.response["messages"]) for c in reads] == [15, 15, 11]
    assert [c.response["has_more"] for c in reads] == [True, True, False]
    latest = [float(c.params["latest"]) for c in reads]
    assert latest[0] > latest[1] > latest[2]  # each read picks up where the last stopped
    standup, second = claimed[CHANNEL]
    assert statuses(engine, [standup, second]) == {standup: "sent", second: "sent"}
    again = {k: n for k, n in posts_per_row(fake, mark).items() if int(k) in (standup, second)}
    assert again == {str(second): 1}  # only the one that never went out, once


def test_token_mode_reads_every_claims_history_at_once_as_before(spread_team, engine, clock, fake) -> None:
    notifier = token_notifier(fake, clock)
    spread_team.clock.grace = GRACE
    claimed = died_holding(spread_team, engine, clock, notifier)
    every = [i for ids in claimed.values() for i in ids]
    mark = len(fake.calls())

    clock.set(MONDAY_MORNING)
    clock.advance(minutes=11)
    report = spread_team.clock.run_due(sender=notifier, now=clock(), sleep=lambda s: None)

    reads = history(fake, mark)
    assert len(reads) == 20  # one per claim, all in one tick: an internal app is exempt
    assert {c.params["limit"] for c in reads} == {"200"} and all(c.status == 200 for c in reads)
    assert all("latest" not in c.params for c in reads)  # from an hour back, up to now
    assert report.recovered == 20
    assert set(statuses(engine, every).values()) == {"sent"}
    posts = posts_per_row(fake, mark)
    for target, ids in claimed.items():
        for i, row_id in enumerate(ids):
            assert posts[str(row_id)] == (0 if i < LAYOUT[target][1] else 1)


def test_after_5xx_in_an_oauth_workspace_each_check_waits_for_its_minute_and_nothing_posts_twice(
    spread_team, engine, clock, fake
) -> None:
    notifier = oauth_notifier(fake, clock)
    clock.set("2026-11-09T13:00:00+00:00")
    spread_team.clock.run_due(sender=notifier, now=clock(), sleep=lambda s: None)
    spread_team.clock.send_workers = 1  # one message at a time: the failures land on the first ones
    fake.fail("chat.postMessage", status=500, times=3)  # each may have posted: check before a retry
    mark = len(fake.calls())
    reads_by_minute = {}
    for minute in range(0, 20):
        clock.set(MONDAY_MORNING)
        clock.advance(minutes=minute)
        before = len(fake.calls())
        spread_team.clock.run_due(sender=notifier, now=clock(), sleep=lambda s: None)
        if read := [conversation(c) for c in history(fake, before)]:
            reads_by_minute[minute] = read

    # The standup's first 500 is checked at once; its second, and New York's, find the minute spent:
    # their claims stand until they are old, then each is read in a minute of its own.
    assert reads_by_minute == {0: [CHANNEL], 11: [CHANNEL], 12: [NY]}, reads_by_minute
    assert fake.history_refused == 0
    assert all(int(c.params["limit"]) <= 15 for c in history(fake, mark))
    with Session(engine) as session:
        rows = {
            str(r.id): r.status for r in session.scalars(select(Outbox).where(Outbox.merged_into.is_(None)))
        }
    posts = posts_per_row(fake, mark)
    assert set(rows.values()) == {"sent"}, rows
    assert set(posts.values()) == {1} and len(posts) == len(rows) - 1, posts  # all but 13:00's digest
