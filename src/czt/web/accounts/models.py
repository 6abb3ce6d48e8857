"""Who a user is in the platform: a role, and the city or indicators it is limited to.

Roles follow how the integration is run (PRODUCT.md): the provincial task force administers
everything, each city names a coordinator (市级联络员) for its own figures, departments name
reporters (部门填报员) for the indicators they publish, and others only read.
"""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    PROVINCE_ADMIN = "province_admin", _("Province administrator")
    CITY_COORDINATOR = "city_coordinator", _("City coordinator")
    DEPARTMENT_REPORTER = "department_reporter", _("Department reporter")
    VIEWER = "viewer", _("Viewer")


class Profile(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                related_name="profile")
    role = models.CharField(_("role"), max_length=32, choices=Role.choices, default=Role.VIEWER)
    region = models.ForeignKey("store.Region", null=True, blank=True, on_delete=models.PROTECT,
                               verbose_name=_("city"),
                               help_text=_("The city a coordinator (or a city department) "
                                           "reports for; empty for provincial units."))
    unit = models.ForeignKey("store.Unit", null=True, blank=True, on_delete=models.PROTECT,
                             verbose_name=_("unit"),
                             help_text=_("The department or government the user reports for; "
                                         "it decides which joint tasks the user may report on."))
    indicators = models.ManyToManyField("store.Indicator", blank=True,
                                        verbose_name=_("indicators"),
                                        help_text=_("The indicators a department reporter "
                                                    "reports."))

    class Meta:
        verbose_name = _("user profile")
        verbose_name_plural = _("user profiles")

    def __str__(self) -> str:
        return f"{self.user.username} ({self.get_role_display()})"


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


class ApiToken(models.Model):
    """A secret for scripts calling the API. Only its SHA-256 is stored; the key is shown once."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    digest = models.CharField(max_length=64, unique=True, editable=False)
    created = models.DateTimeField(_("created"), auto_now_add=True)
    last_used = models.DateTimeField(_("last used"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    @classmethod
    def issue(cls, user, name: str) -> tuple[ApiToken, str]:
        key = "czt_" + secrets.token_urlsafe(32)
        return cls.objects.create(user=user, name=name, digest=_digest(key)), key

    @classmethod
    def user_for(cls, key: str):
        token = cls.objects.select_related("user").filter(digest=_digest(key)).first()
        if token is None or not token.user.is_active:
            return None
        return token.user

    def __str__(self) -> str:
        return self.name
