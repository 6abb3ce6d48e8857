"""一体化分析 page: renders in Chinese by default and in English on request, and every figure
it shows is what the methods return on the same inputs (and, for a few, what one gets by
hand from the shipped data). Tolerances are stated at each assertion."""

from __future__ import annotations

import html
import json
import math
import re

import numpy as np
import pytest

from czt.methods.convergence import panel_beta_convergence, panel_from_wide, sigma_convergence
from czt.methods.disparity import disparity, primacy
from czt.methods.errors import MethodInputError
from czt.methods.linkage import great_circle_km, linkage_strength
from czt.methods.topsis import topsis
from czt.web.pages import analysis_inputs as ai
from czt.web.pages.views.analysis import ENTROPY, PANEL_SPECS

pytestmark = pytest.mark.django_db

# The shipped data (src/czt/data/*.csv) for 2024, as the store resolves them:
# GDP 亿元 (official_stats.csv) and year-end resident population 万人 (compiled_panels.csv).
GDP_2024 = {"430100": 15268.78, "430200": 3902.40, "430300": 2957.06}
POP_2024 = {"430100": 1061.65, "430200": 383.78, "430300": 269.18}


def cell(page: str, element_id: str) -> str:
    match = re.search(rf'id="{re.escape(element_id)}">([^<]*)<', page)
    assert match, element_id
    return html.unescape(match.group(1)).strip()


def payload(page: str) -> dict:
    match = re.search(r'<script id="analysis-data" type="application/json">(.*?)</script>',
                      page, re.S)
    assert match
    return json.loads(match.group(1))


@pytest.fixture
def analysis_html(client) -> str:
    response = client.get("/analysis/")
    assert response.status_code == 200
    return response.content.decode()


def test_chinese_by_default(analysis_html):
    page = analysis_html
    assert '<html lang="zh-hans">' in page
    # region names come from the store in the reader's language
    assert "长沙市" in page and "株洲市" in page and "湘潭市" in page
    for chart in ("disparity-chart", "primacy-chart", "decomposition-chart", "topsis-chart",
                  "linkage-chart"):
        assert f'id="{chart}"' in page
    assert "czt/analysis.js" in page
    assert page.index("czt/charts.js") < page.index("czt/analysis.js")


def test_english_by_cookie(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get("/analysis/").content.decode()
    assert '<html lang="en">' in page
    assert "<h1>Integration analysis</h1>" in page
    assert "Changsha" in page and "长沙市" not in page


def test_english_by_setlang(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/analysis/"})
    assert response.status_code == 302
    page = client.get("/analysis/").content.decode()
    assert '<html lang="en">' in page
    assert "Disparity and σ-convergence between the three cities" in page


def test_disparity_equals_method(analysis_html):
    page = analysis_html
    panel = ai.city_panel()
    assert panel.per_capita_years == [2020, 2021, 2022, 2023, 2024]
    data = payload(analysis_html)["disparity"]
    assert data["years"] == panel.per_capita_years
    for i, year in enumerate(panel.per_capita_years):
        r = disparity(ai.disparity_frame(panel, year), "gdp_pc", weight="population",
                      primacy_of="gdp")
        # chart data: the method's floats as JSON, equal to 1e-12
        assert data["series"]["cv_weighted"][i] == pytest.approx(r.cv_weighted, abs=1e-12)
        assert data["series"]["theil"][i] == pytest.approx(r.theil.total, abs=1e-12)
        # table: the same numbers rounded to 4 decimals
        assert cell(page, f"cv-{year}") == f"{r.cv:.4f}"
        assert cell(page, f"cv-weighted-{year}") == f"{r.cv_weighted:.4f}"
        assert cell(page, f"gini-{year}") == f"{r.gini:.4f}"
        assert cell(page, f"theil-weighted-{year}") == f"{r.theil_weighted.total:.4f}"
    s = sigma_convergence(ai.sigma_frame(panel))
    assert cell(page, "sd-log-2024") == f"{s.by_year.loc[2024, 'sd_log']:.4f}"
    assert cell(page, "slope-sd_log") == f"{s.trend.loc['sd_log', 'slope_per_year']:.5f}"


def test_weighted_cv_and_theil_by_hand(analysis_html):
    """2024 GDP per capita (元) = GDP 亿元 ÷ population 万人 × 10,000, weights = population;
    Williamson CV and Theil T written out by hand. Tolerance 1e-9 (relative) against the
    page's JSON, exact on the 4-decimal table text."""
    page = analysis_html
    codes = list(GDP_2024)
    y = [GDP_2024[c] / POP_2024[c] * 10000 for c in codes]
    p = [POP_2024[c] / sum(POP_2024.values()) for c in codes]
    mean_w = sum(pi * yi for pi, yi in zip(p, y, strict=True))
    cv_w = math.sqrt(sum(pi * (yi - mean_w) ** 2 for pi, yi in zip(p, y, strict=True))) / mean_w
    s = [yi / sum(y) for yi in y]
    theil_t = sum(si * math.log(3 * si) for si in s)
    data = payload(analysis_html)["disparity"]
    i = data["years"].index(2024)
    assert data["series"]["cv_weighted"][i] == pytest.approx(cv_w, rel=1e-9)
    assert data["series"]["theil"][i] == pytest.approx(theil_t, rel=1e-9)
    assert cell(page, "cv-weighted-2024") == f"{cv_w:.4f}" == "0.1471"
    assert cell(page, "theil-2024") == f"{theil_t:.4f}"


def test_primacy_share_by_hand(analysis_html):
    """Changsha's 2024 share of the three cities' GDP: 15268.78 ÷ 22128.24 = 69.00 %.
    Tolerance: the table shows two decimals, so ±0.005 percentage points."""
    page = analysis_html
    share = GDP_2024["430100"] / sum(GDP_2024.values()) * 100
    assert float(cell(page, "primacy-gdp-2024")) == pytest.approx(share, abs=0.005)
    assert cell(page, "primacy-gdp-2024") == "69.00"
    pop_share = POP_2024["430100"] / sum(POP_2024.values()) * 100
    assert float(cell(page, "primacy-population-2024")) == pytest.approx(pop_share, abs=0.005)
    panel = ai.city_panel()
    data = payload(analysis_html)["primacy"]
    for i, year in enumerate(data["years"]):
        r = primacy(panel.gdp[year])
        assert data["gdp"][i] == pytest.approx(r.shares.loc["430100", "share"] * 100,
                                               abs=1e-12)


def test_census_decomposition(analysis_html):
    page = analysis_html
    frame = ai.urbanization_frame(ai.census_county_frame())
    assert len(frame) == 23 and frame[["population", "urban", "schooling"]].notna().all().all()
    for key in ("urbanization", "schooling"):
        r = disparity(frame[["city", "population", key]], key, weight="population",
                      group="city")
        assert cell(page, f"{key}-theil-weighted") == f"{r.theil_weighted.total:.5f}"
        assert cell(page, f"{key}-between-weighted") == f"{r.theil_weighted.between:.5f}"
        assert cell(page, f"{key}-within") == f"{r.theil.within:.5f}"
        # exact decomposition (method property, 1e-12)
        assert r.theil_weighted.between + r.theil_weighted.within == pytest.approx(
            r.theil_weighted.total, abs=1e-12)
    chart = payload(analysis_html)["decomposition"]
    assert len(chart) == 2


def test_beta_convergence_explained_not_estimated(analysis_html):
    page = analysis_html
    cov = ai.county_coverage()
    assert len(cov.best_units) < ai.BETA_MIN_UNITS
    note = re.search(r'id="beta-note">(.*?)</p>', page, re.S).group(1)
    assert f"{len(cov.best_units)}" in note and f"{ai.BETA_MIN_UNITS}" in note


def test_ranking_equals_methods(analysis_html):
    page = analysis_html
    inputs = ai.ranking_inputs()
    assert inputs.year is not None and len(inputs.indicators) >= 2
    by_entropy = topsis(inputs.frame, weights="entropy", cost=inputs.cost,
                        entropy_options=ENTROPY)
    by_equal = topsis(inputs.frame, weights="equal", cost=inputs.cost)
    for code in ai.CITIES:
        assert cell(page, f"closeness-{code}") == f"{by_entropy.table.loc[code, 'closeness']:.4f}"
        assert cell(page, f"rank-{code}") == str(by_entropy.table.loc[code, "rank"])
        assert cell(page, f"closeness-equal-{code}") == (
            f"{by_equal.table.loc[code, 'closeness']:.4f}")
    assert by_entropy.entropy is not None
    for ind in inputs.indicators:
        w = by_entropy.entropy.weights[ind.code]
        assert cell(page, f"weight-{ind.code}") == f"{w:.4f}"


def test_linkage_centroids_and_distances(analysis_html):
    page = analysis_html
    panel = ai.city_panel()
    inputs = ai.linkage_inputs(panel)
    assert inputs.year == 2024
    lat, lon = inputs.frame["lat"].to_numpy(), inputs.frame["lon"].to_numpy()
    # centroids fall inside the three cities' extent (Hunan, 26.0–28.7 N, 111.8–114.3 E)
    assert np.all((lat > 26.0) & (lat < 28.7)) and np.all((lon > 111.8) & (lon < 114.3))
    d = great_circle_km(lat, lon)
    # Changsha–Xiangtan centroids: between 50 and 110 km apart
    assert 50 < d[0, 2] < 110
    r = linkage_strength(inputs.frame, population="population", gdp="gdp", lat="lat",
                         lon="lon")
    assert cell(page, "distance-430100-430300") == f"{d[0, 2]:.1f}"
    strength = r.strength.loc["430100", "430300"]
    assert cell(page, "strength-430100-430300") == f"{strength:.2f}"
    # by hand: √(P·G)·√(P·G) / D², tolerance 1e-9 relative
    by_hand = (math.sqrt(POP_2024["430100"] * GDP_2024["430100"])
               * math.sqrt(POP_2024["430300"] * GDP_2024["430300"]) / d[0, 2] ** 2)
    assert strength == pytest.approx(by_hand, rel=1e-9)


def test_gini_and_ge2_decompositions_equal_method(analysis_html):
    """Dagum's Gini decomposition and GE(2) on the 2020 census cross-section: the table is
    the method's result rounded to 5 decimals; the parts add up to the total (1e-12)."""
    page = analysis_html
    frame = ai.urbanization_frame(ai.census_county_frame())
    for key in ("urbanization", "schooling"):
        r = disparity(frame[["city", "population", key]], key, weight="population",
                      group="city")
        for suffix, d, g in (("", r.gini_decomposition, r.ge2),
                             ("-weighted", r.gini_decomposition_weighted, r.ge2_weighted)):
            assert cell(page, f"{key}-gini{suffix}") == f"{d.total:.5f}"
            assert cell(page, f"{key}-gini-within{suffix}").startswith(f"{d.within:.5f} (")
            assert cell(page, f"{key}-gini-net-between{suffix}").startswith(
                f"{d.net_between:.5f} (")
            assert cell(page, f"{key}-gini-transvariation{suffix}").startswith(
                f"{d.transvariation:.5f} (")
            assert d.within + d.net_between + d.transvariation == pytest.approx(d.total,
                                                                                abs=1e-12)
            assert cell(page, f"{key}-ge2{suffix}") == f"{g.total:.5f}"
            assert cell(page, f"{key}-ge2-between{suffix}") == f"{g.between:.5f}"
            assert g.between + g.within == pytest.approx(g.total, abs=1e-12)
        assert r.gini_decomposition.total == pytest.approx(r.gini, abs=1e-15)
        assert f'id="dagum-pairs-{key}"' in page


def test_panel_beta_equals_method_and_by_hand(analysis_html):
    """Panel β-convergence of the three cities, 2020–2024 (12 yearly growth rates). The
    table shows the method's values; the pooled β is also computed here by least squares
    with numpy on the same GDP per capita (tolerance 1e-10)."""
    page = analysis_html
    panel = ai.city_panel()
    long = panel_from_wide(ai.by_year(panel.per_capita))
    for key, unit_fe, year_fe in PANEL_SPECS:
        r = panel_beta_convergence(long, unit_effects=unit_fe, year_effects=year_fe)
        assert (r.n_obs, r.n_units, r.n_clusters, r.df_inference) == (12, 3, 3, 2)
        assert cell(page, f"panel-beta-{key}") == f"{r.beta:.4f}"
        assert cell(page, f"panel-se-{key}") == f"{r.std_error:.4f}"
        assert cell(page, f"panel-p-{key}") == f"{r.p_value:.3f}"
        assert "few_clusters" in r.notes
    pc = panel.per_capita[[2020, 2021, 2022, 2023, 2024]].to_numpy()
    x = np.log(pc[:, :-1]).reshape(-1)
    g = np.log(pc[:, 1:] / pc[:, :-1]).reshape(-1)
    slope = np.linalg.lstsq(np.column_stack([np.ones_like(x), x]), g, rcond=None)[0][1]
    pooled = panel_beta_convergence(long, unit_effects=False)
    assert pooled.beta == pytest.approx(slope, abs=1e-10)
    assert pooled.speed == pytest.approx(-math.log(1 + slope), abs=1e-10)
    warning = re.search(r'id="panel-warning">(.*?)</p>', page, re.S).group(1)
    assert "12" in warning and "3" in warning


def test_panel_beta_for_counties_says_what_is_missing(analysis_html):
    page = analysis_html
    note = html.unescape(re.search(r'id="panel-county-note">(.*?)</p>', page, re.S).group(1))
    cov = ai.county_coverage()
    with pytest.raises(MethodInputError) as info:
        panel_beta_convergence(panel_from_wide(ai.by_year(cov.per_capita)),
                               unit_effects=False)
    assert info.value.message("zh") in note
    # every district/county with a value is listed with its years, the others by name
    assert "长沙县 2019, 2023" in note and "宁乡市 2019, 2021, 2023" in note
    assert "芙蓉区" in note and "醴陵市" in note


def test_english_panel_section(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get("/analysis/").content.decode()
    assert "Panel β-convergence between the three cities" in page
    note = html.unescape(re.search(r'id="panel-county-note">(.*?)</p>', page, re.S).group(1))
    assert "needs at least 3 observations, got 0" in note and "Changsha County 2019, 2023" in (
        note)


def test_new_chart_containers(analysis_html):
    for chart in ("dagum-chart", "gini-matrix-chart", "ge2-chart", "panel-beta-chart",
                  "panel-growth-chart"):
        assert f'id="{chart}" class="chart short" data-ready="0"' in analysis_html


def test_dagum_chart_equals_table_and_method(analysis_html):
    """The stacked bars of Dagum's decomposition: per variable and weighting the three parts
    are the method's (1e-12), their sum is G (1e-12), the shares are the table's, and the
    table shows the same numbers rounded. Shipped data: urbanization, unweighted,
    G = 0.145 = 0.045 + 0.051 + 0.049."""
    page = analysis_html
    chart = payload(page)["dagum"]
    frame = ai.urbanization_frame(ai.census_county_frame())
    assert [v["key"] for v in chart["variables"]] == ["urbanization", "schooling"]
    for v in chart["variables"]:
        r = disparity(frame[["city", "population", v["key"]]], v["key"], weight="population",
                      group="city")
        assert len(v["bars"]) == 2
        for bar, d, suffix in zip(v["bars"], (r.gini_decomposition,
                                              r.gini_decomposition_weighted),
                                  ("", "-weighted"), strict=True):
            assert bar["total"] == pytest.approx(d.total, abs=1e-12)
            assert bar["within"] == pytest.approx(d.within, abs=1e-12)
            assert bar["net_between"] == pytest.approx(d.net_between, abs=1e-12)
            assert bar["transvariation"] == pytest.approx(d.transvariation, abs=1e-12)
            assert bar["within"] + bar["net_between"] + bar["transvariation"] == pytest.approx(
                bar["total"], abs=1e-12)
            assert (bar["within_share"] + bar["net_between_share"]
                    + bar["transvariation_share"]) == pytest.approx(100, abs=1e-9)
            # the table cells, e.g. "0.04479 (30.9%)", are these values rounded
            assert cell(page, f"{v['key']}-gini{suffix}") == f"{bar['total']:.5f}"
            for part, key in (("within", "within"), ("net-between", "net_between"),
                              ("transvariation", "transvariation")):
                assert cell(page, f"{v['key']}-gini-{part}{suffix}") == (
                    f"{bar[key]:.5f} ({bar[key + '_share']:.1f}%)")
    urban = chart["variables"][0]["bars"][0]
    assert (round(urban["total"], 3), round(urban["within"], 3), round(urban["net_between"], 3),
            round(urban["transvariation"], 3)) == (0.145, 0.045, 0.051, 0.049)
    assert chart["words"]["within"] == "城市内 G_w"


def test_gini_matrix_chart_equals_city_and_pair_tables(analysis_html):
    """The heat map: the weighted Gini inside each city on the diagonal, the between-city Gini
    of each pair off the diagonal (both halves), equal to the method (1e-12) and to the
    city and pair tables (5 decimals)."""
    page = analysis_html
    chart = payload(page)["gini_matrix"]
    assert chart["cities"] == ["长沙市", "株洲市", "湘潭市"]
    code_of = dict(zip(chart["cities"], ai.CITIES, strict=True))
    frame = ai.urbanization_frame(ai.census_county_frame())
    for v in chart["variables"]:
        d = disparity(frame[["city", "population", v["key"]]], v["key"], weight="population",
                      group="city").gini_decomposition_weighted
        inside = d.groups.set_index("group")["gini_within_group"]
        matrix = {(c["row"], c["col"]): c for c in v["cells"]}
        assert len(matrix) == len(v["cells"]) == 9
        for i, name in enumerate(chart["cities"]):
            assert matrix[i, i]["kind"] == "within"
            assert matrix[i, i]["value"] == pytest.approx(inside[code_of[name]], abs=1e-12)
        for q in d.pairs.itertuples():
            i, j = ai.CITIES.index(q.higher), ai.CITIES.index(q.lower)
            for a, b in ((i, j), (j, i)):
                assert matrix[a, b]["kind"] == "between"
                assert matrix[a, b]["value"] == pytest.approx(q.gini_between_groups, abs=1e-12)
        table = re.search(rf'id="dagum-pairs-{v["key"]}">(.*?)</table>', page, re.S).group(1)
        for c in v["cells"]:
            if c["kind"] == "between":
                assert f'{c["value"]:.5f}' in table


def test_ge2_chart_equals_method(analysis_html):
    """GE(2) and Theil T split between/within: the bars are the method's (1e-12), the parts
    add up to the total (1e-12), the GE(2) total is CV²/2 (1e-12) and equals the table."""
    page = analysis_html
    chart = payload(page)["ge2"]
    frame = ai.urbanization_frame(ai.census_county_frame())
    for v in chart["variables"]:
        r = disparity(frame[["city", "population", v["key"]]], v["key"], weight="population",
                      group="city")
        expected = [("Theil T", r.theil, r.cv), ("Theil T", r.theil_weighted, r.cv_weighted),
                    ("GE(2)", r.ge2, r.cv), ("GE(2)", r.ge2_weighted, r.cv_weighted)]
        assert [b["measure"] for b in v["bars"]] == [e[0] for e in expected]
        for bar, (measure, m, cv) in zip(v["bars"], expected, strict=True):
            assert bar["total"] == pytest.approx(m.total, abs=1e-12)
            assert bar["between"] == pytest.approx(m.between, abs=1e-12)
            assert bar["between"] + bar["within"] == pytest.approx(bar["total"], abs=1e-12)
            assert bar["between_share"] + bar["within_share"] == pytest.approx(100, abs=1e-9)
            if measure == "GE(2)":
                assert bar["total"] == pytest.approx(cv ** 2 / 2, abs=1e-12)
        assert cell(page, f"{v['key']}-ge2-weighted") == f"{v['bars'][3]['total']:.5f}"
        assert cell(page, f"{v['key']}-between") == f"{v['bars'][0]['between']:.5f}"


def test_panel_beta_chart_interval_and_fit(analysis_html):
    """The coefficient plot: β and SE are the method's (1e-12) and the 95% interval is
    β ± t·SE with t the 0.975 quantile of the t distribution on the method's 2 degrees of
    freedom (three clusters), 4.3027, the distribution of its p-value: so the interval
    contains 0 exactly when p ≥ 0.05. The table shows the interval rounded. The scatter has
    the 12 growth rates and the pooled line α + β·ln y."""
    from scipy import stats

    page = analysis_html
    chart = payload(page)["panel_beta"]
    panel = ai.city_panel()
    long = panel_from_wide(ai.by_year(panel.per_capita))
    assert [s["key"] for s in chart["specs"]] == [k for k, _u, _y in PANEL_SPECS]
    for s, (_key, unit_fe, year_fe) in zip(chart["specs"], PANEL_SPECS, strict=True):
        r = panel_beta_convergence(long, unit_effects=unit_fe, year_effects=year_fe)
        t = stats.t.ppf(0.975, r.df_inference)
        assert r.df_inference == 2 and t == pytest.approx(4.302652729749464, abs=1e-12)
        assert s["beta"] == pytest.approx(r.beta, abs=1e-12)
        assert s["std_error"] == pytest.approx(r.std_error, abs=1e-12)
        assert s["critical"] == pytest.approx(t, abs=1e-12)
        assert s["ci_low"] == pytest.approx(r.beta - t * r.std_error, abs=1e-12)
        assert s["ci_high"] == pytest.approx(r.beta + t * r.std_error, abs=1e-12)
        assert (s["ci_low"] <= 0 <= s["ci_high"]) == (r.p_value >= 0.05)
        assert cell(page, f"panel-ci-{s['key']}") == f"[{s['ci_low']:.4f}, {s['ci_high']:.4f}]"
    # pooled: p = 0.059, so its interval reaches past 0; the fixed-effects ones do not
    assert chart["specs"][0]["ci_high"] > 0 > chart["specs"][1]["ci_high"]
    assert chart["specs"][0]["label"] == "混合回归，无固定效应（绝对收敛）"

    pooled = panel_beta_convergence(long, unit_effects=False)
    points = chart["points"]
    assert len(points) == pooled.n_obs == 12
    assert {p["city"] for p in points} == set(chart["cities"]) == {"长沙市", "株洲市", "湘潭市"}
    by_key = {(o.unit, o.year): o for o in pooled.data.itertuples()}
    for p in points:
        o = by_key[p["unit"], p["year"]]
        assert p["start"] == p["year"] - 1
        assert p["log_initial"] == pytest.approx(o.log_initial, abs=1e-12)
        assert p["growth"] == pytest.approx(o.growth, abs=1e-12)
    fit = chart["fit"]
    assert fit["beta"] == pytest.approx(pooled.beta, abs=1e-12)
    assert fit["x"] == [min(p["log_initial"] for p in points),
                        max(p["log_initial"] for p in points)]
    for x, y in zip(fit["x"], fit["y"], strict=True):
        assert y == pytest.approx(pooled.alpha + pooled.beta * x, abs=1e-12)


def test_english_chart_labels(client, settings):
    """Chart labels come from the view in the reader's language."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    data = payload(client.get("/analysis/").content.decode())
    assert data["dagum"]["words"]["net_between"] == "net between cities G_nb"
    assert data["dagum"]["variables"][0]["label"] == "Urbanization rate (census)"
    assert data["gini_matrix"]["cities"] == ["Changsha", "Zhuzhou", "Xiangtan"]
    assert data["ge2"]["variables"][0]["bars"][1]["weighting"] == "population-weighted"
    assert data["panel_beta"]["specs"][1]["label"] == (
        "city fixed effects (conditional convergence)")
    assert data["panel_beta"]["words"]["ci"] == "95% confidence interval"


def test_composite_section_equals_method(analysis_html):
    """The composite table and charts are composite_index() on the block the page names;
    scores to the 2 decimals shown, Sobol rows as returned (same seed)."""
    from czt.methods.composite import composite_index
    from czt.methods.composite_framework import default_framework
    from czt.web.pages.analysis_composite import RUNS, SEED, SOBOL_N, composite_block

    fw = default_framework()
    years, cols, frame = composite_block(fw)
    # the shipped data: 2019–2022, five indicators reported by all three cities every year
    assert years == [2019, 2020, 2021, 2022]
    assert sorted(cols) == ["export_growth", "fixed_investment_growth",
                            "industry_value_added_growth", "local_budget_revenue_growth",
                            "road_area_per_capita"]
    r = composite_index(frame, framework=fw.restrict(cols), year="year", runs=RUNS,
                        sobol=SOBOL_N, seed=SEED)
    for (code, row) in r.table.iterrows():
        shown = cell(analysis_html, f"composite-{code}-{int(row['year'])}")
        assert shown == f"{row['score']:.2f}"
    data = payload(analysis_html)["composite"]
    assert data["years"] == years
    changsha = r.table.loc["430100", "score"].to_list()
    assert data["series"][0]["scores"] == pytest.approx(changsha, abs=1e-12)
    assert data["ST"] == pytest.approx(r.sensitivity["ST"].to_list(), abs=1e-12)
    # min-max over the pooled city-years puts each indicator's best cell at 100: the best
    # possible score is 100 and every score lies in [0, 100]
    assert all(0 <= s <= 100 for series in data["series"] for s in series["scores"])
    assert 'id="sobol-table"' in analysis_html
