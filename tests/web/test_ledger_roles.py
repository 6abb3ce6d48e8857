"""Who may read and change what in the ledger and the assessment, per role, own vs other
unit: pages and API endpoints alike."""

from __future__ import annotations

import json

import pytest

from czt.web.ledger.models import ProgressReport, Task

ROLES = ["public", "viewer", "province_admin", "city_coordinator", "department_reporter"]
READ_PAGES = ["/ledger/", "/ledger/map/", "/meetings/", "/assessment/", "/assessment/method/"]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("url", READ_PAGES)
def test_ledger_pages_need_sign_in(client_as, ledger, role, url):
    response = client_as(role).get(url)
    if role == "public":
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    else:
        assert response.status_code == 200


@pytest.mark.parametrize(("role", "expected"), [
    ("public", 302), ("viewer", 403), ("city_coordinator", 403),
    ("department_reporter", 403), ("province_admin", 200)])
def test_only_the_province_imports_the_ledger(client_as, ledger, role, expected):
    assert client_as(role).get("/ledger/import/").status_code == expected


@pytest.mark.parametrize(("role", "expected"), [
    ("public", 302), ("viewer", 403), ("city_coordinator", 200),
    ("department_reporter", 200), ("province_admin", 200)])
def test_report_workbook_is_for_reporting_roles(client_as, ledger, role, expected):
    assert client_as(role).get("/ledger/reports/").status_code == expected


# which of T901..T905 each role sees (see the ledger fixture)
SEES = {
    "viewer": {"T901", "T902", "T903", "T904", "T905"},
    "province_admin": {"T901", "T902", "T903", "T904", "T905"},
    "city_coordinator": {"T901", "T903"},  # 长沙: 岳麓区 and 长沙市统计局 lead these
    "department_reporter": {"T903"},  # 长沙市统计局
}


@pytest.mark.parametrize("role", list(SEES))
def test_each_role_sees_its_own_tasks(client_as, ledger, role):
    client = client_as(role)
    listed = {row["id"] for row in client.get("/api/ledger/tasks").json()["results"]}
    assert listed & set(ledger) == SEES[role]
    for tid in ledger:
        page = client.get(f"/ledger/{tid}/")
        assert page.status_code == (200 if tid in SEES[role] else 404), tid
        api = client.get(f"/api/ledger/tasks/{tid}")
        assert api.status_code == (200 if tid in SEES[role] else 404), tid


def test_the_public_gets_no_task_from_the_api(client, ledger):
    assert client.get("/api/ledger/tasks").status_code == 401


def test_a_co_unit_sees_but_does_not_report(client, ledger, other_city_coordinator):
    client.force_login(other_city_coordinator)  # 株洲: lead of T902, co-unit of T904
    assert client.get("/ledger/T904/").status_code == 200
    denied = client.post("/ledger/T904/", {"action": "report", "period": "2026Q2",
                                           "text": "x", "percent": 5})
    assert denied.status_code == 403
    assert client.post("/api/ledger/tasks/T904/reports", json.dumps(
        {"period": "2026Q2", "text": "x", "percent": 5}),
        content_type="application/json").status_code == 403
    ok = client.post("/ledger/T902/", {"action": "report", "period": "2026Q2",
                                       "text": "株洲进展", "percent": 30})
    assert ok.status_code == 302
    assert ProgressReport.objects.filter(task_id="T902").count() == 1


@pytest.mark.parametrize(("role", "task", "expected"), [
    ("city_coordinator", "T901", 302), ("city_coordinator", "T903", 302),
    ("city_coordinator", "T902", 404), ("department_reporter", "T903", 302),
    ("department_reporter", "T901", 404), ("viewer", "T901", 403),
    ("province_admin", "T904", 302)])
def test_report_submission_per_role(client_as, ledger, role, task, expected):
    response = client_as(role).post(f"/ledger/{task}/", {
        "action": "report", "period": "2026Q2", "text": "本季度进展", "percent": 20})
    assert response.status_code == expected
    assert ProgressReport.objects.filter(task_id=task).exists() == (expected == 302)


@pytest.mark.parametrize(("role", "expected"), [
    ("city_coordinator", 403), ("department_reporter", 404), ("viewer", 403),
    ("province_admin", 200)])
def test_only_the_province_reviews(client_as, ledger, user_of, role, expected):
    from czt.web.ledger import workflow

    report = workflow.submit(user_of("city_coordinator"), ledger["T901"], period="2026Q2",
                             text="进展", percent=10)
    client = client_as(role)
    api = client.post(f"/api/ledger/reports/{report.pk}/review", json.dumps(
        {"version": report.version, "accept": True}), content_type="application/json")
    assert api.status_code == (403 if expected != 200 else 200)
    report.refresh_from_db()
    assert report.status == ("accepted" if expected == 200 else "submitted")


def test_owners_and_deadlines_are_the_provinces(client_as, ledger, user_of):
    coordinator = client_as("city_coordinator")
    response = coordinator.post("/ledger/T901/", {
        "action": "edit", "version": 1, "note": "线路已开工", "location_kind": "line",
        "location_regions": "430104;430304", "lead": "hn-transport"})
    assert response.status_code == 302
    task = Task.objects.get(pk="T901")
    assert task.note == "线路已开工" and task.lead_id == "430104"  # lead field ignored
    milestone = task.milestones.get(seq=1)
    denied = coordinator.post("/ledger/T901/", {
        "action": "milestone", "prefix": "m", "m-version": task.version,
        "m-milestone": milestone.pk, "m-title_zh": "x", "m-due": "2030-01-01"})
    assert denied.status_code == 403
    admin = client_as("province_admin")
    admin.post("/ledger/T901/", {
        "action": "edit", "version": task.version, "note": task.note, "location_kind": "line",
        "location_regions": "430104;430304", "lead": "hn-transport", "co_units": ["430200"]})
    task.refresh_from_db()
    assert task.lead_id == "hn-transport"
    assert list(task.co_units.values_list("code", flat=True)) == ["430200"]


def test_evidence_is_not_served_to_other_cities(client, ledger, user_of,
                                                other_city_coordinator, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from czt.web.ledger import workflow

    settings.MEDIA_ROOT = tmp_path
    report = workflow.submit(user_of("city_coordinator"), ledger["T901"], period="2026Q2",
                             text="进展", percent=10,
                             evidence=SimpleUploadedFile("照片.png", b"\x89PNG test"))
    client.force_login(other_city_coordinator)
    assert client.get(f"/ledger/evidence/{report.pk}/").status_code == 404
    client.force_login(user_of("viewer"))
    ok = client.get(f"/ledger/evidence/{report.pk}/")
    assert ok.status_code == 200 and b"".join(ok.streaming_content) == b"\x89PNG test"


@pytest.mark.parametrize(("role", "expected"), [
    ("city_coordinator", 403), ("viewer", 403), ("department_reporter", 403),
    ("province_admin", 302)])
def test_only_the_province_records_meetings(client_as, ledger, role, expected):
    response = client_as(role).post("/meetings/", {
        "title": "长株潭一体化联席会议", "kind": "joint", "held_on": "2026-06-01"})
    assert response.status_code == expected


@pytest.mark.parametrize(("role", "own", "other", "export"), [
    ("viewer", 200, 200, 200), ("province_admin", 200, 200, 200),
    ("city_coordinator", 200, 403, 403), ("department_reporter", 403, 403, 403)])
def test_assessment_detail_own_vs_other(client_as, ledger, role, own, other, export):
    client = client_as(role)
    assert client.get("/assessment/430100/?period=2026").status_code == own
    assert client.get("/assessment/430200/?period=2026").status_code == other
    assert client.get("/assessment/?period=2026&format=xlsx").status_code == export


@pytest.mark.parametrize(("role", "expected"), [
    ("city_coordinator", 403), ("viewer", 403), ("province_admin", 302)])
def test_only_the_province_changes_the_method(client_as, ledger, role, expected):
    from czt.methods.assessment_method import default_method_text
    from czt.web.assessment.models import MethodVersion

    text = default_method_text().replace("weight: 20", "weight: 25").replace(
        "weight: 30\n    applies_to: [city, county", "weight: 25\n    applies_to: [city, county")
    response = client_as(role).post("/assessment/method/", {"text": text,
                                                            "comment": "调整权重"})
    assert response.status_code == expected
    assert MethodVersion.objects.filter(number=2).exists() == (expected == 302)
