"""The ack deadline, driven by hand: a pool that runs work only when the test says, a clock the test
moves, and a deadline of zero — so nothing here waits on wall time.

In time, the listener's own ack is the answer. Past the deadline the user is told it's under way, and
the outcome follows where they are waiting (response_url, or a DM for a modal); work whose budget is
spent before it starts never runs, and says nothing was recorded.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future
from contextlib import contextmanager
from types import SimpleNamespace

import pytest

from bot.services.context import CommitUnconfirmed
from bot.slack.listeners.deadline import NOT_SAVED, SAVING, WORKING, Deadline


class HandPool:
    """An executor that runs what it was given only when ``run()`` is called."""

    def __init__(self) -> None:
        self.queue: list[Callable[[], None]] = []

    def submit(self, fn: Callable[[], None]) -> Future:
        self.queue.append(fn)
        return Future()

    def run(self) -> None:
        while self.queue:
            self.queue.pop(0)()


class InlinePool:
    """An executor that runs work at once, in the caller's thread: the database answered in time."""

    def submit(self, fn: Callable[[], None]) -> Future:
        fn()
        return Future()


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class Gateway:
    def __init__(self) -> None:
        self.posts: list[tuple[str, dict]] = []

    def post(self, *, channel: str, message: dict) -> None:
        self.posts.append((channel, message))


class World:
    """A Deadline with hand-driven parts, and what reached the user."""

    def __init__(self, pool=None, *, deadline: float = 0.0, budget: float = 30.0) -> None:
        self.pool = pool or HandPool()
        self.clock = Clock()
        self.follow_ups: list[Callable[[], None]] = []
        self.limits: list[float] = []
        self.gateway = Gateway()
        self.acks: list[dict] = []
        self.responses: list[dict] = []

        @contextmanager
        def limit(seconds: float):
            self.limits.append(seconds)
            yield

        self.deadline = Deadline(
            later=self.follow_ups.append,
            gateway_for=lambda _context: self.gateway,
            deadline=deadline,
            budget=budget,
            executor=self.pool,
            monotonic=self.clock,
            limit=limit,
        )

    def ack(self, **kwargs) -> None:
        self.acks.append(kwargs)

    def respond(self, **kwargs) -> None:
        self.responses.append(kwargs)

    def send_command(
        self, listener, text: str = "5 calls", command: str = "/log", user: str = "U0REP"
    ) -> None:
        body = {
            "command": command,
            "text": text,
            "user_id": user,
            "team_id": "T0001",
            "response_url": "https://hooks.example/r1",
        }
        listener(ack=self.ack, body=body, command=body, respond=self.respond, context=SimpleNamespace())

    def follow_up(self) -> None:
        while self.follow_ups:
            self.follow_ups.pop(0)()


def logged(text: str = "Logged 5 calls") -> dict:
    return {"response_type": "ephemeral", "text": text}


def new_message(payload: dict) -> dict:
    """What goes to a response_url: a message of its own, never over the one a button is on."""
    return {"replace_original": False, **payload}


def test_work_that_answers_in_time_is_the_ack_as_before() -> None:
    world = World(InlinePool(), deadline=2.0)

    @world.deadline.command
    def on_log(ack, command):
        ack(**logged())

    world.send_command(on_log)
    assert world.acks == [logged()]
    assert world.follow_ups == [] and world.responses == []
    assert world.limits == [30.0]  # its database waits are bounded by the budget


def test_an_error_in_time_reaches_the_error_handler() -> None:
    world = World(InlinePool(), deadline=2.0)

    @world.deadline.command
    def on_log(ack, command):
        raise RuntimeError("database is down")

    with pytest.raises(RuntimeError, match="database is down"):
        world.send_command(on_log)
    assert world.acks == []


def test_past_the_deadline_the_rep_hears_saving_then_the_true_outcome() -> None:
    world = World()

    @world.deadline.command
    def on_log(ack, command):
        ack(**logged())

    world.send_command(on_log)
    assert world.acks == [SAVING]  # at the deadline, with the promise that the outcome follows
    assert "No need to send it again" in SAVING["text"]
    world.clock.now += 9  # the lock is released, the save goes through
    world.pool.run()
    world.follow_up()
    assert world.responses == [new_message(logged())]


def test_other_commands_say_working_on_it() -> None:
    world = World()

    @world.deadline.command
    def on_goals(ack, command):
        ack(**logged("Goals set"))

    world.send_command(on_goals, command="/goals", text="team 25 calls/day")
    assert world.acks == [WORKING]


def test_a_late_failure_says_nothing_was_recorded() -> None:
    world = World()

    @world.deadline.command
    def on_log(ack, command):
        raise RuntimeError("database is locked")

    world.send_command(on_log)
    world.pool.run()
    world.follow_up()
    assert world.responses == [new_message(NOT_SAVED)]
    assert "nothing was recorded" in NOT_SAVED["text"] and "try again" in NOT_SAVED["text"]


def test_a_late_save_whose_commit_was_lost_says_nobody_can_tell() -> None:
    world = World()

    @world.deadline.command
    def on_log(ack, command):
        raise CommitUnconfirmed("COMMIT", None, OSError("gone"), connection_invalidated=True)

    world.send_command(on_log)
    world.pool.run()
    world.follow_up()
    [said] = world.responses
    assert "can't tell whether it was recorded" in said["text"]


def test_work_whose_budget_is_spent_before_it_starts_never_runs() -> None:
    world = World(budget=30.0)
    ran = []

    @world.deadline.command
    def on_log(ack, command):
        ran.append(True)

    world.send_command(on_log)
    world.clock.now += 30.5  # every worker was busy for the whole budget
    world.pool.run()
    world.follow_up()
    assert ran == []
    assert world.responses == [new_message(NOT_SAVED)]


def test_the_database_gets_what_is_left_of_the_budget() -> None:
    world = World(budget=30.0)

    @world.deadline.command
    def on_log(ack, command):
        ack(**logged())

    world.send_command(on_log)
    world.clock.now += 12  # queued behind other work for 12 s
    world.pool.run()
    assert world.limits == [18.0]


def test_the_same_command_again_while_the_first_runs_is_not_run_twice() -> None:
    world = World()
    ran: list[str] = []

    @world.deadline.command
    def on_log(ack, command):
        ran.append(command["text"])
        ack(**logged())

    world.send_command(on_log, text="5 calls -- acme")
    world.send_command(on_log, text="5  calls --  acme")  # the same, typed again
    world.send_command(on_log, text="6 calls")  # another one runs
    world.send_command(on_log, text="5 calls -- acme", user="U0OTHER")  # and someone else's
    assert world.acks[0] == SAVING
    assert "still saving" in world.acks[1]["text"] and "nothing counts twice" in world.acks[1]["text"]
    world.pool.run()
    assert ran == ["5 calls -- acme", "6 calls", "5 calls -- acme"]
    world.send_command(on_log, text="5 calls -- acme")  # once the first is done, it may be sent again
    world.pool.run()
    assert ran[-1] == "5 calls -- acme" and len(ran) == 4


def test_once_answered_in_time_the_same_command_may_come_again_before_the_first_run_ends() -> None:
    world = World(InlinePool(), deadline=2.0)
    ran: list[str] = []

    @world.deadline.command
    def on_log(ack, command):
        ran.append(command["text"])
        ack(**logged("Removed 5 calls"))
        if len(ran) == 1:  # the rep has their answer and sends it again while this run's tail goes on
            world.send_command(on_log, text="undo")

    world.send_command(on_log, text="undo")
    assert ran == ["undo", "undo"]
    assert world.acks == [logged("Removed 5 calls"), logged("Removed 5 calls")]


def test_a_failure_after_a_late_answer_is_only_logged(caplog) -> None:
    world = World()

    @world.deadline.command
    def on_log(ack, command):
        ack(**logged())
        raise RuntimeError("refreshing the Home tab failed")

    world.send_command(on_log)
    world.pool.run()
    world.follow_up()
    assert world.responses == [new_message(logged())]  # not also "nothing was recorded"
    assert "refreshing the Home tab failed" in caplog.text


def test_a_late_button_failure_goes_to_its_response_url_or_a_dm() -> None:
    world = World()

    @world.deadline.action
    def mark_done(ack, body):
        raise RuntimeError("database is locked")

    in_message = {"user": {"id": "U0BOSS"}, "response_url": "https://hooks.example/r2"}
    mark_done(ack=world.ack, body=in_message, respond=world.respond, context=SimpleNamespace())
    in_home = {"user": {"id": "U0BOSS"}}
    mark_done(ack=world.ack, body=in_home, respond=None, context=SimpleNamespace())
    assert world.acks == [{}, {}]  # buttons ack empty
    world.pool.run()
    world.follow_up()
    assert world.responses == [new_message(NOT_SAVED)]
    assert world.gateway.posts == [("U0BOSS", NOT_SAVED)]


def test_a_late_modal_closes_and_its_errors_come_in_a_dm() -> None:
    world = World()

    @world.deadline.view
    def submit(ack, body):
        ack(response_action="errors", errors={"metric:calls": "Nothing was recorded: the daily ceiling…"})

    submit(ack=world.ack, body={"user": {"id": "U0REP"}}, respond=None, context=SimpleNamespace())
    assert world.acks == [{}]  # the plain ack closes the modal
    world.pool.run()
    world.follow_up()
    [(channel, dm)] = world.gateway.posts
    assert channel == "U0REP"
    assert "couldn't save your form" in dm["text"] and "daily ceiling" in dm["text"]


def test_a_modal_in_time_shows_its_errors_inline() -> None:
    world = World(InlinePool(), deadline=2.0)

    @world.deadline.view
    def submit(ack, body):
        ack(response_action="errors", errors={"day": "Pick a date from the calendar."})

    submit(ack=world.ack, body={"user": {"id": "U0REP"}}, respond=None, context=SimpleNamespace())
    assert world.acks == [{"response_action": "errors", "errors": {"day": "Pick a date from the calendar."}}]
    assert world.follow_ups == []


def test_bolt_passes_what_both_the_listener_and_the_deadline_need() -> None:
    from slack_bolt.util.utils import get_arg_names_of_callable

    world = World()

    @world.deadline.view
    def submit(ack, view, context):
        ack()

    assert set(get_arg_names_of_callable(submit)) == {"ack", "view", "context", "body", "respond"}
    assert submit.__name__ == "submit"


def test_while_work_is_late_the_next_requests_wait_only_briefly() -> None:
    world = World()

    @world.deadline.command
    def on_log(ack, command):
        ack(**logged())

    world.send_command(on_log)  # the database is slow: this one is past its deadline
    world.deadline.deadline = 2.0
    assert world.deadline.patience() == world.deadline.hurried < 1
    world.pool.run()  # once it is done, requests get the whole deadline again
    assert world.deadline.patience() == 2.0
