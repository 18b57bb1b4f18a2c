"""The demo in another language: ``python -m bot demo --lang sq`` simulates an Albanian team (its language,
lek, Albania's public holidays) and tells the story in Albanian; under the pseudo-locale every word of the
demo's own text came through the catalogue.

Two short runs (three weeks, two weeks) shared by the tests of each language; the English demo is the
one tests/test_demo.py and tests/test_demo_report.py check, unchanged.
"""

from __future__ import annotations

import re
from html import unescape

import pytest
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from bot.demo import MANAGER, PERSONAS, TEAM_TZ, main, run, setting
from bot.demo_report import render_report
from bot.i18n import PSEUDO, available, speaking
from bot.store.models import Team
from tests.support.pseudo import assert_catalogued, uncatalogued


def _run(folder, lang: str, weeks: int):
    lines: list[str] = []
    data = run(
        reps=5,
        weeks=weeks,
        seed=7,
        out=folder / "report.html",
        db=folder / "demo.db",
        echo=lines.append,
        lang=lang,
    )
    return data, lines, (folder / "report.html").read_text(encoding="utf-8"), folder / "demo.db"


@pytest.fixture(scope="module")
def albanian(tmp_path_factory):
    return _run(tmp_path_factory.mktemp("demo-sq"), "sq", 3)


@pytest.fixture(scope="module")
def pseudo(tmp_path_factory):
    return _run(tmp_path_factory.mktemp("demo-qps"), PSEUDO, 2)


# --------------------------------------------------------------------------- Albanian


def test_the_albanian_team_speaks_albanian_in_lek_with_albanias_holidays(albanian) -> None:
    *_, db = albanian
    with Session(create_engine(f"sqlite:///{db}")) as session:
        team = session.scalar(select(Team))
        assert (team.language, team.currency, team.holiday_country) == ("sq", "ALL", "AL")


def test_the_terminal_transcript_is_in_albanian(albanian) -> None:
    _, lines, _, _ = albanian
    assert lines[0].startswith(
        "Demo e check-in-eve të shitjeve — Demo e Shitjeve, nga hën, 1 qer deri die, 21 qer 2026"
    )
    assert lines[1] == "Oraret janë në orën lokale të secilit marrës; ato të kanalit, në orën e ekipit."
    assert "— java e 8 qer —" in lines
    assert "Çfarë ndodhi:" in lines
    assert any(line.startswith("DM në javë (check-in-et mes tyre në kllapa)") for line in lines)
    assert any("  J1  " in line and "J3" in line for line in lines)  # the weeks' columns: "Java 1"…
    # The manager's quota alert, a bot message shown in the team's voice: amounts in lek.
    alert = "\n".join(lines[i] for i, line in enumerate(lines) if "alarm kuote" in line)
    assert re.search(r"4\s000\s000\s+Lekë", " ".join(lines)), alert
    assert "$" not in "\n".join(lines)
    assert any("Alarm kuote për Maria: Dev në" in line for line in lines)
    assert any("Ben bashkohet me ekipin dhe nis në fazën integrim" in line for line in lines)


def test_the_report_is_in_albanian(albanian) -> None:
    data, _, html, _ = albanian
    assert '<html lang="sq">' in html
    for heading in (
        "Faza me kalimin e kohës",
        "Check-in-e në javë",
        "Aktiviteti kundrejt objektivave",
        "Ritmi i kuotës",
        "Me nismë vetjake",
        "Momentet kyçe",
        "Transkripti",
    ):
        assert f">{heading}</h2>" in html, heading
    assert "Shitësit me një vështrim" in html and "Çfarë po sheh." in html
    assert ">integrim<" in html and ">mbështetje<" in html  # the stages' pills
    assert re.search(r"4\s000\s000\sLekë", unescape(html))  # a bot message, in lek
    assert data["team"] == "Demo e Shitjeve" and data["title"] == "Check-in-et e shitjeve — demo"
    assert {r["persona"] for r in data["reps"]} >= {"mbetet pas kuotës", "merr një javë pushim"}


def test_revenue_is_scaled_to_lek() -> None:
    assert setting("sq").scale == 100 and setting("sq").currency == "ALL" and setting("sq").holidays == "AL"
    assert setting("en").scale == 1 and setting("en").currency == "USD" and setting("en").holidays is None
    assert setting("SQ-al").language == "sq"


# --------------------------------------------------------------------------- the pseudo-locale guard

# Words the simulation supplies, never the catalogue: people's names, their time zones, the channel.
SUPPLIED = [
    *(p.name for p in PERSONAS),
    MANAGER[1],
    TEAM_TZ,
    *(p.tz for p in PERSONAS),
    "sales-demo",
    "CEST EDT CDT PDT BST",  # the zones' abbreviations in the times
]


def _reasons(data) -> list[str]:
    """The stage changes' reasons: the domain's words, stored with each change (not the demo's)."""
    return [s["reason"] for changes in data["stages"].values() for s in changes]


def test_the_terminal_transcript_is_all_catalogued_under_the_pseudo_locale(pseudo) -> None:
    data, lines, _, _ = pseudo
    own = []
    events = lines.index(next(line for line in lines if line.startswith("Ŵĥàţ")))
    for i, line in enumerate(lines[:events]):
        if i < 2 or line.startswith("—"):
            own.append(line)
        elif "→" in line and not line.startswith(" "):
            own.append(line.split("→")[0])  # the time and the kind; the rest is the bot's message
    own += lines[events:]  # what happened, the DMs per week, the working hours
    assert len(own) > 20
    assert_catalogued(own, allowed=SUPPLIED + _reasons(data))
    assert uncatalogued(["What happened:"]), "the guard itself must catch plain English"


def test_the_report_is_all_catalogued_under_the_pseudo_locale(pseudo) -> None:
    data, _, html, _ = pseudo
    assert '<html lang="qps-ploc">' in html
    # The report again, without the bot's messages (other modules' words): only the demo's own text.
    quiet = {
        **data,
        "transcript": [{**t, "text": "", "parts": [], "context": None} for t in data["transcript"]],
    }
    with speaking(PSEUDO):
        page = render_report(quiet)
    page = re.sub(r"<style>.*?</style>", " ", page, flags=re.S)
    attributes = re.findall(r'(?:title|aria-label)="([^"]*)"', page)
    text = re.sub(r"<[^>]+>", " ", page)
    assert_catalogued([unescape(text), *map(unescape, attributes)], allowed=SUPPLIED + _reasons(data))


# --------------------------------------------------------------------------- the command line


def test_an_unknown_language_is_refused_with_the_ones_there_are(capsys) -> None:
    with pytest.raises(SystemExit) as stopped:
        main(["--lang", "xx", "--quiet"])
    assert stopped.value.code == 2
    said = capsys.readouterr().err
    assert "the demo doesn't speak 'xx'" in said
    assert ", ".join(available()) in said and "sq" in available()
