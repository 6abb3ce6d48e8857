"""Convergence 收敛: σ-convergence over years and (absolute/conditional) β-convergence.

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

References: Barro R. J. & Sala-i-Martin X. (1992) Convergence, *Journal of Political
Economy* 100(2):223–251; Barro & Sala-i-Martin (2004) *Economic Growth*, 2nd ed., ch. 11;
Sala-i-Martin X. (1996) The classical approach to convergence analysis, *Economic Journal*
106(437):1019–1036.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
import statsmodels.api as sm

from czt.methods.disparity import coefficient_of_variation, gini, theil
from czt.methods.inputs import Text, check_units, numeric_matrix, option_error
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
