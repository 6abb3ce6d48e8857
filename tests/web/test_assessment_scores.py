"""The assessment on the platform's own ledger: a worked example computed by hand, every
point traced, the export and the method versions."""

from __future__ import annotations

import io
from datetime import date

import pytest
from openpyxl import load_workbook

from czt.web.assessment import inputs
from czt.web.ledger.models import Milestone, ProgressReport

TOL = 1e-9


@pytest.fixture
def transport_record(ledger):
    """省交通运输厅 (hn-transport) leads T904. In 2026Q2 (Apr 1 – Jun 30, today Jun 30):

    milestone 1 due 05-31, reached 05-20 → on time   (1.0)
    milestone 2 due 06-15, reached 06-20 → late      (0.5)
    milestone 3 due 06-20, not reached   → missed    (0.0)
    milestone 4 due 03-31 (outside the quarter)       not scored
    reports: tracked from 2026-01-01, so the 2026Q1 report is due 04-10 (in the quarter);
    submitted 04-12 → late (0.5), and returned first → not first time (0.0). The 2026Q2
    report is due 07-10, after the period: not counted.
    """
    task = ledger["T904"]
    Milestone.objects.create(task=task, seq=2, title_zh="节点2", due=date(2026, 6, 15),
                             done_on=date(2026, 6, 20))
    Milestone.objects.create(task=task, seq=3, title_zh="节点3", due=date(2026, 6, 20))
    Milestone.objects.create(task=task, seq=4, title_zh="节点4", due=date(2026, 3, 31))
    first = ProgressReport.objects.create(task=task, period="2026Q1", text="一季度",
                                          percent=10, submitted_on=date(2026, 4, 12),
                                          status="returned", review_comment="补充")
    ProgressReport.objects.create(task=task, period="2026Q1", text="一季度(修改)", percent=10,
                                  submitted_on=date(2026, 4, 20), status="accepted",
                                  previous=first)
    return task


def test_worked_example_by_hand(transport_record):
    result, _inputs, version = inputs.assess("2026Q2")
    assert version.number == 1 and result.method_version == "v1"
    total = result.totals.set_index("unit").loc["hn-transport"]
    # milestones_on_time: 30 × (1 + 0.5 + 0) / 3 = 15
    # reports_on_time:    10 × 0.5 / 1            = 5
    # reports_first_time: 10 × 0 / 1              = 0
    # target and improvement dimensions apply to cities only, so the department's scale is
    # 30 + 10 + 10 = 50 and the total is 100 × (15 + 5 + 0) / 50 = 40
    assert total["total"] == pytest.approx(40.0, abs=TOL)
    assert total["assessed_weight"] == pytest.approx(50.0, abs=TOL)
    trace = result.unit_trace("hn-transport")
    scored = trace[trace["scored"]].set_index("ref")
    assert scored.loc["milestone:T904.1", "earned"] == pytest.approx(10.0, abs=TOL)
    assert scored.loc["milestone:T904.2", "earned"] == pytest.approx(5.0, abs=TOL)
    assert scored.loc["milestone:T904.3", "earned"] == pytest.approx(0.0, abs=TOL)
    report_rows = scored[scored.index.str.startswith("report:T904:2026Q1")]
    assert sorted(report_rows["earned"].round(9)) == [0.0, 5.0]
    assert not trace[trace["ref"] == "milestone:T904.4"]["scored"].any()
    assert scored["earned"].sum() == pytest.approx(20.0, abs=TOL)


def test_district_tasks_count_for_their_city(ledger):
    result, _inputs, _version = inputs.assess("2026Q2")
    trace = result.trace
    # T901 is led by 岳麓区 and T903 by 长沙市统计局: both count for 长沙 (430100)
    mine = set(trace[trace["unit"] == "430100"]["ref"])
    assert "milestone:T901.1" in mine and "milestone:T903.1" in mine
    assert "430104" not in set(result.totals["unit"])


def test_ranking_page_and_export_name_the_version(client_as, transport_record):
    client = client_as("province_admin")
    html = client.get("/assessment/?period=2026Q2").content.decode()
    assert 'id="method-version"' in html and "hn-transport" in html
    data = client.get("/assessment/?period=2026Q2&format=xlsx").content
    wb = load_workbook(io.BytesIO(data))
    assert wb.sheetnames == ["排名", "分项", "明细"]
    ranks = list(wb["排名"].iter_rows(values_only=True))
    row = next(r for r in ranks if r[4] == "省交通运输厅")
    assert row[0] == "v1" and row[1] == "2026Q2" and row[5] == pytest.approx(40.0)
    refs = {r[3] for r in wb["明细"].iter_rows(min_row=2, values_only=True)}
    assert {"milestone:T904.1", "milestone:T904.2", "milestone:T904.3"} <= refs


def test_a_new_method_version_changes_the_scores_and_says_so(client_as, transport_record):
    from czt.methods.assessment_method import default_method_text

    admin = client_as("province_admin")
    # late milestones earn nothing under version 2
    text = default_method_text().replace("late: 0.5                  # 逾期完成",
                                         "late: 0.0                  # 逾期完成")
    assert text != default_method_text()
    assert admin.post("/assessment/method/", {"text": text, "comment": "逾期不得分"}
                      ).status_code == 302
    result, _inputs, version = inputs.assess("2026Q2")
    assert version.number == 2 and result.method_version == "v2"
    # 100 × (30 × 1/3 + 5 + 0) / 50 = 30
    total = result.totals.set_index("unit").loc["hn-transport", "total"]
    assert total == pytest.approx(30.0, abs=TOL)


def test_a_broken_method_file_is_refused_with_the_field(client_as, ledger):
    from czt.web.assessment.models import MethodVersion

    inputs.current_method()
    page = client_as("province_admin").post("/assessment/method/", {
        "text": "name_zh: x\ndimensions: []\n", "comment": "坏文件"})
    assert page.status_code == 200 and 'id="method-error"' in page.content.decode()
    assert MethodVersion.objects.count() == 1
