from django.apps import AppConfig


class StoreConfig(AppConfig):
    name = "czt.store"
    label = "store"
    verbose_name = "指标库 Indicator store"
