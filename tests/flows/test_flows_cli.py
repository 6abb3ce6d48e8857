"""``czt flows …`` end to end: synth → ingest → aggregate → metrics, and a rejected ingest."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from click.testing import CliRunner

from czt.commands.flows import RowCount, flows


@pytest.fixture
def run(tmp_path, monkeypatch):
    monkeypatch.setenv("CZT_HOME", str(tmp_path / "home"))
    runner = CliRunner()

    def invoke(*args: str):
        return runner.invoke(flows, [str(a) for a in args], catch_exceptions=False)

    return invoke


def test_row_counts_read_like_people_write_them():
    rc = RowCount()
    assert [rc.convert(v, None, None) for v in ("1e6", "10M", "1_000", "2k", 5)] == [
        1_000_000,
        10_000_000,
        1_000,
        2_000,
        5,
    ]


def test_pipeline_through_the_cli(run, tmp_path):
    src = tmp_path / "src"
    out = run(
        "synth", "--rows", "60k", "--out", src, "--rows-per-file", "25k", "--no-progress", "--json"
    )
    assert out.exit_code == 0, out.output
    made = json.loads(out.output)
    assert made["synthetic"] is True and made["rows"] == 60_000 and len(made["files"]) == 3

    out = run("ingest", *made["files"], "--no-progress")
    assert out.exit_code == 0, out.output
    assert out.output.startswith("已导入 3 个文件，共 60000 行")

    agg_file = tmp_path / "agg.parquet"
    out = run(
        "aggregate",
        "--time",
        "quarter",
        "--period",
        "day_part",
        "--out",
        agg_file,
        "--no-progress",
        "--lang",
        "en",
    )
    assert out.exit_code == 0, out.output
    assert "duckdb: 60,000 records" in out.output
    agg = pd.read_parquet(agg_file)
    assert agg["records"].sum() == 60_000
    assert set(agg["period"]) == {"night", "am_peak", "daytime", "pm_peak", "evening"}

    out = run("metrics", "--time", "year", "--no-progress", "--json")
    assert out.exit_code == 0, out.output
    result = json.loads(out.output)
    assert [p["label"] for p in result["border"]["periods"]] == ["2023", "2024"]

    out = run("metrics", "--time", "year", "--no-progress")
    assert out.output.splitlines()[0].startswith("时期")
    assert "合并: exp(−β)" in out.output


def test_rejected_ingest_names_file_row_and_column(run, tmp_path, write_parquet, records):
    bad = write_parquet("bad.parquet", records(count=[5, -1, 2]))
    out = run("ingest", bad, "--no-progress")
    assert out.exit_code == 1
    assert "文件 bad.parquet 未通过校验" in out.output
    assert "列 count：1 行为负数，例如 第 2 行 = -1" in out.output
    assert not (tmp_path / "home" / "flows" / "manifest.json").exists()

    out = run("validate", bad, "--lang", "en")
    assert out.exit_code == 1
    assert "column count: 1 rows are negative, e.g. row 2 = -1" in out.output


def test_aggregate_without_data_says_so(run):
    out = run("aggregate", "--no-progress")
    assert out.exit_code == 2
    assert "没有找到 Parquet 文件" in out.output
