"""城市: the three cities side by side on the same indicators, with Changsha's primacy."""

from __future__ import annotations

import pandas as pd
from django.http import Http404
from django.shortcuts import render

from czt.methods.disparity import primacy
from czt.monitoring import scoreboard
from czt.store.models import Indicator, Region
from czt.store.queries import observations, resolve_cells
from czt.web.pages.context import CITIES, lang_of, named


def comparison_rows(lang: str) -> list[dict]:
    """Per indicator, the latest year all three cities report, their values and shares.

    Shares (primacy) only where the indicator adds up across cities (aggregation "sum");
    a share of a rate or a per-capita figure means nothing.
    """
    cells = resolve_cells(observations(regions=CITIES))
    if cells.empty:
        return []
    inds = {i.code: i for i in Indicator.objects.select_related("area")}
    rows = []
    for code, g in cells.groupby("indicator"):
        complete = g.groupby("year")["region"].nunique()
        years = complete[complete == len(CITIES)].index
        if not len(years):
            continue
        year = int(years.max())
        at = g[g["year"] == year].set_index("region")
        values = {c: float(at.loc[c, "value"]) for c in CITIES}
        ind = inds[code]
        row = {"code": code, "name": named(ind, lang), "unit": ind.unit, "year": year,
               "area": named(ind.area, lang), "area_order": ind.area.order,
               "values": [values[c] for c in CITIES], "shares": None, "primacy": None,
               "conflict": bool(at["conflict"].any())}
        if ind.aggregation == "sum" and all(v > 0 for v in values.values()):
            p = primacy(pd.Series(values))
            row["shares"] = [float(p.shares.loc[c, "share"]) for c in CITIES]
            row["primacy"] = p.two_unit_index
        rows.append(row)
    return sorted(rows, key=lambda r: (r["area_order"], r["code"]))


def city_comparison(request):
    lang = lang_of(request)
    cities = [named(r, lang) for r in Region.objects.filter(code__in=CITIES).order_by("code")]
    rows = comparison_rows(lang)
    shares = [r for r in rows if r["shares"]]
    return render(request, "pages/cities.html", {
        "cities": cities, "city_codes": CITIES, "rows": rows,
        "share_chart": {"cities": cities, "indicators": [r["name"] for r in shares],
                        "shares": [[round(s * 100, 1) for s in r["shares"]] for r in shares]},
    })


def city_detail(request, code: str):
    lang = lang_of(request)
    region = Region.objects.filter(code=code, level="city").first()
    if region is None or code not in CITIES:
        raise Http404(code)
    board = scoreboard(region=code, lang=lang)
    cells = resolve_cells(observations(regions=[code]))
    latest = (cells.sort_values("year").drop_duplicates("indicator", keep="last")
              if not cells.empty else cells)
    inds = {i.code: i for i in Indicator.objects.all()}
    facts = [{"code": r.indicator, "name": named(inds[r.indicator], lang), "year": r.year,
              "value": r.value, "unit": r.unit, "source_title": r.source_title,
              "source_url": r.source_url, "conflict": r.conflict}
             for r in latest.itertuples()]
    districts = Region.objects.filter(parent_id=code, level="county",
                                      valid_to__isnull=True).order_by("code")
    return render(request, "pages/city.html", {
        "region": region, "name": named(region, lang), "facts": facts,
        "targets": board.to_dict("records") if not board.empty else [],
        "district_list": ("、" if lang != "en" else ", ").join(named(d, lang) for d in districts),
    })
