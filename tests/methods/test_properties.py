"""Property-based tests of the analytics methods: identities and invariances that must hold
for every valid input, not only for the worked examples of the other test modules.

Inputs are generated, not hand-picked: 3–30 units × 2–8 indicators of floats in
[0.01, 1e6] (zeros as well where the method allows them). Columns have distinct values,
because min-max normalisation rejects constant columns; where a method accepts constant
columns (raw entropy shares, TOPSIS with given weights) they are drawn too. The hypothesis
profile (derandomised, no example database) is set in ``conftest.py`` so that CI runs the
same examples every time. The examples these tests found are kept with ``@example``.

Tolerances are stated per test. Most identities hold to rounding only; as a rule a sum of
at most 30 terms is compared with ``rel=1e-12`` plus an absolute floor of 1e-12 (a total
near 0, such as the Theil index of nearly equal values, has no meaningful relative error).

Scale invariance is tested in two ways. With a factor c = 2**k every product c·x is exact,
so a method whose arithmetic is scale-free gives the very same bits and its ranks can be
compared exactly (ties included). With an arbitrary c > 0 the results agree to rounding
only; those tests need columns whose range is not tiny compared with their values, since
min-max and similar steps divide by the range and so magnify rounding errors.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from czt.methods.composite import composite_index
from czt.methods.coupling import coupling_coordination
from czt.methods.disparity import coefficient_of_variation, ge2, gini, gini_decomposition, theil
from czt.methods.entropy import entropy_weights
from czt.methods.linkage import linkage_strength
from czt.methods.topsis import topsis

MAX_UNITS = 30
UNITS = [f"U{i:02d}" for i in range(MAX_UNITS)]
LOW, HIGH = 0.01, 1e6

# Sums of up to 30 rounded terms: the worst error seen in the decompositions was 2e-15
# (GE(2) of 30 units), so 1e-12 leaves a wide margin and is still far below the error of
# any wrong formula.
SUM_REL = 1e-12
SUM_ABS = 1e-12
# Results of the same method on data scaled by an arbitrary c (not a power of two): every
# input cell moves by one rounding, magnified at most ~1/MIN_SPREAD by range divisions.
SCALED_ABS = 1e-9
MIN_SPREAD = 1e-3  # (max − min) / max of a column in the arbitrary-c tests

values = st.floats(min_value=LOW, max_value=HIGH)
power_of_two = st.integers(min_value=-10, max_value=10).map(lambda k: 2.0**k)
any_factor = st.floats(min_value=1e-3, max_value=1e3)


def _spread(column: list[float]) -> float:
    return (max(column) - min(column)) / max(column)


@st.composite
def indicator_frames(
    draw: st.DrawFn,
    *,
    min_units: int = 3,
    min_columns: int = 2,
    max_columns: int = 8,
    min_spread: float = 0.0,
    even: bool = False,
) -> pd.DataFrame:
    """A wide frame (index = unit id) of positive indicators with distinct values in each
    column (none constant), unless ``even``: then every column but the first may also be
    constant or a few ulps apart, which the raw entropy variant accepts (entropy ≈ 1)."""
    n = draw(st.integers(min_value=min_units, max_value=MAX_UNITS))
    m = draw(st.integers(min_value=min_columns, max_value=max_columns))
    distinct = st.lists(values, min_size=n, max_size=n, unique=True)
    if min_spread > 0 or even:  # with even columns, x0 keeps the weights defined
        first = distinct.filter(lambda v: _spread(v) >= max(min_spread, MIN_SPREAD))
    else:
        first = distinct
    if min_spread > 0:
        distinct = distinct.filter(lambda v: _spread(v) >= min_spread)
    others = st.one_of(distinct, _even_columns(n)) if even else distinct
    data = {f"x{j}": draw(first if j == 0 else others) for j in range(m)}
    return pd.DataFrame(data, index=pd.Index(UNITS[:n], name="unit"))


def _even_columns(n: int) -> st.SearchStrategy[list[float]]:
    """Constant columns, and columns b, b + s·ulp(b), b + 2s·ulp(b), …: shares p_ij of
    nearly 1/n, so that the entropy is 1 up to rounding."""
    constant = values.map(lambda b: [b] * n)
    nearly = st.tuples(values, st.integers(min_value=1, max_value=4)).map(
        lambda t: [t[0] + i * t[1] * math.ulp(t[0]) for i in range(n)]
    )
    return st.one_of(constant, nearly)


def _subset(draw: st.DrawFn, columns: list[str]) -> list[str]:
    return draw(st.lists(st.sampled_from(columns), unique=True, max_size=len(columns)))


def _scaled(frame: pd.DataFrame, column: str, factor: float) -> pd.DataFrame:
    out = frame.copy()
    out[column] = out[column] * factor
    return out


def _close(total: float) -> object:
    return pytest.approx(total, rel=SUM_REL, abs=SUM_ABS)


# --------------------------------------------------------------------------- entropy


@dataclass(frozen=True)
class EntropyCase:
    frame: pd.DataFrame
    options: dict[str, object]


@st.composite
def entropy_cases(
    draw: st.DrawFn, *, variants: tuple[str, ...] = ("minmax", "raw"), min_spread: float = 0.0
) -> EntropyCase:
    """A frame and a valid combination of variant, cost columns, cost transform and shift;
    the raw variant also gets constant and nearly constant columns, which it accepts."""
    variant = draw(st.sampled_from(variants))
    frame = draw(indicator_frames(min_spread=min_spread, even=variant == "raw"))
    options: dict[str, object] = {
        "variant": variant,
        "cost": _subset(draw, list(frame.columns)),
        "cost_transform": draw(st.sampled_from(["reflect", "reciprocal", "none"])),
        # the shift is added after min-max (so it stays scale-free) but to the raw data in
        # the raw variant, where it is not scale-free by design: 0 there
        "shift": draw(st.sampled_from([0.0, 1e-4, 0.01])) if variant == "minmax" else 0.0,
    }
    return EntropyCase(frame, options)


# found by this test: the entropy of a constant column came out at 1 + 4e-16 in the raw
# variant, so its weight was −4.9e-15
CONSTANT_COLUMN = pd.DataFrame(
    {"x0": [*range(1, 23), 1.5, 0.5, 0.75, 0.25], "x1": [1.0] * 26},
    index=pd.Index(UNITS[:26], name="unit"), dtype=float,
)


@settings(max_examples=100, deadline=None)
@given(entropy_cases())
@example(EntropyCase(CONSTANT_COLUMN, {"variant": "raw", "cost": [], "shift": 0.0}))
def test_entropy_weights_are_non_negative_and_sum_to_one(case: EntropyCase) -> None:
    """w_j = d_j / Σ d_k with d_j = 1 − e_j ≥ 0 (entropy is at most ln n / ln n = 1)."""
    result = entropy_weights(case.frame, **case.options)
    w = result.weights.to_numpy()
    assert np.all(w >= 0), result.table
    assert w.sum() == pytest.approx(1.0, abs=1e-12)  # 8 terms of at most 1
    e = result.table["entropy"].to_numpy()
    assert np.all((e >= 0) & (e <= 1)), result.table


@settings(max_examples=100, deadline=None)
@given(entropy_cases(variants=("minmax",), min_spread=MIN_SPREAD), st.data())
def test_entropy_weights_invariant_to_scaling_a_column(
    case: EntropyCase, data: st.DataObject
) -> None:
    """Min-max normalisation removes the unit of each indicator, so multiplying a column
    by any c > 0 leaves every weight unchanged (to rounding: SCALED_ABS)."""
    column = data.draw(st.sampled_from(list(case.frame.columns)), label="column")
    factor = data.draw(any_factor, label="factor")
    base = entropy_weights(case.frame, **case.options).weights
    scaled = entropy_weights(_scaled(case.frame, column, factor), **case.options).weights
    np.testing.assert_allclose(scaled.to_numpy(), base.to_numpy(), rtol=0, atol=SCALED_ABS)


@settings(max_examples=100, deadline=None)
@given(entropy_cases(variants=("raw",)), st.data())
def test_raw_entropy_weights_invariant_to_scaling_a_column(
    case: EntropyCase, data: st.DataObject
) -> None:
    """The raw variant uses shares p_ij = x_ij / Σ_i x_ij, free of the column's unit too.
    Here d_j = 1 − e_j is ~1e-16 or 0 for a (nearly) even column, so an arbitrary c would
    move the weights by far more than its own rounding; with c = 2**k the shares are
    the same bits, and so must the weights be."""
    column = data.draw(st.sampled_from(list(case.frame.columns)), label="column")
    factor = data.draw(power_of_two, label="factor")
    base = entropy_weights(case.frame, **case.options).weights
    scaled = entropy_weights(_scaled(case.frame, column, factor), **case.options).weights
    np.testing.assert_array_equal(scaled.to_numpy(), base.to_numpy())


# --------------------------------------------------------------------------- TOPSIS


@dataclass(frozen=True)
class TopsisCase:
    frame: pd.DataFrame
    weights: str | list[float]
    cost: list[str]


@st.composite
def topsis_cases(draw: st.DrawFn, *, min_spread: float = 0.0) -> TopsisCase:
    """Entropy, equal or given weights; TOPSIS itself accepts constant columns, so they
    are drawn too unless entropy weights (min-max: they reject them) or a spread is asked."""
    m = draw(st.integers(min_value=2, max_value=8))
    given_weights = st.lists(st.floats(min_value=0.01, max_value=100.0), min_size=m, max_size=m)
    weights = draw(st.one_of(st.sampled_from(["entropy", "equal"]), given_weights))
    even = weights != "entropy" and min_spread == 0
    frame = draw(
        indicator_frames(min_columns=m, max_columns=m, min_spread=min_spread, even=even)
    )
    return TopsisCase(frame, weights, _subset(draw, list(frame.columns)))


@settings(max_examples=100, deadline=None)
@given(topsis_cases())
def test_topsis_closeness_in_unit_interval(case: TopsisCase) -> None:
    """C_i = d⁻ / (d⁺ + d⁻) with both distances ≥ 0 lies in [0, 1] (exactly: the rounded
    quotient a / b with b ≥ a > 0 cannot exceed 1); rank 1 goes to the largest C_i."""
    table = topsis(case.frame, weights=case.weights, cost=case.cost).table
    c = table["closeness"].to_numpy()
    assert np.all((c >= 0) & (c <= 1)), table
    assert np.all(table[["d_plus", "d_minus"]].to_numpy() >= 0)
    assert set(table.index[table["rank"] == 1]) == set(table.index[c == c.max()])


@settings(max_examples=100, deadline=None)
@given(topsis_cases(min_spread=MIN_SPREAD), st.data())
def test_topsis_closeness_invariant_to_scaling_a_column(
    case: TopsisCase, data: st.DataObject
) -> None:
    """Vector normalisation x / ||x|| removes the unit of each indicator (entropy weights
    too), so C_i does not move when a column is multiplied by c > 0 (to SCALED_ABS)."""
    column = data.draw(st.sampled_from(list(case.frame.columns)), label="column")
    factor = data.draw(any_factor, label="factor")
    base = topsis(case.frame, weights=case.weights, cost=case.cost).table["closeness"]
    scaled = topsis(_scaled(case.frame, column, factor), weights=case.weights, cost=case.cost)
    np.testing.assert_allclose(
        scaled.table["closeness"].to_numpy(), base.to_numpy(), rtol=0, atol=SCALED_ABS
    )


# --------------------------------------------------------------------------- composite


@dataclass(frozen=True)
class CompositeCase:
    frame: pd.DataFrame
    options: dict[str, object]


@st.composite
def composite_cases(
    draw: st.DrawFn, normalisation: str, *, min_spread: float = 0.0, pca: bool = True
) -> CompositeCase:
    """A frame and valid options for ``normalisation`` (geometric aggregation needs
    positive normalised values: min-max on [1, 100] or ranks, never z-scores).

    No outlier treatment: its fallback, ln(x − min + a), turns c·x into ln x + ln c, the
    same values after normalisation only up to rounding, so it would void the exactness
    that the rank test relies on (see there)."""
    frame = draw(indicator_frames(min_spread=min_spread))
    n, m = frame.shape
    weight_choices: list[object] = ["equal", "entropy"]
    if pca and n > m:
        weight_choices.append("pca")
    given_weights = st.lists(st.floats(min_value=0.01, max_value=100.0), min_size=m, max_size=m)
    aggregations = ["arithmetic"] if normalisation == "zscore" else ["arithmetic", "geometric"]
    aggregation = draw(st.sampled_from(aggregations))
    options: dict[str, object] = {
        "cost": _subset(draw, list(frame.columns)),
        "normalisation": normalisation,
        "minmax_range": (1.0, 100.0) if aggregation == "geometric" else (0.0, 100.0),
        "weights": draw(st.one_of(st.sampled_from(weight_choices), given_weights)),
        "aggregation": aggregation,
    }
    return CompositeCase(frame, options)


def _composite_table(frame: pd.DataFrame, options: dict[str, object]) -> pd.DataFrame:
    return composite_index(frame, list(frame.columns), **options).table  # type: ignore[arg-type]


@pytest.mark.parametrize("normalisation", ["minmax", "zscore", "rank"])
@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_composite_ranks_unchanged_by_scaling_an_indicator(
    normalisation: str, data: st.DataObject
) -> None:
    """Every normalisation (and the entropy and PCA weights) is free of the indicator's
    unit, so the ranks must not change when one indicator is multiplied by c > 0, cost
    or benefit, whatever the weights and the aggregation. Ranks are compared exactly, ties
    included: c = 2**k keeps every product exact, so that rounding can neither break nor
    make a tie (with an arbitrary c two nearly equal scores could swap, or two equal ranks
    of rank normalisation split, without any error in the method)."""
    case = data.draw(composite_cases(normalisation), label="case")
    column = data.draw(st.sampled_from(list(case.frame.columns)), label="column")
    factor = data.draw(power_of_two, label="factor")
    base = _composite_table(case.frame, case.options)
    scaled = _composite_table(_scaled(case.frame, column, factor), case.options)
    assert scaled["rank"].to_list() == base["rank"].to_list()


@pytest.mark.parametrize("normalisation", ["minmax", "zscore"])
@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_composite_scores_unchanged_by_any_positive_factor(
    normalisation: str, data: st.DataObject
) -> None:
    """The same for an arbitrary c > 0, on the scores (not the ranks, see above) and to
    rounding: rel 1e-9, and abs 1e-7 because entropy weights move by up to SCALED_ABS and
    multiply scores of up to 100. Rank normalisation is left to the test above: it is exact
    unless rounding merges two values. PCA weights are left out here: each indicator goes
    to the factor with its largest scaled squared loading, and at a tie (two pairs of
    identical indicators give 0.25 and 0.25) rounding decides, so the weights may jump."""
    case = data.draw(
        composite_cases(normalisation, min_spread=MIN_SPREAD, pca=False), label="case"
    )
    column = data.draw(st.sampled_from(list(case.frame.columns)), label="column")
    factor = data.draw(any_factor, label="factor")
    base = _composite_table(case.frame, case.options)["score"].to_numpy()
    scaled = _composite_table(_scaled(case.frame, column, factor), case.options)["score"]
    np.testing.assert_allclose(scaled.to_numpy(), base, rtol=1e-9, atol=1e-7)


# --------------------------------------------------------------------------- coupling


@dataclass(frozen=True)
class CouplingCase:
    frame: pd.DataFrame
    exponent: float | None
    coefficients: list[float] | None


@st.composite
def coupling_cases(draw: st.DrawFn) -> CouplingCase:
    """Subsystem scores in [0, 1] (0, 1 and equal scores included; a row must not be all
    0), the standard or any exponent k > 0, equal or given coefficients summing to 1."""
    n = draw(st.integers(min_value=1, max_value=MAX_UNITS))
    systems = draw(st.integers(min_value=2, max_value=6))
    score = st.one_of(st.sampled_from([0.0, 1.0, 0.5]), st.floats(min_value=0.0, max_value=1.0))
    row = st.lists(score, min_size=systems, max_size=systems).filter(lambda r: sum(r) > 0)
    rows = draw(st.lists(row, min_size=n, max_size=n))
    frame = pd.DataFrame(
        rows, columns=[f"s{j}" for j in range(systems)], index=pd.Index(UNITS[:n], name="unit")
    )
    exponent = draw(st.one_of(st.none(), st.floats(min_value=0.05, max_value=5.0)))
    raw = draw(st.one_of(st.none(), st.lists(
        st.floats(min_value=0.01, max_value=1.0), min_size=systems, max_size=systems)))
    coefficients = None if raw is None else [a / sum(raw) for a in raw]
    return CouplingCase(frame, exponent, coefficients)


# found by this test: Π U and (mean U)^n both underflowed to 0, C = 0/0 = NaN, classed as
# level 10 (high-quality coordination)
TINY_SCORES = pd.DataFrame(
    {"s0": [0.0], "s1": [3.931435e-199]}, index=pd.Index(["U00"], name="unit")
)


@settings(max_examples=100, deadline=None)
@given(coupling_cases())
@example(CouplingCase(TINY_SCORES, None, None))
def test_coupling_c_t_and_d_in_unit_interval(case: CouplingCase) -> None:
    """C ≤ 1 by the AM–GM inequality, T ≤ max U ≤ 1 (a weighted mean), so D = sqrt(C·T) is
    in [0, 1] too; the published classes cover exactly [0, 1], so the level is 1–10."""
    table = coupling_coordination(
        case.frame, exponent=case.exponent, coefficients=case.coefficients
    ).table
    for name in ("C", "T", "D"):
        assert np.all((table[name] >= 0) & (table[name] <= 1)), table
    assert table["level"].between(1, 10).all()


# --------------------------------------------------------------------------- disparity


@dataclass(frozen=True)
class GroupedValues:
    y: np.ndarray
    weights: np.ndarray | None
    groups: np.ndarray


@st.composite
def grouped_values(draw: st.DrawFn, *, weighted: bool | None = None) -> GroupedValues:
    """Non-negative values (zeros allowed: 0·ln 0 = 0), positive total, in 1–5 groups,
    unweighted or with positive weights (e.g. population)."""
    n = draw(st.integers(min_value=2, max_value=MAX_UNITS))
    value = st.one_of(st.just(0.0), values)
    y = draw(st.lists(value, min_size=n, max_size=n).filter(lambda v: sum(v) > 0))
    groups = draw(st.lists(st.sampled_from(["A", "B", "C", "D", "E"]), min_size=n, max_size=n))
    if weighted is None:
        weighted = draw(st.booleans())
    w = draw(st.lists(values, min_size=n, max_size=n)) if weighted else None
    return GroupedValues(
        np.array(y), None if w is None else np.array(w), np.array(groups, dtype=object)
    )


@settings(max_examples=100, deadline=None)
@given(grouped_values())
def test_theil_between_plus_within_is_total(case: GroupedValues) -> None:
    """Shorrocks' decomposition of Theil T is exact: between + within = total."""
    r = theil(case.y, case.weights, case.groups)
    assert r.between + r.within == _close(r.total)
    assert r.between >= -SUM_ABS and r.within >= -SUM_ABS  # each a Kullback–Leibler term


@settings(max_examples=100, deadline=None)
@given(grouped_values())
def test_ge2_between_plus_within_is_total(case: GroupedValues) -> None:
    """GE(2) = CV²/2 decomposes exactly: between + within = total."""
    r = ge2(case.y, case.weights, case.groups)
    assert r.between + r.within == _close(r.total)


# found by this test: two equal values with weights 1 and 32767 gave a within-group Gini
# (and a within part) of −7.4e-17
UNEQUAL_WEIGHTS = GroupedValues(
    np.array([1.0, 1.0, 0.75, 1.0, 0.0, 1.0, 0.75]),
    np.array([1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 3.276701e04]),
    np.array(list("AACABAC"), dtype=object),
)


@settings(max_examples=100, deadline=None)
@given(grouped_values())
@example(UNEQUAL_WEIGHTS)
def test_dagum_parts_add_up_to_gini(case: GroupedValues) -> None:
    """Dagum (1997): within + net between + transvariation = Gini, every part ≥ 0 and every
    relative affluence D_jh in [0, 1]."""
    r = gini_decomposition(case.y, case.groups, case.weights)
    assert r.within + r.net_between + r.transvariation == _close(r.total)
    assert min(r.within, r.net_between, r.transvariation) >= 0
    d = r.pairs["relative_affluence"].to_numpy()
    assert np.all((d >= 0) & (d <= 1)), r.pairs


Measure = Callable[[np.ndarray, np.ndarray | None], float]
MEASURES: dict[str, Measure] = {
    "theil": lambda y, w: theil(y, w).total,
    "gini": lambda y, w: gini(y, w),
    "cv": lambda y, w: coefficient_of_variation(y, w),
    "ge2": lambda y, w: ge2(y, w).total,
}


@pytest.mark.parametrize("measure", sorted(MEASURES))
@settings(max_examples=100, deadline=None)
@given(case=grouped_values(), factor=any_factor)
def test_inequality_is_scale_invariant(
    measure: str, case: GroupedValues, factor: float
) -> None:
    """Relative inequality measures do not depend on the currency: multiplying every value
    by c > 0 leaves them unchanged (to rounding; they are ratios of sums of up to 30 terms,
    so rel 1e-9 with an absolute floor for values near 0)."""
    f = MEASURES[measure]
    assert f(case.y * factor, case.weights) == pytest.approx(
        f(case.y, case.weights), rel=1e-9, abs=1e-12
    )


@settings(max_examples=100, deadline=None)
@given(grouped_values(weighted=False))
def test_unweighted_theil_and_gini_bounds(case: GroupedValues) -> None:
    """0 ≤ T ≤ ln N (all in one unit) and 0 ≤ G ≤ 1 − 1/N, up to rounding (SUM_ABS): equal
    values give T = Σ (1/N) ln(N · 1/N), which rounds to about ±1e-16 rather than 0."""
    n = len(case.y)
    t, g = theil(case.y).total, gini(case.y)
    assert -SUM_ABS <= t <= math.log(n) + SUM_ABS
    assert -SUM_ABS <= g <= 1 - 1 / n + SUM_ABS


# --------------------------------------------------------------------------- linkage


@dataclass(frozen=True)
class LinkageCase:
    frame: pd.DataFrame
    distances: pd.DataFrame
    exponent: float


@st.composite
def linkage_cases(draw: st.DrawFn) -> LinkageCase:
    """Positive population and GDP, a symmetric matrix of positive distances (diagonal
    ignored by the method) and a decay exponent b in [0, 3]."""
    n = draw(st.integers(min_value=2, max_value=MAX_UNITS))
    units = UNITS[:n]
    frame = pd.DataFrame(
        {
            "pop": draw(st.lists(values, min_size=n, max_size=n)),
            "gdp": draw(st.lists(values, min_size=n, max_size=n)),
        },
        index=pd.Index(units, name="unit"),
    )
    upper = draw(st.lists(
        st.floats(min_value=0.1, max_value=1e4), min_size=n * (n - 1) // 2,
        max_size=n * (n - 1) // 2,
    ))
    d = np.zeros((n, n))
    d[np.triu_indices(n, k=1)] = upper
    d = d + d.T
    distances = pd.DataFrame(d, index=units, columns=units)
    return LinkageCase(frame, distances, draw(st.floats(min_value=0.0, max_value=3.0)))


@settings(max_examples=100, deadline=None)
@given(linkage_cases())
def test_linkage_membership_rows_sum_to_one(case: LinkageCase) -> None:
    """F_ij = R_ij / Σ_j R_ij: each unit's memberships sum to 1 and the shares of all
    units in the total linkage sum to 1 (sums of ≤ 30 terms: SUM_REL); with symmetric
    distances R_ij = R_ji exactly (the same two products and quotient, in either order)."""
    r = linkage_strength(
        case.frame, population="pop", gdp="gdp", distances=case.distances,
        exponent=case.exponent,
    )
    membership = r.membership.to_numpy()
    np.testing.assert_allclose(np.nansum(membership, axis=1), 1.0, rtol=SUM_REL, atol=0)
    off = ~np.eye(len(membership), dtype=bool)
    assert np.all((membership[off] >= 0) & (membership[off] <= 1))
    assert r.totals["share"].sum() == pytest.approx(1.0, rel=SUM_REL, abs=0)
    strength = r.strength.to_numpy()
    np.testing.assert_array_equal(strength[off], strength.T[off])
