"""The fake's conversations.history, limited as Slack limits an app distributed outside the Marketplace
(one call a minute per workspace, 15 messages a call) and paged as Slack pages it — on the test's clock."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from tests.support.fakeslack import FakeSlack

T0 = 1_795_000_000.0  # an instant the test's clock starts at (2026-11-18)


class EpochClock:
    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> EpochClock:
    return EpochClock()


@pytest.fixture
def fake(clock: EpochClock) -> Iterator[FakeSlack]:
    with FakeSlack(team_id="T0OWN") as fake:
        fake.follow_clock(clock)
        yield fake


def client(fake: FakeSlack, token: str) -> WebClient:
    web = WebClient(token=token, base_url=fake.api_url, timeout=5)
    web.retry_handlers.clear()  # a 429 is the answer under test, not something to wait out
    return web


def post(web: WebClient, channel: str, count: int, clock: EpochClock, *, every: float = 1.0) -> list[str]:
    """``count`` messages to ``channel``, ``every`` seconds apart on the test's clock; their ts."""
    out = []
    for i in range(count):
        out.append(web.chat_postMessage(channel=channel, text=f"message {i}")["ts"])
        clock.now += every
    return out


def refused(call) -> SlackApiError:
    with pytest.raises(SlackApiError) as caught:
        call()
    return caught.value


def test_an_installed_workspace_gets_one_history_call_a_minute(fake: FakeSlack, clock: EpochClock) -> None:
    east = client(fake, fake.install_workspace("T0EAST"))
    west = client(fake, fake.install_workspace("T0WEST"))

    assert east.conversations_history(channel="C0EAST")["ok"]
    clock.now += 59.5
    err = refused(lambda: east.conversations_history(channel="C0EAST"))
    assert err.response.status_code == 429
    assert err.response["error"] == "ratelimited"
    assert err.response.headers["Retry-After"] == "1"  # 0.5 s left, in whole seconds
    assert west.conversations_history(channel="C0WEST")["ok"]  # each workspace has its own minute
    assert refused(lambda: east.conversations_history(channel="C0OTHER")).response.status_code == 429
    clock.now += 0.5  # a minute after the call that went through (the refused ones cost nothing)
    assert east.conversations_history(channel="C0EAST")["ok"]
    assert fake.history_refused == 2
    assert [c.status for c in fake.calls("conversations.history")] == [200, 429, 200, 429, 200]


def test_a_reinstall_shares_its_workspaces_minute(fake: FakeSlack) -> None:
    first = client(fake, fake.install_workspace("T0EAST"))
    again = client(fake, fake.install_workspace("T0EAST"))  # a new token, the same workspace

    assert first.conversations_history(channel="C0EAST")["ok"]
    assert refused(lambda: again.conversations_history(channel="C0EAST")).response.status_code == 429


def test_an_installed_workspace_gets_at_most_15_messages_a_call(fake: FakeSlack, clock: EpochClock) -> None:
    web = client(fake, fake.install_workspace("T0EAST"))
    sent = post(web, "C0EAST", 40, clock)

    page = web.conversations_history(channel="C0EAST", limit=200)  # Slack cuts it to 15, silently
    assert [m["ts"] for m in page["messages"]] == sent[::-1][:15]  # newest first
    assert page["has_more"] and page["response_metadata"]["next_cursor"]
    clock.now += 60
    default = web.conversations_history(channel="C0EAST", cursor=page["response_metadata"]["next_cursor"])
    assert [m["ts"] for m in default["messages"]] == sent[::-1][15:30]  # 15 is the default too


def test_the_apps_own_token_is_an_internal_apps_and_keeps_tier_3(fake: FakeSlack, clock: EpochClock) -> None:
    web = client(fake, fake.token)
    sent = post(web, "C0OWN", 120, clock, every=0.0)

    pages = [web.conversations_history(channel="C0OWN", limit=200) for _ in range(5)]  # in one instant
    assert all(len(p["messages"]) == 120 and not p["has_more"] for p in pages)
    assert len(web.conversations_history(channel="C0OWN")["messages"]) == 100  # Slack's default page
    assert fake.history_refused == 0
    assert {m["ts"] for m in pages[0]["messages"]} == set(sent)


def test_the_switch_holds_every_token_or_none(fake: FakeSlack, clock: EpochClock) -> None:
    own, installed = client(fake, fake.token), client(fake, fake.install_workspace("T0EAST"))
    post(own, "C0OWN", 20, clock)

    fake.limit_history(apply_to="all")
    assert len(own.conversations_history(channel="C0OWN", limit=200)["messages"]) == 15
    assert refused(lambda: own.conversations_history(channel="C0OWN")).response.status_code == 429

    fake.limit_history(apply_to="none")
    for _ in range(3):
        assert len(installed.conversations_history(channel="C0OWN", limit=200)["messages"]) == 20
    assert [c.status for c in fake.calls("conversations.history")] == [200, 429, 200, 200, 200]


def test_history_is_read_between_oldest_and_latest_page_by_page(fake: FakeSlack, clock: EpochClock) -> None:
    web = client(fake, fake.token)
    sent = post(web, "C0OWN", 10, clock)  # at T0, T0 + 1 s, … T0 + 9 s
    parent = sent[3]
    web.chat_postMessage(channel="C0OWN", text="a reply", thread_ts=parent)  # not in the channel's history

    between = web.conversations_history(channel="C0OWN", oldest=sent[2], latest=sent[6])
    assert [m["ts"] for m in between["messages"]] == sent[5:2:-1]  # both ends left out
    inclusive = web.conversations_history(channel="C0OWN", oldest=sent[2], latest=sent[6], inclusive=True)
    assert [m["ts"] for m in inclusive["messages"]] == sent[6:1:-1]

    seen, cursor = [], None
    for _ in range(4):
        page = web.conversations_history(channel="C0OWN", limit=3, cursor=cursor)
        seen += [m["ts"] for m in page["messages"]]
        cursor = page["response_metadata"]["next_cursor"]
        if not page["has_more"]:
            assert cursor == ""
            break
    assert seen == sent[::-1]
    assert float(sent[0]) == pytest.approx(T0)  # ts come from the test's clock, not the machine's
