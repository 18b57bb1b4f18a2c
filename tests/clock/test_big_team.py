"""A 200-rep team with a public scoreboard, Monday morning: the clock delivers to a fake Slack as strict
as Slack, and every message stays well under what Slack accepts — the standup carries the summary,
and the rep lines follow in its thread, after it and in order.

Also how a reply in the standup's thread waits for the standup, and why it is never sent twice."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta

import pytest
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from bot.services.clock import DeliveryError
from bot.services.planner import SCOREBOARD_PAGE
from bot.services.profiles import UserInfo
from bot.slack.gateway import SlackGateway, make_client
from bot.slack.messages.scheduled import BUDGET, text_size
from bot.slack.notifier import SlackNotifier
from bot.store import outbox as ob
from bot.store.models import Outbox
from tests.support import blockkit
from tests.support.fakeslack import FakeSlack, visible_text

W = "T0BIG"
BOSS = "U0BIGBOSS"
CHANNEL = "C0BIG"
REPS = [f"U0R{i:07d}" for i in range(200)]
MONDAY = "2026-11-23T14:05:00+00:00"  # 09:05 in New York: the standup, the check-ins, the 1:1 round


class Directory:
    def user_info(self, user_id: str) -> UserInfo | None:
        return UserInfo(user_id, user_id.lower(), "America/New_York")


def make_team(services, clock, reps: list[str], *, logs: bool = True):
    """A New York team with a public scoreboard; each rep logs on Wednesday of the week before the
    standup, all but every fifth one: 20 to 59 calls, a few presentations, every third one a deal."""
    clock.set("2026-11-13T15:00:00+00:00")  # a Friday, the week before the one the standup looks at
    services.teams.team(
        workspace_id=W,
        user_id=BOSS,
        text=f"create Sales Big <#{CHANNEL}|big> tz=America/New_York",
        in_channel=CHANNEL,
    )
    for start in range(0, len(reps), 50):
        batch = " ".join(f"<@{u}|r{start + i}>" for i, u in enumerate(reps[start : start + 50]))
        services.teams.team(workspace_id=W, user_id=BOSS, text=f"add {batch}")
    services.teams.team(workspace_id=W, user_id=BOSS, text="scoreboard public")
    services.profiles.refresh(workspace_id=W, user_ids=[BOSS, *reps], directory=Directory())
    services.goals.goals(workspace_id=W, user_id=BOSS, text="team 20 calls/day, 5 presentations/week")
    if logs:
        clock.set("2026-11-18T17:00:00+00:00")
        for i, rep in enumerate(reps):
            if i % 5 != 4:
                text = f"{20 + i % 40} calls" + (f", {i % 6} presentations" if i % 6 else "")
                services.activity.log(
                    workspace_id=W, user_id=rep, text=text + (", 1 deal" if i % 3 == 0 else "")
                )
    return services


@pytest.fixture
def fake() -> Iterator[FakeSlack]:
    with FakeSlack(team_id=W) as fake:
        yield fake


def test_a_200_rep_public_standup_posts_a_summary_and_the_board_in_its_thread(
    services, clock, fake, sleeps
) -> None:
    make_team(services, clock, REPS)
    notifier = SlackNotifier(
        SlackGateway(make_client(token=fake.token, base_url=fake.api_url, retries=False))
    )
    clock.set(MONDAY)
    report = services.clock.run_due(sender=notifier, now=clock(), sleep=sleeps.append)
    assert report.failed == 0

    posts = fake.calls("chat.postMessage")
    assert posts and all(c.ok for c in posts), fake.transcript()  # the strict fake took every one
    assert fake.take_refusals() == []
    for call in posts:  # well under Slack's ~12,000 characters, every message of the morning
        assert text_size(call.params.get("blocks") or []) <= BUDGET
        assert len(call.params.get("blocks") or []) <= blockkit.MESSAGE_BLOCKS

    channel = [c for c in posts if c.params["channel"] == CHANNEL]
    standup, *parts = channel
    assert "thread_ts" not in standup.params
    parts_of = -(-len(REPS) // SCOREBOARD_PAGE)
    assert len(parts) == parts_of == 4
    assert {c.params["thread_ts"] for c in parts} == {standup.response["ts"]}  # in the standup's thread
    assert [re.search(r"— (\d) of 4", visible_text(c.params)).group(1) for c in parts] == ["1", "2", "3", "4"]
    assert [c.at for c in channel] == sorted(c.at for c in channel)  # the standup first, the parts in order

    summary = visible_text(standup.params)
    assert "*Scoreboard:* 160 of 200 reps logged activity last week" in summary
    assert "🏆 Most cold calls: <@U0R0000038> 58 · <@U0R0000078> 58 · <@U0R0000118> 58" in summary
    assert "— cold calls" not in summary  # no rep lines in the channel itself
    assert "share_week" in str(standup.params["blocks"])
    named = [u for c in parts for u in re.findall(r"<@(\w+)> —", visible_text(c.params))]
    assert named == REPS  # everyone once, in the team's order, across the thread
    assert "<@U0R0000004> — nothing logged" in visible_text(parts[0].params)
    assert "<@U0R0000000> — cold calls 20 · deals closed 1" in visible_text(parts[0].params)

    # The manager's morning digest (200 1:1 prompts) and the 200 check-ins went out within limits too.
    assert len([c for c in posts if c.params["channel"] in REPS]) == len(REPS)
    assert len([c for c in posts if c.params["channel"] == BOSS]) == 1
    with Session(services.engine) as session:
        boards = session.scalars(select(Outbox).where(Outbox.kind == "standup_board")).all()
    assert sorted(b.status for b in boards) == ["sent"] * 4
    assert {b.slack_ts for b in boards} == {c.response["ts"] for c in parts}


def test_a_small_public_team_keeps_its_scoreboard_in_the_standup(services, clock, sender) -> None:
    make_team(services, clock, REPS[:25])
    clock.set(MONDAY)
    services.clock.run_due(sender=sender, now=clock(), sleep=lambda s: None)
    [standup] = sender.of("standup", CHANNEL)
    assert len(standup.payload["rows"]) == 25 and "board" not in standup.payload
    assert sender.of("standup_board") == []


# --- the thread waits for its standup, and is never sent twice ------------------------------------


class Refusing:
    """A sender that fails the standup as told (``errors``), and sends everything else."""

    def __init__(self, inner, errors: list[DeliveryError]) -> None:
        self.inner, self.errors = inner, errors
        self.found: list[str] = []

    def send(self, **kwargs):
        if kwargs["kind"] == "standup" and self.errors:
            raise self.errors.pop(0)
        return self.inner.send(**kwargs)

    def find(self, **kwargs):
        self.found.append(kwargs["key"])
        return self.inner.find(**kwargs)

    def __getattr__(self, name):
        return getattr(self.inner, name)


def boards(services) -> list[Outbox]:
    with Session(services.engine) as session:
        return list(session.scalars(select(Outbox).where(Outbox.kind == "standup_board").order_by(Outbox.id)))


def test_the_board_waits_for_a_standup_that_slack_rate_limits_then_follows_it(
    services, clock, sender
) -> None:
    make_team(services, clock, REPS[:60], logs=False)
    limited = DeliveryError("rate limited (ratelimited)", retryable=True, retry_after=500)  # past patience
    refusing = Refusing(sender, [limited])
    clock.set(MONDAY)
    services.clock.run_due(sender=refusing, now=clock(), sleep=lambda s: None)
    assert sender.of("standup") == [] and sender.of("standup_board") == []
    assert {b.status for b in boards(services)} == {"pending"}
    assert all(b.next_attempt_at is not None for b in boards(services))  # waiting, not lost

    clock.advance(minutes=10)
    services.clock.run_due(sender=refusing, now=clock(), sleep=lambda s: None)
    [standup] = sender.of("standup")
    parts = sender.of("standup_board")
    assert [p.payload["part"] for p in parts] == [1, 2]
    assert {p.payload["thread_ts"] for p in parts} == {f"1700000000.{sender.sent.index(standup) + 1:06d}"}
    assert sender.sent.index(standup) < min(sender.sent.index(p) for p in parts)


def test_the_board_of_a_standup_slack_refused_is_never_posted(services, clock, sender) -> None:
    make_team(services, clock, REPS[:60], logs=False)
    refusing = Refusing(sender, [DeliveryError("Slack refused: not_in_channel", retryable=False)])
    clock.set(MONDAY)
    services.clock.run_due(sender=refusing, now=clock(), sleep=lambda s: None)
    clock.advance(minutes=10)
    services.clock.run_due(sender=refusing, now=clock(), sleep=lambda s: None)
    assert sender.of("standup_board") == []
    assert [(b.status, b.error) for b in boards(services)] == [
        ("skipped", "the message it follows was never posted")
    ] * 2


class Timeout:
    """A sender whose posts in a thread time out: Slack may or may not have them."""

    def __init__(self, inner) -> None:
        self.inner = inner
        self.found: list[str] = []

    def send(self, **kwargs):
        if kwargs["payload"].get("thread_ts"):
            raise DeliveryError("no answer from Slack: timed out", retryable=True, ambiguous=True)
        return self.inner.send(**kwargs)

    def find(self, **kwargs):
        self.found.append(kwargs["key"])
        return self.inner.find(**kwargs)

    def __getattr__(self, name):
        return getattr(self.inner, name)


def test_a_board_part_whose_post_timed_out_is_not_sent_again(services, clock, sender, sleeps) -> None:
    make_team(services, clock, REPS[:60], logs=False)
    timing_out = Timeout(sender)
    clock.set(MONDAY)
    services.clock.run_due(sender=timing_out, now=clock(), sleep=sleeps.append)
    assert len(sender.of("standup")) == 1 and sender.of("standup_board") == []
    assert [b.status for b in boards(services)] == ["failed", "failed"]
    assert all("not sent again: a reply in a thread" in b.error for b in boards(services))
    assert timing_out.found == []  # a thread reply isn't in the channel's history: no use asking


def test_a_board_part_a_stopped_clock_claimed_is_skipped_not_looked_for(services, clock, sender) -> None:
    make_team(services, clock, REPS[:60], logs=False)
    clock.set("2026-11-23T13:00:00+00:00")  # before the standup: plan nothing yet
    services.clock.run_due(sender=sender, now=clock(), sleep=lambda s: None)
    clock.set(MONDAY)
    looking = Refusing(sender, [])
    services.clock.run_due(sender=looking, now=clock(), sleep=lambda s: None)
    # A clock died holding the second part: claimed, never marked.
    second = boards(services)[1]
    with Session(services.engine) as session, session.begin():
        session.execute(
            update(Outbox)
            .where(Outbox.id == second.id)
            .values(status=ob.SENDING, claimed_by="clock-dead", claimed_at=clock() - timedelta(minutes=30))
        )
    clock.advance(minutes=1)
    report = services.clock.run_due(sender=looking, now=clock(), sleep=lambda s: None)
    assert report.recovered >= 1
    assert str(second.id) not in looking.found
    [after] = [b for b in boards(services) if b.id == second.id]
    assert (after.status, after.claimed_by) == ("skipped", "clock-dead")
    assert len(sender.of("standup_board")) == 2  # posted once, never again
