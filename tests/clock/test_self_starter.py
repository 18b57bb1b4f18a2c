"""The self-starter signal, as a scenario: two new hires on a New York team — one in New York, one in
Tokyo — through their first month, hour by hour through the real clock (the US falls back on 1 Nov).

- Nina (New York) logs at 08:30 on Monday, Wednesday and Friday, before her 09:00 check-in; on
  Tuesday only at noon, after it; on Thursday not at all: 3 of 5 unprompted, 4 of 5 logged a week.
- Taro (Tokyo) logs at 08:00 Tokyo time every working day — but in his second week only at 10:00,
  after the check-in, and Thursday's numbers only on Friday morning ("yesterday"): 5 of 5 in weeks
  1, 3 and 4, 0 of 5 (all logged) in week 2.

The manager sees it in the weekly 1:1 agenda, in App Home, and when each leaves onboarding.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta

from bot.domain.calendar import to_utc
from bot.services.outcomes import Logged
from bot.services.profiles import UserInfo
from bot.slack.messages import home as home_messages
from bot.slack.messages.scheduled import render
from tests.clock.conftest import BOSS, W, hours
from tests.support import blockkit

NINA, TARO = "U0NINA", "U0TARO"
ZONES = {BOSS: "America/New_York", NINA: "America/New_York", TARO: "Asia/Tokyo"}
WEEKS = [date(2026, 11, 2) + timedelta(days=7 * i) for i in range(4)]  # Mondays


class Directory:
    def user_info(self, user_id: str) -> UserInfo | None:
        return UserInfo(user_id, user_id.lower(), ZONES[user_id])


def _at(day: date, hhmm: str, user: str) -> datetime:
    hh, mm = (int(x) for x in hhmm.split(":"))
    return to_utc(day, time(hh, mm), ZONES[user])


def _logs() -> list[tuple[datetime, str, str]]:
    """(instant, rep, /log text) for the whole month, oldest first."""
    out = []
    for week, monday in enumerate(WEEKS):
        for i, when in enumerate(["08:30", "12:00", "08:30", None, "08:30"]):
            if when:
                out.append((_at(monday + timedelta(days=i), when, NINA), NINA, "25 calls"))
        for i in range(5):
            day = monday + timedelta(days=i)
            if week != 1:
                out.append((_at(day, "08:00", TARO), TARO, "25 calls"))
            elif i == 3:
                continue  # Thursday: logged on Friday morning, for Thursday
            else:
                if i == 4:
                    out.append((_at(day, "08:00", TARO), TARO, "25 calls yesterday"))
                out.append((_at(day, "10:00", TARO), TARO, "25 calls"))
    return sorted(out)


def _text(blocks: Iterable[dict]) -> str:
    out = []
    for b in blocks:
        if b.get("type") == "section":
            out.append(b["text"]["text"])
        elif b.get("type") == "context":
            out += [e.get("text", "") for e in b["elements"]]
    return "\n".join(out)


def test_a_new_hires_self_starter_figures_reach_the_manager(services, clock, tick, sender) -> None:
    clock.set("2026-10-30T12:00:00+00:00")  # Friday: the team starts, Nina and Taro join
    services.teams.team(
        workspace_id=W,
        user_id=BOSS,
        text="create Sales East <#C0EAST|east> tz=America/New_York",
        in_channel="C0EAST",
    )
    services.teams.team(workspace_id=W, user_id=BOSS, text=f"add <@{NINA}|nina> <@{TARO}|taro>")
    services.profiles.refresh(workspace_id=W, user_ids=[BOSS, NINA, TARO], directory=Directory())
    services.goals.goals(workspace_id=W, user_id=BOSS, text="team 20 calls/day")

    logs = _logs()
    home = None
    for instant in hours("2026-10-30T13:00:00+00:00", "2026-12-01T12:00:00+00:00"):
        tick(instant)
        now = datetime.fromisoformat(instant)
        while logs and logs[0][0] < now + timedelta(hours=1):
            at, rep, text = logs.pop(0)
            clock.set(at.isoformat())
            reply = services.activity.log(workspace_id=W, user_id=rep, text=text)
            assert isinstance(reply, Logged), reply
        if now == datetime(2026, 11, 14, 17, tzinfo=UTC):  # Saturday noon in New York
            clock.set(instant)
            home = home_messages.home_view(services.home.home(workspace_id=W, user_id=BOSS))
    assert not logs

    # The check-ins were what nudged: sent at 09:00 on the days the rep hadn't logged yet.
    nina_checkins = {s.at.astimezone(UTC).date() for s in sender.of("checkin", NINA)}
    assert date(2026, 11, 3) in nina_checkins and date(2026, 11, 2) not in nina_checkins

    # The 1:1 agendas of Mondays 9 and 16 November, planned at midnight in New York: the weeks so
    # far, each rep in their own days — it is already 14:00 Monday in Tokyo, and Taro's /log of that
    # morning makes Monday one of his days judged (a day not logged yet doesn't count against him).
    agendas = {
        (s.payload["rep"], s.at.astimezone(UTC).date()): s.payload["agenda"]
        for s in sender.of("one_on_one", BOSS)
    }
    assert agendas[(NINA, date(2026, 11, 9))]["self_starter"] == {
        "working_days": 5,
        "logged": 4,
        "unprompted": 3,
    }
    assert agendas[(TARO, date(2026, 11, 9))]["self_starter"] == {
        "working_days": 6,
        "logged": 6,
        "unprompted": 5,
    }
    assert agendas[(NINA, date(2026, 11, 16))]["self_starter"] == {
        "working_days": 10,
        "logged": 8,
        "unprompted": 6,
    }
    assert agendas[(TARO, date(2026, 11, 16))]["self_starter"] == {
        "working_days": 11,
        "logged": 11,
        "unprompted": 6,
    }
    prompt = next(
        s
        for s in sender.dms(BOSS)
        if any(i["kind"] == "one_on_one" for i in s.payload["items"]) and s.at.date() == date(2026, 11, 16)
    )
    message = render("dm", BOSS, prompt.payload)
    assert blockkit.review("chat.postMessage", {"channel": BOSS, **message}).refusal is None
    text = _text(message["blocks"])
    assert "*Self-starter:* logged unprompted 6 of 10 working days (60 %); logged at all 8 of 10." in text
    assert "*Self-starter:* logged unprompted 6 of 11 working days (55 %); logged at all 11 of 11." in text

    # App Home on Saturday 14 November (already Sunday in Tokyo): each new hire's line carries it.
    assert home is not None and blockkit.view_problems(home) == []
    lines = [_text([b]) for b in home["blocks"] if b.get("type") == "section"]
    assert any(f"<@{NINA}>" in ln and "self-starter 6/10 days (logged 8)" in ln for ln in lines), lines
    assert any(f"<@{TARO}>" in ln and "self-starter 5/10 days (logged 10)" in ln for ln in lines), lines

    # Monday 30 November: four weeks on, the last three on track — both leave onboarding, and the
    # message that says so carries the month's figures (Monday itself not logged yet: not judged).
    # Taro hears it on Tuesday: his Monday's one DM was its check-in.
    to_boss = [s for s in sender.of("stage_change", BOSS) if s.payload["from"] == "onboarding"]
    assert {s.payload["rep"]: s.payload["self_starter"] for s in to_boss} == {
        NINA: {"working_days": 20, "logged": 16, "unprompted": 12},
        TARO: {"working_days": 20, "logged": 20, "unprompted": 15},
    }
    told = {s.payload["rep"]: render("stage_change", BOSS, s.payload)["text"] for s in to_boss}
    assert (
        "Self-starter: logged unprompted 12 of 20 working days (60 %); logged at all 16 of 20." in told[NINA]
    )
    assert (
        "Self-starter: logged unprompted 15 of 20 working days (75 %); logged at all 20 of 20." in told[TARO]
    )
    (to_taro,) = sender.of("stage_change", TARO)
    assert (
        "You logged before any nudge from me on 15 of your 20 working days (75 %)."
        in (render("stage_change", TARO, to_taro.payload)["text"])
    )
