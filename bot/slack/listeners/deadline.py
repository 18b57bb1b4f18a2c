"""Slack's 3 seconds, kept even when the database is slow.

A listener wrapped here runs on a pool of its own while the request thread waits for its ``ack``, at
most ``deadline`` seconds. In time, that ack is the answer, as before. Past it, the request thread
answers "working on it" and returns, and the listener's outcome reaches the user another way once it
is known: a command's or a button's through ``response_url``, a modal's in a DM (Slack closes the
modal on the plain ack). The listener itself must finish within ``budget`` seconds of the request:
its database waits end then (``time_limit``), and a wait cut short rolls back, so the user hears
"nothing was recorded" and nothing was.

The work pool is separate from the follow-up pool (``later``): follow-ups are Web API calls that
must not queue behind database waits, and late answers go out through ``later`` like any other.
"""

from __future__ import annotations

import inspect
import logging
import threading
import time
from collections.abc import Callable
from concurrent.futures import Executor, ThreadPoolExecutor
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from typing import Any

from bot.i18n import Voice, _, speaking
from bot.services.context import CommitUnconfirmed, time_limit
from bot.slack.gateway import GatewayFor
from bot.slack.listeners.errors import UNCONFIRMED
from bot.slack.listeners.followups import Later
from bot.slack.listeners.voices import carry
from bot.slack.messages.replies import Lazy, Payload, message

log = logging.getLogger(__name__)

DEFAULT_DEADLINE = 2.0  # seconds the request thread waits for a listener's ack
DEFAULT_BUDGET = 30.0  # seconds, from the request, that a listener's database work may take in all
# While some work is already past its deadline the database is slow for everyone: later requests wait
# only this long (a read that needs no lock still answers inline), so the request threads stay free
# and a burst queued behind them in the server still gets its ack inside Slack's 3 seconds.
HURRIED = 0.25

# The first answer past the deadline. It says the outcome will follow, so the rep doesn't send it
# again: a second /log while the first is still saving would count twice.
# Each is built when read, in the voice of the person it answers.
SAVING = Lazy(
    lambda: message(
        _(
            ":hourglass_flowing_sand: Saving… the database is slow right now. I'll tell you here whether it "
            "was recorded as soon as it's done."
        ),
        detail=_("No need to send it again: a second one could count twice."),
    )
)
WORKING = Lazy(
    lambda: message(
        _(
            ":hourglass_flowing_sand: Working on it… the database is slow right now. I'll answer here as "
            "soon as it's done."
        ),
        detail=_("No need to send it again."),
    )
)
NOT_SAVED = Lazy(
    lambda: message(
        _(
            ":warning: I couldn't save that — nothing was recorded. The database was too busy to take it in "
            "time; please try again in a minute."
        ),
    )
)
NOT_DONE = Lazy(
    lambda: message(
        _(
            ":warning: I couldn't finish that — nothing was changed. The database was too busy to answer in "
            "time; please try again in a minute."
        ),
    )
)


def still_working(command: str, text: str) -> Payload:
    """The answer to the very same command sent again while the first is still running."""
    said = f"`{command} {text}`" if text else f"`{command}`"
    if command == "/log":
        head = _(
            ":hourglass_flowing_sand: I'm still saving your {command} from a moment ago; its answer will "
            "follow here.",
            command=said,
        )
    else:
        head = _(
            ":hourglass_flowing_sand: I'm still working on your {command} from a moment ago; its answer "
            "will follow here.",
            command=said,
        )
    return message(head, detail=_("I didn't take this one, so nothing counts twice."))


def failure(error: BaseException, *, command: str | None = None) -> Payload:
    """What the user is told when a listener failed after its deadline: a save that lost the database
    during COMMIT may have landed; any other failure means nothing was written."""
    if isinstance(error, CommitUnconfirmed):
        return dict(UNCONFIRMED)
    return dict(NOT_SAVED if command in (None, "/log") else NOT_DONE)


class BudgetSpent(Exception):
    """The work's budget was spent before a worker could start it: it never ran, nothing was written."""


Listener = Callable[..., None]
Send = Callable[[dict], None]  # posts one message where the user waits (response_url or DM)


@dataclass(frozen=True)
class Late:
    """How one kind of request is finished past its deadline. ``send`` posts where the user waits,
    or is None when there is nowhere to (then the outcome is only logged)."""

    first: dict  # the ack's arguments at the deadline: "working on it", or an empty ack
    ack: Callable[[dict, Send | None], None]  # what the listener acked, passed on
    failed: Callable[[BaseException, Send | None], None]  # the listener's error, told the user


_WAITING, _ACKED, _LATE = "waiting", "acked", "late"


class _Run:
    """One listener call. Whether the request thread (in time) or the late path answers is decided
    once, under the lock; so is whether a failure still needs telling."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.settled = threading.Event()  # acked, or finished without an ack
        self.state = _WAITING
        self.acked: dict = {}
        self.late_acked = False  # the listener acked after the deadline: its outcome was passed on
        self.done = False
        self.error: BaseException | None = None


# Arguments every wrapped listener receives from Bolt, whether or not it names them itself.
_NEEDED = ("ack", "body", "respond", "context")


class Deadline:
    """Wraps Bolt listeners (see the module docstring). ``executor``, ``monotonic`` and ``limit`` are
    injectable, so tests drive it without threads or wall time."""

    def __init__(
        self,
        *,
        later: Later,
        gateway_for: GatewayFor,
        deadline: float = DEFAULT_DEADLINE,
        budget: float = DEFAULT_BUDGET,
        executor: Executor | None = None,
        workers: int = 8,
        monotonic: Callable[[], float] = time.monotonic,
        limit: Callable[[float], AbstractContextManager[object]] = time_limit,
        hurried: float = HURRIED,
        voice_for: Callable[[dict], Voice] | None = None,
    ) -> None:
        self.deadline = deadline
        self.budget = budget
        self.hurried = hurried
        self._late = 0  # runs past their deadline and not yet finished
        self._later = later
        self._gateway_for = gateway_for
        self._executor = executor or ThreadPoolExecutor(max_workers=workers, thread_name_prefix="work")
        self._monotonic = monotonic
        self._limit = limit
        self._in_flight: set[tuple[str, ...]] = set()
        self._lock = threading.Lock()
        # The voice of a request's sender, read without the database: the answers given at the
        # deadline ("Saving…", "still saving", a late failure) are in it; the listener sets its own.
        self._voice_for = voice_for

    # --- the kinds of request --------------------------------------------------------------------

    def command(self, listener: Listener) -> Listener:
        """A slash command: past the deadline, "Saving…" now and the true reply through response_url.
        The very same command from the same person while the first still runs is not run again."""

        def acked(reply: dict, send: Send | None) -> None:
            if reply and send is not None:  # an empty ack: the listener answers by response_url itself
                send(reply)

        def late(body: dict) -> Late:
            command = str(body.get("command", ""))

            def failed(error: BaseException, send: Send | None) -> None:
                if send is not None:
                    send(failure(error, command=command))

            return Late(SAVING if command == "/log" else WORKING, acked, failed)

        return self._wrap(listener, late, dedupe=True)

    def action(self, listener: Listener) -> Listener:
        """A button: its ack is empty, and it answers through response_url or Slack itself; a failure
        past the deadline is told through response_url, or in a DM where there is none (App Home)."""

        def failed(error: BaseException, send: Send | None) -> None:
            if send is not None:
                send(failure(error))

        return self._wrap(listener, lambda _body: Late({}, lambda _reply, _send: None, failed))

    def view(self, listener: Listener) -> Listener:
        """A modal's submission: past the deadline the plain ack closes the modal, and what would have
        shown in it — the errors that left it unsaved, or the failure — comes in a DM. A saved form's
        confirmation is the listener's own (it posts one after its ack)."""

        def acked(reply: dict, send: Send | None) -> None:
            errors = reply.get("errors") if reply.get("response_action") == "errors" else None
            if isinstance(errors, dict) and errors and send is not None:
                send(
                    message(
                        _(":warning: I couldn't save your form — nothing was recorded."),
                        body=[str(e) for e in errors.values()],
                        detail=_("Open the form again to fix it."),
                    )
                )

        def failed(error: BaseException, send: Send | None) -> None:
            if send is not None:
                send(failure(error))

        return self._wrap(listener, lambda _body: Late({}, acked, failed), dm=True)

    # --- the mechanism ---------------------------------------------------------------------------

    def _wrap(
        self, listener: Listener, late: Callable[[dict], Late], *, dedupe: bool = False, dm: bool = False
    ) -> Listener:
        own = inspect.getfullargspec(inspect.unwrap(listener)).args
        if "ack" not in own:
            raise TypeError(f"{listener.__name__} must take `ack` to run with a deadline")

        def bounded(**kwargs: Any) -> None:
            v = self._voice_for(kwargs["body"]) if self._voice_for is not None else None
            with speaking(v.language, currency=v.currency) if v is not None else nullcontext():
                answer(**kwargs)

        def answer(**kwargs: Any) -> None:
            ack, body = kwargs["ack"], kwargs["body"]
            mine = {name: kwargs[name] for name in own if name in kwargs}
            send = self._sender(body, kwargs.get("respond"), kwargs.get("context"), dm=dm)
            key = _command_key(body) if dedupe else None
            if key is not None and not self._claim(key):
                ack(**still_working(key[2], key[3]))
                return
            self.run(
                lambda reply: listener(**{**mine, "ack": reply}),
                ack=ack,
                late=late(body),
                send=send,
                key=key,
                name=listener.__name__,
            )

        # Bolt passes a listener the arguments its signature names (see slack_bolt's kwargs injection).
        names = list(dict.fromkeys([*own, *_NEEDED]))
        bounded.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
            [inspect.Parameter(n, inspect.Parameter.POSITIONAL_OR_KEYWORD) for n in names]
        )
        bounded.__name__ = bounded.__qualname__ = listener.__name__
        bounded.__doc__ = listener.__doc__
        return bounded

    def patience(self) -> float:
        """How long the request thread waits for the next run's answer."""
        with self._lock:
            return self.deadline if self._late == 0 else min(self.deadline, self.hurried)

    def _claim(self, key: tuple[str, ...]) -> bool:
        with self._lock:
            if key in self._in_flight:
                return False
            self._in_flight.add(key)
            return True

    def _release(self, key: tuple[str, ...] | None) -> None:
        if key is not None:
            with self._lock:
                self._in_flight.discard(key)

    def run(
        self,
        work: Callable[[Callable[..., None]], None],
        *,
        ack: Callable[..., None],
        late: Late,
        send: Send | None = None,
        key: tuple[str, ...] | None = None,
        name: str = "listener",
    ) -> None:
        """Run ``work(reply)`` on the pool, where ``reply(**kw)`` is its ack. Called in the request
        thread; returns once the work has acked or finished, or at the deadline (``key``, a claimed
        command, is released when the work is done)."""
        run = _Run()
        started = self._monotonic()
        until = started + self.budget

        def reply(**kwargs: Any) -> None:
            with run.lock:
                if run.state == _WAITING:
                    run.state, run.acked = _ACKED, kwargs
                    run.settled.set()
                    # Answered in time: the person has their outcome, and the same command sent
                    # again now is meant (a second /log undo), even before this run's tail ends.
                    self._release(key)
                    return
                pass_on = run.state == _LATE and not run.late_acked
                run.late_acked = True
            if pass_on:
                self._safely("passing on a late answer", lambda: late.ack(kwargs, send))

        def job() -> None:
            error: BaseException | None = None
            try:
                left = until - self._monotonic()
                if left <= 0:
                    raise BudgetSpent(f"no worker was free within {self.budget:g}s")
                with self._limit(left):
                    work(reply)
            except BaseException as err:  # reported below: to the user, or to the error handler
                error = err
            finally:
                self._release(key)
                with run.lock:
                    run.done, run.error = True, error
                    state, told = run.state, run.late_acked
                    run.settled.set()
                if state == _LATE:
                    with self._lock:
                        self._late -= 1
            took = self._monotonic() - started
            if state == _LATE and error is None:
                log.info("%s finished %.1fs after the request, past its ack deadline", name, took)
            elif state == _LATE and not told:
                log.error("%s failed %.1fs after the request: %s", name, took, error, exc_info=error)
                self._safely("telling the user of a late failure", lambda: late.failed(error, send))
            elif error is not None and state != _WAITING:  # it had answered already; only a log line
                log.error("%s failed after its answer: %s", name, error, exc_info=error)

        try:
            self._executor.submit(carry(job))  # a late answer speaks the request's voice
        except BaseException:
            self._release(key)
            raise
        waited = self.patience()
        run.settled.wait(waited)
        with run.lock:
            if run.state == _ACKED:
                answer = run.acked
            elif run.done:
                if run.error is not None:
                    raise run.error  # in time, so the error handler answers, as for any listener
                return  # finished without acking: Bolt says so, as it always did
            else:
                run.state = _LATE
                with self._lock:
                    self._late += 1
                answer = late.first
                log.warning("%s gave no answer within %.2fs: said it's working on it", name, waited)
        ack(**answer)

    def _sender(self, body: dict, respond: Any, context: Any, *, dm: bool) -> Send | None:
        """Where a late outcome goes, posted on the follow-up pool: the request's response_url (as a
        message of its own, never over the one a button is on), else — a modal, or a button in App
        Home — a DM from the bot."""
        if respond is not None and not dm and body.get("response_url"):

            def respond_later(payload: dict) -> None:
                payload = dict(payload)  # built now, in this request's voice
                self._later(lambda: respond(**{"replace_original": False, **payload}))

            return respond_later
        user = (body.get("user") or {}).get("id") if isinstance(body.get("user"), dict) else None
        if user and context is not None:
            gateway = self._gateway_for(context)

            def dm_later(payload: dict) -> None:
                payload = dict(payload)
                self._later(lambda: gateway.post(channel=user, message=payload))

            return dm_later
        return None

    @staticmethod
    def _safely(what: str, act: Callable[[], None]) -> None:
        try:
            act()
        except Exception:
            log.exception("failed %s", what)


def _command_key(body: dict) -> tuple[str, str, str, str] | None:
    """(workspace, user, command, text with its spacing normalised), or None if not a command."""
    if not body.get("command") or not body.get("user_id"):
        return None
    text = " ".join(str(body.get("text") or "").split())
    return (str(body.get("team_id", "")), str(body["user_id"]), str(body["command"]), text)
