"""Metrics: hand-checked shares and intensities; the PPML border effect recovers the truth."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from czt.flows.engines import AggregateSpec, aggregate
from czt.flows.gravity import border_effect
from czt.flows.metrics import city_shares, flow_metrics, pair_intensity
from czt.flows.synth import SynthParams, synthesize, true_border

#: 长株潭 23 counties' 2020 census total: 长沙 10 047 914 + 株洲 3 786 920 + 湘潭 2 446 234.
CZT_POPULATION = 16_281_068


@pytest.fixture
def frame() -> pd.DataFrame:
    t = pd.Timestamp("2024-01-01")
    return pd.DataFrame(
        {
            "origin": np.array([430102, 430102, 430102, 430211], dtype="int32"),
            "destination": np.array([430102, 430103, 430211, 430302], dtype="int32"),
            "time": [t] * 4,
            "period": ["day"] * 4,
            "kind": ["commute"] * 4,
            "flows": [100, 50, 30, 20],
            "records": [1, 1, 1, 1],
        }
    )


def test_city_shares_by_hand(frame):
    shares = city_shares(frame)
    row = shares.overall.iloc[0]
    assert (row["same_district"], row["within_city"], row["cross_city"], row["total"]) == (
        100,
        150,
        50,
        200,
    )
    assert row["cross_city_share"] == 0.25
    assert row["cross_city_share_between_districts"] == 0.5
    pairs = shares.pairs.set_index(["origin_city", "destination_city"])
    assert pairs.loc[("430100", "430100"), "flows"] == 150
    assert pairs.loc[("430100", "430200"), "share_of_total"] == 0.15
    assert pairs.loc[("430100", "430200"), "share_of_origin"] == pytest.approx(30 / 180)
    assert pairs.loc[("430200", "430300"), "destination_city_name"] == "湘潭市"
    d = shares.to_dict()
    assert d["overall"][0]["time"] == "2024-01-01" and d["overall"][0]["cross_city"] == 50
    assert city_shares(frame, by=()).overall["cross_city_share"].tolist() == [0.25]


def test_pair_intensity_by_hand(frame):
    result = pair_intensity(frame)
    f = result.frame
    assert len(f) == 23 * 23 and f["flows"].sum() == 200
    row = f[(f["origin"] == 430102) & (f["destination"] == 430211)].iloc[0]
    assert row["per_10k_origin"] == pytest.approx(30 / 642_010 * 1e4)
    assert row["relative"] == pytest.approx(0.15 / (642_010 * 478_309 / CZT_POPULATION**2))
    assert (row["origin_name"], row["destination_name"]) == ("芙蓉区", "天元区")
    top = result.top(1)
    # 0.15 / 642 010 just beats 0.10 / 429 707 (the other cross-city pair)
    assert top[["origin", "destination"]].values.tolist() == [[430102, 430211]]


def _border_data(tmp_path, **kw) -> tuple[SynthParams, object]:
    params = SynthParams(rows=1_000_000, chunk_rows=500_000, **kw)
    synthesize(tmp_path, params)
    return params, aggregate(tmp_path, AggregateSpec(time="quarter", period="day"))


def test_border_effect_recovers_the_generators_border(tmp_path):
    """Border 3.0 → 2.0 over 2023–2024, σ = 0.1 pair×month noise, 10⁶ records.

    Tolerance: each quarter's exp(−β) within 12 % of the true factor (the 95 % intervals are
    about ±11 %); the trend's interval covers the true slope; distance elasticity and the
    same-district effect within 0.05 of the generator's.
    """
    params, agg = _border_data(tmp_path, seed=3, home=2.0, distance_decay=1.4)
    result = border_effect(agg)
    truth = true_border(params, "quarter")
    assert result.periods["label"].tolist() == [
        f"{y}Q{q}" for y in (2023, 2024) for q in range(1, 5)
    ]
    rel = result.periods["ratio"].to_numpy() / truth.to_numpy() - 1
    assert np.abs(rel).max() < 0.12, rel
    slope = np.log(3.0 / 2.0) / (23 / 12)  # β rises by this much a year
    assert result.trend.covers(slope), result.trend
    assert result.trend.ci_low > 0  # integration is detected
    assert result.distance.beta == pytest.approx(-1.4, abs=0.05)
    assert result.same_district.beta == pytest.approx(np.log(2.0), abs=0.05)
    assert result.pooled.ratio == pytest.approx(np.exp(np.log(truth).mean()), rel=0.05)
    assert result.n_pairs == 529 and result.n_obs == 529 * 8


def test_no_border_effect_gives_an_interval_covering_zero(tmp_path):
    _, agg = _border_data(tmp_path, seed=4, border_start=1.0, border_end=1.0)
    result = border_effect(agg)
    assert result.pooled.covers(0.0), result.pooled
    assert abs(result.pooled.ratio - 1) < 0.05
    assert result.trend.covers(0.0), result.trend


def test_flow_metrics_bundle_to_dict(synthetic_dir):
    agg = aggregate(synthetic_dir, AggregateSpec(time="year", period="day"))
    d = flow_metrics(agg).to_dict()
    assert [p["label"] for p in d["border"]["periods"]] == ["2023", "2024"]
    assert [o["time"] for o in d["shares"]["overall"]] == ["2023-01-01", "2024-01-01"]
    assert sum(o["total"] for o in d["shares"]["overall"]) == int(agg.frame["flows"].sum())
    assert d["border"]["pooled"]["ratio"] > 1.5
