"""The county table: 23 districts/counties, real census populations, sane distances."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from czt.flows.regions import city_of, county_codes, describe_distance, load_counties, pair_table

PANELS = Path(__file__).parents[2] / "src" / "czt" / "data" / "compiled_panels.csv"


def test_twenty_three_counties_in_three_cities():
    c = load_counties()
    assert len(c) == 23
    assert c.groupby("city_code").size().to_dict() == {"430100": 9, "430200": 9, "430300": 5}
    assert city_of(430212) == "430200"
    assert county_codes()[:2] == (430102, 430103)


def test_changsha_counties_sum_to_the_city_census():
    c = load_counties()
    assert c.loc[c["city_code"] == "430100", "population_2020"].sum() == 10_047_914


@pytest.mark.skipif(not PANELS.exists(), reason="compiled_panels.csv not present")
def test_populations_are_the_census_figures_from_compiled_panels():
    p = pd.read_csv(PANELS, dtype={"region_code": str})
    p = p[(p["indicator"] == "census_population_2020") & p["source_url"].str.contains("county")]
    census = p.set_index(p["region_code"].astype(int))["value"]
    c = load_counties()
    assert (c["population_2020"] == census.reindex(c["code"]).to_numpy()).all()


def test_distances_are_plausible():
    assert 35 < describe_distance(430102, 430211) < 45  # 芙蓉区 — 天元区 (长沙—株洲)
    assert 10 < describe_distance(430211, 430302) < 25  # 天元区 — 雨湖区 (株洲—湘潭)
    assert describe_distance(430102, 430211) == describe_distance(430211, 430102)
    p = pair_table()
    off = p[p["same_district"] == 0].groupby("origin")["distance_km"].min()
    internal = p[p["same_district"] == 1].set_index("origin")["distance_km"]
    assert (internal == 0.25 * off.reindex(internal.index)).all()  # Wei (1996)
    assert p["cross_city"].sum() == 23 * 23 - (9 * 9 + 9 * 9 + 5 * 5)
