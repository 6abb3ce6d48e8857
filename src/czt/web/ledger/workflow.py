"""Progress reports: submit → (return → resubmit)* → accept.

The lead unit submits one report per task and quarter. While it awaits review its authors
may still correct it. The province accepts it (a milestone it says was reached is then
marked reached on the date the report gives) or returns it with a comment; a returned
report stays as it was and the corrected one is a new report pointing to it, so the whole
history remains and "accepted first time" can be told for the assessment.
"""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from czt.ledger import periods
from czt.web.accounts.permissions import acts_for, can_plan
from czt.web.audit.models import record, snapshot
from czt.web.ledger.clock import today
from czt.web.ledger.editing import LedgerError, save_versioned
from czt.web.ledger.models import Milestone, ProgressReport, Task

Status = ProgressReport.Status


def check_fields(task: Task, *, period: str, percent, milestone: Milestone | None,
                 reached_on: date | None) -> list[tuple[str, str]]:
    """Problems as (field, message); empty when the report may be saved."""
    problems = []
    try:
        start, _end = periods.bounds(period)
        if start > today():
            problems.append(("period", _("The quarter %(p)s has not started yet.") % {
                "p": period}))
    except ValueError:
        problems.append(("period", _("“%(v)s” is not a quarter; write it like 2026Q3.") % {
            "v": period}))
    if not isinstance(percent, int) or not 0 <= percent <= 100:
        problems.append(("percent", _("“%(v)s” is not a whole number from 0 to 100.") % {
            "v": percent}))
    if milestone is not None:
        if milestone.task_id != task.pk:
            problems.append(("milestone", _("This milestone belongs to another task.")))
        elif milestone.done_on is not None:
            problems.append(("milestone", _("This milestone was already reached on %(d)s.")
                             % {"d": milestone.done_on}))
        if reached_on is None:
            problems.append(("reached_on", _("Give the date the milestone was reached.")))
        elif reached_on > today():
            problems.append(("reached_on", _("The date is in the future.")))
    return problems


def live_report(task: Task, period: str) -> ProgressReport | None:
    """The report of this quarter that is awaiting review or accepted, if any."""
    return task.reports.filter(period=period).exclude(status=Status.RETURNED).first()


@transaction.atomic
def submit(user, task: Task, *, period: str, text: str, percent: int,
           milestone: Milestone | None = None, reached_on: date | None = None,
           evidence=None, previous: ProgressReport | None = None) -> ProgressReport:
    if not acts_for(user, task.lead_id):
        raise LedgerError(_("Only the lead unit of this task reports on it."))
    period = period.strip().upper()
    problems = check_fields(task, period=period, percent=percent, milestone=milestone,
                            reached_on=reached_on)
    if not text.strip():
        problems.append(("text", _("Describe the progress.")))
    if problems:
        raise LedgerError("; ".join(m for _f, m in problems))
    existing = live_report(task, period)
    if existing is not None:
        raise LedgerError(_("There is already a report for %(p)s (%(s)s); correct that one "
                            "instead.") % {"p": period, "s": existing.get_status_display()})
    if previous is not None and (previous.task_id != task.pk or previous.period != period
                                 or previous.status != Status.RETURNED
                                 or hasattr(previous, "resubmission")):
        raise LedgerError(_("Only a returned report of the same task and quarter can be "
                            "resubmitted, and only once."))
    report = ProgressReport(task=task, period=period, text=text.strip(), percent=percent,
                            milestone=milestone, reached_on=reached_on, submitted_by=user,
                            submitted_on=today(), previous=previous)
    if evidence is not None:
        report.evidence.save(evidence.name, evidence, save=False)
    report.save()
    record(user, "create", report, after=snapshot(report))
    return report


def correct(user, report: ProgressReport, read_version: int, *, text: str, percent: int,
            milestone: Milestone | None, reached_on: date | None) -> ProgressReport:
    """The authors' correction of a report still awaiting review."""
    if not acts_for(user, report.task.lead_id):
        raise LedgerError(_("Only the lead unit of this task reports on it."))
    if report.status != Status.SUBMITTED:
        raise LedgerError(_("This report has been reviewed and can no longer be changed."))
    problems = check_fields(report.task, period=report.period, percent=percent,
                            milestone=milestone, reached_on=reached_on)
    if problems:
        raise LedgerError("; ".join(m for _f, m in problems))
    return save_versioned(report, read_version, user, fields={
        "text": text.strip(), "percent": percent, "milestone": milestone,
        "reached_on": reached_on})


@transaction.atomic
def review(user, report: ProgressReport, read_version: int, *, accept: bool,
           comment: str = "") -> ProgressReport:
    if not can_plan(user):
        raise LedgerError(_("Only the province accepts or returns reports."))
    if report.status != Status.SUBMITTED:
        raise LedgerError(_("This report has already been reviewed."))
    if not accept and not comment.strip():
        raise LedgerError(_("Say why the report is returned, so the lead unit can correct it."))
    fresh = save_versioned(report, read_version, user, fields={
        "status": Status.ACCEPTED if accept else Status.RETURNED,
        "reviewed_by": user, "reviewed_on": today(), "review_comment": comment.strip()})
    if accept and fresh.milestone_id:
        milestone = Milestone.objects.get(pk=fresh.milestone_id)
        before = snapshot(milestone)
        milestone.done_on = fresh.reached_on
        milestone.evidence = _("Report #%(id)s (%(p)s), accepted on %(d)s by %(who)s") % {
            "id": fresh.pk, "p": fresh.period, "d": fresh.reviewed_on,
            "who": user.get_username()}
        milestone.save()
        record(user, "change", milestone, before=before, after=snapshot(milestone))
    return fresh
