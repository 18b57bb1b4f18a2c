"""Which conversations crash recovery reads first when Slack allows one history call a minute."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.services.recovery import Claim, Window, covers, reading_order, windows

T = datetime(2026, 11, 9, 14, 5, tzinfo=UTC)
MINUTE = timedelta(minutes=1)
TIMEOUT = timedelta(minutes=10)
GRACE = timedelta(minutes=20)


def claim(i: int, target: str, *, at: datetime = T, due: datetime = T) -> Claim:
    return Claim(i, "T1", target, "dm", "dead", at, due)


def window(target: str, n: int, *, due: datetime = T, first_id: int = 0) -> Window:
    claims = tuple(claim(first_id + i, target, due=due) for i in range(n))
    return Window("T1", target, claims, T - MINUTE, T + TIMEOUT + MINUTE)


def order(found: list[Window], first: datetime) -> list[str]:
    chosen = reading_order(found, deadline=lambda c: c.due_at + GRACE, first=first, interval=MINUTE)
    return [w.target for w in chosen]


def test_claims_share_a_read_where_their_posts_can_lie_in_one_span() -> None:
    now = T + timedelta(hours=3)
    found = windows(
        [
            claim(1, "U1"),
            claim(2, "U1", at=T + timedelta(minutes=5)),  # overlaps the first: one read
            claim(3, "U1", at=T + timedelta(hours=1)),  # an hour on: a span of its own
            claim(4, "C1"),
        ],
        margin=MINUTE,
        timeout=TIMEOUT,
        now=now,
    )
    spans = {(w.target, tuple(c.id for c in w.claims)): (w.since, w.until) for w in found}
    assert spans == {
        ("U1", (1, 2)): (T - MINUTE, T + timedelta(minutes=16)),
        ("U1", (3,)): (T + timedelta(minutes=59), T + timedelta(minutes=71)),
        ("C1", (4,)): (T - MINUTE, T + timedelta(minutes=11)),
    }
    [recent] = windows([claim(5, "U2")], margin=MINUTE, timeout=TIMEOUT, now=T + timedelta(minutes=3))
    assert recent.until == T + timedelta(minutes=3)  # never past the present


def test_the_conversation_with_most_claims_is_read_first() -> None:
    found = [window("U1", 1), window("U3", 3, first_id=10), window("U2", 2, first_id=20)]
    assert order(found, T + timedelta(minutes=11)) == ["U3", "U2", "U1"]


def test_a_lighter_conversation_whose_grace_ends_sooner_is_read_in_time() -> None:
    # Two reads left for these (14:17 and 14:18). Reading the heaviest first would let the channel's
    # grace run out: 3 + 1 claims settled instead of 2 + 3.
    found = [
        window("U3", 3, due=T - timedelta(minutes=7), first_id=10),  # grace ends 14:18
        window("C1", 2, due=T - timedelta(minutes=8)),  # 14:17: only the first read is in time
        window("U1", 1, due=T - timedelta(minutes=7), first_id=20),  # 14:18
    ]
    assert order(found, T + timedelta(minutes=12)) == ["C1", "U3", "U1"]  # U1 can't make it: last


def test_more_conversations_than_reads_before_the_grace_ends_leave_the_lightest_last() -> None:
    found = [window(f"U{i}", 1 + (i % 3), first_id=10 * i) for i in range(12)]
    first = T + timedelta(minutes=16)  # 10 reads left: 14:16 … 14:25
    chosen = order(found, first)
    weights = {f"U{i}": 1 + (i % 3) for i in range(12)}
    assert sorted(weights[t] for t in chosen[10:]) == [1, 1]  # the two left over are single claims
    assert sum(weights[t] for t in chosen[:10]) == sum(sorted(weights.values())[2:])


def test_a_conversation_whose_claims_are_all_past_the_grace_is_not_worth_a_read() -> None:
    found = [window("U1", 4, due=T - timedelta(hours=1)), window("U2", 1, first_id=10)]
    assert order(found, T + timedelta(minutes=11)) == ["U2"]
    assert order(found[:1], T + timedelta(minutes=11)) == []


def test_a_read_covers_a_span_only_when_it_saw_all_of_it() -> None:
    read = (T, T + timedelta(minutes=10))
    assert covers(read, T, T + timedelta(minutes=10))
    assert not covers(read, T - timedelta(seconds=1), T + timedelta(minutes=5))
    assert not covers(None, T, T)
