"""数据覆盖: the cells the targets need that nobody has reported, limited to the reader's scope."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render

from czt.monitoring import coverage
from czt.store.models import Region
from czt.web.accounts.models import Profile, Role
from czt.web.accounts.permissions import read_scope
from czt.web.pages.context import CITIES, lang_of, named


def scoped_coverage(user, lang: str, region: str | None = None):
    """The coverage frame cut to what ``user`` may read; PermissionDenied outside it."""
    scope = read_scope(user)
    if scope is None or (region and not scope.covers(region)):
        raise PermissionDenied
    frame = coverage(lang=lang)
    if frame.empty:
        return frame
    keep = frame.apply(lambda r: scope.covers(r["region"], r["indicator"]), axis=1)
    frame = frame[keep]
    if region:
        frame = frame[frame["region"] == region]
    return frame


@login_required
def coverage_page(request):
    lang = lang_of(request)
    region = request.GET.get("region") or None
    frame = scoped_coverage(request.user, lang, region)
    summary = []
    if not frame.empty:
        parents = dict(Region.objects.values_list("code", "parent_id"))
        # a city's own cells count for the city, a district's for its city
        frame = frame.assign(city=frame["region"].map(
            lambda c: c if c in CITIES or not parents.get(c) else parents[c]))
        names = {r.code: named(r, lang) for r in Region.objects.all()}
        for city, g in frame.groupby("city"):
            summary.append({"code": city, "name": names.get(city, city), "cells": len(g),
                            "indicators": g["indicator_name"].nunique()})
    return render(request, "pages/coverage.html", {
        "rows": frame.to_dict("records"), "summary": summary, "region": region,
        "departments": by_department(frame, lang),
    })


def by_department(frame, lang: str) -> list[dict]:
    """Missing cells per reporting department: the cells of the indicators it reports
    (within its city when it has one), as its reporters are registered."""
    rows = []
    if frame.empty:
        return rows
    profiles = (Profile.objects.filter(role=Role.DEPARTMENT_REPORTER, unit__isnull=False)
                .select_related("region", "unit").prefetch_related("indicators"))
    units: dict[tuple[str, str | None], set[str]] = {}
    for p in profiles:
        units.setdefault((named(p.unit, lang), p.region_id), set()).update(
            i.code for i in p.indicators.all())
    for (unit, city), indicators in sorted(units.items(), key=lambda kv: kv[0][0]):
        mine = frame[frame["indicator"].isin(indicators)]
        if city:
            mine = mine[mine["city"] == city]
        rows.append({"unit": unit, "cells": len(mine),
                     "indicators": ", ".join(sorted(mine["indicator_name"].unique()))})
    return rows
