"""The database can't take a write for seconds while reps use the bot.

Another connection holds the database's write lock — SQLite's ``BEGIN IMMEDIATE``, or on PostgreSQL
an ``EXCLUSIVE`` lock on ``entries`` (reads go on, writes wait), as a migration, a backup or a stuck
job would. Meanwhile reps send ``/log`` in a burst and then one after another. Every request must be
answered inside Slack's 3 seconds, with "Saving…" and the promise that the outcome follows; once the
lock is gone, each gets the true "Logged" through its response_url, and each entry is stored exactly
once. The same ``/log`` sent again while the first is still saving never lands silently twice.
``/health`` says 503 while the database can't take a write, and 200 again after.

And when the lock outlasts the work's budget, the rep is told plainly that nothing was recorded, and
nothing is — not even once the lock is gone.
"""

from __future__ import annotations

import json
import re
import sqlite3
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager

import pytest
from sqlalchemy import Engine, create_engine, select
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from bot.config import normalize_database_url
from bot.store.models import Entry
from tests.e2e.conftest import SIGNING_SECRET
from tests.support.fakeslack import FakeSlack
from tests.support.signing import Reply, SlackSender
from tests.support.webproc import WebProcess

pytestmark = [pytest.mark.e2e, pytest.mark.durations]

SLACK_WINDOW = 3.0  # Slack shows the user an error when the ack takes longer
LOCKED_FOR = 8.0  # seconds the database can't take a write, at least
MANAGER = "U0SLOWBOSS"
REPS = ("U0SLOWREP1", "U0SLOWREP2", "U0SLOWREP3", "U0SLOWREP4")


@contextmanager
def write_locked(database_url: str) -> Iterator[None]:
    """Another process's connection holds the lock every write needs, until the block ends."""
    url = make_url(normalize_database_url(database_url))
    if url.get_backend_name() == "sqlite":
        conn = sqlite3.connect(url.database, isolation_level=None, timeout=10)
        try:
            conn.execute("BEGIN IMMEDIATE")
            yield
            conn.execute("ROLLBACK")
        finally:
            conn.close()
        return
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            conn.exec_driver_sql("LOCK TABLE entries IN EXCLUSIVE MODE")
            yield
            conn.rollback()
    finally:
        engine.dispose()


def health(web: WebProcess) -> tuple[int, dict, float]:
    """(status, body, seconds it took)."""
    started = time.monotonic()
    try:
        with urllib.request.urlopen(web.url + "/health", timeout=SLACK_WINDOW) as answer:
            status, body = answer.status, json.loads(answer.read())
    except urllib.error.HTTPError as exc:
        status, body = exc.code, json.loads(exc.read())
    return status, body, time.monotonic() - started


def setup_team(slack: SlackSender, fake: FakeSlack, tag: str) -> None:
    fake.add_user(MANAGER, name="slowboss", tz="UTC")
    for i, rep in enumerate(REPS, 1):
        fake.add_user(rep, name=f"slowrep{i}", tz="UTC")
    created = slack.create_team(f"Slow {tag} <#C0SLOW{tag}|slow> tz=UTC", user_id=MANAGER)
    assert "Created" in created, created
    reply = slack.command("/team", "add " + " ".join(f"<@{rep}|x>" for rep in REPS), user_id=MANAGER)
    assert "Added" in reply.message_text, reply.message_text


def notes_in(engine: Engine) -> list[str]:
    with Session(engine) as session:
        return list(
            session.scalars(
                select(Entry.note)
                .where(Entry.user_id.in_(REPS), Entry.deleted_at.is_(None))
                .order_by(Entry.id)
            )
        )


def acked_in_time(reply: Reply, *, says: str) -> None:
    assert reply.status == 200, (reply.status, reply.text[:300])
    assert reply.elapsed < SLACK_WINDOW, f"answered after {reply.elapsed:.2f}s: {reply.message_text[:200]}"
    assert says in reply.message_text, reply.message_text


def answered(fake: FakeSlack, reply: Reply, timeout: float) -> str:
    """The one message sent to the reply's response_url (waited for, bounded)."""
    token = reply.response_token
    fake.wait_for(lambda f: f.responses(token), timeout=timeout, what=f"an answer to {reply.response_url}")
    return fake.unique_response(token).text


def test_log_answers_in_time_while_the_database_cannot_take_a_write(
    web_process: WebProcess, fake_slack: FakeSlack, database_url: str, engine: Engine
) -> None:
    slack = SlackSender(web_process.url, secret=SIGNING_SECRET, fake=fake_slack, timeout=2 * SLACK_WINDOW)
    setup_team(slack, fake_slack, "A")
    assert health(web_process)[0] == 200

    sent: dict[str, Reply] = {}  # note → the ack of `/log 1 calls -- <note>`

    def log(rep: str, note: str) -> Reply:
        return slack.command("/log", f"1 calls -- {note}", user_id=rep)

    with write_locked(database_url):
        locked_at = time.monotonic()
        status, body, took = health(web_process)
        assert (status, body.get("database")) == (503, "locked"), body
        assert took < 1.5, f"/health took {took:.2f}s"
        # A burst, two per rep at once …
        burst = [(rep, f"{rep.lower()} burst{n}") for rep in REPS for n in (1, 2)]
        with ThreadPoolExecutor(len(burst)) as pool:
            for (_, note), reply in zip(burst, pool.map(lambda a: log(*a), burst), strict=True):
                sent[note] = reply
        # … the very same /log again from a rep who didn't believe it …
        again = slack.command("/log", f"1 calls -- {REPS[0].lower()} burst1", user_id=REPS[0])
        # … and then one after another while the lock lasts.
        n = 0
        while time.monotonic() - locked_at < LOCKED_FOR:
            n += 1
            rep = REPS[n % len(REPS)]
            sent[f"{rep.lower()} stream{n}"] = log(rep, f"{rep.lower()} stream{n}")
        assert health(web_process)[0] == 503
        assert notes_in(engine) == []  # nothing could be written yet
    held = time.monotonic() - locked_at

    for reply in sent.values():
        acked_in_time(reply, says="Saving")
        assert "No need to send it again" in reply.message_text, reply.message_text
    acked_in_time(again, says="")
    # Once the lock is gone, each /log gets its true outcome through its response_url.
    for note, reply in sent.items():
        text = answered(fake_slack, reply, timeout=20)
        assert re.search(rf"Logged 1 call for today\.\n> {re.escape(note)}\b", text), (note, text)
    status, body, _ = health(web_process)
    assert (status, body) == (200, {"status": "ok", "database": "ok"}), body

    # Each entry exactly once; the one sent twice either wasn't taken again (the process that was
    # still saving it said so), or — sent to another web process — both were kept, and the answer
    # of the one saved second says so.
    stored = notes_in(engine)
    repeated = f"{REPS[0].lower()} burst1"
    assert sorted(n for n in stored if n != repeated) == sorted(n for n in sent if n != repeated)
    if "still saving" in again.message_text:
        assert "nothing counts twice" in again.message_text, again.message_text
        assert stored.count(repeated) == 1
        assert fake_slack.responses(again.response_token) == []
    else:
        acked_in_time(again, says="Saving")
        both = [answered(fake_slack, again, timeout=20), answered(fake_slack, sent[repeated], timeout=1)]
        assert all("Logged 1 call" in text for text in both), both
        assert sum("exactly this a moment ago" in text for text in both) == 1, both
        assert stored.count(repeated) == 2
    assert held >= LOCKED_FOR


@pytest.fixture
def impatient(fake_slack: FakeSlack, database_url: str) -> Iterator[WebProcess]:
    """A web process whose work gives up 4 s after the request."""
    process = WebProcess(
        fake=fake_slack,
        secret=SIGNING_SECRET,
        database_url=database_url,
        env={"WEB_CONCURRENCY": "1", "WORK_BUDGET_SECONDS": "4"},
    )
    process.start()
    try:
        yield process
    finally:
        process.stop()


def test_a_save_that_outlasts_its_budget_records_nothing_and_says_so(
    impatient: WebProcess, fake_slack: FakeSlack, database_url: str, engine: Engine
) -> None:
    slack = SlackSender(impatient.url, secret=SIGNING_SECRET, fake=fake_slack, timeout=2 * SLACK_WINDOW)
    setup_team(slack, fake_slack, "B")
    rep = REPS[1]
    with write_locked(database_url):
        late = slack.command("/log", "3 calls -- too late", user_id=rep)
        acked_in_time(late, says="Saving")
        # The budget ends while the lock still holds: the rep hears that nothing was recorded.
        text = answered(fake_slack, late, timeout=10)
        assert "couldn't save that" in text and "nothing was recorded" in text, text
    # Nothing was written, and nothing is once the lock is gone either: the rep's next /log is
    # answered in time and is all the database holds.
    reply = slack.command("/log", "1 calls -- in time", user_id=rep)
    acked_in_time(reply, says="Logged 1 call")
    assert "counts twice" not in reply.message_text
    assert notes_in(engine) == ["in time"]
    assert len(fake_slack.responses(late.response_token)) == 1  # and it was told once
