"""Coupling coordination degree 耦合协调度 of n subsystems.

Why: integration studies ask whether subsystems (e.g. economy, ecology, transport, public
services) of a unit, or the same subsystem across the three cities, develop together. The
model gives a coupling degree C (how balanced), a development index T (how high) and the
coordination degree D = sqrt(C·T), with a published 10-level classification.

Input: one row per unit (or unit-year), one column per subsystem with its score U_i in
[0, 1] (e.g. an entropy-weighted index of the subsystem's indicators).

* Coupling, standard form (k = 1/n, the default):
  C = n · [Π U_i / (Σ U_i)^n]^(1/n); for two systems C = 2·sqrt(U₁U₂) / (U₁ + U₂).
* Coupling, exponent variant: C = {Π U_i / ((Σ U_i)/n)^n}^k, k > 0. k = 1/n gives the
  standard form; k = 2 is also published (two systems: C = {4U₁U₂/(U₁+U₂)²}²). C is in
  [0, 1] for any k > 0 (AM–GM).
* Development index T = Σ a_i U_i, coefficients a_i >= 0 with Σ a_i = 1 (default 1/n).
* Coordination D = sqrt(C · T).

Classification of D (廖重斌 1999), intervals closed on the left, open on the right, the last
one closed ([0.9, 1.0]); D is rounded to 10 decimals before classing, so that a D of
0.3 computed as 0.29999999999999993 is classed as 0.3:

level  D            等级       English                     stage 类型
1      [0.0, 0.1)   极度失调   extreme imbalance           失调衰退类 (D < 0.4)
2      [0.1, 0.2)   严重失调   serious imbalance
3      [0.2, 0.3)   中度失调   moderate imbalance
4      [0.3, 0.4)   轻度失调   mild imbalance
5      [0.4, 0.5)   濒临失调   on the verge of imbalance   过渡类 (0.4 <= D < 0.6)
6      [0.5, 0.6)   勉强协调   barely coordinated
7      [0.6, 0.7)   初级协调   primary coordination        协调发展类 (D >= 0.6)
8      [0.7, 0.8)   中级协调   intermediate coordination
9      [0.8, 0.9)   良好协调   good coordination
10     [0.9, 1.0]   优质协调   high-quality coordination

References: 廖重斌 (1999) 环境与经济协调发展的定量评判及其分类体系——以珠江三角洲城市群为例,
热带地理 19(2):171–177; 刘耀彬, 李仁东, 宋学锋 (2005) 中国城市化与生态环境耦合度分析,
自然资源学报 20(1):105–112; 王淑佳, 孔伟, 任亮, 等 (2021) 国内耦合协调度模型的误区及修正,
自然资源学报 36(3):793–810 (on the correct normalisation of C).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from czt.methods.inputs import Text, check_units, numeric_columns, numeric_matrix, option_error
from czt.methods.results import MethodResult

METHOD = Text(
    "耦合协调度（子系统得分须在 0 到 1 之间）", "coupling coordination (scores in [0, 1])"
)

# (lower bound, 等级, English); upper bound is the next lower bound (1.0 for the last).
LEVELS: tuple[tuple[float, str, str], ...] = (
    (0.0, "极度失调", "extreme imbalance"),
    (0.1, "严重失调", "serious imbalance"),
    (0.2, "中度失调", "moderate imbalance"),
    (0.3, "轻度失调", "mild imbalance"),
    (0.4, "濒临失调", "on the verge of imbalance"),
    (0.5, "勉强协调", "barely coordinated"),
    (0.6, "初级协调", "primary coordination"),
    (0.7, "中级协调", "intermediate coordination"),
    (0.8, "良好协调", "good coordination"),
    (0.9, "优质协调", "high-quality coordination"),
)
STAGES: tuple[tuple[float, str, str], ...] = (
    (0.0, "失调衰退类", "imbalance and decline"),
    (0.4, "过渡类", "transition"),
    (0.6, "协调发展类", "coordinated development"),
)


def coupling_degree(u: np.ndarray, k: float | None = None) -> np.ndarray:
    """C per row of ``u`` (n_units, n_systems): {Π U / (mean U)^n}^k, k default 1/n."""
    u = np.atleast_2d(np.asarray(u, dtype=float))
    n = u.shape[1]
    k = 1.0 / n if k is None else k
    # Π U / (mean U)^n = Π (U_i / mean U), unchanged by scaling a row: dividing by the row's
    # largest score and then by the mean keeps every factor in [0, n], where Π U and mean^n
    # of tiny scores (1e-200) underflow to 0/0 = NaN, which classify() would put in level 10.
    # The ratio is <= 1 (AM–GM); min() removes the rounding above 1 when all scores are equal.
    with np.errstate(invalid="ignore", divide="ignore"):  # an all-zero row stays NaN
        v = u / u.max(axis=1, keepdims=True)
        ratio = np.prod(v / v.mean(axis=1, keepdims=True), axis=1)
    return np.minimum(ratio, 1.0) ** k


def classify(d: float | np.ndarray) -> np.ndarray:
    """Level 1–10 of each D (see the module table)."""
    bounds = np.array([b for b, _, _ in LEVELS[1:]])
    return np.searchsorted(bounds, np.round(np.asarray(d, dtype=float), 10), side="right") + 1


@dataclass(frozen=True)
class CouplingResult(MethodResult):
    """C, T, D, level and class per unit."""

    systems: list[str]
    coefficients: dict[str, float]
    exponent: float
    table: pd.DataFrame

    def to_frame(self) -> pd.DataFrame:
        return self.table


def coupling_coordination(
    frame: pd.DataFrame,
    columns: Sequence[str] | None = None,
    *,
    coefficients: Mapping[str, float] | Sequence[float] | None = None,
    exponent: float | None = None,
) -> CouplingResult:
    """Coupling coordination of the subsystem score ``columns`` (default: all) per unit.

    ``exponent`` is k in C = {Π U_i / ((Σ U_i)/n)^n}^k; None = 1/n (standard form).
    ``coefficients`` are the a_i of T = Σ a_i U_i (default equal); they must sum to 1.
    """
    loc = check_units(frame, method=METHOD, minimum=1)
    systems = numeric_columns(frame) if columns is None else list(columns)
    if len(systems) < 2:
        raise option_error("columns", "至少需要两个子系统列", "at least two subsystem columns")
    n = len(systems)
    k = 1.0 / n if exponent is None else float(exponent)
    if not np.isfinite(k) or k <= 0:
        raise option_error("exponent", "指数 k 必须大于 0", "the exponent k must be > 0")
    a = _coefficients(coefficients, systems)
    u = numeric_matrix(frame, systems, method=METHOD, minimum=0.0, upper=1.0)
    for unit, row in zip(frame.index, u, strict=True):
        if row.sum() == 0:
            raise loc.cell("zero_sum", unit, None)
    c = coupling_degree(u, k)
    # a weighted mean lies between the smallest and the largest score; the clip removes only
    # rounding and the 1e-9 slack allowed in Σ a_i = 1 (else T could be 1 + 1e-9 > 1)
    t = np.clip(u @ a, u.min(axis=1), u.max(axis=1))
    d = np.sqrt(c * t)
    level = classify(d)
    stage_bounds = np.array([b for b, _, _ in STAGES[1:]])
    stage = np.searchsorted(stage_bounds, np.round(d, 10), side="right")
    table = pd.DataFrame(
        {
            "C": c,
            "T": t,
            "D": d,
            "level": level,
            "class_zh": [LEVELS[i - 1][1] for i in level],
            "class_en": [LEVELS[i - 1][2] for i in level],
            "stage_zh": [STAGES[i][1] for i in stage],
            "stage_en": [STAGES[i][2] for i in stage],
        },
        index=frame.index.copy(),
    )
    return CouplingResult(systems, dict(zip(systems, a.tolist(), strict=True)), k, table)


def _coefficients(
    coefficients: Mapping[str, float] | Sequence[float] | None, systems: list[str]
) -> np.ndarray:
    n = len(systems)
    if coefficients is None:
        return np.full(n, 1.0 / n)
    if isinstance(coefficients, Mapping):
        if set(coefficients) != set(systems):
            raise option_error(
                "coefficients", f"系数的列必须正好是 {systems}",
                f"coefficients must name exactly the columns {systems}",
            )
        a = np.array([float(coefficients[s]) for s in systems])
    else:
        a = np.asarray(list(coefficients), dtype=float)
        if a.shape != (n,):
            raise option_error(
                "coefficients", f"需要 {n} 个系数，给了 {a.size} 个",
                f"{n} coefficients are needed, got {a.size}",
            )
    if not np.all(np.isfinite(a)) or np.any(a < 0) or abs(a.sum() - 1.0) > 1e-9:
        raise option_error(
            "coefficients", f"系数必须非负且合计为 1（现合计 {a.sum():g}）",
            f"coefficients must be non-negative and sum to 1 (they sum to {a.sum():g})",
        )
    return a
