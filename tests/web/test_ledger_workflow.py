"""Progress reports: submit → return → resubmit → accept, with the task's status moving as
the clock (pinned by CZT_TODAY) and the milestones move."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from czt.web.audit.models import AuditEntry
from czt.web.ledger import workflow
from czt.web.ledger.editing import LedgerError
from czt.web.ledger.models import ProgressReport, Task
from czt.web.ledger.states import states


def status_of(task_id: str, today: date) -> str:
    return states(Task.objects.filter(pk=task_id), today, "zh")[0].status


def test_submit_return_resubmit_accept(ledger, user_of, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    coordinator, admin = user_of("city_coordinator"), user_of("province_admin")
    task = ledger["T901"]
    m1 = task.milestones.get(seq=1)
    # 2026-06-30: milestone 1 (due 2026-03-31) is 91 days overdue
    assert status_of("T901", date(2026, 6, 30)) == "seriously_behind"

    first = workflow.submit(coordinator, task, period="2026Q2", text="完成征拆 80%",
                            percent=40, milestone=m1, reached_on=date(2026, 4, 15),
                            evidence=SimpleUploadedFile("证明.pdf", b"%PDF-1.4 test"))
    assert first.status == "submitted" and first.submitted_on == date(2026, 6, 30)
    assert first.evidence.name.startswith("evidence/T901/")
    with pytest.raises(LedgerError):  # returning needs a reason
        workflow.review(admin, first, first.version, accept=False, comment="")
    returned = workflow.review(admin, first, first.version, accept=False,
                               comment="缺少验收材料")
    assert returned.status == "returned" and returned.review_comment == "缺少验收材料"
    assert returned.reviewed_on == date(2026, 6, 30)
    assert task.milestones.get(seq=1).done_on is None

    second = workflow.submit(coordinator, task, period="2026Q2", text="补充验收材料",
                             percent=45, milestone=m1, reached_on=date(2026, 4, 15),
                             previous=returned)
    assert second.previous_id == first.pk
    with pytest.raises(LedgerError):  # a returned report is resubmitted once only
        workflow.submit(coordinator, task, period="2026Q2", text="再次", percent=45,
                        previous=returned)
    accepted = workflow.review(admin, second, second.version, accept=True)
    assert accepted.status == "accepted"
    assert task.milestones.get(seq=1).done_on == date(2026, 4, 15)
    assert f"#{second.pk}" in task.milestones.get(seq=1).evidence

    # history kept: both reports, the first still returned with its comment
    history = list(task.reports.order_by("pk").values_list("status", "previous_id"))
    assert history == [("returned", None), ("accepted", first.pk)]
    # milestone 2 is due 2026-12-31: on schedule now, behind after it, seriously after 90 days
    assert status_of("T901", date(2026, 6, 30)) == "on_track"
    assert status_of("T901", date(2027, 1, 5)) == "behind"
    assert status_of("T901", date(2027, 4, 5)) == "seriously_behind"
    actions = list(AuditEntry.objects.filter(model="ledger.ProgressReport")
                   .values_list("action", flat=True))
    assert actions.count("create") == 2 and actions.count("change") == 2


def test_one_live_report_per_quarter_and_no_future_quarter(ledger, user_of):
    coordinator = user_of("city_coordinator")
    task = ledger["T901"]
    workflow.submit(coordinator, task, period="2026Q2", text="进展", percent=10)
    with pytest.raises(LedgerError, match="2026Q2"):
        workflow.submit(coordinator, task, period="2026Q2", text="又一份", percent=20)
    with pytest.raises(LedgerError):
        workflow.submit(coordinator, task, period="2026Q4", text="未来", percent=20)
    with pytest.raises(LedgerError):
        workflow.submit(coordinator, task, period="2026Q1", text="", percent=120)


def test_only_the_province_reviews_and_only_the_lead_reports(ledger, user_of):
    coordinator, admin = user_of("city_coordinator"), user_of("province_admin")
    report = workflow.submit(coordinator, ledger["T901"], period="2026Q2", text="进展",
                             percent=10)
    with pytest.raises(LedgerError):
        workflow.review(coordinator, report, report.version, accept=True)
    with pytest.raises(LedgerError):  # 株洲's task
        workflow.submit(coordinator, ledger["T902"], period="2026Q2", text="x", percent=1)
    workflow.review(admin, report, report.version, accept=True)
    with pytest.raises(LedgerError):  # reviewed once
        workflow.review(admin, ProgressReport.objects.get(pk=report.pk), report.version + 1,
                        accept=False, comment="晚了")


def test_corrections_while_awaiting_review(ledger, user_of):
    coordinator, admin = user_of("city_coordinator"), user_of("province_admin")
    report = workflow.submit(coordinator, ledger["T901"], period="2026Q2", text="初稿",
                             percent=10)
    fixed = workflow.correct(coordinator, report, report.version, text="修改稿", percent=15,
                             milestone=None, reached_on=None)
    assert (fixed.text, fixed.percent, fixed.version) == ("修改稿", 15, 2)
    workflow.review(admin, fixed, fixed.version, accept=True)
    with pytest.raises(LedgerError):
        workflow.correct(coordinator, ProgressReport.objects.get(pk=report.pk), 3,
                         text="晚了", percent=20, milestone=None, reached_on=None)
