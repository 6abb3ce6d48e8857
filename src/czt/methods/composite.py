"""Composite index 综合指数 following the OECD/JRC handbook, with uncertainty and sensitivity.

Why: "is integration progressing?" is often summarised in one index per unit; the handbook
pipeline makes every choice explicit, and the uncertainty analysis shows how far each unit's
rank depends on those choices (a rank interval instead of a single rank) and which choice
matters most (Sobol indices).

Pipeline (each step an option, all recorded in the result; COINr's order):

0. Framework (:mod:`czt.methods.composite_framework`): dimensions (the plan's action areas)
   and their indicators with direction, expert weights, goalposts and targets. Without a file,
   all columns form one dimension and ``cost`` gives the directions.
1. Screen (``screen_units``, ``screen_indicators``, shares in [0, 1]): a row (unit, or unit and
   year) with fewer than that share of its indicators present is dropped; then an indicator
   present for fewer than that share of the remaining rows is dropped. Both are listed.
2. Impute (``impute``): ``none`` (a missing value is an error), ``mean`` or ``median`` of the
   indicator over all rows (unconditional imputation, Handbook §1.3); filled cells are listed.
3. Outliers (``outliers``): ``winsorize`` treats an indicator when |skewness| > 2 and
   kurtosis > 3.5 (sample skewness G1 and excess kurtosis G2, as Excel SKEW/KURT; the JRC
   rule): the most extreme value on the skewed side is replaced by the next one, up to
   ``winsor_max`` = 5 values, until the rule no longer fires; if it still fires, the original
   values are log-transformed instead (COINr ``log_CT_plus``): ln(x − min + a) for positive
   skew, −ln(max + a − x) for negative skew, a = 0.01 (max − min). ``none`` skips this.
4. Normalise with direction (cost: smaller is better), range (lo, hi) = ``minmax_range``:
   ``minmax`` lo + (hi − lo)(x − min)/(max − min), cost (max − x); ``zscore`` (x − mean)/sd
   (ddof 1), negated for cost; ``rank`` 1…n, best = n; ``goalposts`` lo + (hi − lo) ·
   clip((x − L)/(U − L), 0, 1) with the framework's [L, U], cost (U − x); ``target`` (COINr
   distance to target, capped) lo + (hi − lo) · min(1, (x − min)/(T − min)), cost
   (max − x)/(max − T). Min, max, mean and sd are taken over all rows (with years: pooled,
   so scores compare across years).
5. Weights within each dimension: ``equal``; ``budget`` (the framework's expert budget points,
   rescaled within each dimension); given (mapping or sequence, rescaled within each
   dimension); ``entropy`` (:mod:`czt.methods.entropy`, min-max variant on the treated data,
   per dimension); ``pca`` (Nicoletti et al. 2000 / Handbook §6.1, per dimension): factors of
   the correlation matrix with eigenvalue > 1 and > 10 % of variance (at least one),
   varimax-rotated when more than one; each indicator takes the factor on which its squared
   loading, scaled to unit sum per factor, is largest; w = scaled squared loading × factor's
   share of the retained variance, rescaled. Dimension weights come from the framework
   (default equal). Effective weight of indicator j in dimension d: W_d · w_j|d.
6. Aggregate, the same rule at both levels: ``arithmetic`` dimension score Σ w_j|d z_j, index
   Σ W_d · dimension = Σ_j W_d w_j|d z_j; ``geometric`` Π z^w at both levels (needs z > 0: use
   ``minmax_range=(1, 100)`` or ``rank``). Contribution of indicator j to a row's index:
   W_d w_j|d z_j (arithmetic, they sum to the score) or W_d w_j|d ln z_j (geometric, they sum
   to ln score). Ranks (1 = best, ties share the best rank) are within each year.
7. Uncertainty (``runs`` > 0, Saisana, Saltelli & Tarantola 2005) and sensitivity (``sobol``
   > 0): see :mod:`czt.methods.composite_uncertainty`.

References: OECD & JRC (2008) *Handbook on Constructing Composite Indicators: Methodology
and User Guide*, OECD Publishing; Becker W. et al. (2017) *Ecological Indicators* 80:12–22
and the COINr package (Becker et al. 2022, *JOSS* 7(78):4567) for the outlier rule, log
transform and distance to target; Nicoletti G., Scarpetta S. & Boylaud O. (2000) OECD
Economics Department Working Paper 226; Saisana M., Saltelli A. & Tarantola S. (2005)
*JRSS A* 168(2):307–323.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import stats
from statsmodels.multivariate.factor_rotation import rotate_factors

from czt.methods.composite_framework import Framework, FrameworkError
from czt.methods.convergence import to_year
from czt.methods.entropy import check_indicator_options, entropy_weights
from czt.methods.inputs import (
    MethodInputError,
    Text,
    check_units,
    numeric_matrix,
    option_error,
    row_lines,
    where,
)
from czt.methods.results import MethodResult
from czt.methods.topsis import resolve_weights
from czt.methods.yaml_file import raise_all

METHOD = Text("综合指数", "composite index")
IMPUTE = ("none", "mean", "median")
OUTLIERS = ("none", "winsorize")
NORMALISE = ("minmax", "zscore", "rank", "goalposts", "target")
WEIGHTS = ("equal", "budget", "entropy", "pca")
AGGREGATE = ("arithmetic", "geometric")


def _choice(option: str, value: str, allowed: tuple[str, ...]) -> None:
    if value not in allowed:
        raise option_error(option, f"只能是 {allowed}", f"must be one of {allowed}")


# --------------------------------------------------------------------------- the steps


def impute(x: np.ndarray, how: str) -> tuple[np.ndarray, list[tuple[int, int, float]]]:
    """Fill NaN with the column mean or median; return the filled cells."""
    x = x.copy()
    filled = []
    for j in range(x.shape[1]):
        missing = np.isnan(x[:, j])
        if missing.any():
            value = float(np.nanmean(x[:, j]) if how == "mean" else np.nanmedian(x[:, j]))
            x[missing, j] = value
            filled.extend((int(i), j, value) for i in np.flatnonzero(missing))
    return x, filled


def _skew_kurt(v: np.ndarray) -> tuple[float, float]:
    if np.ptp(v) == 0 or len(v) < 4:
        return 0.0, 0.0
    return float(stats.skew(v, bias=False)), float(stats.kurtosis(v, bias=False))


def _fires(v: np.ndarray) -> bool:
    skew, kurt = _skew_kurt(v)
    return abs(skew) > 2 and kurt > 3.5


def winsorize(v: np.ndarray, max_points: int = 5) -> tuple[np.ndarray, int, bool]:
    """JRC rule: while |skew| > 2 and kurtosis > 3.5, pull the extreme value in to the next.

    Returns the treated values, the number of points changed and whether the rule is met.
    """
    v = v.astype(float).copy()
    changed = 0
    while True:
        if not _fires(v):
            return v, changed, True
        if changed >= max_points:
            return v, changed, False
        order = np.sort(np.unique(v))
        if len(order) < 2:
            return v, changed, True
        if _skew_kurt(v)[0] > 0:
            v[v == order[-1]] = order[-2]
        else:
            v[v == order[0]] = order[1]
        changed += 1


def log_ct_plus(v: np.ndarray) -> np.ndarray:
    """COINr's skew-corrected log: ln(x − min + a) (positive skew) or −ln(max + a − x)
    (negative skew), a = 0.01 (max − min); keeps the order of the values."""
    low, high = float(v.min()), float(v.max())
    a = 0.01 * (high - low)
    if _skew_kurt(v)[0] >= 0:
        return np.log(v - low + a)
    return -np.log(high + a - v)


def treat(x: np.ndarray, max_points: int) -> tuple[np.ndarray, pd.DataFrame]:
    """Winsorise each column, falling back to :func:`log_ct_plus` when that is not enough."""
    x = x.copy()
    rows = []
    for j in range(x.shape[1]):
        treated, changed, met = winsorize(x[:, j], max_points)
        logged = False
        if not met:
            treated, changed, logged = log_ct_plus(x[:, j]), 0, True
            met = not _fires(treated)
        x[:, j] = treated
        rows.append((changed, logged, met))
    log = pd.DataFrame(rows, columns=["winsorized_points", "log_transformed", "outlier_rule_met"])
    return x, log


def normalise(
    x: np.ndarray,
    is_cost: np.ndarray,
    how: str,
    minmax_range: tuple[float, float] = (0, 100),
    *,
    goalposts: np.ndarray | None = None,
    targets: np.ndarray | None = None,
) -> np.ndarray:
    """Direction-adjusted normalisation of each column (see the module docstring)."""
    lo, hi = minmax_range
    if how == "zscore":
        z = (x - x.mean(axis=0)) / x.std(axis=0, ddof=1)
        return np.where(is_cost, -z, z)
    if how == "rank":
        return stats.rankdata(np.where(is_cost, -x, x), method="average", axis=0)
    if how == "goalposts":
        low, high = goalposts[:, 0], goalposts[:, 1]
        frac = np.where(is_cost, high - x, x - low) / (high - low)
        return lo + (hi - lo) * np.clip(frac, 0.0, 1.0)
    low, high = x.min(axis=0), x.max(axis=0)
    if how == "target":
        frac = np.where(is_cost, (high - x) / (high - targets), (x - low) / (targets - low))
        return lo + (hi - lo) * np.minimum(frac, 1.0)
    frac = np.where(is_cost, high - x, x - low) / (high - low)
    return lo + (hi - lo) * frac


def aggregate(z: np.ndarray, w: np.ndarray, how: str) -> np.ndarray:
    """Σ w z or Π z^w over the last axis of ``z`` (works for a matrix of weights too)."""
    if how == "arithmetic":
        return z @ w
    return np.exp(np.log(z) @ w)


def pca_weights(x: np.ndarray) -> tuple[np.ndarray, pd.DataFrame]:
    """Handbook PCA weights; returns weights and the per-indicator factor assignment."""
    z = (x - x.mean(axis=0)) / x.std(axis=0, ddof=1)
    corr = np.corrcoef(z, rowvar=False)
    values, vectors = np.linalg.eigh(corr)
    order = np.argsort(values)[::-1]
    values, vectors = values[order], vectors[:, order]
    share = values / values.sum()
    keep = max(1, int(np.sum((values > 1) & (share > 0.1))))
    loadings = vectors[:, :keep] * np.sqrt(values[:keep])
    if keep > 1:
        loadings = rotate_factors(loadings, "varimax")[0]
    squared = loadings**2
    explained = squared.sum(axis=0)
    scaled = squared / explained
    # loadings within 1e-9 of the largest are a tie, not a difference: take the first such
    # factor, so identical indicators land on the same factor whatever the rounding
    factor = np.argmax(scaled >= scaled.max(axis=1, keepdims=True) - 1e-9, axis=1)
    raw = scaled[np.arange(len(factor)), factor] * (explained / explained.sum())[factor]
    details = pd.DataFrame({"factor": factor + 1, "scaled_squared_loading": raw})
    return raw / raw.sum(), details


def group_ranks(scores: np.ndarray, groups: np.ndarray) -> np.ndarray:
    """Rank rows (1 = highest score, ties share the best rank) within each group; ``scores``
    may have a second axis of replications."""
    ranks = np.empty(scores.shape, dtype=np.int32)
    for g in np.unique(groups):
        rows = groups == g
        ranks[rows] = stats.rankdata(-scores[rows], method="min", axis=0)
    return ranks


# --------------------------------------------------------------------------- the pipeline


@dataclass(frozen=True)
class Spec:
    """Everything the steps after screening need besides the choices being varied."""

    framework: Framework
    raw: np.ndarray  # rows × indicators after screening, NaN where missing
    groups: np.ndarray  # year (or 0) of each row, for ranks
    outliers: str
    winsor_max: int
    minmax_range: tuple[float, float]
    given: object = None  # given weights (mapping/sequence) for the "given" scheme
    frame_index: pd.Index = field(default_factory=lambda: pd.Index([]))

    @property
    def is_cost(self) -> np.ndarray:
        return np.array([i.is_cost for i in self.framework.indicators])

    @property
    def goalposts(self) -> np.ndarray | None:
        posts = [i.goalposts for i in self.framework.indicators]
        return None if any(p is None for p in posts) else np.array(posts, dtype=float)

    @property
    def targets(self) -> np.ndarray | None:
        targets = [i.target for i in self.framework.indicators]
        return None if any(t is None for t in targets) else np.array(targets, dtype=float)

    def treated(self, impute_with: str) -> tuple[np.ndarray, list, pd.DataFrame | None]:
        """Imputed and outlier-treated data (steps 2–3)."""
        x, filled = impute(self.raw, impute_with) if impute_with != "none" else (self.raw, [])
        if self.outliers == "winsorize":
            x, log = treat(x, self.winsor_max)
            return x, filled, log
        return x, filled, None

    def normalised(self, x: np.ndarray, how: str, minmax_range=None) -> np.ndarray:
        return normalise(x, self.is_cost, how, minmax_range or self.minmax_range,
                         goalposts=self.goalposts, targets=self.targets)

    def weights(self, x: np.ndarray, scheme: str) -> tuple[np.ndarray, np.ndarray | None]:
        """Within-dimension weights (each dimension sums to 1) and PCA factors if any."""
        fw = self.framework
        out = np.empty(len(fw.indicators))
        factors = np.zeros(len(fw.indicators), dtype=int) if scheme == "pca" else None
        start = 0
        budget = fw.budget()
        given = (resolve_weights(self.given, fw.columns) if scheme == "given" else None)
        for dim in fw.dimensions:
            cols = slice(start, start + len(dim.indicators))
            names = [i.column for i in dim.indicators]
            if scheme == "equal" or len(names) == 1:
                w = np.ones(len(names))
            elif scheme == "budget":
                w = budget[cols]
            elif scheme == "given":
                w = given[cols]
            elif scheme == "entropy":
                frame = pd.DataFrame(x[:, cols], columns=names)
                w = entropy_weights(frame, names, cost=[i.column for i in dim.indicators
                                                        if i.is_cost]).weights.to_numpy()
            else:
                if len(x) <= len(names):
                    raise option_error(
                        "weights", "PCA 权重需要单位数多于（每个维度的）指标数",
                        "PCA weights need more units than indicators (in each dimension)",
                    )
                w, details = pca_weights(x[:, cols])
                factors[cols] = details["factor"].to_numpy()
            if w.sum() <= 0:
                raise option_error("weights", f"维度 {dim.code} 的权重全为 0",
                                   f"the weights of dimension {dim.code} are all 0")
            out[cols] = w / w.sum()
            start += len(names)
        return out, factors

    def effective(self, within: np.ndarray) -> np.ndarray:
        """W_d · w_j|d for each indicator (a matrix of replications works too)."""
        member = self.framework.membership()
        return within * (member @ self.framework.dimension_weights())

    def renormalise(self, within: np.ndarray) -> np.ndarray:
        """Rescale (replications ×) indicator weights to sum 1 within each dimension."""
        member = self.framework.membership()
        return within / ((within @ member) @ member.T)

    def scores(self, impute_with: str, norm: str, agg: str, scheme: str,
               multipliers: np.ndarray | None = None,
               minmax_range: tuple[float, float] | None = None) -> np.ndarray:
        """One whole run of steps 2–6: the index of every row (the one-at-a-time path)."""
        x = self.treated(impute_with)[0]
        z = self.normalised(x, norm, minmax_range)
        within = self.weights(x, scheme)[0]
        if multipliers is not None:
            within = self.renormalise(within * multipliers)
        return aggregate(z, self.effective(within), agg)


@dataclass(frozen=True)
class CompositeResult(MethodResult):
    """Scores and ranks per row, dimension scores, weights and contributions per indicator,
    what was screened out and imputed, and (when asked) rank intervals and Sobol indices."""

    settings: dict[str, object]
    indicators: pd.DataFrame
    table: pd.DataFrame
    imputed: pd.DataFrame
    runs: int
    dimensions: pd.DataFrame = field(default_factory=pd.DataFrame)
    contributions: pd.DataFrame = field(default_factory=pd.DataFrame)
    screened: pd.DataFrame = field(default_factory=pd.DataFrame)
    sensitivity: pd.DataFrame = field(default_factory=pd.DataFrame)

    def to_frame(self) -> pd.DataFrame:
        return self.table


def composite_index(
    frame: pd.DataFrame,
    columns: Sequence[str] | None = None,
    *,
    cost: Sequence[str] = (),
    framework: Framework | None = None,
    year: str | None = None,
    screen_units: float = 0.0,
    screen_indicators: float = 0.0,
    impute_with: str = "none",
    outliers: str = "none",
    winsor_max: int = 5,
    normalisation: str = "minmax",
    minmax_range: tuple[float, float] = (0.0, 100.0),
    weights: str | Mapping[str, float] | Sequence[float] = "equal",
    aggregation: str = "arithmetic",
    runs: int = 0,
    weight_noise: float = 0.25,
    sobol: int = 0,
    seed: int | None = None,
) -> CompositeResult:
    """Composite index per unit (and year, if ``year`` names a column); see module docstring.

    ``framework`` replaces ``columns``/``cost``. ``runs`` Monte Carlo replications give rank
    intervals; ``sobol`` = N > 0 adds first-order and total Sobol indices from N·(D + 2)
    replications (N a power of 2).
    """
    _choice("impute", impute_with, IMPUTE)
    _choice("outliers", outliers, OUTLIERS)
    _choice("normalisation", normalisation, NORMALISE)
    _choice("aggregation", aggregation, AGGREGATE)
    if isinstance(weights, str):
        _choice("weights", weights, WEIGHTS)
    if runs < 0 or sobol < 0 or not 0 <= weight_noise < 1:
        raise option_error("runs/sobol/weight_noise", "runs ≥ 0，sobol ≥ 0，0 ≤ weight_noise < 1",
                           "runs >= 0, sobol >= 0 and 0 <= weight_noise < 1")
    if not (0 <= screen_units <= 1 and 0 <= screen_indicators <= 1):
        raise option_error("screen", "筛选阈值应在 0 到 1 之间",
                           "screening shares must be in [0, 1]")
    years = _years(frame, year)
    loc = check_units(frame, method=METHOD, minimum=3) if year is None else where(frame)
    if framework is None:
        columns = check_indicator_options(frame, columns, cost)
        framework = Framework.flat([c for c in columns if c != year], cost)
    framework.check_columns([c for c in frame.columns if c != year])
    _check_framework_options(framework, normalisation, weights)
    raw_all = numeric_matrix(frame, framework.columns, method=METHOD, allow_missing=True)
    keep_rows, keep_cols, screened = _screen(frame, framework, raw_all, screen_units,
                                             screen_indicators)
    framework = framework.restrict([c for c, k in zip(framework.columns, keep_cols,
                                                     strict=True) if k])
    kept = frame.iloc[np.flatnonzero(keep_rows)]
    raw = raw_all[np.ix_(keep_rows, keep_cols)]
    if len(kept) < 3:
        raise option_error("screen", f"筛选后只剩 {len(kept)} 行，至少需要 3 行",
                           f"only {len(kept)} rows are left after screening; 3 are needed")
    _check_missing(kept, framework.columns, raw, allow=impute_with != "none")
    spec = Spec(framework, raw, years[keep_rows], outliers, winsor_max, minmax_range,
                given=None if isinstance(weights, str) else weights, frame_index=kept.index)
    x, filled, treatment = spec.treated(impute_with)
    for j, name in enumerate(framework.columns):
        if np.ptp(x[:, j]) == 0:
            raise loc.cell("constant_column", None, name, value=x[0, j])
    _check_targets(spec, x, normalisation)
    scheme = weights if isinstance(weights, str) else "given"
    within, factors = spec.weights(x, scheme)
    w = spec.effective(within)
    z = spec.normalised(x, normalisation)
    if aggregation == "geometric" and np.any(z <= 0):
        raise option_error(
            "aggregation", "几何加权需要正的标准化值：请用 minmax_range=(1, 100) 或 rank",
            "geometric aggregation needs positive normalised values: use minmax_range "
            "(1, 100) or rank normalisation",
        )
    score = aggregate(z, w, aggregation)
    table = pd.DataFrame({"score": score}, index=kept.index.copy())
    if year is not None:
        table.insert(0, "year", spec.groups)
    table["rank"] = group_ranks(score, spec.groups)
    dims = _dimension_scores(spec, z, within, aggregation, table)
    contributions = _contributions(spec, z, w, aggregation, table)
    settings = {
        "framework": framework.source or None, "year": year,
        "screen_units": screen_units, "screen_indicators": screen_indicators,
        "impute": impute_with, "outliers": outliers, "winsor_max": winsor_max,
        "normalisation": normalisation, "minmax_range": list(minmax_range),
        "weights": scheme, "aggregation": aggregation, "weight_noise": weight_noise,
        "runs": runs, "sobol": sobol, "seed": seed,
    }
    sensitivity = pd.DataFrame()
    if runs or sobol:
        from czt.methods.composite_uncertainty import Space, rank_intervals, sobol_indices

        space = Space.around(impute_with, normalisation, scheme, weight_noise)
        rng = np.random.default_rng(seed)
        if runs:  # by position: with years a unit id repeats, so no join on the index
            intervals = rank_intervals(spec, space, runs, rng)
            for column in intervals.columns:
                table[column] = intervals[column].to_numpy()
        if sobol:
            sensitivity = sobol_indices(spec, space, sobol, table["rank"].to_numpy(), seed)
            settings["sobol_runs"] = sensitivity.attrs["runs"]
            settings["sobol_mean_rank_shift"] = sensitivity.attrs["mean_shift"]
    indicators = pd.DataFrame(
        {"dimension": [i.dimension for i in framework.indicators],
         "direction": np.where(spec.is_cost, "cost", "benefit"),
         "weight_in_dimension": within, "weight": w},
        index=pd.Index(framework.columns, name="indicator"),
    )
    if treatment is not None:
        indicators = indicators.join(treatment.set_index(indicators.index))
    if factors is not None:
        indicators["pca_factor"] = factors
    imputed = pd.DataFrame(
        [(kept.index[i], framework.columns[j], v) for i, j, v in filled],
        columns=["unit", "indicator", "value"],
    )
    return CompositeResult(settings, indicators, table, imputed, runs, dims, contributions,
                           screened, sensitivity)


# --------------------------------------------------------------------------- helpers


def _years(frame: pd.DataFrame, year: str | None) -> np.ndarray:
    """The year of each row (zeros without a year column); unit and year must be unique."""
    if year is None:
        return np.zeros(len(frame), dtype=int)
    loc = where(frame)
    if year not in frame.columns:
        raise loc.cell("missing_column", None, year, available=", ".join(map(str, frame.columns)))
    lines = row_lines(frame)
    years = []
    seen: dict[tuple, int] = {}
    for i, (unit, cell) in enumerate(zip(frame.index, frame[year], strict=True)):
        value = to_year(cell)
        if value is None:
            raise _cell(loc, "not_a_year", unit, year, lines[i], value=str(cell))
        if (unit, value) in seen:
            first = seen[(unit, value)]
            raise _cell(loc, "duplicate_unit_year", unit, year, lines[i],
                        first=Text(f"第 {first} 行", f"row {first}"))
        seen[(unit, value)] = lines[i] if lines[i] is not None else i + 1
        years.append(value)
    return np.array(years, dtype=int)


def _cell(loc, key: str, unit: object, column: str, row: int | None, **params: object):
    return MethodInputError(key, file=loc.file, row=row, unit=unit, column=column, **params)


def _check_framework_options(fw: Framework, normalisation: str, weights: object) -> None:
    if normalisation == "goalposts":
        fw.require("goalposts", ("目标区间（goalposts）", "goalposts"))
    if normalisation == "target":
        fw.require("target", ("距目标（target）", "distance-to-target"))
    if weights == "budget" and fw.budget() is None:
        raise option_error("weights", "budget 需要框架文件为每个指标给出 weight",
                           "budget needs a framework file giving every indicator a weight")


def _screen(frame, fw: Framework, raw: np.ndarray, unit_share: float, indicator_share: float):
    """Rows, then indicators, below the data-availability thresholds (COINr Screen)."""
    present = ~np.isnan(raw)
    row_cov = present.mean(axis=1)
    keep_rows = row_cov >= unit_share
    col_cov = present[keep_rows].mean(axis=0) if keep_rows.any() else np.zeros(raw.shape[1])
    keep_cols = col_cov >= indicator_share
    records = [("unit", str(u), float(c), unit_share)
               for u, c, k in zip(frame.index, row_cov, keep_rows, strict=True) if not k]
    records += [("indicator", name, float(c), indicator_share)
                for name, c, k in zip(fw.columns, col_cov, keep_cols, strict=True) if not k]
    screened = pd.DataFrame(records, columns=["kind", "id", "coverage", "threshold"])
    if not keep_cols.any():
        raise option_error("screen", "筛选后没有剩下任何指标",
                           "no indicator is left after screening")
    return keep_rows, keep_cols, screened


def _check_missing(frame: pd.DataFrame, columns: list[str], raw: np.ndarray, *,
                   allow: bool) -> None:
    """Without imputation no cell may be missing; with it, each column needs 2 values."""
    loc = where(frame)
    lines = row_lines(frame)
    for j, column in enumerate(columns):
        missing = np.flatnonzero(np.isnan(raw[:, j]))
        if (not allow and len(missing)) or (allow and len(raw) - len(missing) < 2):
            i = int(missing[0])
            raise _cell(loc, "missing_value", frame.index[i], column, lines[i])


def _check_targets(spec: Spec, x: np.ndarray, normalisation: str) -> None:
    if normalisation != "target":
        return
    problems = []
    for j, ind in enumerate(spec.framework.indicators):
        # the target must be strictly better than the worst value, or (T − worst) is ≤ 0
        worst = x[:, j].max() if ind.is_cost else x[:, j].min()
        if (worst - ind.target if ind.is_cost else ind.target - worst) <= 0:
            problems.append(FrameworkError(
                "target_unreachable", file=spec.framework.source or None, field=ind.field,
                target=ind.target, worst=float(worst)))
    raise_all(problems)


def _dimension_scores(spec: Spec, z, within, aggregation, table) -> pd.DataFrame:
    fw = spec.framework
    member = fw.membership()
    if aggregation == "arithmetic":
        values = (z * within) @ member
    else:
        values = np.exp((np.log(z) * within) @ member)
    out = pd.DataFrame(values, index=table.index.copy(), columns=[d.code for d in fw.dimensions])
    if "year" in table:
        out.insert(0, "year", table["year"].to_numpy())
    return out


def _contributions(spec: Spec, z, w, aggregation, table) -> pd.DataFrame:
    """Long table: one row per unit (and year) and indicator."""
    fw = spec.framework
    part = z * w if aggregation == "arithmetic" else np.log(z) * w
    n, k = z.shape
    out = pd.DataFrame({
        "unit": np.repeat(table.index.to_numpy(), k),
        "indicator": np.tile(fw.columns, n),
        "dimension": np.tile([i.dimension for i in fw.indicators], n),
        "normalised": z.ravel(),
        "weight": np.tile(w, n),
        "contribution": part.ravel(),
    })
    if "year" in table:
        out.insert(1, "year", np.repeat(table["year"].to_numpy(), k))
    return out
