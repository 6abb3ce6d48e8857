"""Disparity measures: hand-worked values, PySAL agreement, exact decomposition."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from inequality.gini import Gini
from inequality.theil import Theil, TheilD

from czt.methods.disparity import (
    coefficient_of_variation,
    disparity,
    ge2,
    gini,
    gini_decomposition,
    primacy,
    theil,
)
from czt.methods.inputs import MethodInputError, read_wide_csv


def test_theil_three_units_by_hand_and_pysal() -> None:
    # y = 1, 2, 3: s = 1/6, 1/3, 1/2; T = Σ s ln(3 s) = 1/6 ln 0.5 + 1/3 ln 1 + 1/2 ln 1.5
    by_hand = (1 / 6) * math.log(0.5) + 0.5 * math.log(1.5)
    assert by_hand == pytest.approx(0.0872080, abs=1e-7)  # -0.1155245 + 0.2027326
    result = theil([1.0, 2.0, 3.0])
    assert result.total == pytest.approx(by_hand, abs=1e-15)
    assert result.total == pytest.approx(float(Theil(np.array([1.0, 2.0, 3.0])).T), abs=1e-12)
    assert result.between is None and result.groups is None


def test_weighted_theil_two_units_by_hand() -> None:
    # per-capita y = 4, 2 with population 1, 3: Y = 4, 6; s = 0.4, 0.6; q = 0.25, 0.75
    # T = 0.4 ln(0.4/0.25) + 0.6 ln(0.6/0.75) = 0.1880015 - 0.1338861
    result = theil([4.0, 2.0], weights=[1.0, 3.0])
    assert result.weighted
    assert result.total == pytest.approx(0.4 * math.log(1.6) + 0.6 * math.log(0.8), abs=1e-15)
    assert result.total == pytest.approx(0.0541153, abs=1e-7)
    # equal per-capita values: no inequality whatever the weights
    assert theil([2.0, 2.0, 2.0], weights=[1.0, 5.0, 9.0]).total == pytest.approx(0.0, abs=1e-15)


def test_unweighted_decomposition_matches_pysal_theild() -> None:
    rng = np.random.default_rng(20240601)
    y = rng.lognormal(11.0, 0.4, size=23)
    groups = np.array(["430100"] * 9 + ["430200"] * 8 + ["430300"] * 6)
    ours = theil(y, groups=groups)
    pysal = TheilD(y, groups)
    assert ours.total == pytest.approx(float(pysal.T), abs=1e-12)
    assert ours.between == pytest.approx(float(np.squeeze(pysal.bg)), abs=1e-12)
    assert ours.within == pytest.approx(float(np.squeeze(pysal.wg)), abs=1e-12)


@pytest.mark.parametrize("weighted", [False, True])
def test_decomposition_adds_up_exactly(weighted: bool) -> None:
    rng = np.random.default_rng(7)
    y = rng.lognormal(10.0, 0.6, size=40)
    w = rng.uniform(10, 200, size=40) if weighted else None
    groups = rng.choice(["长沙", "株洲", "湘潭"], size=40)
    result = theil(y, weights=w, groups=groups)
    assert result.between + result.within == pytest.approx(result.total, abs=1e-12)
    table = result.groups
    assert table["within_contribution"].sum() == pytest.approx(result.within, abs=1e-15)
    assert table["value_share"].sum() == pytest.approx(1.0, abs=1e-12)
    assert table["weight_share"].sum() == pytest.approx(1.0, abs=1e-12)
    assert int(table["units"].sum()) == 40


def test_zero_value_uses_zero_log_zero_convention() -> None:
    # y = 0, 1: s = 0, 1; T = 0 + 1·ln(2·1) = ln 2 (the maximum for N = 2)
    assert theil([0.0, 1.0]).total == pytest.approx(math.log(2), abs=1e-15)


def test_gini_by_hand_and_weighted_equals_replicated() -> None:
    # Σ_i Σ_j |y_i - y_j| = 8 for 1, 2, 3; G = 8 / (2 · 9 · 2) = 2/9
    assert gini([1.0, 2.0, 3.0]) == pytest.approx(2 / 9, abs=1e-15)
    assert gini([1.0, 2.0, 3.0]) == pytest.approx(float(Gini(np.array([1.0, 2.0, 3.0])).g))
    # weights 1, 3 on 1, 3 is the data 1, 3, 3, 3: G = 12 / (2 · 16 · 2.5) = 0.15
    assert gini([1.0, 3.0], weights=[1.0, 3.0]) == pytest.approx(0.15, abs=1e-15)
    rng = np.random.default_rng(3)
    y = rng.uniform(1, 10, 12)
    counts = rng.integers(1, 5, 12)
    assert gini(y, counts) == pytest.approx(gini(np.repeat(y, counts)), abs=1e-12)


def test_cv_by_hand() -> None:
    # 1, 2, 3: population sd sqrt(2/3), mean 2
    assert coefficient_of_variation([1.0, 2.0, 3.0]) == pytest.approx(math.sqrt(2 / 3) / 2)
    assert coefficient_of_variation([1.0, 2.0, 3.0], ddof=1) == pytest.approx(0.5)
    # Williamson: weights 1, 3 on 1, 3 = data 1, 3, 3, 3: mean 2.5, sd sqrt(0.75)
    assert coefficient_of_variation([1.0, 3.0], [1.0, 3.0]) == pytest.approx(
        math.sqrt(0.75) / 2.5, abs=1e-15
    )


def test_primacy_indices() -> None:
    result = primacy(pd.Series({"a": 20.0, "b": 100.0, "c": 50.0, "d": 30.0}))
    assert result.primacy_share == pytest.approx(0.5)
    assert result.two_unit_index == pytest.approx(2.0)
    assert result.four_unit_index == pytest.approx(1.0)  # 100 / (50 + 30 + 20)
    assert list(result.shares.index) == ["b", "c", "d", "a"]
    assert primacy(pd.Series({"a": 3.0, "b": 1.0, "c": 1.0})).four_unit_index is None


COUNTIES = """
code,city,gdp_pc,pop
430102,430100,150000,60
430103,430100,120000,55
430202,430200,90000,40
430203,430200,70000,35
430302,430300,80000,30
430304,430300,60000,25
"""


def test_disparity_from_csv(write_csv) -> None:
    frame = read_wide_csv(write_csv(COUNTIES), text_columns=["city"])
    result = disparity(frame, "gdp_pc", weight="pop", group="city")
    assert result.n == 6
    assert result.mean == pytest.approx(95000.0)
    assert result.weighted_mean == pytest.approx(
        (150000 * 60 + 120000 * 55 + 90000 * 40 + 70000 * 35 + 80000 * 30 + 60000 * 25) / 245
    )
    assert list(result.theil.groups["group"]) == ["430100", "430200", "430300"]
    tw = result.theil_weighted
    assert tw.between + tw.within == pytest.approx(tw.total, abs=1e-12)
    assert result.primacy.basis == "gdp_pc×pop"
    assert result.primacy.primacy_share == pytest.approx(150000 * 60 / 25_550_000)
    by_pop = disparity(frame, "gdp_pc", weight="pop", primacy_of="pop")
    assert by_pop.primacy.basis == "pop"
    assert by_pop.primacy.primacy_share == pytest.approx(60 / 245)
    assert by_pop.primacy.two_unit_index == pytest.approx(60 / 55)
    frame_out = result.to_frame()
    assert frame_out.loc["theil", "weighted"] == pytest.approx(tw.total)
    data = result.to_dict()
    assert data["theil_weighted"]["groups"][0]["group"] == "430100"


def test_negative_value_is_rejected_with_location(write_csv) -> None:
    path = write_csv("code,gdp\n430100,5\n430200,-3\n430300,4\n")
    frame = read_wide_csv(path)
    with pytest.raises(MethodInputError) as info:
        disparity(frame, "gdp")
    err = info.value
    assert (err.row, err.unit, err.column) == (3, "430200", "gdp")
    assert str(err).startswith(f"{path}，第 3 行，单位 430200，列 gdp：值 -3.0 为负数")
    assert err.message("en").startswith(f"{path}, row 3, unit 430200, column gdp: value -3.0")
    assert "needs non-negative values" in err.message("en")


def test_missing_group_label_is_rejected(write_csv) -> None:
    frame = read_wide_csv(write_csv("code,city,y\na,x,1\nb,,2\n"), text_columns=["city"])
    with pytest.raises(MethodInputError) as info:
        disparity(frame, "y", group="city")
    assert (info.value.key, info.value.row, info.value.column) == ("missing_value", 3, "city")


# --------------------------------------------------------------- Dagum Gini, GE(2)
#
# No published worked example of the Dagum decomposition with its input data was found
# (searched: package documentation and code, 2025); the tests rely on a hand-worked example,
# on PySAL for the total and on the identities of the decomposition.


def test_dagum_hand_example() -> None:
    # A = {1, 3}, B = {2, 6}, unweighted. n = 4, ȳ = 3.
    # Σ_i Σ_r |y_i − y_r| over ordered pairs = 2·(2 + 1 + 5 + 1 + 3 + 4) = 32; G = 32/(2·16·3) = 1/3
    # A: ȳ_A = 2, p_A = 1/2, s_A = (1/2·2)/3 = 1/3; Δ_AA = (0 + 2 + 2 + 0)/4 = 1; G_AA = 1/4
    # B: ȳ_B = 4, p_B = 1/2, s_B = 2/3;         Δ_BB = (0 + 4 + 4 + 0)/4 = 2; G_BB = 2/8
    # G_w = 1/4·1/2·1/3 + 1/4·1/2·2/3 = 1/24 + 2/24 = 1/8
    # Δ_BA = (|2−1| + |2−3| + |6−1| + |6−3|)/4 = 10/4; G_BA = 2.5/(4 + 2) = 5/12
    # d_BA = E(y_B − y_A)⁺ = (1 + 0 + 5 + 3)/4 = 9/4; p_BA = E(y_A − y_B)⁺ = 1/4
    # D_BA = (9/4 − 1/4)/(10/4) = 0.8 = (ȳ_B − ȳ_A)/Δ_BA
    # weight p_B s_A + p_A s_B = 1/6 + 1/3 = 1/2
    # G_nb = 5/12 · 1/2 · 0.8 = 1/6; G_t = 5/12 · 1/2 · 0.2 = 1/24; 1/8 + 1/6 + 1/24 = 1/3
    r = gini_decomposition([1.0, 3.0, 2.0, 6.0], ["A", "A", "B", "B"])
    assert r.total == pytest.approx(1 / 3, abs=1e-15)
    assert r.within == pytest.approx(1 / 8, abs=1e-15)
    assert r.net_between == pytest.approx(1 / 6, abs=1e-15)
    assert r.transvariation == pytest.approx(1 / 24, abs=1e-15)
    assert r.gross_between == pytest.approx(5 / 24, abs=1e-15)
    groups = r.groups.set_index("group")
    assert groups["gini_within_group"].to_list() == pytest.approx([0.25, 0.25], abs=1e-15)
    assert groups.loc["A", "value_share"] == pytest.approx(1 / 3, abs=1e-15)
    pair = r.pairs.iloc[0]
    assert (pair["higher"], pair["lower"]) == ("B", "A")
    assert pair["gini_between_groups"] == pytest.approx(5 / 12, abs=1e-15)
    assert pair["relative_affluence"] == pytest.approx(0.8, abs=1e-15)
    assert r.shares()["within"] == pytest.approx(3 / 8, abs=1e-15)
    # G_nb is the Gini of the group means: 2, 2, 4, 4 → 16/(2·16·3) = 1/6
    assert gini([2.0, 2.0, 4.0, 4.0]) == pytest.approx(r.net_between, abs=1e-15)


@pytest.mark.parametrize("weighted", [False, True])
def test_dagum_components_add_up_and_total_is_pysal(weighted: bool) -> None:
    rng = np.random.default_rng(11)
    y = rng.lognormal(11.0, 0.5, size=23)
    groups = np.array(["430100"] * 9 + ["430200"] * 8 + ["430300"] * 6)
    w = rng.uniform(10, 150, size=23) if weighted else None
    r = gini_decomposition(y, groups, w)
    assert r.within + r.net_between + r.transvariation == pytest.approx(r.total, abs=1e-12)
    assert r.groups["within_contribution"].sum() == pytest.approx(r.within, abs=1e-15)
    assert sum(r.shares().values()) == pytest.approx(1.0, abs=1e-12)
    assert r.weighted is weighted
    if weighted:
        assert r.total == pytest.approx(gini(y, w), abs=1e-12)
    else:
        assert r.total == pytest.approx(float(Gini(y).g), abs=1e-12)
    # net between = Gini (weighted the same way) of the distribution of group means
    means = r.groups.set_index("group")["mean"]
    assert r.net_between == pytest.approx(gini(means[groups].to_numpy(), w), abs=1e-12)


def test_dagum_weighted_equals_replicated_units() -> None:
    rng = np.random.default_rng(5)
    y = rng.uniform(1, 10, 15)
    counts = rng.integers(1, 5, 15)
    groups = rng.choice(["x", "y", "z"], 15)
    weighted = gini_decomposition(y, groups, counts)
    replicated = gini_decomposition(np.repeat(y, counts), np.repeat(groups, counts))
    for part in ("total", "within", "net_between", "transvariation"):
        assert getattr(weighted, part) == pytest.approx(getattr(replicated, part), abs=1e-12)


def test_dagum_is_scale_invariant_and_one_group_has_no_between() -> None:
    rng = np.random.default_rng(8)
    y = rng.lognormal(10.0, 0.4, 30)
    groups = rng.choice(["长沙", "株洲", "湘潭"], 30)
    base, scaled = gini_decomposition(y, groups), gini_decomposition(1000 * y, groups)
    for part in ("total", "within", "net_between", "transvariation"):
        assert getattr(scaled, part) == pytest.approx(getattr(base, part), abs=1e-12)
    one = gini_decomposition(y, ["长株潭"] * 30)
    assert one.net_between == 0.0 and one.transvariation == 0.0 and len(one.pairs) == 0
    assert one.within == pytest.approx(one.total, abs=1e-12)
    # groups with equal means: no net between inequality, all of it is transvariation
    equal = gini_decomposition([1.0, 3.0, 2.0, 2.0], ["a", "a", "b", "b"])
    assert equal.net_between == pytest.approx(0.0, abs=1e-15)
    assert equal.transvariation > 0


def test_ge2_hand_example_and_decomposition() -> None:
    # y = 1, 3 | 2, 6, ȳ = 3: (y/ȳ)² = 1/9, 1, 4/9, 4, mean 50/36; GE(2) = ½(50/36 − 1) = 7/36
    # = CV²/2 with CV² = (4 + 0 + 1 + 9)/4 / 9 = 7/18.
    # between: ½[½(2/3)² + ½(4/3)² − 1] = ½(½·4/9 + ½·16/9 − 1) = 1/18
    # within: GE_A(2) = GE_B(2) = ½((1/4 + 9/4)/2 − 1) = 1/8; weights s²/p = (1/3)²/(1/2) = 2/9
    # and (2/3)²/(1/2) = 8/9; within = 1/8 · (2/9 + 8/9) = 5/36; 1/18 + 5/36 = 7/36
    r = ge2([1.0, 3.0, 2.0, 6.0], groups=["A", "A", "B", "B"])
    assert r.total == pytest.approx(7 / 36, abs=1e-15)
    assert r.cv == pytest.approx(math.sqrt(7 / 18), abs=1e-15)
    assert r.cv == pytest.approx(coefficient_of_variation([1.0, 3.0, 2.0, 6.0]), abs=1e-15)
    assert r.between == pytest.approx(1 / 18, abs=1e-15)
    assert r.within == pytest.approx(5 / 36, abs=1e-15)
    table = r.groups.set_index("group")
    assert table["ge2_within_group"].to_list() == pytest.approx([1 / 8, 1 / 8], abs=1e-15)
    assert table["within_weight"].to_list() == pytest.approx([2 / 9, 8 / 9], abs=1e-15)
    assert table.loc["A", "between_contribution"] < 0 < table.loc["B", "between_contribution"]


@pytest.mark.parametrize("weighted", [False, True])
def test_ge2_adds_up_and_is_half_cv_squared(weighted: bool) -> None:
    rng = np.random.default_rng(21)
    y = rng.lognormal(10.0, 0.6, 40)
    w = rng.uniform(10, 200, 40) if weighted else None
    groups = rng.choice(["长沙", "株洲", "湘潭"], 40)
    r = ge2(y, w, groups)
    assert r.between + r.within == pytest.approx(r.total, abs=1e-12)
    assert r.total == pytest.approx(coefficient_of_variation(y, w) ** 2 / 2, abs=1e-12)
    # between = GE(2) of the group means
    means = r.groups.set_index("group")["mean"][groups].to_numpy()
    assert r.between == pytest.approx(ge2(means, w).total, abs=1e-12)
    assert ge2(y, w, ["one"] * 40).between == pytest.approx(0.0, abs=1e-15)


def test_disparity_reports_the_decompositions(write_csv) -> None:
    frame = read_wide_csv(write_csv(COUNTIES), text_columns=["city"])
    r = disparity(frame, "gdp_pc", weight="pop", group="city")
    table = r.to_frame()
    d, dw = r.gini_decomposition, r.gini_decomposition_weighted
    assert table.loc["gini_within", "unweighted"] == pytest.approx(d.within)
    assert table.loc["gini_transvariation", "weighted"] == pytest.approx(dw.transvariation)
    assert d.total == pytest.approx(r.gini, abs=1e-15)
    assert dw.total == pytest.approx(r.gini_weighted, abs=1e-15)
    assert r.ge2.total == pytest.approx(r.cv**2 / 2, abs=1e-15)
    assert r.ge2_weighted.total == pytest.approx(r.cv_weighted**2 / 2, abs=1e-15)
    data = r.to_dict()
    assert data["gini_decomposition_weighted"]["pairs"][0]["higher"] == "430100"
    no_group = disparity(frame, "gdp_pc")
    assert no_group.gini_decomposition is None and no_group.ge2.between is None
    assert "gini_within" not in no_group.to_frame().index
