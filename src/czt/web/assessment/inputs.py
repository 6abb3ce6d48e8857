"""The assessment's inputs, gathered from the monitoring and the ledger, and the scores.

Who is assessed (考核对象): the three cities and every unit outside them that leads a task
(provincial departments, the task force). A task led by a district, county or city
department counts for its city: the seeds ask whether "三市努力不努力", and a city answers for
the units it directs. Tasks without a lead unit (待明确) are assessed for nobody; the page
says how many there are.

What feeds each rule (see ``czt.methods.assessment``):

* target_status — each plan target set for the city itself (e.g. 湘潭's 2025 work-report
  targets), with the monitoring's status as of the period end;
* indicator_improvement — for each indicator with a plan target for the area, the city's
  latest value up to the period's year against the year before, from the official data;
* milestones_on_time — milestones of the tasks the unit leads;
* reports_on_time / reports_first_time — one report is due per task and quarter from the
  task's ``tracked_from`` (or creation) date until all its milestones are reached, on the
  10th day after the quarter (``czt.ledger.periods``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd
from django.db import transaction

from czt.ledger import periods
from czt.methods.assessment import COLUMNS, AssessmentResult, load_method, score
from czt.methods.assessment_method import default_method_text
from czt.monitoring import assess_target
from czt.store.models import Indicator, Target, Unit
from czt.store.queries import observations, resolve_cells
from czt.web.assessment.models import MethodVersion
from czt.web.ledger.clock import today
from czt.web.ledger.models import ProgressReport, Task
from czt.web.pages.context import CITIES


def current_method() -> MethodVersion:
    """The method in force: the latest saved version (version 1 is the shipped file)."""
    latest = MethodVersion.objects.first()
    if latest is not None:
        return latest
    with transaction.atomic():
        return MethodVersion.objects.get_or_create(number=1, defaults={
            "text": default_method_text(),
            "comment": "随平台发布的默认考核办法 / the default method shipped with the "
                       "platform"})[0]


def assessed_unit(lead: Unit | None) -> str | None:
    if lead is None:
        return None
    return lead.city_code if lead.city_code in CITIES else lead.code


@dataclass
class Inputs:
    units: pd.DataFrame
    targets: pd.DataFrame
    improvements: pd.DataFrame
    milestones: pd.DataFrame
    reports: pd.DataFrame
    unassigned_tasks: int


def _frame(name: str, rows: list[dict]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=list(COLUMNS[name]))


def _city_targets(end: date, lang: str) -> list[dict]:
    rows = []
    qs = Target.objects.filter(region_id__in=CITIES).select_related(
        "indicator", "indicator__area", "region", "plan")
    for t in qs:
        a = assess_target(t, as_of=end, lang=lang)
        value = f"{a['value']:g} ({a['year']})" if a["value"] is not None else "—"
        rows.append({"unit": t.region_id, "target_id": t.id, "indicator": t.indicator_id,
                     "status": a["status"], "ref": f"target:{t.id}",
                     "evidence": f"{a['indicator_name']} {t.original_value} → {value}"
                                 f"{' · ' + a['source_title'] if a['source_title'] else ''}"
                                 f"{' · ' + a['reason'] if a['reason'] else ''}"})
    return rows


def _improvements(end: date) -> list[dict]:
    codes = sorted(set(Target.objects.values_list("indicator_id", flat=True)))
    polarity = dict(Indicator.objects.filter(code__in=codes).values_list("code", "polarity"))
    names = dict(Indicator.objects.filter(code__in=codes).values_list("code", "name_zh"))
    cells = resolve_cells(observations(indicators=codes, regions=CITIES, as_of=end))
    rows = []
    for (city, code), g in cells.groupby(["region", "indicator"]) if not cells.empty else []:
        g = g[g["year"] <= end.year].set_index("year")
        if g.empty:
            continue
        year = int(g.index.max())
        latest = g.loc[year]
        prev = g.loc[year - 1] if year - 1 in g.index else None
        rows.append({
            "unit": city, "indicator": code,
            "previous": None if prev is None else float(prev["value"]),
            "latest": float(latest["value"]), "polarity": polarity[code],
            "ref": f"observation:{city}:{code}:{year - 1}-{year}",
            "evidence": f"{names[code]} {year - 1}: "
                        f"{'—' if prev is None else format(prev['value'], 'g')} → {year}: "
                        f"{latest['value']:g} · {latest['source_title']}"})
    return rows


def _milestones(tasks: list[Task]) -> list[dict]:
    rows = []
    for t in tasks:
        for m in t.milestones.all():
            rows.append({"unit": assessed_unit(t.lead), "task_id": t.id, "milestone": m.seq,
                         "due": m.due, "done_on": m.done_on, "ref": f"milestone:{t.id}.{m.seq}",
                         "evidence": f"{t.id} {t.title_zh} · {m.title_zh}"
                                     f"{' (' + m.due_text + ')' if m.due_text else ''}"
                                     f"{' · ' + m.evidence if m.evidence else ''}"})
    return rows


def required_quarters(task: Task, end: date) -> list[str]:
    """Quarters for which ``task`` owes a report whose due date is on or before ``end``."""
    start = task.tracked_from or task.created
    milestones = list(task.milestones.all())
    finished = (max(m.done_on for m in milestones)
                if milestones and all(m.done_on for m in milestones) else None)
    out = []
    for q in periods.quarters_between(start, end):
        q_start, _q_end = periods.bounds(q)
        if periods.due_date(q) > end or (finished is not None and finished < q_start):
            continue
        out.append(q)
    return out


def _reports(tasks: list[Task], end: date) -> list[dict]:
    rows = []
    for t in tasks:
        by_quarter: dict[str, list[ProgressReport]] = {}
        for r in sorted(t.reports.all(), key=lambda r: r.pk):
            by_quarter.setdefault(r.period, []).append(r)
        for q in required_quarters(t, end):
            first = (by_quarter.get(q) or [None])[0]
            decision = None
            if first is not None and first.status != ProgressReport.Status.SUBMITTED:
                decision = "accepted" if first.status == "accepted" else "returned"
            due = periods.due_date(q)
            rows.append({"unit": assessed_unit(t.lead), "task_id": t.id, "period": q,
                         "due": due, "submitted_on": first.submitted_on if first else None,
                         "first_decision": decision,
                         "ref": f"report:{t.id}:{q}" + (f":#{first.pk}" if first else ""),
                         "evidence": f"{t.id} {t.title_zh} · {q}" + (
                             f" · #{first.pk} {first.get_status_display()}" if first else "")})
    return rows


def gather(start: date, end: date, lang: str) -> Inputs:
    tasks = list(Task.objects.select_related("lead", "lead__region").prefetch_related(
        "milestones", "reports"))
    led = [t for t in tasks if t.lead is not None]
    units = {c: None for c in CITIES}
    units.update({assessed_unit(t.lead): None for t in led})
    known = Unit.objects.in_bulk(list(units))
    unit_rows = [{"unit": code, "name": known[code].name_zh if code in known else code,
                  "kind": known[code].kind if code in known else "city"} for code in units]
    return Inputs(
        units=pd.DataFrame(unit_rows, columns=list(COLUMNS["units"])),
        targets=_frame("targets", _city_targets(end, lang)),
        improvements=_frame("improvements", _improvements(end)),
        milestones=_frame("milestones", _milestones(led)),
        reports=_frame("reports", _reports(led, end)),
        unassigned_tasks=len(tasks) - len(led))


def assess(period: str, lang: str = "zh") -> tuple[AssessmentResult, Inputs, MethodVersion]:
    """Scores of ``period`` (a year or a quarter) under the method in force, up to today."""
    start, end = periods.assessment_period(period)
    end = min(end, today())
    version = current_method()
    method = load_method(version.text, f"v{version.number}")
    inputs = gather(start, end, lang)
    result = score(method, inputs.units, start, max(start, end), targets=inputs.targets,
                   improvements=inputs.improvements, milestones=inputs.milestones,
                   reports=inputs.reports, method_version=f"v{version.number}")
    return result, inputs, version
