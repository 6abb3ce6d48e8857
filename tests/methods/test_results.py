"""Every result object gives strict JSON (no NaN) via to_dict() and a frame via to_frame()."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from czt.methods.composite import composite_index
from czt.methods.convergence import convergence
from czt.methods.coupling import coupling_coordination
from czt.methods.disparity import disparity
from czt.methods.entropy import entropy_weights
from czt.methods.inputs import MethodInputError, check_units
from czt.methods.linkage import linkage_strength
from czt.methods.topsis import topsis

RNG = np.random.default_rng(9)
UNITS = pd.Index([f"4301{k:02d}" for k in range(8)], name="code")
LEVELS = pd.DataFrame(RNG.uniform(1, 10, (8, 3)), index=UNITS, columns=["2018", "2019", "2020"])
SCORES = pd.DataFrame(RNG.uniform(0.05, 1, (8, 3)), index=UNITS, columns=["u1", "u2", "u3"])
PLACES = pd.DataFrame(
    {"pop": RNG.uniform(10, 100, 8), "gdp": RNG.uniform(100, 1000, 8),
     "lat": RNG.uniform(27, 28.5, 8), "lon": RNG.uniform(112, 114, 8),
     "city": ["430100"] * 3 + ["430200"] * 3 + ["430300"] * 2},
    index=UNITS,
)

RESULTS = [
    lambda: disparity(PLACES, "gdp", weight="pop", group="city"),
    lambda: convergence(LEVELS),
    lambda: entropy_weights(SCORES, cost=["u3"]),
    lambda: topsis(SCORES, cost=["u3"]),
    lambda: coupling_coordination(SCORES),
    lambda: linkage_strength(PLACES, population="pop", gdp="gdp", lat="lat", lon="lon"),
    lambda: composite_index(SCORES, weights="entropy", runs=20, seed=1),
]


@pytest.mark.parametrize("make", RESULTS)
def test_to_dict_is_strict_json_and_to_frame_is_a_frame(make) -> None:
    result = make()
    text = json.dumps(result.to_dict(), ensure_ascii=False, allow_nan=False)
    assert json.loads(text)
    assert isinstance(result.to_frame(), pd.DataFrame)
    assert len(result.to_frame()) > 0


def test_python_frames_are_checked_too() -> None:
    with pytest.raises(MethodInputError) as info:
        check_units(pd.DataFrame({"x": [1, 2]}, index=["a", "a"]), method="t")
    assert info.value.key == "duplicate_unit_id"
    assert info.value.message("en").endswith("the unit id is repeated (first seen at position 1)")
    with pytest.raises(MethodInputError) as info:
        check_units(pd.DataFrame({"x": [1, 2]}, index=["a", None]), method="t")
    assert "unit number 2 has no id" in info.value.message("en")
    with pytest.raises(MethodInputError) as info:
        check_units(pd.DataFrame({"x": [1]}, index=["a"]), method="t", minimum=2)
    assert info.value.key == "too_few_units"
