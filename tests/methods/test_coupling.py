"""Coupling coordination: closed forms for two and three systems, classification bounds."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from czt.methods.coupling import LEVELS, classify, coupling_coordination, coupling_degree
from czt.methods.inputs import MethodInputError, read_wide_csv

GRID = [0.01, 0.1, 0.25, 0.5, 0.73, 0.99, 1.0]


def test_two_systems_standard_form_equals_closed_form() -> None:
    for u1 in GRID:
        for u2 in GRID:
            closed = 2 * math.sqrt(u1 * u2) / (u1 + u2)
            assert coupling_degree(np.array([[u1, u2]]))[0] == pytest.approx(closed, abs=1e-15)


def test_two_systems_exponent_two_equals_published_form() -> None:
    for u1 in GRID:
        for u2 in GRID:
            closed = (4 * u1 * u2 / (u1 + u2) ** 2) ** 2
            assert coupling_degree(np.array([[u1, u2]]), k=2)[0] == pytest.approx(
                closed, abs=1e-15
            )


def test_three_systems_standard_form() -> None:
    u = np.array([[0.2, 0.5, 0.9]])
    closed = 3 * (0.2 * 0.5 * 0.9) ** (1 / 3) / 1.6  # n·[ΠU/(ΣU)^n]^(1/n)
    assert coupling_degree(u)[0] == pytest.approx(closed, abs=1e-15)
    assert coupling_degree(u, k=1 / 3)[0] == pytest.approx(closed, abs=1e-15)


def test_hand_example_two_systems() -> None:
    # U = 0.5, 0.8: C = 2·sqrt(0.4)/1.3 = 1.264911/1.3 = 0.973009; T = 0.65;
    # with equal coefficients C·T = sqrt(U1·U2), so D = (U1·U2)^(1/4) = 0.4^0.25 = 0.795271
    frame = pd.DataFrame({"economy": [0.5], "ecology": [0.8]}, index=["430100"])
    r = coupling_coordination(frame)
    row = r.table.loc["430100"]
    assert row["C"] == pytest.approx(0.973009, abs=1e-6)
    assert row["T"] == pytest.approx(0.65, abs=1e-15)
    assert row["D"] == pytest.approx(0.795271, abs=1e-6)
    assert row["D"] == pytest.approx(0.4**0.25, abs=1e-15)
    assert (row["level"], row["class_zh"], row["stage_zh"]) == (8, "中级协调", "协调发展类")
    assert r.exponent == 0.5 and r.coefficients == {"economy": 0.5, "ecology": 0.5}
    weighted = coupling_coordination(frame, coefficients={"economy": 0.6, "ecology": 0.4})
    assert weighted.table.loc["430100", "T"] == pytest.approx(0.62, abs=1e-15)


def test_classification_thresholds() -> None:
    d = [0.0, 0.0999, 0.1, 0.3, 0.29999999999999993, 0.3999, 0.5, 0.6, 0.89, 0.9, 1.0]
    assert classify(d).tolist() == [1, 1, 2, 4, 4, 4, 6, 7, 9, 10, 10]
    assert [name for _, name, _ in LEVELS] == [
        "极度失调", "严重失调", "中度失调", "轻度失调", "濒临失调",
        "勉强协调", "初级协调", "中级协调", "良好协调", "优质协调",
    ]


def test_errors(write_csv) -> None:
    path = write_csv("code,u1,u2\n430100,0.5,0.4\n430200,1.2,0.3\n")
    with pytest.raises(MethodInputError) as info:
        coupling_coordination(read_wide_csv(path))
    err = info.value
    assert (err.key, err.row, err.column) == ("out_of_range", 3, "u1")
    assert "不在 [0.0, 1.0] 内" in str(err)
    frame = pd.DataFrame({"a": [0.5], "b": [0.5]})
    with pytest.raises(MethodInputError, match="合计为 1"):
        coupling_coordination(frame, coefficients=[0.7, 0.7])
    with pytest.raises(MethodInputError):
        coupling_coordination(frame, exponent=0)
    with pytest.raises(MethodInputError):
        coupling_coordination(frame, columns=["a"])
    with pytest.raises(MethodInputError) as info:
        coupling_coordination(pd.DataFrame({"a": [0.0], "b": [0.0]}, index=["x"]))
    assert info.value.key == "zero_sum" and info.value.unit == "x"
