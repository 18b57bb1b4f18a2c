"""The clock's messages about a rep who moved teams count only the new team's entries (issue 12,
item 2): the new manager's quota alert and quiet-rep alert, and the new channel's standup, know
nothing of what the rep logged on the team they left."""

from __future__ import annotations

from decimal import Decimal

from bot.services.profiles import UserInfo
from tests.clock.conftest import hours
from tests.services.test_team_history_isolation import create_team

W = "T0CLOCKMOVE"
OLD_BOSS, NEW_BOSS, REP = "U0OLDBOSS", "U0NEWBOSS", "U0MOVER"


class NewYork:
    """Slack's directory: everyone here works in New York."""

    def user_info(self, user_id: str) -> UserInfo:
        return UserInfo(user_id, user_id.lower(), "America/New_York")


def test_a_moved_reps_old_numbers_stay_out_of_the_new_teams_messages(services, tick, sender, clock) -> None:
    team, goals, log = services.teams.team, services.goals.goals, services.activity.log
    clock.set("2026-11-02T14:00:00+00:00")  # Monday 09:00 in New York
    create_team(
        services,
        workspace_id=W,
        user_id=OLD_BOSS,
        text="create Old Team <#C0OLDTEAM|old> tz=America/New_York",
    )
    team(workspace_id=W, user_id=OLD_BOSS, text=f"add <@{REP}|mover>")
    goals(workspace_id=W, user_id=OLD_BOSS, text=f"<@{REP}|mover> quota $20k/month")
    log(workspace_id=W, user_id=REP, text="$30,000, 40 calls")
    clock.set("2026-11-03T14:00:00+00:00")
    log(workspace_id=W, user_id=REP, text="$30,000, 40 calls")

    clock.set("2026-11-04T14:00:00+00:00")  # Wednesday: moved to New Team, with the same quota
    team(workspace_id=W, user_id=OLD_BOSS, text=f"remove <@{REP}|mover>")
    create_team(
        services,
        workspace_id=W,
        user_id=NEW_BOSS,
        text="create New Team <#C0NEWTEAM|new> tz=America/New_York",
    )
    team(workspace_id=W, user_id=NEW_BOSS, text=f"add <@{REP}|mover>")
    goals(workspace_id=W, user_id=NEW_BOSS, text=f"<@{REP}|mover> quota $20k/month")
    goals(workspace_id=W, user_id=NEW_BOSS, text="team 20 calls/day")  # and nothing logged there
    services.profiles.refresh(workspace_id=W, user_ids=[OLD_BOSS, NEW_BOSS, REP], directory=NewYork())

    for instant in hours("2026-11-04T16:00:00+00:00", "2026-11-13T23:00:00+00:00"):
        tick(instant)

    # The standup of Monday 9 Nov: last week's totals on New Team — nothing, against its calls goal.
    [standup] = sender.of("standup", "C0NEWTEAM")
    lines = {line["metric"]: line["actual"] for line in standup.payload["lines"]}
    assert lines == {"calls": "0"}, standup.payload["lines"]
    assert standup.payload["kudos"] == []

    # The quota: $0 of $20k on New Team, so its manager is alerted (the $60k logged on Old Team
    # would have made it a "quota reached" instead) — and nobody is congratulated.
    alerts = sender.of("quota_alert", NEW_BOSS)
    assert alerts, [s.kind for s in sender.items()]
    assert {a.payload["actual"] for a in alerts} == {"0"}
    assert all(a.payload["agenda"]["quota"][0]["actual"] == "0" for a in alerts if "agenda" in a.payload)
    assert not [k for k in sender.of("kudos") if k.payload.get("metric") == "revenue"]
    assert not sender.of("period_end", NEW_BOSS)  # November isn't over

    # Quiet since joining: New Team's manager hears the rep never logged there — not the day they
    # last logged on Old Team.
    [quiet] = sender.of("quiet", NEW_BOSS)
    assert quiet.payload["last_logged"] is None, quiet.payload

    # Old Team still has its own numbers: the rep's entries there are kept, not moved.
    export = services.teams.team(workspace_id=W, user_id=OLD_BOSS, text="export 2026-11")
    assert export.rows == 4
    assert sum(Decimal(line.split(",")[4]) for line in export.content.decode().splitlines()[1:]) == Decimal(
        60_080
    )
