"""Users with their role, city and indicators on one page; changes go to the audit record."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import User
from django.utils.translation import gettext_lazy as _

from czt.web.accounts.models import ApiToken, Profile
from czt.web.audit.admin import AuditedAdmin
from czt.web.audit.models import snapshot


class ProfileInline(admin.StackedInline):
    model = Profile
    can_delete = False
    filter_horizontal = ("indicators",)


admin.site.unregister(User)


@admin.register(User)
class CztUserAdmin(AuditedAdmin, UserAdmin):
    inlines = [ProfileInline]
    list_display = ("username", "first_name", "is_active", "role", "city")

    def audit_snapshot(self, obj) -> dict:
        """The user with its role, city, unit and indicators: a role change is a change."""
        profile = Profile.objects.filter(user=obj).first()
        return {**snapshot(obj), "profile": snapshot(profile) if profile else None}

    @admin.display(description=_("role"))
    def role(self, obj):
        return obj.profile.get_role_display() if hasattr(obj, "profile") else ""

    @admin.display(description=_("city"))
    def city(self, obj):
        return obj.profile.region if hasattr(obj, "profile") else ""


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("name", "user", "created", "last_used")
    readonly_fields = ("digest", "created", "last_used")
