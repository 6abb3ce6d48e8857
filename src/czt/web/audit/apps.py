from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "czt.web.audit"
    label = "audit"
    verbose_name = "变更记录 Audit record"
