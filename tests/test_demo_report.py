"""The demo's HTML report: a complete, self-contained, escaped, deterministic document whose charts show
the back-off and the stepping-in (bot/demo_report.py)."""

from __future__ import annotations

import copy
import html
import itertools
import math
import re
from datetime import date, datetime, timedelta
from html.parser import HTMLParser
from typing import Any

import pytest

from bot.demo_report import SM_R, SM_W, STAGES, plain_text, render_report

START = date(2026, 10, 5)
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
ONBOARDED = "4 weeks on the team and the last 3 weeks on track"

# (id, name, persona, tz, utc offset in October, quota)
REPS = [
    ("U0ANA", "Ana", "steady performer", "America/New_York", -4, True),
    ("U0BEN", "Ben", "new hire, slow ramp", "America/Chicago", -5, False),
    ("U0CLEO", "Cleo", "star", "Europe/Lisbon", 1, True),
    ("U0DEV", "Dev", "struggling, recovers", "America/Los_Angeles", -7, True),
    ("U0EVE", "Eve", "takes a week off", "Europe/Berlin", 2, False),
]


def _stamp(day: date, hour: int, offset: int) -> tuple[str, str]:
    at = datetime(day.year, day.month, day.day, hour) - timedelta(hours=offset)
    local = f"{WEEKDAYS[day.weekday()]} {day.day:02d} {MONTHS[day.month - 1]} {hour:02d}:00"
    return at.isoformat() + "+00:00", local


def make_data() -> dict[str, Any]:
    """5 reps over 8 weeks: onboarding done, a slow ramp, a star gone autonomous, a quota alert that moves a
    rep to support and back, and a week away."""
    weeks = [START + timedelta(weeks=k) for k in range(8)]
    stages = {
        "U0ANA": [
            {"from": "2026-10-04", "stage": "onboarding", "reason": "joined a team"},
            {"from": "2026-11-02", "stage": "steady", "reason": ONBOARDED},
        ],
        "U0BEN": [
            {"from": "2026-10-04", "stage": "onboarding", "reason": "joined a team"},
            {"from": "2026-11-23", "stage": "steady", "reason": ONBOARDED},
        ],
        "U0CLEO": [
            {"from": "2026-08-10", "stage": "steady", "reason": ONBOARDED},
            {"from": "2026-10-19", "stage": "autonomous", "reason": "8 on-track weeks in a row while steady"},
        ],
        "U0DEV": [
            {"from": "2026-09-07", "stage": "steady", "reason": ONBOARDED},
            {"from": "2026-10-16", "stage": "support", "reason": "quota-pace alert: revenue at 35 % of pace"},
            {"from": "2026-11-23", "stage": "steady", "reason": "2 on-track weeks in a row"},
        ],
        "U0EVE": [
            {"from": "2026-09-01", "stage": "steady", "reason": ONBOARDED},
            {"from": "2026-11-09", "stage": "support", "reason": "off track 2 weeks in a row"},
        ],
    }
    checkins = {
        "U0ANA": [5, 5, 5, 4, 1, 1, 1, 1],
        "U0BEN": [5, 5, 5, 5, 5, 5, 5, 1],
        "U0CLEO": [1, 1, 0, 0, 1, 0, 0, 0],
        "U0DEV": [1, 2, 5, 5, 5, 5, 5, 1],
        "U0EVE": [1, 1, 1, 0, 1, 5, 5, 5],
    }
    attainment = {
        "U0ANA": [0.95, 1.1, 1.02, 0.98, 1.05, 1.12, 0.99, 1.08],
        "U0BEN": [0.5, 0.62, 0.7, 0.78, 0.85, 0.82, 0.9, 0.88],
        "U0CLEO": [1.2, 1.3, 1.25, 1.4, 1.3, 1.35, 1.28, 2.6],
        "U0DEV": [0.75, 0.6, 0.7, 0.85, 0.9, 0.95, 0.92, 0.9],
        "U0EVE": [0.9, 0.85, 0.7, None, 0.65, 0.75, 0.9, 0.95],
    }
    quota_pace = {
        "U0ANA": [0.8, 0.9, 0.95, 1.0, 0.97, 1.02, 1.05, 1.1],
        "U0BEN": None,
        "U0CLEO": [1.1, 1.2, 1.3, 1.25, 1.2, 1.3, 1.35, 1.4],
        "U0DEV": [0.75, 0.35, 0.45, 0.6, 0.72, 0.85, 0.9, 0.93],
        "U0EVE": None,
    }
    transcript = []
    for k, week in enumerate(weeks):
        at, local = _stamp(week, 9, -4)
        transcript.append(
            {
                "at": at,
                "local": local,
                "to": "Sales Demo",
                "channel": "#sales-demo",
                "kind": "standup",
                "text": f"Week {k + 1} standup: 412 calls of 500.\nKudos to Ana and Cleo!",
            }
        )
        for rep_id, name, _, _, offset, _ in REPS:
            for day in range(checkins[rep_id][k]):
                at, local = _stamp(week + timedelta(days=day), 9, offset)
                text = f"Yesterday you were {3 + day} cold calls short of 25. Log with /log 25 calls"
                transcript.append(
                    {"at": at, "local": local, "to": name, "channel": "DM", "kind": "checkin", "text": text}
                )
    at, local = _stamp(date(2026, 10, 16), 17, -4)
    transcript.append(
        {
            "at": at,
            "local": local,
            "to": "Maya",
            "channel": "DM",
            "kind": "quota_alert",
            "text": "Dev is at 35 % of quota pace — Plan 1:1?",
        }
    )
    transcript.sort(key=lambda line: line["at"])
    messages = {
        rep_id: {"checkin": sum(checkins[rep_id]), "kudos": 2 if rep_id in ("U0ANA", "U0CLEO") else 0}
        | {"stage_change": len(stages[rep_id]) - 1}
        for rep_id, *_ in REPS
    }
    # A DM per check-in, and in W1 Ana's Friday check-in and kudos merged into one DM.
    dms = {
        rep_id: [{"messages": c, "items": {"checkin": c} if c else {}} for c in checkins[rep_id]]
        for rep_id, *_ in REPS
    }
    dms["U0ANA"][0] = {"messages": 5, "items": {"checkin": 5, "kudos": 1}}
    dms["U0MAYA"] = [{"messages": 2, "items": {"one_on_one": 3, "quota_alert": 1}}] + [
        {"messages": 1, "items": {"one_on_one": 1}}
    ] * 7
    return {
        "title": "Sales Check-ins — demo",
        "team": "Sales Demo",
        "start": "2026-10-05",
        "end": "2026-11-29",
        "weeks": [w.isoformat() for w in weeks],
        "seed": 7,
        "reps": [
            {"id": rid, "name": name, "persona": persona, "tz": tz, "quota": quota}
            for rid, name, persona, tz, _, quota in REPS
        ],
        "stages": stages,
        "checkins": checkins,
        "attainment": attainment,
        "quota_pace": quota_pace,
        "away": {"U0EVE": [["2026-10-26", "2026-10-30"]]},
        "messages": messages,
        "dms": dms,
        "managers": [{"id": "U0MAYA", "name": "Maya", "tz": "America/New_York"}],
        "manager": {"quota_alert": 1, "one_on_one": 8, "quiet": 2, "stage_change": 4, "period_end": 2},
        "events": [
            {
                "at": "2026-10-16",
                "rep": "U0DEV",
                "text": "Quota alert: revenue at 35 % of pace → support; 1:1 planned: 30 calls/day until 2 Nov",
            },
            {"at": "2026-10-19", "rep": "U0CLEO", "text": "8 on-track weeks → autonomous: monthly check-ins"},
            {"at": "2026-11-02", "rep": "U0ANA", "text": "Onboarding done → steady: weekly check-ins"},
            {
                "at": "2026-11-09",
                "rep": "U0EVE",
                "text": "Off track 2 weeks in a row → support; manager told",
            },
            {"at": "2026-11-23", "rep": "U0DEV", "text": "Back on track 2 weeks → steady"},
        ],
        "transcript": transcript,
    }


def make_big_data(reps: int = 10, weeks: int = 12, lines: int = 1000) -> dict[str, Any]:
    data = make_data()
    week_list = [START + timedelta(weeks=k) for k in range(weeks)]
    data["weeks"] = [w.isoformat() for w in week_list]
    data["end"] = (week_list[-1] + timedelta(days=6)).isoformat()
    base = data["reps"]
    data["reps"] = []
    for k in range(reps):
        src = base[k % len(base)]
        rid = f"{src['id']}{k}"
        data["reps"].append(dict(src, id=rid, name=f"{src['name']} {k}"))
        for key in ("stages", "away", "messages"):
            if src["id"] in data[key]:
                data[key][rid] = data[key][src["id"]]
        for key in ("checkins", "attainment", "quota_pace"):
            series = data[key][src["id"]]
            data[key][rid] = None if series is None else (series * 2)[:weeks]
    text = "Yesterday you were 3 cold calls short of 25; 2 presentations of 5 this week. Log with `/log 25 calls`."
    workdays = [w + timedelta(days=d) for w in week_list for d in range(5)]
    data["transcript"] = []
    for k in range(lines):
        at, local = _stamp(workdays[k * len(workdays) // lines], 9, -4)
        data["transcript"].append(
            {
                "at": at,
                "local": local,
                "to": data["reps"][k % reps]["name"],
                "channel": "DM",
                "kind": "checkin",
                "text": text,
            }
        )
    return data


def section(page: str, key: str) -> str:
    start = page.index(f'<section id="{key}"')
    return page[start : page.index("</section>", start)]


VOID = frozenset(
    ("area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr")
)


class TagChecker(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.errors: list[str] = []
        self.counts: dict[str, int] = {}
        self.starts: dict[str, int] = {}
        self.ends: dict[str, int] = {}
        self.doctype = 0

    def handle_decl(self, decl: str) -> None:
        self.doctype += decl.lower() == "doctype html"

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.starts[tag] = self.starts.get(tag, 0) + 1
        if tag not in VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        self.ends[tag] = self.ends.get(tag, 0) + 1
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes {self.stack[-1:]}")
            return
        self.stack.pop()


@pytest.fixture(scope="module")
def data() -> dict[str, Any]:
    return make_data()


@pytest.fixture(scope="module")
def page(data: dict[str, Any]) -> str:
    return render_report(data)


def test_a_complete_html5_document(page: str) -> None:
    assert page.lower().startswith("<!doctype html>")
    assert page.count("<html") == 1 and page.count("</html>") == 1
    assert page.rstrip().endswith("</html>")
    assert page.count("<head>") == 1 and page.count("<body>") == 1
    assert '<meta charset="utf-8">' in page and "<title>Sales Check-ins — demo — Sales Demo</title>" in page


def test_tags_balance(page: str) -> None:
    checker = TagChecker()
    checker.feed(page)
    checker.close()
    assert checker.doctype == 1
    assert checker.errors == [] and checker.stack == []
    for tag in ("svg", "div", "section", "details", "table", "g"):
        assert checker.starts.get(tag, 0) == checker.ends.get(tag, 0), tag
    assert checker.starts["section"] == 7


def test_self_contained_and_no_script(page: str) -> None:
    assert "<script" not in page
    assert not re.search(r"""(?:src|href)=["']?(?:https?:)?//""", page)
    assert "@import" not in page and "url(http" not in page
    assert "<style>" in page


def test_header_says_what_this_is(page: str) -> None:
    header = page[page.index("<header") : page.index("</header>")]
    for text in ("Sales Demo", "5 Oct – 29 Nov 2026", "<dt>Seed</dt><dd>7</dd>", "What you’re looking at"):
        assert text in header


@pytest.mark.parametrize("key", ["stages", "checkins", "activity", "quota"])
def test_every_chart_section_has_an_accessible_svg_and_a_table(page: str, key: str) -> None:
    body = section(page, key)
    svgs = re.findall(r"<svg\b[^>]*>(.{0,400})", body)
    assert svgs
    for opening in svgs:
        assert re.match(r'<title id="[^"]+">[^<]+</title><desc id="[^"]+">[^<]+</desc>', opening)
    assert re.search(r"<details[^>]*>\s*<summary>[^<]+</summary>.*?<table", body, re.S)


def test_every_svg_is_labelled(page: str) -> None:
    for match in re.finditer(r'<svg\b[^>]*aria-labelledby="([^"]+)"[^>]*>', page):
        for ident in match.group(1).split():
            assert page.count(f'id="{ident}"') == 1


def test_every_rep_appears_in_every_chart(page: str, data: dict[str, Any]) -> None:
    for rep in data["reps"]:
        assert rep["name"] in section(page, "stages")
        assert rep["name"] in section(page, "checkins")
        assert rep["name"] in section(page, "activity")
        assert rep["name"] in section(page, "counters")
    quota = section(page, "quota")
    assert "Quota pace — Ana" in quota and "Quota pace — Ben" not in quota
    assert "No quota: Ben, Eve." in quota


def test_stage_legend_names_all_four_stages(page: str) -> None:
    body = section(page, "stages")
    legend = body[body.index('<ul class="legend"') : body.index("</ul>", body.index('<ul class="legend"'))]
    for stage in STAGES:
        assert f"<b>{stage}</b>" in legend
    assert "away" in legend


def test_stage_bands_markers_and_reasons(page: str, data: dict[str, Any]) -> None:
    body = section(page, "stages")
    assert ONBOARDED in body
    assert html.escape("quota-pace alert: revenue at 35 % of pace") in body
    assert 'data-stage="support"' in body and 'data-stage="autonomous"' in body
    entries = sum(len(v) for v in data["stages"].values())
    assert body.count('<g class="change">') == entries
    assert len(re.findall(r'<li value="\d+">', body)) == entries
    assert body.count('class="away"') == 1  # Eve's week, hatched
    assert "url(#tl-h)" in body


def test_one_bar_per_rep_and_week_on_one_scale(page: str, data: dict[str, Any]) -> None:
    body = section(page, "checkins")
    assert body.count('class="bar"') == len(data["reps"]) * len(data["weeks"]) == 40
    assert page.count('class="bar"') == 40
    heights = {
        float(h)
        for v, h in re.findall(r'class="bar" data-week="\d+" data-value="(\d+)"[^>]*height="([\d.]+)"', body)
        if v == "5"
    }
    assert len(heights) == 1  # a 5 is as tall for every rep
    # The back-off, in the bars: Ana's weeks in onboarding are daily, then one a week once steady.
    ana = body[body.index("Check-ins per week — Ana") : body.index("Check-ins per week — Ben")]
    assert re.findall(r'data-value="(\d+)"', ana) == ["5", "5", "5", "4", "1", "1", "1", "1"]
    # Support is painted in the warm colour: Dev's weeks 3-7.
    dev = body[body.index("Check-ins per week — Dev") : body.index("Check-ins per week — Eve")]
    assert dev.count('fill="#c8452c"') == 5


def test_the_80_percent_threshold_is_drawn(page: str) -> None:
    activity, quota = section(page, "activity"), section(page, "quota")
    assert activity.count('data-threshold="80"') == 5  # once per rep
    assert "80\u00a0%" in activity or "80 % on track" in activity
    assert quota.count('data-threshold="80"') == quota.count('data-threshold="70"') == 3
    assert "70 % alert" in quota


def test_gaps_for_weeks_not_judged(page: str) -> None:
    activity = section(page, "activity")
    eve = activity[activity.index("Activity against goals — Eve") :]
    path = re.search(r'<path class="series" d="([^"]+)"', eve).group(1)
    assert path.count("M") == 2  # the week away breaks the line
    assert eve.count('class="point"') == 7
    assert "not judged" in eve


def test_counters_and_key_moments(page: str, data: dict[str, Any]) -> None:
    counters = section(page, "counters")
    assert "DMs to each rep, by kind" in counters and "DMs to the managers, by kind" in counters
    assert '<th scope="row" title="one_on_one">1:1 prompts</th><td class="num">8</td>' in counters
    assert '<td class="num"><b>17</b></td></tr></tfoot>' in counters  # manager DMs in all
    moments = section(page, "moments")
    assert moments.count("<li>") == len(data["events"])
    assert html.escape("Quota alert: revenue at 35 % of pace → support") in moments


def test_transcript_grouped_by_week_and_collapsed(page: str, data: dict[str, Any]) -> None:
    body = section(page, "transcript")
    assert '<details class="transcript">' in body  # closed by default
    assert body.count('<details class="week"') == 8
    assert body.count('<tr class="k-') == len(data["transcript"])
    assert "W1 (week of 5 Oct)</b> — " in body and "W8 (week of 23 Nov)</b> — " in body
    assert "table.log{font:12px/1.45 ui-monospace" in page
    # The local date decides the week: Cleo's Monday 09:00 in Lisbon is still Monday.
    w3 = body[body.index("W3 (week of 19 Oct)") : body.index("W4 (week of 26 Oct)")]
    assert "Mon 19 Oct 09:00" in w3


def test_hostile_text_is_escaped(data: dict[str, Any]) -> None:
    evil = copy.deepcopy(data)
    evil["title"] = "</title><script>alert(0)</script>"
    evil["reps"][0]["name"] = "<script>alert(1)</script>Ana"
    evil["reps"][1]["persona"] = '"><img src=x onerror=alert(2)>'
    evil["stages"]["U0ANA"][1]["reason"] = "</title></g></svg><script>alert(3)</script>"
    evil["transcript"][0]["text"] = "<script>alert(4)</script> & <b>bold</b>"
    evil["transcript"][0]["to"] = "<i>x</i>"
    evil["events"][0]["text"] = "<svg onload=alert(5)>"
    evil["messages"]["U0ANA"]["<b>kind</b>"] = 1
    evil["manager"]['"><script>'] = 1
    page = render_report(evil)
    assert "<script" not in page and "<img" not in page and "<b>bold" not in page and "<i>x" not in page
    assert "<svg onload" not in page and "<b>kind" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;Ana" in page
    assert "&lt;script&gt;alert(4)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;" in page
    assert "&quot;&gt;&lt;img src=x onerror=alert(2)&gt;" in page
    checker = TagChecker()
    checker.feed(page)
    assert checker.errors == [] and checker.stack == []


def test_identical_for_the_same_input(data: dict[str, Any]) -> None:
    assert render_report(data) == render_report(copy.deepcopy(data))


def test_ten_reps_twelve_weeks_and_a_long_transcript_stay_small() -> None:
    data = make_big_data()
    page = render_report(data)
    assert len(page.encode()) < 1_000_000
    assert section(page, "checkins").count('class="bar"') == 120
    assert section(page, "transcript").count('<tr class="k-') == 1000


def test_missing_and_odd_values_do_not_break_it() -> None:
    page = render_report({})
    assert page.startswith("<!doctype html>") and page.endswith("</html>\n")
    data = make_data()
    del data["weeks"]  # derived from start and end
    data["checkins"]["U0ANA"] = [5, None, "x"]  # short, with junk
    data["attainment"].pop("U0BEN")
    data["away"]["U0DEV"] = [{"from": "2026-11-10", "to": "2026-11-09"}, ["bad"]]
    data["events"].append({"at": None, "rep": "UNKNOWN", "text": "team-wide"})
    data["transcript"].append(
        {"at": "not a date", "local": "", "to": "x", "kind": "checkin", "text": "undated"}
    )
    page = render_report(data)
    assert section(page, "checkins").count('class="bar"') == 40
    assert "Undated" in page and "team-wide" in page


# --------------------------------------------------------------------------- what a newcomer saw


def test_dms_of_every_kind_per_person_and_week(page: str) -> None:
    counters = section(page, "counters")
    table = counters[counters.index('<table class="counts dms">') :]
    table = table[: table.index("</table>")]
    assert "DMs per week, per person" in table
    rows = re.findall(r"<tr><th scope=\"row\">(.*?)</tr>", table, re.S)
    assert [re.sub(r"<[^>]+>", "", r.split("</th>")[0]) for r in rows] == [
        "Ana",
        "Ben",
        "Cleo",
        "Dev",
        "Eve",
        "Maya manager",
    ]
    ana_w1 = re.findall(r"<td class=\"num dms\"[^>]*>(.*?)</td>", rows[0], re.S)[0]
    assert ana_w1 == '<b>5</b><span class="carried">5 check-ins<br>1 kudos</span>'
    maya = re.findall(r"<td class=\"num dms\"[^>]*>(.*?)</td>", rows[5], re.S)
    assert maya[0] == '<b>2</b><span class="carried">1 quota alert<br>3 1:1 prompts</span>'
    assert len(maya) == 8
    assert 'title="Maya, W1 (week of 5 Oct): 2 DMs carrying 1 quota alert, 3 1:1 prompts"' in table
    # The header counts DMs, not items.
    checkins = sum(sum(v) for v in make_data()["checkins"].values())
    assert f"the reps got {checkins} DMs carrying {checkins} check-ins, and the managers 9 DMs" in page


def _yticks(svg: str) -> list[str]:
    return re.findall(r'<text[^>]*x="36"[^>]*text-anchor="end"[^>]*>([^<]+)</text>', svg)


def test_quota_pace_beyond_200_percent_is_drawn_true(data: dict[str, Any]) -> None:
    wild = copy.deepcopy(data)
    wild["quota_pace"]["U0DEV"][4] = 2.4916
    quota = section(render_report(wild), "quota")
    ticks = [int(t.rstrip("\u00a0%")) for t in _yticks(quota)]
    assert max(ticks) >= 249
    dev = quota[quota.index("Quota pace — Dev") :]
    point = re.search(r'<circle class="point" cx="[^"]+" cy="([\d.]+)"[^>]*><title>W5 [^<]*249\u00a0%', dev)
    assert point and float(point.group(1)) > 18  # inside the plot, not pinned to its top edge
    # A figure far beyond any sensible axis is marked at the top, with its value.
    wild["quota_pace"]["U0DEV"][4] = 9.0
    quota = section(render_report(wild), "quota")
    assert re.search(r'<g class="beyond" data-value="900\u00a0%">.*?>900\u00a0%</text></g>', quota)
    assert "highest 900\u00a0%" in quota


def test_y_axes_have_four_to_six_ticks_on_a_1_2_5_step(page: str) -> None:
    for key in ("checkins", "activity", "quota"):
        for svg in re.findall(r"<svg\b.*?</svg>", section(page, key), re.S):
            labels = _yticks(svg)
            assert 4 <= len(labels) <= 6, (key, labels)
            values = [float(v.rstrip("\u00a0%")) for v in labels]
            steps = {round(b - a, 6) for a, b in itertools.pairwise(values)}
            assert len(steps) == 1, (key, labels)
            step = steps.pop()
            assert round(step / 10 ** math.floor(math.log10(step)), 6) in (1, 2, 5), (key, step)


def test_threshold_labels_sit_outside_the_plot(page: str) -> None:
    for key in ("activity", "quota"):
        body = section(page, key)
        groups = re.findall(r'<g class="threshold[^"]*"[^>]*>.*?</g>', body, re.S)
        assert groups
        for g in groups:
            x2 = float(re.search(r'<line [^>]*x2="([\d.]+)"', g).group(1))
            tx = float(re.search(r'<text x="([\d.]+)"', g).group(1))
            assert x2 == SM_W - SM_R and tx > x2, g  # in the right margin, where no line reaches
    assert "80 % on track" in section(page, "activity")


def test_the_timeline_fits_a_phone(page: str) -> None:
    body = section(page, "stages")
    svg = re.search(r'<svg class="chart timeline"[^>]*viewBox="0 0 ([\d.]+) ([\d.]+)"', body)
    assert svg and "style=" not in svg.group(0)
    width = float(svg.group(1))
    timeline = body[svg.start() : body.index("</svg>", svg.start())]
    smallest = min(float(f) for f in re.findall(r'font-size="([\d.]+)"', timeline))
    assert smallest * (375 - 24) / width >= 7  # px, at a 375 px phone inside the page's padding
    css = page[page.index("<style>") : page.index("</style>")]
    assert "svg.chart{display:block;width:100%;height:auto" in css
    assert not re.search(r"[^}]*(timeline|wide)[^{]*\{[^}]*min-width:[1-9]", css)


def test_a_long_timeline_scrolls_instead_of_shrinking() -> None:
    page = render_report(make_big_data(reps=3, weeks=20, lines=10))
    body = section(page, "stages")
    assert re.search(r'<div class="scroll"><svg class="chart timeline" style="min-width:\d+px', body)


def test_mentions_and_mrkdwn_read_as_in_slack(data: dict[str, Any]) -> None:
    names = {"U0DEV": "Dev"}
    assert plain_text("<@U0DEV> moved from steady to *support*: _off_ ~track~", names) == (
        "@Dev moved from steady to support: off track"
    )
    assert plain_text("Log with `/log 25 calls` in <#C0DEMO|sales-demo>, <https://x.test|here>", names) == (
        "Log with /log 25 calls in #sales-demo, here"
    )
    assert plain_text("<@U0ZED|zed> &amp; <!here> &lt;3", names) == "@zed & @here <3"
    assert plain_text("2 * 3 * 4 and snake_case_name", names) == "2 * 3 * 4 and snake_case_name"
    raw = copy.deepcopy(data)
    raw["transcript"][0]["text"] = "<@U0DEV> moved from steady to *support*"
    body = section(render_report(raw), "transcript")
    assert (
        "@Dev moved from steady to support" in body and "&lt;@U0DEV" not in body and "*support*" not in body
    )


def test_merged_dms_and_hours_in_the_transcript(data: dict[str, Any]) -> None:
    merged = copy.deepcopy(data)
    line = next(t for t in merged["transcript"] if t["to"] == "Ana")
    line.update(kind="dm", items=["checkin", "kudos"], off_hours=False, local=line["local"] + " EDT")
    for t in merged["transcript"]:
        t.setdefault("off_hours", t["channel"] == "DM" and t["to"] == "Dev")
    merged["hours"] = ["08:00", "18:00"]
    page = render_report(merged)
    body = section(page, "transcript")
    assert '<tr class="k-dm k-checkin k-kudos">' in body and ">dm: checkin + kudos<" in body
    assert "off hours" in body
    dev = sum(1 for t in merged["transcript"] if t["to"] == "Dev")
    dms = sum(1 for t in merged["transcript"] if t["channel"] == "DM")
    assert f"{dev} of {dms} DMs arrived outside the recipient" in section(page, "counters")
