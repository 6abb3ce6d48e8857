"""Two people editing the same task or report: the second writer gets a conflict with a
clear message, and nothing either of them wrote is lost."""

from __future__ import annotations

import pytest
from django.test import Client

from czt.web.accounts.users import create_user
from czt.web.audit.models import AuditEntry
from czt.web.ledger import workflow
from czt.web.ledger.editing import Conflict, save_versioned
from czt.web.ledger.models import ProgressReport, Task


def test_second_task_editor_gets_a_conflict_on_the_page(ledger, db):
    first, second = Client(), Client()
    first.force_login(create_user("admin_a", "pw-123456789", "province_admin"))
    second.force_login(create_user("admin_b", "pw-123456789", "province_admin"))
    # both open the task at version 1
    assert 'name="version" value="1"' in first.get("/ledger/T901/").content.decode()
    assert 'name="version" value="1"' in second.get("/ledger/T901/").content.decode()
    form = {"action": "edit", "version": 1, "location_kind": "line",
            "location_regions": "430104;430304"}
    assert first.post("/ledger/T901/", {**form, "note": "甲的说明"}).status_code == 302
    page = second.post("/ledger/T901/", {**form, "note": "乙的说明"})
    html = page.content.decode()
    assert page.status_code == 200 and 'id="conflict"' in html
    assert "admin_a" in html and "乙的说明" in html  # who won, and the loser's text kept
    task = Task.objects.get(pk="T901")
    assert (task.note, task.version) == ("甲的说明", 2)
    assert AuditEntry.objects.filter(model="ledger.Task", object_id="T901").count() == 1


def test_second_reviewer_gets_a_conflict(ledger, user_of):
    report = workflow.submit(user_of("city_coordinator"), ledger["T901"], period="2026Q2",
                             text="进展", percent=10)
    admin_a = user_of("province_admin")
    admin_b = create_user("admin_b", "pw-123456789", "province_admin")
    seen_a = ProgressReport.objects.get(pk=report.pk)  # both read version 1
    seen_b = ProgressReport.objects.get(pk=report.pk)
    workflow.review(admin_a, seen_a, 1, accept=False, comment="请补充照片")
    with pytest.raises(Conflict) as caught:
        workflow.review(admin_b, seen_b, 1, accept=True)
    assert caught.value.current.version == 2
    kept = ProgressReport.objects.get(pk=report.pk)
    assert (kept.status, kept.review_comment) == ("returned", "请补充照片")


def test_correction_racing_a_correction(ledger, user_of):
    coordinator = user_of("city_coordinator")
    report = workflow.submit(coordinator, ledger["T901"], period="2026Q2", text="初稿",
                             percent=10)
    workflow.correct(coordinator, report, 1, text="第二稿", percent=20, milestone=None,
                     reached_on=None)
    with pytest.raises(Conflict, match="version 2|版本 2|2"):
        workflow.correct(coordinator, report, 1, text="另一窗口的稿", percent=30,
                         milestone=None, reached_on=None)
    assert ProgressReport.objects.get(pk=report.pk).text == "第二稿"


def test_the_api_answers_409_to_a_stale_review(client_as, ledger, user_of):
    import json

    report = workflow.submit(user_of("city_coordinator"), ledger["T901"], period="2026Q2",
                             text="进展", percent=10)
    save_versioned(report, 1, user_of("city_coordinator"), fields={"percent": 11})
    response = client_as("province_admin").post(
        f"/api/ledger/reports/{report.pk}/review",
        json.dumps({"version": 1, "accept": True}), content_type="application/json")
    assert response.status_code == 409
    assert ProgressReport.objects.get(pk=report.pk).status == "submitted"
