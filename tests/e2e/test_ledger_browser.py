"""A city coordinator reports on a task with an evidence file, the province accepts it, and
the task's status and its colour on the 挂图作战 map change."""

from __future__ import annotations

from datetime import date

import pytest

RED, GREEN = "#c62828", "#2e7d32"


@pytest.fixture
def overdue_task(settings, tmp_path):
    from czt.web.ledger.models import Milestone, Task

    settings.CZT_TODAY = "2026-06-30"
    settings.MEDIA_ROOT = tmp_path
    task = Task.objects.create(id="E2E1", title_zh="岳麓区测试融城道路", area_id="infrastructure",
                               lead_id="430104", location_kind="point",
                               location_regions=["430104"], tracked_from=date(2026, 1, 1))
    Milestone.objects.create(task=task, seq=1, title_zh="主线贯通", due=date(2026, 3, 31))
    return task


def map_colour(page, task_id: str) -> str:
    page.goto("/ledger/map/")
    page.wait_for_selector("#task-map[data-ready='1']")
    return page.evaluate("""(id) => {
        const chart = echarts.getInstanceByDom(document.getElementById('task-map'));
        for (const s of chart.getOption().series) {
            for (const d of s.data) { if (d.item && d.item.id === id) return d.item.colour; }
        }
        return null; }""", task_id)


def sign_out(page):
    with page.expect_navigation():
        page.click(".who form.inline button")


def test_report_accept_and_the_map_turns_green(page, make_user, sign_in, shot, overdue_task):
    from czt.web.ledger.models import Milestone, ProgressReport

    coordinator, password = make_user("cs_coord", "city_coordinator", region="430100")
    admin, admin_password = make_user("province", "province_admin")

    sign_in(coordinator, password)
    assert map_colour(page, "E2E1") == RED  # 91 days past the milestone: 严重滞后
    page.goto("/ledger/")
    with page.expect_navigation():
        page.click("#tasks >> text=E2E1")
    assert page.locator("#task-status").get_attribute("data-status") == "seriously_behind"
    page.fill("#id_text", "主线已于4月15日贯通, 附验收纪要。")
    page.fill("#id_percent", "100")
    page.select_option("#id_milestone", index=1)
    page.fill("#id_reached_on", "2026-04-15")
    page.set_input_files("#id_evidence", {"name": "验收纪要.pdf", "mimeType": "application/pdf",
                                          "buffer": b"%PDF-1.4 e2e evidence"})
    with page.expect_navigation():
        page.click("#report-submit")
    assert "已提交" in page.locator("#flash").inner_text()
    assert page.locator("#reports tbody tr[data-status='submitted']").count() == 1
    shot("ledger-report-submitted")
    sign_out(page)

    sign_in(admin, admin_password)
    page.goto("/ledger/E2E1/")
    with page.expect_download() as download:
        page.click("#reports >> text=下载")
    assert download.value.suggested_filename.endswith(".pdf")
    with page.expect_navigation():
        page.click(".review-form button.accept")
    assert page.locator("#task-status").get_attribute("data-status") == "done"
    assert page.locator("#task-status").inner_text() == "已完成"
    shot("ledger-report-accepted")
    assert Milestone.objects.get(task_id="E2E1").done_on == date(2026, 4, 15)
    assert ProgressReport.objects.get(task_id="E2E1").status == "accepted"
    assert map_colour(page, "E2E1") == GREEN
    shot("ledger-task-map")
    assert page.js_errors == []
