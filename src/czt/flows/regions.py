"""The 23 districts and counties of 长株潭 that origin–destination flows are counted between.

Flows need three facts per county: its city (to tell within-city from cross-city flows), its
population (to normalise intensities and to drive the synthetic gravity model) and a location
(for distances). They live in ``counties.csv`` beside this module so that a reviewer can read
and correct them without reading code:

* ``population_2020`` is the 2020 census count (第七次全国人口普查分县资料) copied from
  ``czt/data/compiled_panels.csv`` (indicator ``census_population_2020``, unit 人).
* ``lat``/``lon`` are *approximate* seat locations (政府驻地) from general knowledge, good to
  about ±0.05° (≈5 km). They are used only for distances in a gravity model, where a few km do
  not matter between counties but do inside one; see :func:`pair_table` for internal distance.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from io import StringIO

import numpy as np
import pandas as pd

CITY_NAMES = {"430100": "长沙市", "430200": "株洲市", "430300": "湘潭市"}
CITY_NAMES_EN = {"430100": "Changsha", "430200": "Zhuzhou", "430300": "Xiangtan"}

_EARTH_RADIUS_KM = 6371.0088


class CountyTableError(ValueError):
    """``counties.csv`` is malformed; raised on load so a bad edit never reaches a model."""


def city_of(code: int | str) -> str:
    """City code of a county: the first four digits of its GB/T 2260 code followed by ``00``."""
    return f"{str(code)[:4]}00"


@lru_cache(maxsize=1)
def load_counties() -> pd.DataFrame:
    """The reviewed county table, indexed by integer code, checked on load.

    Integer codes are what the Parquet files carry (``int32``), so the index matches them
    directly.
    """
    text = resources.files("czt.flows").joinpath("counties.csv").read_text(encoding="utf-8")
    frame = pd.read_csv(StringIO(text), dtype={"code": str, "city_code": str})
    _check(frame)
    frame["code"] = frame["code"].astype("int32")
    frame["population_2020"] = frame["population_2020"].astype("int64")
    return frame.set_index("code", drop=False).rename_axis(None)


def _check(frame: pd.DataFrame) -> None:
    required = ["code", "name_zh", "city_code", "population_2020", "lat", "lon"]
    missing = [c for c in required if c not in frame.columns]
    if missing:
        raise CountyTableError(f"counties.csv: 缺少列 / missing columns {missing}")
    problems: list[str] = []
    for i, row in frame.iterrows():
        line = int(i) + 2  # header is line 1
        code = str(row["code"])
        if not (len(code) == 6 and code.isdigit()):
            problems.append(f"第 {line} 行 code={code}: 不是 6 位 GB/T 2260 代码")
        elif row["city_code"] != city_of(code):
            problems.append(f"第 {line} 行 city_code={row['city_code']}: 应为 {city_of(code)}")
        if not row["population_2020"] > 0:
            problems.append(f"第 {line} 行 population_2020={row['population_2020']}: 须为正数")
        if not (25.5 <= float(row["lat"]) <= 29.5 and 111.0 <= float(row["lon"]) <= 114.5):
            problems.append(
                f"第 {line} 行 lat/lon=({row['lat']}, {row['lon']}): 不在湖南东部范围内"
            )
    if frame["code"].duplicated().any():
        problems.append(f"重复代码 {sorted(frame.loc[frame['code'].duplicated(), 'code'])}")
    if len(frame) != 23:
        problems.append(f"应有 23 个区县, 实有 {len(frame)} 行")
    if problems:
        raise CountyTableError("counties.csv 校验失败:\n  " + "\n  ".join(problems))


def county_codes() -> tuple[int, ...]:
    """The 23 valid region codes, in table order (长沙, 株洲, 湘潭)."""
    return tuple(int(c) for c in load_counties()["code"])


def haversine_km(lat1: np.ndarray, lon1: np.ndarray, lat2: np.ndarray, lon2: np.ndarray):
    """Great-circle distance in km; straight-line distance is the usual gravity regressor."""
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dlat, dlon = p2 - p1, np.radians(lon2) - np.radians(lon1)
    a = np.sin(dlat / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dlon / 2) ** 2
    return 2 * _EARTH_RADIUS_KM * np.arcsin(np.sqrt(a))


@lru_cache(maxsize=1)
def pair_table() -> pd.DataFrame:
    """All 23 × 23 ordered pairs with distance, city membership and populations.

    Internal distance (``origin == destination``) follows Wei (1996, NBER WP 5531): a quarter
    of the distance from the county's seat to the nearest other seat. It keeps the log-distance
    regressor finite for same-district flows, which the gravity literature recommends keeping
    in the sample (Yotov et al. 2016, *An Advanced Guide to Trade Policy Analysis*, ch. 1).
    """
    c = load_counties().reset_index(drop=True)
    n = len(c)
    lat, lon = c["lat"].to_numpy(float), c["lon"].to_numpy(float)
    dist = haversine_km(lat[:, None], lon[:, None], lat[None, :], lon[None, :])
    off = dist + np.diag(np.full(n, np.inf))
    np.fill_diagonal(dist, 0.25 * off.min(axis=1))
    oi, di = np.divmod(np.arange(n * n), n)
    pairs = pd.DataFrame(
        {
            "origin": c["code"].to_numpy()[oi],
            "destination": c["code"].to_numpy()[di],
            "origin_city": c["city_code"].to_numpy()[oi],
            "destination_city": c["city_code"].to_numpy()[di],
            "distance_km": dist[oi, di],
            "origin_population": c["population_2020"].to_numpy()[oi],
            "destination_population": c["population_2020"].to_numpy()[di],
        }
    )
    pairs["same_district"] = (oi == di).astype("int8")
    pairs["cross_city"] = (pairs["origin_city"] != pairs["destination_city"]).astype("int8")
    return pairs


def describe_distance(code_a: int, code_b: int) -> float:
    """Distance in km between two counties (internal distance if equal); a small helper for
    docs and tests."""
    p = pair_table()
    row = p[(p["origin"] == code_a) & (p["destination"] == code_b)]
    if row.empty:
        raise KeyError(f"unknown pair {code_a}-{code_b}")
    return float(row["distance_km"].iloc[0])
