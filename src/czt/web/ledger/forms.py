"""Forms of the ledger pages. Each carries the ``version`` it was read at (optimistic
locking, see ``editing``)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from czt.ledger import periods
from czt.store.models import Area, Region, Unit
from czt.web.ledger.models import Meeting, Milestone, Task


class ReportForm(forms.Form):
    period = forms.CharField(label=_("Reporting quarter"), max_length=8,
                             help_text=_("e.g. 2026Q3"))
    text = forms.CharField(label=_("Progress"), widget=forms.Textarea(attrs={"rows": 4}))
    percent = forms.IntegerField(label=_("% complete"), min_value=0, max_value=100)
    milestone = forms.ModelChoiceField(label=_("Milestone reached"), required=False,
                                       queryset=Milestone.objects.none())
    reached_on = forms.DateField(label=_("Reached on"), required=False,
                                 widget=forms.DateInput(attrs={"type": "date"}))
    evidence = forms.FileField(label=_("Evidence file"), required=False,
                               help_text=_("PDF, image, Word or Excel; at most 20 MB."))
    previous = forms.IntegerField(required=False, widget=forms.HiddenInput)

    MAX_BYTES = 20 * 1024 * 1024
    EXTENSIONS = (".pdf", ".jpg", ".jpeg", ".png", ".doc", ".docx", ".xls", ".xlsx", ".ofd")

    def __init__(self, task: Task, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["milestone"].queryset = task.milestones.filter(done_on__isnull=True)

    def clean_period(self) -> str:
        value = self.cleaned_data["period"].strip().upper()
        try:
            periods.parse(value)
        except ValueError:
            raise forms.ValidationError(_("Write the quarter like 2026Q3.")) from None
        return value

    def clean_evidence(self):
        f = self.cleaned_data.get("evidence")
        if f is None:
            return f
        if f.size > self.MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than 20 MB."))
        if not f.name.lower().endswith(self.EXTENSIONS):
            raise forms.ValidationError(_("Accepted files: PDF, images, Word, Excel, OFD."))
        return f


class CorrectionForm(forms.Form):
    report = forms.IntegerField(widget=forms.HiddenInput)
    version = forms.IntegerField(widget=forms.HiddenInput)
    text = forms.CharField(label=_("Progress"), widget=forms.Textarea(attrs={"rows": 4}))
    percent = forms.IntegerField(label=_("% complete"), min_value=0, max_value=100)
    milestone = forms.ModelChoiceField(label=_("Milestone reached"), required=False,
                                       queryset=Milestone.objects.all())
    reached_on = forms.DateField(label=_("Reached on"), required=False,
                                 widget=forms.DateInput(attrs={"type": "date"}))


class ReviewForm(forms.Form):
    report = forms.IntegerField(widget=forms.HiddenInput)
    version = forms.IntegerField(widget=forms.HiddenInput)
    decision = forms.ChoiceField(choices=[("accept", _("Accept")), ("return", _("Return"))])
    comment = forms.CharField(label=_("Comment"), required=False,
                              widget=forms.Textarea(attrs={"rows": 2}))


def _regions(text: str) -> list[str]:
    codes = [c for c in text.replace("；", ";").replace(",", ";").split(";") if c.strip()]
    codes = [c.strip() for c in codes]
    unknown = sorted(set(codes) - set(Region.objects.filter(code__in=codes)
                                      .values_list("code", flat=True)))
    if unknown:
        raise forms.ValidationError(_("Unknown region codes: %(c)s") % {"c": ", ".join(unknown)})
    return codes


class TaskNotesForm(forms.Form):
    """What the lead unit may change itself: the note and where the task is."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    note = forms.CharField(label=_("Note"), required=False,
                           widget=forms.Textarea(attrs={"rows": 3}))
    location_kind = forms.ChoiceField(label=_("Location kind"), choices=Task.LocationKind.choices)
    location_regions = forms.CharField(label=_("Location (region codes, separated by ;)"),
                                       required=False)

    def clean_location_regions(self) -> list[str]:
        return _regions(self.cleaned_data["location_regions"])


class TaskPlanForm(TaskNotesForm):
    """The province's fields: owners and reporting start (deadlines are the milestones')."""

    lead = forms.ModelChoiceField(label=_("Lead unit"), queryset=Unit.objects.all(),
                                  required=False, empty_label=_("to be assigned (待明确)"))
    co_units = forms.ModelMultipleChoiceField(label=_("Co-operating units"), required=False,
                                              queryset=Unit.objects.all())
    tracked_from = forms.DateField(label=_("Reporting starts"), required=False,
                                   widget=forms.DateInput(attrs={"type": "date"}))


class MilestoneForm(forms.Form):
    """A milestone's deadline, changed or added by the province."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    milestone = forms.IntegerField(required=False, widget=forms.HiddenInput)
    title_zh = forms.CharField(label=_("Milestone"), max_length=200)
    due = forms.DateField(label=_("Due"), required=False,
                          widget=forms.DateInput(attrs={"type": "date"}))
    due_text = forms.CharField(label=_("Due as written"), max_length=100, required=False)


class MeetingForm(forms.ModelForm):
    class Meta:
        model = Meeting
        fields = ["title", "kind", "held_on", "place", "chair", "minutes"]
        widgets = {"held_on": forms.DateInput(attrs={"type": "date"}),
                   "minutes": forms.Textarea(attrs={"rows": 4})}


class DecisionForm(forms.Form):
    text = forms.CharField(label=_("Decision"), widget=forms.Textarea(attrs={"rows": 2}))


class DecisionTaskForm(forms.Form):
    """Turn a decision into a task with an owner and a deadline."""

    decision = forms.IntegerField(widget=forms.HiddenInput)
    title_zh = forms.CharField(label=_("Task"), max_length=200)
    area = forms.ModelChoiceField(label=_("Action area"), queryset=Area.objects.all())
    lead = forms.ModelChoiceField(label=_("Lead unit"), queryset=Unit.objects.all())
    co_units = forms.ModelMultipleChoiceField(label=_("Co-operating units"), required=False,
                                              queryset=Unit.objects.all())
    milestone = forms.CharField(label=_("Milestone"), max_length=200)
    due = forms.DateField(label=_("Due"), widget=forms.DateInput(attrs={"type": "date"}))
    location_regions = forms.CharField(label=_("Location (region codes, separated by ;)"),
                                       required=False)

    def clean_location_regions(self) -> list[str]:
        return _regions(self.cleaned_data["location_regions"])
