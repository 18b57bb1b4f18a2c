"""A channel has one team, and a standup is its team's: the hijack a hostile pass found (another team
created on Sales West's channel dropped Sales West's standup and took its answers' thread), channel
moves, and ``/team delete``."""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from bot.services.outcomes import Problem, TeamSettings
from bot.services.standup import Shared
from bot.services.teams import NeedsChannelCheck, TeamChanged
from bot.store import outbox as ob
from bot.store.models import Entry, Membership, Outbox, StandupAnswer, Team
from tests.clock.conftest import Directory, W

WEST_BOSS, SPY, ANA, BEN = "U0WESTBOSS", "U0SPY", "U0ANA", "U0BEN"
WEST, HIJACK, OTHER = "C0SALESWEST", "C0HIJACK", "C0OTHER"
MONDAY = "2026-11-30T14:30:00+00:00"  # 09:30 in New York: the standup at 09:00 is due


def create(services, user: str, text: str, *, in_channel: str | None = None):
    return services.teams.team(workspace_id=W, user_id=user, text=f"create {text}", in_channel=in_channel)


def team(services, user: str, text: str, *, in_channel: str | None = None):
    return services.teams.team(workspace_id=W, user_id=user, text=text, in_channel=in_channel)


def teams(engine) -> list[Team]:
    with Session(engine) as session:
        return list(session.scalars(select(Team).order_by(Team.id)))


def west(services, clock) -> None:
    clock.set("2026-11-27T15:00:00+00:00")  # the Friday before
    assert isinstance(
        create(services, WEST_BOSS, f"Sales West <#{WEST}|sales-west> tz=America/New_York", in_channel=WEST),
        TeamChanged,
    )
    team(services, WEST_BOSS, f"add <@{ANA}|ana>")
    services.profiles.refresh(workspace_id=W, user_ids=[WEST_BOSS, ANA], directory=Directory())


def test_a_channel_another_team_uses_is_refused_and_its_standup_stays(
    services, clock, tick, sender, engine
) -> None:
    west(services, clock)
    for in_channel in (None, WEST):  # refused before Slack is asked, and even if the spy is in it
        refused = create(services, SPY, f"Hijack <#{WEST}|sales-west> tz=UTC", in_channel=in_channel)
        assert isinstance(refused, Problem)
        assert (
            "already *Sales West*'s channel" in refused.message and "Nothing was changed" in refused.message
        )
        assert "ask one of its managers" in (refused.usage or "")
    assert [t.name for t in teams(engine)] == ["Sales West"]

    tick(MONDAY)
    [standup] = sender.of("standup")
    assert standup.target == WEST and standup.payload["team_id"] == teams(engine)[0].id


def test_giving_a_team_a_channel_waits_for_slack_to_say_the_caller_is_in_it(services, clock, engine) -> None:
    clock.set("2026-11-27T15:00:00+00:00")
    asked = create(services, SPY, f"Hijack <#{HIJACK}|general> tz=UTC")
    assert asked == NeedsChannelCheck(SPY, HIJACK)
    assert teams(engine) == []
    # A check for another channel doesn't count for this one.
    assert create(services, SPY, f"Hijack <#{HIJACK}|general> tz=UTC", in_channel=OTHER) == asked
    assert isinstance(
        create(services, SPY, f"Hijack <#{HIJACK}|general> tz=UTC", in_channel=HIJACK), TeamChanged
    )
    assert [(t.name, t.channel_id) for t in teams(engine)] == [("Hijack", HIJACK)]


def test_moving_a_team_keeps_the_weeks_one_standup(services, clock, tick, sender, engine) -> None:
    west(services, clock)
    tick(MONDAY)
    assert [s.target for s in sender.of("standup")] == [WEST]

    create(services, SPY, f"Other <#{OTHER}|other> tz=UTC", in_channel=OTHER)
    taken = team(services, WEST_BOSS, f"channel <#{OTHER}|other>", in_channel=OTHER)
    assert isinstance(taken, Problem) and "already *Other*'s channel" in taken.message
    assert team(services, WEST_BOSS, f"channel <#{WEST}|sales-west>").message.startswith(
        "*Sales West* already"
    )
    assert team(services, ANA, f"channel <#{HIJACK}|x>", in_channel=HIJACK).message.startswith(
        "Only a team's"
    )

    assert team(services, WEST_BOSS, f"channel <#{HIJACK}|new-west>") == NeedsChannelCheck(WEST_BOSS, HIJACK)
    moved = team(services, WEST_BOSS, f"channel <#{HIJACK}|new-west>", in_channel=HIJACK)
    assert isinstance(moved, TeamSettings) and moved.channel_id == HIJACK
    tick("2026-11-30T15:30:00+00:00")  # the same week, an hour on: no second standup in the new channel
    tick("2026-12-07T14:30:00+00:00")  # next week's goes to the new channel
    assert [s.target for s in sender.of("standup")] == [WEST, HIJACK]
    # The old channel is free again.
    assert isinstance(
        create(services, SPY, f"Reuse <#{WEST}|sales-west> tz=UTC", in_channel=WEST), TeamChanged
    )


def test_two_teams_on_one_channel_each_keep_their_standup_and_thread(
    services, clock, tick, sender, engine
) -> None:
    """Teams that shared a channel before channels were checked: neither drops the other's standup,
    and a rep's answer threads under their own team's post."""
    west(services, clock)
    create(services, SPY, f"Hijack <#{HIJACK}|x> tz=America/New_York", in_channel=HIJACK)
    team(services, SPY, f"add <@{BEN}|ben>")
    with Session(engine) as session, session.begin():  # as the hostile pass left it
        session.execute(update(Team).where(Team.name == "Hijack").values(channel_id=WEST))
    tick(MONDAY)
    standups = sender.of("standup")
    assert sorted(s.payload["team_id"] for s in standups) == sorted(t.id for t in teams(engine))
    assert {s.target for s in standups} == {WEST}

    west_id, hijack_id = (t.id for t in teams(engine))
    shared = services.standup.share(
        workspace_id=W, user_id=ANA, team_id=west_id, week="2026-W49", wins="Acme", focus="Demos", help=""
    )
    with Session(engine) as session:
        west_post = ob.team_standup(session=session, workspace_id=W, team_id=west_id, week="2026-W49")
        hijack_post = ob.team_standup(session=session, workspace_id=W, team_id=hijack_id, week="2026-W49")
    assert isinstance(shared, Shared) and west_post.slack_ts != hijack_post.slack_ts
    assert shared.thread_ts == west_post.slack_ts


def test_a_rep_moved_mid_week_shares_into_the_new_teams_thread(services, clock, tick, sender, engine) -> None:
    west(services, clock)
    create(services, SPY, f"East <#{HIJACK}|east> tz=America/New_York", in_channel=HIJACK)
    tick(MONDAY)
    west_id, east_id = (t.id for t in teams(engine))
    first = services.standup.share(
        workspace_id=W, user_id=ANA, team_id=west_id, week="2026-W49", wins="Old win", focus="", help=""
    )
    services.standup.posted(answer_id=first.answer_id, ts="1700000000.900001")
    team(services, WEST_BOSS, f"remove <@{ANA}|ana>")
    team(services, SPY, f"add <@{ANA}|ana>")

    form = services.standup.form(workspace_id=W, user_id=ANA, team_id=east_id, week="2026-W49")
    assert form.previous is None  # a fresh answer for the new team, not the old one to edit
    again = services.standup.share(
        workspace_id=W, user_id=ANA, team_id=east_id, week="2026-W49", wins="New win", focus="", help=""
    )
    with Session(engine) as session:
        east_post = ob.team_standup(session=session, workspace_id=W, team_id=east_id, week="2026-W49")
        answers = {a.team_id: a for a in session.scalars(select(StandupAnswer))}
    assert again.answer_id != first.answer_id and again.posted_ts is None  # posted anew, not an edit
    assert (again.channel, again.thread_ts) == (HIJACK, east_post.slack_ts)
    assert (answers[west_id].wins, answers[west_id].posted_ts) == ("Old win", "1700000000.900001")
    assert answers[east_id].wins == "New win"
    # The old team's form is closed to her now.
    assert isinstance(
        services.standup.share(
            workspace_id=W, user_id=ANA, team_id=west_id, week="2026-W49", wins="x", focus="", help=""
        ),
        Problem,
    )


def test_deleting_a_team_confirms_keeps_history_and_frees_its_name_and_channel(
    services, clock, tick, sender, engine
) -> None:
    west(services, clock)
    services.activity.log(workspace_id=W, user_id=ANA, text="12 calls")
    asked = team(services, WEST_BOSS, "delete")
    assert isinstance(asked, Problem) and "`/team delete Sales West`" in asked.message
    assert "1 rep leaves it" in (asked.usage or "") and "Everything logged stays" in (asked.usage or "")
    wrong = team(services, WEST_BOSS, "delete Sales East")
    assert isinstance(wrong, Problem) and "don't run a team called *Sales East*" in wrong.message
    assert team(services, ANA, "delete Sales West").message.startswith("Only a team's managers")
    assert all(t.deleted_at is None for t in teams(engine))

    tick("2026-11-30T05:30:00+00:00")  # Monday: the day's 1:1 round is planned, not yet due
    with Session(engine) as session:
        pending = list(session.scalars(select(Outbox.id).where(Outbox.status == ob.PENDING)))
    assert pending, "something of the team's planned for later on Monday"
    deleted = team(services, WEST_BOSS, "delete sales west")
    assert isinstance(deleted, TeamChanged)
    assert (
        "Deleted *Sales West*" in deleted.message
        and f"<@{ANA}> is free to join another team" in deleted.message
    )
    tick(MONDAY)
    tick("2026-12-07T14:30:00+00:00")
    assert sender.of("standup") == [] and sender.dms(ANA) == []
    with Session(engine) as session:
        assert {session.get(Outbox, i).status for i in pending} == {ob.SKIPPED}
        assert [e.amount for e in session.scalars(select(Entry))] == [12]  # history stays
        assert session.scalar(select(Membership).where(Membership.removed_at.is_(None))) is None
    [gone] = teams(engine)
    assert (gone.name, gone.deleted_by) == ("Sales West", WEST_BOSS)

    # The rep is free, and the name and the channel can be used again.
    assert team(services, WEST_BOSS, "").message.startswith("You're not on a team")
    again = create(
        services, WEST_BOSS, f"Sales West <#{WEST}|sales-west> tz=America/New_York", in_channel=WEST
    )
    assert isinstance(again, TeamChanged)
    assert isinstance(team(services, WEST_BOSS, f"add <@{ANA}|ana>"), TeamChanged)
