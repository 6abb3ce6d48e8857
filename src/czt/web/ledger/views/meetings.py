"""联席会议/调度会: meetings and their decisions, and the tasks each decision became."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from czt.web.accounts.permissions import can_plan
from czt.web.audit.models import record, snapshot
from czt.web.ledger import forms, states
from czt.web.ledger.clock import today
from czt.web.ledger.models import Decision, Meeting, Milestone, Task
from czt.web.ledger.views.tasks import reader
from czt.web.pages.context import lang_of


@reader
def meeting_list(request):
    form = forms.MeetingForm(request.POST or None)
    if request.method == "POST":
        if not can_plan(request.user):
            raise PermissionDenied
        if form.is_valid():
            meeting = form.save(commit=False)
            meeting.created_by = request.user
            meeting.save()
            record(request.user, "create", meeting, after=snapshot(meeting))
            return redirect("meeting", meeting_id=meeting.pk)
    meetings = Meeting.objects.prefetch_related("decisions")
    return render(request, "ledger/meetings.html", {
        "meetings": meetings, "form": form if can_plan(request.user) else None})


def next_task_id() -> str:
    numbers = [int(i[1:]) for i in Task.objects.values_list("id", flat=True)
               if i[:1] == "T" and i[1:].isdigit()]
    return f"T{max(numbers, default=0) + 1:03d}"


@transaction.atomic
def task_from_decision(user, decision: Decision, d: dict) -> Task:
    task = Task.objects.create(
        id=next_task_id(), title_zh=d["title_zh"], area=d["area"], lead=d["lead"],
        decision=decision, location_regions=d["location_regions"],
        location_kind="area", source_seed=_("meeting"),
        source_sentence=f"{decision.meeting} · {decision.seq}. {decision.text}",
        tracked_from=today(), updated_by=user)
    task.co_units.set(d["co_units"])
    Milestone.objects.create(task=task, seq=1, title_zh=d["milestone"], due=d["due"])
    record(user, "create", task, after=snapshot(task))
    return task


@reader
def meeting_page(request, meeting_id: int):
    meeting = get_object_or_404(Meeting, pk=meeting_id)
    planner = can_plan(request.user)
    decision_form, task_form = forms.DecisionForm(), None
    if request.method == "POST":
        if not planner:
            raise PermissionDenied
        if request.POST.get("action") == "decision":
            decision_form = forms.DecisionForm(request.POST)
            if decision_form.is_valid():
                seq = (meeting.decisions.order_by("-seq").values_list("seq", flat=True).first()
                       or 0) + 1
                d = Decision.objects.create(meeting=meeting, seq=seq,
                                            text=decision_form.cleaned_data["text"])
                record(request.user, "create", d, after=snapshot(d))
                return redirect("meeting", meeting_id=meeting.pk)
        else:
            task_form = forms.DecisionTaskForm(request.POST)
            if task_form.is_valid():
                decision = get_object_or_404(Decision, pk=task_form.cleaned_data["decision"],
                                             meeting=meeting)
                task = task_from_decision(request.user, decision, task_form.cleaned_data)
                messages.success(request, _("Task %(id)s created.") % {"id": task.id})
                return redirect("meeting", meeting_id=meeting.pk)
    visible = states.visible_tasks(request.user)
    rows = []
    for d in meeting.decisions.all():
        tasks = visible.filter(decision=d)
        rows.append({"d": d, "tasks": states.states(tasks, today(), lang_of(request)),
                     "hidden": d.tasks.count() - tasks.count(),
                     "form": (task_form if task_form is not None and str(
                         task_form.data.get("decision")) == str(d.pk) else forms.DecisionTaskForm(
                         initial={"decision": d.pk})) if planner else None})
    return render(request, "ledger/meeting.html", {
        "meeting": meeting, "decisions": rows,
        "decision_form": decision_form if planner else None})
