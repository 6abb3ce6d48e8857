"""TOPSIS against the textbook example of Hwang & Yoon (1981) and a hand example."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from czt.methods.entropy import entropy_weights
from czt.methods.inputs import MethodInputError
from czt.methods.topsis import topsis

# Hwang & Yoon (1981) pp. 128-134 (also Yoon & Hwang 1995): choosing a fighter aircraft.
# Maximum speed (Mach), ferry range (NM), maximum payload (lb), acquisition cost (10^6 $,
# cost), reliability and maneuverability (interval scale: low 3, average 5, high 7, very
# high 9). Weights 0.2, 0.1, 0.1, 0.1, 0.2, 0.3. The book works with intermediate values
# rounded to 4 decimals and prints the relative closeness to 3 decimals; the unrounded
# closeness of A3 is 0.6135, printed 0.613. Tolerance on the closeness therefore 1e-3.
AIRCRAFT = pd.DataFrame(
    {
        "speed": [2.0, 2.5, 1.8, 2.2],
        "range": [1500, 2700, 2000, 1800],
        "payload": [20000, 18000, 21000, 20000],
        "cost": [5.5, 6.5, 4.5, 5.0],
        "reliability": [5, 3, 7, 5],
        "maneuverability": [9, 5, 7, 5],
    },
    index=pd.Index(["A1", "A2", "A3", "A4"], name="aircraft"),
)
WEIGHTS = [0.2, 0.1, 0.1, 0.1, 0.2, 0.3]
PUBLISHED_CLOSENESS = {"A1": 0.643, "A2": 0.268, "A3": 0.613, "A4": 0.312}


def test_hwang_yoon_fighter_aircraft() -> None:
    r = topsis(AIRCRAFT, weights=WEIGHTS, cost=["cost"])
    for unit, value in PUBLISHED_CLOSENESS.items():
        assert r.table.loc[unit, "closeness"] == pytest.approx(value, abs=1e-3)
    assert r.table["rank"].to_list() == [1, 4, 2, 3]  # A1 > A3 > A4 > A2
    assert r.weight_source == "given"
    # vector-normalised speed of A1 = 2.0 / sqrt(2² + 2.5² + 1.8² + 2.2²) = 0.4671 (book)
    assert r.indicators.loc["speed", "ideal"] == pytest.approx(0.2 * 2.5 / math.sqrt(18.33))
    assert 2.0 / math.sqrt(18.33) == pytest.approx(0.4671, abs=5e-5)
    assert r.indicators.loc["cost", "ideal"] == pytest.approx(0.1 * 4.5 / math.sqrt(117.75))


def test_weights_as_mapping_and_scale_invariance() -> None:
    by_name = topsis(AIRCRAFT, weights=dict(zip(AIRCRAFT.columns, WEIGHTS, strict=True)),
                     cost=["cost"])
    scaled = topsis(AIRCRAFT, weights=[10 * w for w in WEIGHTS], cost=["cost"])
    base = topsis(AIRCRAFT, weights=WEIGHTS, cost=["cost"])
    for other in (by_name, scaled):
        assert other.table["closeness"].to_list() == pytest.approx(
            base.table["closeness"].to_list(), abs=1e-15
        )
    assert scaled.indicators["weight"].sum() == pytest.approx(1.0)


def test_hand_example_with_cost_column() -> None:
    # x = [[3, 4], [4, 3]], second column cost, equal weights: norms 5, v = x / 10.
    # ideal = (0.4, 0.3), anti = (0.3, 0.4): P equals the anti-ideal, Q the ideal.
    frame = pd.DataFrame({"a": [3.0, 4.0], "b": [4.0, 3.0]}, index=["P", "Q"])
    r = topsis(frame, weights="equal", cost=["b"])
    assert r.table.loc["P", "d_plus"] == pytest.approx(math.sqrt(0.02), abs=1e-15)
    assert r.table.loc["P", "d_minus"] == pytest.approx(0.0, abs=1e-15)
    assert r.table["closeness"].to_list() == pytest.approx([0.0, 1.0], abs=1e-15)
    assert r.table["rank"].to_list() == [2, 1]


def test_entropy_weights_are_used_by_default() -> None:
    r = topsis(AIRCRAFT, cost=["cost"])
    expected = entropy_weights(AIRCRAFT, cost=["cost"]).weights
    assert r.weight_source == "entropy"
    assert r.indicators["weight"].to_list() == pytest.approx(expected.to_list(), abs=1e-15)
    assert r.entropy is not None and r.entropy.variant == "minmax"
    raw = topsis(AIRCRAFT, cost=["cost"], entropy_options={"variant": "raw"})
    assert raw.entropy.variant == "raw"
    assert raw.indicators["weight"].to_list() != pytest.approx(r.indicators["weight"].to_list())


def test_errors() -> None:
    with pytest.raises(MethodInputError, match="6"):
        topsis(AIRCRAFT, weights=[0.5, 0.5])
    with pytest.raises(MethodInputError):
        topsis(AIRCRAFT, weights={"speed": 1.0})
    with pytest.raises(MethodInputError):
        topsis(AIRCRAFT, weights=[-1, 1, 1, 1, 1, 1])
    bad = AIRCRAFT.astype(object)
    bad.loc["A3", "range"] = "两千"
    with pytest.raises(MethodInputError) as info:
        topsis(bad, weights=WEIGHTS)
    err = info.value
    assert (err.key, err.unit, err.column) == ("non_numeric", "A3", "range")
    assert err.message("en") == (
        "DataFrame, unit A3, column range: value '两千' is not a finite number"
    )
