"""The issue's guard for replies, modals and views: every word they say comes from the catalogue.

Each outcome ``replies.render`` handles is rendered under the pseudo-locale, in every shape it takes,
with only the fixtures' own words (names, notes, services' sentences) allowed through unaccented; a
new outcome type without a case here fails :func:`test_every_outcome_type_has_a_case`. Then a few in
Albanian, with amounts in lek.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from decimal import Decimal

import pytest

from bot.domain.cadence import WeekResult
from bot.domain.types import DEFAULT_METRICS, Cadence, Metric, MetricKind, Period, Scoreboard, Stage, Unit
from bot.i18n import PSEUDO, speaking
from bot.services.export import Export
from bot.services.home import HomeView, ManagerHome, RepHome
from bot.services.integrations import IntegrationsView
from bot.services.outcomes import (
    CheckinView,
    GoalsChanged,
    GoalsView,
    GoalView,
    Help,
    HoursChanged,
    KudosChanged,
    Logged,
    Notice,
    Problem,
    ProgressLine,
    ProgressView,
    RepRow,
    TeamSettings,
    TeamSummary,
    TeamTable,
    Undone,
    WeekView,
)
from bot.services.teams import NeedsChannelCheck, NeedsTimezone, TeamChanged
from bot.slack.listeners import deadline, errors
from bot.slack.listeners.commands import channel_unchecked, export_failed, no_timezone
from bot.slack.messages import replies
from bot.slack.messages.home import home_view
from bot.slack.messages.modals import (
    log_activity_modal,
    plan_one_on_one_modal,
    share_answer_message,
    share_week_modal,
)
from bot.slack.messages.replies import render
from tests.support.fakeslack import visible_text
from tests.support.pseudo import assert_catalogued, uncatalogued

CALLS, PRESENTATIONS, NOTES, EMAILS, DEALS, REVENUE = DEFAULT_METRICS
DEMOS = Metric("demos", "demos", MetricKind.ACTIVITY, Unit.COUNT)  # a workspace's own: shown as typed
TODAY = date(2026, 12, 2)  # a Wednesday
MONDAY = date(2026, 11, 30)

# What the fixtures themselves supply: names, notes, and the services' own sentences (their helpers
# put those through the catalogue where they are made).
SUPPLIED = [
    "Tirana Sales",
    "two want pricing",
    "demos",
    "Demos",
    "tirana",
    "Europe/Tirane",
    "Something the service said.",
    "A detail the service gave.",
    "You moved the standup.",
    "4 weeks on the team and on track",
    "8 more on-track weeks and I'll only check in monthly.",
    "Thursday 16:00",
    "Entries from HubSpot can't be undone here — change them in HubSpot.",
    "Mon–Fri",
    "export",
    "csv",
    "public",
    "dial",
    "dials",
    "call",
    "presentation",
    "demo",
    "meetings",
    "meeting",
    "pres",
    # /log and /goals help list the metric names and aliases to type, as they are typed
    "calls",
    "notes",
    "presentations",
    "note",
    "thanks",
    "thank-yous",
    "ty",
]
# What a CRM must send, key for key: a code sample, not words (and the secret itself)
WIRE = [
    '{"activities": [{"rep": "ana@example.com", "metric": "calls", "amount": 3, "at": "", "external_id": ""}]}',
    "whsec_c2VjcmV0",
]


def line(metric, period, actual, target, pace=None) -> ProgressLine:
    return ProgressLine(metric, period, Decimal(actual), Decimal(target), pace)


PROGRESS = (
    line(CALLS, Period.DAY, 25, 25),
    line(NOTES, Period.DAY, 4, 10),
    line(PRESENTATIONS, Period.WEEK, 6, 5),
    line(EMAILS, Period.WEEK, 3, 0),
    line(DEALS, Period.MONTH, 2, 4, pace=0.6),
    line(REVENUE, Period.QUARTER, 4500, 50000, pace=0.8),
)
ITEMS = ((CALLS, Decimal(25)), (DEALS, Decimal(1)), (REVENUE, Decimal(4500)))
CRM = (("HubSpot", ((CALLS, Decimal(3)),)),)


def checkin(**over) -> CheckinView:
    fields = {
        "user_id": "U0ANA1",
        "is_self": True,
        "stage": Stage.STEADY,
        "cadence": Cadence.WEEKLY,
        "pinned": None,
        "since": datetime(2026, 10, 5, tzinfo=UTC),
        "reason": "4 weeks on the team and on track",
        "next_step": "8 more on-track weeks and I'll only check in monthly.",
        "away": ((date(2026, 12, 21), date(2026, 12, 28)),),
        "weeks": (
            WeekResult(date(2026, 11, 16), True, activity=0.9, quota_pace=1.1),
            WeekResult(date(2026, 11, 23), False, activity=0.5),
            WeekResult(date(2026, 11, 9), False, quota_pace=0.4),
            WeekResult(date(2026, 11, 2), True),
        ),
        "tz": "Europe/Tirane",
    }
    return CheckinView(**{**fields, **over})


def rows(n: int = 3) -> tuple[RepRow, ...]:
    base = (
        RepRow(
            "U0ANA1",
            (line(CALLS, Period.WEEK, 90, 125), line(DEALS, Period.MONTH, 1, 4, 0.3)),
            Stage.STEADY,
            TODAY,
            False,
        ),
        RepRow("U0BEN2", (), Stage.SUPPORT, None, False),
        RepRow("U0CAT3", (line(CALLS, Period.WEEK, 130, 125),), Stage.ONBOARDING, date(2026, 12, 1), True),
    )
    return (base * (n // 3 + 1))[:n]


def table(n: int = 3) -> TeamTable:
    return TeamTable("Tirana Sales", "C0SALES1", MONDAY, TODAY, rows(n), ("U0BOSS9",))


def integrations(**over) -> IntegrationsView:
    fields = {
        "team_name": "Tirana Sales",
        "base": "https://bot.example.com",
        "key": "k3y",
        "secret": "whsec_c2VjcmV0",
        "hubspot_set": True,
        "pipedrive_types": (("call", "calls"),),
        "pipedrive_users": (("12345", "U0ANA1"),),
    }
    return IntegrationsView(**{**fields, **over})


def settings(**over) -> TeamSettings:
    fields = {
        "team_name": "Tirana Sales",
        "channel_id": "C0SALES1",
        "timezone": "Europe/Tirane",
        "workdays": frozenset(range(5)),
        "standup_weekday": 0,
        "standup_time": "09:00",
        "holidays": "AL",
        "scoreboard": Scoreboard.PUBLIC,
        "changed": "You moved the standup.",
        "meeting": "Thursday 16:00",
        "meeting_url": "https://meet.example.com/x",
        "video_url": "https://zoom.example.com/y",
    }
    return TeamSettings(**{**fields, **over})


# Every outcome type, in each shape its renderer words differently.
CASES: dict[type, list[object]] = {
    Problem: [Problem("Something the service said.", "A detail the service gave.")],
    Notice: [Notice("Something the service said.", "A detail the service gave.")],
    Logged: [
        Logged(ITEMS, TODAY, TODAY, "two want pricing", PROGRESS, "Tirana Sales", from_crm=CRM),
        Logged(
            ITEMS,
            date(2026, 12, 1),
            TODAY,
            None,
            PROGRESS,
            "Tirana Sales",
            repeat_of=datetime(2026, 12, 1, 9, tzinfo=UTC),
        ),
        Logged(ITEMS, date(2026, 11, 27), TODAY, None, None, "Tirana Sales"),
        Logged(ITEMS, TODAY, TODAY, None, (), "Tirana Sales"),
        Logged(
            ((CALLS, Decimal(25)),), TODAY, TODAY, None, (line(CALLS, Period.DAY, 25, 25),), "Tirana Sales"
        ),
        Logged(
            ((PRESENTATIONS, Decimal(2)), (REVENUE, Decimal(4500)), (DEALS, Decimal(1))),
            TODAY,
            TODAY,
            None,
            (
                line(PRESENTATIONS, Period.WEEK, 6, 5),
                line(REVENUE, Period.MONTH, 50000, 48000),
                line(DEALS, Period.QUARTER, 12, 12),
            ),
            "Tirana Sales",
        ),
    ],
    ProgressView: [
        ProgressView(TODAY, TODAY, PROGRESS, ITEMS, streak=4, from_crm=CRM),
        ProgressView(date(2026, 12, 1), TODAY, (), ()),
        ProgressView(date(2026, 11, 27), TODAY, PROGRESS, ITEMS),
    ],
    WeekView: [
        WeekView(
            MONDAY,
            TODAY,
            (CALLS, REVENUE, DEMOS),
            (
                (MONDAY, {"calls": Decimal(20), "revenue": Decimal(900), "demos": Decimal(1)}, True),
                (date(2026, 12, 1), {}, True),
                (date(2026, 12, 5), {}, False),
            ),
            PROGRESS,
        )
    ],
    Undone: [
        Undone(ITEMS, TODAY, datetime(2026, 12, 2, 9, 15, tzinfo=UTC)),
        Undone(ITEMS, TODAY, datetime(2026, 12, 2, 9, 15, tzinfo=UTC), crm_sources=("HubSpot",)),
    ],
    Help: [Help(c, metrics=DEFAULT_METRICS[:3]) for c in ("/log", "/goals", "/team", "/checkin")],
    GoalsView: [
        GoalsView(
            "U0ANA1",
            "Tirana Sales",
            (
                GoalView(CALLS, Period.DAY, Decimal(25), True),
                GoalView(REVENUE, Period.MONTH, Decimal(50000), False),
                GoalView(NOTES, Period.WEEK, Decimal(10), False, until=date(2026, 12, 18)),
            ),
            PROGRESS,
            True,
        ),
        GoalsView("team", "Tirana Sales", (GoalView(CALLS, Period.DAY, Decimal(25), False),), (), False),
        GoalsView("U0BEN2", "Tirana Sales", (GoalView(DEALS, Period.MONTH, Decimal(4), False),), (), False),
        GoalsView("team", "Tirana Sales", (), (), False),
        GoalsView("U0ANA1", "Tirana Sales", (), (), True),
        GoalsView("U0BEN2", "Tirana Sales", (), (), False),
    ],
    GoalsChanged: [
        GoalsChanged(
            ("U0ANA1", "U0BEN2"),
            "Tirana Sales",
            set=(
                GoalView(CALLS, Period.DAY, Decimal(30), False),
                GoalView(REVENUE, Period.MONTH, Decimal(60000), False),
            ),
            replaced=(GoalView(CALLS, Period.DAY, Decimal(1), False),),
        ),
        GoalsChanged(("team",), "Tirana Sales", set=(GoalView(CALLS, Period.WEEK, Decimal(100), False),)),
        GoalsChanged(("team",), "Tirana Sales", cleared=(CALLS, NOTES)),
        GoalsChanged(("U0ANA1",), "Tirana Sales", cleared=(REVENUE,)),
    ],
    TeamChanged: [TeamChanged("Something the service said.", "A detail the service gave.")],
    Export: [
        Export("U0BOSS9", "Tirana Sales", "tirana.csv", "Tirana Sales", b"", 1),
        Export("U0BOSS9", "Tirana Sales", "tirana.csv", "Tirana Sales", b"", 12),
    ],
    IntegrationsView: [
        integrations(),
        integrations(base=None, hubspot_set=False, pipedrive_types=(), pipedrive_users=()),
    ],
    NeedsTimezone: [NeedsTimezone("U0BOSS9")],
    NeedsChannelCheck: [NeedsChannelCheck("U0BOSS9", "C0SALES1")],
    TeamSettings: [
        settings(),
        settings(meeting=None, video_url=None, holidays=None, scoreboard=Scoreboard.KUDOS_ONLY),
    ],
    TeamTable: [table(), table(30), TeamTable("Tirana Sales", "C0SALES1", MONDAY, TODAY, (), ())],
    TeamSummary: [
        TeamSummary("Tirana Sales", MONDAY, TODAY, ITEMS, ("U0ANA1",), Scoreboard.PUBLIC, public_rows=rows()),
        TeamSummary("Tirana Sales", MONDAY, TODAY, (), (), Scoreboard.KUDOS_ONLY),
    ],
    CheckinView: [
        checkin(),
        checkin(is_self=False, kudos_muted=True),
        checkin(pinned=Cadence.DAILY, cadence=Cadence.DAILY, kudos_muted=True),
        checkin(
            is_self=False, pinned=Cadence.MONTHLY, cadence=Cadence.MONTHLY, stage=Stage.AUTONOMOUS, tz=None
        ),
        *(checkin(stage=s) for s in Stage),
    ],
    HoursChanged: [
        HoursChanged((time(9), time(17)), "Europe/Tirane", False),
        HoursChanged((time(8), time(18)), None, True),
    ],
    KudosChanged: [KudosChanged(m, a) for m in (True, False) for a in (True, False)],
}


def _home_views() -> list[HomeView]:
    manager = ManagerHome(1, table(60), {"U0ANA1": 2, "U0CAT3": 1})
    rep = RepHome(
        1, "Tirana Sales", TODAY.isoformat(), PROGRESS, 5, checkin(), ("calls",), "2026-W49", from_crm=CRM
    )
    bare = RepHome(
        1,
        "Tirana Sales",
        TODAY.isoformat(),
        (),
        0,
        checkin(pinned=Cadence.DAILY, kudos_muted=True),
        (),
        "2026-W49",
    )
    return [
        HomeView("U0ANA1", rep, None),
        HomeView(
            "U0ANA1", bare, ManagerHome(1, TeamTable("Tirana Sales", "C0SALES1", MONDAY, TODAY, (), ()), {})
        ),
        HomeView("U0BOSS9", None, manager),
        HomeView("U0NEW4", None, None),
    ]


def _modals() -> list[dict]:
    metrics = [
        {"key": "calls", "label": "cold calls", "unit": "count"},
        {"key": "revenue", "label": "revenue", "unit": "currency"},
        {"key": "demos", "label": "demos", "unit": "count"},
    ]
    plan = [
        {"key": "calls", "label": "cold calls", "period": "day", "current": "25"},
        {"key": "notes", "label": "thank-you notes", "period": "week"},
    ]
    return [
        share_week_modal(
            team_id=1, week="2026-W49", team="Tirana Sales", previous={"wins": "two want pricing"}
        ),
        log_activity_modal(team_id=1, metrics=metrics, today=TODAY.isoformat()),
        plan_one_on_one_modal(
            rep="U0ANA1", team_id=1, metrics=plan, until="2026-12-18", video="https://zoom.example.com/y"
        ),
        share_answer_message(user_id="U0ANA1", wins="two want pricing", focus="", help=""),
        share_answer_message(user_id="U0ANA1", wins="", focus="", help=""),
    ]


def test_every_outcome_type_has_a_case() -> None:
    """A new outcome type must come with its case here, so its words are guarded too."""
    registered = {t for t in render.registry if t is not object}
    assert registered == set(CASES)


@pytest.mark.parametrize(
    "outcome",
    [o for cases in CASES.values() for o in cases],
    ids=[f"{t.__name__}-{i}" for t, cases in CASES.items() for i, _ in enumerate(cases)],
)
def test_every_reply_comes_from_the_catalogue(outcome) -> None:
    with speaking(PSEUDO):
        payload = render(outcome)
    assert_catalogued(payload, allowed=SUPPLIED + (WIRE if isinstance(outcome, IntegrationsView) else []))


@pytest.mark.parametrize("view", _home_views(), ids=["rep", "rep-and-empty-team", "manager", "nobody"])
def test_the_home_view_comes_from_the_catalogue(view) -> None:
    with speaking(PSEUDO):
        payload = home_view(view)
    assert_catalogued(payload, allowed=SUPPLIED)


@pytest.mark.parametrize("index", range(len(_modals())))
def test_every_modal_comes_from_the_catalogue(index) -> None:
    with speaking(PSEUDO):
        payload = _modals()[index]
    assert_catalogued(payload, allowed=SUPPLIED)


def test_the_listeners_own_answers_come_from_the_catalogue() -> None:
    with speaking(PSEUDO):
        answers = [
            dict(deadline.SAVING),
            dict(deadline.WORKING),
            dict(deadline.NOT_SAVED),
            dict(deadline.NOT_DONE),
            deadline.still_working("/log", "25 calls"),
            deadline.still_working("/team", ""),
            dict(errors.SORRY),
            dict(errors.UNCONFIRMED),
            render(no_timezone()),
            render(channel_unchecked()),
            render(export_failed()),
        ]
    for answer in answers:
        assert_catalogued(answer, allowed=["calls"])  # the command as the rep typed it


def test_the_guard_catches_a_word_that_bypassed_the_catalogue() -> None:
    """The guard itself can fail: an English word left in a reply is found."""
    with speaking(PSEUDO):
        payload = replies.message("Logged it", detail=replies.message("x")["text"])
    assert set(uncatalogued(payload)) == {"Logged", "it"}


def test_english_is_unchanged_by_the_lazy_answers() -> None:
    assert dict(deadline.SAVING)["text"].startswith(":hourglass_flowing_sand: Saving… the database is slow")
    assert dict(deadline.SAVING) == deadline.SAVING


# --- Albanian -----------------------------------------------------------------------------------


def albanian(build):
    """``build()`` in Albanian with amounts in lek."""
    with speaking("sq", currency="ALL"):
        return build()


def sq_text(payload) -> str:
    """The visible text, its no-break spaces (CLDR's digit grouping in Albanian) as spaces."""
    return visible_text(payload).replace("\xa0", " ")


def test_a_log_reply_in_albanian_with_lek() -> None:
    text = sq_text(albanian(lambda: render(CASES[Logged][0])))
    assert (
        ":white_check_mark: U regjistruan 25 telefonata, 1 marrëveshje, 4 500 Lekë të ardhura për sot."
        in text
    )
    assert "> two want pricing" in text
    assert "*Sot:* telefonata 25/25 ✅ · shënime 4/10" in text
    assert "_Të numëruara bashkë me të:_ 3 telefonata nga HubSpot sot" in text


def test_a_log_for_an_earlier_day_names_it_in_albanian() -> None:
    text = sq_text(albanian(lambda: render(CASES[Logged][2])))
    assert "U regjistruan 25 telefonata, 1 marrëveshje, 4 500 Lekë të ardhura për pre, 27 nën." in text
    assert "U ruajt. Nuk arrita ta ngarkoj ecurinë tënde tani: `/log today` ta tregon." in text


def test_goals_in_albanian() -> None:
    text = sq_text(albanian(lambda: render(CASES[GoalsView][0])))
    assert "*Objektivat e tu*" in text
    assert "• telefonata të ftohta: 25/ditë objektiv _(parazgjedhja e ekipit)_" in text
    assert "• të ardhura: 50 000 Lekë/muaj kuotë" in text
    assert "_(rënë dakord në një takim 1:1, deri më pre, 18 dhj)_" in text


def test_one_of_a_count_reads_singular_in_albanian() -> None:
    reached = CASES[Logged][5]
    text = sq_text(albanian(lambda: render(reached)))
    assert "2 prezantime, 4 500 Lekë të ardhura, 1 marrëveshje" in text
    assert "Sapo arrite objektivin javor: 6 nga 5 prezantime." in text
    assert "Sapo arrite kuotën mujore: 50 000 Lekë nga 48 000 Lekë." in text
    assert "Të lumtë!" in text


def test_the_checkin_view_in_albanian() -> None:
    text = sq_text(albanian(lambda: render(checkin())))
    assert "Je në fazën *qëndrueshmëri* (që nga 5 tet 2026: 4 weeks on the team and on track)." in text
    assert "Do të të shkruaj më së shumti një herë në javë, sa kohë je në ritëm të qëndrueshëm." in text
    assert (
        "rreth orës 09:00; të shkruaj vetëm nga 08:00 deri në 18:00 sipas orës tënde (Europe/Tirane)." in text
    )
    assert ":palm_tree: Larg hën, 21 dhj – hën, 28 dhj" in text


def test_the_team_table_in_albanian() -> None:
    text = sq_text(albanian(lambda: render(table())))
    assert "*Tirana Sales* — java nga hën, 30 nën (<#C0SALES1>)" in text
    assert "*3 shitës* · 2 regjistruan këtë javë · 2 duan vëmendje · 1 larg" in text
    assert "asnjëherë" in text


def test_the_log_modal_and_home_in_albanian() -> None:
    modal = albanian(lambda: _modals()[1])
    labels = [b["label"]["text"] for b in modal["blocks"]]
    assert labels[:2] == ["Telefonata të ftohta", "Të ardhura (Lekë)"]
    assert modal["title"]["text"] == "Regjistro aktivitetin"
    home = sq_text(albanian(lambda: home_view(_home_views()[0])))
    assert "Numrat e tu — Tirana Sales" in home
    assert ":fire: 5 ditë rresht me regjistrime" in home


def test_the_deadline_says_saving_in_albanian() -> None:
    assert albanian(lambda: dict(deadline.SAVING))["text"].startswith(":hourglass_flowing_sand: Po ruaj…")
