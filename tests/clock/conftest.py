"""A sender that records what the clock would post, and a team spread over three timezones."""

from __future__ import annotations

import itertools
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from bot.services.clock import DeliveryError
from bot.services.profiles import UserInfo

W = "T0CLOCK"
BOSS, NY, LA, BERLIN = "U0BOSS", "U0NEWYORK", "U0LOSANGELES", "U0BERLIN"
ZONES = {BOSS: "America/New_York", NY: "America/New_York", LA: "America/Los_Angeles", BERLIN: "Europe/Berlin"}


@dataclass
class Sent:
    kind: str
    target: str
    payload: dict[str, Any]
    at: datetime
    key: str = ""


@dataclass
class RecordingSender:
    """Stands in for Slack: records each post with the instant it was made; can be told to fail."""

    clock: Callable[[], datetime]
    sent: list[Sent] = field(default_factory=list)
    failures: list[DeliveryError] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    ids: Iterator[int] = field(default_factory=lambda: itertools.count(1))

    def send(
        self, *, workspace_id: str, kind: str, target: str, payload: dict[str, Any], key: str
    ) -> tuple[str, str]:
        with self.lock:
            if self.failures:
                raise self.failures.pop(0)
            self.sent.append(Sent(kind, target, payload, self.clock(), key))
            return target, f"1700000000.{next(self.ids):06d}"

    def find(self, *, workspace_id: str, target: str, key: str, since: datetime) -> tuple[str, str] | None:
        with self.lock:
            for i, s in enumerate(self.sent):
                if s.key == key and s.target == target:
                    return target, f"1700000000.{i + 1:06d}"
        return None

    def reachable(self, workspace_ids: Iterable[str]) -> set[str]:
        return set(workspace_ids)

    def history_budget(self, workspace_id: str) -> None:
        return None  # an internal app's: history as far back as it takes

    def items(self) -> list[Sent]:
        """Every item posted, a merged "dm" counted as the items it carried (each stamped with its post)."""
        out = []
        for s in self.sent:
            if s.kind == "dm":
                out += [Sent(i["kind"], s.target, i["payload"], s.at, s.key) for i in s.payload["items"]]
            else:
                out.append(s)
        return out

    def of(self, kind: str, target: str | None = None) -> list[Sent]:
        return [s for s in self.items() if s.kind == kind and (target is None or s.target == target)]

    def dms(self, target: str | None = None) -> list[Sent]:
        """The messages posted to people (not channels), as posted."""
        return [s for s in self.sent if s.kind == "dm" and (target is None or s.target == target)]


class Directory:
    def user_info(self, user_id: str) -> UserInfo | None:
        return UserInfo(user_id, user_id.lower(), ZONES.get(user_id, "UTC"))


@pytest.fixture
def sender(clock) -> RecordingSender:
    return RecordingSender(clock)


@pytest.fixture
def sleeps() -> list[float]:
    return []


@pytest.fixture
def tick(services, clock, sender, sleeps) -> Callable[..., Any]:
    """Run the clock at an instant (ISO, UTC) — the same call `clock --once` makes."""

    def run(iso: str | None = None):
        if iso:
            clock.set(iso)
        return services.clock.run_due(sender=sender, now=clock(), sleep=sleeps.append)

    return run


@pytest.fixture
def spread_team(services, clock):
    """Sales Global: a New York manager; reps in New York, Los Angeles and Berlin; US holidays."""
    clock.set("2026-10-30T12:00:00+00:00")  # a Friday, before the month we watch
    services.teams.team(
        workspace_id=W,
        user_id=BOSS,
        text="create Sales Global <#C0GLOBAL|global> tz=America/New_York",
        in_channel="C0GLOBAL",
    )
    services.teams.team(workspace_id=W, user_id=BOSS, text=f"add <@{NY}|ny> <@{LA}|la> <@{BERLIN}|berlin>")
    services.profiles.refresh(workspace_id=W, user_ids=[BOSS, NY, LA, BERLIN], directory=Directory())
    services.goals.goals(workspace_id=W, user_id=BOSS, text="team 20 calls/day, 5 presentations/week")
    return services


def hours(start: str, end: str, step: timedelta = timedelta(hours=1)) -> Iterator[str]:
    t = datetime.fromisoformat(start).astimezone(UTC)
    stop = datetime.fromisoformat(end).astimezone(UTC)
    while t <= stop:
        yield t.isoformat()
        t += step
