"""A city coordinator uploads bad files through /upload/: the problems come back as a table in
Chinese (file, row, column, reason), and nothing is written."""

from __future__ import annotations

import csv
import io

HEADER = ["region_code", "region_name", "indicator", "year", "value", "unit", "source_url",
          "source_title", "snippet"]
SOURCE = ["http://tjj.changsha.gov.cn/example", "长沙市统计公报 (测试)", ""]


def _csv(rows: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows([HEADER, *rows])
    return buffer.getvalue().encode("utf-8")


BAD = _csv([
    ["430100", "长沙市", "gdp", "2024", "一万五", "亿元", *SOURCE],  # row 2: not a number
    ["430100", "长沙市", "no_such_indicator", "2024", "1", "亿元", *SOURCE],  # row 3
    ["430100", "长沙市", "gdp", "20x4", "15000", "亿元", *SOURCE],  # row 4: bad year
    ["430100", "长沙市", "gdp", "2023", "15000", "亿元", "", "", ""],  # row 5: no source
])
# valid in itself, but 株洲 is outside a 长沙 coordinator's scope
ZHUZHOU = _csv([["430200", "株洲市", "gdp", "2024", "4000", "亿元", *SOURCE]])


def test_bad_upload_shows_problems_and_writes_nothing(page, make_user, sign_in, shot):
    from czt.store.models import ImportBatch, Observation

    username, password = make_user("cs_coordinator", "city_coordinator", region="430100")
    before = (Observation.objects.count(), ImportBatch.objects.count())
    assert before[0] > 0

    sign_in(username, password)
    assert "市级联络员" in page.locator(".who .user").inner_text()
    page.click("nav >> text=数据上传")
    assert page.evaluate("location.pathname") == "/upload/"
    page.set_input_files("#upload-files", [
        {"name": "长沙_错误.csv", "mimeType": "text/csv", "buffer": BAD},
        {"name": "株洲.csv", "mimeType": "text/csv", "buffer": ZHUZHOU},
    ])
    with page.expect_navigation():
        page.click("#upload-submit")

    assert page.locator("#upload-failed").inner_text() == "发现 5 个问题，未导入任何数据。"
    head = page.locator("#problems thead th").all_inner_texts()
    assert head == ["文件", "行", "列", "问题"]
    rows = [[c.strip() for c in r.locator("td").all_inner_texts()]
            for r in page.locator("#problems tbody tr").all()]
    by_row = {(f, r): (col, reason) for f, r, col, reason in rows}
    assert by_row[("长沙_错误.csv", "2")] == ("数值", "数值「一万五」不是数字")
    assert by_row[("长沙_错误.csv", "3")] == ("指标", "未知指标「no_such_indicator」")
    assert by_row[("长沙_错误.csv", "4")] == ("年份", "年份「20x4」无效")
    assert by_row[("长沙_错误.csv", "5")][0] == "来源链接"
    assert by_row[("长沙_错误.csv", "5")][1].startswith("缺少来源")
    column, reason = by_row[("株洲.csv", "2")]
    assert column == "地区代码"
    assert reason.startswith("无权填报「430200」的数据") and "长沙市" in reason
    assert len(rows) == 5
    assert page.locator("#upload-ok").count() == 0
    assert page.js_errors == []
    shot("upload-problems")

    assert (Observation.objects.count(), ImportBatch.objects.count()) == before
