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
* Gini decomposition (Dagum 1997), groups j = 1…k with weight shares p_j = W_j/W, value
  shares s_j = p_j ȳ_j/ȳ and (weighted) means ȳ_j; Δ_jh = Σ_{i∈j} Σ_{r∈h} w_i w_r |y_i − y_r|
  / (W_j W_h) is the mean absolute difference between a unit of j and a unit of h:
  G_jj = Δ_jj / (2 ȳ_j) (Gini inside j); G_jh = Δ_jh / (ȳ_j + ȳ_h) (Gini between j and h);
  D_jh = |ȳ_j − ȳ_h| / Δ_jh (relative economic affluence, = (d_jh − p_jh)/(d_jh + p_jh));
  G_w = Σ_j G_jj p_j s_j [within]; G_nb = Σ_{j<h} G_jh (p_j s_h + p_h s_j) D_jh [net between];
  G_t = Σ_{j<h} G_jh (p_j s_h + p_h s_j)(1 − D_jh) [transvariation, overlap];
  G = G_w + G_nb + G_t exactly. Unweighted w_i = 1 (p_j = n_j/n). G_nb equals the Gini of
  the distribution in which every unit has its group's mean.
* GE(2) = CV²/2 (CV with the population standard deviation, ddof 0; weighted: Williamson's
  CV), additively decomposable (Shorrocks 1980):
  GE(2) = ½ Σ_j p_j ((ȳ_j/ȳ)² − 1) [between] + Σ_j (s_j²/p_j) GE_j(2) [within].
  Equivalently CV² = CV_B² + Σ_j (s_j²/p_j) CV_j². The CV itself has no additive
  decomposition; only its square does.
* Primacy 首位度: share of the largest unit in the total; two-unit index y₍₁₎/y₍₂₎;
  four-unit index y₍₁₎/(y₍₂₎+y₍₃₎+y₍₄₎) (Jefferson 1939; Ginsburg 1961).

References: Theil H. (1967) *Economics and Information Theory*; Williamson J. G. (1965)
Regional inequality and the process of national development, *EDCC* 13(4); Shorrocks A. F.
(1980) The class of additively decomposable inequality measures, *Econometrica* 48(3);
Akita T. (2003) *Annals of Regional Science* 37(1):55–77; Rey S. & Sastré-Gutiérrez M.
(2010) *Spatial Economic Analysis* 5(3); Dagum C. (1997) A new approach to the decomposition
of the Gini income inequality ratio, *Empirical Economics* 22(4):515–531; Cowell F. A. (2011)
*Measuring Inequality*, 3rd ed., Oxford UP, ch. 3 and Technical Appendix; Jefferson M. (1939)
The law of the primate city, *Geographical Review* 29(2).
"""

from __future__ import annotations

import math
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


def _abs_diff_sum(a: np.ndarray, wa: np.ndarray, b: np.ndarray, wb: np.ndarray) -> float:
    """Σ_i Σ_r wa_i wb_r |a_i − b_r| in O((n + m) log m), by sorting ``b``."""
    order = np.argsort(b, kind="stable")
    b, wb = b[order], wb[order]
    cum_w = np.concatenate(([0.0], np.cumsum(wb)))
    cum_s = np.concatenate(([0.0], np.cumsum(wb * b)))
    k = np.searchsorted(b, a, side="right")
    below_w, below_s = cum_w[k], cum_s[k]
    above_w, above_s = cum_w[-1] - below_w, cum_s[-1] - below_s
    # ≥ 0 (a sum of |a_i − b_r|); the cumulative sums can leave −1e-17 for equal values with
    # unequal weights, which would be a negative within-group Gini
    return max(0.0, float(np.sum(wa * (a * below_w - below_s + above_s - a * above_w))))


def _group_labels(groups: ArrayLike, n: int) -> np.ndarray:
    labels = np.asarray(groups, dtype=object)
    if labels.shape != (n,):
        raise option_error(
            "groups", f"分组标签数 {labels.size} 与单位数 {n} 不一致",
            f"{labels.size} group labels for {n} units",
        )
    return labels


@dataclass(frozen=True)
class DagumGiniResult(MethodResult):
    """Dagum (1997) decomposition G = within + net_between + transvariation.

    ``groups``: per group units, weight share p_j, value share s_j, mean, Gini inside the
    group G_jj and its within contribution G_jj·p_j·s_j. ``pairs``: per pair of groups
    (``higher`` = the group with the larger mean) the between-group Gini G_jh, the relative
    affluence D_jh and the net-between and transvariation contributions.
    """

    weighted: bool
    total: float
    within: float
    net_between: float
    transvariation: float
    groups: pd.DataFrame
    pairs: pd.DataFrame

    @property
    def gross_between(self) -> float:
        """G_nb + G_t (Dagum's gross between-group inequality)."""
        return self.net_between + self.transvariation

    def shares(self) -> dict[str, float]:
        """Each component as a share of the total (NaN when the total is 0)."""
        t = self.total
        parts = {"within": self.within, "net_between": self.net_between,
                 "transvariation": self.transvariation}
        return {k: (v / t if t > 0 else float("nan")) for k, v in parts.items()}

    def to_frame(self) -> pd.DataFrame:
        return self.groups


def gini_decomposition(
    y: ArrayLike, groups: ArrayLike, weights: ArrayLike | None = None
) -> DagumGiniResult:
    """Dagum's Gini decomposition by groups, unweighted or weighted (e.g. by population).

    ``total`` is :func:`gini` on the same data (PySAL unweighted, Lorenz curve weighted);
    within + net_between + transvariation equal it to rounding. With one group the two
    between parts are 0; groups with the same mean have D_jh = 0 (all of their between
    inequality is transvariation).
    """
    y = np.asarray(y, dtype=float)
    labels = _group_labels(groups, len(y))
    w = np.ones_like(y) if weights is None else np.asarray(weights, dtype=float)
    total_w = w.sum()
    mean = float(np.sum(w * y) / total_w)
    keys = list(pd.unique(labels))
    members = {g: labels == g for g in keys}
    p = {g: w[m].sum() / total_w for g, m in members.items()}
    mu = {g: float(np.sum(w[m] * y[m]) / w[m].sum()) for g, m in members.items()}
    s = {g: p[g] * mu[g] / mean for g in keys}

    def delta(a: object, b: object) -> float:  # mean absolute difference between groups
        ma, mb = members[a], members[b]
        return _abs_diff_sum(y[ma], w[ma], y[mb], w[mb]) / (w[ma].sum() * w[mb].sum())

    rows = []
    for g in keys:
        g_jj = delta(g, g) / (2 * mu[g]) if mu[g] > 0 else 0.0
        rows.append({"group": g, "units": int(members[g].sum()), "weight_share": p[g],
                     "value_share": s[g], "mean": mu[g], "gini_within_group": g_jj,
                     "within_contribution": g_jj * p[g] * s[g]})
    pair_rows = []
    for i, a in enumerate(keys):
        for b in keys[i + 1:]:
            hi, lo = (a, b) if mu[a] >= mu[b] else (b, a)
            d = delta(hi, lo)
            g_jh = d / (mu[hi] + mu[lo]) if mu[hi] + mu[lo] > 0 else 0.0
            d_jh = min((mu[hi] - mu[lo]) / d, 1.0) if d > 0 else 0.0  # ≤ 1 up to rounding
            weight = p[hi] * s[lo] + p[lo] * s[hi]
            pair_rows.append({"higher": hi, "lower": lo, "gini_between_groups": g_jh,
                              "relative_affluence": d_jh,
                              "net_between_contribution": g_jh * weight * d_jh,
                              "transvariation_contribution": g_jh * weight * (1 - d_jh)})
    table = pd.DataFrame(rows)
    pairs = pd.DataFrame(pair_rows, columns=[
        "higher", "lower", "gini_between_groups", "relative_affluence",
        "net_between_contribution", "transvariation_contribution"])
    return DagumGiniResult(
        weighted=weights is not None,
        total=gini(y, None if weights is None else w),
        within=float(table["within_contribution"].sum()),
        net_between=float(pairs["net_between_contribution"].sum()),
        transvariation=float(pairs["transvariation_contribution"].sum()),
        groups=table,
        pairs=pairs,
    )


def _ge2(y: np.ndarray, p: np.ndarray) -> float:
    """GE(2) = ½ Σ p_i ((y_i/μ)² − 1) with weight shares p (summing to 1), μ = Σ p_i y_i."""
    mu = float(np.sum(p * y))
    return 0.0 if mu <= 0 else float(0.5 * (np.sum(p * (y / mu) ** 2) - 1.0))


@dataclass(frozen=True)
class GE2Result(MethodResult):
    """GE(2) = CV²/2 with its exact between/within decomposition (``groups`` None: none)."""

    weighted: bool
    total: float
    cv: float
    between: float | None
    within: float | None
    groups: pd.DataFrame | None

    def to_frame(self) -> pd.DataFrame:
        if self.groups is None:
            return pd.DataFrame({"ge2": [self.total], "cv": [self.cv]})
        return self.groups


def ge2(
    y: ArrayLike, weights: ArrayLike | None = None, groups: ArrayLike | None = None
) -> GE2Result:
    """Generalised entropy GE(2) = CV²/2 (ddof 0; weighted: Williamson's CV²/2).

    Decomposition over ``groups`` (Shorrocks 1980): between = ½ Σ p_j ((ȳ_j/ȳ)² − 1), the
    GE(2) of the group means; within = Σ (s_j²/p_j) GE_j(2). The ``groups`` table gives per
    group units, p_j, s_j, the mean, GE_j(2), the within weight s_j²/p_j and both
    contributions (a group's between contribution is negative when its mean is below ȳ).
    """
    y = np.asarray(y, dtype=float)
    w = np.ones_like(y) if weights is None else np.asarray(weights, dtype=float)
    q = w / w.sum()
    total = _ge2(y, q)
    cv = math.sqrt(2 * total) if total > 0 else 0.0
    if groups is None:
        return GE2Result(weights is not None, total, cv, None, None, None)
    labels = _group_labels(groups, len(y))
    mean = float(np.sum(q * y))
    rows = []
    for g in pd.unique(labels):
        m = labels == g
        p_g = float(q[m].sum())
        mu_g = float(np.sum(q[m] * y[m]) / p_g)
        s_g = p_g * mu_g / mean
        ge_g = _ge2(y[m], q[m] / p_g)
        rows.append({"group": g, "units": int(m.sum()), "weight_share": p_g,
                     "value_share": s_g, "mean": mu_g, "ge2_within_group": ge_g,
                     "within_weight": s_g**2 / p_g,
                     "within_contribution": s_g**2 / p_g * ge_g,
                     "between_contribution": 0.5 * p_g * ((mu_g / mean) ** 2 - 1.0)})
    table = pd.DataFrame(rows)
    return GE2Result(
        weighted=weights is not None,
        total=total,
        cv=cv,
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
    ge2: GE2Result | None = None
    ge2_weighted: GE2Result | None = None
    gini_decomposition: DagumGiniResult | None = None
    gini_decomposition_weighted: DagumGiniResult | None = None

    def to_frame(self) -> pd.DataFrame:
        """One row per measure, columns ``unweighted`` and ``weighted``."""
        tw = self.theil_weighted

        def pair(a, b, field):
            return (getattr(a, field) if a else None, getattr(b, field) if b else None)

        rows = {
            "mean": (self.mean, self.weighted_mean),
            "cv": (self.cv, self.cv_weighted),
            "gini": (self.gini, self.gini_weighted),
            "theil": (self.theil.total, tw.total if tw else None),
            "theil_between": (self.theil.between, tw.between if tw else None),
            "theil_within": (self.theil.within, tw.within if tw else None),
            "ge2": pair(self.ge2, self.ge2_weighted, "total"),
            "ge2_between": pair(self.ge2, self.ge2_weighted, "between"),
            "ge2_within": pair(self.ge2, self.ge2_weighted, "within"),
        }
        if self.gini_decomposition is not None:
            d, dw = self.gini_decomposition, self.gini_decomposition_weighted
            rows["gini_within"] = pair(d, dw, "within")
            rows["gini_net_between"] = pair(d, dw, "net_between")
            rows["gini_transvariation"] = pair(d, dw, "transvariation")
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
    """CV, Gini, Theil, GE(2) (with decompositions by ``group``) and primacy of ``value``.

    ``frame`` is indexed by unit id. ``weight`` (e.g. population) adds the weighted
    variants; ``value`` should then be an intensive quantity (per capita). ``group`` is a
    column of group labels (e.g. the city of each county). Primacy shares are computed on
    the column ``primacy_of`` if given (e.g. GDP), else on value × weight (the extensive
    total) when weighted, else on ``value``. With ``group``: Theil and GE(2) between/within
    and Dagum's Gini decomposition (within, net between, transvariation). GE(2) = CV²/2 uses
    the population standard deviation whatever ``ddof``.
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
        ge2=ge2(y, None, labels),
        ge2_weighted=None if w is None else ge2(y, w, labels),
        gini_decomposition=None if labels is None else gini_decomposition(y, labels),
        gini_decomposition_weighted=(
            None if labels is None or w is None else gini_decomposition(y, labels, w)),
    )
