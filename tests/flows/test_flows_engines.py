"""Engines: hand-checked sums on DuckDB, and DuckDB ≡ Spark on generated files."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from czt.flows.dataset import FlowDataset
from czt.flows.engines import AggregateSpec, DuckDBEngine, NoFilesError, aggregate, resolve_files


@pytest.fixture
def hand_file(write_parquet, records):
    """Six records whose sums are worked out by hand in the tests below."""
    data = records(
        origin=[430102, 430102, 430102, 430211, 430211, 430302],
        destination=[430211, 430211, 430211, 430211, 430211, 430102],
        date=[
            dt.date(2024, 3, 4),
            dt.date(2024, 3, 6),
            dt.date(2024, 3, 11),
            dt.date(2024, 3, 5),
            dt.date(2024, 4, 1),
            dt.date(2024, 3, 9),
        ],
        period=["07", "08", "07", "am_peak", "22", "day"],
        kind=["commute", "commute", "commute", "trip", "trip", "service_use"],
        count=[5, 7, 11, 3, 4, 2],
    )
    return write_parquet("hand.parquet", data)


def rows(frame: pd.DataFrame) -> list[tuple]:
    f = frame.assign(time=frame["time"].dt.strftime("%Y-%m-%d"))
    return [tuple(r) for r in f.itertuples(index=False)]


def test_duckdb_month_by_day_part(hand_file):
    agg = aggregate(hand_file, AggregateSpec(time="month", period="day_part"))
    assert rows(agg.frame) == [
        (430102, 430211, "2024-03-01", "am_peak", "commute", 23, 3),
        (430211, 430211, "2024-03-01", "am_peak", "trip", 3, 1),
        (430211, 430211, "2024-04-01", "evening", "trip", 4, 1),
        (430302, 430102, "2024-03-01", "day", "service_use", 2, 1),
    ]
    assert agg.records == 6 and agg.engine == "duckdb"
    assert list(agg.frame.dtypes.astype(str)[:2]) == ["int32", "int32"]


def test_duckdb_weeks_start_on_monday_and_filters_apply(hand_file):
    spec = AggregateSpec(time="week", period="hour", kinds=("commute",), end=dt.date(2024, 3, 10))
    agg = DuckDBEngine(memory_limit="256MB", threads=1).aggregate(hand_file, spec)
    assert rows(agg.frame) == [
        (430102, 430211, "2024-03-04", "07", "commute", 5, 1),
        (430102, 430211, "2024-03-04", "08", "commute", 7, 1),
    ]
    whole = aggregate(hand_file, AggregateSpec(time="year", period="day"))
    assert whole.frame.groupby("kind")["flows"].sum().to_dict() == {
        "commute": 23,
        "service_use": 2,
        "trip": 7,
    }


def test_weight_is_summed_when_present(write_parquet, records, hand_file):
    weighted = write_parquet("w.parquet", records(weight=[1.5, 2.0, 0.25]))
    agg = aggregate([weighted, hand_file], AggregateSpec(time="year", period="day"))
    assert "weight" in agg.frame
    by_kind = agg.frame.groupby("kind")[["flows", "weight"]].sum()
    assert by_kind.loc["commute", "flows"] == 5 + 23
    assert by_kind.loc["commute", "weight"] == 1.5
    assert by_kind.loc["trip", "weight"] == 2.0


def test_sources_resolve_from_dataset_folder_and_glob(tmp_path, synthetic_dir, hand_file):
    ds = FlowDataset(tmp_path / "ds")
    ds.ingest([hand_file])
    assert resolve_files(ds) == ds.files() == resolve_files(tmp_path / "ds")
    assert len(resolve_files(synthetic_dir)) == 2
    assert len(resolve_files(str(synthetic_dir / "*-00001.parquet"))) == 1
    with pytest.raises(NoFilesError, match="没有找到"):
        resolve_files(tmp_path / "empty-folder")


def test_bad_spec_is_refused():
    with pytest.raises(ValueError, match="time must be"):
        AggregateSpec(time="decade")
    with pytest.raises(ValueError, match="unknown kinds"):
        AggregateSpec(kinds=("freight",))


SPECS = [
    AggregateSpec(time="month", period="hour"),
    AggregateSpec(time="week", period="day_part", kinds=("commute", "trip")),
    AggregateSpec(
        time="quarter", period="day", start=dt.date(2023, 3, 15), end=dt.date(2024, 2, 10)
    ),
]


@pytest.mark.parametrize("spec", SPECS, ids=["month-hour", "week-daypart-kinds", "quarter-dates"])
def test_duckdb_and_spark_give_identical_aggregates(spark, synthetic_dir, spec):
    from czt.flows.engines.spark_engine import SparkEngine

    duck = aggregate(synthetic_dir, spec)
    sp = SparkEngine(spark=spark).aggregate(synthetic_dir, spec)
    assert sp.engine == "spark" and len(duck.frame) > 1000
    pd.testing.assert_frame_equal(duck.frame, sp.frame, check_exact=True)


def test_spark_matches_on_mixed_weight_files(spark, write_parquet, records, hand_file):
    from czt.flows.engines.spark_engine import SparkEngine

    weighted = write_parquet("w.parquet", records(weight=[1.5, 2.0, 0.25]))
    spec = AggregateSpec(time="month", period="day_part")
    duck = aggregate([weighted, hand_file], spec)
    sp = SparkEngine(spark=spark).aggregate([weighted, hand_file], spec)
    pd.testing.assert_frame_equal(
        duck.frame.drop(columns="weight"), sp.frame.drop(columns="weight"), check_exact=True
    )
    pd.testing.assert_series_equal(duck.frame["weight"], sp.frame["weight"], rtol=1e-12)
