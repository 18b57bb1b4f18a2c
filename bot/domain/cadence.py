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

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from bot.domain.types import STAGE_CADENCE, Cadence, Stage

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


def _pct(ratio: float | None) -> str:
    return "—" if ratio is None else f"{round(ratio * 100)} %"


def _why_off(weeks: Sequence[WeekResult]) -> str:
    """ "calls were at 40 % of goal two weeks running" — from the weeks that put a rep in support."""
    parts = []
    for w in weeks:
        if w.weakest is not None and (w.activity is None or w.activity < 0.8):
            parts.append(f"{w.weakest[0]} at {_pct(w.weakest[1])} of goal")
        elif w.quota_pace is not None and w.quota_pace < 0.8:
            parts.append(f"quota pace at {_pct(w.quota_pace)}")
        else:
            parts.append(f"activity at {_pct(w.activity)} of goals")
    if len(set(parts)) == 1 and len(parts) > 1:
        return f"{parts[0]} {len(parts)} weeks running"
    return " then ".join(parts)


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
            return Decision(Stage.SUPPORT, f"off track {off_run} weeks in a row: {_why_off(off)}", details)
        tenure = (today - joined).days // 7
        last = _judged(weeks)[-ONBOARDING_ON_TRACK:]
        if tenure >= ONBOARDING_WEEKS and len(last) == ONBOARDING_ON_TRACK and all(w.on_track for w in last):
            return Decision(
                Stage.STEADY,
                f"{tenure} weeks on the team and the last {ONBOARDING_ON_TRACK} weeks on track",
                details,
            )
        return Decision(stage, "still onboarding", details)
    if stage is Stage.STEADY:
        if off_run >= SUPPORT_OFF_TRACK:
            off = _judged(weeks)[-off_run:]
            return Decision(Stage.SUPPORT, f"off track {off_run} weeks in a row: {_why_off(off)}", details)
        if on_run >= AUTONOMY_WEEKS:
            return Decision(Stage.AUTONOMOUS, f"{on_run} on-track weeks in a row while steady", details)
        return Decision(stage, "steady", details)
    if stage is Stage.AUTONOMOUS:
        if off_run >= AUTONOMOUS_SLIP:
            week = _judged(weeks)[-1]
            return Decision(Stage.STEADY, f"an off-track week: {_why_off([week])}", details)
        return Decision(stage, "autonomous", details)
    # Support
    if on_run >= RECOVERY_WEEKS:
        return Decision(Stage.STEADY, f"back on track {on_run} weeks in a row", details)
    return Decision(stage, "in support", details)


def quota_alert_decision(*, stage: Stage, metric: str, pace: float | None, period: str) -> Decision | None:
    """A quota-pace alert moves a rep to support at once (None when they are already there)."""
    if stage is Stage.SUPPORT:
        return None
    return Decision(
        Stage.SUPPORT,
        f"{metric} quota pace at {_pct(pace)} for {period}",
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

    def weeks_word(n: int) -> str:
        return f"{n} more on-track week{'s' if n != 1 else ''}"

    if stage is Stage.ONBOARDING:
        tenure_left = max(0, ONBOARDING_WEEKS - (today - joined).days // 7)
        # Every week still needed for tenure ends up among the last three judged, so it must be on
        # track too: the weeks needed are the larger of the two counts, at most three.
        run_left = min(max(tenure_left, ONBOARDING_ON_TRACK - run_of(weeks, True)), ONBOARDING_ON_TRACK)
        if tenure_left and run_left:
            return (
                f"{weeks_word(run_left)} (and {tenure_left} more week{'s' if tenure_left != 1 else ''} on the "
                "team) and I'll step back to a weekly check-in."
            )
        if run_left:
            return f"{weeks_word(run_left)} in a row and I'll step back to a weekly check-in."
        return "Keep this week on track and I'll step back to a weekly check-in."
    if stage is Stage.STEADY:
        left = AUTONOMY_WEEKS - on_run
        text = f"{weeks_word(left)} in a row and I'll only check in monthly."
        if off_run == 1:
            text += " One more off-track week and I'll check in daily to help."
        return text
    if stage is Stage.AUTONOMOUS:
        return "You run your own week. An off-track week and I'll check in weekly again."
    left = RECOVERY_WEEKS - on_run
    return f"{weeks_word(left)} in a row and I'll step back to a weekly check-in."
