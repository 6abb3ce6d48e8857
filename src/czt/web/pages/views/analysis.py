"""一体化分析: the integration-analysis methods on the shipped statistics.

The view gathers the inputs (``czt.web.pages.analysis_inputs``), calls the methods in
``czt.methods`` and hands their results to the template and the charts; it computes no
statistic itself, apart from the confidence interval of the panel β, which is read off the
same t distribution the method uses for its p-value. Where the data are too thin for a method
the page says why instead.
"""

from __future__ import annotations

import math

from django.shortcuts import render
from django.utils.translation import gettext as _
from scipy import stats

from czt.methods.convergence import panel_beta_convergence, panel_from_wide, sigma_convergence
from czt.methods.disparity import disparity, primacy
from czt.methods.entropy import entropy_weights
from czt.methods.errors import MethodInputError
from czt.methods.linkage import linkage_strength
from czt.methods.topsis import topsis
from czt.store.models import Region
from czt.web.pages import analysis_inputs as ai
from czt.web.pages.analysis_composite import composite_section
from czt.web.pages.context import lang_of, named

ENTROPY = {"variant": "minmax", "cost_transform": "reflect", "shift": 0.0}
GRAVITY_EXPONENT = 2.0
# panel β-convergence variants shown: (key, unit fixed effects, year fixed effects)
PANEL_SPECS = [("pooled", False, False), ("unit", True, False), ("unit_year", True, True)]
# confidence level of the interval drawn around each panel β
CI_LEVEL = 0.95


def _num(v) -> float | None:
    if v is None:
        return None
    v = float(v)
    return None if math.isnan(v) or math.isinf(v) else v


def _pct(share) -> float | None:
    """A share in [0, 1] as a percentage, for display only."""
    v = _num(share)
    return None if v is None else v * 100


def inputs_section(panel: ai.CityPanel, names: dict[str, str]) -> dict:
    """The GDP, population and GDP-per-capita inputs, city by year, conflicts marked."""
    years = sorted({int(y) for y in panel.gdp.columns} | {int(y) for y in panel.population.columns})
    rows = []
    for code in ai.CITIES:
        for label, table, ind in (("gdp", panel.gdp, "gdp"),
                                  ("population", panel.population, "resident_population"),
                                  ("per_capita", panel.per_capita, None)):
            values = [{"value": _num(table.at[code, y]) if y in table.columns else None,
                       "conflict": ind is not None and (code, ind, y) in panel.conflicts}
                      for y in years]
            rows.append({"city": names[code], "measure": label, "values": values})
    pop = panel.population
    before, at = ai.CENSUS_YEAR - 1, ai.CENSUS_YEAR
    return {"years": years, "rows": rows, "units": panel.units,
            "break": {"before": before, "at": at,
                      "value_before": _num(pop.at[ai.CHANGSHA, before])
                      if before in pop.columns else None,
                      "value_at": _num(pop.at[ai.CHANGSHA, at]) if at in pop.columns else None}}


def disparity_section(panel: ai.CityPanel, lang: str = "zh") -> dict:
    """CV, Gini, Theil T (unweighted and population-weighted) per year, σ-convergence and
    panel β-convergence of the three cities."""
    rows = []
    for year in panel.per_capita_years:
        r = disparity(ai.disparity_frame(panel, year), "gdp_pc", weight="population",
                      primacy_of="gdp")
        rows.append({"year": year, "n": r.n, "mean": r.mean, "weighted_mean": r.weighted_mean,
                     "cv": r.cv, "cv_weighted": r.cv_weighted, "gini": r.gini,
                     "gini_weighted": r.gini_weighted, "theil": r.theil.total,
                     "theil_weighted": r.theil_weighted.total})
    sigma = None
    if len(panel.per_capita_years) >= 2:
        s = sigma_convergence(ai.sigma_frame(panel))
        sd = {int(y): float(v) for y, v in s.by_year["sd_log"].items()}
        for row in rows:
            row["sd_log"] = sd.get(row["year"])
        trend = [{"measure": m, "slope": _num(t.slope_per_year), "std_error": _num(t.std_error),
                  "p_value": _num(t.p_value), "change": _num(t.change)}
                 for m, t in s.trend.iterrows()]
        sigma = {"converging": s.converging, "trend": trend,
                 "first": panel.per_capita_years[0], "last": panel.per_capita_years[-1]}
    return {"rows": rows, "sigma": sigma, "years": panel.per_capita_years,
            "panel": panel_section(ai.by_year(panel.per_capita), lang)}


def panel_section(wide, lang: str = "zh") -> dict:
    """Panel β-convergence (annual growth, clustered by unit) in three variants: pooled,
    unit fixed effects, unit and year fixed effects; or the reason it cannot be estimated."""
    out: dict = {"specs": [], "error": None, "observations": [],
                 "ci_percent": round(CI_LEVEL * 100)}
    try:
        long = panel_from_wide(wide)
        for key, unit_fe, year_fe in PANEL_SPECS:
            r = panel_beta_convergence(long, unit_effects=unit_fe, year_effects=year_fe)
            out["specs"].append({
                "key": key, "beta": r.beta, "std_error": r.std_error, "p_value": _num(r.p_value),
                "df": r.df_inference, "n_obs": r.n_obs, "n_units": r.n_units,
                "n_periods": r.n_periods, "speed": r.speed, "half_life": r.half_life,
                "first": r.first_year, "last": r.last_year, "notes": r.notes,
                "clusters": r.n_clusters, "alpha": _num(r.alpha), **beta_interval(r)})
            if not out["observations"]:
                out["observations"] = panel_observations(r)
    except MethodInputError as exc:
        out["error"] = exc.message(lang)
    return out


def beta_interval(r) -> dict:
    """The CI_LEVEL confidence interval β ± t·SE, with t from the t distribution on the
    method's inference degrees of freedom (G − 1 with clustered errors): the distribution the
    method's p-value uses, so the interval leaves out 0 exactly when p < 1 − CI_LEVEL. With
    three clusters that is t(2) = 4.30, not the normal 1.96, which would overstate precision."""
    if not (r.std_error > 0 and r.df_inference >= 1):
        return {"ci_low": None, "ci_high": None, "critical": None}
    critical = float(stats.t.ppf(0.5 + CI_LEVEL / 2, r.df_inference))
    return {"ci_low": r.beta - critical * r.std_error, "ci_high": r.beta + critical * r.std_error,
            "critical": critical}


def panel_observations(r) -> list[dict]:
    """The growth observations the regression used (unit code, start and end year, log initial
    level, log growth), for the scatter of growth against the initial level."""
    used = r.data[r.data["used"]]
    return [{"unit": str(o.unit), "start": int(o.start_year), "year": int(o.year),
             "log_initial": float(o.log_initial), "growth": float(o.growth)}
            for o in used.itertuples()]


def county_section(names: dict[str, str], lang: str) -> dict:
    """County coverage of GDP (why no county Theil, cross-section or panel β on GDP, and
    which districts/counties report it in which years) and the 2020-census decompositions
    (Theil, Dagum's Gini, GE(2)) between and within cities, the one complete county
    cross-section."""
    cov = ai.county_coverage()
    coverage = []
    for city in ai.CITIES:
        mine = [r for r in cov.gdp_by_city_year if r["city"] == city]
        coverage.append({"city": names[city], "units": mine[0]["units"] if mine else 0,
                         "years": [r["reported"] for r in mine]})
    beta_note = _(
        "β-convergence across districts and counties is not estimated: it needs GDP per capita "
        "(published, or GDP and resident population of the same year) for the same units in a "
        "start and an end year. In the shipped data at most %(n)d of the 23 districts and "
        "counties have it in two years%(pair)s; this page asks for at least %(min)d units "
        "(a regression of growth on the initial level with at least 8 residual degrees of "
        "freedom)."
    ) % {"n": len(cov.best_units), "min": ai.BETA_MIN_UNITS,
         "pair": (_(" (%(start)d and %(end)d: %(units)s)") % {
             "start": cov.best_pair[0], "end": cov.best_pair[1],
             "units": (", " if lang == "en" else "、").join(names[u] for u in cov.best_units)}
             if cov.best_pair else "")}
    panel = panel_section(ai.by_year(cov.per_capita), lang)
    sep = ", " if lang == "en" else "、"
    reported = [{"name": names[c], "years": [int(y) for y in cov.per_capita.columns
                                             if not math.isnan(cov.per_capita.at[c, y])]}
                for c in cov.per_capita.index]
    panel["reported"] = [r for r in reported if r["years"]]
    panel["unreported"] = sep.join(r["name"] for r in reported if not r["years"])
    panel["n_units"] = len(reported)
    frame = ai.urbanization_frame(ai.census_county_frame())
    complete = frame[["population", "urban", "schooling"]].notna().all(axis=1)
    decompositions = []
    for key, label, unit in (("urbanization", _("Urbanization rate (census)"), "%"),
                             ("schooling", _("Mean years of schooling, aged 15+ (census)"),
                              _("years"))):
        data = frame.loc[complete, ["city", "population", key]]
        try:
            r = disparity(data, key, weight="population", group="city")
        except MethodInputError as exc:
            decompositions.append({"key": key, "label": label, "error": exc.message(lang)})
            continue
        groups = []
        gini_inside = r.gini_decomposition_weighted.groups.set_index("group")
        for g in r.theil_weighted.groups.itertuples():
            groups.append({"city": names[g.group], "units": g.units,
                           "value_share": _pct(g.value_share),
                           "weight_share": _pct(g.weight_share),
                           "theil_within_group": g.theil_within_group,
                           "within_contribution": g.within_contribution,
                           "between_contribution": g.between_contribution,
                           "gini_within_group": gini_inside.at[g.group, "gini_within_group"]})
        pairs = [{"higher": names[q.higher], "lower": names[q.lower],
                  "gini": q.gini_between_groups, "affluence": q.relative_affluence,
                  "net_between": q.net_between_contribution,
                  "transvariation": q.transvariation_contribution}
                 for q in r.gini_decomposition_weighted.pairs.itertuples()]
        decompositions.append({
            "key": key, "label": label, "unit": unit, "n": r.n,
            "mean": r.mean, "weighted_mean": r.weighted_mean,
            "cv": r.cv, "cv_weighted": r.cv_weighted, "gini": r.gini,
            "gini_weighted": r.gini_weighted,
            "theil": {"total": r.theil.total, "between": r.theil.between,
                      "within": r.theil.within},
            "theil_weighted": {"total": r.theil_weighted.total,
                               "between": r.theil_weighted.between,
                               "within": r.theil_weighted.within},
            "dagum": _dagum(r.gini_decomposition), "dagum_weighted":
            _dagum(r.gini_decomposition_weighted),
            "ge2": {"total": r.ge2.total, "between": r.ge2.between, "within": r.ge2.within},
            "ge2_weighted": {"total": r.ge2_weighted.total, "between": r.ge2_weighted.between,
                             "within": r.ge2_weighted.within},
            "groups": groups, "pairs": pairs,
        })
        last = decompositions[-1]
        last["dagum_rows"] = [(_("unweighted"), last["dagum"], last["ge2"], ""),
                              (_("population-weighted"), last["dagum_weighted"],
                               last["ge2_weighted"], "-weighted")]
    over_100 = [names[c] for c in frame.index[frame["urbanization"] > 100]]
    return {"coverage": coverage, "coverage_years": cov.years, "beta_note": beta_note,
            "beta_units": len(cov.best_units), "panel": panel, "decompositions": decompositions,
            "n_units": int(complete.sum()), "over_100": over_100, "year": ai.CENSUS_YEAR}


def _dagum(d) -> dict:
    shares = d.shares()
    return {"total": d.total, "within": d.within, "net_between": d.net_between,
            "transvariation": d.transvariation,
            "within_share": _pct(shares["within"]),
            "net_between_share": _pct(shares["net_between"]),
            "transvariation_share": _pct(shares["transvariation"])}


def primacy_section(panel: ai.CityPanel) -> dict:
    """Changsha's share of the three-city GDP and population, and the two-city index."""
    rows = []
    years = sorted(set(panel.complete_gdp_years) | set(panel.complete_population_years))
    for year in years:
        row = {"year": year}
        for key, table, ok in (("gdp", panel.gdp, panel.complete_gdp_years),
                               ("population", panel.population,
                                panel.complete_population_years)):
            if year in ok:
                p = primacy(table[year], basis=key)
                row[key] = {"share": _pct(p.shares.loc[ai.CHANGSHA, "share"]),
                            "two_unit_index": p.two_unit_index,
                            "largest": p.shares.index[0]}
            else:
                row[key] = None
        rows.append(row)
    return {"rows": rows}


def ranking_section(lang: str, names: dict[str, str]) -> dict:
    """Entropy weights and TOPSIS (entropy and equal weights) of the three cities."""
    inputs = ai.ranking_inputs()
    out = {"year": inputs.year, "entropy": ENTROPY,
           "excluded": [{"name": named(i, lang), "reason": r} for i, r in inputs.excluded]}
    if inputs.year is None:
        return out
    try:
        ew = entropy_weights(inputs.frame, cost=inputs.cost, **ENTROPY)
        by_entropy = topsis(inputs.frame, weights="entropy", cost=inputs.cost,
                            entropy_options=ENTROPY)
        by_equal = topsis(inputs.frame, weights="equal", cost=inputs.cost)
    except MethodInputError as exc:
        out["error"] = exc.message(lang)
        return out
    indicators = []
    for ind in inputs.indicators:
        t = ew.table.loc[ind.code]
        indicators.append({
            "code": ind.code, "name": named(ind, lang), "unit": ind.unit,
            "direction": t["direction"],
            "values": [_num(inputs.frame.at[c, ind.code]) for c in ai.CITIES],
            "entropy": t["entropy"], "divergence": t["divergence"], "weight": t["weight"],
        })
    cities = []
    for c in ai.CITIES:
        e, q = by_entropy.table.loc[c], by_equal.table.loc[c]
        cities.append({"code": c, "name": names[c], "d_plus": e["d_plus"],
                       "d_minus": e["d_minus"], "closeness": e["closeness"],
                       "rank": int(e["rank"]), "closeness_equal": q["closeness"],
                       "rank_equal": int(q["rank"])})
    out.update(indicators=indicators, cities=cities, n_units=ew.n_units)
    return out


def linkage_section(panel: ai.CityPanel, names: dict[str, str]) -> dict:
    """Gravity linkage of the three cities, great-circle distances between centroids."""
    inputs = ai.linkage_inputs(panel)
    if inputs.year is None:
        return {"year": None}
    r = linkage_strength(inputs.frame, population="population", gdp="gdp", lat="lat",
                         lon="lon", exponent=GRAVITY_EXPONENT)
    points = [{"code": c, "name": names[c], "lat": inputs.frame.at[c, "lat"],
               "lon": inputs.frame.at[c, "lon"], "population": inputs.frame.at[c, "population"],
               "gdp": inputs.frame.at[c, "gdp"],
               "total": r.totals.at[c, "total_linkage"], "share": _pct(r.totals.at[c, "share"]),
               "rank": int(r.totals.at[c, "rank"])} for c in ai.CITIES]
    order = {c: i for i, c in enumerate(ai.CITIES)}
    pairs = [{"a": names[p.origin], "b": names[p.destination], "a_code": p.origin,
              "b_code": p.destination, "distance": p.distance, "strength": p.strength}
             for p in r.pairs.itertuples() if order[p.origin] < order[p.destination]]
    membership = [{"name": names[o], "values": [
        None if o == d else _pct(r.membership.at[o, d]) for d in ai.CITIES]} for o in ai.CITIES]
    return {"year": inputs.year, "exponent": r.exponent, "points": points, "pairs": pairs,
            "membership": membership, "source": r.distance_source}


def chart_payload(dis: dict, pri: dict, county: dict, rank: dict, link: dict,
                  names: dict[str, str]) -> dict:
    payload = {
        "disparity": {"years": [r["year"] for r in dis["rows"]],
                      "series": {k: [_num(r.get(k)) for r in dis["rows"]]
                                 for k in ("sd_log", "cv", "cv_weighted", "gini",
                                           "gini_weighted", "theil", "theil_weighted")}},
        "primacy": {"years": [r["year"] for r in pri["rows"]],
                    "gdp": [r["gdp"]["share"] if r["gdp"] else None for r in pri["rows"]],
                    "population": [r["population"]["share"] if r["population"] else None
                                   for r in pri["rows"]],
                    "pre_census": [r["year"] < ai.CENSUS_YEAR for r in pri["rows"]]},
        "decomposition": [{"label": d["label"], "between": d["theil"]["between"],
                           "within": d["theil"]["within"],
                           "between_weighted": d["theil_weighted"]["between"],
                           "within_weighted": d["theil_weighted"]["within"]}
                          for d in county["decompositions"] if "theil" in d],
        "topsis": {"cities": [c["name"] for c in rank.get("cities", [])],
                   "entropy": [c["closeness"] for c in rank.get("cities", [])],
                   "equal": [c["closeness_equal"] for c in rank.get("cities", [])]},
        "linkage": {"points": [{k: p[k] for k in ("code", "name", "lat", "lon", "total")}
                               for p in link.get("points", [])],
                    "pairs": [{k: p[k] for k in ("a_code", "b_code", "distance", "strength")}
                              for p in link.get("pairs", [])]},
    }
    payload.update(county_inequality_charts(county["decompositions"], names))
    payload["panel_beta"] = panel_beta_chart(dis["panel"], names)
    return payload


def county_inequality_charts(decompositions: list[dict], names: dict[str, str]) -> dict:
    """Chart data for the 2020-census decompositions beyond Theil's: Dagum's parts of the Gini,
    the Gini inside each city and between each pair, and GE(2) split like Theil T. Everything
    is taken from the section the tables show, so chart and table cannot disagree."""
    shown = [d for d in decompositions if "dagum" in d]
    return {"dagum": dagum_chart(shown), "gini_matrix": gini_matrix_chart(shown, names),
            "ge2": ge2_chart(shown)}


def dagum_chart(decompositions: list[dict]) -> dict:
    """Dagum's G = G_w + G_nb + G_t per variable and weighting: the stacked bar shows how much
    of the Gini is inequality inside the cities, between them, and their overlap."""
    variables = []
    for d in decompositions:
        bars = [{"weighting": label, **{k: g[k] for k in (
                    "total", "within", "net_between", "transvariation", "within_share",
                    "net_between_share", "transvariation_share")}}
                for label, g, _ge2, _suffix in d["dagum_rows"]]
        variables.append({"key": d["key"], "label": d["label"], "bars": bars})
    return {"variables": variables,
            "words": {"within": _("within cities G_w"),
                      "net_between": _("net between cities G_nb"),
                      "transvariation": _("transvariation (overlap) G_t"),
                      "total": _("Gini")}}


def gini_matrix_chart(decompositions: list[dict], names: dict[str, str]) -> dict:
    """The population-weighted Gini inside each city (diagonal, G_jj) and between each pair
    of cities (off the diagonal, G_jh, symmetric) as a matrix, one per variable: the same
    values as the city and pair tables."""
    cities = [names[c] for c in ai.CITIES]
    index = {name: i for i, name in enumerate(cities)}
    variables = []
    for d in decompositions:
        cells = [{"row": index[g["city"]], "col": index[g["city"]], "kind": "within",
                  "value": g["gini_within_group"]} for g in d["groups"]]
        for q in d["pairs"]:
            hi, lo = index[q["higher"]], index[q["lower"]]
            cells += [{"row": a, "col": b, "kind": "between", "value": q["gini"],
                       "affluence": q["affluence"]} for a, b in ((hi, lo), (lo, hi))]
        variables.append({"key": d["key"], "label": d["label"], "cells": cells})
    return {"cities": cities, "variables": variables,
            "words": {"within": _("Gini inside the city"),
                      "between": _("Gini between the two, G_jh"),
                      "affluence": _("Relative affluence D_jh")}}


def ge2_chart(decompositions: list[dict]) -> dict:
    """GE(2) = CV²/2 next to Theil T, each split into between and within cities, unweighted
    and population-weighted: the two decomposable measures side by side show whether the
    small between-city part depends on the measure."""
    variables = []
    for d in decompositions:
        bars = []
        for measure, parts in (("Theil T", (d["theil"], d["theil_weighted"])),
                               ("GE(2)", (d["ge2"], d["ge2_weighted"]))):
            for weighting, p in zip((_("unweighted"), _("population-weighted")), parts,
                                    strict=True):
                total = p["total"]
                bars.append({"measure": measure, "weighting": weighting, "total": total,
                             "between": p["between"], "within": p["within"],
                             "between_share": _pct(p["between"] / total) if total else None,
                             "within_share": _pct(p["within"] / total) if total else None})
        variables.append({"key": d["key"], "label": d["label"], "bars": bars})
    return {"variables": variables,
            "words": {"between": _("between cities"), "within": _("within cities")}}


def panel_beta_chart(panel: dict, names: dict[str, str]) -> dict:
    """The panel β of each variant with its confidence interval (a coefficient plot with the
    zero line: left of it means convergence), and the growth observations with the pooled fit
    line α + β·ln y, from the section the table shows."""
    if panel["error"] or not panel["specs"]:
        return {"specs": [], "points": [], "fit": None, "words": {}}
    variant = {"pooled": _("pooled, no fixed effects (absolute convergence)"),
               "unit": _("city fixed effects (conditional convergence)"),
               "unit_year": _("city and year fixed effects")}
    specs = [{"key": s["key"], "label": variant[s["key"]],
              **{k: s[k] for k in ("beta", "std_error", "ci_low", "ci_high", "critical", "df",
                                   "p_value", "speed", "half_life")}}
             for s in panel["specs"]]
    points = [{"city": names.get(o["unit"], o["unit"]), "unit": o["unit"], **{
        k: o[k] for k in ("start", "year", "log_initial", "growth")}}
        for o in panel["observations"]]
    pooled = next((s for s in panel["specs"] if s["key"] == "pooled"), None)
    fit = None
    if pooled and pooled["alpha"] is not None and points:
        xs = [min(p["log_initial"] for p in points), max(p["log_initial"] for p in points)]
        fit = {"alpha": pooled["alpha"], "beta": pooled["beta"], "x": xs,
               "y": [pooled["alpha"] + pooled["beta"] * x for x in xs]}
    level = panel["ci_percent"]
    return {"specs": specs, "points": points, "fit": fit, "cities": [names[c] for c in ai.CITIES],
            "words": {
                "ci": _("%(level)s%% confidence interval") % {"level": level},
                "std_error": _("Standard error, clustered by city"),
                "p_value": _("p-value"), "speed": _("Implied speed λ per year"),
                "half_life": _("Half-life (years)"),
                "x_axis": _("ln GDP per capita at the start of the year"),
                "y_axis": _("Growth in the year, ln(y_t ÷ y_t−1)"),
                "fit": _("pooled fit α + β·ln y")}}


def analysis_page(request):
    lang = lang_of(request)
    names = {r.code: named(r, lang) for r in Region.objects.all()}
    panel = ai.city_panel()
    dis = disparity_section(panel, lang)
    county = county_section(names, lang)
    pri = primacy_section(panel)
    rank = ranking_section(lang, names)
    link = linkage_section(panel, names)
    composite = composite_section(lang, names)
    charts = chart_payload(dis, pri, county, rank, link, names)
    charts["composite"] = composite.get("chart")
    words = {
        "sd_log": _("σ: sd of ln(GDP per capita)"), "cv": _("CV"),
        "cv_weighted": _("CV, population-weighted"), "gini": _("Gini"),
        "gini_weighted": _("Gini, population-weighted"), "theil": _("Theil T"),
        "theil_weighted": _("Theil T, population-weighted"),
        "gdp_share": _("Changsha's share of GDP"),
        "population_share": _("Changsha's share of resident population"),
        "between": _("between cities"), "within": _("within cities"),
        "unweighted": _("unweighted"), "weighted": _("population-weighted"),
        "entropy": _("entropy weights"), "equal": _("equal weights"),
        "closeness": _("TOPSIS closeness"), "distance": _("distance"),
        "strength": _("linkage strength"), "km": _("km"),
    }
    return render(request, "pages/analysis.html", {
        "cities": [names[c] for c in ai.CITIES], "changsha": names[ai.CHANGSHA],
        "inputs": inputs_section(panel, names), "disparity": dis, "county": county,
        "primacy": pri, "ranking": rank, "linkage": link, "census_year": ai.CENSUS_YEAR,
        "charts": charts, "words": words, "composite": composite,
        "beta_min": ai.BETA_MIN_UNITS,
    })
