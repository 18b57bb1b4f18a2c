"""The clock plans each message in its reader's language: a team that speaks Albanian gets its standup
in Albanian and its reps their DMs in Albanian, in lek; a manager who chose English reads English."""

from __future__ import annotations

from sqlalchemy import update
from sqlalchemy.orm import Session

from bot.slack.messages.scheduled import render
from bot.store.models import RepProfile, Team
from tests.clock.conftest import BOSS, NY, W, hours
from tests.e2e.test_languages import english_in
from tests.support.fakeslack import visible_text


def speak(engine, *, team_language: str | None, team_currency: str | None, boss_language: str | None) -> None:
    # The columns are set directly: the commands that set them are /team's and /checkin's.
    with Session(engine) as session, session.begin():
        session.execute(update(Team).values(language=team_language, currency=team_currency))
        session.execute(
            update(RepProfile)
            .where(RepProfile.workspace_id == W, RepProfile.user_id == BOSS)
            .values(language=boss_language)
        )


def run_week(tick) -> None:
    for instant in hours("2026-11-30T00:00:00+00:00", "2026-12-04T23:00:00+00:00"):
        tick(instant)


def shown(sent) -> str:
    """What the reader sees: the row rendered as the sender renders it, at send time."""
    return visible_text(render(sent.kind, sent.target, sent.payload))


def test_an_albanian_team_reads_albanian_but_its_english_manager_reads_english(
    spread_team, tick, sender, engine
) -> None:
    speak(engine, team_language="sq", team_currency="ALL", boss_language="en")
    run_week(tick)

    [standup, *_] = sender.of("standup")
    assert (standup.payload["lang"], standup.payload["currency"]) == ("sq", "ALL")
    text = shown(standup)
    assert (
        "Standup-i javor — Sales Global" in text and "*Java e kaluar (23–29 nën), totalet e ekipit*" in text
    )

    rep_dms = sender.dms(NY)
    assert rep_dms, "the New York rep hears from the clock this week"
    checkins = sender.of("checkin", NY)
    assert checkins
    for c in checkins:
        message = render(c.kind, c.target, c.payload)
        assert not english_in(message), visible_text(message)
        assert "telefonata të ftohta" in visible_text(message)
    for dm in rep_dms:
        assert all(i["payload"]["lang"] == "sq" for i in dm.payload["items"])
        assert "Të shkruaj" in shown(dm) or "të shkruaj" in shown(dm)  # the context line, in Albanian

    boss_dms = sender.dms(BOSS)
    assert boss_dms, "the manager hears from the clock this week"
    for dm in boss_dms:
        assert all(
            (i["payload"]["lang"], i["payload"]["currency"]) == ("en", "ALL") for i in dm.payload["items"]
        )
        text = shown(dm)
        assert "You get this as a manager" in text and "menaxher" not in text


def test_an_english_team_reads_english_as_it_always_did(spread_team, tick, sender, engine) -> None:
    speak(engine, team_language=None, team_currency="USD", boss_language=None)
    run_week(tick)
    [standup, *_] = sender.of("standup")
    assert (standup.payload["lang"], standup.payload["currency"]) == ("en", "USD")
    assert "Weekly standup — Sales Global" in shown(standup)
    assert all("I message you at most" in shown(dm) for dm in sender.dms(NY))
