"""Entropy weight method 熵权法 (熵值法): objective indicator weights from dispersion.

Why: composite indices and TOPSIS need weights; the entropy method gives more weight to an
indicator whose values differ more across units. Two variants are published and give
different weights, so the variant is an explicit option and is named in the output.

Steps, for n units (rows) and m indicators (columns) x_ij:

1. Direction (``cost`` columns, smaller is better), by ``cost_transform``:
   ``reflect`` (default): x' = max_j + min_j − x (keeps range and sign; followed by min-max
   it is the usual cost formula (max − x)/(max − min));
   ``reciprocal``: x' = 1/x (needs x > 0);
   ``none``: cost columns enter the entropy step untransformed (entropy measures
   dispersion only; direction is then applied later, e.g. in TOPSIS).
2. Normalisation (``variant``):
   ``minmax`` (极差标准化): z_ij = (x'_ij − min_j) / (max_j − min_j);
   ``raw`` (比重法 on the data as given): z_ij = x'_ij (needs x' >= 0).
3. Optional shift (``shift``, default 0, never applied unless asked): z_ij + shift. Some
   studies add 0.0001 (or 0.01) to avoid ln 0; with shift = 0 the limit 0·ln 0 = 0 is used.
4. p_ij = z_ij / Σ_i z_ij;  e_j = −(1/ln n) Σ_i p_ij ln p_ij;  d_j = 1 − e_j;
   w_j = d_j / Σ_k d_k.

References: Shannon C. E. (1948) A mathematical theory of communication, *Bell System
Technical Journal* 27; Zeleny M. (1982) *Multiple Criteria Decision Making*, ch. 7 (entropy
weights); Hwang C.-L. & Yoon K. (1981) *Multiple Attribute Decision Making*, Springer,
pp. 52–54; 郭显光 (1998) 改进的熵值法及其在经济效益评价中的应用, 系统工程理论与实践 18(12).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from czt.methods.inputs import (
    Text,
    check_units,
    numeric_columns,
    numeric_matrix,
    option_error,
    where,
)
from czt.methods.results import MethodResult

METHOD = Text("熵权法", "the entropy weight method")
VARIANTS = ("minmax", "raw")
COST_TRANSFORMS = ("reflect", "reciprocal", "none")


@dataclass(frozen=True)
class EntropyResult(MethodResult):
    """Entropy e_j, divergence d_j = 1 − e_j and weight w_j per indicator."""

    variant: str
    cost: list[str]
    cost_transform: str
    shift: float
    n_units: int
    table: pd.DataFrame
    normalized: pd.DataFrame

    @property
    def weights(self) -> pd.Series:
        return self.table["weight"]

    def to_frame(self) -> pd.DataFrame:
        return self.table


def check_indicator_options(
    frame: pd.DataFrame, columns: Sequence[str] | None, cost: Sequence[str]
) -> list[str]:
    """Default columns = all but pure text columns; every cost column must be one of them."""
    columns = numeric_columns(frame) if columns is None else list(columns)
    for name in cost:
        if name not in columns:
            raise option_error(
                "cost", f"成本型指标 {name} 不在指标列中：{', '.join(columns)}",
                f"cost column {name} is not one of the indicators: {', '.join(columns)}",
            )
    return columns


def entropy_weights(
    frame: pd.DataFrame,
    columns: Sequence[str] | None = None,
    *,
    variant: str = "minmax",
    cost: Sequence[str] = (),
    cost_transform: str = "reflect",
    shift: float = 0.0,
) -> EntropyResult:
    """Entropy weights of ``columns`` (default: all columns) of a frame indexed by unit."""
    if variant not in VARIANTS:
        raise option_error("variant", f"只能是 {VARIANTS}", f"must be one of {VARIANTS}")
    if cost_transform not in COST_TRANSFORMS:
        raise option_error(
            "cost_transform", f"只能是 {COST_TRANSFORMS}", f"must be one of {COST_TRANSFORMS}"
        )
    if not np.isfinite(shift) or shift < 0:
        raise option_error("shift", "必须是非负数", "must be a non-negative number")
    loc = check_units(frame, method=METHOD, minimum=2)
    columns = check_indicator_options(frame, columns, cost)
    cost = list(cost)
    x = numeric_matrix(frame, columns, method=METHOD)
    for j, name in enumerate(columns):
        col = x[:, j].copy()
        if variant == "raw":
            _check_cells(frame, name, col, positive=False)
        if name in cost and cost_transform == "reciprocal":
            _check_cells(frame, name, col, positive=True)
            x[:, j] = 1.0 / col
        elif name in cost and cost_transform == "reflect":
            x[:, j] = col.max() + col.min() - col
        if variant == "minmax":
            low, high = x[:, j].min(), x[:, j].max()
            if high == low:
                raise loc.cell("constant_column", None, name, value=low)
            x[:, j] = (x[:, j] - low) / (high - low)
    z = x + shift
    sums = z.sum(axis=0)
    for j, name in enumerate(columns):
        if sums[j] <= 0:
            raise loc.cell("zero_sum", None, name)
    p = z / sums
    n = len(frame)
    plogp = np.zeros_like(p)
    positive = p > 0
    plogp[positive] = p[positive] * np.log(p[positive])
    # e_j lies in [0, 1]; the clip removes rounding: a constant column (p_ij = 1/n, raw
    # variant) can come out at 1 + 4e-16, and d_j = 1 − e_j < 0 would be a negative weight
    e = np.clip(-plogp.sum(axis=0) / np.log(n), 0.0, 1.0)
    d = 1.0 - e
    if d.sum() <= 0:
        raise option_error(
            "columns", "所有指标的熵都等于 1（各单位比重相同），权重无定义",
            "every indicator has entropy 1 (equal shares across units); weights are undefined",
        )
    table = pd.DataFrame(
        {
            "direction": ["cost" if c in cost else "benefit" for c in columns],
            "entropy": e,
            "divergence": d,
            "weight": d / d.sum(),
        },
        index=pd.Index(columns, name="indicator"),
    )
    normalized = pd.DataFrame(z, index=frame.index.copy(), columns=columns)
    return EntropyResult(variant, cost, cost_transform, float(shift), n, table, normalized)


def _check_cells(frame: pd.DataFrame, column: str, values: np.ndarray, *, positive: bool) -> None:
    """Raw shares need x >= 0; reciprocals need x > 0. Name the first offending cell."""
    loc = where(frame)
    for unit, value in zip(frame.index, values, strict=True):
        if positive and value <= 0:
            raise loc.cell("non_positive", unit, column, value=value, method=METHOD)
        if not positive and value < 0:
            raise loc.cell("negative", unit, column, value=value, method=METHOD)
