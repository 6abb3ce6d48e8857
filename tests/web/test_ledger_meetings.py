"""Meetings: a decision becomes a task with an owner and a deadline, and the meeting page
follows the decision to its task's status; only the province records either."""

from __future__ import annotations

from datetime import date

import pytest

from czt.web.audit.models import AuditEntry
from czt.web.ledger.models import Decision, Meeting, Task


@pytest.fixture
def meeting(ledger):
    m = Meeting.objects.create(title="长株潭一体化联席会议第一次会议", kind="joint",
                               held_on=date(2026, 5, 20))
    Decision.objects.create(meeting=m, seq=1, text="加快湘江西岸融城通道前期工作")
    return m


def test_a_decision_becomes_a_task_followed_on_the_meeting_page(client_as, meeting):
    admin = client_as("province_admin")
    decision = meeting.decisions.get()
    response = admin.post(f"/meetings/{meeting.pk}/", {
        "action": "task", "decision": decision.pk, "title_zh": "湘江西岸融城通道前期",
        "area": "infrastructure", "lead": "430104", "co_units": ["hn-transport"],
        "milestone": "完成工可批复", "due": "2026-06-15", "location_regions": "430104"})
    assert response.status_code == 302
    task = Task.objects.get(decision=decision)
    assert (task.lead_id, task.tracked_from, task.location_regions) == (
        "430104", date(2026, 6, 30), ["430104"])
    assert list(task.co_units.values_list("code", flat=True)) == ["hn-transport"]
    assert str(task.milestones.get().due) == "2026-06-15"
    assert AuditEntry.objects.filter(model="ledger.Task", object_id=task.pk,
                                     action="create").exists()
    # 15 days past the milestone on 2026-06-30: 滞后, shown under the decision
    html = admin.get(f"/meetings/{meeting.pk}/").content.decode()
    block = html[html.index('id="decision-1"'):]
    assert task.pk in block and "滞后" in block


@pytest.mark.parametrize(("role", "get", "post"), [
    ("public", 302, 302), ("viewer", 200, 403), ("city_coordinator", 200, 403),
    ("department_reporter", 200, 403), ("province_admin", 200, 302)])
def test_meeting_page_per_role(client_as, meeting, role, get, post):
    client = client_as(role)
    assert client.get(f"/meetings/{meeting.pk}/").status_code == get
    response = client.post(f"/meetings/{meeting.pk}/", {"action": "decision",
                                                        "text": "建立月度调度机制"})
    assert response.status_code == post
    assert meeting.decisions.count() == (2 if post == 302 and role != "public" else 1)


def test_decision_tasks_of_other_units_are_counted_not_shown(client, meeting,
                                                             other_city_coordinator):
    decision = meeting.decisions.get()
    Task.objects.filter(pk__in=["T901", "T902"]).update(decision=decision)
    client.force_login(other_city_coordinator)  # 株洲: sees T902, not 长沙's T901
    html = client.get(f"/meetings/{meeting.pk}/").content.decode()
    assert "T902" in html and "T901" not in html
    assert html.count("属于其他单位") + html.count("belongs to other units") == 1
