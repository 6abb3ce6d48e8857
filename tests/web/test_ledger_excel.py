"""Excel round trips of the ledger and of progress reports, with bad rows refused whole."""

from __future__ import annotations

import io

from openpyxl import load_workbook

from czt.web.ledger import transfer
from czt.web.ledger.models import Milestone, ProgressReport, Task


def workbook_bytes(wb) -> bytes:
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def test_the_ledger_round_trips_unchanged(ledger, user_of):
    admin = user_of("province_admin")
    before = transfer.ledger_rows(Task.objects.all())
    data = transfer.export_ledger(Task.objects.all())
    wb = load_workbook(io.BytesIO(data))
    assert wb.sheetnames == ["任务清单", "里程碑"]
    assert [c.value for c in wb["任务清单"][1]][:6] == [
        "任务编号", "任务名称", "英文名称", "行动领域", "来源规划", "牵头单位"]
    result = transfer.import_ledger(admin, data, "台账.xlsx")
    assert result.ok and result.created == 0 and result.updated == Task.objects.count()
    assert transfer.ledger_rows(Task.objects.all()) == before


def test_the_province_changes_owners_and_adds_tasks_by_excel(ledger, user_of):
    admin = user_of("province_admin")
    wb = load_workbook(io.BytesIO(transfer.export_ledger(Task.objects.filter(id="T905"))))
    ws = wb["任务清单"]
    ws["F2"] = "长沙市人民政府"  # 牵头单位 by name
    ws.append(["T999", "新增测试任务", "", "生态同建", "", "hn-transport", "", "pm25", "area",
               "430100;430200", "", "", ""])
    wb["里程碑"].append(["T999", 1, "完成方案", "2026-09-30", "9月底前", None, None])
    result = transfer.import_ledger(admin, workbook_bytes(wb), "改.xlsx")
    assert result.ok, [p.as_dict() for p in result.problems]
    assert (result.created, result.updated) == (1, 1)
    assert Task.objects.get(pk="T905").lead_id == "430100"
    new = Task.objects.get(pk="T999")
    assert (new.area_id, new.lead_id, new.location_regions) == (
        "ecology", "hn-transport", ["430100", "430200"])
    assert list(new.indicators.values_list("code", flat=True)) == ["pm25"]
    assert str(Milestone.objects.get(task=new, seq=1).due) == "2026-09-30"


def test_bad_ledger_rows_name_row_and_column_and_write_nothing(ledger, user_of):
    admin = user_of("province_admin")
    wb = load_workbook(io.BytesIO(transfer.export_ledger(Task.objects.filter(id="T901"))))
    ws = wb["任务清单"]
    ws["B2"] = "改名不应生效"
    ws.append(["T998", "", "", "不存在的领域", "", "火星市", "", "", "curve", "999999", "",
               "", ""])
    ws.append(["T901", "重复", "", "规划同图", "", "", "", "", "", "", "", "", ""])
    wb["里程碑"].append(["T998", "x", "节点", "2026/13/01", None, None, None])
    result = transfer.import_ledger(admin, workbook_bytes(wb), "错.xlsx")
    found = {(p.row, p.column, p.code) for p in result.problems}
    assert {(3, "任务名称", "missing_value"), (3, "行动领域", "bad_reference"),
            (3, "牵头单位", "bad_reference"), (3, "位置类型", "bad_choice"),
            (3, "位置区划代码", "bad_reference"), (4, "任务编号", "duplicate_key")} <= found
    assert Task.objects.get(pk="T901").title_zh == "测试轨道线"
    assert not Task.objects.filter(pk="T998").exists()
    message = next(p for p in result.problems if p.code == "bad_choice").render("zh")
    assert message.startswith("错.xlsx, 第 3 行, 列 位置类型: 「curve」不是允许的取值")


def test_milestone_sheet_errors_are_reported_too(ledger, user_of):
    admin = user_of("province_admin")
    wb = load_workbook(io.BytesIO(transfer.export_ledger(Task.objects.filter(id="T901"))))
    wb["里程碑"].append(["T901", "x", "节点", "2026/13/01", None, None, None])
    wb["里程碑"].append(["T777", 1, "节点", None, None, None, None])
    result = transfer.import_ledger(admin, workbook_bytes(wb), "m.xlsx")
    found = {(p.row, p.column, p.code) for p in result.problems}
    assert found == {(4, "序号", "out_of_range"), (4, "计划完成日期", "bad_date"),
                     (5, "任务编号", "bad_reference")}
    assert Task.objects.get(pk="T901").version == 1


def test_only_the_province_imports_the_ledger(ledger, user_of):
    data = transfer.export_ledger(Task.objects.all())
    result = transfer.import_ledger(user_of("city_coordinator"), data, "x.xlsx")
    assert not result.ok and result.problems[0].code == "refused"


def test_report_template_round_trip(ledger, user_of):
    coordinator = user_of("city_coordinator")
    tasks = [t for t in Task.objects.filter(id__in=["T901", "T903"])]
    wb = load_workbook(io.BytesIO(transfer.report_template(tasks, "2026Q2")))
    ws = wb["进展报告"]
    assert [c.value for c in ws[1]] == ["任务编号", "报告期", "进展情况", "完成百分比",
                                        "达成里程碑序号", "达成日期"]
    ws["C2"], ws["D2"], ws["E2"], ws["F2"] = "已完成一期征拆", 35, 1, "2026-04-15"
    ws["C3"], ws["D3"] = "数据目录已编制", 60
    result = transfer.import_reports(coordinator, workbook_bytes(wb), "报告.xlsx")
    assert result.ok and result.created == 2
    r = ProgressReport.objects.get(task_id="T901")
    assert (r.period, r.percent, r.milestone.seq, str(r.reached_on)) == (
        "2026Q2", 35, 1, "2026-04-15")


def test_bad_report_rows_submit_nothing(ledger, user_of):
    coordinator = user_of("city_coordinator")
    wb = load_workbook(io.BytesIO(transfer.report_template(
        list(Task.objects.filter(id="T901")), "2026Q2")))
    ws = wb["进展报告"]
    ws["C2"], ws["D2"] = "正常", 40
    ws.append(["T902", "2026Q2", "株洲的任务", 10])  # not 长沙's
    ws.append(["T901", "2026Q9", "错的季度", 150])
    ws.append(["T901", "2026Q1", "", 10, 7])
    result = transfer.import_reports(coordinator, workbook_bytes(wb), "r.xlsx")
    found = {(p.row, p.column, p.code) for p in result.problems}
    assert found == {(3, "任务编号", "not_your_task"), (4, "报告期", "bad_period"),
                     (4, "完成百分比", "out_of_range"), (5, "进展情况", "missing_value"),
                     (5, "达成里程碑序号", "bad_reference")}
    assert ProgressReport.objects.count() == 0


def test_a_refused_report_rolls_back_the_others(ledger, user_of):
    coordinator = user_of("city_coordinator")
    from czt.web.ledger import workflow

    workflow.submit(coordinator, Task.objects.get(pk="T903"), period="2026Q2", text="已报",
                    percent=5)
    wb = load_workbook(io.BytesIO(transfer.report_template(
        list(Task.objects.filter(id__in=["T901", "T903"])), "2026Q2")))
    ws = wb["进展报告"]
    ws["C2"], ws["D2"], ws["C3"], ws["D3"] = "进展", 10, "重复报送", 20
    result = transfer.import_reports(coordinator, workbook_bytes(wb), "r.xlsx")
    assert [(p.row, p.code) for p in result.problems] == [(3, "refused")]
    assert "2026Q2" in result.problems[0].reason("zh")
    assert not ProgressReport.objects.filter(task_id="T901").exists()
