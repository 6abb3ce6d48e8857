"""Composite index pipeline: hand examples for each step, PCA weights on known structure,
reproducible Monte Carlo rank intervals."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from czt.methods.composite import composite_index, pca_weights, winsorize
from czt.methods.inputs import MethodInputError, read_wide_csv

# a benefit: 1, 2, 5 -> min-max 0, 25, 100;  b cost: 10, 20, 30 -> 100, 50, 0
FRAME = pd.DataFrame(
    {"a": [1.0, 2.0, 5.0], "b": [10.0, 20.0, 30.0]}, index=pd.Index(list("PQR"), name="unit")
)


def test_minmax_arithmetic_by_hand() -> None:
    r = composite_index(FRAME, cost=["b"], weights=[0.75, 0.25])
    # P: 0.75·0 + 0.25·100 = 25;  Q: 0.75·25 + 0.25·50 = 31.25;  R: 75
    assert r.table["score"].to_list() == pytest.approx([25.0, 31.25, 75.0], abs=1e-12)
    assert r.table["rank"].to_list() == [3, 2, 1]
    equal = composite_index(FRAME, cost=["b"])
    assert equal.table["score"].to_list() == pytest.approx([50.0, 37.5, 50.0], abs=1e-12)
    assert equal.table["rank"].to_list() == [1, 3, 1]  # ties share the best rank


def test_geometric_on_1_100_by_hand() -> None:
    # a: 1 + 99·(0, .25, 1) = 1, 25.75, 100;  b: 100, 50.5, 1;  equal weights: sqrt(a·b)
    r = composite_index(FRAME, cost=["b"], minmax_range=(1, 100), aggregation="geometric")
    assert r.table["score"].to_list() == pytest.approx(
        [10.0, math.sqrt(25.75 * 50.5), 10.0], abs=1e-12
    )
    with pytest.raises(MethodInputError, match="minmax_range"):
        composite_index(FRAME, cost=["b"], aggregation="geometric")


def test_zscore_and_rank_normalisation() -> None:
    z = composite_index(FRAME, normalisation="zscore", weights=[1, 0])
    a = FRAME["a"].to_numpy()
    assert z.table["score"].to_list() == pytest.approx(
        ((a - a.mean()) / a.std(ddof=1)).tolist(), abs=1e-12
    )
    ranked = composite_index(FRAME, cost=["b"], normalisation="rank")
    # ranks a: 1, 2, 3; b (cost): 3, 2, 1 -> every unit scores 2
    assert ranked.table["score"].to_list() == pytest.approx([2.0, 2.0, 2.0], abs=1e-15)


def test_mean_imputation_is_listed(write_csv) -> None:
    frame = read_wide_csv(write_csv("unit,a,b\nP,1,10\nQ,,20\nR,5,30\nS,3,25\n"))
    with pytest.raises(MethodInputError) as info:
        composite_index(frame)
    assert (info.value.key, info.value.row, info.value.column) == ("missing_value", 3, "a")
    r = composite_index(frame, impute_with="mean")
    assert r.imputed.to_dict("records") == [{"unit": "Q", "indicator": "a", "value": 3.0}]
    median = composite_index(frame, impute_with="median")
    assert median.imputed["value"].to_list() == [3.0]


def test_winsorize_follows_the_skew_kurtosis_rule() -> None:
    v = np.array([1, 2, 3, 4, 5, 6, 7, 8, 9, 100.0])
    assert stats.skew(v, bias=False) > 2 and stats.kurtosis(v, bias=False) > 3.5
    treated, changed, met = winsorize(v)
    assert (changed, met) == (1, True)
    assert treated.tolist() == [1, 2, 3, 4, 5, 6, 7, 8, 9, 9]
    untouched, changed, met = winsorize(np.arange(10.0))
    assert (changed, met) == (0, True) and untouched.tolist() == list(range(10))
    capped, changed, met = winsorize(np.array([1.0] * 20 + [1e6, 1e7]), max_points=1)
    assert (changed, met) == (1, False)


def test_pca_weights_one_factor_is_equal() -> None:
    a = np.array([1.0, 4.0, 2.0, 8.0, 5.0, 7.0])
    w, details = pca_weights(np.column_stack([a, 2 * a, 3 * a + 1]))
    assert w.tolist() == pytest.approx([1 / 3] * 3, abs=1e-12)
    assert details["factor"].to_list() == [1, 1, 1]


def test_pca_weights_two_blocks_after_varimax() -> None:
    # a and b centred and orthogonal: correlation matrix is block diagonal, eigenvalues 2, 2
    a = np.array([1.0, -1.0, 1.0, -1.0, 0.0, 0.0])
    b = np.array([1.0, 1.0, -1.0, -1.0, 0.0, 0.0])
    w, details = pca_weights(np.column_stack([a, 2 * a, b, 3 * b]))
    assert w.tolist() == pytest.approx([0.25] * 4, abs=1e-8)
    factors = details["factor"].to_list()
    assert factors[0] == factors[1] and factors[2] == factors[3] and factors[0] != factors[2]


def test_entropy_and_pca_weights_in_pipeline() -> None:
    rng = np.random.default_rng(5)
    frame = pd.DataFrame(rng.lognormal(size=(10, 3)), columns=["x", "y", "z"])
    r = composite_index(frame, weights="entropy", cost=["z"])
    assert r.indicators["weight"].sum() == pytest.approx(1.0)
    r = composite_index(frame, weights="pca")
    assert "pca_factor" in r.indicators
    with pytest.raises(MethodInputError, match="PCA"):
        composite_index(frame.iloc[:3], weights="pca")


def test_monte_carlo_rank_intervals_are_reproducible() -> None:
    rng = np.random.default_rng(11)
    frame = pd.DataFrame(rng.uniform(1, 10, size=(8, 4)), columns=list("abcd"))
    frame.loc[0] = 20.0  # unit 0 is best on every indicator: rank 1 in every run
    one = composite_index(frame, runs=300, seed=123)
    two = composite_index(frame, runs=300, seed=123)
    pd.testing.assert_frame_equal(one.table, two.table)
    assert one.table.loc[0, ["rank", "rank_p05", "rank_p95"]].to_list() == [1, 1, 1]
    assert (one.table["rank_p05"] <= one.table["rank_p95"]).all()
    assert one.runs == 300 and one.to_dict()["settings"]["seed"] == 123


def test_pca_weights_identical_indicators_tie() -> None:
    # two pairs of identical columns: their scaled squared loadings tie at 0.25 on two
    # factors; both members of a pair must get the same factor and weight, also after one
    # column is multiplied by 3 (a counter-example found by the property tests)
    x0 = [2.0, 12.0, 1.5, 3.0, 1.0]
    x2 = [0.75, 2.0, 0.5, 3.0, 1.0]
    x = np.column_stack([x0, x0, x2, x2])
    w, details = pca_weights(x)
    assert w.tolist() == pytest.approx([0.25] * 4, abs=1e-12)
    x[:, 3] *= 3
    assert pca_weights(x)[0].tolist() == pytest.approx(w.tolist(), abs=1e-12)
