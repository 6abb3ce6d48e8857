"""Inputs of the integration-analysis page (一体化分析), built from the store.

Everything here selects and arranges observations into the wide frames the methods in
``czt.methods`` take (index = unit id). No statistic is computed here; the one derived input
is GDP per capita, formed by the catalogue's own rule for ``gdp_per_capita``
(numerator ÷ denominator × scale); the centroids of the shipped boundary polygons come from
``czt.methods.linkage.centroid_distances``.

Choices that decide what enters a method are constants or documented rules below, so the
page can state them:

* per-capita series start in ``CENSUS_YEAR`` (2020): Changsha's 2019 resident population in
  the store (839.45 万人) is on the pre-census basis, the 2020 census counted 1004.79 万, so a
  per-capita series across 2019/2020 would show a break, not a change;
* districts and counties are the current (``valid_to`` empty) county-level units of the
  three cities; the Yunlong functional zone is not one of the 23;
* the ranking (entropy + TOPSIS) uses indicators with a direction in the catalogue
  (polarity higher/lower), that are not totals (aggregation ``sum`` measures size, on which
  Changsha leads by construction) and not a restated growth rate (kind ``index``), reported
  by all three cities for the same year.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

import pandas as pd

from czt.methods.linkage import centroid_distances
from czt.store.models import Indicator
from czt.store.queries import observations, resolve_cells
from czt.web.pages.context import CITIES, counties

CHANGSHA = "430100"
CENSUS_YEAR = 2020
BETA_MIN_UNITS = 10  # OLS with a constant and a slope: at least 8 residual degrees of freedom
CENSUS = {
    "population": "census_population_2020",
    "urban": "census_urban_population_2020",
    "schooling": "census_avg_years_schooling_2020",
}


def cells(indicators: list[str], regions: list[str]) -> pd.DataFrame:
    """One value per cell (conflicts resolved by the store's rule and kept visible)."""
    return resolve_cells(observations(indicators=indicators, regions=regions))


def wide(frame: pd.DataFrame, indicator: str, regions: list[str]) -> pd.DataFrame:
    """Region × year values of one indicator (NaN where not reported)."""
    own = frame[frame["indicator"] == indicator]
    table = own.pivot(index="region", columns="year", values="value") if len(own) else (
        pd.DataFrame(index=pd.Index([], name="region")))
    return table.reindex(regions)


# --- three cities: GDP, population, GDP per capita --------------------------------------


@dataclass
class CityPanel:
    gdp: pd.DataFrame  # city × year, 亿元
    population: pd.DataFrame  # city × year, 万人
    per_capita: pd.DataFrame  # city × year (from CENSUS_YEAR, both parts present), 元
    conflicts: set[tuple[str, str, int]] = field(default_factory=set)
    units: dict[str, str] = field(default_factory=dict)

    @property
    def complete_gdp_years(self) -> list[int]:
        return [int(y) for y in self.gdp.columns if self.gdp[y].notna().all()]

    @property
    def complete_population_years(self) -> list[int]:
        return [int(y) for y in self.population.columns if self.population[y].notna().all()]

    @property
    def per_capita_years(self) -> list[int]:
        return [int(y) for y in self.per_capita.columns]


def city_panel() -> CityPanel:
    pc = Indicator.objects.get(code="gdp_per_capita")
    num, den, scale = pc.numerator_id, pc.denominator_id, pc.scale or 1.0
    c = cells([num, den], CITIES)
    gdp, pop = wide(c, num, CITIES), wide(c, den, CITIES)
    years = [y for y in gdp.columns if y in pop.columns and y >= CENSUS_YEAR
             and gdp[y].notna().all() and pop[y].notna().all()]
    per_capita = (gdp[years] / pop[years] * scale) if years else pd.DataFrame(index=CITIES)
    conflicts = {(r.region, r.indicator, int(r.year)) for r in c.itertuples() if r.conflict}
    units = dict(Indicator.objects.filter(code__in=[num, den, pc.code])
                 .values_list("code", "unit"))
    return CityPanel(gdp, pop, per_capita, conflicts, units)


def disparity_frame(panel: CityPanel, year: int) -> pd.DataFrame:
    """The three cities in one year: GDP per capita (value), population (weight), GDP."""
    return pd.DataFrame({"gdp_pc": panel.per_capita[year], "population": panel.population[year],
                         "gdp": panel.gdp[year]}, index=pd.Index(CITIES, name="code"))


def sigma_frame(panel: CityPanel) -> pd.DataFrame:
    """Wide by year (columns named like years) for ``sigma_convergence``."""
    return by_year(panel.per_capita)


def by_year(table: pd.DataFrame) -> pd.DataFrame:
    """A region × year table (NaN = not reported) with the columns named like years, the
    input of ``sigma_convergence`` and ``panel_from_wide``."""
    frame = table.copy()
    frame.columns = [str(int(y)) for y in frame.columns]
    frame.index.name = "code"
    return frame


# --- districts and counties -----------------------------------------------------------------


def census_county_frame() -> pd.DataFrame:
    """The 23 districts/counties in the 2020 census: city, population, urban population and
    mean years of schooling (the only county cross-section complete in the shipped data)."""
    units = counties()
    codes = [u.code for u in units]
    c = cells(list(CENSUS.values()), codes)
    frame = pd.DataFrame({"city": [u.parent_id for u in units]},
                         index=pd.Index(codes, name="code"))
    for name, code in CENSUS.items():
        own = c[(c["indicator"] == code) & (c["year"] == CENSUS_YEAR)].set_index("region")
        frame[name] = own["value"].reindex(codes)
    return frame


def urbanization_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """Urbanization rate by the catalogue's ratio rule (Σ urban / Σ population × 100)."""
    ind = Indicator.objects.get(code="census_urbanization_rate_2020")
    return frame.assign(urbanization=frame["urban"] / frame["population"] * (ind.scale or 1.0))


@dataclass
class CountyCoverage:
    gdp_by_city_year: list[dict]  # city, year, reported, units
    years: list[int]
    best_pair: tuple[int, int] | None
    best_units: list[str]
    per_capita: pd.DataFrame  # county × year where per-capita GDP is available


def county_coverage() -> CountyCoverage:
    """Which districts/counties report GDP per capita (published, or GDP and population
    of the same year) in which years, and the pair of years with the most units in both."""
    units = counties()
    codes = [u.code for u in units]
    pc = Indicator.objects.get(code="gdp_per_capita")
    c = cells([pc.code, pc.numerator_id, pc.denominator_id], codes)
    gdp, pop = wide(c, pc.numerator_id, codes), wide(c, pc.denominator_id, codes)
    published = wide(c, pc.code, codes)
    years = sorted({int(y) for y in c["year"]}) if len(c) else []
    per_capita = pd.DataFrame(index=pd.Index(codes, name="code"))
    for y in years:
        derived = (gdp[y] if y in gdp else pd.Series(float("nan"), index=codes)) / (
            pop[y] if y in pop else pd.Series(float("nan"), index=codes)) * (pc.scale or 1.0)
        own = published[y] if y in published else pd.Series(float("nan"), index=codes)
        per_capita[y] = own.where(own.notna(), derived)
    rows = []
    parent = {u.code: u.parent_id for u in units}
    for city in CITIES:
        members = [c_ for c_ in codes if parent[c_] == city]
        for y in years:
            reported = int(gdp.loc[members, y].notna().sum()) if y in gdp else 0
            rows.append({"city": city, "year": y, "reported": reported, "units": len(members)})
    best, best_units = None, []
    for i, a in enumerate(years):
        for b in years[i + 1:]:
            both = per_capita.index[per_capita[a].notna() & per_capita[b].notna()].tolist()
            if len(both) > len(best_units) or (len(both) == len(best_units) and both
                                                and best and b - a > best[1] - best[0]):
                best, best_units = (a, b), both
    return CountyCoverage(rows, years, best, best_units, per_capita)


# --- entropy + TOPSIS ----------------------------------------------------------------------


@dataclass
class RankingInputs:
    year: int | None
    frame: pd.DataFrame  # city × indicator code
    cost: list[str]
    indicators: list[Indicator]
    excluded: list[tuple[Indicator, str]]  # (indicator, reason key) for that year


def ranking_inputs() -> RankingInputs:
    """The year with the most eligible indicators reported by all three cities (latest on a
    tie). An indicator is left out of that year if a value is negative (TOPSIS's vector
    normalisation needs x ≥ 0) or the three values are equal (min-max divides by the range)."""
    eligible = {i.code: i for i in Indicator.objects.filter(polarity__in=["higher", "lower"])
                .exclude(aggregation="sum").exclude(kind="index")}
    c = cells(sorted(eligible), CITIES)
    best: tuple[int, list[str], list[tuple[str, str]]] | None = None
    for year, g in c.groupby("year"):
        table = g.pivot(index="region", columns="indicator", values="value").reindex(CITIES)
        keep, drop = [], []
        for code in table.columns:
            col = table[code]
            if col.isna().any():
                continue
            if (col < 0).any():
                drop.append((code, "negative"))
            elif col.nunique() == 1:
                drop.append((code, "constant"))
            else:
                keep.append(code)
        if keep and (best is None or len(keep) >= len(best[1])):
            best = (int(year), sorted(keep), drop)
    if best is None:
        return RankingInputs(None, pd.DataFrame(index=CITIES), [], [], [])
    year, keep, drop = best
    at = c[c["year"] == year].pivot(index="region", columns="indicator", values="value")
    frame = at.reindex(index=CITIES, columns=keep)
    frame.index.name = "code"
    return RankingInputs(
        year=year, frame=frame,
        cost=[k for k in keep if eligible[k].polarity == "lower"],
        indicators=[eligible[k] for k in keep],
        excluded=[(eligible[k], reason) for k, reason in sorted(drop)],
    )


# --- linkage: masses and centroids ------------------------------------------------------------


@cache
def _boundaries() -> dict:
    text = resources.files("czt.reference").joinpath("boundaries.geojson").read_text("utf-8")
    return json.loads(text)


def centroids(codes: list[str]) -> dict[str, tuple[float, float]]:
    """Centroids (lat, lon) of the shipped boundaries of ``codes`` (those that have one),
    by :func:`czt.methods.linkage.centroid_distances`."""
    found = {f["properties"]["code"]: f["geometry"] for f in _boundaries()["features"]}
    present = [c for c in codes if c in found]
    if not present:
        return {}
    points = centroid_distances(found, ids=present).points
    return {c: (float(points.at[c, "lat"]), float(points.at[c, "lon"])) for c in present}


@dataclass
class LinkageInputs:
    year: int | None
    frame: pd.DataFrame  # code, population, gdp, lat, lon


def linkage_inputs(panel: CityPanel) -> LinkageInputs:
    """The latest year with GDP and population for all three cities, and their centroids."""
    years = sorted(set(panel.complete_gdp_years) & set(panel.complete_population_years))
    points = centroids(CITIES)
    if not years or len(points) < len(CITIES):
        return LinkageInputs(None, pd.DataFrame())
    year = years[-1]
    frame = pd.DataFrame({
        "population": panel.population[year], "gdp": panel.gdp[year],
        "lat": [points[c][0] for c in CITIES], "lon": [points[c][1] for c in CITIES],
    }, index=pd.Index(CITIES, name="code"))
    return LinkageInputs(year, frame)
