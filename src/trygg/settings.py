"""Django settings, all read through the registry in trygg.conf (documented in docs/settings.md)."""

from __future__ import annotations

import secrets
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
import django_stubs_ext
from django.core.exceptions import ImproperlyConfigured

from trygg import conf
from trygg.surveys.languages import catalogue_languages

# Lets admin classes be typed as ModelAdmin[Model] at run time, as django-stubs expects.
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent
DEBUG = conf.get("TRYGG_DEBUG") == "1"

SECRET_KEY = conf.get("SECRET_KEY")
if not SECRET_KEY:
    # Whatever the database: a site signing sessions with a key nobody set is not to be trusted. Only a debugging
    # run makes one per process; `trygg demo` stores one beside its SQLite file (trygg.cli.use_local_key).
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set unless TRYGG_DEBUG=1 (see docs/settings.md); "
                                   "`trygg demo` makes one for its own SQLite file.")
    SECRET_KEY = secrets.token_urlsafe(50)

ALLOWED_HOSTS = [h.strip() for h in conf.get("ALLOWED_HOSTS").split(",") if h.strip()] + ["testserver"]

INSTALLED_APPS = [
    "trygg.accounts.adminconfig.StaffAdminConfig",  # the Django admin with the staff login (accounts/site.py)
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
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
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
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
            # `{{ n|number }}` in every template: counts in the reader's language ("1 695", "1,695").
            "builtins": ["trygg.formatting"],
        },
    },
]

DATABASES = {"default": dj_database_url.parse(conf.get("DATABASE_URL"), conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL: residents read while an import writes. IMMEDIATE takes the write lock at BEGIN, so a writer waits up to
    # the busy timeout for another instead of failing at once with "database is locked" when it upgrades a read lock.
    DATABASES["default"]["OPTIONS"] = {"init_command": "PRAGMA journal_mode=WAL", "transaction_mode": "IMMEDIATE",
                                       "timeout": float(conf.get("TRYGG_SQLITE_BUSY_TIMEOUT"))}
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and conf.get("TRYGG_POSTGRES_PREPARE") == "1":
    # Parameters bound by the server, and a statement a connection has run five times prepared: PostgreSQL plans the
    # answer's few statements once per connection instead of at every answer (docs/deployment.md, bench_load.py).
    DATABASES["default"]["OPTIONS"] = {"server_side_binding": True, "prepare_threshold": 5}

# Production serving (issue 11, docs/deployment.md): state shared by every process and server lives in the database
# (or Redis), never in one process's memory.
TRUSTED_PROXIES = [p.strip() for p in conf.get("TRYGG_TRUSTED_PROXIES").split(",") if p.strip()]
if TRUSTED_PROXIES:
    # Only together with trygg.proxy, which strips this header from every peer that is not a trusted proxy.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
CSRF_TRUSTED_ORIGINS = [o.strip() for o in conf.get("CSRF_TRUSTED_ORIGINS").split(",") if o.strip()]
CACHE_TABLE = "trygg_cache"
_CACHE_URL = conf.get("CACHE_URL")
CACHES: dict[str, dict[str, object]]
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
LANGUAGES = [("sv", "Svenska"), ("en", "English"), ("ar", "العربية")]
# A language is added by its catalogue alone (docs/translations.md): surveys/locale/CODE/LC_MESSAGES/django.po.
LANGUAGES += [entry for entry in catalogue_languages() if entry[0] not in dict(LANGUAGES)]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = conf.get("TRYGG_STATIC_ROOT") or None
STATICFILES_DIRS = [BASE_DIR / "static"]
WHITENOISE_USE_FINDERS = True

LOGIN_URL = "/personal/login/"
# Accounts (issue 10, docs/security.md): throttled logins, a second factor for admins, strong passwords.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
AXES_FAILURE_LIMIT = int(conf.get("TRYGG_LOGIN_FAILURE_LIMIT"))
AXES_COOLOFF_TIME = int(conf.get("TRYGG_LOGIN_LOCKOUT_MINUTES")) / 60  # hours
# A name tried from many addresses (stuffing) and an address trying many names are each locked on their own.
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# The address is the connection's own: a forwarded-for header is the proxy's business (issue 11), never the client's.
AXES_IPWARE_META_PRECEDENCE_ORDER = ["REMOTE_ADDR"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
     "OPTIONS": {"min_length": int(conf.get("TRYGG_PASSWORD_MIN_LENGTH"))}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
OTP_TOTP_ISSUER = "trygg"
# Organisation admins and superusers give a TOTP code after their password (accounts/factors.py).
TRYGG_REQUIRE_SECOND_FACTOR = True
# Off only for a laptop demo on plain http and the tests; debugging is never over https.
HTTPS = conf.get("TRYGG_HTTPS") == "1" and not DEBUG
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS
SECURE_HSTS_SECONDS = 365 * 24 * 3600 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = False
# The health check answers a load balancer's plain-http probe instead of redirecting it.
SECURE_REDIRECT_EXEMPT = [r"^halsa/$"]
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
TRYGG_PRIVACY_DAYS = int(conf.get("TRYGG_PRIVACY_DAYS"))
# The survey form (issue 12): burst flags, and the pin map's optional tiles.
TRYGG_BURST_ANSWERS = int(conf.get("TRYGG_BURST_ANSWERS"))
TRYGG_BURST_MINUTES = int(conf.get("TRYGG_BURST_MINUTES"))
TRYGG_TILE_URL = conf.get("TRYGG_TILE_URL")
TRYGG_TILE_ATTRIBUTION = conf.get("TRYGG_TILE_ATTRIBUTION")
if TRYGG_TILE_URL:
    # The one third party a resident's browser may reach: the configured tile server ({s} subdomains as *).
    _tiles = urlsplit(TRYGG_TILE_URL)
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"].append(f"{_tiles.scheme}://{_tiles.netloc.replace('{s}', '*')}")
TRYGG_PRIVACY_FREE_TEXT = conf.get("TRYGG_PRIVACY_FREE_TEXT")
TRYGG_PRIVACY_PIN_METRES = float(conf.get("TRYGG_PRIVACY_PIN_METRES"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
