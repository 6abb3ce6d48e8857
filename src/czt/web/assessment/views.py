"""考核: the ranking of cities and departments for a period, the points behind each score,
the Excel export, and the versioned method file."""

from __future__ import annotations

import pandas as pd
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from czt.ledger import periods
from czt.ledger import workbook as wb
from czt.ledger.workbook import Column
from czt.methods.assessment import OUTCOME_LABELS, UNIT_KIND_LABELS, load_method
from czt.methods.errors import MethodInputError
from czt.web.accounts.permissions import can_plan, sees_assessment_detail, task_units
from czt.web.assessment import inputs
from czt.web.assessment.models import MethodVersion
from czt.web.audit.models import record, snapshot
from czt.web.ledger.clock import today
from czt.web.ledger.views.tasks import reader
from czt.web.pages.context import lang_of


def _period(request) -> str:
    text = request.GET.get("period") or str(today().year)
    try:
        periods.assessment_period(text)
    except ValueError:
        raise Http404 from None
    return text.upper()


def _label(table: dict, code, lang: str) -> str:
    zh, en = table.get(code, (code, code))
    return en if lang == "en" else zh


def _num(v) -> float | None:
    return None if pd.isna(v) else float(v)


def ranking_rows(result, lang: str, user) -> list[dict]:
    dims = result.dimensions
    rows = []
    for t in result.totals.to_dict("records"):
        d = dims[dims["unit"] == t["unit"]]
        rows.append({
            "unit": t["unit"], "name": t["name"], "kind": t["kind"],
            "kind_label": _label(UNIT_KIND_LABELS, t["kind"], lang),
            "total": _num(t["total"]), "rank": None if pd.isna(t["rank"]) else int(t["rank"]),
            "dims": [{"code": r["dimension"], "earned": _num(r["earned"]),
                      "weight": r["weight"], "assessed": bool(r["assessed"]),
                      "applies": bool(r["applies"]), "n": int(r["n_items"])}
                     for r in d.to_dict("records")],
            "detail": sees_assessment_detail(user, t["unit"])})
    return sorted(rows, key=lambda r: (r["kind"] != "city", r["kind"],
                                       r["rank"] if r["rank"] is not None else 10**6))


@reader
def ranking(request):
    lang = lang_of(request)
    period = _period(request)
    result, gathered, version = inputs.assess(period, lang)
    if request.GET.get("format") == "xlsx":
        if task_units(request.user) is not None:
            raise PermissionDenied  # the export carries every unit's trace
        return export(result, version, period, lang)
    rows = ranking_rows(result, lang, request.user)
    return render(request, "assessment/ranking.html", {
        "period": period, "result": result, "rows": rows, "version": version,
        "dimensions": [{"code": d.code, "name": d.name_en if lang == "en" else d.name_zh,
                        "weight": d.weight} for d in result.method.dimensions],
        "unassigned": gathered.unassigned_tasks, "end": result.period_end,
        "can_export": task_units(request.user) is None,
        "chart": {"names": [r["name"] for r in rows if r["total"] is not None],
                  "totals": [round(r["total"], 2) for r in rows if r["total"] is not None]},
        "years": list(range(today().year, 2020, -1))})


def trace_rows(result, unit: str, lang: str) -> list[dict]:
    names = {d.code: d.name_en if lang == "en" else d.name_zh for d in result.method.dimensions}
    out = []
    for r in result.unit_trace(unit).to_dict("records"):
        out.append({**r, "dimension_name": names.get(r["dimension"], r["dimension"]),
                    "outcome_label": _label(OUTCOME_LABELS, r["outcome"], lang),
                    "earned": _num(r["earned"]), "possible": _num(r["possible"])})
    return out


@reader
def unit_detail(request, unit: str):
    lang = lang_of(request)
    if not sees_assessment_detail(request.user, unit):
        raise PermissionDenied
    period = _period(request)
    result, _gathered, version = inputs.assess(period, lang)
    row = next((r for r in ranking_rows(result, lang, request.user) if r["unit"] == unit), None)
    if row is None:
        raise Http404
    return render(request, "assessment/unit.html", {
        "period": period, "row": row, "trace": trace_rows(result, unit, lang),
        "version": version, "end": result.period_end, "result": result})


def export(result, version, period: str, lang: str) -> HttpResponse:
    """排名, 分项 and 明细 (every trace row), with the method version on every sheet."""
    v = f"v{version.number}"
    totals = [{"version": v, "period": period, **r, "total": r["total"]}
              for r in ranking_rows(result, lang, None)]
    rank_cols = [Column("version", "考核办法版本", "Method version"),
                 Column("period", "考核期", "Period"), Column("kind_label", "类别", "Kind"),
                 Column("rank", "名次", "Rank"), Column("name", "单位", "Unit", width=24),
                 Column("total", "总分", "Total")]
    dims = [{"version": v, "unit": r["unit"], "dimension": r["dimension"],
             "weight": r["weight"], "earned": _num(r["earned"]), "n_items": r["n_items"],
             "assessed": "是" if r["assessed"] else "否"}
            for r in result.dimensions.to_dict("records")]
    dim_cols = [Column("version", "考核办法版本", "Method version"),
                Column("unit", "单位代码", "Unit"),
                Column("dimension", "考核维度", "Dimension", width=24),
                Column("weight", "权重", "Weight"), Column("earned", "得分", "Earned"),
                Column("n_items", "计分项数", "Items"), Column("assessed", "是否考核", "Assessed")]
    trace = [{"version": v, **r} for u in result.totals["unit"]
             for r in trace_rows(result, u, lang)]
    trace_cols = [Column("version", "考核办法版本", "Method version"),
                  Column("unit", "单位代码", "Unit"),
                  Column("dimension_name", "考核维度", "Dimension", width=18),
                  Column("ref", "依据编号", "Reference", width=28),
                  Column("evidence", "依据", "Evidence", width=60),
                  Column("outcome_label", "结果", "Outcome"),
                  Column("possible", "可得分", "Possible"), Column("earned", "得分", "Earned")]
    data = wb.write([("排名", rank_cols, totals), ("分项", dim_cols, dims),
                     ("明细", trace_cols, trace)])
    response = HttpResponse(data, content_type="application/vnd.openxmlformats-officedocument"
                            ".spreadsheetml.sheet")
    response["Content-Disposition"] = (f'attachment; filename="czt-assessment-{period}-{v}'
                                       f'.xlsx"')
    return response


@reader
def method_page(request):
    current = inputs.current_method()
    text, error = current.text, None
    if request.method == "POST":
        if not can_plan(request.user):
            raise PermissionDenied
        text = request.POST.get("text", "")
        comment = request.POST.get("comment", "").strip()
        try:
            load_method(text, "assessment.yaml")
        except MethodInputError as exc:
            lang = lang_of(request)
            error = "\n".join(e.message(lang) for e in (getattr(exc, "errors", None) or [exc]))
        else:
            if not comment:
                error = _("Say what changed, for the record.")
            elif text.strip() == current.text.strip():
                error = _("The method is unchanged; nothing was saved.")
            else:
                with transaction.atomic():
                    number = (MethodVersion.objects.select_for_update()
                              .order_by("-number").first().number + 1)
                    new = MethodVersion.objects.create(number=number, text=text,
                                                       comment=comment,
                                                       created_by=request.user)
                    record(request.user, "create", new, before=snapshot(current),
                           after=snapshot(new))
                messages.success(request, _("Saved as version %(n)s.") % {"n": number})
                return redirect("assessment_method")
    return render(request, "assessment/method.html", {
        "current": current, "text": text, "error": error,
        "versions": MethodVersion.objects.select_related("created_by"),
        "can_change": can_plan(request.user)})
