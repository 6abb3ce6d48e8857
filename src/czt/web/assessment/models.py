"""Versions of the assessment method (考核办法). A version is never edited: changing the
method saves a new version, and every score names the version that produced it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class MethodVersion(models.Model):
    number = models.PositiveIntegerField(_("version"), unique=True)
    text = models.TextField(_("method file (YAML)"))
    comment = models.CharField(_("what changed"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("saved at"), auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-number"]
        verbose_name = _("assessment method version")
        verbose_name_plural = _("assessment method versions")

    def __str__(self) -> str:
        return f"v{self.number}"
