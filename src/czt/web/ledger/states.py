"""What the ledger pages show of a task: its status light, progress and what is late.

The status comes from ``czt.ledger.status`` (milestones and today's date); this module only
gathers the rows the pages, the map, the API and the assessment read, in one query set.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Q, QuerySet

from czt.ledger import status as rules
from czt.web.accounts.permissions import can_read_ledger, task_units
from czt.web.ledger.models import ProgressReport, Task
from czt.web.pages.context import named


def visible_tasks(user) -> QuerySet:
    """The tasks ``user`` may see (see ``permissions.task_units``)."""
    units = task_units(user)
    qs = Task.objects.all()
    if units is None:
        return qs
    return qs.filter(Q(lead_id__in=units) | Q(co_units__code__in=units)).distinct()


@dataclass
class TaskState:
    task: Task
    status: str
    label: str
    colour: str
    percent: int | None
    next_due: date | None
    overdue: list[dict] = field(default_factory=list)
    pending: int = 0

    @property
    def lead_name(self) -> str | None:
        return self.task.lead.name_zh if self.task.lead else None


def states(tasks: QuerySet, today: date, lang: str) -> list[TaskState]:
    tasks = tasks.select_related("area", "lead", "lead__region", "plan").prefetch_related(
        "milestones", "co_units", "indicators", "reports")
    out = []
    for t in tasks:
        ms = list(t.milestones.all())
        st = rules.task_status([rules.MilestoneState(m.due, m.done_on) for m in ms], today)
        late = []
        for m in ms:
            o = rules.overdue(rules.MilestoneState(m.due, m.done_on), today)
            if o is not None:
                late.append({"milestone": m, "days": o.days, "serious": o.serious})
        reports = list(t.reports.all())
        accepted = [r for r in reports if r.status == ProgressReport.Status.ACCEPTED]
        out.append(TaskState(
            task=t, status=st, label=rules.label(st, lang), colour=rules.COLOURS[st],
            # the latest accepted report's figure (a unit may revise its estimate down)
            percent=(max(accepted, key=lambda r: (r.period, r.pk)).percent if accepted
                     else 100 if st == "done" else None),
            next_due=min((m.due for m in ms if m.done_on is None and m.due), default=None),
            overdue=late,
            pending=sum(r.status == ProgressReport.Status.SUBMITTED for r in reports)))
    return out


def overdue_by_unit(rows: list[TaskState], lang: str, unassigned: str) -> list[dict]:
    """逾期预警: late milestones grouped by the lead unit that owes them, worst first."""
    groups: dict[str, dict] = {}
    for s in rows:
        if not s.overdue:
            continue
        lead = s.task.lead
        key = lead.code if lead else ""
        g = groups.setdefault(key, {"code": key, "name": named(lead, lang) if lead else unassigned,
                                    "items": []})
        g["items"] += [{"task": s.task, **o} for o in s.overdue]
    for g in groups.values():
        g["items"].sort(key=lambda i: -i["days"])
        g["serious"] = sum(i["serious"] for i in g["items"])
    return sorted(groups.values(), key=lambda g: (-g["serious"], -len(g["items"]), g["name"]))


def counts(rows: list[TaskState], lang: str) -> list[dict]:
    return [{"status": st, "label": rules.label(st, lang), "colour": rules.COLOURS[st],
             "n": sum(r.status == st for r in rows)} for st in rules.STATUSES]


LAGGING = ("accelerate", "limited", "deterioration")


def tasks_by_indicator(user, codes: list[str], today: date, lang: str) -> dict[str, list]:
    """The tasks meant to move each indicator, as far as ``user`` may see them; empty for
    readers without access to the ledger (the public)."""
    if not codes or not can_read_ledger(user):
        return {}
    rows = states(visible_tasks(user).filter(indicators__code__in=codes).distinct(), today, lang)
    out: dict[str, list] = {}
    for s in rows:
        for i in s.task.indicators.all():
            if i.code in codes:
                out.setdefault(i.code, []).append(s)
    return out
