"""Excel round trips of the ledger: the province imports the 台账, lead units download a
report template for their tasks and upload it filled in."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from czt.ledger import periods
from czt.web.accounts.permissions import acts_for, can_plan, role_of
from czt.web.ledger import states, transfer
from czt.web.ledger.clock import today
from czt.web.ledger.views.tasks import reader
from czt.web.pages.context import lang_of

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_BYTES = 10 * 1024 * 1024


def _workbook(request):
    """The uploaded workbook's bytes and name, or an error message."""
    f = request.FILES.get("file")
    if f is None:
        return None, None, _("Choose an .xlsx file.")
    if not f.name.lower().endswith(".xlsx"):
        return None, f.name, _("Only .xlsx files are accepted (use the template the platform "
                               "exports).")
    if f.size > MAX_BYTES:
        return None, f.name, _("The file is larger than 10 MB.")
    return f.read(), f.name, None


def _import_page(request, context: dict, importer):
    """The upload form; on POST, the workbook checked and imported whole, or its problems."""
    if request.method == "POST":
        data, name, error = _workbook(request)
        if error:
            context["error"] = error
        else:
            result = importer(request.user, data, name)
            context.update(result=result, file=name,
                           problems=[p.as_dict(lang_of(request)) for p in result.problems])
    return render(request, "ledger/import.html", context)


def _reportable(user):
    return [t for t in states.visible_tasks(user).select_related("lead").order_by("id")
            if acts_for(user, t.lead_id)]


@reader
def import_ledger(request):
    if not can_plan(request.user):
        raise PermissionDenied
    return _import_page(request, {"kind": "ledger"}, transfer.import_ledger)


@reader
def import_reports(request):
    if role_of(request.user) not in ("province_admin", "city_coordinator",
                                     "department_reporter"):
        raise PermissionDenied
    quarter = request.GET.get("period") or periods.quarter_of(today())
    if request.GET.get("template"):
        try:
            periods.parse(quarter)
        except ValueError:
            quarter = periods.quarter_of(today())
        data = transfer.report_template(_reportable(request.user), quarter)
        response = HttpResponse(data, content_type=XLSX)
        response["Content-Disposition"] = f'attachment; filename="czt-reports-{quarter}.xlsx"'
        return response
    return _import_page(request, {"kind": "reports", "quarter": quarter,
                                  "tasks": len(_reportable(request.user))},
                        transfer.import_reports)
