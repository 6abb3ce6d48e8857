"""CZT Observatory — 长株潭一体化监测与调度平台."""

__version__ = "0.1.0"


def setup() -> None:
    """Configure Django for library and CLI use (the store is a Django app)."""
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "czt.settings")
    django.setup()
