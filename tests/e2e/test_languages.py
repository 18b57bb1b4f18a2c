"""An Albanian team through the running web process and ``clock --once``: once its manager sets
``/team language sq``, ``/team currency ALL`` and ``/team holidays AL``, every reply, view, DM and
channel post its reps see is in Albanian with lek amounts, while the manager, who chose English for
himself, reads his own replies and DMs in English."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.store.models import Entry, Team
from tests.e2e.test_clock_cli import clock_once
from tests.e2e.test_home import home_opened, published, view_of
from tests.e2e.test_interactive import buttons, opened_view
from tests.support.fakeslack import FakeSlack
from tests.support.pseudo import texts
from tests.support.signing import SlackSender
from tests.support.timewarp import MovableClock

pytestmark = pytest.mark.e2e

BOSS, ANA, BESA = "U0SQBOSS", "U0SQANA", "U0SQBESA"
CHANNEL = "C0SQSALES"
FRIDAY = datetime(2026, 11, 27, 15, 0, tzinfo=UTC)  # 16:00 in Tirana, 10:00 in New York
MONDAY = datetime(2026, 12, 7, tzinfo=UTC)  # 30 Nov and 1 Dec are public holidays in Albania

# Words of English that no Albanian sentence has: one of them in a message means English leaked in.
ENGLISH = frozenset(
    [
        "the",
        "you",
        "your",
        "and",
        "for",
        "this",
        "with",
        "from",
        "logged",
        "today",
        "yesterday",
        "week",
        "goal",
        "goals",
        "calls",
        "team's",
        "is",
        "are",
        "was",
        "no",
        "of",
        "to",
        "at",
        "on",
        "by",
        "here",
        "there",
        "what",
        "when",
        "how",
        "nothing",
    ]
)
ALBANIAN = re.compile(r"[ëç]|\b(të|për|sot|javë|java|ju|ti|ke|nuk|një|dhe)\b", re.IGNORECASE)


def plain(payload) -> str:
    text = " ".join(texts(payload))
    text = re.sub(r"<[^<>]*>|:[a-z0-9_+\-]+:|`[^`]*`", " ", text)  # tokens, emoji, typed commands
    return text.replace("\u00a0", " ").replace("\u202f", " ")


def english_in(payload) -> set[str]:
    return {w for w in re.findall(r"[a-z']+", plain(payload).casefold()) if w in ENGLISH}


def assert_albanian(payload, what: str) -> None:
    text = plain(payload)
    assert ALBANIAN.search(text), f"{what} is not Albanian: {text!r}"
    assert not english_in(payload), f"{what} has English {sorted(english_in(payload))}: {text!r}"


def assert_english(payload, what: str) -> None:
    text = plain(payload)
    assert not ALBANIAN.search(text.replace("Shitjet Tirana", "")), f"{what} is not English: {text!r}"


def reply(slack: SlackSender, command: str, text: str, user: str) -> dict:
    said = slack.command(command, text, user_id=user)
    assert said.status == 200, said.text
    return said.json()


@pytest.fixture
def team(slack: SlackSender, fake_slack: FakeSlack, web_clock: MovableClock, engine) -> None:
    web_clock.set(FRIDAY)
    fake_slack.add_user(BOSS, name="boss", tz="America/New_York")
    fake_slack.add_user(ANA, name="ana", tz="Europe/Tirane")
    fake_slack.add_user(BESA, name="besa", tz="Europe/Tirane")
    created = slack.create_team(f"Shitjet Tirana <#{CHANNEL}|shitjet> tz=Europe/Tirane", user_id=BOSS)
    assert "Created *Shitjet Tirana*" in created, created
    slack.command("/team", f"add <@{ANA}|ana> <@{BESA}|besa>", user_id=BOSS)
    slack.command("/goals", "team 20 calls/day, 5 presentations/week", user_id=BOSS)
    fake_slack.wait_for(lambda f: len([c for c in f.calls("users.info") if c.status == 200]) >= 3, timeout=10)


def test_an_albanian_team_with_an_english_manager(
    slack: SlackSender, fake_slack: FakeSlack, team, engine, database_url, web_clock: MovableClock
) -> None:
    # The manager sets the team's language: with no language of his own yet, he reads Albanian too.
    assert_albanian(reply(slack, "/team", "language sq", BOSS), "/team language sq")
    # … until he chooses English for himself.
    chose = reply(slack, "/checkin", "language en", BOSS)
    assert_english(chose, "/checkin language en")
    assert "English" in plain(chose)
    currency = reply(slack, "/team", "currency ALL", BOSS)
    assert_english(currency, "/team currency ALL")
    assert "ALL" in plain(currency)
    holidays = plain(reply(slack, "/team", "holidays AL", BOSS))
    assert "Independence Day" in holidays, holidays  # named in the manager's language
    with Session(engine) as session:
        stored = session.scalar(select(Team).where(Team.name == "Shitjet Tirana"))
        assert (stored.language, stored.currency, stored.holiday_country) == ("sq", "ALL", "AL")

    # A rep reads every answer in Albanian, types Albanian, and sees lek.
    assert "Dita Flamurit dhe e Pavarësisë" in plain(reply(slack, "/team", "holidays", ANA))
    logged = reply(slack, "/log", "25 telefonata, 4.500 lekë të ardhura", ANA)
    assert_albanian(logged, "/log")
    assert "4 500 Lekë" in plain(logged), plain(logged)
    with Session(engine) as session:
        revenue = session.scalar(select(Entry).where(Entry.user_id == ANA, Entry.metric_key == "revenue"))
        assert (revenue.amount, revenue.currency) == (4500, "ALL")
    for command, text in (
        ("/log", "ndihmë"),
        ("/log", "java"),
        ("/goals", ""),
        ("/checkin", ""),
        ("/team", ""),
        ("/log", "25 xyz"),  # a refusal, in Albanian too
    ):
        assert_albanian(reply(slack, command, text, ANA), f"{command} {text}")
    refused = reply(slack, "/log", "4500 USD të ardhura", ANA)  # not the team's currency: nothing saved
    assert_albanian(refused, "a foreign currency")
    with Session(engine) as session:
        assert len(session.scalars(select(Entry).where(Entry.user_id == ANA)).all()) == 2

    home_opened(slack, ANA)
    [home] = published(fake_slack, ANA)[-1:]
    assert_albanian(view_of(home), "Ana's Home")
    found = buttons({"blocks": view_of(home)["blocks"]})
    slack.button("log_activity", user_id=ANA, value=found["log_activity"]["value"])
    assert_albanian(opened_view(fake_slack), "the Log activity modal")

    home_opened(slack, BOSS)
    [boss_home] = published(fake_slack, BOSS)[-1:]
    assert_english(view_of(boss_home), "the manager's Home")

    # A working Monday: the standup in the channel, the reps' DMs, the manager's digest.
    web_clock.set(MONDAY)
    before = len(fake_slack.calls("chat.postMessage"))
    for hour in (7, 8, 9, 12, 14, 15, 17, 20):
        clock_once(fake_slack, database_url, MONDAY + timedelta(hours=hour, minutes=5))
    posts = [c for c in fake_slack.calls("chat.postMessage")[before:] if c.status == 200]
    by_target: dict[str, list] = {}
    for post in posts:
        by_target.setdefault(post.params["channel"], []).append(post.params)
    assert by_target.get(CHANNEL), f"no standup in the channel: {sorted(by_target)}"
    assert by_target.get(ANA) and by_target.get(BOSS), sorted(by_target)
    for target, messages in by_target.items():
        for message in messages:
            if target == BOSS:
                assert_english(message, f"a DM to the manager: {json.dumps(message)[:200]}")
            else:
                assert_albanian(message, f"a post to {target}")

    # Besa reads English; what she shares goes into the team's thread in the team's language.
    web_clock.set(MONDAY + timedelta(hours=9))
    assert_english(reply(slack, "/checkin", "language en", BESA), "/checkin language en")
    [standup] = [p for p in by_target[CHANNEL] if "share_week" in buttons(p)]
    opened = len(fake_slack.calls("views.open"))
    share = buttons(standup)["share_week"]["value"]
    slack.button("share_week", user_id=BESA, value=share, channel_id=CHANNEL)
    call = fake_slack.wait_for(lambda f: f.calls("views.open")[opened:], what="the Share my week modal")[0]
    modal = json.loads(call.params["view"]) if isinstance(call.params["view"], str) else call.params["view"]
    assert modal["callback_id"] == "share_week"
    assert_english(modal, "the Share my week modal Besa opened")
    before = len(fake_slack.calls("chat.postMessage"))
    values = {
        "wins": {"value": {"type": "plain_text_input", "value": "Mbylla Acme"}},
        "focus": {"value": {"type": "plain_text_input", "value": "Demo"}},
        "help": {"value": {"type": "plain_text_input", "value": ""}},
    }
    slack.submit_view("share_week", values, user_id=BESA, private_metadata=modal["private_metadata"])
    [thread] = fake_slack.wait_for(
        lambda f: [c for c in f.calls("chat.postMessage")[before:] if c.params.get("thread_ts")],
        what="Besa's answer in the standup's thread",
    )
    assert_albanian(thread.params, "Besa's answer in the team's thread")
