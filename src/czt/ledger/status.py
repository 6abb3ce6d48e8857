"""Status of a task from its milestones and today's date.

The ledger shows one light per task (挂图作战): 已完成, 正常推进, 滞后, 严重滞后, plus 待明确
when no milestone has a date, because a task without a schedule cannot be late and must not
look on track either. The rules, in order:

1. every milestone reached → ``done`` (已完成);
2. an unreached milestone more than ``serious_days`` past its due date → ``seriously_behind``;
3. an unreached milestone past its due date → ``behind``;
4. an unreached milestone with a due date still ahead → ``on_track``;
5. otherwise (unreached milestones without dates) → ``unscheduled`` (待明确).

``serious_days`` defaults to 90: one reporting quarter overdue, the interval at which the
task force's quarterly dispatch (调度) would have seen the milestone missed twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

SERIOUS_DAYS = 90
STATUSES = ("done", "on_track", "behind", "seriously_behind", "unscheduled")
LABELS = {
    "done": ("已完成", "Completed"),
    "on_track": ("正常推进", "On schedule"),
    "behind": ("滞后", "Behind schedule"),
    "seriously_behind": ("严重滞后", "Seriously behind"),
    "unscheduled": ("待明确", "No schedule yet"),
}
# One colour per status, shared by the ledger table, the map and the legend.
COLOURS = {"done": "#2e7d32", "on_track": "#1565c0", "behind": "#ef8f00",
           "seriously_behind": "#c62828", "unscheduled": "#8a8f98"}


@dataclass(frozen=True)
class MilestoneState:
    due: date | None
    done_on: date | None


@dataclass(frozen=True)
class Overdue:
    """An unreached milestone past its due date."""

    days: int
    serious: bool


def label(status: str, lang: str) -> str:
    zh, en = LABELS[status]
    return en if lang == "en" else zh


def overdue(m: MilestoneState, today: date, serious_days: int = SERIOUS_DAYS) -> Overdue | None:
    if m.done_on is not None or m.due is None or m.due >= today:
        return None
    days = (today - m.due).days
    return Overdue(days, days > serious_days)


def milestone_status(m: MilestoneState, today: date, serious_days: int = SERIOUS_DAYS) -> str:
    if m.done_on is not None:
        return "done"
    if m.due is None:
        return "unscheduled"
    late = overdue(m, today, serious_days)
    if late is None:
        return "on_track"
    return "seriously_behind" if late.serious else "behind"


def task_status(milestones: list[MilestoneState], today: date,
                serious_days: int = SERIOUS_DAYS) -> str:
    states = {milestone_status(m, today, serious_days) for m in milestones}
    if not states or states == {"done"}:
        return "done" if states else "unscheduled"
    for status in ("seriously_behind", "behind", "on_track"):
        if status in states:
            return status
    return "unscheduled"
