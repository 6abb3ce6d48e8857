"""The audit record: who changed what, when, and the values before and after.

Why not Django's LogEntry: it keeps a change message, not the values; officials need to see
the old target value next to the new one. Why not a history table per model
(django-simple-history): one table across all models is what a reviewer reads, and the
ledger (tasks, reports) will write to the same record.
"""

from __future__ import annotations

import json

from django.conf import settings
from django.core import serializers
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEntry(models.Model):
    class Action(models.TextChoices):
        CREATE = "create", _("created")
        CHANGE = "change", _("changed")
        DELETE = "delete", _("deleted")
        IMPORT = "import", _("imported")

    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                             verbose_name=_("user"))
    username = models.CharField(_("user name"), max_length=150)
    action = models.CharField(_("action"), max_length=8, choices=Action.choices)
    model = models.CharField(_("record type"), max_length=100)
    object_id = models.CharField(_("record"), max_length=100)
    object_repr = models.CharField(_("description"), max_length=300)
    before = models.JSONField(_("before"), null=True, blank=True)
    after = models.JSONField(_("after"), null=True, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit record")

    def changed_fields(self) -> list[str]:
        before, after = self.before or {}, self.after or {}
        return sorted(k for k in set(before) | set(after) if before.get(k) != after.get(k))


SECRET_FIELDS = {"password"}


def snapshot(obj: models.Model) -> dict:
    """Every field, many-to-many included, as JSON-ready values; secrets left out."""
    fields = json.loads(serializers.serialize("json", [obj]))[0]["fields"]
    return {k: v for k, v in fields.items() if k not in SECRET_FIELDS}


def record(user, action: str, obj: models.Model | None = None, *, before: dict | None = None,
           after: dict | None = None, model: str = "", object_id: str = "",
           object_repr: str = "") -> AuditEntry:
    authenticated = user is not None and user.is_authenticated
    return AuditEntry.objects.create(
        user=user if authenticated else None,
        username=user.get_username() if authenticated else "",
        action=action, model=model or (obj._meta.label if obj is not None else ""),
        object_id=object_id or (str(obj.pk) if obj is not None else ""),
        object_repr=(object_repr or str(obj))[:300], before=before, after=after)
