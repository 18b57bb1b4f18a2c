"""The attention policy at work: the outbox's ready items, per recipient, through ``domain.attention``.

Before each delivery the clock hands every ready item addressed to a person to ``route``. It loads
the facts the policy needs (the person's timezone, hours, working days, away days, stage, what they
already received) in a few set-based queries, asks ``attention.decide`` per person, and applies the
answer in one transaction:

- items to send become one ``dm`` row, keyed ``<local day>#<slot>`` (a rep's ``day``, a manager's
  ``digest`` or ``alert``): the natural key itself is the cap, so two clocks can never send a person
  two messages for one slot; the items point at it (``merged`` until it is sent, then ``sent`` with
  its ``ts``), and it is delivered, claimed and recovered like any other row;
- held items move their ``due_at`` to the person's next opening;
- dropped items are ``skipped`` with the reason.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from bot.domain import attention as att
from bot.domain.calendar import local_date
from bot.domain.types import STAGE_CADENCE, Cadence, Role, Stage
from bot.services.context import team_calendar
from bot.store import outbox as ob
from bot.store.models import AwayPeriod, Membership, Outbox, RepProfile, Team

log = logging.getLogger(__name__)

DM = "dm"
RECEIVED_LOOKBACK = timedelta(days=40)  # long enough for a monthly budget


def _hhmm(value: str | None, default: time) -> time:
    if not value:
        return default
    hh, mm = value.split(":")
    return time(int(hh), int(mm))


def hours_of(profile: RepProfile | None) -> tuple[time, time]:
    if profile is None:
        return att.DEFAULT_FROM, att.DEFAULT_UNTIL
    return _hhmm(profile.dm_from, att.DEFAULT_FROM), _hhmm(profile.dm_until, att.DEFAULT_UNTIL)


def _chunks(values: Sequence[str], size: int = 500) -> Iterable[Sequence[str]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


class _Facts:
    """What the policy needs about the people of one workspace, loaded in a few queries."""

    def __init__(self, session: Session, workspace_id: str, user_ids: Sequence[str], now: datetime) -> None:
        self.workspace_id = workspace_id
        self.profiles: dict[str, RepProfile] = {}
        self.memberships: dict[str, list[Membership]] = defaultdict(list)
        self.away: dict[str, set[date]] = defaultdict(set)
        self.received: dict[str, list[att.Received]] = defaultdict(list)
        self.teams: dict[int, Team] = {}
        soon, back = now + timedelta(days=62), now - RECEIVED_LOOKBACK
        for ids in _chunks(list(user_ids)):
            for p in session.scalars(
                select(RepProfile).where(RepProfile.workspace_id == workspace_id, RepProfile.user_id.in_(ids))
            ):
                self.profiles[p.user_id] = p
            for m in session.scalars(
                select(Membership).where(
                    Membership.workspace_id == workspace_id,
                    Membership.user_id.in_(ids),
                    Membership.removed_at.is_(None),
                )
            ):
                self.memberships[m.user_id].append(m)
            for a in session.scalars(
                select(AwayPeriod).where(
                    AwayPeriod.workspace_id == workspace_id,
                    AwayPeriod.user_id.in_(ids),
                    AwayPeriod.end >= (now - timedelta(days=2)).date(),
                    AwayPeriod.start <= soon.date(),
                )
            ):
                d = a.start
                while d <= a.end:
                    self.away[a.user_id].add(d)
                    d += timedelta(days=1)
            for target, due_at, period in session.execute(
                select(Outbox.target, Outbox.due_at, Outbox.period).where(
                    Outbox.workspace_id == workspace_id,
                    Outbox.kind == DM,
                    Outbox.target.in_(ids),
                    Outbox.due_at >= back,
                )
            ):
                self.received[target].append(att.Received(due_at, period.rpartition("#")[2]))
        team_ids = {m.team_id for ms in self.memberships.values() for m in ms}
        if team_ids:
            self.teams = {t.id: t for t in session.scalars(select(Team).where(Team.id.in_(team_ids)))}

    def person(self, user_id: str, now: datetime, fallback_team: Team | None) -> att.Person | None:
        ms = sorted(self.memberships.get(user_id, []), key=lambda m: (m.role != Role.REP.value, m.team_id))
        team = self.teams.get(ms[0].team_id) if ms else fallback_team
        if team is None:
            return None
        profile = self.profiles.get(user_id)
        manager = any(m.role == Role.MANAGER.value for m in ms) or not ms
        tz = profile.tz if profile is not None and profile.tz else team.timezone
        hours = hours_of(profile)
        stage = Stage(profile.stage) if profile is not None else Stage.ONBOARDING
        pinned = Cadence(profile.pinned_cadence) if profile is not None and profile.pinned_cadence else None
        return att.Person(
            user_id=user_id,
            tz=tz,
            role=att.MANAGER if manager else att.REP,
            calendar=team_calendar(team, local_date(now, tz)),
            away=frozenset(self.away.get(user_id, ())),
            hours=hours,
            cadence=pinned or STAGE_CADENCE[stage],
            stage_since=profile.stage_since if profile is not None and not manager else None,
            first_at=None if manager else att.checkin_time(profile.checkin_hour if profile else 9, hours),
            mute_kudos=bool(profile.mute_kudos) if profile is not None else False,
        )

    def why(self, person: att.Person, user_id: str) -> dict[str, Any]:
        """The facts behind the message's context line (the words are the Slack layer's)."""
        profile = self.profiles.get(user_id)
        ms = self.memberships.get(user_id, [])
        return {
            "role": person.role,
            "stage": profile.stage if profile is not None and person.role == att.REP else None,
            "cadence": person.cadence.value,
            "pinned": bool(profile is not None and profile.pinned_cadence),
            "hours": [person.hours[0].strftime("%H:%M"), person.hours[1].strftime("%H:%M")],
            "tz": person.tz,
            "teams": sorted(
                {
                    self.teams[m.team_id].name
                    for m in ms
                    if m.role == Role.MANAGER.value and m.team_id in self.teams
                }
            ),
            "kudos_muted": person.mute_kudos,
        }


def _item(row: Outbox) -> att.Item:
    payload = row.payload or {}
    day = payload.get("day") if row.kind == "checkin" else None
    return att.Item(
        id=row.id,
        kind=row.kind,
        came_due=min(row.created_at, row.due_at),
        day=date.fromisoformat(day) if day else None,
        milestone=row.kind == "kudos" and payload.get("period") in ("month", "quarter"),
    )


def route(session: Session, *, now: datetime, limit: int = 50_000) -> dict[str, int]:
    """Send, hold or drop every ready item addressed to a person. Returns counts by outcome."""
    counts = {"messages": 0, "merged": 0, "held": 0, "dropped": 0}
    rows = list(
        session.scalars(
            select(Outbox)
            .where(
                Outbox.status == ob.PENDING,
                Outbox.kind.in_(sorted(att.DM_KINDS)),
                Outbox.due_at <= now,
            )
            .order_by(Outbox.workspace_id, Outbox.target, Outbox.id)
            .limit(limit)
        )
    )
    if not rows:
        return counts
    by_person: dict[tuple[str, str], list[Outbox]] = defaultdict(list)
    for r in rows:
        by_person[(r.workspace_id, r.target)].append(r)
    by_workspace: dict[str, list[str]] = defaultdict(list)
    for ws, user in by_person:
        by_workspace[ws].append(user)
    team_of = {
        t.id: t
        for t in session.scalars(select(Team).where(Team.id.in_({r.team_id for r in rows if r.team_id})))
    }

    holds: list[dict[str, Any]] = []
    drops: list[dict[str, Any]] = []
    for ws, users in by_workspace.items():
        facts = _Facts(session, ws, users, now)
        for user in users:
            items = by_person[(ws, user)]
            person = facts.person(user, now, team_of.get(items[0].team_id))
            if person is None:
                drops += [{"i": r.id, "why": "no team to take the person's calendar from"} for r in items]
                continue
            decision = att.decide(person, [_item(r) for r in items], facts.received.get(user, []), now)
            holds += [{"i": i, "until": t} for i, t in decision.hold.items()]
            drops += [{"i": i, "why": why} for i, why in decision.drop.items()]
            if decision.send:
                rows_by_id = {r.id: r for r in items}
                chosen = [rows_by_id[i] for i in decision.send]
                if _merge(session, person, chosen, decision.slot or att.DAY, facts.why(person, user), now):
                    counts["messages"] += 1
                    counts["merged"] += len(chosen)
                    facts.received[user].append(att.Received(now, decision.slot or att.DAY))
    for h in holds:
        session.execute(
            update(Outbox).where(Outbox.id == h["i"], Outbox.status == ob.PENDING).values(due_at=h["until"])
        )
    for d in drops:
        session.execute(
            update(Outbox)
            .where(Outbox.id == d["i"], Outbox.status == ob.PENDING)
            .values(status=ob.SKIPPED, error=d["why"][:500])
        )
    counts["held"], counts["dropped"] = len(holds), len(drops)
    return counts


def _merge(
    session: Session, person: att.Person, rows: list[Outbox], slot: str, why: dict[str, Any], now: datetime
) -> bool:
    """One ``dm`` row carrying ``rows``, keyed by the person's local day and the slot — or nothing,
    when another clock got there first (its row has the key) or took one of the items."""
    day = local_date(now, person.tz)
    payload = {
        "items": [{"id": r.id, "kind": r.kind, "payload": r.payload} for r in rows],
        "role": person.role,
        "slot": slot,
        "why": why,
        "team_id": rows[0].team_id,
    }
    message = ob.Message(
        workspace_id=rows[0].workspace_id,
        kind=DM,
        target=person.user_id,
        period=f"{day.isoformat()}#{slot}",
        due_at=now,
        payload=payload,
        team_id=rows[0].team_id,
    )
    with session.begin_nested() as savepoint:
        envelope = ob.insert_one(session=session, message=message, now=now)
        if envelope is None:
            savepoint.rollback()
            return False
        taken = session.execute(
            update(Outbox)
            .where(Outbox.id.in_([r.id for r in rows]), Outbox.status == ob.PENDING)
            .values(status=ob.MERGED, merged_into=envelope)
        ).rowcount
        if taken != len(rows):
            savepoint.rollback()
            return False
    return True
