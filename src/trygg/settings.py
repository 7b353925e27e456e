"""Django settings, all read through the registry in trygg.conf (documented in docs/settings.md)."""

from __future__ import annotations

import secrets
from pathlib import Path

import dj_database_url
import django_stubs_ext
from django.core.exceptions import ImproperlyConfigured

from trygg import conf

# Lets admin classes be typed as ModelAdmin[Model] at run time, as django-stubs expects.
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent
DEBUG = conf.get("TRYGG_DEBUG") == "1"

SECRET_KEY = conf.get("SECRET_KEY")
if not SECRET_KEY:
    # A key per process keeps a laptop demo working; production must set one (checked below).
    SECRET_KEY = secrets.token_urlsafe(50)
    if not DEBUG and conf.get("DATABASE_URL").startswith("postgres"):
        raise ImproperlyConfigured("SECRET_KEY must be set when trygg runs on PostgreSQL (see docs/settings.md).")

ALLOWED_HOSTS = [h.strip() for h in conf.get("ALLOWED_HOSTS").split(",") if h.strip()] + ["testserver"]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "trygg.accounts",
    "trygg.areas",
    "trygg.surveys",
    "trygg.incidents",
    "trygg.promises",
    "trygg.reports",
]

MIDDLEWARE = [
    # First: every later middleware (HTTPS redirect, CSRF, limits) sees the client's address and scheme.
    "trygg.proxy.TrustedProxyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "trygg.urls"
WSGI_APPLICATION = "trygg.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {"default": dj_database_url.parse(conf.get("DATABASE_URL"), conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL: residents read while an import writes. IMMEDIATE takes the write lock at BEGIN, so a writer waits up to
    # the busy timeout for another instead of failing at once with "database is locked" when it upgrades a read lock.
    DATABASES["default"]["OPTIONS"] = {"init_command": "PRAGMA journal_mode=WAL", "transaction_mode": "IMMEDIATE",
                                       "timeout": float(conf.get("TRYGG_SQLITE_BUSY_TIMEOUT"))}

# Production serving (issue 11, docs/deployment.md): state shared by every process and server lives in the database
# (or Redis), never in one process's memory.
TRUSTED_PROXIES = [p.strip() for p in conf.get("TRYGG_TRUSTED_PROXIES").split(",") if p.strip()]
if TRUSTED_PROXIES:
    # Only together with trygg.proxy, which strips this header from every peer that is not a trusted proxy.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
CSRF_TRUSTED_ORIGINS = [o.strip() for o in conf.get("CSRF_TRUSTED_ORIGINS").split(",") if o.strip()]
CACHE_TABLE = "trygg_cache"
_CACHE_URL = conf.get("CACHE_URL")
if _CACHE_URL.startswith(("redis://", "rediss://", "unix://")):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": _CACHE_URL}}
elif _CACHE_URL:
    raise ImproperlyConfigured(f"CACHE_URL must be empty (the database) or redis://…, not {_CACHE_URL!r}")
else:
    # Culling at Django's default of 300 entries would forget the answer counts of a busy day.
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": CACHE_TABLE,
                          "OPTIONS": {"MAX_ENTRIES": 100_000}}}
SESSION_ENGINE = "django.contrib.sessions.backends.db"
TRYGG_WORKERS = int(conf.get("TRYGG_WORKERS"))
TRYGG_THREADS = int(conf.get("TRYGG_THREADS"))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", "Svenska"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = conf.get("TRYGG_STATIC_ROOT") or None
STATICFILES_DIRS = [BASE_DIR / "static"]
WHITENOISE_USE_FINDERS = True

LOGIN_URL = "/personal/login/"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
# Everything the pages need comes from this site; no inline script or style, no third party sees a resident.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'none'"],
        "object-src": ["'none'"],
    },
}
SECURE_REFERRER_POLICY = "same-origin"
# A resident's free text is at most 2,000 characters; anything far bigger is abuse and gets a 400, not a 500.
DATA_UPLOAD_MAX_MEMORY_SIZE = 256 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 200

TRYGG_SUPPRESSION_MIN_N = int(conf.get("TRYGG_SUPPRESSION_MIN_N"))
TRYGG_ANSWERS_PER_CONNECTION_PER_DAY = int(conf.get("TRYGG_ANSWERS_PER_CONNECTION_PER_DAY"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
