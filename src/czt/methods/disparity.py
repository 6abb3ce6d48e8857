"""Regional disparity 区域差异: coefficient of variation, Gini, Theil T and primacy shares.

Why: the integration question "are the three cities (and their districts and counties)
growing closer?" is answered with a few published, comparable measures. Each function here
takes plain arrays; :func:`disparity` takes a wide frame (index = unit id) and returns all of
them at once, which is what ``czt method theil`` prints.

Formulas (y_i the value of unit i, w_i its weight, e.g. population; p_i = w_i / Σw):

* CV (unweighted): σ / ȳ, σ = sqrt(Σ (y_i − ȳ)² / (N − ddof)); ddof = 0 by default.
* CV (weighted, Williamson 1965): sqrt(Σ p_i (y_i − ȳ_w)²) / ȳ_w, ȳ_w = Σ p_i y_i.
* Gini (unweighted, PySAL ``inequality.gini.Gini``): G = Σ_i Σ_j |y_i − y_j| / (2 N² ȳ).
* Gini (weighted): G = Σ_i Σ_j p_i p_j |y_i − y_j| / (2 ȳ_w), computed from the sorted
  Lorenz curve as G = 1 − Σ_i p_i (L_{i−1} + L_i).
* Theil T: T = Σ_i s_i ln(s_i / q_i), s_i = w_i y_i / Σ w y (value share), q_i = w_i / Σ w
  (weight share). Unweighted (w_i = 1) this is PySAL's T = Σ s_i ln(N s_i),
  s_i = y_i / Σ y; population-weighted it is Σ (Y_i/Y) ln((Y_i/Y)/(P_i/P)).
  Decomposition over groups g (Shorrocks 1980; Akita 2003), exact:
  T = Σ_g S_g ln(S_g / Q_g)  [between]  +  Σ_g S_g T_g  [within], with S_g = Σ_{i∈g} s_i,
  Q_g = Σ_{i∈g} q_i and T_g the Theil index inside group g. 0·ln 0 is taken as 0.
* Primacy 首位度: share of the largest unit in the total; two-unit index y₍₁₎/y₍₂₎;
  four-unit index y₍₁₎/(y₍₂₎+y₍₃₎+y₍₄₎) (Jefferson 1939; Ginsburg 1961).

References: Theil H. (1967) *Economics and Information Theory*; Williamson J. G. (1965)
Regional inequality and the process of national development, *EDCC* 13(4); Shorrocks A. F.
(1980) The class of additively decomposable inequality measures, *Econometrica* 48(3);
Akita T. (2003) *Annals of Regional Science* 37(1):55–77; Rey S. & Sastré-Gutiérrez M.
(2010) *Spatial Economic Analysis* 5(3); Jefferson M. (1939) The law of the primate city,
*Geographical Review* 29(2).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from inequality.gini import Gini

from czt.methods.inputs import Text, check_units, numeric_matrix, option_error, require_columns
from czt.methods.results import MethodResult

ArrayLike = Sequence[float] | np.ndarray | pd.Series


def coefficient_of_variation(
    y: ArrayLike, weights: ArrayLike | None = None, *, ddof: int = 0
) -> float:
    """Coefficient of variation 变异系数; weighted = Williamson's index (ddof is ignored)."""
    y = np.asarray(y, dtype=float)
    if weights is None:
        return float(np.std(y, ddof=ddof) / np.mean(y))
    p = np.asarray(weights, dtype=float)
    p = p / p.sum()
    mean = float(np.sum(p * y))
    return float(np.sqrt(np.sum(p * (y - mean) ** 2)) / mean)


def gini(y: ArrayLike, weights: ArrayLike | None = None) -> float:
    """Gini coefficient 基尼系数; unweighted via PySAL ``inequality.gini.Gini``."""
    y = np.asarray(y, dtype=float)
    if weights is None:
        return float(Gini(y).g)
    p = np.asarray(weights, dtype=float)
    order = np.argsort(y, kind="stable")
    y, p = y[order], p[order] / p.sum()
    s = p * y / np.sum(p * y)
    lorenz = np.cumsum(s)
    previous = np.concatenate(([0.0], lorenz[:-1]))
    return float(1.0 - np.sum(p * (previous + lorenz)))


def _xlogy_ratio(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """a·ln(a/b) with 0·ln(0/b) = 0."""
    out = np.zeros_like(a, dtype=float)
    mask = a > 0
    out[mask] = a[mask] * np.log(a[mask] / b[mask])
    return out


@dataclass(frozen=True)
class TheilResult(MethodResult):
    """Theil T with its between/within decomposition (``groups`` None: no decomposition)."""

    weighted: bool
    total: float
    between: float | None
    within: float | None
    groups: pd.DataFrame | None

    def to_frame(self) -> pd.DataFrame:
        if self.groups is None:
            return pd.DataFrame({"theil": [self.total]})
        return self.groups


def theil(
    y: ArrayLike, weights: ArrayLike | None = None, groups: ArrayLike | None = None
) -> TheilResult:
    """Theil T, unweighted or weighted, with the exact between/within decomposition.

    ``groups`` labels each unit (e.g. its city code for districts and counties). The
    ``groups`` table gives per group: units, value share S_g, weight share Q_g, Theil
    inside the group T_g, its within contribution S_g·T_g and between contribution
    S_g·ln(S_g/Q_g); the contributions add up to ``within`` and ``between``.
    """
    y = np.asarray(y, dtype=float)
    w = np.ones_like(y) if weights is None else np.asarray(weights, dtype=float)
    s = w * y / np.sum(w * y)
    q = w / np.sum(w)
    total = float(np.sum(_xlogy_ratio(s, q)))
    if groups is None:
        return TheilResult(weights is not None, total, None, None, None)
    labels = np.asarray(groups, dtype=object)
    rows = []
    for g in pd.unique(labels):
        member = labels == g
        s_g, q_g = s[member].sum(), q[member].sum()
        t_g = float(np.sum(_xlogy_ratio(s[member] / s_g, q[member] / q_g))) if s_g > 0 else 0.0
        rows.append(
            {
                "group": g,
                "units": int(member.sum()),
                "value_share": s_g,
                "weight_share": q_g,
                "theil_within_group": t_g,
                "within_contribution": s_g * t_g,
                "between_contribution": float(_xlogy_ratio(np.array([s_g]), np.array([q_g]))[0]),
            }
        )
    table = pd.DataFrame(rows)
    return TheilResult(
        weighted=weights is not None,
        total=total,
        between=float(table["between_contribution"].sum()),
        within=float(table["within_contribution"].sum()),
        groups=table,
    )


@dataclass(frozen=True)
class PrimacyResult(MethodResult):
    """Shares of each unit in the total and the primacy indices 首位度."""

    basis: str
    shares: pd.DataFrame
    primacy_share: float
    two_unit_index: float
    four_unit_index: float | None

    def to_frame(self) -> pd.DataFrame:
        return self.shares


def primacy(values: pd.Series, basis: str = "value") -> PrimacyResult:
    """Primacy shares: unit share of the total, rank, and the 2- and 4-unit indices."""
    ordered = values.astype(float).sort_values(ascending=False, kind="stable")
    total = ordered.sum()
    shares = pd.DataFrame(
        {"value": ordered, "share": ordered / total, "rank": np.arange(1, len(ordered) + 1)}
    )
    v = ordered.to_numpy()
    return PrimacyResult(
        basis=basis,
        shares=shares,
        primacy_share=float(v[0] / total),
        two_unit_index=float(v[0] / v[1]) if v[1] > 0 else float("nan"),
        four_unit_index=float(v[0] / v[1:4].sum()) if len(v) >= 4 else None,
    )


@dataclass(frozen=True)
class DisparityResult(MethodResult):
    """All disparity measures for one indicator across units."""

    value: str
    weight: str | None
    group: str | None
    n: int
    mean: float
    weighted_mean: float | None
    cv: float
    cv_weighted: float | None
    gini: float
    gini_weighted: float | None
    theil: TheilResult
    theil_weighted: TheilResult | None
    primacy: PrimacyResult

    def to_frame(self) -> pd.DataFrame:
        """One row per measure, columns ``unweighted`` and ``weighted``."""
        tw = self.theil_weighted
        rows = {
            "mean": (self.mean, self.weighted_mean),
            "cv": (self.cv, self.cv_weighted),
            "gini": (self.gini, self.gini_weighted),
            "theil": (self.theil.total, tw.total if tw else None),
            "theil_between": (self.theil.between, tw.between if tw else None),
            "theil_within": (self.theil.within, tw.within if tw else None),
        }
        frame = pd.DataFrame.from_dict(rows, orient="index", columns=["unweighted", "weighted"])
        frame.index.name = "measure"
        return frame


def disparity(
    frame: pd.DataFrame,
    value: str,
    *,
    weight: str | None = None,
    group: str | None = None,
    ddof: int = 0,
    primacy_of: str | None = None,
) -> DisparityResult:
    """CV, Gini, Theil (with decomposition by ``group``) and primacy for column ``value``.

    ``frame`` is indexed by unit id. ``weight`` (e.g. population) adds the weighted
    variants; ``value`` should then be an intensive quantity (per capita). ``group`` is a
    column of group labels (e.g. the city of each county). Primacy shares are computed on
    the column ``primacy_of`` if given (e.g. GDP), else on value × weight (the extensive
    total) when weighted, else on ``value``.
    """
    method = Text("差异指数（泰尔、基尼、变异系数）", "disparity measures (Theil, Gini, CV)")
    loc = check_units(frame, method=method, minimum=2)
    if ddof not in (0, 1):
        raise option_error("ddof", "只能是 0 或 1", "must be 0 or 1")
    y = numeric_matrix(frame, [value], method=method, minimum=0.0)[:, 0]
    if y.sum() <= 0:
        raise loc.cell("zero_sum", None, value)
    w = None
    if weight is not None:
        w = numeric_matrix(frame, [weight], method=method, strictly_positive=True)[:, 0]
    labels = None
    if group is not None:
        require_columns(frame, [group])
        labels = frame[group].to_numpy(dtype=object)
        for unit, label in zip(frame.index, labels, strict=True):
            if pd.isna(label) or str(label).strip() == "":
                raise loc.cell("missing_value", unit, group)
    if primacy_of is not None:
        basis = pd.Series(
            numeric_matrix(frame, [primacy_of], method=method, minimum=0.0)[:, 0],
            index=frame.index,
        )
        basis_name = primacy_of
    else:
        basis = pd.Series(y if w is None else y * w, index=frame.index)
        basis_name = value if w is None else f"{value}×{weight}"
    return DisparityResult(
        value=value,
        weight=weight,
        group=group,
        n=len(y),
        mean=float(np.mean(y)),
        weighted_mean=None if w is None else float(np.sum(w * y) / np.sum(w)),
        cv=coefficient_of_variation(y, ddof=ddof),
        cv_weighted=None if w is None else coefficient_of_variation(y, w),
        gini=gini(y),
        gini_weighted=None if w is None else gini(y, w),
        theil=theil(y, None, labels),
        theil_weighted=None if w is None else theil(y, w, labels),
        primacy=primacy(basis, basis=basis_name),
    )
