"""Back office for the reference data (regions, indicators, plans, targets), every change
audited; and a read-only view of the audit record itself."""

from __future__ import annotations

import json

from django.contrib import admin
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from czt.store.models import Area, Indicator, Plan, Region, Target, Unit
from czt.web.audit.models import AuditEntry, record, snapshot


class AuditedAdmin(admin.ModelAdmin):
    """A ModelAdmin whose saves and deletes write the before/after values to the record."""

    def audit_snapshot(self, obj) -> dict:
        """What the record keeps of ``obj``; admins with inlines add the inline rows."""
        return snapshot(obj)

    def save_model(self, request, obj, form, change):
        request._audit_before = (self.audit_snapshot(type(obj).objects.get(pk=obj.pk))
                                 if change and obj.pk else None)
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        obj = type(form.instance).objects.get(pk=form.instance.pk)
        record(request.user, "change" if change else "create", obj,
               before=getattr(request, "_audit_before", None), after=self.audit_snapshot(obj))

    def delete_model(self, request, obj):
        before = snapshot(obj)
        label, pk, text = obj._meta.label, str(obj.pk), str(obj)
        super().delete_model(request, obj)
        record(request.user, "delete", before=before, model=label, object_id=pk,
               object_repr=text)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)


@admin.register(Region)
class RegionAdmin(AuditedAdmin):
    list_display = ("code", "name_zh", "name_en", "level", "parent", "valid_to")
    list_filter = ("level",)
    search_fields = ("code", "name_zh", "name_en")
    filter_horizontal = ("members",)


@admin.register(Area)
class AreaAdmin(AuditedAdmin):
    list_display = ("code", "name_zh", "name_en", "order")


@admin.register(Indicator)
class IndicatorAdmin(AuditedAdmin):
    list_display = ("code", "name_zh", "unit", "polarity", "area", "aggregation")
    list_filter = ("area", "aggregation", "polarity")
    search_fields = ("code", "name_zh", "name_en")


@admin.register(Plan)
class PlanAdmin(AuditedAdmin):
    list_display = ("id", "name_zh", "base_year", "target_year")


@admin.register(Target)
class TargetAdmin(AuditedAdmin):
    list_display = ("id", "plan", "region", "indicator", "operator", "value", "target_year")
    list_filter = ("plan", "region")
    search_fields = ("id", "indicator__name_zh", "sentence")


@admin.register(Unit)
class UnitAdmin(AuditedAdmin):
    list_display = ("code", "name_zh", "kind", "region")
    list_filter = ("kind",)
    search_fields = ("code", "name_zh", "name_en")


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ("at", "username", "action", "model", "object_repr", "changed")
    list_filter = ("action", "model")
    search_fields = ("username", "object_id", "object_repr")
    readonly_fields = [f.name for f in AuditEntry._meta.fields] + ["diff"]

    @admin.display(description=_("changed fields"))
    def changed(self, obj):
        return ", ".join(obj.changed_fields())

    @admin.display(description=_("before → after"))
    def diff(self, obj):
        rows = format_html_join(
            "", "<tr><th>{}</th><td>{}</td><td>{}</td></tr>",
            ((k, json.dumps((obj.before or {}).get(k), ensure_ascii=False),
              json.dumps((obj.after or {}).get(k), ensure_ascii=False))
             for k in obj.changed_fields()))
        return format_html("<table>{}</table>", rows) if rows else "—"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
