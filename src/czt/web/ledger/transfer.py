"""Excel in and out for the ledger and for progress reports.

The ledger workbook (任务清单 + 里程碑) is exported for everyone who may read the tasks and
imported only by the province, because it sets owners and deadlines. The report workbook
(进展报告) is how a lead unit reports many tasks at once. Imports are all or nothing: every
row is checked, every problem is returned with its row and column, and nothing is written
unless there are none.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db import transaction

from czt.ledger import periods
from czt.ledger import workbook as wb
from czt.messages import Problem
from czt.store.models import Area, Indicator, Plan, Region, Unit
from czt.web.accounts.permissions import acts_for, can_plan
from czt.web.audit.models import record, snapshot
from czt.web.ledger import workflow
from czt.web.ledger.editing import LedgerError
from czt.web.ledger.models import Milestone, Task

LOCATION_WORDS = {"point": "point", "点": "point", "line": "line", "线": "line",
                  "area": "area", "面": "area", "区域": "area"}


@dataclass
class ImportResult:
    problems: list[Problem] = field(default_factory=list)
    created: int = 0
    updated: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems


def _names(obj) -> tuple[str, ...]:
    return tuple(n for n in (getattr(obj, "name_zh", ""), getattr(obj, "name_en", "")) if n)


class _Lookup:
    """Codes and names (Chinese or English) → code, so a sheet may use either."""

    def __init__(self, objects, key: str = "code") -> None:
        self.codes: dict[str, str] = {}
        for o in objects:
            code = getattr(o, key)
            self.codes[code] = code
            for n in _names(o):
                self.codes.setdefault(n, code)

    def get(self, text: str) -> str | None:
        return self.codes.get(text.strip())


# --- export ---------------------------------------------------------------------------

def ledger_rows(tasks) -> tuple[list[dict], list[dict]]:
    tasks = list(tasks.select_related("area", "plan", "lead")
                 .prefetch_related("co_units", "indicators", "milestones"))
    rows, milestones = [], []
    for t in tasks:
        rows.append({
            "id": t.id, "title_zh": t.title_zh, "title_en": t.title_en, "area": t.area.name_zh,
            "plan": t.plan_id or "", "lead": t.lead.name_zh if t.lead else "",
            "co_units": [u.name_zh for u in t.co_units.all()],
            "indicators": [i.code for i in t.indicators.all()],
            "location_kind": t.location_kind, "location_regions": t.location_regions,
            "note": t.note, "source_seed": t.source_seed, "source_sentence": t.source_sentence})
        milestones += [{"task": t.id, "seq": m.seq, "title_zh": m.title_zh, "due": m.due,
                        "due_text": m.due_text, "done_on": m.done_on, "evidence": m.evidence}
                       for m in t.milestones.all()]
    return rows, milestones


def export_ledger(tasks) -> bytes:
    rows, milestones = ledger_rows(tasks)
    return wb.write([(wb.TASKS_SHEET[0], wb.TASK_COLUMNS, rows),
                     (wb.MILESTONES_SHEET[0], wb.MILESTONE_COLUMNS, milestones)])


def report_template(tasks, period: str) -> bytes:
    """One row per task the user reports on, the quarter filled in, the rest to write."""
    rows = [{"task": t.id, "period": period, "text": "", "percent": None} for t in tasks]
    return wb.write([(wb.REPORTS_SHEET[0], wb.REPORT_COLUMNS, rows)])


# --- ledger import ----------------------------------------------------------------------

def _date(text: str, file: str, row: int, header: str, out: list[Problem]) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        out.append(Problem(file, row, header, "bad_date", {"value": text}))
        return None


def _check_tasks(rows, file: str, out: list[Problem]) -> list[dict]:
    h = lambda key: wb.header_of(wb.TASK_COLUMNS, key)  # noqa: E731
    areas, plans = _Lookup(Area.objects.all()), _Lookup(Plan.objects.all(), "id")
    units, indicators = _Lookup(Unit.objects.all()), _Lookup(Indicator.objects.all())
    regions = set(Region.objects.values_list("code", flat=True))
    seen: dict[str, int] = {}
    clean = []
    for n, r in rows:
        problems_before = len(out)
        for key in ("id", "title_zh", "area"):
            if not r.get(key):
                out.append(Problem(file, n, h(key), "missing_value"))
        tid = r.get("id", "")
        if tid in seen:
            out.append(Problem(file, n, h("id"), "duplicate_key", {"other": seen[tid]}))
        seen.setdefault(tid, n)
        area = areas.get(r.get("area", "")) if r.get("area") else None
        if r.get("area") and area is None:
            out.append(Problem(file, n, h("area"), "bad_reference",
                               {"value": r["area"], "what": "行动领域 / action area"}))
        plan = plans.get(r.get("plan", "")) if r.get("plan") else None
        if r.get("plan") and plan is None:
            out.append(Problem(file, n, h("plan"), "bad_reference",
                               {"value": r["plan"], "what": "规划 / plan"}))
        lead = units.get(r.get("lead", "")) if r.get("lead") else None
        if r.get("lead") and lead is None:
            out.append(Problem(file, n, h("lead"), "bad_reference",
                               {"value": r["lead"], "what": "单位 / unit"}))
        co = []
        for name in wb.split(r.get("co_units", "")):
            code = units.get(name)
            if code is None:
                out.append(Problem(file, n, h("co_units"), "bad_reference",
                                   {"value": name, "what": "单位 / unit"}))
            co.append(code)
        inds = []
        for name in wb.split(r.get("indicators", "")):
            code = indicators.get(name)
            if code is None:
                out.append(Problem(file, n, h("indicators"), "bad_reference",
                                   {"value": name, "what": "指标 / indicator"}))
            inds.append(code)
        kind = LOCATION_WORDS.get((r.get("location_kind") or "area").strip().lower())
        if kind is None:
            out.append(Problem(file, n, h("location_kind"), "bad_choice",
                               {"value": r["location_kind"], "allowed": "point, line, area"}))
        places = wb.split(r.get("location_regions", ""))
        for code in places:
            if code not in regions:
                out.append(Problem(file, n, h("location_regions"), "bad_reference",
                                   {"value": code, "what": "区划代码 / region code"}))
        if len(out) == problems_before:
            clean.append({"id": tid, "title_zh": r["title_zh"], "title_en": r.get("title_en", ""),
                          "area_id": area, "plan_id": plan, "lead_id": lead,
                          "co_units": co, "indicators": inds, "location_kind": kind,
                          "location_regions": places, "note": r.get("note", ""),
                          "source_seed": r.get("source_seed", ""),
                          "source_sentence": r.get("source_sentence", "")})
    return clean


def _check_milestones(rows, file: str, task_ids: set[str], out: list[Problem]) -> list[dict]:
    h = lambda key: wb.header_of(wb.MILESTONE_COLUMNS, key)  # noqa: E731
    seen: dict[tuple[str, str], int] = {}
    clean = []
    for n, r in rows:
        before = len(out)
        for key in ("task", "seq", "title_zh"):
            if not r.get(key):
                out.append(Problem(file, n, h(key), "missing_value"))
        if r.get("task") and r["task"] not in task_ids:
            out.append(Problem(file, n, h("task"), "bad_reference",
                               {"value": r["task"], "what": "任务 / task"}))
        seq = r.get("seq", "")
        if seq and not (seq.isdigit() and int(seq) >= 1):
            out.append(Problem(file, n, h("seq"), "out_of_range",
                               {"value": seq, "low": 1, "high": 99}))
        key = (r.get("task", ""), seq)
        if key in seen:
            out.append(Problem(file, n, h("seq"), "duplicate_key", {"other": seen[key]}))
        seen.setdefault(key, n)
        due = _date(r.get("due", ""), file, n, h("due"), out)
        done = _date(r.get("done_on", ""), file, n, h("done_on"), out)
        if len(out) == before:
            clean.append({"task": r["task"], "seq": int(seq), "title_zh": r["title_zh"],
                          "due": due, "due_text": r.get("due_text", ""), "done_on": done,
                          "evidence": r.get("evidence", "")})
    return clean


def import_ledger(user, data: bytes, file: str) -> ImportResult:
    """Create or update the tasks and milestones of a ledger workbook (province only)."""
    result = ImportResult()
    if not can_plan(user):
        result.problems.append(Problem(file, None, None, "refused", {
            "value": "只有省级管理员可以导入台账 / only the province imports the ledger"}))
        return result
    task_rows, problems = wb.read(data, file, wb.TASKS_SHEET, wb.TASK_COLUMNS)
    milestone_rows, more = wb.read(data, file, wb.MILESTONES_SHEET, wb.MILESTONE_COLUMNS)
    result.problems += problems + more
    if result.problems:
        return result
    tasks = _check_tasks(task_rows, file, result.problems)
    known = set(Task.objects.values_list("id", flat=True)) | {t["id"] for t in tasks}
    milestones = _check_milestones(milestone_rows, file, known, result.problems)
    if result.problems:
        return result
    with transaction.atomic():
        for t in tasks:
            co, inds = t.pop("co_units"), t.pop("indicators")
            existing = Task.objects.filter(pk=t["id"]).first()
            before = snapshot(existing) if existing else None
            obj, created = Task.objects.update_or_create(id=t["id"], defaults={
                **t, "updated_by": user})
            if not created:
                Task.objects.filter(pk=obj.pk).update(version=obj.version + 1)
            obj.co_units.set(co)
            obj.indicators.set(inds)
            obj.refresh_from_db()
            record(user, "create" if created else "change", obj, before=before,
                   after=snapshot(obj))
            result.created += created
            result.updated += not created
        for m in milestones:
            obj, created = Milestone.objects.update_or_create(
                task_id=m.pop("task"), seq=m.pop("seq"), defaults=m)
            record(user, "create" if created else "change", obj, after=snapshot(obj))
    record(user, "import", model="ledger.Task", object_id=file, object_repr=file,
           after={"created": result.created, "updated": result.updated,
                  "milestones": len(milestones)})
    return result


# --- report import ----------------------------------------------------------------------

def import_reports(user, data: bytes, file: str) -> ImportResult:
    """Submit every row of a report workbook as a progress report, or none of them."""
    result = ImportResult()
    rows, result.problems = wb.read(data, file, wb.REPORTS_SHEET, wb.REPORT_COLUMNS)
    if result.problems:
        return result
    h = lambda key: wb.header_of(wb.REPORT_COLUMNS, key)  # noqa: E731
    tasks = Task.objects.in_bulk({r.get("task", "") for _n, r in rows})
    parsed = []
    for n, r in rows:
        before = len(result.problems)
        for key in ("task", "period", "text", "percent"):
            if not r.get(key):
                result.problems.append(Problem(file, n, h(key), "missing_value"))
        task = tasks.get(r.get("task", ""))
        if r.get("task") and task is None:
            result.problems.append(Problem(file, n, h("task"), "bad_reference",
                                           {"value": r["task"], "what": "任务 / task"}))
        elif task is not None and not acts_for(user, task.lead_id):
            result.problems.append(Problem(file, n, h("task"), "not_your_task",
                                           {"value": task.id}))
        period = r.get("period", "").upper()
        if period:
            try:
                periods.parse(period)
            except ValueError:
                result.problems.append(Problem(file, n, h("period"), "bad_period",
                                               {"value": r["period"]}))
        percent = r.get("percent", "")
        if percent and not (percent.isdigit() and 0 <= int(percent) <= 100):
            result.problems.append(Problem(file, n, h("percent"), "out_of_range",
                                           {"value": percent, "low": 0, "high": 100}))
        milestone = None
        if r.get("milestone") and task is not None:
            milestone = task.milestones.filter(seq=r["milestone"]).first() if r[
                "milestone"].isdigit() else None
            if milestone is None:
                result.problems.append(Problem(file, n, h("milestone"), "bad_reference",
                                               {"value": r["milestone"],
                                                "what": "里程碑 / milestone"}))
        reached = _date(r.get("reached_on", ""), file, n, h("reached_on"), result.problems)
        if len(result.problems) == before:
            parsed.append((n, task, {"period": period, "text": r["text"],
                                     "percent": int(percent), "milestone": milestone,
                                     "reached_on": reached}))
    if result.problems:
        return result
    try:
        with transaction.atomic():
            for n, task, fields in parsed:
                try:
                    workflow.submit(user, task, **fields)
                except LedgerError as exc:
                    result.problems.append(Problem(file, n, None, "refused", {"value": str(exc)}))
            if result.problems:
                raise _RollBack
    except _RollBack:
        return result
    result.created = len(parsed)
    return result


class _RollBack(Exception):
    """Undo every report of a workbook when one of them is refused."""
