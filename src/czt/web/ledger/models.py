"""The joint-task ledger (台账): tasks, their milestones, progress reports and the meetings
whose decisions create tasks.

Seed 001/003: "对合作事项实行清单式推进、台账式管理、挂图式作战". A task has a lead unit
(牵头单位) that reports on it; the province (工作专班) accepts or returns each report. An
empty owner or date means the source did not name one (shown as 待明确), never a guess.

Tasks and reports carry a ``version`` for optimistic locking: every write says which version
it read, and a write against a newer version is refused (see ``czt.web.ledger.editing``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Meeting(models.Model):
    """A 联席会议 or 调度会 of the integration, with its decisions."""

    class Kind(models.TextChoices):
        JOINT = "joint", _("joint conference (联席会议)")
        DISPATCH = "dispatch", _("dispatch meeting (调度会)")
        OTHER = "other", _("other meeting")

    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.DISPATCH)
    held_on = models.DateField(_("held on"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    chair = models.CharField(_("chaired by"), max_length=200, blank=True)
    minutes = models.TextField(_("minutes"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                   related_name="+")

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")

    def __str__(self) -> str:
        return f"{self.held_on} {self.title}"


class Decision(models.Model):
    """One numbered decision (议定事项) of a meeting; tasks created from it point back here."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="decisions")
    seq = models.PositiveSmallIntegerField(_("number"))
    text = models.TextField(_("decision"))

    class Meta:
        ordering = ["meeting", "seq"]
        constraints = [models.UniqueConstraint(fields=["meeting", "seq"], name="decision_seq")]
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")

    def __str__(self) -> str:
        return f"{self.meeting.title} · {self.seq}"


class Task(models.Model):
    """A joint task or project of the ledger."""

    class LocationKind(models.TextChoices):
        POINT = "point", _("point")
        LINE = "line", _("line")
        AREA = "area", _("area")

    id = models.CharField(_("task id"), max_length=16, primary_key=True)
    title_zh = models.CharField(_("title (Chinese)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=300, blank=True)
    area = models.ForeignKey("store.Area", on_delete=models.PROTECT, verbose_name=_("action area"))
    plan = models.ForeignKey("store.Plan", null=True, blank=True, on_delete=models.PROTECT,
                             verbose_name=_("plan"))
    source_seed = models.CharField(_("source document"), max_length=16, blank=True)
    source_sentence = models.TextField(_("source sentence"), blank=True)
    lead = models.ForeignKey("store.Unit", null=True, blank=True, on_delete=models.PROTECT,
                             related_name="led_tasks", verbose_name=_("lead unit"))
    co_units = models.ManyToManyField("store.Unit", blank=True, related_name="co_tasks",
                                      verbose_name=_("co-operating units"))
    indicators = models.ManyToManyField("store.Indicator", blank=True, related_name="tasks",
                                        verbose_name=_("indicators it should move"))
    decision = models.ForeignKey(Decision, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="tasks", verbose_name=_("meeting decision"))
    location_kind = models.CharField(_("location kind"), max_length=8,
                                     choices=LocationKind.choices, default=LocationKind.AREA)
    location_regions = models.JSONField(_("location (region codes)"), default=list, blank=True)
    note = models.TextField(_("note"), blank=True)
    tracked_from = models.DateField(_("reporting starts"), null=True, blank=True,
                                    help_text=_("First quarter for which progress reports "
                                                "are due; empty: the day the task was "
                                                "created."))
    created = models.DateField(_("created"), auto_now_add=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["id"]
        verbose_name = _("task")
        verbose_name_plural = _("tasks")

    def __str__(self) -> str:
        return f"{self.id} {self.title_zh}"


class Milestone(models.Model):
    """A step of a task with its due date; ``done_on`` is set when the province accepts a
    report that says it was reached (or from the source, with its evidence)."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="milestones")
    seq = models.PositiveSmallIntegerField(_("number"))
    title_zh = models.CharField(_("milestone"), max_length=200)
    title_en = models.CharField(_("milestone (English)"), max_length=300, blank=True)
    due = models.DateField(_("due"), null=True, blank=True)
    due_text = models.CharField(_("due as written"), max_length=100, blank=True)
    done_on = models.DateField(_("reached on"), null=True, blank=True)
    evidence = models.TextField(_("evidence"), blank=True)

    class Meta:
        ordering = ["task", "seq"]
        constraints = [models.UniqueConstraint(fields=["task", "seq"], name="milestone_seq")]
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")

    def __str__(self) -> str:
        return f"{self.task_id}.{self.seq} {self.title_zh}"


def evidence_path(report: ProgressReport, filename: str) -> str:
    return f"evidence/{report.task_id}/{filename}"


class ProgressReport(models.Model):
    """One submission of progress for one task and quarter. A returned report stays as it
    was; the resubmission is a new row pointing to it (``previous``), so the history of
    every report is kept."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("awaiting review")
        RETURNED = "returned", _("returned")
        ACCEPTED = "accepted", _("accepted")

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="reports")
    period = models.CharField(_("reporting quarter"), max_length=8)
    text = models.TextField(_("progress"))
    percent = models.PositiveSmallIntegerField(_("% complete"))
    milestone = models.ForeignKey(Milestone, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="reports", verbose_name=_("milestone reached"))
    reached_on = models.DateField(_("milestone reached on"), null=True, blank=True)
    evidence = models.FileField(_("evidence file"), upload_to=evidence_path, blank=True,
                                max_length=300)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True,
                                     on_delete=models.SET_NULL, related_name="+")
    submitted_on = models.DateField(_("submitted on"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices,
                              default=Status.SUBMITTED)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    reviewed_on = models.DateField(_("reviewed on"), null=True, blank=True)
    review_comment = models.TextField(_("review comment"), blank=True)
    previous = models.OneToOneField("self", null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="resubmission")
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["task", "period", "id"]
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")

    def __str__(self) -> str:
        return f"{self.task_id} {self.period} #{self.pk}"
