"""The shipped official statistics: totals, conflicts, the scoreboard on real data."""

import math

import pytest

from czt.monitoring import coverage, region_series, scoreboard, totals
from czt.store.models import Observation, Target
from czt.store.queries import observations, resolve_cells

pytestmark = pytest.mark.django_db


def test_every_shipped_row_is_loaded():
    # 318 official + 408 compiled observations; the 15 target rows become targets
    assert Observation.objects.count() == 318 + 408
    assert Target.objects.count() == 24 + 8


def test_czt_gdp_2024_derived_vs_published():
    t = totals("gdp").set_index("year")
    # 15268.78 + 3902.4 + 2957.06 = 22128.24 derived; 22128.3 published (tolerance 1e-6)
    assert t.loc[2024, "derived"] == pytest.approx(22128.24, abs=1e-6)
    assert t.loc[2024, "published"] == pytest.approx(22128.3, abs=1e-9)
    assert t.loc[2024, "difference"] == pytest.approx(0.06, abs=1e-6)
    assert t.loc[2019, "published"] == pytest.approx(16835.0)


def test_census_urbanization_of_the_total_is_a_ratio_of_sums():
    s = region_series("census_urbanization_rate_2020", "CZT").frame.set_index("year")
    cells = resolve_cells(observations(
        indicators=["census_urban_population_2020", "census_population_2020"],
        regions=["430100", "430200", "430300"], years=(2020, 2020)))
    v = cells.set_index(["region", "indicator"])["value"]
    urban = sum(v[(c, "census_urban_population_2020")] for c in ("430100", "430200", "430300"))
    pop = sum(v[(c, "census_population_2020")] for c in ("430100", "430200", "430300"))
    rates = [v[(c, "census_urban_population_2020")] / v[(c, "census_population_2020")] * 100
             for c in ("430100", "430200", "430300")]
    assert s.loc[2020, "derived"] == pytest.approx(urban / pop * 100, abs=1e-9)
    assert abs(s.loc[2020, "derived"] - sum(rates) / 3) > 0.5  # averaging would be wrong here


def test_conflicting_sources_are_kept_and_marked():
    cells = resolve_cells(observations(indicators=["gdp"], regions=["430181"], years=(2020, 2020)))
    [row] = cells.itertuples()
    assert row.conflict
    values = sorted([row.value] + [a["value"] for a in row.alternatives])
    assert values == [1493.0, 1510.0]


def test_scoreboard_on_real_data():
    sb = scoreboard(plan="CZT-5Y-2021").set_index("target")
    assert len(sb) == 24
    gdp = sb.loc["5Y-01"]
    # base 2020 derived from the three cities; latest 2024 the published 22128.3
    actual = (22128.3 / gdp["base_value"]) ** (1 / 4) - 1
    required = (25000 / gdp["base_value"]) ** (1 / 5) - 1
    assert gdp["year"] == 2024 and gdp["value"] == pytest.approx(22128.3)
    assert gdp["ratio"] == pytest.approx(actual / required, abs=1e-12)
    assert gdp["status"] == "accelerate" and gdp["status_label"] == "需加快"
    growth = sb.loc["5Y-02"]
    assert growth["status"] == "insufficient"
    assert growth["reason"] == "缺少 2021,2022,2023 年数据"
    # every "insufficient" row says why
    insufficient = sb[sb["status"] == "insufficient"]
    assert (insufficient["reason"].str.len() > 0).all()
    assert not math.isnan(gdp["projected"])


def test_scoreboard_in_english():
    sb = scoreboard(plan="CZT-5Y-2021", lang="en").set_index("target")
    assert sb.loc["5Y-01", "status_label"] == "Needs acceleration"
    assert sb.loc["5Y-02", "reason"] == "missing years 2021,2022,2023"


def test_coverage_names_missing_city_cells():
    c = coverage(plan="CZT-5Y-2021")
    zhuzhou = c[c["region"] == "430200"]
    assert ("hitech_enterprises", 2020) in set(zip(zhuzhou.indicator, zhuzhou.year, strict=True))
    # 2020 GDP is reported by all three cities, so it is not listed
    assert not ((c["indicator"] == "gdp") & (c["year"] == 2020)).any()
