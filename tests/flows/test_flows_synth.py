"""The generator: exact row counts, seeded, documented as synthetic, with its cycles."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from czt.flows.synth import SynthParams, is_synthetic, iter_chunks, month_borders, true_border
from czt.flows.validate import validate_file


@pytest.fixture(scope="module")
def table(synthetic_dir) -> pa.Table:
    return pq.read_table(sorted(synthetic_dir.glob("*.parquet")))


def test_files_rows_and_metadata(synthetic_dir):
    files = sorted(synthetic_dir.glob("*.parquet"))
    assert [pq.read_metadata(f).num_rows for f in files] == [120_000, 80_000]
    assert all(is_synthetic(f) for f in files)
    meta = pq.read_metadata(files[0]).metadata
    assert b'"seed": 7' in meta[b"czt.flows.params"]
    assert all(validate_file(f).ok for f in files)


def test_same_seed_same_records_other_seed_other_records():
    small = SynthParams(rows=5_000, chunk_rows=2_000, seed=11)
    first = pa.concat_tables(iter_chunks(small))
    again = pa.concat_tables(iter_chunks(small))
    other = pa.concat_tables(iter_chunks(SynthParams(rows=5_000, chunk_rows=2_000, seed=12)))
    assert first.num_rows == 5_000
    assert first.equals(again)
    assert not first.equals(other)


def test_records_are_sorted_by_date_within_the_range(table, synthetic_params):
    days = table.column("date").cast(pa.int32()).to_numpy()
    assert (np.diff(days) >= 0).all()
    start = (synthetic_params.start - dt.date(1970, 1, 1)).days
    end = (synthetic_params.end - dt.date(1970, 1, 1)).days
    assert days.min() == start and days.max() == end


def test_daily_and_weekly_cycles_and_trend(table):
    df = table.select(["date", "period", "kind"]).to_pandas()
    df["period"] = df["period"].astype(str)
    df["kind"] = df["kind"].astype(str)
    commute = df[df["kind"] == "commute"]
    by_hour = commute["period"].value_counts()
    assert by_hour["07"] > 5 * by_hour["03"]
    assert by_hour["17"] > 5 * by_hour["03"]
    dow = df["date"].map(lambda d: d.weekday())
    per_day = df.groupby(dow.rename("dow")).size() / dow.groupby(dow).apply(
        lambda s: df.loc[s.index, "date"].nunique()
    )
    assert per_day[5] < 0.9 * per_day[1]  # Saturday below Tuesday
    weekend_share = (commute["date"].map(lambda d: d.weekday()) >= 5).mean()
    assert weekend_share < 0.12  # 2/7 of days, but commuting drops at weekends
    year = df["date"].map(lambda d: d.year).value_counts()
    assert 1.05 < year[2024] / year[2023] < 1.25  # 6 % growth plus integration


def test_border_path_is_log_linear():
    p = SynthParams(border_start=3.0, border_end=2.0)
    b = month_borders(p)
    assert len(b) == 24
    assert b.iloc[0] == pytest.approx(3.0) and b.iloc[-1] == pytest.approx(2.0)
    assert np.diff(np.log(b.to_numpy())) == pytest.approx(np.full(23, np.log(2 / 3) / 23))
    q = true_border(p, "quarter")
    assert q.iloc[0] == pytest.approx(np.exp(np.log(b.iloc[:3]).mean()))
    flat = month_borders(SynthParams(border_start=1.0, border_end=None))
    assert (flat == 1.0).all()


def test_bad_parameters_are_refused():
    with pytest.raises(ValueError, match="positive"):
        SynthParams(border_start=0)
    with pytest.raises(ValueError, match="end"):
        SynthParams(start=dt.date(2024, 1, 2), end=dt.date(2024, 1, 1))
