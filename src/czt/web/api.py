"""The open API under /api/ (django-ninja): typed, with its OpenAPI schema at
/api/openapi.json and an interactive page at /api/docs served from our own static files.

Public statistics are readable anonymously; coverage and imports need a signed-in session or
an API token (``Authorization: Bearer czt_…``), and obey the same scopes as the pages.
"""

from __future__ import annotations

import math
from datetime import date

import pandas as pd
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.utils import timezone
from ninja import File, NinjaAPI, Query, Schema, Status
from ninja.files import UploadedFile
from ninja.security import HttpBearer, django_auth

from czt.messages import ValidationFailed
from czt.monitoring import scoreboard
from czt.store.models import Indicator, Region, Target
from czt.store.queries import observations as query_observations
from czt.web.accounts.models import ApiToken
from czt.web.accounts.permissions import write_scope
from czt.web.cached import remember
from czt.web.pages.uploads import ingest_uploads
from czt.web.pages.views.coverage import scoped_coverage

MAX_PAGE = 10000


class TokenAuth(HttpBearer):
    def authenticate(self, request, token):
        user = ApiToken.user_for(token)
        if user is not None:
            request.user = user
            ApiToken.objects.filter(user=user).update(last_used=timezone.now())
        return user


api = NinjaAPI(title="CZT Observatory API / 长株潭一体化监测与调度平台 API", version="1",
               description="Regions, indicators, observations, targets, progress and coverage "
                           "of the Chang-Zhu-Tan integration. JSON by default, CSV with "
                           "`format=csv`; lists are paginated with `page` and `page_size`.",
               urls_namespace="api")
PRIVATE = [django_auth, TokenAuth()]


@api.exception_handler(PermissionDenied)
def denied(request, exc):
    return api.create_response(request, {"detail": "forbidden / 无权访问"}, status=403)


class Paging(Schema):
    page: int = 1
    page_size: int = 1000
    format: str = "json"
    lang: str = "zh"


def _json_safe(v):
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return None
    if isinstance(v, pd.Timestamp):
        return v.isoformat()
    if isinstance(v, date):
        return v.isoformat()
    return v


def public(request, build):
    """The response of a public endpoint, rendered once per query string and data version."""

    def render():
        resp = build()
        return resp.content, dict(resp.items())

    content, headers = remember("api|" + request.get_full_path(), render)
    resp = HttpResponse(content)
    for k, v in headers.items():
        resp[k] = v
    return resp


def respond(request, frame: pd.DataFrame, paging: Paging, name: str):
    """Slice a frame into a page and render it as JSON or CSV, with the total in a header."""
    size = max(1, min(paging.page_size, MAX_PAGE))
    page = max(1, paging.page)
    total = len(frame)
    part = frame.iloc[(page - 1) * size: page * size]
    base = request.build_absolute_uri(request.path)
    query = {k: v for k, v in request.GET.items() if k != "page"}
    link = lambda p: base + "?" + "&".join([*(f"{k}={v}" for k, v in query.items()),  # noqa: E731
                                              f"page={p}"])
    nxt = link(page + 1) if page * size < total else None
    prev = link(page - 1) if page > 1 else None
    if paging.format == "csv":
        resp = HttpResponse(part.to_csv(index=False).encode("utf-8-sig"),
                            content_type="text/csv; charset=utf-8")
        resp["Content-Disposition"] = f'attachment; filename="{name}-p{page}.csv"'
    else:
        records = [{k: _json_safe(v) for k, v in r.items()} for r in part.to_dict("records")]
        resp = api.create_response(request, {"count": total, "page": page, "page_size": size,
                                             "next": nxt, "previous": prev,
                                             "results": records}, status=200)
    resp["X-Total-Count"] = str(total)
    return resp


class PageOut(Schema):
    count: int
    page: int
    page_size: int
    next: str | None
    previous: str | None
    results: list[dict]


@api.get("/regions", response=PageOut, tags=["reference"], summary="Regions 地区")
def regions(request, paging: Query[Paging], level: str | None = None):
    qs = Region.objects.order_by("code")
    if level:
        qs = qs.filter(level=level)
    frame = pd.DataFrame(list(qs.values("code", "name_zh", "name_en", "level", "parent_id",
                                         "valid_from", "valid_to", "replaced_by_id")))
    return respond(request, frame.rename(columns={"parent_id": "parent",
                                                  "replaced_by_id": "replaced_by"}),
                   paging, "regions")


@api.get("/indicators", response=PageOut, tags=["reference"], summary="Indicators 指标")
def indicators(request, paging: Query[Paging], area: str | None = None):
    qs = Indicator.objects.order_by("area__order", "code")
    if area:
        qs = qs.filter(area_id=area)
    frame = pd.DataFrame(list(qs.values("code", "name_zh", "name_en", "unit", "polarity",
                                        "area_id", "kind", "aggregation", "numerator_id",
                                        "denominator_id", "note")))
    return respond(request, frame.rename(columns={"area_id": "area", "numerator_id":
                                                  "numerator", "denominator_id":
                                                  "denominator"}), paging, "indicators")


class ObservationFilter(Schema):
    indicator: list[str] | None = None
    region: list[str] | None = None
    year_from: int | None = None
    year_to: int | None = None
    as_of: date | None = None
    all_vintages: bool = False


@api.get("/observations", response=PageOut, tags=["data"], summary="Observations 观测值")
def observations(request, paging: Query[Paging], filters: Query[ObservationFilter]):
    """Published values with source, flags and vintage. ``as_of`` answers "what had been
    published by that day"; ``all_vintages`` returns every revision."""
    years = None
    if filters.year_from is not None or filters.year_to is not None:
        years = (filters.year_from or 0, filters.year_to or 9999)

    def build():
        frame = query_observations(indicators=filters.indicator, regions=filters.region,
                                   years=years, as_of=filters.as_of,
                                   all_vintages=filters.all_vintages)
        return respond(request, frame.drop(columns=["source_id"]), paging, "observations")

    return public(request, build)


@api.get("/targets", response=PageOut, tags=["targets"], summary="Plan targets 规划目标")
def targets(request, paging: Query[Paging], plan: str | None = None,
            region: str | None = None):
    qs = Target.objects.order_by("plan_id", "id")
    if plan:
        qs = qs.filter(plan_id=plan)
    if region:
        qs = qs.filter(region_id=region)
    frame = pd.DataFrame(list(qs.values("id", "plan_id", "region_id", "indicator_id",
                                        "measure", "operator", "value", "original_value",
                                        "base_year", "target_year", "kind", "source_title",
                                        "source_url", "sentence")))
    return respond(request, frame.rename(columns=lambda c: c.removesuffix("_id")), paging,
                   "targets")


@api.get("/progress", response=PageOut, tags=["targets"], summary="Progress 目标进展")
def progress(request, paging: Query[Paging], plan: str | None = None,
             region: str | None = None, as_of: date | None = None):
    """The scoreboard: each target's latest value, ratio R and status with its reason."""
    lang = "en" if paging.lang.startswith("en") else "zh"
    return public(request, lambda: respond(
        request, scoreboard(plan=plan, region=region, as_of=as_of, lang=lang), paging,
        "progress"))


@api.get("/coverage", response=PageOut, auth=PRIVATE, tags=["internal"],
         summary="Coverage 数据覆盖 (signed in)")
def coverage(request, paging: Query[Paging], region: str | None = None):
    """Cells the targets need that nobody has reported, within the caller's scope."""
    lang = "en" if paging.lang.startswith("en") else "zh"
    return respond(request, scoped_coverage(request.auth, lang, region), paging, "coverage")


class ImportOut(Schema):
    files: list[str]
    rows: int
    created: int
    new_vintages: int
    unchanged: int


class ProblemsOut(Schema):
    detail: str
    problems: list[dict]


@api.post("/imports", response={200: ImportOut, 400: ProblemsOut, 403: dict}, auth=PRIVATE,
          tags=["internal"], summary="Import CSV/XLSX 导入数据 (reporters)")
def imports(request, files: File[list[UploadedFile]], lang: str = "zh"):
    """Same validation and scope as the upload page; all files or nothing."""
    user = request.auth
    if write_scope(user) is None:
        raise PermissionDenied
    lang = "en" if lang.startswith("en") else "zh"
    try:
        report = ingest_uploads(user, files, lang)
    except ValidationFailed as exc:
        return Status(400, {"detail": "validation failed, nothing written" if lang == "en"
                     else "校验未通过, 未写入任何数据",
                     "problems": [p.as_dict(lang) for p in exc.problems]})
    return Status(200, {"files": report.files, "rows": report.rows, "created": report.created,
                        "new_vintages": report.new_vintages, "unchanged": report.unchanged})
api.add_router("/flows", "czt.web.flows_api.router")  # 跨城流动 (czt.web.flows_api)
api.add_router("/ledger", "czt.web.ledger.api.router")  # 台账 (czt.web.ledger.api)
