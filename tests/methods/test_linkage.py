"""Gravity linkage strength: great-circle distances, centroids of polygons and a
hand-computed 3-unit case."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from czt.methods.inputs import MethodInputError, read_wide_csv
from czt.methods.linkage import (
    EARTH_RADIUS_KM,
    centroid_distances,
    great_circle_km,
    linkage_strength,
    polygon_centroid,
)


def test_great_circle_known_distances() -> None:
    d = great_circle_km(np.array([0.0, 0.0, 90.0]), np.array([0.0, 1.0, 0.0]))
    # one degree of longitude on the equator = 2πR/360 = 111.19508 km; equator to pole πR/2
    assert d[0, 1] == pytest.approx(2 * math.pi * EARTH_RADIUS_KM / 360, abs=1e-9)
    assert d[0, 1] == pytest.approx(111.19508, abs=1e-5)
    assert d[0, 2] == pytest.approx(math.pi * EARTH_RADIUS_KM / 2, abs=1e-9)
    assert np.allclose(d, d.T) and np.all(np.diag(d) == 0)


# P = 4, 1, 9 and G = 1, 4, 1: sqrt(P·G) = 2, 2, 3. D12 = 10, D13 = 20, D23 = 30, b = 2:
# R12 = 4/100 = 0.04, R13 = 6/400 = 0.015, R23 = 6/900 = 1/150.
UNITS = "code,pop,gdp\nA,4,1\nB,1,4\nC,9,1\n"
DIST = "code,A,B,C\nA,,10,20\nB,10,,30\nC,20,30,\n"


def test_hand_example_with_distance_matrix(write_csv) -> None:
    frame = read_wide_csv(write_csv(UNITS))
    dist = read_wide_csv(write_csv(DIST, name="dist.csv"))
    r = linkage_strength(frame, population="pop", gdp="gdp", distances=dist)
    assert r.strength.loc["A", "B"] == pytest.approx(0.04, abs=1e-15)
    assert r.strength.loc["A", "C"] == pytest.approx(0.015, abs=1e-15)
    assert r.strength.loc["C", "B"] == pytest.approx(1 / 150, abs=1e-15)
    totals = r.totals["total_linkage"]
    assert totals.to_list() == pytest.approx([0.055, 0.04 + 1 / 150, 0.015 + 1 / 150], abs=1e-15)
    assert r.membership.loc["A", "B"] == pytest.approx(0.04 / 0.055, abs=1e-15)
    assert r.membership.sum(axis=1).to_list() == pytest.approx([1.0, 1.0, 1.0], abs=1e-15)
    assert r.totals["rank"].to_list() == [1, 2, 3]
    assert r.distance_source.endswith("dist.csv")
    # b = 1 halves nothing but changes the decay: R12 = 4/10
    r1 = linkage_strength(frame, population="pop", gdp="gdp", distances=dist, exponent=1)
    assert r1.strength.loc["A", "B"] == pytest.approx(0.4, abs=1e-15)
    assert len(r.pairs) == 6
    assert "strength" not in r.to_dict()


def test_centroids_give_same_result_as_their_distance_matrix() -> None:
    frame = pd.DataFrame(
        {"pop": [1042.0, 390.0, 273.0], "gdp": [14332.0, 3617.0, 2696.0],
         "lat": [28.228, 27.828, 27.83], "lon": [112.939, 113.134, 112.944]},
        index=pd.Index(["430100", "430200", "430300"], name="code"),
    )
    by_coords = linkage_strength(frame, population="pop", gdp="gdp", lat="lat", lon="lon")
    d = great_circle_km(frame["lat"].to_numpy(), frame["lon"].to_numpy())
    matrix = pd.DataFrame(d, index=frame.index, columns=frame.index)
    by_matrix = linkage_strength(frame, population="pop", gdp="gdp", distances=matrix)
    assert np.allclose(by_coords.strength.fillna(0), by_matrix.strength.fillna(0), atol=0)
    assert by_coords.distance_source == "great-circle"
    assert 40 < d[0, 1] < 55  # 长沙–株洲 centroids about 48 km apart


def test_errors(write_csv) -> None:
    frame = read_wide_csv(write_csv(UNITS))
    with pytest.raises(MethodInputError, match="二者选一"):
        linkage_strength(frame, population="pop", gdp="gdp")
    short = read_wide_csv(write_csv("code,A,B\nA,,10\nB,10,\n", name="short.csv"))
    with pytest.raises(MethodInputError) as info:
        linkage_strength(frame, population="pop", gdp="gdp", distances=short)
    assert "C" in info.value.message("en") and "short.csv" in info.value.message("en")
    zero = read_wide_csv(write_csv("code,A,B,C\nA,,0,20\nB,10,,30\nC,20,30,\n", name="z.csv"))
    with pytest.raises(MethodInputError) as info:
        linkage_strength(frame, population="pop", gdp="gdp", distances=zero)
    err = info.value
    assert (err.key, err.row, err.unit, err.column) == ("non_positive", 2, "A", "B")
    assert err.file.endswith("z.csv")


def test_haversine_against_rosetta_code() -> None:
    """Rosetta Code, "Haversine formula" (https://rosettacode.org/wiki/Haversine_formula):
    Nashville BNA (36.12, −86.67) to Los Angeles LAX (33.94, −118.40) is
    2886.44444283798… km with R = 6371.0 km. The distance is proportional to R, so ours
    (R = 6371.0088) rescaled to 6371.0 must give it; tolerance 1e-6 km."""
    d = great_circle_km(np.array([36.12, 33.94]), np.array([-86.67, -118.40]))
    assert d[0, 1] * 6371.0 / EARTH_RADIUS_KM == pytest.approx(2886.44444283798, abs=1e-6)


def test_centroid_of_a_square_and_with_a_hole() -> None:
    """A 1°×1° square on the equator has its centroid in the middle (exact to 1e-12).
    Cut a clockwise hole [0, 0.5]×[−0.5, 0.5] out of the 2°×1° rectangle [0, 2]×[−0.5, 0.5]:
    what is left is [0.5, 2]×[−0.5, 0.5], centroid lon 1.25 (the mean latitude of the
    vertices is 0, so the projection is exact)."""
    square = {"type": "Polygon", "coordinates": [[[0, -0.5], [1, -0.5], [1, 0.5], [0, 0.5],
                                                  [0, -0.5]]]}
    lat, lon = polygon_centroid(square)
    assert lat == pytest.approx(0.0, abs=1e-12) and lon == pytest.approx(0.5, abs=1e-12)
    holed = {"type": "Polygon", "coordinates": [
        [[0, -0.5], [2, -0.5], [2, 0.5], [0, 0.5], [0, -0.5]],
        [[0, -0.5], [0, 0.5], [0.5, 0.5], [0.5, -0.5], [0, -0.5]],
    ]}
    lat, lon = polygon_centroid(holed)
    assert lat == pytest.approx(0.0, abs=1e-12) and lon == pytest.approx(1.25, abs=1e-12)
    multi = {"type": "MultiPolygon", "coordinates": [square["coordinates"],
                                                     [[[1, -0.5], [2, -0.5], [2, 0.5],
                                                       [1, 0.5], [1, -0.5]]]]}
    assert polygon_centroid(multi)[1] == pytest.approx(1.0, abs=1e-12)


def _square(lon0: float, lat0: float) -> dict:
    ring = [[lon0, lat0], [lon0 + 1, lat0], [lon0 + 1, lat0 + 1], [lon0, lat0 + 1],
            [lon0, lat0]]
    return {"type": "Polygon", "coordinates": [ring]}


def test_centroid_distances_from_features_by_hand() -> None:
    """Two 1°×1° squares side by side on the equator: centroids (0, 0.5) and (0, 1.5), one
    degree of longitude apart = 2πR/360 = 111.19508 km (tolerance 1e-9 km)."""
    collection = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"code": "B"}, "geometry": _square(1, -0.5)},
        {"type": "Feature", "properties": {"code": "A"}, "geometry": _square(0, -0.5)},
    ]}
    r = centroid_distances(collection, ids=["A", "B"])
    assert list(r.points.index) == ["A", "B"]
    assert r.points.loc["A"].to_list() == pytest.approx([0.0, 0.5], abs=1e-12)
    assert r.distances.loc["A", "B"] == pytest.approx(2 * math.pi * EARTH_RADIUS_KM / 360,
                                                      abs=1e-9)
    assert r.distances.loc["A", "B"] == pytest.approx(111.19508, abs=1e-5)
    by_mapping = centroid_distances({"A": _square(0, -0.5), "B": _square(1, -0.5)})
    assert by_mapping.distances.equals(r.distances)
    # a square away from the equator: the centroid is its middle to ~1e-4 degrees
    lat, lon = polygon_centroid(_square(112.5, 27.5))
    assert lat == pytest.approx(28.0, abs=1e-3) and lon == pytest.approx(113.0, abs=1e-9)


def test_centroid_errors() -> None:
    with pytest.raises(MethodInputError, match="Point"):
        polygon_centroid({"type": "Point", "coordinates": [0, 0]})
    with pytest.raises(MethodInputError, match="C"):
        centroid_distances({"A": _square(0, 0)}, ids=["A", "C"])
    with pytest.raises(MethodInputError) as info:
        centroid_distances([{"properties": {"name": "x"}, "geometry": _square(0, 0)}])
    assert "code" in info.value.message("en")
    line = {"type": "Polygon", "coordinates": [[[0, 0], [1, 1], [0, 0]]]}
    with pytest.raises(MethodInputError) as info:
        centroid_distances({"A": line})
    assert info.value.message("en") == (
        "invalid option features: unit A: the polygon has zero area, so no centroid")
