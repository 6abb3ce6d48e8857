"""Writes to tasks and reports with optimistic locking and an audit entry each.

Why optimistic locking: a coordinator may edit a report in one tab while the task force
reviews it in another; a lock held across page views would block people who walked away.
Every form carries the ``version`` it was read at; the update only happens where the row
still has that version, so the second writer gets a :class:`Conflict` (with who changed it
and when) and their input is shown back to them instead of being lost or overwriting.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import F, Model
from django.utils import timezone

from czt.web.audit.models import record, snapshot


class LedgerError(Exception):
    """A refused change, with a message already in the user's language."""


class Conflict(LedgerError):
    """Someone saved the row after the writer read it."""

    def __init__(self, message: str, current: Model) -> None:
        super().__init__(message)
        self.current = current


def conflict_message(current: Model) -> str:
    from django.utils.translation import gettext as _

    writer = next((getattr(current, f) for f in ("updated_by", "reviewed_by", "submitted_by")
                   if getattr(current, f, None) is not None), None)
    who = writer.get_username() if writer is not None else _("someone else")
    return _("This record was changed by %(who)s after you opened it (now version "
             "%(version)s). Your changes were not saved; they are shown below. Reload to see "
             "the current values, then apply your changes again.") % {
        "who": who, "version": current.version}


@transaction.atomic
def save_versioned(obj: Model, read_version: int, user, *, fields: dict,
                   m2m: dict | None = None, action: str = "change") -> Model:
    """Apply ``fields`` (and ``m2m`` sets) to ``obj`` if it is still at ``read_version``."""
    model = type(obj)
    current = model.objects.select_for_update().get(pk=obj.pk)
    before = snapshot(current)
    extra = {"updated_by": user, "updated_at": timezone.now()} if hasattr(
        current, "updated_by") else {}
    changed = model.objects.filter(pk=obj.pk, version=read_version).update(
        **fields, **extra, version=F("version") + 1)
    if not changed:
        raise Conflict(conflict_message(current), current)
    fresh = model.objects.get(pk=obj.pk)
    for name, values in (m2m or {}).items():
        getattr(fresh, name).set(values)
    record(user, action, fresh, before=before, after=snapshot(fresh))
    return fresh
