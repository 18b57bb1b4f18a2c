"""Slash-command text → typed commands, so Slack handlers never touch raw strings.

One module per command (``log``, ``goals``, ``team``, ``checkin``) on top of what they share
(``common``: limits, errors and Slack's text; ``metrics``: amounts and metric names; ``dates``).
Callers import this package: ``from bot.domain import parsing as p`` and ``p.parse_log(...)``.

Every parser returns either a command value or a :class:`ParseError` whose ``message`` says what was
wrong and whose ``usage`` shows the right form. Both are Slack mrkdwn, ready to post; any fragment of
the user's text echoed in a message is shortened and escaped. Nothing here reads the clock: ``today``
is a parameter.
"""

from __future__ import annotations

from bot.domain.parsing.checkin import (
    CHECKIN_USAGE,
    CheckinAway,
    CheckinBack,
    CheckinCommand,
    CheckinHelp,
    CheckinPin,
    CheckinView,
    parse_checkin,
)
from bot.domain.parsing.common import (
    MAX_AWAY_DAYS_AHEAD,
    MAX_GOAL_COUNT,
    MAX_GOAL_CURRENCY,
    MAX_LOG_COUNT,
    MAX_LOG_CURRENCY,
    MAX_LOG_DAYS_BACK,
    MAX_NOTE_CHARS,
    MAX_TEAM_NAME_CHARS,
    MAX_TEXT_CHARS,
    ParseError,
    parse_user_ids,
)
from bot.domain.parsing.goals import (
    GOALS_USAGE,
    TEAM,
    GoalItem,
    GoalsClear,
    GoalsCommand,
    GoalsHelp,
    GoalsSet,
    GoalsTeamView,
    GoalsView,
    parse_goals,
)
from bot.domain.parsing.log import (
    LOG_USAGE,
    LogCommand,
    LogEntries,
    LogHelp,
    LogItem,
    LogShow,
    LogUndo,
    LogWeek,
    parse_log,
)
from bot.domain.parsing.metrics import parse_amount, resolve_metric, suggest_metric
from bot.domain.parsing.team import (
    TEAM_USAGE,
    TeamAdd,
    TeamCommand,
    TeamCreate,
    TeamExport,
    TeamHelp,
    TeamHolidays,
    TeamManagersAdd,
    TeamManagersRemove,
    TeamRemove,
    TeamScoreboard,
    TeamStandup,
    TeamView,
    TeamWorkdays,
    parse_team,
)

__all__ = [
    "CHECKIN_USAGE",
    "GOALS_USAGE",
    "LOG_USAGE",
    "MAX_AWAY_DAYS_AHEAD",
    "MAX_GOAL_COUNT",
    "MAX_GOAL_CURRENCY",
    "MAX_LOG_COUNT",
    "MAX_LOG_CURRENCY",
    "MAX_LOG_DAYS_BACK",
    "MAX_NOTE_CHARS",
    "MAX_TEAM_NAME_CHARS",
    "MAX_TEXT_CHARS",
    "TEAM",
    "TEAM_USAGE",
    "CheckinAway",
    "CheckinBack",
    "CheckinCommand",
    "CheckinHelp",
    "CheckinPin",
    "CheckinView",
    "GoalItem",
    "GoalsClear",
    "GoalsCommand",
    "GoalsHelp",
    "GoalsSet",
    "GoalsTeamView",
    "GoalsView",
    "LogCommand",
    "LogEntries",
    "LogHelp",
    "LogItem",
    "LogShow",
    "LogUndo",
    "LogWeek",
    "ParseError",
    "TeamAdd",
    "TeamCommand",
    "TeamCreate",
    "TeamExport",
    "TeamHelp",
    "TeamHolidays",
    "TeamManagersAdd",
    "TeamManagersRemove",
    "TeamRemove",
    "TeamScoreboard",
    "TeamStandup",
    "TeamView",
    "TeamWorkdays",
    "parse_amount",
    "parse_checkin",
    "parse_goals",
    "parse_log",
    "parse_team",
    "parse_user_ids",
    "resolve_metric",
    "suggest_metric",
]
