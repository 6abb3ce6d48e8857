"""σ-, β- and panel β-convergence on constructed data whose answer is known."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from czt.methods.convergence import (
    beta_convergence,
    convergence,
    implied_speed,
    panel_beta_convergence,
    panel_from_wide,
    sigma_convergence,
    year_columns,
)
from czt.methods.inputs import MethodInputError, read_long_csv, read_wide_csv


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


# --------------------------------------------------------------------------- panel β


def _long_panel(n: int, years: int, beta: float, *, unit_effects=None, year_effects=None,
                noise: float = 0.0, seed: int = 42) -> pd.DataFrame:
    """ln y_t = ln y_t−1 + a_i + d_t + β ln y_t−1 + e_it, from random levels in year 2000."""
    rng = np.random.default_rng(seed)
    log_y = np.log(rng.uniform(20_000, 150_000, n))
    a = np.full(n, 0.6) if unit_effects is None else unit_effects
    rows = []
    for t in range(years + 1):
        rows += [(f"43{k:04d}", 2000 + t, float(np.exp(log_y[k]))) for k in range(n)]
        d = 0.0 if year_effects is None else year_effects[t] if t < years else 0.0
        shock = rng.normal(0, noise, n) if noise > 0 else 0.0
        log_y = log_y + a + d + beta * log_y + shock
    frame = pd.DataFrame(rows, columns=["code", "year", "gdp_pc"]).set_index("code")
    return frame


def _growth_table(frame: pd.DataFrame) -> pd.DataFrame:
    """Yearly growth and lagged log level built directly with pandas (test's own code)."""
    data = frame.reset_index().sort_values(["code", "year"])
    data["log_y"] = np.log(data["gdp_pc"])
    data["log_initial"] = data.groupby("code")["log_y"].shift(1)
    data["growth"] = data["log_y"] - data["log_initial"]
    return data.dropna(subset=["growth"]).reset_index(drop=True)


@pytest.mark.parametrize(
    ("unit_fe", "year_fe", "formula"),
    [(True, False, "growth ~ log_initial + C(code)"),
     (True, True, "growth ~ log_initial + C(code) + C(year)"),
     (False, False, "growth ~ log_initial"),
     (False, True, "growth ~ log_initial + C(year)")],
)
def test_panel_equals_statsmodels_with_dummies(unit_fe, year_fe, formula) -> None:
    """β against statsmodels OLS with dummies (formula API) to 1e-8; the CRV1 standard error
    against pyfixest ``feols`` (fixest small-sample convention) to 1e-8 relative."""
    import warnings

    import pyfixest as pf
    import statsmodels.formula.api as smf

    rng = np.random.default_rng(3)
    frame = _long_panel(9, 7, -0.06, unit_effects=rng.normal(0.6, 0.01, 9), noise=0.02)
    result = panel_beta_convergence(frame, value="gdp_pc", unit_effects=unit_fe,
                                    year_effects=year_fe)
    data = _growth_table(frame)
    direct = smf.ols(formula, data=data).fit()
    assert result.beta == pytest.approx(direct.params["log_initial"], abs=1e-8)
    assert result.n_obs == len(data) == 9 * 7
    assert result.r_squared == pytest.approx(direct.rsquared, abs=1e-10)
    fe = " + ".join([n for n, on in (("code", unit_fe), ("year", year_fe)) if on])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fit = pf.feols("growth ~ log_initial" + (f" | {fe}" if fe else ""), data=data,
                       vcov={"CRV1": "code"})
    assert result.beta == pytest.approx(float(fit.coef()["log_initial"]), abs=1e-8)
    assert result.std_error == pytest.approx(float(fit.se()["log_initial"]), rel=1e-8)
    assert result.p_value == pytest.approx(float(fit.pvalue()["log_initial"]), rel=1e-6)
    assert (result.df_inference, result.n_clusters) == (8, 9)
    nonrobust = panel_beta_convergence(frame, value="gdp_pc", unit_effects=unit_fe,
                                       year_effects=year_fe, cov_type="nonrobust")
    assert nonrobust.std_error == pytest.approx(direct.bse["log_initial"], rel=1e-9)


def test_panel_recovers_known_beta() -> None:
    # noise-free: g_it = a_i + d_t + β ln y_it−1 holds exactly, so β is recovered exactly
    rng = np.random.default_rng(7)
    a, d = rng.normal(0.55, 0.02, 12), rng.normal(0.0, 0.01, 8)
    exact = _long_panel(12, 8, -0.05, unit_effects=a, year_effects=d)
    both = panel_beta_convergence(exact, value="gdp_pc", year_effects=True)
    assert both.beta == pytest.approx(-0.05, abs=1e-10)
    assert both.std_error < 1e-9
    # λ = −ln(1 + β)/τ = −ln 0.95 = 0.051293; half-life ln 2/λ = 13.5134 years
    assert both.speed == pytest.approx(-math.log(0.95), abs=1e-9)
    assert both.half_life == pytest.approx(13.5134, abs=1e-4)
    unit_only = panel_beta_convergence(_long_panel(12, 8, -0.05, unit_effects=a),
                                       value="gdp_pc")
    assert unit_only.beta == pytest.approx(-0.05, abs=1e-10)
    # with noise and a common intercept the pooled (absolute) estimator is consistent:
    # 300 units × 12 years, seeded; the estimate lies within 3 standard errors of −0.05
    noisy = _long_panel(300, 12, -0.05, noise=0.02, seed=1)
    pooled = panel_beta_convergence(noisy, value="gdp_pc", unit_effects=False)
    assert abs(pooled.beta + 0.05) < 3 * pooled.std_error
    assert abs(pooled.beta + 0.05) < 0.003
    assert pooled.alpha == pytest.approx(0.6, abs=0.03)  # intercept a = 0.6
    assert pooled.specification == "pooled" and pooled.notes == []


def test_panel_span_equals_cross_section() -> None:
    """With τ = T (one period) the pooled panel is the cross-section regression of total
    growth: β_panel = T·β_cross, same standard error up to the factor T (1e-12)."""
    frame = _panel(alpha=0.4, beta=-0.03, start=2012, end=2022,
                   noise=np.random.default_rng(2).normal(0, 0.003, 12))
    long = panel_from_wide(frame)
    panel = panel_beta_convergence(long, span=10, unit_effects=False, cov_type="nonrobust")
    cross = beta_convergence(frame)
    assert panel.n_obs == 12 and panel.period_years == [2022]
    assert panel.beta == pytest.approx(10 * cross.beta, abs=1e-12)
    assert panel.std_error == pytest.approx(10 * cross.std_error, abs=1e-12)
    assert panel.speed == pytest.approx(cross.speed, abs=1e-12)
    assert panel.half_life == pytest.approx(cross.half_life, abs=1e-9)


def test_panel_span_and_gaps() -> None:
    # values for 2010…2016; span 3 uses 2010→2013 and 2013→2016 only
    frame = _long_panel(5, 6, -0.04, unit_effects=np.linspace(0.4, 0.5, 5))
    frame.index = frame.index.str.replace("43", "u", regex=False)
    frame.loc[(frame.index == "u0001") & (frame["year"] == 2003), "gdp_pc"] = np.nan
    frame = frame[~((frame.index == "u0002") & (frame["year"] == 2006))]
    r = panel_beta_convergence(frame, value="gdp_pc", span=3, unit_effects=False)
    assert r.period_years == [2003, 2006] and r.span_years == 3
    assert r.missing.to_dict("records") == [{"unit": "u0001", "year": 2003},
                                            {"unit": "u0002", "year": 2006}]
    assert r.n_obs == 10 - 3  # u0001 loses both periods, u0002 the second
    fe = panel_beta_convergence(frame, value="gdp_pc", span=3)
    assert fe.dropped_units == ["u0002"] and "singletons" in fe.notes
    assert fe.n_obs == 6 and fe.n_units == 3
    assert "u0002" in fe.note_texts("en")[-1]


def test_panel_from_long_csv_and_from_wide_agree(write_csv) -> None:
    long_path = write_csv(
        """
        code,year,gdp
        a,2015,100
        a,2016,110
        a,2017,120
        b,2015,200
        b,2016,205
        b,2017,210
        c,2015,400
        c,2016,404
        c,2017,408
        """, name="long.csv")
    wide_path = write_csv("code,2015,2016,2017\na,100,110,120\nb,200,205,210\nc,400,404,408\n",
                          name="wide.csv")
    from_long = panel_beta_convergence(read_long_csv(long_path), value="gdp")
    from_wide = panel_beta_convergence(panel_from_wide(read_wide_csv(wide_path)))
    assert from_long.beta == pytest.approx(from_wide.beta, abs=1e-15)
    assert from_long.std_error == pytest.approx(from_wide.std_error, abs=1e-15)
    assert set(from_long.notes) == {"few_clusters", "nickell"}
    assert from_long.to_dict()["data"][0] == {
        "unit": "a", "start_year": 2015, "year": 2016, "log_initial": math.log(100),
        "growth": math.log(1.1), "used": True}


def test_panel_errors_name_the_row(write_csv) -> None:
    dup = write_csv("code,year,v\na,2015,1\na,2016,2\nb,2015,3\na,2015,4\n", name="dup.csv")
    with pytest.raises(MethodInputError) as info:
        panel_beta_convergence(read_long_csv(dup), value="v")
    err = info.value
    assert (err.key, err.row, err.unit, err.column) == ("duplicate_unit_year", 5, "a", "year")
    assert "第 2 行" in str(err) and "row 2" in err.message("en")
    bad_year = write_csv("code,year,v\na,2015,1\na,二〇一六,2\n", name="year.csv")
    with pytest.raises(MethodInputError) as info:
        panel_beta_convergence(read_long_csv(bad_year), value="v")
    assert (info.value.key, info.value.row) == ("not_a_year", 3)
    zero = write_csv("code,year,v\na,2015,1\na,2016,0\n", name="zero.csv")
    with pytest.raises(MethodInputError) as info:
        panel_beta_convergence(read_long_csv(zero), value="v")
    assert (info.value.key, info.value.row, info.value.column) == ("non_positive", 3, "v")
    gaps = write_csv("code,year,v\na,2015,1\na,2017,2\nb,2016,3\nb,2018,4\n", name="gaps.csv")
    with pytest.raises(MethodInputError) as info:
        panel_beta_convergence(read_long_csv(gaps), value="v")
    assert info.value.key == "too_few_observations"
    assert "2 units × 3 growth periods" in info.value.message("en")
    frame = read_long_csv(gaps)
    with pytest.raises(MethodInputError, match="span"):
        panel_beta_convergence(frame, value="v", span=0)
    with pytest.raises(MethodInputError, match="cov_type"):
        panel_beta_convergence(frame, value="v", cov_type="HC3")
    with pytest.raises(MethodInputError, match="2030"):
        panel_beta_convergence(frame, value="v", end=2030)
