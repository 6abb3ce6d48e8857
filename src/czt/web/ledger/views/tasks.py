"""台账: the list of joint tasks with their status lights and overdue warnings, and one page
per task where the lead unit reports and the province reviews."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from czt.ledger import periods
from czt.ledger import status as rules
from czt.store.models import Area, Unit
from czt.web.accounts.permissions import acts_for, can_plan, can_read_ledger, task_units
from czt.web.audit.models import record, snapshot
from czt.web.ledger import forms, states, transfer, workflow
from czt.web.ledger.clock import today
from czt.web.ledger.editing import Conflict, LedgerError, save_versioned
from czt.web.ledger.models import Milestone, ProgressReport, Task
from czt.web.pages.context import CITIES, lang_of, named


def reader(view):
    """Signed in and allowed to read the ledger (everyone but the public)."""

    @login_required
    def wrapped(request, *args, **kwargs):
        if not can_read_ledger(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    wrapped.__name__ = view.__name__
    return wrapped


def filtered(request):
    """The visible tasks narrowed by the page's filters (city, area, unit, status)."""
    qs = states.visible_tasks(request.user)
    city, area, unit = (request.GET.get(k, "") for k in ("city", "area", "unit"))
    if city in CITIES:
        qs = qs.filter(Q(lead__region_id=city) | Q(lead__region__parent_id=city))
    if area:
        qs = qs.filter(area_id=area)
    if unit:
        qs = qs.filter(Q(lead_id=unit) | Q(co_units__code=unit))
    rows = states.states(qs.distinct(), today(), lang_of(request))
    status = request.GET.get("status", "")
    if status in rules.STATUSES:
        rows = [r for r in rows if r.status == status]
    return rows


def filter_choices(request) -> dict:
    lang = lang_of(request)
    units = task_units(request.user)
    unit_qs = Unit.objects.filter(led_tasks__isnull=False).distinct()
    if units is not None:
        unit_qs = unit_qs.filter(code__in=units)
    return {
        "cities": [(c.code, named(c, lang)) for c in
                   Unit.objects.filter(code__in=CITIES).order_by("code")],
        "areas": [(a.code, named(a, lang)) for a in Area.objects.exclude(code="overall")],
        "units": [(u.code, named(u, lang)) for u in unit_qs.order_by("kind", "code")],
        "statuses": [(s, rules.label(s, lang)) for s in rules.STATUSES],
        "selected": {k: request.GET.get(k, "") for k in ("city", "area", "unit", "status")},
    }


@reader
def ledger_page(request):
    lang = lang_of(request)
    rows = filtered(request)
    if request.GET.get("format") == "xlsx":
        ids = [r.task.id for r in rows]
        data = transfer.export_ledger(Task.objects.filter(id__in=ids))
        response = HttpResponse(data, content_type="application/vnd.openxmlformats-"
                                "officedocument.spreadsheetml.sheet")
        response["Content-Disposition"] = (f'attachment; filename="czt-ledger-{today()}.xlsx"')
        return response
    return render(request, "ledger/ledger.html", {
        "rows": rows, "counts": states.counts(rows, lang),
        "overdue": states.overdue_by_unit(rows, lang, _("to be assigned (待明确)")),
        "today": today(), "quarter": periods.quarter_of(today()),
        "can_plan": can_plan(request.user), **filter_choices(request),
    })


def _report_rows(task: Task, user) -> list[dict]:
    rows = []
    for r in task.reports.select_related("milestone", "submitted_by", "reviewed_by"):
        rows.append({"r": r, "correct": forms.CorrectionForm(initial={
            "report": r.pk, "version": r.version, "text": r.text, "percent": r.percent,
            "milestone": r.milestone_id, "reached_on": r.reached_on})
            if r.status == "submitted" and acts_for(user, task.lead_id) else None,
            "review": forms.ReviewForm(initial={"report": r.pk, "version": r.version})
            if r.status == "submitted" and can_plan(user) else None,
            "resubmit": r.status == "returned" and not hasattr(r, "resubmission")
            and acts_for(user, task.lead_id)})
    return rows


def _task_forms(task: Task, user) -> dict:
    initial = {"version": task.version, "note": task.note, "location_kind": task.location_kind,
               "location_regions": ";".join(task.location_regions)}
    if can_plan(user):
        plan_form = forms.TaskPlanForm(initial={
            **initial, "lead": task.lead_id, "tracked_from": task.tracked_from,
            "co_units": list(task.co_units.values_list("code", flat=True))})
        milestone_forms = [forms.MilestoneForm(initial={
            "version": task.version, "milestone": m.pk, "title_zh": m.title_zh, "due": m.due,
            "due_text": m.due_text}, prefix=f"m{m.pk}") for m in task.milestones.all()]
        milestone_forms.append(forms.MilestoneForm(initial={"version": task.version},
                                                   prefix="mnew"))
        return {"edit_form": plan_form, "milestone_forms": milestone_forms}
    if acts_for(user, task.lead_id):
        return {"edit_form": forms.TaskNotesForm(initial=initial)}
    return {}


@reader
def task_page(request, task_id: str):
    lang = lang_of(request)
    task = get_object_or_404(states.visible_tasks(request.user), pk=task_id)
    context: dict = {}
    if request.method == "POST":
        outcome = _act(request, task, context)
        if outcome is not None:
            return outcome
        task.refresh_from_db()
    state = states.states(Task.objects.filter(pk=task.pk), today(), lang)[0]
    context.setdefault("report_form", forms.ReportForm(task, initial={
        "period": periods.quarter_of(today())}) if acts_for(request.user, task.lead_id)
        else None)
    for key, value in _task_forms(task, request.user).items():
        context.setdefault(key, value)
    milestones = [{"m": m, "status": rules.milestone_status(
        rules.MilestoneState(m.due, m.done_on), today()), "overdue": rules.overdue(
        rules.MilestoneState(m.due, m.done_on), today())} for m in task.milestones.all()]
    for m in milestones:
        m["label"] = rules.label(m["status"], lang)
    return render(request, "ledger/task.html", {
        "task": task, "state": state, "milestones": milestones,
        "reports": _report_rows(task, request.user), "today": today(),
        "indicators": [(i.code, named(i, lang)) for i in task.indicators.all()],
        "co_units": [named(u, lang) for u in task.co_units.all()],
        "can_plan": can_plan(request.user), **context})


def _act(request, task: Task, context: dict):
    """Handle one POSTed action; a redirect on success, None to re-render with errors."""
    action = request.POST.get("action")
    handlers = {"report": _submit, "correct": _correct, "review": _review, "edit": _edit,
                "milestone": _milestone}
    if action not in handlers:
        raise Http404
    try:
        done = handlers[action](request, task, context)
    except Conflict as exc:
        context["conflict"] = str(exc)
        return None
    except LedgerError as exc:
        context["error"] = str(exc)
        return None
    if done:
        messages.success(request, done)
        return redirect("task", task_id=task.pk)
    return None


def _submit(request, task, context):
    if not acts_for(request.user, task.lead_id):
        raise PermissionDenied
    form = forms.ReportForm(task, request.POST, request.FILES)
    context["report_form"] = form
    if not form.is_valid():
        return None
    d = form.cleaned_data
    previous = (get_object_or_404(ProgressReport, pk=d["previous"], task=task)
                if d.get("previous") else None)
    workflow.submit(request.user, task, period=d["period"], text=d["text"],
                    percent=d["percent"], milestone=d["milestone"], reached_on=d["reached_on"],
                    evidence=d["evidence"], previous=previous)
    return _("Report submitted; the task force will review it.")


def _correct(request, task, context):
    form = forms.CorrectionForm(request.POST)
    if not form.is_valid():
        context["error"] = _("The correction could not be read; please try again.")
        return None
    d = form.cleaned_data
    report = get_object_or_404(ProgressReport, pk=d["report"], task=task)
    milestone = d["milestone"] if d["milestone"] and d["milestone"].task_id == task.pk else None
    workflow.correct(request.user, report, d["version"], text=d["text"], percent=d["percent"],
                     milestone=milestone, reached_on=d["reached_on"])
    return _("Report corrected.")


def _review(request, task, context):
    if not can_plan(request.user):
        raise PermissionDenied
    form = forms.ReviewForm(request.POST)
    if not form.is_valid():
        context["error"] = _("The review could not be read; please try again.")
        return None
    d = form.cleaned_data
    report = get_object_or_404(ProgressReport, pk=d["report"], task=task)
    accept = d["decision"] == "accept"
    workflow.review(request.user, report, d["version"], accept=accept, comment=d["comment"])
    return _("Report accepted.") if accept else _("Report returned to the lead unit.")


def _edit(request, task, context):
    if can_plan(request.user):
        form = forms.TaskPlanForm(request.POST)
    elif acts_for(request.user, task.lead_id):
        form = forms.TaskNotesForm(request.POST)
    else:
        raise PermissionDenied
    context["edit_form"] = form
    if not form.is_valid():
        return None
    d = form.cleaned_data
    fields = {"note": d["note"], "location_kind": d["location_kind"],
              "location_regions": d["location_regions"]}
    m2m = None
    if isinstance(form, forms.TaskPlanForm):
        fields.update(lead=d["lead"], tracked_from=d["tracked_from"])
        m2m = {"co_units": d["co_units"]}
    save_versioned(task, d["version"], request.user, fields=fields, m2m=m2m)
    return _("Task saved.")


def _milestone(request, task, context):
    if not can_plan(request.user):
        raise PermissionDenied
    prefix = request.POST.get("prefix", "")
    form = forms.MilestoneForm(request.POST, prefix=prefix)
    if not form.is_valid():
        context["error"] = _("Check the milestone: a title is required and the date must be "
                             "a date.")
        return None
    d = form.cleaned_data
    with transaction.atomic():
        # the milestone is part of the task: its change bumps the task's version
        save_versioned(task, d["version"], request.user, fields={})
        if d["milestone"]:
            m = get_object_or_404(Milestone, pk=d["milestone"], task=task)
            before = snapshot(m)
        else:
            seq = (task.milestones.order_by("-seq").values_list("seq", flat=True).first()
                   or 0) + 1
            m, before = Milestone(task=task, seq=seq), None
        m.title_zh, m.due, m.due_text = d["title_zh"], d["due"], d["due_text"]
        m.save()
        record(request.user, "change" if before else "create", m, before=before,
               after=snapshot(m))
    return _("Milestone saved.")


@reader
def evidence(request, report_id: int):
    report = get_object_or_404(ProgressReport, pk=report_id)
    if not states.visible_tasks(request.user).filter(pk=report.task_id).exists():
        raise Http404
    if not report.evidence:
        raise Http404
    return FileResponse(report.evidence.open("rb"), as_attachment=True,
                        filename=report.evidence.name.rsplit("/", 1)[-1])
