"""``python -m bot demo``: a simulated team over a few weeks, with no Slack account needed.

Five reps — a steady performer, a new hire ramping up, a rep who goes quiet, a rep behind quota and a
rep who takes a week off — log their activity through the real services, and the real clock code path
(``ClockService.run_due``) runs every hour on a SQLite file. A built-in stand-in for Slack receives
every message; the demo prints the transcript and writes one self-contained HTML report.
"""

from __future__ import annotations

import argparse
import logging
import random
import shutil
import sys
import tempfile
import textwrap
import time as _time
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.demo_report import kind_code, plain_text, render_report, stage_name, week_short
from bot.domain.cadence import Decision, reason_text
from bot.domain.calendar import local_date, period_bounds
from bot.domain.types import Period, Stage
from bot.i18n import N_, PSEUDO, SOURCE, Voice, _, available, language, n_, normalize, speaking
from bot.i18n import formats as fmt
from bot.migrate import upgrade
from bot.services import self_starter, stages
from bot.services.container import Services, build_services
from bot.services.context import team_calendar
from bot.services.profiles import UserInfo
from bot.slack.messages.scheduled import render
from bot.store import queries as q
from bot.store.db import make_engine
from bot.store.models import AwayPeriod, Membership, StageChange, Team

W = "T0DEMO"
MANAGER = ("U0MARIA", "Maria", "America/New_York")
CHANNEL = "C0DEMO"
TEAM_TZ = "America/New_York"
TEAM_NAME = N_("Sales Demo")
HOURS = (8, 18)  # everyone's default working hours, local: no one in the demo sets their own
START = date(2026, 6, 1)  # a Monday, and the first of a month
HISTORY_WEEKS = 6  # established reps have been on the team this long before the demo starts


@dataclass(frozen=True)
class Persona:
    user_id: str
    name: str
    tz: str
    about: str  # marked with N_: shown translated, as _(about)
    quota: int | None  # monthly revenue quota in dollars (scaled to the team's currency)
    day: Callable[[int, random.Random, Sim], dict[str, float] | None]  # what they log on working day n
    new_hire: bool = False
    early: Callable[[int], bool] | None = None  # on working day n, logs first thing (08:00), unprompted


def _steady(n: int, rng: random.Random, sim: Sim) -> dict[str, float]:
    return {
        "calls": rng.randint(26, 32),
        "notes": rng.randint(10, 13),
        "presentations": rng.choice([1, 1, 2]),
        "revenue": rng.choice([1500, 2000, 2500, 3000, 3500]),
    }


def _ramping(n: int, rng: random.Random, sim: Sim) -> dict[str, float]:
    f = min(1.05, 0.5 + 0.045 * n)  # ramps up over about three weeks
    return {
        "calls": round(25 * f * rng.uniform(0.9, 1.1)),
        "notes": round(10 * f),
        "presentations": rng.choice([0, 1, 1]),
    }


def _quiet(n: int, rng: random.Random, sim: Sim) -> dict[str, float] | None:
    if 10 <= n < 20:
        return None  # weeks 3 and 4: nothing logged
    if n >= 20:
        return {
            "calls": rng.randint(26, 32),
            "notes": rng.randint(10, 13),
            "presentations": rng.choice([1, 2]),
        }
    return {"calls": rng.randint(24, 30), "notes": rng.randint(9, 12), "presentations": rng.choice([1, 1, 2])}


def _behind(n: int, rng: random.Random, sim: Sim) -> dict[str, float]:
    planned = sim.planned.get("U0DEV")
    if n < 0:  # before the demo: a fine rep, with a healthy pipeline
        return {
            "calls": rng.randint(24, 28),
            "notes": 10,
            "presentations": 1,
            "revenue": rng.choice([1500, 2000, 2500]),
        }
    if planned is not None and sim.today >= planned:
        # After the 1:1: more calls, and the pipeline starts to close.
        return {
            "calls": rng.randint(30, 36),
            "notes": rng.randint(10, 12),
            "presentations": rng.choice([1, 2]),
            "revenue": rng.choice([2000, 3500, 4000, 5000]),
        }
    return {
        "calls": rng.randint(20, 25),
        "notes": rng.randint(8, 10),
        "presentations": 1,
        "revenue": rng.choice([0, 0, 0, 800]),
    }


def _away(n: int, rng: random.Random, sim: Sim) -> dict[str, float] | None:
    if 15 <= n < 20:
        return None  # the week off
    return {
        "calls": rng.randint(25, 30),
        "notes": rng.randint(10, 12),
        "presentations": rng.choice([1, 1, 2]),
        "revenue": rng.choice([1000, 1500, 2000, 2500]),
    }


PERSONAS = [
    Persona("U0ANA", "Ana", "America/New_York", N_("steady performer"), 40_000, _steady),
    Persona(
        "U0BEN",
        "Ben",
        "America/Los_Angeles",
        N_("new hire ramping up"),
        None,
        _ramping,
        new_hire=True,
        early=lambda n: n >= 10 and n % 5 != 4,  # from week 3 he logs before the check-in, but Fridays
    ),
    Persona("U0CARA", "Cara", "Europe/Berlin", N_("goes quiet for two weeks"), None, _quiet),
    Persona("U0DEV", "Dev", "America/Chicago", N_("behind quota"), 40_000, _behind),
    Persona("U0EVE", "Eve", "Europe/London", N_("takes a week off"), 30_000, _away),
]


def expand(kind: str, payload: Mapping[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """The items one sent message carries, in order: a merged DM (kind ``dm``) its items, any other
    message itself. Everything the demo reacts to or counts goes through here."""
    if kind != "dm":
        return [(kind, dict(payload))]
    out = []
    for item in payload.get("items") or []:
        if isinstance(item, Mapping) and item.get("kind"):
            out.append((str(item["kind"]), dict(item.get("payload") or {})))
    return out


@dataclass
class Sent:
    at: datetime
    kind: str
    target: str
    payload: dict[str, Any]
    texts: list[str]  # what each item says, as Slack renders it
    context: str | None = None  # a merged DM's closing line: why it came, how to change that

    @property
    def items(self) -> list[tuple[str, dict[str, Any]]]:
        return expand(self.kind, self.payload)


def _texts(kind: str, target: str, payload: dict[str, Any]) -> tuple[list[str], str | None]:
    """Each item's text as Slack renders it, and a merged DM's closing context line."""
    texts = [render(k, target, p)["text"] for k, p in expand(kind, payload)]
    context = payload.get("context") if isinstance(payload.get("context"), str) else None
    if kind == "dm" and context is None:
        try:
            blocks = render(kind, target, payload).get("blocks") or []
        except ValueError:  # a clock that merges before the renderer knows merged DMs
            blocks = []
        last = next((b for b in reversed(blocks) if b.get("type") == "context"), None)
        if last:
            context = " ".join(str(e.get("text", "")) for e in last.get("elements", []))
    return texts, context


@dataclass
class StandIn:
    """The built-in stand-in for Slack: it answers users.info and records every post."""

    zones: dict[str, str]
    names: dict[str, str]
    clock: Callable[[], datetime]
    voice: Voice = field(default_factory=Voice)  # the team's: everyone in the demo reads its language
    sent: list[Sent] = field(default_factory=list)

    def user_info(self, user_id: str) -> UserInfo | None:
        return UserInfo(user_id, self.names.get(user_id), self.zones.get(user_id))

    def send(
        self, *, workspace_id: str, kind: str, target: str, payload: dict[str, Any], key: str
    ) -> tuple[str, str]:
        with speaking(self.voice.language, currency=self.voice.currency):
            self.sent.append(Sent(self.clock(), kind, target, payload, *_texts(kind, target, payload)))
        return target, f"{self.clock().timestamp():.6f}"

    def find(self, *, workspace_id: str, target: str, key: str, since: datetime) -> tuple[str, str] | None:
        return None  # the demo's clock never dies mid-send

    def reachable(self, workspace_ids: Iterable[str]) -> set[str]:
        return set(workspace_ids)  # one workspace, always installed

    def history_budget(self, workspace_id: str) -> None:
        return None  # never asked to read history (find answers for it)


@dataclass
class Sim:
    now: datetime
    today: date = START
    planned: dict[str, date] = field(default_factory=dict)
    told: list[tuple[str, str, datetime]] = field(default_factory=list)  # (rep, new stage, when told)
    scale: int = 1  # how many of the team's currency a persona's dollar is


def _personas(count: int, rng: random.Random) -> list[Persona]:
    out = list(PERSONAS[: min(count, len(PERSONAS))])
    for i in range(len(out), count):
        base = PERSONAS[i % len(PERSONAS)]
        out.append(
            Persona(
                f"U0REP{i:03d}",
                f"{base.name} {i + 1}",
                base.tz,
                base.about,
                base.quota,
                base.day,
                base.new_hire,
                base.early,
            )
        )
    return out


@dataclass(frozen=True)
class Setting:
    """Where the simulated team works: the language it speaks, the currency its revenue is in (and how
    many of that currency a simulated dollar is), the country whose public holidays it takes off."""

    language: str = SOURCE
    currency: str = "USD"
    scale: int = 1
    holidays: str | None = None

    @property
    def voice(self) -> Voice:
        return Voice(self.language, self.currency)


SETTINGS = {
    SOURCE: Setting(),
    "sq": Setting("sq", "ALL", 100, "AL"),  # lek: about a hundred to the dollar
    PSEUDO: Setting(PSEUDO),  # the guard tests' pseudo-locale: English numbers, accented words
}


def setting(code: str | None) -> Setting | None:
    """The demo's team for a language code ("sq", "en"); None for a language the bot doesn't speak."""
    found = normalize(code)
    if found is None:
        return None
    return SETTINGS.get(found, Setting(found))


def _speak_the_teams_language(engine, setting: Setting) -> None:
    """The team's language and currency. ``/team language`` and ``/team currency`` are not on main
    yet: until they are, the demo sets the Team row's columns itself (switch to the commands here)."""
    with Session(engine) as session, session.begin():
        team = session.scalar(select(Team))
        team.language = setting.language if setting.language != SOURCE else None
        team.currency = setting.currency


def run(
    *,
    reps: int = 5,
    weeks: int = 8,
    seed: int = 7,
    out: Path,
    db: Path | None,
    echo: Callable[[str], None],
    width: int = 100,
    lang: str = SOURCE,
) -> dict:
    """The simulated run, its transcript echoed line by line and its report written to ``out``, all in
    ``lang`` (the team's language: the demo's own words and the bot's messages alike)."""
    where = setting(lang)
    if where is None:
        raise ValueError(f"no catalogue for language {lang!r}")
    with speaking(where.language, currency=where.currency):
        return _run(reps, weeks, seed, out, db, echo, width, where)


def _run(
    reps: int,
    weeks: int,
    seed: int,
    out: Path,
    db: Path | None,
    echo: Callable[[str], None],
    width: int,
    where: Setting,
) -> dict:
    rng = random.Random(seed)
    people = _personas(reps, rng)
    folder = Path(tempfile.mkdtemp(prefix="salesbot-demo-"))
    path = db or folder / "demo.db"
    if path.exists():
        path.unlink()
    url = f"sqlite:///{path}"
    upgrade(url)
    engine = make_engine(url)
    joined = START - timedelta(days=7 * HISTORY_WEEKS + 1)
    sim = Sim(
        now=datetime.combine(joined, datetime.min.time(), tzinfo=UTC) + timedelta(hours=14), scale=where.scale
    )
    services = build_services(engine, lambda: sim.now, send_workers=1)  # one at a time: a stable transcript
    zones = {MANAGER[0]: MANAGER[2], **{p.user_id: p.tz for p in people}}
    names = {MANAGER[0]: MANAGER[1], **{p.user_id: p.name for p in people}}
    slack = StandIn(zones, names, lambda: sim.now, where.voice)
    established = [p for p in people if not p.new_hire]
    manager = MANAGER[0]

    # Set-up, the way a manager does it in Slack: the team, its established reps, the goals.
    services.teams.team(
        workspace_id=W,
        user_id=manager,
        text=f"create {_(TEAM_NAME)} <#{CHANNEL}|sales-demo> tz={TEAM_TZ}",
        in_channel=CHANNEL,  # the demo's manager is in the team's channel
    )
    _speak_the_teams_language(engine, where)
    if where.holidays:
        services.teams.team(workspace_id=W, user_id=manager, text=f"holidays {where.holidays}")
    services.teams.team(
        workspace_id=W,
        user_id=manager,
        text="add " + " ".join(f"<@{p.user_id}|{p.name}>" for p in established),
    )
    services.profiles.refresh(
        workspace_id=W, user_ids=[manager, *(p.user_id for p in established)], directory=slack
    )
    services.goals.goals(
        workspace_id=W, user_id=manager, text="team 25 calls/day, 5 presentations/week, 10 notes/day"
    )
    for p in people:
        if p.quota and not p.new_hire:
            services.goals.goals(
                workspace_id=W,
                user_id=manager,
                text=f"<@{p.user_id}|{p.name}> quota {_amount(p.quota * sim.scale, sim)}/month",
            )
    _history(engine, established, rng, sim)

    # The demo starts: a new hire joins the day before, and one rep has booked a week off.
    sim.now = datetime.combine(START - timedelta(days=1), datetime.min.time(), tzinfo=UTC) + timedelta(
        hours=14
    )
    hires = [p for p in people if p.new_hire]
    if hires:
        services.teams.team(
            workspace_id=W, user_id=manager, text="add " + " ".join(f"<@{p.user_id}|{p.name}>" for p in hires)
        )
        services.profiles.refresh(workspace_id=W, user_ids=[p.user_id for p in hires], directory=slack)
    for p in people:
        if p.day is _away:
            services.checkin.checkin(workspace_id=W, user_id=p.user_id, text="away " + _away_span())

    end = START + timedelta(days=7 * weeks)
    tick_at = sim.now.replace(minute=5)
    events: list[dict[str, str]] = []
    seen = 0
    logged: set[tuple[str, date]] = set()
    while tick_at < datetime.combine(end, datetime.min.time(), tzinfo=UTC):
        sim.now = tick_at
        for p in people:
            local = tick_at.astimezone(ZoneInfo(p.tz))
            day = local.date()
            n = (day - START).days // 7 * 5 + day.weekday()
            hour = 8 if p.early is not None and p.early(n) else 16
            if local.hour == hour and day >= START and day.weekday() < 5 and (p.user_id, day) not in logged:
                logged.add((p.user_id, day))
                sim.today = day
                amounts = _scaled(p.day(n, rng, sim), sim)
                if amounts:
                    text = ", ".join(
                        f"{v:g} {k}" if k != "revenue" or sim.scale != 1 else f"${v:,.0f}"
                        for k, v in amounts.items()
                        if v
                    )
                    services.activity.log(workspace_id=W, user_id=p.user_id, text=text)
        services.clock.run_due(sender=slack, now=tick_at, sleep=lambda s: None)
        for message in slack.sent[seen:]:
            events += _react(services, sim, message, names)
        seen = len(slack.sent)
        tick_at += timedelta(hours=1)

    data = _report_data(services, engine, people, slack, events, weeks, seed, names, sim)
    for line in _transcript(data, width):
        echo(line)
    out.write_text(render_report(data), encoding="utf-8")
    return data


def _history(engine, reps: list[Persona], rng: random.Random, sim: Sim) -> None:
    """Established reps: weeks of entries before the demo, and the steady stage they earned then."""
    first = START - timedelta(days=7 * HISTORY_WEEKS)
    with Session(engine) as session, session.begin():
        team = session.scalar(select(Team))
        for p in reps:
            day = first
            while day < START:
                if day.weekday() < 5:
                    amounts = (
                        _scaled(p.day(-((START - day).days // 7 * 5) + day.weekday(), rng, sim), sim) or {}
                    )
                    items = [(k, Decimal(str(v))) for k, v in amounts.items() if v]
                    if items:
                        q.add_entries(
                            session=session,
                            workspace_id=W,
                            team_id=team.id,
                            user_id=p.user_id,
                            items=items,
                            day=day,
                            note=None,
                            source="import",
                            now=sim.now,
                        )
                day += timedelta(days=1)
            profile = q.profile(session=session, workspace_id=W, user_id=p.user_id)
            stages.apply(
                session,
                profile=profile,
                decision=Decision(Stage.STEADY, "an established rep (history before the demo)"),
                now=sim.now + timedelta(minutes=1),  # right after joining: their history earned it
            )
            profile.evaluated_week = START - timedelta(days=14)


def _scaled(amounts: dict[str, float] | None, sim: Sim) -> dict[str, float] | None:
    """A day's amounts with its revenue in the team's currency (the personas think in dollars)."""
    if not amounts or sim.scale == 1 or "revenue" not in amounts:
        return amounts
    return {**amounts, "revenue": amounts["revenue"] * sim.scale}


def _amount(value: float, sim: Sim) -> str:
    """A quota as the manager types it: ``$40,000``, or ``4000000 revenue`` in lek (no sign: the
    team's currency, so the metric is named)."""
    if sim.scale == 1:
        return f"${value:,.0f}"
    return f"{value:.0f} revenue"


def _away_span() -> str:
    start = START + timedelta(days=21)
    return f"{start.isoformat()} to {(start + timedelta(days=4)).isoformat()}"


def _stamp(at: datetime, tz: str) -> str:
    """A moment in someone's local time, with the zone it is in: ``Mon 29 Jun 09:05 EDT``."""
    local = at.astimezone(ZoneInfo(tz))
    return f"{fmt.short_date(local)} {fmt.clock_time(local)} {local:%Z}"


def _react(services: Services, sim: Sim, message: Sent, names: dict[str, str]) -> list[dict[str, str]]:
    """What the people in the simulation do when the bot speaks to them."""
    events = []
    for kind, p in message.items:
        if kind == "quota_alert" and message.target == MANAGER[0] and p["rep"] not in sim.planned:
            rep = p["rep"]
            today = local_date(sim.now, TEAM_TZ)
            until = today + timedelta(days=14)
            services.coaching.plan(
                workspace_id=W,
                manager=MANAGER[0],
                rep=rep,
                team_id=p["team_id"],
                targets={"calls": "30"},
                until=until,
            )
            services.coaching.done(workspace_id=W, manager=MANAGER[0], rep=rep, team_id=p["team_id"])
            sim.planned[rep] = today + timedelta(days=1)
            pace = p.get("pace")
            events.append(
                {
                    "at": today.isoformat(),
                    "time": message.at.isoformat(),
                    "rep": rep,
                    "text": _(
                        "Quota alert to {manager}: {rep} at {pace} of revenue pace; 1:1 held, agreed "
                        "30 calls/day until {until}",
                        manager=names[MANAGER[0]],
                        rep=names[rep],
                        pace=fmt.percent(pace or 0),
                        until=_day_month(until),
                    ),
                }
            )
        if kind == "stage_change" and message.target == p.get("rep"):
            sim.told.append((p["rep"], p["to"], message.at))
        if kind == "standup":
            for rep, help_text in (
                ("U0DEV", "Getting past gatekeepers on cold calls"),
                ("U0BEN", "Demo practice"),
            ):
                if rep in names:
                    services.standup.share(
                        workspace_id=W,
                        user_id=rep,
                        team_id=p["team_id"],
                        week=p["week"],
                        wins="",
                        focus="Pipeline",
                        help=help_text,
                    )
    return events


def _day_month(d: date) -> str:
    """ "07 Jun" (English, as the demo always wrote it) / "7 qer"."""
    return f"{d:%d %b}" if language() == SOURCE else fmt.month_day(d)


def _dms_per_week(sent: Iterable[Sent], person: str, tz: str, week_starts: list[date]) -> list[dict]:
    """For each week (the person's local weeks): how many DMs they got, and the items those carried."""
    rows: list[dict[str, Any]] = [{"messages": 0, "items": {}} for _ in week_starts]
    index = {w: i for i, w in enumerate(week_starts)}
    for s in sent:
        if s.target != person:
            continue
        i = index.get(period_bounds(Period.WEEK, local_date(s.at, tz))[0])
        if i is None:
            continue
        rows[i]["messages"] += 1
        for kind, _payload in s.items:
            rows[i]["items"][kind] = rows[i]["items"].get(kind, 0) + 1
    return rows


def _off_hours(at: datetime, tz: str) -> bool:
    local = at.astimezone(ZoneInfo(tz))
    return local.weekday() >= 5 or not HOURS[0] <= local.hour + local.minute / 60 < HOURS[1]


def _report_data(services, engine, people, slack: StandIn, events, weeks: int, seed: int, names, sim) -> dict:
    week_starts = [START + timedelta(days=7 * i) for i in range(weeks)]
    zones = {MANAGER[0]: MANAGER[2], **{p.user_id: p.tz for p in people}}
    data: dict[str, Any] = {
        "title": _("Sales Check-ins — demo"),
        "team": _(TEAM_NAME),
        "tz": TEAM_TZ,
        "start": START.isoformat(),
        "end": (START + timedelta(days=7 * weeks - 1)).isoformat(),
        "weeks": [w.isoformat() for w in week_starts],
        "seed": seed,
        "reps": [],
        "managers": [{"id": MANAGER[0], "name": MANAGER[1], "tz": MANAGER[2]}],
        "stages": {},
        "checkins": {},
        "attainment": {},
        "quota_pace": {},
        "away": {},
        "messages": {},
        "manager": dict(Counter(k for s in slack.sent if s.target == MANAGER[0] for k, _p in s.items)),
        "dms": {},
        "hours": [f"{HOURS[0]:02d}:00", f"{HOURS[1]:02d}:00"],
        "events": list(events),
        "transcript": [],
        "self_starter": {},
    }
    told = sorted(sim.told, key=lambda t: t[2])
    with Session(engine) as session:
        team = session.scalar(select(Team))
        metrics = {m.key: m for m in q.metrics(session=session, workspace_id=W)}
        for p in people:
            membership = session.scalar(select(Membership).where(Membership.user_id == p.user_id))
            joined = local_date(membership.added_at, team.timezone)
            data["reps"].append(
                {
                    "id": p.user_id,
                    "name": p.name,
                    "persona": _(p.about),
                    "tz": p.tz,
                    "quota": bool(p.quota),
                    "joined": joined.isoformat(),
                }
            )
            changes = list(
                session.scalars(
                    select(StageChange)
                    .where(
                        StageChange.user_id == p.user_id,
                        StageChange.from_stage.is_distinct_from(StageChange.to_stage),
                    )
                    .order_by(StageChange.at, StageChange.id)
                )
            )
            # One date for a change wherever it is shown: the team's local date, the calendar its
            # stages are judged on (a change at Monday 00:00 New York is Monday's, even in Chicago).
            data["stages"][p.user_id] = [
                {
                    "from": local_date(c.at, team.timezone).isoformat(),
                    "stage": c.to_stage,
                    "reason": reason_text(c.reason, c.details),
                }
                for c in changes
            ]
            starter = _self_starter(session, team, p, changes, sim.now) if p.new_hire else None
            if starter is not None:
                data["self_starter"][p.user_id] = starter
            for c in changes:
                if c.at < _utc(START - timedelta(days=1)):
                    continue  # the established reps' history before the demo
                when = next((t for r, s, t in told if r == p.user_id and s == c.to_stage and t >= c.at), None)
                before, after = stage_name(c.from_stage), stage_name(c.to_stage)
                if (
                    c.from_stage
                    and starter is not None
                    and c.from_stage == Stage.ONBOARDING.value
                    and starter["left"]
                ):
                    text = _(
                        "{name}: {before} → {after} ({reason}); self-starter {unprompted}/{days} days",
                        name=p.name,
                        before=before,
                        after=after,
                        reason=reason_text(c.reason, c.details),
                        unprompted=starter["unprompted"],
                        days=starter["working_days"],
                    )
                elif c.from_stage:
                    text = _(
                        "{name}: {before} → {after} ({reason})",
                        name=p.name,
                        before=before,
                        after=after,
                        reason=reason_text(c.reason, c.details),
                    )
                else:
                    text = _("{name} joins the team, starting in {stage}", name=p.name, stage=after)
                if when:
                    text = _("{event}; told {when}", event=text, when=_stamp(when, p.tz))
                data["events"].append(
                    {
                        "at": local_date(c.at, team.timezone).isoformat(),
                        "time": c.at.isoformat(),
                        "rep": p.user_id,
                        "text": text,
                    }
                )
            history = {
                w.week_start: w
                for w in stages.history(
                    session,
                    team=team,
                    user_id=p.user_id,
                    metrics=metrics,
                    joined=joined,
                    through=week_starts[-1],
                    calendar=team_calendar(team, week_starts[-1]),
                    at=datetime.combine(week_starts[-1], datetime.min.time(), tzinfo=UTC),
                )
            }
            data["attainment"][p.user_id] = [
                history[w].activity if w in history else None for w in week_starts
            ]
            data["quota_pace"][p.user_id] = (
                [history[w].quota_pace if w in history else None for w in week_starts] if p.quota else None
            )
            dms = _dms_per_week(slack.sent, p.user_id, p.tz, week_starts)
            data["dms"][p.user_id] = dms
            data["checkins"][p.user_id] = [week["items"].get("checkin", 0) for week in dms]
            data["messages"][p.user_id] = dict(
                Counter(k for s in slack.sent if s.target == p.user_id for k, _p in s.items)
            )
            away = session.scalars(select(AwayPeriod).where(AwayPeriod.user_id == p.user_id))
            data["away"][p.user_id] = [[a.start.isoformat(), a.end.isoformat()] for a in away]
    data["dms"][MANAGER[0]] = _dms_per_week(slack.sent, MANAGER[0], MANAGER[2], week_starts)
    data["events"].sort(key=lambda e: (e["at"], e.get("time", "")))
    mentions = {**names, CHANNEL: "sales-demo"}
    for s in slack.sent:
        dm = s.target != CHANNEL
        tz = zones.get(s.target, TEAM_TZ)
        data["transcript"].append(
            {
                "at": s.at.isoformat(),
                "local": _stamp(s.at, tz),
                "date": local_date(s.at, tz).isoformat(),
                "to": names.get(s.target, "#sales-demo" if s.target == CHANNEL else s.target),
                "channel": "DM" if dm else "channel",
                "kind": s.kind,
                "items": [k for k, _p in s.items],
                "off_hours": dm and _off_hours(s.at, tz),
                "text": "\n".join(plain_text(t, mentions) for t in s.texts),
                "parts": [plain_text(t, mentions) for t in s.texts],
                "context": plain_text(s.context, mentions) if s.context else None,
            }
        )
    return data


def _self_starter(
    session: Session, team: Team, p: Persona, changes: list[StageChange], end: datetime
) -> dict:
    """A new hire's self-starter figures as the manager was told them when the rep left onboarding
    (the same read at the same instant), or as of the run's end while they are still in it."""
    left = next((c for c in changes if c.from_stage == Stage.ONBOARDING.value), None)
    at = left.at if left is not None else end
    figures = self_starter.for_team(session, team=team, now=at, user_ids=[p.user_id], onboarding_only=False)
    got = figures[p.user_id]
    return {
        **got.as_payload(),
        "through": local_date(at, team.timezone).isoformat(),
        "left": left.to_stage if left is not None else None,
        "days": [[day.isoformat(), how] for day, how in got.days],
    }


def _utc(day: date) -> datetime:
    return datetime.combine(day, datetime.min.time(), tzinfo=UTC)


def _wrap(text: str, width: int, indent: int, *, lines: int = 3) -> list[str]:
    """Text in at most ``lines`` lines of ``width``, broken between words; what doesn't fit ends in "…"."""
    wrapper = textwrap.TextWrapper(
        width=max(20, width - indent),
        max_lines=lines,
        placeholder=" …",
        break_long_words=False,
        break_on_hyphens=False,
    )
    return wrapper.wrap(" ".join(text.split())) or [""]


def _transcript(data: dict, width: int = 100) -> list[str]:
    """The run as a terminal reads it: every message, each line at most ``width`` characters and
    broken between words."""
    first, last = date.fromisoformat(data["start"]), date.fromisoformat(data["end"])
    lines = [
        _(
            "Sales Check-ins demo — {team}, {first} to {last} (seed {seed})",
            team=data["team"],
            first=fmt.short_date(first),
            last=fmt.full_date(last),
            seed=data["seed"],
        ),
        _("Times are each recipient's own local time; the channel's is the team's."),
        "",
    ]
    to_w = min(16, max((len(t["to"]) for t in data["transcript"]), default=0))
    week = None
    for t in data["transcript"]:
        start = period_bounds(Period.WEEK, date.fromisoformat(t["date"]))[0]
        if start != week:
            week = start
            lines.append(_("— week of {day} —", day=_day_month(week)))
        items, parts = t["items"], t.get("parts") or [t["text"]]
        kind = kind_code(items[0]) if len(items) == 1 else n_("dm, {n} item", "dm, {n} items", len(items))
        head = f"{t['local']:<21} {kind:<13} → {t['to']:<{to_w}}  "
        if len(items) == 1 or len(parts) != len(items):
            body = _wrap(" ".join(parts), width, len(head), lines=3)
        else:  # each item on a line of its own (two at most), its kind first
            body = []
            for k, text in zip(items[:5], parts[:5], strict=True):
                body += _wrap(f"{kind_code(k)}: {text}", width, len(head), lines=2)
            if len(items) > 5:
                body.append(n_("… and {n} more", "… and {n} more", len(items) - 5))
        lines.append(head + body[0])
        lines += [" " * len(head) + line for line in body[1:]]
    lines.append("")
    lines.append(_("What happened:"))
    for e in data["events"]:
        head = f"  {fmt.short_date(date.fromisoformat(e['at']))}  "
        body = _wrap(e["text"], width, len(head), lines=4)
        lines.append(head + body[0])
        lines += [" " * len(head) + line for line in body[1:]]
    lines.append("")
    names = {r["id"]: r["name"] for r in data["reps"]}
    names.update({m["id"]: m["name"] for m in data.get("managers", [])})
    lines.append(_("DMs per week (the check-ins among them in brackets): the back-off"))
    n = len(data["weeks"])
    per = max(1, (width - 10) // 8)  # weeks side by side; a long run continues in a second block
    for first in range(0, n, per):
        shown = range(first, min(n, first + per))
        lines += [""] if first else []
        lines.append(f"  {'':<8}" + "".join(f"{week_short(i):>8}" for i in shown))
        for person, weeks in data["dms"].items():
            cells = []
            for w in (weeks[i] for i in shown):
                checkins = w["items"].get("checkin", 0)
                cells.append(f"{w['messages']}" + (f" ({checkins})" if checkins else "    "))
            lines.append(f"  {names.get(person, person)[:8]:<8}" + "".join(f"{c:>8}" for c in cells))
    dms = [t for t in data["transcript"] if t["channel"] == "DM"]
    off = [t for t in dms if t["off_hours"]]
    lines.append("")
    lines += _wrap(
        n_(
            "{off} of {n} DM arrived outside the recipient's working hours ({start}–{end} local, "
            "Monday to Friday).",
            "{off} of {n} DMs arrived outside the recipient's working hours ({start}–{end} local, "
            "Monday to Friday).",
            len(dms),
            off=len(off),
            start=data["hours"][0],
            end=data["hours"][1],
        ),
        width,
        0,
    )
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot demo", description=__doc__.splitlines()[0])
    parser.add_argument(
        "--reps", type=int, default=5, help="how many reps (5 personas, repeated beyond five)"
    )
    parser.add_argument("--weeks", type=int, default=8, help="how many weeks to simulate")
    parser.add_argument("--seed", type=int, default=7, help="random seed for the reps' numbers")
    parser.add_argument(
        "--out", type=Path, default=Path("demo-report.html"), help="where to write the HTML report"
    )
    parser.add_argument("--db", type=Path, help="SQLite file to use (default: a new temporary one)")
    parser.add_argument("--quiet", action="store_true", help="don't print the transcript")
    parser.add_argument(
        "--lang",
        default=SOURCE,
        help=f"the simulated team's language: {', '.join(available())} (default: {SOURCE})",
    )
    args = parser.parse_args(argv)
    if not 1 <= args.reps <= 50 or not 1 <= args.weeks <= 26:
        parser.error("--reps must be 1–50 and --weeks 1–26")
    if setting(args.lang) is None:  # (the pseudo-locale "qps" is accepted too, for the guard tests)
        parser.error(f"the demo doesn't speak {args.lang!r} — choose one of: {', '.join(available())}")
    logging.getLogger("bot").setLevel(logging.ERROR)
    started = _time.monotonic()
    run(
        reps=args.reps,
        weeks=args.weeks,
        seed=args.seed,
        out=args.out,
        db=args.db,
        echo=(lambda line: None) if args.quiet else print,
        width=min(160, max(80, shutil.get_terminal_size((100, 24)).columns)),
        lang=args.lang,
    )
    with speaking(setting(args.lang).language):
        took = _time.monotonic() - started
        seconds = f"{took:.1f}" if language() == SOURCE else fmt.number(took, 1)
        print("\n" + _("Report: {path}  ({seconds} s)", path=args.out.resolve(), seconds=seconds))
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
