"""Entropy weights on a 3 × 2 matrix worked by hand, for both variants and the options.

Matrix (units A, B, C):  x1 = 1, 2, 3   x2 = 1, 1, 2.   k = 1 / ln 3 = 0.910239.
Hand values are given to 6 decimals, so the tolerance on them is 1e-6; the closed forms
(math.log) are compared to 1e-12.
"""

from __future__ import annotations

import math

import pandas as pd
import pytest

from czt.methods.entropy import entropy_weights
from czt.methods.inputs import MethodInputError, read_wide_csv

LN3 = math.log(3)


@pytest.fixture
def matrix() -> pd.DataFrame:
    return pd.DataFrame(
        {"x1": [1.0, 2.0, 3.0], "x2": [1.0, 1.0, 2.0]}, index=pd.Index(list("ABC"), name="unit")
    )


def _entropy(p: list[float]) -> float:
    return -sum(v * math.log(v) for v in p if v > 0) / LN3


def test_raw_variant_by_hand(matrix: pd.DataFrame) -> None:
    # p1 = 1/6, 1/3, 1/2;  p2 = 1/4, 1/4, 1/2
    r = entropy_weights(matrix, variant="raw")
    e1, e2 = _entropy([1 / 6, 1 / 3, 1 / 2]), _entropy([0.25, 0.25, 0.5])
    assert (e1, e2) == pytest.approx((0.920619, 0.946395), abs=1e-6)
    assert r.table["entropy"].to_list() == pytest.approx([e1, e2], abs=1e-12)
    assert r.table["divergence"].to_list() == pytest.approx([1 - e1, 1 - e2], abs=1e-12)
    assert r.weights.to_list() == pytest.approx([0.596908, 0.403092], abs=1e-6)
    assert r.weights.sum() == pytest.approx(1.0, abs=1e-15)
    assert r.variant == "raw" and r.shift == 0.0


def test_minmax_variant_by_hand(matrix: pd.DataFrame) -> None:
    # z1 = 0, .5, 1 -> p1 = 0, 1/3, 2/3 (0·ln 0 = 0);  z2 = 0, 0, 1 -> p2 = 0, 0, 1: e2 = 0
    r = entropy_weights(matrix)
    e1 = _entropy([1 / 3, 2 / 3])
    assert e1 == pytest.approx(0.579380, abs=1e-6)
    assert r.table["entropy"].to_list() == pytest.approx([e1, 0.0], abs=1e-12)
    assert r.weights.to_list() == pytest.approx([0.296082, 0.703918], abs=1e-6)
    assert r.normalized["x1"].to_list() == [0.0, 0.5, 1.0]


def test_minmax_with_cost_column_reflected(matrix: pd.DataFrame) -> None:
    # cost x2: (max - x)/(max - min) = 1, 1, 0 -> p2 = .5, .5, 0: e2 = ln 2 / ln 3
    r = entropy_weights(matrix, cost=["x2"])
    assert r.table.loc["x2", "entropy"] == pytest.approx(math.log(2) / LN3, abs=1e-12)
    assert r.table.loc["x2", "direction"] == "cost"
    assert r.weights.to_list() == pytest.approx([0.532639, 0.467361], abs=1e-6)
    # without transforming the cost column the weights are those of the benefit case
    plain = entropy_weights(matrix, cost=["x2"], cost_transform="none")
    assert plain.weights.to_list() == pytest.approx(entropy_weights(matrix).weights.to_list())
    assert plain.cost_transform == "none"


def test_raw_variant_cost_transforms(matrix: pd.DataFrame) -> None:
    # reciprocal: 1, 1, 0.5 -> p = .4, .4, .2 ; reflect: 3 - x = 2, 2, 1 -> the same p
    e2 = _entropy([0.4, 0.4, 0.2])
    assert e2 == pytest.approx(0.960229, abs=1e-6)
    for how in ("reciprocal", "reflect"):
        r = entropy_weights(matrix, variant="raw", cost=["x2"], cost_transform=how)
        assert r.table.loc["x2", "entropy"] == pytest.approx(e2, abs=1e-12)


def test_shift_only_when_asked_and_named(matrix: pd.DataFrame) -> None:
    r = entropy_weights(matrix, shift=0.01)
    assert r.shift == 0.01
    assert r.to_dict()["shift"] == 0.01
    p2 = [0.01 / 1.03, 0.01 / 1.03, 1.01 / 1.03]  # z2 = 0.01, 0.01, 1.01
    assert r.table.loc["x2", "entropy"] == pytest.approx(_entropy(p2), abs=1e-12)
    assert r.normalized["x2"].to_list() == pytest.approx([0.01, 0.01, 1.01], abs=1e-15)


def test_csv_default_columns_skip_text(write_csv) -> None:
    path = write_csv("code,name,x1,x2\n430100,长沙,1,1\n430200,株洲,2,1\n430300,湘潭,3,2\n")
    r = entropy_weights(read_wide_csv(path), variant="raw")
    assert list(r.table.index) == ["x1", "x2"]
    assert r.weights.to_list() == pytest.approx([0.596908, 0.403092], abs=1e-6)


def test_errors(matrix: pd.DataFrame, write_csv) -> None:
    path = write_csv("code,x1,x2\na,1,5\nb,-2,6\nc,3,7\n")
    with pytest.raises(MethodInputError) as info:
        entropy_weights(read_wide_csv(path), variant="raw")
    assert (info.value.key, info.value.row, info.value.column) == ("negative", 3, "x1")
    assert "熵权法要求非负值" in str(info.value)
    # min-max of a constant column is 0/0
    const = matrix.assign(x3=[4.0, 4.0, 4.0])
    with pytest.raises(MethodInputError) as info:
        entropy_weights(const)
    assert info.value.key == "constant_column" and info.value.column == "x3"
    with pytest.raises(MethodInputError, match="x9"):
        entropy_weights(matrix, cost=["x9"])
    with pytest.raises(MethodInputError):
        entropy_weights(matrix, variant="pca")
    with pytest.raises(MethodInputError):
        entropy_weights(matrix, shift=-1)
