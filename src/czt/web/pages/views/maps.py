"""地图: choropleth of any indicator at city or district/county level, from shipped boundaries."""

from __future__ import annotations

from functools import cache
from importlib import resources

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import cache_control

from czt.store.models import Indicator, Observation, Region
from czt.store.queries import observations, resolve_cells
from czt.web.pages.context import CITIES, counties, lang_of, named


@cache
def boundaries_text() -> str:
    return resources.files("czt.reference").joinpath("boundaries.geojson").read_text("utf-8")


@cache_control(max_age=86400)
def boundaries(request):
    return HttpResponse(boundaries_text(), content_type="application/geo+json")


def units(level: str) -> list[Region]:
    if level == "city":
        return list(Region.objects.filter(code__in=CITIES).order_by("code"))
    return counties()


def map_data(code: str, level: str, year: int | None, lang: str) -> dict:
    regions = units(level)
    cells = resolve_cells(observations(indicators=[code], regions=[r.code for r in regions]))
    years = sorted({int(y) for y in cells["year"]}) if not cells.empty else []
    if year not in years:
        # default: the year most units report (the latest among equals), not a near-empty map
        counts = cells.groupby("year")["region"].nunique() if years else {}
        year = max(years, key=lambda y: (counts[y], y)) if years else None
    at = cells[cells["year"] == year].set_index("region") if year else cells.iloc[0:0]
    items = []
    for r in regions:
        hit = r.code in at.index
        row = at.loc[r.code] if hit else None
        items.append({"code": r.code, "name": named(r, lang),
                      "value": float(row["value"]) if hit else None,
                      "source": row["source_title"] if hit else None,
                      "url": row["source_url"] if hit else None,
                      "conflict": bool(row["conflict"]) if hit else False})
    return {"year": year, "years": years, "items": items}


def map_page(request):
    lang = lang_of(request)
    level = "county" if request.GET.get("level", "county") == "county" else "city"
    with_data = set(Observation.objects.filter(region__level=level,
                                               region__parent_id__in=CITIES if level == "county"
                                               else ["430000"])
                    .values_list("indicator_id", flat=True).distinct())
    choices = [{"code": i.code, "name": named(i, lang), "unit": i.unit}
               for i in Indicator.objects.filter(code__in=with_data).order_by("area__order",
                                                                              "code")]
    default = "gdp" if any(c["code"] == "gdp" for c in choices) else (
        choices[0]["code"] if choices else "gdp")
    code = request.GET.get("indicator", default)
    ind = Indicator.objects.filter(code=code).first() or Indicator.objects.get(code=default)
    try:
        year = int(request.GET["year"])
    except (KeyError, ValueError):
        year = None
    data = map_data(ind.code, level, year, lang)
    return render(request, "pages/map.html", {
        "choices": choices, "ind": ind, "ind_name": named(ind, lang), "level": level,
        "data": data, "payload": {**data, "unit": ind.unit, "indicator": named(ind, lang)},
    })
