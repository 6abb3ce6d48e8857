"""指标: the catalogue, and one page per indicator with chart, table, sources and vintages."""

from __future__ import annotations

import math

from django.db.models import Count
from django.http import Http404
from django.shortcuts import render

from czt.monitoring import assess_target, region_series
from czt.store.models import Area, Indicator, Region, Target
from czt.web.ledger.clock import today
from czt.web.ledger.states import tasks_by_indicator
from czt.web.pages.context import CITIES, lang_of, named
from czt.web.pages.tables import download, headers, indicator_table, vintages

CHART_REGIONS = ["CZT", *CITIES]


def indicator_list(request):
    lang = lang_of(request)
    counts = dict(Indicator.objects.annotate(n=Count("observation")).values_list("code", "n"))
    areas = []
    for area in Area.objects.order_by("order"):
        inds = [{"code": i.code, "name": named(i, lang), "unit": i.unit, "n": counts.get(i.code)}
                for i in Indicator.objects.filter(area=area).order_by("code")]
        areas.append({"name": named(area, lang), "indicators": inds})
    return render(request, "pages/indicator_list.html", {"areas": areas})


def _clean(v):
    return None if v is None or (isinstance(v, float) and math.isnan(v)) else v


def chart_payload(ind: Indicator, lang: str) -> dict:
    """Series per region (published and derived points told apart), target lines, projections."""
    regions = {r.code: named(r, lang) for r in Region.objects.filter(code__in=CHART_REGIONS)}
    series = []
    years: set[int] = set()
    for code in CHART_REGIONS:
        frame = region_series(ind.code, code).frame
        frame = frame[frame["value"].notna()]
        points = [{"year": int(y), "value": float(v), "derived": k == "derived"}
                  for y, v, k in zip(frame["year"], frame["value"], frame["kind"], strict=True)]
        years.update(p["year"] for p in points)
        series.append({"region": code, "name": regions.get(code, code), "points": points})
    targets = []
    for t in Target.objects.filter(indicator=ind).select_related("indicator", "region",
                                                                 "plan", "indicator__area"):
        row = assess_target(t, lang=lang)
        on_scale = t.measure == "level"
        years.update([t.base_year, t.target_year])
        targets.append({
            "id": t.id, "plan": named(t.plan, lang), "region": t.region_id,
            "region_name": named(t.region, lang), "operator": t.operator, "value": t.value,
            "base_year": t.base_year, "target_year": t.target_year, "on_scale": on_scale,
            "measure": t.measure, "status": row["status"], "status_label": row["status_label"],
            "ratio": _clean(row["ratio"]), "projected": _clean(row["projected"]),
            "last_year": row["year"], "last_value": _clean(row["value"]),
            "reason": row["reason"], "sentence": t.sentence,
        })
    return {"unit": ind.unit, "years": sorted(years), "series": series, "targets": targets}


def indicator_detail(request, code: str):
    lang = lang_of(request)
    try:
        ind = Indicator.objects.select_related("area", "numerator", "denominator").get(code=code)
    except Indicator.DoesNotExist as exc:
        raise Http404(code) from exc
    table = indicator_table(code, lang)
    fmt = request.GET.get("format")
    if fmt in ("csv", "xlsx"):
        return download(table, fmt, f"czt-{code}", lang)
    payload = chart_payload(ind, lang)
    return render(request, "pages/indicator.html", {
        "ind": ind, "name": named(ind, lang), "area": named(ind.area, lang),
        "chart": payload, "targets": payload["targets"],
        "rows": table.to_dict("records"), "headers": headers(lang),
        "vintages": vintages(code, lang).head(500).to_dict("records"),
        "tasks": tasks_by_indicator(request.user, [code], today(), lang).get(code, []),
    })
