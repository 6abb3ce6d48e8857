"""The `czt` commands on the test database (same functions as the Python API)."""

import json

import pytest
from click.testing import CliRunner

from czt.cli import main

pytestmark = pytest.mark.django_db


def test_progress_table_in_chinese():
    out = CliRunner().invoke(main, ["progress", "--plan", "CZT-5Y-2021"])
    assert out.exit_code == 0, out.output
    assert "地区生产总值" in out.output and "需加快" in out.output and "数据不足" in out.output
    assert "22,128.3 (2024)" in out.output


def test_progress_json_and_csv():
    out = CliRunner().invoke(main, ["progress", "--format", "json", "--lang", "en",
                                    "--region", "430300"])
    rows = json.loads(out.output)
    assert {r["target"] for r in rows} == {"XT-GWR-2025-01", "XT-GWR-2025-02"}
    assert all(r["status_label"] == "Insufficient data" for r in rows)
    csv_out = CliRunner().invoke(main, ["progress", "--format", "csv", "--plan", "CZT-3Y-2023"])
    assert csv_out.output.splitlines()[0].startswith("target,plan,area")
    assert len(csv_out.output.splitlines()) == 1 + 6


def test_progress_as_of_before_any_publication_has_no_values():
    out = CliRunner().invoke(main, ["progress", "--format", "json", "--as-of", "2000-01-01"])
    assert all(r["value"] is None for r in json.loads(out.output))


def test_coverage_summary_per_city():
    out = CliRunner().invoke(main, ["coverage", "--plan", "CZT-5Y-2021"])
    assert out.exit_code == 0
    assert "株洲市" in out.output and "湘潭市" in out.output and "高新技术企业数" in out.output


def test_ingest_error_is_reported_in_the_chosen_language(write_csv):
    path = write_csv("bad.csv", [["region_code", "indicator", "year", "value", "unit",
                                  "source_url"], ["430100", "gdp", 2024, "abc", "亿元", "u"]])
    zh = CliRunner().invoke(main, ["ingest", path])
    assert zh.exit_code == 1
    assert "导入失败, 未写入任何数据" in zh.output
    assert "bad.csv, 第 2 行, 列 value: 数值「abc」不是数字" in zh.output
    en = CliRunner().invoke(main, ["ingest", "--lang", "en", path])
    assert "bad.csv, row 2, column value: value 'abc' is not a number" in en.output


def test_totals_command():
    out = CliRunner().invoke(main, ["totals", "gdp", "--format", "json"])
    by_year = {r["year"]: r for r in json.loads(out.output)}
    assert by_year[2024]["derived"] == pytest.approx(22128.24)
