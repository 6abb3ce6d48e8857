"""Django settings. The database comes from ``CZT_DATABASE_URL``; default is an embedded
SQLite file under ``CZT_HOME`` (``./var``), so a laptop needs no server."""

import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent
CZT_HOME = Path(os.environ.get("CZT_HOME", "var")).resolve()

SECRET_KEY = os.environ.get("CZT_SECRET_KEY", "dev-only-not-secret")
DEBUG = os.environ.get("CZT_DEBUG", "0") == "1"
ALLOWED_HOSTS = os.environ.get("CZT_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")

INSTALLED_APPS = [
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "czt.store",
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("CZT_DATABASE_URL", f"sqlite:///{CZT_HOME / 'czt.sqlite3'}"),
        conn_max_age=0,
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    DATABASES["default"].setdefault("OPTIONS", {}).update({
        "timeout": 30,
        # WAL lets the web pages read while an import writes; NORMAL is durable in WAL mode
        "init_command": ("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                         "PRAGMA cache_size=-65536;"),
    })

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
