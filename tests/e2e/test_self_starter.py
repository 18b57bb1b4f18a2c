"""A manager's App Home shows each new hire's self-starter figures, through the real web process (the
fake Slack validates the view as Slack does)."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from tests.e2e.test_home import home_opened, published, view_of

pytestmark = pytest.mark.e2e

BOSS, NEW, OLD = "U0SSBOSS", "U0SSNEW", "U0SSOLD"


def test_a_managers_home_shows_a_new_hires_self_starter_figures(slack, fake_slack, web_clock) -> None:
    fake_slack.add_user(BOSS, name="ssboss", tz="America/New_York")
    fake_slack.add_user(NEW, name="ssnew", tz="America/Chicago")
    fake_slack.add_user(OLD, name="ssold", tz="America/Chicago")
    web_clock.set(datetime(2026, 11, 16, 13, 0, tzinfo=UTC))  # Monday 07:00 in Chicago
    slack.create_team("Starters <#C0SSTART|starters> tz=America/New_York", user_id=BOSS)
    slack.command("/team", f"add <@{NEW}|ssnew> <@{OLD}|ssold>", user_id=BOSS)
    slack.command("/checkin", f"<@{OLD}|ssold> weekly", user_id=BOSS)  # pinned, still onboarding
    web_clock.set(datetime(2026, 11, 16, 13, 30, tzinfo=UTC))  # 07:30: before any check-in
    slack.command("/log", "10 calls", user_id=NEW)
    # Tuesday: nothing logged. Wednesday: logged mid-morning, with no nudge (no clock runs here).
    web_clock.set(datetime(2026, 11, 18, 16, 30, tzinfo=UTC))
    slack.command("/log", "12 calls", user_id=NEW)
    published(fake_slack, NEW, 2)  # the Home refreshes the /log replies queue
    fake_slack.reset()

    web_clock.set(datetime(2026, 11, 19, 16, 0, tzinfo=UTC))  # Thursday 10:00, not logged yet today
    assert home_opened(slack, BOSS).status == 200
    [call] = published(fake_slack, BOSS)
    fake_slack.wait_for(lambda f: call.response is not None, what="the answer to views.publish")
    assert call.ok, call.refused  # the fake refuses a view Slack would refuse
    rows = {
        b["text"]["text"].split("*")[1]: b["text"]["text"]
        for b in view_of(call)["blocks"]
        if b.get("type") == "section" and b["text"]["text"].startswith("*<@")
    }
    assert "· self-starter 2/3 days (logged 2) ·" in rows[f"<@{NEW}>"]
    assert "self-starter 0/2 days (logged 0)" in rows[f"<@{OLD}>"]  # the day they joined: not logged
    assert json.dumps(view_of(call)).count("self-starter") == 2
