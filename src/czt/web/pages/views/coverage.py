"""数据覆盖: the cells the targets need that nobody has reported, limited to the reader's scope."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render

from czt.monitoring import coverage
from czt.store.models import Region
from czt.web.accounts.permissions import read_scope
from czt.web.pages.context import lang_of, named


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
        frame = frame.assign(city=frame["region"].map(lambda c: parents.get(c) or c))
        names = {r.code: named(r, lang) for r in Region.objects.all()}
        for city, g in frame.groupby("city"):
            summary.append({"code": city, "name": names.get(city, city), "cells": len(g),
                            "indicators": g["indicator_name"].nunique()})
    return render(request, "pages/coverage.html", {
        "rows": frame.to_dict("records"), "summary": summary, "region": region,
    })
