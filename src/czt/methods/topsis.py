"""TOPSIS 逼近理想解排序法: rank units by closeness to the ideal and away from the anti-ideal.

Why: the assessment (考核) of cities and departments on several indicators at once needs a
transparent ranking; TOPSIS (Hwang & Yoon 1981) is the usual one, often with entropy
weights (熵权-TOPSIS).

For n units and m indicators x_ij with weights w_j (rescaled to Σ w_j = 1; the closeness is
invariant to a common scale of the weights anyway):

1. vector normalisation r_ij = x_ij / sqrt(Σ_i x_ij²);
2. weighted v_ij = w_j r_ij;
3. ideal A⁺_j = max_i v_ij for benefit columns, min_i v_ij for cost columns; anti-ideal A⁻_j
   the other way round;
4. Euclidean distances d⁺_i = sqrt(Σ_j (v_ij − A⁺_j)²), d⁻_i = sqrt(Σ_j (v_ij − A⁻_j)²);
5. closeness C_i = d⁻_i / (d⁺_i + d⁻_i) in [0, 1]; rank 1 = largest C_i (ties share the
   best rank).

Weights: a mapping ``{column: weight}``, a sequence in column order, ``"equal"``, or
``"entropy"`` (default; :func:`czt.methods.entropy.entropy_weights` with the given
``entropy_options`` and the same cost columns).

References: Hwang C.-L. & Yoon K. (1981) *Multiple Attribute Decision Making: Methods and
Applications*, Springer, pp. 128–140 (the fighter-aircraft example, a regression check in
the tests); the published check is the car example of Hodgett, "TOPSIS in Excel", as tested
by the R package MCDA (tests/TOPSIS.R);
Yoon K. P. & Hwang C.-L. (1995) *Multiple Attribute Decision Making: An Introduction*, Sage.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from czt.methods.entropy import EntropyResult, check_indicator_options, entropy_weights
from czt.methods.inputs import Text, check_units, numeric_matrix, option_error
from czt.methods.results import MethodResult

METHOD = Text("TOPSIS（向量归一化）", "TOPSIS (vector normalisation)")

Weights = str | Mapping[str, float] | Sequence[float]


@dataclass(frozen=True)
class TopsisResult(MethodResult):
    """Distances, closeness and rank per unit; weights, ideal and anti-ideal per indicator."""

    weight_source: str
    indicators: pd.DataFrame
    table: pd.DataFrame
    entropy: EntropyResult | None

    def to_frame(self) -> pd.DataFrame:
        return self.table


def resolve_weights(
    weights: Weights, columns: list[str], *, entropy: EntropyResult | None = None
) -> np.ndarray:
    """Turn the ``weights`` option into an array aligned with ``columns``, summing to 1."""
    if isinstance(weights, str):
        if weights == "equal":
            raw = np.ones(len(columns))
        elif weights == "entropy" and entropy is not None:
            raw = entropy.weights.reindex(columns).to_numpy(dtype=float)
        else:
            raise option_error(
                "weights", "只能是 entropy、equal、列名=权重 或与列数相同的权重序列",
                "must be entropy, equal, column=weight pairs or one weight per column",
            )
    elif isinstance(weights, Mapping):
        unknown = sorted(set(weights) - set(columns))
        missing = [c for c in columns if c not in weights]
        if unknown or missing:
            raise option_error(
                "weights", f"权重的列与指标列不一致：多出 {unknown}，缺少 {missing}",
                f"weights do not match the indicators: unknown {unknown}, missing {missing}",
            )
        raw = np.array([float(weights[c]) for c in columns])
    else:
        raw = np.asarray(list(weights), dtype=float)
        if raw.shape != (len(columns),):
            raise option_error(
                "weights", f"需要 {len(columns)} 个权重，给了 {raw.size} 个",
                f"{len(columns)} weights are needed, got {raw.size}",
            )
    if not np.all(np.isfinite(raw)) or np.any(raw < 0) or raw.sum() <= 0:
        raise option_error(
            "weights", "权重必须是非负有限数且不全为 0",
            "weights must be finite, non-negative and not all zero",
        )
    return raw / raw.sum()


def topsis(
    frame: pd.DataFrame,
    columns: Sequence[str] | None = None,
    *,
    weights: Weights = "entropy",
    cost: Sequence[str] = (),
    entropy_options: Mapping[str, Any] | None = None,
) -> TopsisResult:
    """TOPSIS on ``columns`` (default: all) of a frame indexed by unit id."""
    loc = check_units(frame, method=METHOD, minimum=2)
    columns = check_indicator_options(frame, columns, cost)
    x = numeric_matrix(frame, columns, method=METHOD, minimum=0.0)
    norms = np.sqrt((x**2).sum(axis=0))
    for j, name in enumerate(columns):
        if norms[j] == 0:
            raise loc.cell("zero_sum", None, name)
    entropy = None
    if isinstance(weights, str) and weights == "entropy":
        entropy = entropy_weights(frame, columns, cost=cost, **dict(entropy_options or {}))
    w = resolve_weights(weights, columns, entropy=entropy)
    v = x / norms * w
    is_cost = np.array([c in cost for c in columns])
    ideal = np.where(is_cost, v.min(axis=0), v.max(axis=0))
    anti = np.where(is_cost, v.max(axis=0), v.min(axis=0))
    d_plus = np.sqrt(((v - ideal) ** 2).sum(axis=1))
    d_minus = np.sqrt(((v - anti) ** 2).sum(axis=1))
    with np.errstate(invalid="ignore", divide="ignore"):
        closeness = d_minus / (d_plus + d_minus)
    table = pd.DataFrame(
        {"d_plus": d_plus, "d_minus": d_minus, "closeness": closeness},
        index=frame.index.copy(),
    )
    table["rank"] = table["closeness"].rank(ascending=False, method="min").astype("Int64")
    indicators = pd.DataFrame(
        {
            "direction": np.where(is_cost, "cost", "benefit"),
            "weight": w,
            "ideal": ideal,
            "anti_ideal": anti,
        },
        index=pd.Index(columns, name="indicator"),
    )
    source = weights if isinstance(weights, str) else "given"
    return TopsisResult(source, indicators, table, entropy)
