"""Convergence 收敛: σ-convergence, cross-section and panel β-convergence.

Why: integration should show up as the districts and counties of the three cities growing
closer (σ: dispersion falls over time) and poorer units growing faster (β: negative
relation between growth and initial level). Input is wide by year: index = unit id, one
column per year (``2015``, ``2016`` … or ``2015年``), values in levels (e.g. GDP per capita,
constant prices preferred), all > 0 because logs are taken.

σ-convergence (Barro & Sala-i-Martin 1992; Sala-i-Martin 1996): for each year t,
σ_t = sd(ln y_it) (population standard deviation, ddof = 0), also CV_t, Gini_t and Theil_t;
the trend is the OLS slope of each measure on the year (negative slope = σ-convergence).

β-convergence: g_i = ln(y_iT / y_i0) / T = α + β ln y_i0 [+ γ'x_i] + ε_i, by OLS
(statsmodels), T = end year − start year. β < 0 means convergence. Implied speed
λ = −ln(1 + βT) / T (defined when 1 + βT > 0), half-life ln 2 / λ years (defined when λ > 0).
With controls ``x_i`` it is conditional β-convergence.

Panel β-convergence (Islam 1995): g_it = ln(y_it / y_i,t−τ) = β ln y_i,t−τ + [α | μ_i] + [δ_t]
+ ε_it over non-overlapping τ-year periods from the first year; pooled (absolute), with unit
fixed effects μ_i (conditional) and optionally period effects δ_t, all as dummies in OLS;
standard errors CRV1 clustered by unit, c = G/(G−1)·(N−1)/(N−K) with K excluding the unit
dummies nested in the clusters (fixest / reghdfe convention), t with G − 1 degrees of
freedom. λ = −ln(1 + β)/τ, half-life ln 2/λ. With unit effects and short panels the estimate
carries the Nickell (1981) bias towards faster convergence; with few clusters the
cluster-robust tests over-reject (Cameron & Miller 2015). Both are flagged in ``notes``.

References: Barro R. J. & Sala-i-Martin X. (1992) Convergence, *Journal of Political
Economy* 100(2):223–251; Barro & Sala-i-Martin (2004) *Economic Growth*, 2nd ed., ch. 11;
Sala-i-Martin X. (1996) The classical approach to convergence analysis, *Economic Journal*
106(437):1019–1036; Islam N. (1995) Growth empirics: a panel data approach, *QJE*
110(4):1127–1170; Nickell S. (1981) Biases in dynamic models with fixed effects,
*Econometrica* 49(6):1417–1426; Cameron A. C. & Miller D. L. (2015) A practitioner's guide to
cluster-robust inference, *Journal of Human Resources* 50(2):317–372.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
import statsmodels.api as sm
from scipy import stats

from czt.methods.disparity import coefficient_of_variation, gini, theil
from czt.methods.inputs import (
    BAD,
    SOURCE_ATTR,
    MethodInputError,
    Text,
    check_units,
    numeric_matrix,
    option_error,
    require_columns,
    row_lines,
    to_float,
    where,
)
from czt.methods.results import MethodResult

METHOD = Text("收敛分析", "convergence analysis")
_YEAR = re.compile(r"^\s*(\d{4})\s*年?\s*$")
COV_TYPES = ("nonrobust", "HC1")


def year_columns(frame: pd.DataFrame, years: Sequence[object] | None = None) -> dict[object, int]:
    """Map year columns to their year: given explicitly, or every column named like a year."""
    candidates = list(frame.columns) if years is None else list(years)
    found: dict[object, int] = {}
    for column in candidates:
        match = _YEAR.match(str(column))
        if match:
            found[column] = int(match.group(1))
        elif years is not None:
            raise option_error(
                "years", f"列 {column} 不是年份（如 2015 或 2015年）",
                f"column {column} is not a year (like 2015 or 2015年)",
            )
    if len(found) < 2:
        raise option_error(
            "years", "至少需要两个年份列（列名如 2015）",
            "at least two year columns are needed (named like 2015)",
        )
    return dict(sorted(found.items(), key=lambda item: item[1]))


@dataclass(frozen=True)
class SigmaConvergence(MethodResult):
    """Dispersion by year and its linear trend."""

    by_year: pd.DataFrame
    trend: pd.DataFrame
    converging: bool

    def to_frame(self) -> pd.DataFrame:
        return self.by_year


def sigma_convergence(
    frame: pd.DataFrame, years: Sequence[object] | None = None
) -> SigmaConvergence:
    """σ_t = sd(ln y_t) (ddof 0), CV_t, Gini_t, Theil_t per year; OLS trend on the year.

    ``converging`` is True when the slope of sd(ln y) on the year is negative.
    """
    check_units(frame, method=METHOD, minimum=2)
    columns = year_columns(frame, years)
    matrix = numeric_matrix(frame, list(columns), method=METHOD, strictly_positive=True)
    rows = []
    for j, year in enumerate(columns.values()):
        y = matrix[:, j]
        rows.append(
            {
                "year": year,
                "n": len(y),
                "sd_log": float(np.std(np.log(y))),
                "cv": coefficient_of_variation(y),
                "gini": gini(y),
                "theil": theil(y).total,
            }
        )
    by_year = pd.DataFrame(rows).set_index("year")
    trend_rows = []
    x = sm.add_constant(by_year.index.to_numpy(dtype=float))
    for measure in ("sd_log", "cv", "gini", "theil"):
        series = by_year[measure].to_numpy()
        if len(series) > 2:
            fit = sm.OLS(series, x).fit()
            slope, se, p = float(fit.params[1]), float(fit.bse[1]), float(fit.pvalues[1])
        else:  # two years: the line through both points, no standard error
            slope = float((series[1] - series[0]) / (x[1, 1] - x[0, 1]))
            se = p = float("nan")
        trend_rows.append(
            {
                "measure": measure,
                "slope_per_year": slope,
                "std_error": se,
                "p_value": p,
                "change": float(series[-1] - series[0]),
            }
        )
    trend = pd.DataFrame(trend_rows).set_index("measure")
    return SigmaConvergence(by_year, trend, bool(trend.loc["sd_log", "slope_per_year"] < 0))


@dataclass(frozen=True)
class BetaConvergence(MethodResult):
    """OLS of average log growth on log initial level."""

    start_year: int
    end_year: int
    span_years: int
    n: int
    alpha: float
    beta: float
    std_error: float
    t_value: float
    p_value: float
    r_squared: float
    cov_type: str
    speed: float | None
    half_life: float | None
    controls: dict[str, float]
    data: pd.DataFrame

    def to_frame(self) -> pd.DataFrame:
        return pd.DataFrame(
            {
                "coefficient": ["alpha", "beta", *self.controls],
                "estimate": [self.alpha, self.beta, *self.controls.values()],
            }
        ).set_index("coefficient")


def implied_speed(beta: float, span: float) -> float | None:
    """λ = −ln(1 + βT) / T; None when 1 + βT <= 0 (no speed implied)."""
    base = 1.0 + beta * span
    return None if base <= 0 else -math.log(base) / span


def beta_convergence(
    frame: pd.DataFrame,
    *,
    start: object | None = None,
    end: object | None = None,
    controls: Sequence[str] = (),
    cov_type: str = "nonrobust",
) -> BetaConvergence:
    """β-convergence between the ``start`` and ``end`` year columns (default first, last).

    ``controls`` are further numeric columns (conditional convergence). ``cov_type`` is
    ``nonrobust`` (classical OLS standard errors) or ``HC1`` (White, small-sample scaled).
    """
    if cov_type not in COV_TYPES:
        raise option_error("cov_type", f"只能是 {COV_TYPES}", f"must be one of {COV_TYPES}")
    minimum = 3 + len(controls)
    check_units(frame, method=METHOD, minimum=minimum)
    columns = year_columns(frame)
    by_year = {year: column for column, year in columns.items()}
    start_year = min(by_year) if start is None else _as_year(start, by_year)
    end_year = max(by_year) if end is None else _as_year(end, by_year)
    if end_year <= start_year:
        raise option_error("end", "结束年份必须晚于起始年份", "end year must be after start year")
    levels = numeric_matrix(
        frame, [by_year[start_year], by_year[end_year]], method=METHOD, strictly_positive=True
    )
    span = end_year - start_year
    log_initial = np.log(levels[:, 0])
    growth = (np.log(levels[:, 1]) - log_initial) / span
    regressors = [log_initial]
    if controls:
        regressors.extend(numeric_matrix(frame, list(controls), method=METHOD).T)
    x = sm.add_constant(np.column_stack(regressors), has_constant="add")
    fit = sm.OLS(growth, x).fit(cov_type=cov_type)
    beta = float(fit.params[1])
    speed = implied_speed(beta, span)
    half_life = math.log(2) / speed if speed is not None and speed > 0 else None
    data = pd.DataFrame(
        {"log_initial": log_initial, "average_growth": growth}, index=frame.index.copy()
    )
    return BetaConvergence(
        start_year=start_year,
        end_year=end_year,
        span_years=span,
        n=len(growth),
        alpha=float(fit.params[0]),
        beta=beta,
        std_error=float(fit.bse[1]),
        t_value=float(fit.tvalues[1]),
        p_value=float(fit.pvalues[1]),
        r_squared=float(fit.rsquared),
        cov_type=cov_type,
        speed=speed,
        half_life=half_life,
        controls={name: float(fit.params[2 + k]) for k, name in enumerate(controls)},
        data=data,
    )


def _as_year(value: object, by_year: dict[int, object]) -> int:
    match = _YEAR.match(str(value))
    if not match or int(match.group(1)) not in by_year:
        raise option_error(
            "start/end", f"年份 {value} 不在数据的年份列中：{sorted(by_year)}",
            f"year {value} is not among the year columns: {sorted(by_year)}",
        )
    return int(match.group(1))


@dataclass(frozen=True)
class ConvergenceResult(MethodResult):
    """σ- and β-convergence for one indicator."""

    sigma: SigmaConvergence
    beta: BetaConvergence

    def to_frame(self) -> pd.DataFrame:
        return self.sigma.by_year


def convergence(
    frame: pd.DataFrame,
    *,
    years: Sequence[object] | None = None,
    start: object | None = None,
    end: object | None = None,
    controls: Sequence[str] = (),
    cov_type: str = "nonrobust",
) -> ConvergenceResult:
    """σ-convergence over ``years`` and β-convergence from ``start`` to ``end``."""
    return ConvergenceResult(
        sigma=sigma_convergence(frame, years),
        beta=beta_convergence(frame, start=start, end=end, controls=controls, cov_type=cov_type),
    )


# --------------------------------------------------------------------------- panel β


PANEL_METHOD = Text("面板 β 收敛", "panel beta-convergence")
PANEL_COV_TYPES = ("cluster", "HC1", "nonrobust")
FEW_CLUSTERS = 20  # below this, cluster-robust tests over-reject (Cameron & Miller 2015)
SHORT_PANEL = 10  # unit FE with fewer periods: Nickell (1981) bias of order 1/T is large
PANEL_NOTES = {
    "few_clusters": Text(
        "聚类数少于 {n}：聚类稳健标准误偏小、检验过度拒绝（Cameron & Miller 2015），p 值仅供参考",
        "fewer than {n} clusters: cluster-robust standard errors are too small and tests "
        "over-reject (Cameron & Miller 2015); read the p-value as indicative only",
    ),
    "nickell": Text(
        "个体固定效应且期数少于 {n}：滞后水平与去均值误差相关（Nickell 1981），β 偏向更快收敛",
        "unit fixed effects with fewer than {n} periods: the lagged level is correlated with "
        "the demeaned error (Nickell 1981), biasing β towards faster convergence",
    ),
    "singletons": Text(
        "只有一个增长观测值的单位在个体固定效应下不提供信息，已剔除：{units}",
        "units with a single growth observation carry no information under unit fixed "
        "effects and were dropped: {units}",
    ),
}


def panel_from_wide(frame: pd.DataFrame, years: Sequence[object] | None = None) -> pd.DataFrame:
    """The wide-by-year input of :func:`convergence` as a long panel (index unit id,
    columns ``year`` and ``value``). Empty cells stay missing; values must be > 0."""
    check_units(frame, method=PANEL_METHOD, minimum=1)
    columns = year_columns(frame, years)
    matrix = numeric_matrix(frame, list(columns), method=PANEL_METHOD, strictly_positive=True,
                            allow_missing=True)
    units = np.repeat(np.asarray(frame.index, dtype=object), len(columns))
    long = pd.DataFrame(
        {"year": np.tile(list(columns.values()), len(frame)), "value": matrix.reshape(-1)},
        index=pd.Index(units, name=frame.index.name or "unit"),
    )
    if SOURCE_ATTR in frame.attrs:
        long.attrs[SOURCE_ATTR] = frame.attrs[SOURCE_ATTR]
    return long


@dataclass(frozen=True)
class PanelBetaConvergence(MethodResult):
    """Panel β-convergence: τ-year log growth on the log level at the start of the period.

    ``data`` has one row per growth observation (unit, start_year, year, log_initial,
    growth, used); ``missing`` lists the unit × year cells of the period grid without a
    value; ``dropped_units`` the singleton units left out under unit fixed effects.
    """

    specification: str
    unit_effects: bool
    year_effects: bool
    span_years: int
    first_year: int
    last_year: int
    period_years: list[int]
    n_obs: int
    n_units: int
    n_periods: int
    beta: float
    std_error: float
    t_value: float
    p_value: float
    df_inference: int
    cov_type: str
    n_clusters: int | None
    alpha: float | None
    r_squared: float
    speed: float | None
    half_life: float | None
    notes: list[str]
    dropped_units: list[object]
    data: pd.DataFrame
    missing: pd.DataFrame

    def to_frame(self) -> pd.DataFrame:
        return self.data

    def note_texts(self, lang: str = "zh") -> list[str]:
        """The notes as sentences in ``lang``."""
        values = {"few_clusters": {"n": FEW_CLUSTERS}, "nickell": {"n": SHORT_PANEL},
                  "singletons": {"units": ", ".join(str(u) for u in self.dropped_units)}}
        return [PANEL_NOTES[k].get(lang).format(**values[k]) for k in self.notes]


def _specification(unit_effects: bool, year_effects: bool) -> str:
    return {(True, True): "unit + year FE", (True, False): "unit FE",
            (False, True): "pooled + year FE", (False, False): "pooled"}[
        (unit_effects, year_effects)]


def _panel_cells(
    data: pd.DataFrame, year: str, value: str
) -> tuple[dict[tuple[object, int], float], list[object]]:
    """Check every row of a long panel; return {(unit, year): value} (NaN = missing)."""
    loc = where(data)
    rows = row_lines(data)
    require_columns(data, [year, value])
    cells: dict[tuple[object, int], float] = {}
    first: dict[tuple[object, int], int] = {}
    units: list[object] = []
    for k, (unit, y_cell, v_cell) in enumerate(
        zip(data.index, data[year], data[value], strict=True)
    ):
        row = rows[k]
        if unit is None or (isinstance(unit, float) and math.isnan(unit)) or str(unit) == "":
            raise MethodInputError("missing_unit_id_position", file=loc.file, row=row,
                                   column=data.index.name, position=k + 1)
        y_num = to_year(y_cell)
        if y_num is None:
            raise MethodInputError("not_a_year", file=loc.file, row=row, unit=unit,
                                   column=year, value=str(y_cell))
        number = to_float(v_cell)
        if number is BAD:
            raise MethodInputError("non_numeric", file=loc.file, row=row, unit=unit,
                                   column=value, value=str(v_cell))
        if number is not None and number <= 0:
            raise MethodInputError("non_positive", file=loc.file, row=row, unit=unit,
                                   column=value, value=number, method=PANEL_METHOD)
        key = (unit, y_num)
        if key in cells:
            seen = first[key]
            raise MethodInputError(
                "duplicate_unit_year", file=loc.file, row=row, unit=unit, column=year,
                first=Text(f"第 {seen} 行", f"row {seen}") if rows[0] is not None
                else Text(f"第 {seen} 个位置", f"position {seen}"),
            )
        cells[key] = float("nan") if number is None else float(number)
        first[key] = row if row is not None else k + 1
        if unit not in units:
            units.append(unit)
    return cells, units


def to_year(cell: object) -> int | None:
    if isinstance(cell, bool | np.bool_):
        return None
    if isinstance(cell, int | np.integer):
        return int(cell)
    if isinstance(cell, float | np.floating):
        return int(cell) if math.isfinite(cell) and float(cell).is_integer() else None
    match = _YEAR.match(str(cell))
    return int(match.group(1)) if match else None




def cluster_robust_cov(
    x: np.ndarray, resid: np.ndarray, clusters: np.ndarray, k: int
) -> np.ndarray:
    """CRV1: c (X'X)⁻¹ [Σ_g X_g' u_g u_g' X_g] (X'X)⁻¹, c = G/(G−1) · (N−1)/(N−k).

    ``k`` counts the estimated coefficients that are not fixed effects nested in the
    clusters (the fixest / reghdfe convention).
    """
    n = len(resid)
    bread = np.linalg.pinv(x.T @ x)
    labels = pd.factorize(pd.Series(clusters, dtype=object))[0]
    g = int(labels.max()) + 1
    scores = np.zeros((g, x.shape[1]))
    np.add.at(scores, labels, x * resid[:, None])
    meat = scores.T @ scores
    c = g / (g - 1) * (n - 1) / (n - k)
    return c * bread @ meat @ bread


def panel_beta_convergence(
    data: pd.DataFrame,
    *,
    year: str = "year",
    value: str = "value",
    span: int = 1,
    start: object | None = None,
    end: object | None = None,
    unit_effects: bool = True,
    year_effects: bool = False,
    cov_type: str = "cluster",
) -> PanelBetaConvergence:
    """Panel β-convergence on a long panel (index = unit id, columns ``year``, ``value``).

    Periods run from ``start`` (default: first year) in steps of ``span`` = τ years up to
    ``end`` (default: last year); for each unit and period with both levels present,
    g_it = ln(y_it / y_i,t−τ) is regressed by OLS on ln y_i,t−τ with unit fixed effects
    (``unit_effects``, conditional convergence; without them: pooled, absolute convergence,
    with a constant) and optionally period fixed effects (``year_effects``). Fixed effects
    enter as dummies. ``cov_type``: ``cluster`` (CRV1 by unit, t with G − 1 degrees of
    freedom), ``HC1`` or ``nonrobust``. Speed λ = −ln(1 + β)/τ (when 1 + β > 0), half-life
    ln 2/λ (when λ > 0). Missing values are allowed: a period enters when both of its years
    have a value; the unit × year cells without one are listed in ``missing``.
    """
    if cov_type not in PANEL_COV_TYPES:
        raise option_error("cov_type", f"只能是 {PANEL_COV_TYPES}",
                           f"must be one of {PANEL_COV_TYPES}")
    if isinstance(span, bool) or not isinstance(span, int | np.integer) or span < 1:
        raise option_error("span", "增长间隔 τ 必须是正整数（年）",
                           "the growth span τ must be a positive whole number of years")
    cells, units = _panel_cells(data, year, value)
    years_all = sorted({y for _, y in cells})
    first = years_all[0] if start is None else _panel_year(start, years_all, "start")
    last = years_all[-1] if end is None else _panel_year(end, years_all, "end")
    if last - first < span:
        raise option_error(
            "span", f"{first}–{last} 不足一个 {span} 年的增长期",
            f"{first}–{last} is shorter than one growth period of {span} years",
        )
    grid = list(range(first, last + 1, span))
    missing = pd.DataFrame(
        [{"unit": u, "year": y} for u in units for y in grid
         if not math.isfinite(cells.get((u, y), float("nan")))],
        columns=["unit", "year"],
    )
    rows = []
    for u in units:
        for a, b in zip(grid, grid[1:], strict=False):
            y0, y1 = cells.get((u, a), float("nan")), cells.get((u, b), float("nan"))
            if math.isfinite(y0) and math.isfinite(y1):
                rows.append({"unit": u, "start_year": a, "year": b,
                             "log_initial": math.log(y0), "growth": math.log(y1 / y0)})
    obs = pd.DataFrame(rows, columns=["unit", "start_year", "year", "log_initial", "growth"])
    dropped: list[object] = []
    if unit_effects and len(obs):
        counts = obs["unit"].value_counts()
        dropped = [u for u in units if counts.get(u, 0) == 1]
    obs["used"] = ~obs["unit"].isin(dropped)
    used = obs[obs["used"]].reset_index(drop=True)
    n = len(used)
    unit_ids = list(pd.unique(used["unit"]))
    period_ids = sorted(used["year"].unique())
    k_all = 2 + (max(len(unit_ids) - 1, 0) if unit_effects else 0) + (
        max(len(period_ids) - 1, 0) if year_effects else 0)
    minimum = k_all + 1
    if n < minimum or (cov_type == "cluster" and len(unit_ids) < 2):
        periods = len(grid) - 1
        zh = f"（{len(units)} 个单位 × {periods} 个增长期中，首尾两年都有数值的有 {len(obs)} 个"
        en = (f" ({len(obs)} of {len(units)} units × {periods} growth periods have a value in "
              "both years")
        if dropped:
            zh += f"，剔除只有一个观测值的单位后余 {n} 个"
            en += f", {n} after dropping single-observation units"
        detail = Text(zh + "）", en + ")")
        raise MethodInputError("too_few_observations", file=data.attrs.get(SOURCE_ATTR),
                               method=PANEL_METHOD, minimum=max(minimum, 2), n=n,
                               detail=detail)
    columns = [np.ones(n), used["log_initial"].to_numpy()]
    if unit_effects:
        columns += [(used["unit"] == u).to_numpy(float) for u in unit_ids[1:]]
    if year_effects:
        columns += [(used["year"] == t).to_numpy(float) for t in period_ids[1:]]
    x = np.column_stack(columns)
    if np.linalg.matrix_rank(x) < x.shape[1]:
        raise option_error(
            "effects", "固定效应与初始水平完全共线（观测值太少），无法估计 β",
            "the fixed effects are collinear with the initial level (too few observations); "
            "β cannot be estimated",
        )
    growth = used["growth"].to_numpy()
    if cov_type == "cluster":
        fit = sm.OLS(growth, x).fit()
        k = k_all - (len(unit_ids) - 1 if unit_effects else 0)
        cov = cluster_robust_cov(x, fit.resid, used["unit"].to_numpy(dtype=object), k)
        se = math.sqrt(cov[1, 1])
        df = len(unit_ids) - 1
        n_clusters: int | None = len(unit_ids)
    else:
        fit = sm.OLS(growth, x).fit(cov_type=cov_type)
        se = float(fit.bse[1])
        df = int(fit.df_resid)
        n_clusters = None
    beta = float(fit.params[1])
    t_value = beta / se if se > 0 else float("nan")
    p_value = float(2 * stats.t.sf(abs(t_value), df)) if se > 0 else float("nan")
    speed = implied_speed(beta / span, span)
    notes = []
    if cov_type == "cluster" and len(unit_ids) < FEW_CLUSTERS:
        notes.append("few_clusters")
    if unit_effects and len(period_ids) < SHORT_PANEL:
        notes.append("nickell")
    if dropped:
        notes.append("singletons")
    return PanelBetaConvergence(
        specification=_specification(unit_effects, year_effects),
        unit_effects=unit_effects,
        year_effects=year_effects,
        span_years=span,
        first_year=first,
        last_year=last,
        period_years=[int(t) for t in period_ids],
        n_obs=n,
        n_units=len(unit_ids),
        n_periods=len(period_ids),
        beta=beta,
        std_error=se,
        t_value=t_value,
        p_value=p_value,
        df_inference=df,
        cov_type=cov_type,
        n_clusters=n_clusters,
        alpha=None if unit_effects or year_effects else float(fit.params[0]),
        r_squared=float(fit.rsquared),
        speed=speed,
        half_life=math.log(2) / speed if speed is not None and speed > 0 else None,
        notes=notes,
        dropped_units=dropped,
        data=obs,
        missing=missing,
    )


def _panel_year(value: object, years: list[int], option: str) -> int:
    match = _YEAR.match(str(value))
    if not match or not years[0] <= int(match.group(1)) <= years[-1]:
        raise option_error(
            option, f"年份 {value} 不在数据的年份范围 {years[0]}–{years[-1]} 内",
            f"year {value} is outside the data's years {years[0]}–{years[-1]}",
        )
    return int(match.group(1))
