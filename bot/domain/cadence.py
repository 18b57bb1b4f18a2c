"""Stepping back, stepping in: the stage machine of PRODUCT.md "Cadence", as pure functions.

A rep's stage decides how often the bot checks in. It moves only on evidence — closed weeks judged
on track or not — and every move carries its reason and the numbers behind it, so ``/checkin`` can
explain any decision from the data alone.

| stage      | leaves for  | when                                                         |
|------------|-------------|--------------------------------------------------------------|
| onboarding | steady      | 4 weeks on the team and the last 3 closed weeks on track      |
| onboarding | support     | 2 off-track weeks in a row (a partial first week isn't judged) |
| steady     | autonomous  | 8 on-track weeks in a row while steady                       |
| steady     | support     | 2 off-track weeks in a row, or a quota-pace alert            |
| autonomous | steady      | 1 off-track week                                             |
| autonomous | support     | a quota-pace alert                                           |
| support    | steady      | 2 on-track weeks in a row (never straight to autonomous)     |

Onboarding already gets the closest attention (daily check-ins, weekly 1:1s); a new hire off track
two closed weeks in a row (the partial first week isn't judged) moves to support all the same, so
that their manager gets the support loop: a Plan 1:1 and short-term goals.
Weeks that cannot be judged (away all week, no goals yet) neither count nor break a run.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from bot.domain.types import STAGE_CADENCE, Cadence, Stage
from bot.i18n import N_, SOURCE, _, formats, n_, p_, speaking
from bot.i18n.words import name as metric_name

ONBOARDING_WEEKS = 4
ONBOARDING_ON_TRACK = 3
AUTONOMY_WEEKS = 8
SUPPORT_OFF_TRACK = 2
RECOVERY_WEEKS = 2
AUTONOMOUS_SLIP = 1


@dataclass(frozen=True)
class WeekResult:
    """One closed week, judged. ``on_track`` is None when there was nothing to judge."""

    week_start: date
    on_track: bool | None
    activity: float | None = None  # mean attainment over activity goals
    quota_pace: float | None = None
    weakest: tuple[str, float] | None = None  # the activity goal furthest behind: (metric, attainment)

    def describe(self) -> dict[str, Any]:
        return {
            "week": self.week_start.isoformat(),
            "on_track": self.on_track,
            "activity": None if self.activity is None else round(self.activity, 3),
            "quota_pace": None if self.quota_pace is None else round(self.quota_pace, 3),
            "weakest": None if self.weakest is None else [self.weakest[0], round(self.weakest[1], 3)],
        }


@dataclass(frozen=True)
class Decision:
    stage: Stage
    reason: str
    details: dict[str, Any] = field(default_factory=dict)

    def changes(self, current: Stage) -> bool:
        return self.stage is not current


def _judged(weeks: Sequence[WeekResult]) -> list[WeekResult]:
    return [w for w in weeks if w.on_track is not None]


def run_of(weeks: Sequence[WeekResult], on_track: bool) -> int:
    """How many judged weeks in a row, ending with the latest, were (not) on track."""
    count = 0
    for week in reversed(_judged(weeks)):
        if week.on_track is not on_track:
            break
        count += 1
    return count


# A reason is said to whoever reads it, in their language, long after it was decided: it is kept as a
# catalogued template and its values ({"id": …, "args": {…}}, lists of them read "… then …"), beside
# its English text. A value named "metric" is a metric's key, "pct" a ratio.
Why = dict[str, Any]
_MONTH = re.compile(r"\d{4}-\d{2}")


def why(template: str, **args: Any) -> Why:
    return {"id": template, "args": args}


def say(reason: Any) -> str:
    """A reason (or any part of one) in the reader's language."""
    if isinstance(reason, dict) and "id" in reason:
        args = {}
        for key, value in (reason.get("args") or {}).items():
            if key == "metric" and isinstance(value, str):
                args[key] = metric_name(value)
            elif key == "pct":
                args[key] = formats.percent(value)
            elif key == "period" and isinstance(value, str) and _MONTH.fullmatch(value):
                args[key] = formats.month_year(date.fromisoformat(value + "-01"))
            elif key == "cadence" and isinstance(value, str):
                args[key] = p_("cadence", value)
            else:
                args[key] = say(value)
        return _(reason["id"], **args)
    if isinstance(reason, list):
        return _(" then ").join(say(part) for part in reason)
    if isinstance(reason, int | float | Decimal) and not isinstance(reason, bool):
        return formats.number(reason, 1)
    return str(reason)


def reason_text(stored: str, details: dict[str, Any] | None) -> str:
    """What a stage change said, in the reader's language: its kept template, else the stored words
    (translated when they are one of the catalogued fixed reasons, e.g. "joined a team")."""
    kept = (details or {}).get("why")
    return say(kept) if kept else _(stored) if stored else ""


def _decision(stage: Stage, reason: Why, details: dict[str, Any]) -> Decision:
    with speaking(SOURCE):
        english = say(reason)
    return Decision(stage, english, {**details, "why": reason})


def _why_off(weeks: Sequence[WeekResult]) -> Why | list[Why]:
    """ "calls at 40 % of goal 2 weeks running" — from the weeks that put a rep in support."""
    parts = []
    for w in weeks:
        if w.weakest is not None and (w.activity is None or w.activity < 0.8):
            parts.append(why(N_("{metric} at {pct} of goal"), metric=w.weakest[0], pct=w.weakest[1]))
        elif w.quota_pace is not None and w.quota_pace < 0.8:
            parts.append(why(N_("quota pace at {pct}"), pct=w.quota_pace))
        else:
            parts.append(why(N_("activity at {pct} of goals"), pct=w.activity))
    if len(parts) > 1 and all(part == parts[0] for part in parts):
        return why(N_("{part} {n} weeks running"), part=parts[0], n=len(parts))
    return parts


def evaluate(
    *, stage: Stage, joined: date, stage_since: date, weeks: Sequence[WeekResult], today: date
) -> Decision:
    """The stage after the weeks just closed (``weeks``: closed weeks since joining, oldest first).

    Only weeks that closed after ``stage_since`` count towards leaving the current stage, so a rep
    earns each step in it; off-track runs count across a demotion (autonomous → steady → support).
    """
    in_stage = [w for w in weeks if w.week_start >= stage_since - timedelta(days=6)]
    latest = _judged(weeks)[-3:]
    details = {"weeks": [w.describe() for w in latest]}
    on_run = run_of(in_stage, True)
    off_run = run_of(weeks, False)

    if stage is Stage.ONBOARDING:
        if off_run >= SUPPORT_OFF_TRACK:  # a new hire who is not ramping up gets the support loop
            off = _judged(weeks)[-off_run:]
            return _decision(Stage.SUPPORT, _off_track(off_run, off), details)
        tenure = (today - joined).days // 7
        last = _judged(weeks)[-ONBOARDING_ON_TRACK:]
        if tenure >= ONBOARDING_WEEKS and len(last) == ONBOARDING_ON_TRACK and all(w.on_track for w in last):
            return _decision(
                Stage.STEADY,
                why(
                    N_("{tenure} weeks on the team and the last {n} weeks on track"),
                    tenure=tenure,
                    n=ONBOARDING_ON_TRACK,
                ),
                details,
            )
        return _decision(stage, why(N_("still onboarding")), details)
    if stage is Stage.STEADY:
        if off_run >= SUPPORT_OFF_TRACK:
            off = _judged(weeks)[-off_run:]
            return _decision(Stage.SUPPORT, _off_track(off_run, off), details)
        if on_run >= AUTONOMY_WEEKS:
            return _decision(
                Stage.AUTONOMOUS, why(N_("{n} on-track weeks in a row while steady"), n=on_run), details
            )
        return _decision(stage, why(N_("steady")), details)
    if stage is Stage.AUTONOMOUS:
        if off_run >= AUTONOMOUS_SLIP:
            week = _judged(weeks)[-1]
            return _decision(Stage.STEADY, why(N_("an off-track week: {why}"), why=_why_off([week])), details)
        return _decision(stage, why(N_("autonomous")), details)
    # Support
    if on_run >= RECOVERY_WEEKS:
        return _decision(Stage.STEADY, why(N_("back on track {n} weeks in a row"), n=on_run), details)
    return _decision(stage, why(N_("in support")), details)


def _off_track(run: int, weeks: Sequence[WeekResult]) -> Why:
    return why(N_("off track {n} weeks in a row: {why}"), n=run, why=_why_off(weeks))


def quota_alert_decision(*, stage: Stage, metric: str, pace: float | None, period: str) -> Decision | None:
    """A quota-pace alert moves a rep to support at once (None when they are already there)."""
    if stage is Stage.SUPPORT:
        return None
    return _decision(
        Stage.SUPPORT,
        why(N_("{metric} quota pace at {pct} for {period}"), metric=metric, pct=pace, period=period),
        {"metric": metric, "pace": pace, "period": period, "alert": "quota_pace"},
    )


def cadence_for(stage: Stage, pinned: Cadence | None) -> Cadence:
    """A manager's pin overrides the stage's DM cadence."""
    return pinned or STAGE_CADENCE[stage]


def next_step(
    *, stage: Stage, joined: date, stage_since: date, weeks: Sequence[WeekResult], today: date
) -> str:
    """What would change the stage, in numbers ("2 more on-track weeks and I'll only check in monthly")."""
    in_stage = [w for w in weeks if w.week_start >= stage_since - timedelta(days=6)]
    on_run = run_of(in_stage, True)
    off_run = run_of(weeks, False)

    if stage is Stage.ONBOARDING:
        tenure_left = max(0, ONBOARDING_WEEKS - (today - joined).days // 7)
        # Every week still needed for tenure ends up among the last three judged, so it must be on
        # track too: the weeks needed are the larger of the two counts, at most three.
        run_left = min(max(tenure_left, ONBOARDING_ON_TRACK - run_of(weeks, True)), ONBOARDING_ON_TRACK)
        if tenure_left and run_left:
            return n_(
                "{n} more on-track week (and {tenure} on the team) and I'll step back to a weekly check-in.",
                "{n} more on-track weeks (and {tenure} on the team) and I'll step back to a weekly check-in.",
                run_left,
                tenure=n_("{n} more week", "{n} more weeks", tenure_left),
            )
        if run_left:
            return _weeks_left(run_left)
        return _("Keep this week on track and I'll step back to a weekly check-in.")
    if stage is Stage.STEADY:
        left = AUTONOMY_WEEKS - on_run
        text = n_(
            "{n} more on-track week in a row and I'll only check in monthly.",
            "{n} more on-track weeks in a row and I'll only check in monthly.",
            left,
        )
        if off_run == 1:
            text += " " + _("One more off-track week and I'll check in daily to help.")
        return text
    if stage is Stage.AUTONOMOUS:
        return _("You run your own week. An off-track week and I'll check in weekly again.")
    return _weeks_left(RECOVERY_WEEKS - on_run)


def _weeks_left(n: int) -> str:
    return n_(
        "{n} more on-track week in a row and I'll step back to a weekly check-in.",
        "{n} more on-track weeks in a row and I'll step back to a weekly check-in.",
        n,
    )
