"""The fast path: bucket-by-bucket aggregation and the overlapped pipeline give the same
numbers as the plain single scan followed by the metrics."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest

from czt.flows import gravity
from czt.flows.engines import AggregateSpec, DuckDBEngine, NoFilesError, aggregate
from czt.flows.engines import duckdb_engine as dd
from czt.flows.metrics import flow_metrics
from czt.flows.pipeline import WarmUp, flow_pipeline
from czt.flows.schema import TIME_GRAINS, bucket_start, next_bucket

SPECS = [
    AggregateSpec(time="month", period="hour"),
    AggregateSpec(time="week", period="day_part", kinds=("commute", "trip")),
    AggregateSpec(
        time="quarter", period="day", start=dt.date(2023, 3, 15), end=dt.date(2024, 2, 10)
    ),
    AggregateSpec(time="year", period="hour"),
    AggregateSpec(time="day", period="day", start=dt.date(2024, 2, 20), end=dt.date(2024, 3, 5)),
]
IDS = ["month-hour", "week-daypart-kinds", "quarter-dates", "year-hour", "day-dates"]


@pytest.mark.parametrize("spec", SPECS, ids=IDS)
def test_bucket_by_bucket_equals_one_scan(synthetic_dir, spec):
    eng = DuckDBEngine()
    one = eng.aggregate(synthetic_dir, spec, by_time=False)
    parts = eng.aggregate(synthetic_dir, spec, by_time=True)
    assert len(one.frame) > 10
    pd.testing.assert_frame_equal(one.frame, parts.frame, check_exact=True)


def test_bucket_labels_match_the_sql(tmp_path):
    """Python's bucket bounds and the engines' SQL labels agree on every day of 2019–2021."""
    days = pd.date_range("2019-12-20", "2021-01-12").date
    con = duckdb.connect()
    for grain in TIME_GRAINS:
        sql = (
            "SELECT CAST(date_trunc(?, d) AS DATE) FROM "
            "unnest(range(DATE '2019-12-20', DATE '2021-01-13', INTERVAL 1 DAY)) t(d)"
        )
        labels = [r[0] for r in con.execute(sql, [grain]).fetchall()]
        assert [bucket_start(d, grain) for d in days] == labels, grain
        for d in days:
            start = bucket_start(d, grain)
            assert start <= d < next_bucket(start, grain)
            assert bucket_start(next_bucket(start, grain), grain) == next_bucket(start, grain)


def _rewrite(src: Path, out: Path, *, row_group: int, shuffle: bool) -> list[Path]:
    """The generated rows again, in small row groups, in date order or shuffled."""
    out.mkdir()
    table = pq.read_table(sorted(src.glob("*.parquet")))
    if shuffle:
        table = table.take(np.random.default_rng(0).permutation(table.num_rows))
    path = out / "part.parquet"
    pq.write_table(table, path, row_group_size=row_group)
    return [path]


def test_the_plan_follows_the_layout(synthetic_dir, tmp_path, monkeypatch):
    monkeypatch.setattr(dd, "MIN_ROWS_PER_PART", 1_000)
    spec = AggregateSpec(time="month", period="day_part")
    by_date = _rewrite(synthetic_dir, tmp_path / "by-date", row_group=2_000, shuffle=False)
    shuffled = _rewrite(synthetic_dir, tmp_path / "shuffled", row_group=2_000, shuffle=True)
    parts = dd.DateZones.read(by_date).parts(by_date, spec)
    assert parts is not None and len(parts) == 24
    assert parts[0].start == dt.date(2023, 1, 1) and parts[-1].end == dt.date(2025, 1, 1)
    assert dd.DateZones.read(shuffled).parts(shuffled, spec) is None  # every part reads all
    # a file without date statistics gets the single scan
    no_stats = tmp_path / "no-stats.parquet"
    pq.write_table(pq.read_table(by_date[0]), no_stats, write_statistics=False)
    assert dd.DateZones.read([no_stats]) is None
    expected = aggregate(synthetic_dir, spec)
    for files in (by_date, shuffled, [no_stats]):
        got = aggregate(files, spec)
        pd.testing.assert_frame_equal(expected.frame, got.frame, check_exact=True)


def test_statistics_that_lie_fall_back_to_one_scan(synthetic_dir, monkeypatch):
    """If the footers' date ranges miss rows, the record count shows it and one scan reruns."""
    real = dd.DateZones.parts

    def lose_a_bucket(self, files, spec, *, force=False):
        return real(self, files, spec, force=True)[1:]

    monkeypatch.setattr(dd.DateZones, "parts", lose_a_bucket)
    spec = AggregateSpec(time="month", period="hour")
    got = DuckDBEngine().aggregate(synthetic_dir, spec)
    expected = DuckDBEngine().aggregate(synthetic_dir, spec, by_time=False)
    pd.testing.assert_frame_equal(expected.frame, got.frame, check_exact=True)


def _metrics_payload(result) -> str:
    return json.dumps(result.to_dict(), sort_keys=True, default=str)


def test_pipeline_equals_aggregate_then_metrics(synthetic_dir):
    spec = AggregateSpec(time="month", period="hour")
    serial_agg = DuckDBEngine().aggregate(synthetic_dir, spec, by_time=False)
    serial = flow_metrics(serial_agg)
    result = flow_pipeline(synthetic_dir, spec)
    pd.testing.assert_frame_equal(serial_agg.frame, result.aggregate.frame, check_exact=True)
    got, want = result.metrics.border, serial.border
    pd.testing.assert_frame_equal(want.periods, got.periods, check_exact=True)
    for name in ("pooled", "trend", "distance", "same_district"):
        assert getattr(want, name) == getattr(got, name), name
    assert _metrics_payload(serial) == _metrics_payload(result.metrics)
    assert result.seconds == pytest.approx(result.aggregate_seconds + result.metrics_seconds)
    assert result.to_dict()["aggregate"]["groups"] == len(serial_agg.frame)


def test_one_blas_thread_gives_the_same_fits(synthetic_dir, monkeypatch):
    agg = aggregate(synthetic_dir, AggregateSpec(time="quarter", period="day"))
    limited = gravity.border_effect(agg)
    monkeypatch.setattr(gravity, "one_blas_thread", contextlib.nullcontext)
    free = gravity.border_effect(agg)
    pd.testing.assert_frame_equal(limited.periods, free.periods, check_exact=True)
    assert (limited.pooled, limited.trend) == (free.pooled, free.trend)


_SCRIPT = """
import json, sys
from czt.flows.engines import AggregateSpec, DuckDBEngine
from czt.flows.metrics import flow_metrics
from czt.flows.pipeline import flow_pipeline
spec = AggregateSpec(time="month", period="hour")
if sys.argv[2] == "serial":
    m = flow_metrics(DuckDBEngine().aggregate(sys.argv[1], spec, by_time=False))
else:
    m = flow_pipeline(sys.argv[1], spec).metrics
print(json.dumps(m.to_dict(), sort_keys=True, default=str))
"""


def test_pipeline_in_a_fresh_process_equals_the_serial_path(synthetic_dir):
    """The warm-up thread and the bucket plan change nothing, also across processes.

    pyfixest orders the fixed effects by iterating a ``set`` of their names, so the fits'
    last digits depend on the string hash seed; both processes get the same one.
    """
    env = {**os.environ, "PYTHONHASHSEED": "11"}
    runs = [
        subprocess.Popen(
            [sys.executable, "-c", _SCRIPT, str(synthetic_dir), mode],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        for mode in ("serial", "pipeline")
    ]
    outs = []
    for run in runs:
        out, err = run.communicate(timeout=120)
        assert run.returncode == 0, err
        outs.append(out)
    assert outs[0] == outs[1]
    assert json.loads(outs[0])["border"]["pooled"]["ratio"] > 1.5


def test_a_failed_warm_up_does_not_hide_the_metrics(synthetic_dir, monkeypatch):
    def broken() -> None:
        raise ImportError("no pyfixest here")

    monkeypatch.setattr(gravity, "warm_up", broken)
    warm = WarmUp().start()
    warm.join()
    assert isinstance(warm.error, ImportError)
    result = flow_pipeline(synthetic_dir, AggregateSpec(time="year", period="day"))
    assert [p["label"] for p in result.to_dict()["metrics"]["border"]["periods"]] == [
        "2023",
        "2024",
    ]


def test_an_aggregate_error_still_joins_the_warm_up(tmp_path):
    with pytest.raises(NoFilesError):
        flow_pipeline(tmp_path / "nothing-here")
    assert not [t for t in threading.enumerate() if t.name == "czt-ppml-warm-up"]


def test_pipeline_without_border_starts_no_warm_up(synthetic_dir, monkeypatch):
    started = []
    monkeypatch.setattr(WarmUp, "start", lambda self: started.append(self) or self)
    result = flow_pipeline(synthetic_dir, AggregateSpec(time="year", period="day"), border=False)
    assert result.metrics.border is None and not started
