"""Whose language a listener speaks: the person who typed the command, clicked or opened the view.

The voice is read once per request (``services.voices.for_person``) and set as the context
(:func:`bot.i18n.speaking`) around the service call and the render; follow-ups handed to ``later``
keep it (``followups.make_later`` carries the voice, see :func:`carry`). Answers that can't wait on the database — the
deadline's "Saving…", the error handler's apology — use the voice this process last read for that
person (``remembered``).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from bot.i18n import Voice, speaking, voice

Listener = Callable[..., Any]


def carry(work: Callable[[], Any]) -> Callable[[], Any]:
    """``work`` to run on another thread in the voice current now. Only the voice goes along, not the
    whole context (:func:`bot.i18n.in_voice`): a request's database time limit is a context variable
    too, and a follow-up must not inherit a limit that ended with its request."""
    now = voice()

    def run() -> Any:
        with speaking(now.language, currency=now.currency):
            return work()

    return run


def of(services: Any) -> Any:
    """The voice service of ``services`` (None: a test's stand-in without one, which speaks English)."""
    return getattr(services, "voices", None)


def person(body: dict) -> tuple[str, str] | None:
    """(workspace, user) of a command's or an interactive payload's sender, else None."""
    if body.get("command"):
        workspace, user = body.get("team_id"), body.get("user_id")
    else:
        who = body.get("user") if isinstance(body.get("user"), dict) else {}
        team = body.get("team") if isinstance(body.get("team"), dict) else {}
        workspace, user = team.get("id") or who.get("team_id") or body.get("team_id"), who.get("id")
        if user is None and isinstance(body.get("event"), dict):
            user = body["event"].get("user")
    if isinstance(workspace, str) and isinstance(user, str) and workspace and user:
        return workspace, user
    return None


def remembered(voices: Any) -> Callable[[dict], Voice]:
    """``voice_for(body)``: the sender's voice as this process last read it (never the database)."""

    def voice_for(body: dict) -> Voice:
        found = person(body)
        if voices is None or found is None:
            return Voice()
        return voices.remembered(workspace_id=found[0], user_id=found[1])

    return voice_for


@contextmanager
def speaking_to(voices: Any, workspace_id: str, user_id: str) -> Iterator[Voice]:
    """Text built inside speaks ``user_id``'s language (one short read; English without ``voices``)."""
    v = Voice() if voices is None else voices.for_person(workspace_id=workspace_id, user_id=user_id)
    with speaking(v.language, currency=v.currency) as now:
        yield now


def heard(voices: Any) -> Callable[[Listener], Listener]:
    """Wraps an interactive listener (one taking ``body``) so it runs in the clicking user's voice."""

    def wrap(listener: Listener) -> Listener:
        @functools.wraps(listener)  # Bolt and the deadline read the arguments from the wrapped one
        def run(**kwargs: Any) -> Any:
            found = person(kwargs.get("body") or {})
            if found is None:
                return listener(**kwargs)
            with speaking_to(voices, *found):
                return listener(**kwargs)

        return run

    return wrap
