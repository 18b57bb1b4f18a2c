"""The edge sets the reader's voice: follow-ups keep it, and the deadline's own answers ("Saving…",
"still saving", a late failure) speak the caller's remembered language."""

from __future__ import annotations

import threading

from bot.i18n import Voice, language, speaking
from bot.services.context import time_limit
from bot.slack.listeners.deadline import Deadline
from bot.slack.listeners.followups import make_later
from bot.slack.listeners.voices import heard, person, remembered
from bot.store.db import remaining
from tests.slack.test_deadline import Clock, Gateway, HandPool


def test_a_follow_up_speaks_the_voice_it_was_queued_in_but_not_its_time_limit() -> None:
    later = make_later(max_workers=1)
    seen: list[tuple[str, float | None]] = []
    done = threading.Event()

    def work() -> None:
        seen.append((language(), remaining()))
        done.set()

    with speaking("sq"), time_limit(0.5):
        later(work)
    assert done.wait(5)
    assert seen == [("sq", None)]  # the request's database time limit ended with the request


class Voices:
    """The voice service's two reads, by hand."""

    def __init__(self, known: dict[str, str]) -> None:
        self.known = known

    def for_person(self, *, workspace_id: str, user_id: str) -> Voice:
        return Voice(self.known.get(user_id, "en"), "ALL")

    def remembered(self, *, workspace_id: str, user_id: str) -> Voice:
        return Voice(self.known.get(user_id, "en"), "ALL")


def deadline_for(voices: Voices) -> tuple[Deadline, list, list]:
    follow_ups: list = []
    pool = HandPool()
    d = Deadline(
        later=follow_ups.append,
        gateway_for=lambda _context: Gateway(),
        deadline=0.0,
        executor=pool,
        monotonic=Clock(),
        voice_for=remembered(voices),
    )
    return d, follow_ups, pool.queue


def command(user: str, text: str = "25 calls") -> dict:
    return {"command": "/log", "text": text, "user_id": user, "team_id": "T0001", "response_url": "https://r"}


def test_saving_and_still_saving_speak_the_callers_language() -> None:
    d, follow_ups, queue = deadline_for(Voices({"U0ANA1": "sq"}))
    acks: list[dict] = []
    heard_in: list[str] = []

    @d.command
    def on_log(ack, command):
        heard_in.append(language())
        raise RuntimeError("database is locked")

    for user in ("U0ANA1", "U0ANA1", "U0BEN2"):
        body = command(user)
        on_log(
            ack=lambda **kw: acks.append(kw), body=body, command=body, respond=lambda **kw: None, context=None
        )
    saving, still, english = (a["text"] for a in acks)
    assert saving.startswith(":hourglass_flowing_sand: Po ruaj…")
    assert still.startswith(":hourglass_flowing_sand: Ende po ruaj `/log 25 calls`")
    assert english.startswith(":hourglass_flowing_sand: Saving…")
    for job in list(queue):  # the work runs late, and fails
        job()
    assert heard_in == ["sq", "en"]  # the listener itself runs in the remembered voice too
    assert len(follow_ups) == 2


def test_a_late_failure_is_told_in_the_callers_language() -> None:
    d, follow_ups, queue = deadline_for(Voices({"U0ANA1": "sq"}))
    told: list[dict] = []

    @d.command
    def on_log(ack, command):
        raise RuntimeError("database is locked")

    body = command("U0ANA1")
    on_log(ack=lambda **kw: None, body=body, command=body, respond=lambda **kw: told.append(kw), context=None)
    queue.pop()()
    follow_ups.pop()()  # posted from another thread, outside any voice: the text was built before
    assert told[0]["text"].startswith(":warning: Nuk arrita ta ruaj — nuk u regjistrua asgjë.")


def test_a_click_runs_in_the_clicking_users_voice() -> None:
    said: list[str] = []

    @heard(Voices({"U0ANA1": "sq"}))
    def on_click(ack, body):
        said.append(language())

    on_click(ack=None, body={"type": "block_actions", "user": {"id": "U0ANA1", "team_id": "T0001"}})
    on_click(ack=None, body={"type": "block_actions", "user": {"id": "U0BEN2", "team_id": "T0001"}})
    assert said == ["sq", "en"]


def test_who_a_payload_is_from() -> None:
    assert person({"command": "/log", "team_id": "T0001", "user_id": "U0ANA1"}) == ("T0001", "U0ANA1")
    assert person({"type": "view_submission", "team": {"id": "T0001"}, "user": {"id": "U0ANA1"}}) == (
        "T0001",
        "U0ANA1",
    )
    assert person({"type": "event_callback", "team_id": "T0001", "event": {"user": "U0ANA1"}}) == (
        "T0001",
        "U0ANA1",
    )
    assert person({"type": "block_actions"}) is None
