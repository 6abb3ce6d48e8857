"""Uncertainty and sensitivity of the composite index: the vectorised replications equal the
one-at-a-time pipeline, and SALib's Sobol estimates match the exact variance decomposition
of our own output enumerated over every combination of choices."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest

from czt.methods.composite import AGGREGATE, Spec, composite_index, group_ranks
from czt.methods.composite_framework import Framework
from czt.methods.composite_uncertainty import (
    Evaluator,
    Space,
    loop_ranks,
    random_draws,
    sobol_indices,
)
from czt.methods.errors import MethodInputError


def _panel(seed: int, n: int = 30, k: int = 6) -> tuple[Spec, np.ndarray]:
    rng = np.random.default_rng(seed)
    raw = rng.lognormal(size=(n, k))
    raw[rng.random((n, k)) < 0.05] = np.nan
    cols = [f"x{j}" for j in range(k)]
    fw = Framework.flat(cols, ["x1"])
    two = Framework(fw.name_zh, fw.name_en, (
        fw.dimensions[0].__class__("d1", "一", "one", 2.0, fw.indicators[:4]),
        fw.dimensions[0].__class__("d2", "二", "two", 1.0, fw.indicators[4:]),
    ))
    groups = np.repeat([2020, 2021], n // 2)
    return Spec(two, raw, groups, "winsorize", 5, (0.0, 100.0),
                frame_index=pd.Index(range(n))), groups


def test_vectorised_replications_equal_the_loop() -> None:
    spec, _ = _panel(3)
    space = Space.around("mean", "minmax", "entropy", 0.3)
    draws = random_draws(space, 6, 200, np.random.default_rng(8))
    # every combination of choices occurs, so every branch of the evaluator is exercised
    combos = {(int(a), int(b), int(c), int(d)) for a, b, c, d in
              zip(draws.impute, draws.norm, draws.agg, draws.scheme, strict=True)}
    # impute 2 × normalisation 3 × aggregation 2 × weighting 2, less z-score geometric
    assert len(combos) == 2 * 3 * 2 * 2 - 2 * 2
    fast = Evaluator(spec, space).ranks(draws)
    slow = loop_ranks(spec, space, draws)
    np.testing.assert_array_equal(fast, slow)  # exact: same ranks in every replication
    assert fast.min() == 1 and fast.max() == 15  # ranks within each year of 15 rows


def test_rank_intervals_reproducible_and_sensible() -> None:
    rng = np.random.default_rng(11)
    frame = pd.DataFrame(rng.uniform(1, 10, size=(8, 4)), columns=list("abcd"))
    frame.loc[0] = 20.0  # best on every indicator: rank 1 in every replication
    one = composite_index(frame, runs=1000, seed=5)
    two = composite_index(frame, runs=1000, seed=5)
    pd.testing.assert_frame_equal(one.table, two.table)
    assert one.table.loc[0, ["rank", "rank_median", "rank_p05", "rank_p95"]].to_list() == [
        1, 1, 1, 1]
    assert (one.table["rank_p05"] <= one.table["rank_median"]).all()
    assert (one.table["rank_median"] <= one.table["rank_p95"]).all()


def _exact_indices(spec: Spec, space: Space, nominal: np.ndarray) -> pd.DataFrame:
    """S1 and ST by enumerating the finite grid of (normalisation, aggregation, weighting)
    with no weight noise: S1_f = Var(E[Y|f]) / Var(Y), ST_f = E[Var(Y|others)] / Var(Y)."""
    shape = (len(space.norms), len(AGGREGATE), len(space.schemes))
    y = np.empty(shape)
    for n, a, s in itertools.product(*map(range, shape)):
        agg = "arithmetic" if space.norms[n] == "zscore" else AGGREGATE[a]
        score = spec.scores("none", space.norms[n], agg, space.schemes[s],
                            minmax_range=(1.0, 100.0))
        y[n, a, s] = np.abs(group_ranks(score, spec.groups) - nominal).mean()
    var = y.var()
    out = {}
    for axis, name in enumerate(["normalisation", "aggregation", "weighting"]):
        others = tuple(i for i in range(3) if i != axis)
        s1 = y.mean(axis=others).var() / var
        st = y.var(axis=axis).mean() / var
        out[name] = (s1, st)
    return pd.DataFrame(out, index=["S1", "ST"]).T


def test_sobol_matches_the_exact_decomposition() -> None:
    rng = np.random.default_rng(21)
    raw = rng.lognormal(sigma=1.0, size=(25, 5))
    fw = Framework.flat([f"x{j}" for j in range(5)], ["x2"])
    spec = Spec(fw, raw, np.zeros(25, dtype=int), "none", 5, (0.0, 100.0),
                frame_index=pd.Index(range(25)))
    space = Space.around("none", "minmax", "equal", 0.0)
    assert space.factors() == ["normalisation", "aggregation", "weighting"]
    nominal = group_ranks(spec.scores("none", "minmax", "arithmetic", "equal"), spec.groups)
    exact = _exact_indices(spec, space, nominal)
    est = sobol_indices(spec, space, 4096, nominal, seed=2).set_index("factor")
    assert est.attrs["runs"] == 4096 * 5
    # Monte Carlo estimates: absolute tolerance 0.03 at N = 4096 (bootstrap 95 % half-widths
    # are about 0.01 here); the exact values differ between factors by far more than that
    for name in exact.index:
        assert est.loc[name, "S1"] == pytest.approx(exact.loc[name, "S1"], abs=0.03)
        assert est.loc[name, "ST"] == pytest.approx(exact.loc[name, "ST"], abs=0.03)
    assert exact.loc["normalisation", "ST"] > 0.1  # the check is not vacuous


def test_sobol_through_composite_index() -> None:
    rng = np.random.default_rng(4)
    frame = pd.DataFrame(rng.lognormal(size=(40, 5)), columns=list("abcde"))
    r = composite_index(frame, weights="entropy", sobol=256, seed=9)
    s = r.sensitivity
    assert s["factor"].to_list() == ["normalisation", "aggregation", "weighting",
                                     "weights_noise"]
    assert r.settings["sobol_runs"] == 256 * 6
    again = composite_index(frame, weights="entropy", sobol=256, seed=9).sensitivity
    pd.testing.assert_frame_equal(s, again)
    with pytest.raises(MethodInputError, match="2 的幂"):
        composite_index(frame, sobol=1000)


def test_no_variation_gives_zero_indices() -> None:
    # one unit dominates another dominates the third on every indicator: ranks never move
    frame = pd.DataFrame({"a": [3.0, 2, 1], "b": [30.0, 20, 10]})
    s = composite_index(frame, sobol=64, seed=1).sensitivity
    assert s[["S1", "ST"]].to_numpy().tolist() == [[0.0, 0.0]] * 4
