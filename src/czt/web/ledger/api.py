"""``/api/ledger/…``: the joint-task ledger for scripts, with the same rules as the pages.

Reading needs a signed-in session or a token, and returns only the tasks the caller may see;
reports are submitted by the lead unit and reviewed by the province, exactly as on the task
page (``czt.web.ledger.workflow``). Mounted by ``czt.web.api``.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema, Status

from czt.web.accounts.permissions import acts_for, can_plan
from czt.web.api import PRIVATE, PageOut, Paging, respond
from czt.web.ledger import states, workflow
from czt.web.ledger.clock import today
from czt.web.ledger.editing import Conflict, LedgerError
from czt.web.ledger.models import ProgressReport

router = Router(tags=["ledger"], auth=PRIVATE)


def _lang(paging: Paging) -> str:
    return "en" if paging.lang.startswith("en") else "zh"


def task_frame(rows: list[states.TaskState]) -> pd.DataFrame:
    return pd.DataFrame([{
        "id": s.task.id, "title": s.task.title_zh, "title_en": s.task.title_en,
        "area": s.task.area_id, "lead": s.task.lead_id, "lead_name": s.lead_name,
        "co_units": ";".join(u.code for u in s.task.co_units.all()),
        "indicators": ";".join(i.code for i in s.task.indicators.all()),
        "status": s.status, "status_label": s.label, "percent": s.percent,
        "next_due": s.next_due, "overdue_milestones": len(s.overdue),
        "awaiting_review": s.pending, "version": s.task.version} for s in rows],
        columns=["id", "title", "title_en", "area", "lead", "lead_name", "co_units",
                 "indicators", "status", "status_label", "percent", "next_due",
                 "overdue_milestones", "awaiting_review", "version"])


@router.get("/tasks", response=PageOut, summary="Tasks 台账 (signed in, your units)")
def tasks(request, paging: Query[Paging], status: str | None = None, lead: str | None = None):
    """Tasks with status, % complete and next deadline, as of today."""
    qs = states.visible_tasks(request.auth)
    if lead:
        qs = qs.filter(lead_id=lead)
    rows = states.states(qs, today(), _lang(paging))
    if status:
        rows = [r for r in rows if r.status == status]
    return respond(request, task_frame(rows), paging, "tasks")


class ReportIn(Schema):
    period: str
    text: str
    percent: int
    milestone: int | None = None
    reached_on: date | None = None
    previous: int | None = None


class ReviewIn(Schema):
    version: int
    accept: bool
    comment: str = ""


def _report(r: ProgressReport) -> dict:
    return {"id": r.pk, "task": r.task_id, "period": r.period, "text": r.text,
            "percent": r.percent, "milestone": r.milestone.seq if r.milestone else None,
            "reached_on": r.reached_on, "status": r.status, "submitted_on": r.submitted_on,
            "review_comment": r.review_comment, "previous": r.previous_id, "version": r.version}


@router.get("/tasks/{task_id}", summary="One task with milestones and reports")
def task(request, task_id: str, lang: str = "zh"):
    t = get_object_or_404(states.visible_tasks(request.auth), pk=task_id)
    s = states.states(type(t).objects.filter(pk=t.pk), today(), lang)[0]
    return {**task_frame([s]).iloc[0].to_dict(), "next_due": s.next_due,
            "percent": s.percent, "source_sentence": t.source_sentence,
            "milestones": [{"seq": m.seq, "title": m.title_zh, "due": m.due,
                            "due_text": m.due_text, "done_on": m.done_on}
                           for m in t.milestones.all()],
            "reports": [_report(r) for r in t.reports.select_related("milestone")]}


@router.post("/tasks/{task_id}/reports", response={201: dict, 400: dict, 403: dict},
             summary="Submit a progress report (lead unit)")
def submit(request, task_id: str, body: ReportIn):
    t = get_object_or_404(states.visible_tasks(request.auth), pk=task_id)
    if not acts_for(request.auth, t.lead_id):
        raise PermissionDenied
    milestone = t.milestones.filter(seq=body.milestone).first() if body.milestone else None
    if body.milestone and milestone is None:
        return Status(400, {"detail": f"里程碑 {body.milestone} 不存在 / no such milestone"})
    previous = t.reports.filter(pk=body.previous).first() if body.previous else None
    try:
        r = workflow.submit(request.auth, t, period=body.period, text=body.text,
                            percent=body.percent, milestone=milestone,
                            reached_on=body.reached_on, previous=previous)
    except LedgerError as exc:
        return Status(400, {"detail": str(exc)})
    return Status(201, _report(r))


@router.post("/reports/{report_id}/review", response={200: dict, 400: dict, 403: dict,
                                                      409: dict},
             summary="Accept or return a report (province)")
def review(request, report_id: int, body: ReviewIn):
    if not can_plan(request.auth):
        raise PermissionDenied
    r = get_object_or_404(ProgressReport, pk=report_id)
    try:
        r = workflow.review(request.auth, r, body.version, accept=body.accept,
                            comment=body.comment)
    except Conflict as exc:
        return Status(409, {"detail": str(exc)})
    except LedgerError as exc:
        return Status(400, {"detail": str(exc)})
    return Status(200, _report(r))
