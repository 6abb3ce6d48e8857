"""Validation: every bad-input case is caught with file, column, row and value named."""

from __future__ import annotations

import datetime as dt

import pyarrow as pa
import pytest

from czt.flows.messages import MESSAGES
from czt.flows.validate import validate_file

TODAY = dt.date(2026, 1, 15)


def test_every_message_has_both_languages():
    assert all(set(m) == {"zh", "en"} for m in MESSAGES.values())


def test_valid_file_passes_with_rows_and_date_range(write_parquet, records):
    path = write_parquet("ok.parquet", records())
    report = validate_file(path, today=TODAY)
    assert report.ok, report.message()
    assert report.rows == 3
    assert (report.first_date, report.last_date) == (dt.date(2024, 3, 4), dt.date(2024, 3, 9))
    assert report.canonical is True
    assert report.message() == "文件 ok.parquet 通过校验：3 行，日期 2024-03-04 至 2024-03-09"


def test_loose_but_readable_types_pass_and_are_not_canonical(write_parquet, records):
    data = records(
        origin=["430102", "430211", "430302"],
        date=["2024-03-04", "2024-03-05", "2024-03-09"],
        period=[7, 8, 23],
        count=[5.0, 3.0, 2.0],
    )
    types = {"origin": pa.string(), "date": pa.string(), "period": pa.int8(), "count": pa.float64()}
    report = validate_file(write_parquet("loose.parquet", data, types), today=TODAY)
    assert report.ok, report.message()
    assert report.canonical is False


# One bad-input case per entry: (name, column overrides, types, check, column, count, examples).
# fmt: off
BAD_CASES = [
    ("origin_unknown", {"origin": [430102, 110101, 430199]}, None,
     "unknown_code", "origin", 2, [(2, "110101"), (3, "430199")]),
    ("destination_text", {"destination": ["430211", "4302", "x"]}, {"destination": pa.string()},
     "unknown_code", "destination", 2, [(2, "4302"), (3, "x")]),
    ("negative_count", {"count": [5, -1, 2]}, None,
     "negative", "count", 1, [(2, "-1")]),
    ("fractional_count", {"count": [5.0, 1.5, 2.0]}, {"count": pa.float64()},
     "not_integer", "count", 1, [(2, "1.5")]),
    ("nan_count", {"count": [5.0, float("nan"), 2.0]}, {"count": pa.float64()},
     "not_finite", "count", 1, [(2, "nan")]),
    ("bad_date_text", {"date": ["2024-03-04", "2023-02-30", "04/03/2024"]}, {"date": pa.string()},
     "bad_date", "date", 2, [(2, "2023-02-30"), (3, "04/03/2024")]),
    ("date_out_of_range", {"date": [dt.date(1999, 12, 31), dt.date(2024, 3, 5),
                                    dt.date(2030, 1, 1)]}, None,
     "date_out_of_range", "date", 2, [(1, "1999-12-31"), (3, "2030-01-01")]),
    ("bad_period", {"period": ["07", "25", "rush"]}, None,
     "bad_period", "period", 2, [(2, "25"), (3, "rush")]),
    ("bad_period_int", {"period": [7, 24, -1]}, {"period": pa.int8()},
     "bad_period", "period", 2, [(2, "24"), (3, "-1")]),
    ("bad_kind", {"kind": ["commute", "comute", "Trip"]}, None,
     "bad_kind", "kind", 2, [(2, "comute"), (3, "Trip")]),
    ("null_kind", {"kind": ["commute", None, "trip"]}, None,
     "null", "kind", 1, [(2, "NULL")]),
    ("negative_weight", {"weight": [1.0, -2.0, 0.0]}, None,
     "negative", "weight", 1, [(2, "-2.0")]),
]
# fmt: on


@pytest.mark.parametrize(
    "name, columns, types, check, column, count, examples", BAD_CASES, ids=[c[0] for c in BAD_CASES]
)
def test_bad_values_are_reported_with_rows(
    write_parquet, records, name, columns, types, check, column, count, examples
):
    report = validate_file(write_parquet(f"{name}.parquet", records(**columns), types), today=TODAY)
    assert not report.ok
    assert [(p.check, p.column, p.count, p.examples) for p in report.problems] == [
        (check, column, count, examples)
    ]


def test_message_names_file_column_row_and_value_in_both_languages(write_parquet, records):
    path = write_parquet("bad.parquet", records(origin=[430102, 110101, 430199]))
    report = validate_file(path, today=TODAY)
    assert report.message() == (
        "文件 bad.parquet 未通过校验 (3 行)，本批文件均未导入：\n"
        "  - 列 origin：2 行的地区代码不是长株潭 23 个区县之一 (GB/T 2260)，"
        "例如 第 2 行 = 110101; 第 3 行 = 430199"
    )
    assert report.message("en") == (
        "File bad.parquet failed validation (3 rows); nothing in this batch was ingested:\n"
        "  - column origin: 2 rows have a region code outside the 23 CZT districts/counties "
        "(GB/T 2260), e.g. row 2 = 110101; row 3 = 430199"
    )


def test_several_problems_in_one_file_are_all_reported(write_parquet, records):
    data = records(count=[-1, 2, 3], kind=["commute", "x", "trip"], period=["07", "99", "day"])
    report = validate_file(write_parquet("many.parquet", data), today=TODAY)
    assert sorted(p.check for p in report.problems) == ["bad_kind", "bad_period", "negative"]


def test_examples_are_capped_at_five(write_parquet, records):
    n = 12
    data = {k: v[:1] * n for k, v in records().items()}
    data["count"] = [-1] * n
    report = validate_file(write_parquet("many_rows.parquet", data), today=TODAY)
    (problem,) = report.problems
    assert problem.count == 12
    assert [r for r, _ in problem.examples] == [1, 2, 3, 4, 5]


def test_missing_column_and_wrong_type(write_parquet, records):
    data = records(count=["5", "3", "2"])
    del data["kind"]
    report = validate_file(write_parquet("cols.parquet", data, {"count": pa.string()}), today=TODAY)
    assert [(p.check, p.column) for p in report.problems] == [
        ("missing_column", "kind"),
        ("bad_type", "count"),
    ]
    assert "列 count 的类型 string 不可用" in report.message()


def test_not_parquet_empty_and_missing_files(tmp_path, write_parquet, records):
    text = tmp_path / "flows.csv.parquet"
    text.write_text("origin,destination\n430102,430211\n", encoding="utf-8")
    assert [p.check for p in validate_file(text).problems] == ["not_parquet"]
    empty = write_parquet("empty.parquet", {k: [] for k in records()})
    assert [p.check for p in validate_file(empty).problems] == ["empty"]
    assert [p.check for p in validate_file(tmp_path / "nope.parquet").problems] == ["missing_file"]
