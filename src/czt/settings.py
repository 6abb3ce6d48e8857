"""Django settings. The database comes from ``CZT_DATABASE_URL``; default is an embedded
SQLite file under ``CZT_HOME`` (``./var``), so a laptop needs no server."""

import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent
CZT_HOME = Path(os.environ.get("CZT_HOME", "var")).resolve()
# Folder of origin–destination Parquet files for the flows page; empty = synthetic demo.
CZT_FLOWS_DIR = os.environ.get("CZT_FLOWS_DIR", "")
# Pins "today" for the ledger's status rules (tests, rehearsals); empty: the real date.
CZT_TODAY = os.environ.get("CZT_TODAY", "")

SECRET_KEY = os.environ.get("CZT_SECRET_KEY", "dev-only-not-secret")
DEBUG = os.environ.get("CZT_DEBUG", "0") == "1"
ALLOWED_HOSTS = os.environ.get("CZT_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "ninja",
    "czt.store",
    "czt.web.accounts",
    "czt.web.audit",
    "czt.web.pages",
    "czt.web.ledger",
    "czt.web.assessment",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]
ROOT_URLCONF = "czt.web.urls"
TEMPLATES = [{
    "BACKEND": "django.template.backends.django.DjangoTemplates",
    "DIRS": [BASE_DIR / "web" / "templates"],
    "APP_DIRS": True,
    "OPTIONS": {"context_processors": [
        "django.template.context_processors.request",
        "django.contrib.auth.context_processors.auth",
        "django.contrib.messages.context_processors.messages",
        "czt.web.pages.context.site",
    ]},
}]
WSGI_APPLICATION = "czt.web.wsgi.application"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "overview"
LOGOUT_REDIRECT_URL = "overview"

STATIC_URL = "/static/"
STATIC_ROOT = CZT_HOME / "static"  # filled by `czt init` (collectstatic)
# Evidence files of progress reports; served only through a view that checks the reader.
MEDIA_ROOT = CZT_HOME / "media"
# ECharts comes from the npm registry at set-up (package.json); served from our own origin so
# no page loads anything from the internet.
NODE_MODULES = Path(os.environ.get("CZT_NODE_MODULES", BASE_DIR.parent.parent / "node_modules"))
STATICFILES_DIRS = [("vendor/echarts", NODE_MODULES / "echarts" / "dist")]
WHITENOISE_USE_FINDERS = True  # serve straight from the app folders; collectstatic optional
DATA_UPLOAD_MAX_MEMORY_SIZE = 50 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

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
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_COOKIE_NAME = "czt_language"
