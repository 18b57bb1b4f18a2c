"""``/team ceiling``: the most of each metric one rep's day may hold, per team."""

from __future__ import annotations

from bot.domain import parsing as p
from bot.domain.ceilings import ceiling_for, default_ceiling, format_amount
from bot.i18n import _
from bot.services.context import Caller
from bot.services.outcomes import Problem, TeamChanged, esc, metric_label
from bot.store.models import Team


def show_ceilings(caller: Caller) -> TeamChanged | Problem:
    """Every metric's daily ceiling on the caller's team (managed, else the one they're a rep on)."""
    team = caller.managed_team or caller.rep_team
    if team is None:
        return Problem(
            _("You're not on a team yet, so there are no daily ceilings to show."),
            _("Start one with `/team create Sales East #sales-east`."),
        )
    lines = [
        _("*Daily ceilings on {team}* — the most of each metric one rep's day may hold:", team=esc(team.name))
    ]
    for metric in caller.metrics:
        value = ceiling_for(metric, team.daily_ceilings)
        default = value == default_ceiling(metric) and metric.key not in (team.daily_ceilings or {})
        fields = {"metric": metric_label(metric), "amount": format_amount(value, metric)}
        lines.append(
            _("• {metric}: {amount} _(default)_", **fields)
            if default
            else _("• {metric}: {amount}", **fields)
        )
    return TeamChanged(
        "\n".join(lines),
        _(
            "A /log or Log activity that would take a rep's day past one is refused whole. "
            "Managers change one with `/team ceiling calls 800`, or `/team ceiling calls default`."
        ),
    )


def set_ceiling(caller: Caller, team: Team, command: p.TeamCeiling) -> TeamChanged:
    metric = caller.metric_map[command.metric]
    before = ceiling_for(metric, team.daily_ceilings)
    ceilings = dict(team.daily_ceilings or {})
    if command.amount is None:
        ceilings.pop(metric.key, None)
    else:
        ceilings[metric.key] = str(command.amount)
    team.daily_ceilings = ceilings or None  # a new dict: the JSON column sees the change
    after = ceiling_for(metric, team.daily_ceilings)
    default = default_ceiling(metric)
    was = format_amount(before, metric)
    if before == default:
        was = _("{amount} (the default)", amount=was)
    now = format_amount(after, metric)
    if command.amount is None:
        now = _("{amount} (the default)", amount=now)
    return TeamChanged(
        _(
            "Daily ceiling for {metric} on *{team}*: {now}, was {was}.",
            metric=metric_label(metric),
            team=esc(team.name),
            now=now,
            was=was,
        ),
        _(
            "A rep's /log or Log activity that would take their day past it is refused whole, saying why. "
            "`/team ceiling {key} default` goes back to {amount}; `/team ceiling` shows them all.",
            key=metric.key,
            amount=format_amount(default, metric),
        ),
    )
