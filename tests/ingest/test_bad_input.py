"""Every bad-input case names the file, row and column, and leaves the database unchanged."""

import pytest

from czt.ingest.load import ingest_files
from czt.messages import ValidationFailed
from czt.store.models import ImportBatch, Observation, Source, Target

pytestmark = pytest.mark.django_db

HEADER = ["region_code", "region_name", "indicator", "year", "value", "unit", "source_url",
          "source_title", "snippet"]
SRC = ["https://example.gov.cn/a", "测试公报"]


def good(code="430100", indicator="gdp", year=2024, value="100", unit="亿元"):
    return [code, "", indicator, year, value, unit, *SRC, ""]


def snapshot():
    return (Observation.objects.count(), Source.objects.count(), ImportBatch.objects.count(),
            Target.objects.count())


def fails(path, lang="zh"):
    before = snapshot()
    with pytest.raises(ValidationFailed) as info:
        ingest_files([path])
    assert snapshot() == before
    return info.value.problems


CASES = [
    ("unknown region", good(code="439999"), "region_code", "unknown_region",
     "未知地区「439999」"),
    ("unknown indicator", good(indicator="gdp_xyz"), "indicator", "unknown_indicator",
     "未知指标「gdp_xyz」"),
    ("inconvertible unit", good(unit="万人"), "unit", "bad_unit",
     "单位「万人」无法换算为指标单位「亿元」"),
    ("non-numeric value", good(value="abc"), "value", "not_numeric", "数值「abc」不是数字"),
    ("implausible value", good(indicator="urbanization_rate", value="180", unit="%"), "value",
     "implausible", "数值 180.0 超出该指标的合理范围 [0.0, 100.0] %"),
    ("missing source", ["430100", "", "gdp", 2024, "100", "亿元", "", "", ""], "source_url",
     "missing_source", "缺少来源 (source_url 或 source_title 为空)"),
]


@pytest.mark.parametrize(("case", "bad_row", "column", "code", "zh"), CASES,
                         ids=[c[0] for c in CASES])
def test_bad_row_is_named_and_nothing_is_written(write_csv, case, bad_row, column, code, zh):
    path = write_csv("upload.csv", [HEADER, good(year=2023), good(year=2022), bad_row])
    [problem] = fails(path)
    assert (problem.file, problem.row, problem.column, problem.code) == (
        "upload.csv", 4, column, code)
    assert problem.reason("zh") == zh
    assert problem.render("en").startswith("upload.csv, row 4, column " + column + ": ")


def test_duplicate_row_names_both_rows(write_csv):
    path = write_csv("dup.csv", [HEADER, good(), good(year=2023), good()])
    [problem] = fails(path)
    assert (problem.row, problem.column, problem.code) == (4, "indicator", "duplicate_row")
    assert problem.reason("zh") == "与第 2 行重复 (同一地区、指标、年份、来源)"
    assert problem.reason("en") == "duplicates row 2 (same region, indicator, year and source)"


def test_all_problems_of_all_files_are_reported_and_good_files_are_not_written(write_csv):
    ok = write_csv("ok.csv", [HEADER, good(year=2019)])
    bad = write_csv("bad.csv", [HEADER, good(code="999999"), good(value="x")])
    before = snapshot()
    with pytest.raises(ValidationFailed) as info:
        ingest_files([ok, bad])
    assert snapshot() == before
    assert [(p.file, p.row, p.column) for p in info.value.problems] == [
        ("bad.csv", 2, "region_code"), ("bad.csv", 3, "value")]


def test_missing_columns_are_named(write_csv):
    path = write_csv("cols.csv", [["region_code", "indicator", "year"], ["430100", "gdp", 2024]])
    problems = fails(path)
    assert [(p.column, p.code) for p in problems] == [("value", "missing_column"),
                                                      ("unit", "missing_column")]


def test_english_messages(write_csv):
    path = write_csv("e.csv", [HEADER, good(unit="万人")])
    [problem] = fails(path)
    assert problem.render("en") == (
        "e.csv, row 2, column unit: unit '万人' cannot be converted to the indicator's unit '亿元'")
    assert problem.render("zh") == "e.csv, 第 2 行, 列 unit: 单位「万人」无法换算为指标单位「亿元」"


def test_undecodable_file(tmp_path):
    path = tmp_path / "binary.csv"
    path.write_bytes(b"\xff\xfe\x00\x81\x82\xff" * 10)
    [problem] = fails(str(path))
    assert (problem.file, problem.code) == ("binary.csv", "bad_encoding")
