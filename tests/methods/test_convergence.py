"""σ- and β-convergence on constructed data whose answer is known."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from czt.methods.convergence import (
    beta_convergence,
    convergence,
    implied_speed,
    sigma_convergence,
    year_columns,
)
from czt.methods.inputs import MethodInputError, read_wide_csv


def _panel(alpha: float, beta: float, start: int, end: int, n: int = 12, noise=None):
    """Levels in ``start`` and ``end`` such that growth = alpha + beta·ln y0 (+ noise)."""
    rng = np.random.default_rng(42)
    y0 = rng.uniform(20_000, 150_000, n)
    growth = alpha + beta * np.log(y0) + (0 if noise is None else noise)
    yt = np.exp(np.log(y0) + (end - start) * growth)
    index = pd.Index([f"4301{k:02d}" for k in range(n)], name="code")
    return pd.DataFrame({str(start): y0, str(end): yt}, index=index)


def test_beta_recovers_known_slope_exactly() -> None:
    frame = _panel(alpha=0.4, beta=-0.03, start=2012, end=2022)
    result = beta_convergence(frame)
    assert (result.start_year, result.end_year, result.span_years, result.n) == (2012, 2022, 10, 12)
    assert result.beta == pytest.approx(-0.03, abs=1e-12)
    assert result.alpha == pytest.approx(0.4, abs=1e-10)
    assert result.std_error < 1e-12
    assert result.r_squared == pytest.approx(1.0, abs=1e-12)
    # λ = -ln(1 + βT)/T = -ln(0.7)/10; half-life = ln 2 / λ
    assert result.speed == pytest.approx(-math.log(0.7) / 10, abs=1e-12)
    assert result.speed == pytest.approx(0.0356675, abs=1e-7)
    assert result.half_life == pytest.approx(math.log(2) / (-math.log(0.7) / 10), abs=1e-9)
    assert result.half_life == pytest.approx(19.4335, abs=1e-4)


def test_beta_standard_error_matches_closed_form_ols() -> None:
    noise = np.random.default_rng(1).normal(0, 0.004, 12)
    frame = _panel(alpha=0.4, beta=-0.03, start=2015, end=2020, noise=noise)
    result = beta_convergence(frame)
    x = np.log(frame["2015"].to_numpy())
    g = np.log(frame["2020"].to_numpy() / frame["2015"].to_numpy()) / 5
    sxx = np.sum((x - x.mean()) ** 2)
    b = np.sum((x - x.mean()) * (g - g.mean())) / sxx
    resid = g - (g.mean() - b * x.mean()) - b * x
    se = math.sqrt(np.sum(resid**2) / (len(x) - 2) / sxx)
    assert result.beta == pytest.approx(b, abs=1e-12)
    assert result.std_error == pytest.approx(se, rel=1e-9)
    assert result.t_value == pytest.approx(b / se, rel=1e-9)
    robust = beta_convergence(frame, cov_type="HC1")
    assert robust.beta == pytest.approx(b, abs=1e-12)
    assert robust.std_error != pytest.approx(se, rel=1e-6)


def test_divergence_has_no_speed() -> None:
    frame = _panel(alpha=-0.2, beta=0.02, start=2010, end=2020)
    result = beta_convergence(frame)
    assert result.beta == pytest.approx(0.02, abs=1e-12)
    assert result.speed == pytest.approx(-math.log(1.2) / 10)
    assert result.half_life is None
    assert implied_speed(-0.2, 10) is None  # 1 + βT = -1: no speed implied


def test_sigma_convergence_on_known_log_dispersion() -> None:
    # units exp(-a_t), exp(+a_t): sd of the logs (ddof 0) is exactly a_t
    a = {"2016年": 0.4, "2017年": 0.3, "2018年": 0.2, "2019年": 0.1}
    frame = pd.DataFrame(
        {year: [math.exp(-v) * 1000, math.exp(v) * 1000] for year, v in a.items()},
        index=pd.Index(["湘潭", "长沙"], name="unit"),
    )
    result = sigma_convergence(frame)
    assert list(result.by_year.index) == [2016, 2017, 2018, 2019]
    assert result.by_year["sd_log"].to_list() == pytest.approx([0.4, 0.3, 0.2, 0.1], abs=1e-12)
    assert result.trend.loc["sd_log", "slope_per_year"] == pytest.approx(-0.1, abs=1e-12)
    assert result.trend.loc["sd_log", "change"] == pytest.approx(-0.3, abs=1e-12)
    assert result.converging
    # CV of (e^-a, e^a) is tanh(a)
    assert result.by_year.loc[2016, "cv"] == pytest.approx(math.tanh(0.4), abs=1e-12)


def test_convergence_from_csv_and_start_end(write_csv) -> None:
    path = write_csv(
        """
        code,2015,2016,2017,name
        a,100,110,120,甲
        b,200,205,210,乙
        c,400,404,408,丙
        d,300,306,312,丁
        """
    )
    frame = read_wide_csv(path)
    assert list(year_columns(frame).values()) == [2015, 2016, 2017]
    result = convergence(frame, start="2015", end=2016)
    assert result.beta.span_years == 1
    assert result.beta.beta < 0
    assert len(result.sigma.by_year) == 3
    assert result.to_dict()["beta"]["data"][0]["code"] == "a"


def test_non_positive_level_is_named(write_csv) -> None:
    path = write_csv("code,2015,2020\na,100,120\nb,0,90\nc,50,70\n")
    with pytest.raises(MethodInputError) as info:
        beta_convergence(read_wide_csv(path))
    err = info.value
    assert (err.key, err.row, err.unit, err.column) == ("non_positive", 3, "b", "2015")
    assert "要取对数" in str(err)
    assert "takes logs" in err.message("en")


def test_unknown_year_and_too_few_years() -> None:
    frame = pd.DataFrame({"2015": [1.0, 2.0, 3.0], "2020": [2.0, 3.0, 4.0]}, index=list("abc"))
    with pytest.raises(MethodInputError, match="2019"):
        beta_convergence(frame, start=2019)
    with pytest.raises(MethodInputError) as info:
        sigma_convergence(frame[["2015"]])
    assert "至少需要两个年份列" in str(info.value)
    assert "at least two year columns" in info.value.message("en")
