"""Encodings, Chinese headers, XLSX, number formats, unit conversion, recoding, vintages."""

from datetime import UTC, date, datetime

import openpyxl
import pytest

from czt.ingest.load import ingest_files
from czt.ingest.values import parse_value
from czt.store.models import Observation
from czt.store.queries import observations

pytestmark = pytest.mark.django_db

ZH_HEADER = ["地区代码", "地区", "指标", "年份", "数值", "单位", "来源链接", "来源标题", "原文"]


@pytest.mark.parametrize(("text", "value", "comparator", "multiplier"), [
    ("1,234.5", 1234.5, "", ""), ("１２３", 123.0, "", ""), ("约5", 5.0, "~", ""),
    ("5左右", 5.0, "~", ""), ("~5", 5.0, "~", ""), (">8500", 8500.0, ">", ""),
    ("2.5万亿", 2.5, "", "万亿"), (">=3000", 3000.0, ">=", ""), ("-10", -10.0, "", ""),
    ("突破200", 200.0, ">", ""), ("8500余", 8500.0, ">", ""),
])
def test_parse_value(text, value, comparator, multiplier):
    p = parse_value(text)
    assert (p.value, p.comparator, p.multiplier) == (value, comparator, multiplier)


@pytest.mark.parametrize("text", ["abc", "", "5-6", "N/A"])
def test_parse_value_rejects(text):
    assert parse_value(text) is None


def _rows():
    return [ZH_HEADER,
            ["430200", "株洲市", "地区生产总值", 2018, "2.5万亿", "元", "https://x.cn/1", "公报",
             ""],
            ["", "湘潭市", "gdp", 2018, "1,234.5", "亿元", "https://x.cn/1", "公报", ""],
            ["430221", "株洲县", "resident_population", 2017, "约３０", "万人", "https://x.cn/1",
             "公报", ""],
            ["430100", "长沙市", "census_population_2020", 2020, "1004.79", "万人",
             "https://x.cn/1", "公报", ""]]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk"])
def test_encodings_chinese_headers_units_and_recoding(write_csv, encoding):
    ingest_files([write_csv("zh.csv", _rows(), encoding)])
    got = {(o.region_id, o.indicator_id, o.year): o for o in Observation.objects.filter(
        source__url="https://x.cn/1")}
    # 2.5万亿 元 -> 25000 亿元
    assert got[("430200", "gdp", 2018)].value == pytest.approx(25000.0)
    # region found by name when the code is empty
    assert got[("430300", "gdp", 2018)].value == pytest.approx(1234.5)
    # 株洲县 430221 lands on 渌口区 430212, flagged; 约30 keeps the "about" comparator
    lukou = got[("430212", "resident_population", 2017)]
    assert (lukou.value, lukou.comparator, lukou.flags) == (30.0, "~", "approx,recoded")
    # 万人 -> 人 for the census count
    assert got[("430100", "census_population_2020", 2020)].value == pytest.approx(10047900)


def test_xlsx(tmp_path):
    wb = openpyxl.Workbook()
    for row in _rows():
        wb.active.append(row)
    path = tmp_path / "upload.xlsx"
    wb.save(path)
    report = ingest_files([str(path)])
    assert report.created == 4


def test_reimport_changes_nothing_and_changed_value_is_a_new_vintage(write_csv):
    first = datetime(2026, 3, 1, tzinfo=UTC)
    later = datetime(2026, 6, 1, tzinfo=UTC)
    rows = _rows()
    path = write_csv("v.csv", rows)
    r1 = ingest_files([path], now=first)
    r2 = ingest_files([path], now=first)
    assert (r1.created, r2.created, r2.unchanged, r2.new_vintages) == (4, 0, 4, 0)
    rows[2][4] = "1,300"
    r3 = ingest_files([write_csv("v2.csv", rows)], now=later)
    assert (r3.created, r3.new_vintages, r3.unchanged) == (0, 1, 3)
    latest = observations(indicators=["gdp"], regions=["430300"], years=(2018, 2018))
    assert latest[latest.source_url == "https://x.cn/1"]["value"].tolist() == [1300.0]
    assert latest[latest.source_url == "https://x.cn/1"]["vintage"].tolist() == [2]
    before = observations(indicators=["gdp"], regions=["430300"], years=(2018, 2018),
                          as_of=date(2026, 4, 1))
    assert before[before.source_url == "https://x.cn/1"]["value"].tolist() == [1234.5]
    every = observations(indicators=["gdp"], regions=["430300"], years=(2018, 2018),
                         all_vintages=True)
    assert sorted(every[every.source_url == "https://x.cn/1"]["value"]) == [1234.5, 1300.0]
