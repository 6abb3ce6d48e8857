"""Economic linkage strength 经济联系强度 between units (modified gravity model).

Why: integration means the three cities (and their districts and counties) are bound more
tightly; the gravity-type linkage strength is the standard first measure in the Chinese
urban-system literature, computed from population, GDP and distance.

For units i ≠ j with population P, GDP G and distance D_ij:

* R_ij = (sqrt(P_i G_i) · sqrt(P_j G_j)) / D_ij^b, b >= 0 given (default 2);
* total linkage of i: R_i = Σ_{j≠i} R_ij; share of i in all linkage R_i / Σ_k R_k;
* membership 经济联系隶属度 F_ij = R_ij / Σ_{j≠i} R_ij (row shares, Σ_j F_ij = 1).

R_ij depends on the units of P, G and D (e.g. 万人, 亿元, km); compare values computed in the
same units only. Distances come either from a supplied matrix (road or rail distance, travel
time; may be asymmetric) or are great-circle distances between centroids given as latitude
and longitude columns (haversine, mean Earth radius 6371.0088 km, IUGG).

Centroids of boundary polygons (:func:`polygon_centroid`, :func:`centroid_distances`): the
area-weighted centroid by the shoelace formula on an equirectangular projection about the
mean latitude φ₀ of the vertices (x = λ·cos φ₀, y = φ):
A = ½ Σ (x_k y_k+1 − x_k+1 y_k), C_x = Σ (x_k + x_k+1)(x_k y_k+1 − x_k+1 y_k) / (6A),
C_y likewise with y; rings are summed with their orientation (GeoJSON: exterior
counter-clockwise, holes clockwise, so holes subtract). Adequate for units of ~100 km; the
projection error grows with the north–south extent of a unit.

References: Zipf G. K. (1946) The P1P2/D hypothesis, *American Sociological Review*
11(6):677–686; 顾朝林, 庞海峰 (2008) 基于重力模型的中国城市体系空间联系与层域划分,
地理研究 27(1):1–12; 孟德友, 陆玉麒 (2009) 基于引力模型的江苏区域经济联系强度与方向,
地理科学进展 28(5):697–704.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from czt.methods.inputs import (
    MethodInputError,
    Text,
    check_units,
    numeric_matrix,
    option_error,
    require_columns,
    where,
)
from czt.methods.results import MethodResult

METHOD = Text("经济联系强度（引力模型）", "linkage strength (gravity model)")
EARTH_RADIUS_KM = 6371.0088


def great_circle_km(lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    """Haversine distances (km) between all pairs of points given in degrees.

    d = 2 R asin( sqrt( sin²(Δφ/2) + cos φ_i cos φ_j sin²(Δλ/2) ) ), R = 6371.0088 km.
    """
    phi = np.radians(np.asarray(lat, dtype=float))
    lam = np.radians(np.asarray(lon, dtype=float))
    dphi = phi[:, None] - phi[None, :]
    dlam = lam[:, None] - lam[None, :]
    h = np.sin(dphi / 2) ** 2 + np.cos(phi)[:, None] * np.cos(phi)[None, :] * np.sin(dlam / 2) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(h, 0.0, 1.0)))


def polygon_centroid(geometry: Mapping[str, object]) -> tuple[float, float]:
    """Area-weighted centroid (lat, lon) in degrees of a GeoJSON Polygon or MultiPolygon.

    ``geometry`` is ``{"type": "Polygon" | "MultiPolygon", "coordinates": …}`` with
    [lon, lat] positions, rings closed (first position repeated last).
    """
    kind = geometry.get("type")
    if kind not in ("Polygon", "MultiPolygon"):
        raise option_error("geometry", f"只支持 Polygon 与 MultiPolygon，不支持 {kind}",
                           f"only Polygon and MultiPolygon are supported, not {kind}")
    polygons = geometry["coordinates"]
    if kind == "Polygon":
        polygons = [polygons]
    lats = [float(pt[1]) for poly in polygons for ring in poly for pt in ring]
    if not lats:
        raise option_error("geometry", "多边形没有坐标", "the polygon has no coordinates")
    k = math.cos(math.radians(sum(lats) / len(lats)))
    area = cx = cy = 0.0
    for poly in polygons:
        for ring in poly:  # exterior counter-clockwise, holes clockwise: signs do the rest
            for (x0, y0), (x1, y1) in zip(ring, ring[1:], strict=False):
                x0, x1 = float(x0) * k, float(x1) * k
                cross = x0 * y1 - x1 * y0
                area += cross
                cx += (x0 + x1) * cross
                cy += (y0 + y1) * cross
    area /= 2
    if area == 0:
        raise option_error("geometry", "多边形面积为 0，没有质心",
                           "the polygon has zero area, so no centroid")
    return cy / (6 * area), cx / (6 * area) / k


@dataclass(frozen=True)
class CentroidDistances(MethodResult):
    """Centroids (``points``: lat, lon by id) and great-circle distances between them (km)."""

    points: pd.DataFrame
    distances: pd.DataFrame

    def to_frame(self) -> pd.DataFrame:
        return self.points


def centroid_distances(
    features: Iterable[Mapping[str, object]] | Mapping[str, object],
    *,
    id_property: str = "code",
    ids: Sequence[str] | None = None,
) -> CentroidDistances:
    """Centroids of boundary polygons and the haversine distances between them.

    ``features``: a GeoJSON FeatureCollection, a list of Features (id in
    ``properties[id_property]``), or a mapping id → geometry. ``ids`` selects and orders
    the units (default: all, in input order); an id without a polygon is an error.
    """
    if isinstance(features, Mapping) and features.get("type") == "FeatureCollection":
        features = features["features"]  # type: ignore[assignment]
    if isinstance(features, Mapping):
        geometries = {str(k): v for k, v in features.items()}
    else:
        geometries = {}
        for feature in features:
            props = feature.get("properties") or {}
            if id_property not in props:  # type: ignore[operator]
                raise option_error("features", f"要素缺少属性 {id_property}",
                                   f"a feature has no property {id_property}")
            geometries[str(props[id_property])] = feature["geometry"]  # type: ignore[index]
    wanted = list(geometries) if ids is None else [str(i) for i in ids]
    absent = [i for i in wanted if i not in geometries]
    if absent:
        raise option_error("features", f"没有这些单位的边界：{', '.join(absent)}",
                           f"no boundary for: {', '.join(absent)}")
    found = []
    for i in wanted:
        try:
            found.append(polygon_centroid(geometries[i]))  # type: ignore[arg-type]
        except MethodInputError as exc:
            zh, en = exc.params["zh"], exc.params["en"]
            raise option_error("features", f"单位 {i}：{zh}", f"unit {i}: {en}") from None
    points = pd.DataFrame(found, columns=["lat", "lon"], index=pd.Index(wanted, name=id_property))
    d = great_circle_km(points["lat"].to_numpy(), points["lon"].to_numpy())
    return CentroidDistances(points, pd.DataFrame(d, index=points.index, columns=wanted))


@dataclass(frozen=True)
class LinkageResult(MethodResult):
    """Pairwise strength and membership, and each unit's total linkage."""

    exponent: float
    distance_source: str
    totals: pd.DataFrame
    pairs: pd.DataFrame
    strength: pd.DataFrame
    membership: pd.DataFrame

    def to_frame(self) -> pd.DataFrame:
        return self.totals

    def to_dict(self) -> dict[str, object]:
        # the matrices repeat ``pairs``; keep the JSON to totals and pairs
        full = super().to_dict()
        return {k: v for k, v in full.items() if k not in ("strength", "membership")}


def _distance_matrix(frame: pd.DataFrame, distances: pd.DataFrame) -> np.ndarray:
    """Align a supplied matrix (index and columns = unit ids) with the units of ``frame``."""
    units = [str(u) for u in frame.index]
    table = distances.copy()
    table.index = [str(u) for u in table.index]
    table.columns = [str(c) for c in table.columns]
    table.attrs = distances.attrs
    dloc = where(distances)
    for unit in units:
        if unit not in table.index:
            raise option_error(
                "distances", f"距离矩阵 {dloc.file} 缺少单位 {unit} 的行",
                f"distance matrix {dloc.file} has no row for unit {unit}",
            )
    require_columns(table, units)
    sub = table.loc[units, units]
    out = np.zeros((len(units), len(units)))
    for i, origin in enumerate(units):
        for j, destination in enumerate(units):
            if i == j:
                continue
            cell = sub.iloc[i, j]
            try:
                value = float(cell)
            except (TypeError, ValueError):
                raise dloc.cell("non_numeric", origin, destination, value=str(cell)) from None
            if np.isnan(value):
                raise dloc.cell("missing_value", origin, destination)
            if value <= 0:
                raise dloc.cell("non_positive", origin, destination, value=value, method=METHOD)
            out[i, j] = value
    return out


def linkage_strength(
    frame: pd.DataFrame,
    *,
    population: str,
    gdp: str,
    lat: str | None = None,
    lon: str | None = None,
    distances: pd.DataFrame | None = None,
    exponent: float = 2.0,
) -> LinkageResult:
    """Gravity linkage among the units of ``frame`` (index = unit id).

    Give either ``distances`` (a square frame indexed and columned by unit id) or the
    ``lat``/``lon`` column names of the centroids.
    """
    if not np.isfinite(exponent) or exponent < 0:
        raise option_error(
            "exponent", "距离衰减指数 b 必须 >= 0", "distance exponent b must be >= 0"
        )
    if (distances is None) == (lat is None or lon is None):
        raise option_error(
            "distances", "请给出距离矩阵，或者给出纬度和经度两列（二者选一）",
            "give either a distance matrix or both latitude and longitude columns",
        )
    loc = check_units(frame, method=METHOD, minimum=2)
    mass = numeric_matrix(frame, [population, gdp], method=METHOD, minimum=0.0)
    units = list(frame.index)
    if distances is not None:
        dist = _distance_matrix(frame, distances)
        source = where(distances).file
    else:
        coords = numeric_matrix(frame, [lat], method=METHOD, minimum=-90.0, upper=90.0)[:, 0]
        lons = numeric_matrix(frame, [lon], method=METHOD, minimum=-180.0, upper=180.0)[:, 0]
        dist = great_circle_km(coords, lons)
        source = "great-circle"
        for i in range(len(units)):
            for j in range(i + 1, len(units)):
                if dist[i, j] == 0:
                    raise loc.cell(
                        "non_positive", units[j], f"{lat}/{lon}", value=0.0, method=METHOD
                    )
    root = np.sqrt(mass[:, 0] * mass[:, 1])
    off = ~np.eye(len(units), dtype=bool)
    strength = np.full(dist.shape, np.nan)
    strength[off] = (np.outer(root, root) / np.where(off, dist, 1.0) ** exponent)[off]
    total = np.nansum(strength, axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        membership = strength / total[:, None]
        share = total / total.sum()
    totals = pd.DataFrame(
        {"total_linkage": total, "share": share}, index=frame.index.copy()
    )
    totals["rank"] = totals["total_linkage"].rank(ascending=False, method="min").astype("Int64")
    ii, jj = np.nonzero(off)
    pairs = pd.DataFrame(
        {
            "origin": [units[i] for i in ii],
            "destination": [units[j] for j in jj],
            "distance": dist[ii, jj],
            "strength": strength[ii, jj],
            "membership": membership[ii, jj],
        }
    )
    return LinkageResult(
        exponent=float(exponent),
        distance_source=source,
        totals=totals,
        pairs=pairs,
        strength=pd.DataFrame(strength, index=units, columns=units),
        membership=pd.DataFrame(membership, index=units, columns=units),
    )
