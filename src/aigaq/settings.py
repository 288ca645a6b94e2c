"""Aigaq settings. Every value comes from the environment; see docs/settings.md."""

from __future__ import annotations

from importlib.util import find_spec
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from aigaq.env import envbool, envint, envlist, envstr, secret_file

PACKAGE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(envstr("AIGAQ_DATA", "aigaq-data")).expanduser().resolve()
KEYS_DIR = DATA_DIR / "keys"

DEBUG = envbool("AIGAQ_DEBUG", False)
SECRET_KEY = envstr("AIGAQ_SECRET_KEY") or secret_file(KEYS_DIR / "django-secret")
ALLOWED_HOSTS = envlist("AIGAQ_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = envlist("AIGAQ_CSRF_TRUSTED_ORIGINS")

# django-ninja's Swagger UI page and files, so /api/v1/docs needs no CDN (the CSP allows only our
# origin). Found without importing the package: as an installed app it would cost every command
# ~0.3 s of start-up (aigaq.api.api renders the page through these paths).
NINJA_DIR = Path(find_spec("ninja").submodule_search_locations[0])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "aigaq.core",
    "aigaq.accounts",
    "aigaq.registry",
    "aigaq.vault",
    "aigaq.ledger",
    "aigaq.api",
    "aigaq.publish",
    "aigaq.audit",
    "aigaq.capture",
    "aigaq.linkage",
    "aigaq.transfer",
    "aigaq.dossier",
]

MIDDLEWARE = [
    "aigaq.core.middleware.ServerTimingMiddleware",  # first, so it times all the others too
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    # Every view and API operation passes aigaq.accounts.policy; idle sessions expire; 2FA enrolment.
    "aigaq.accounts.middleware.AccessPolicyMiddleware",
]

ROOT_URLCONF = "aigaq.urls"
WSGI_APPLICATION = "aigaq.wsgi.application"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "registry:person-list"
LOGOUT_REDIRECT_URL = "accounts:login"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates", NINJA_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "aigaq.core.context_processors.staff_nav",
            ],
        },
    },
]

# SQLite (WAL) in the data folder unless DATABASE_URL says otherwise.
_database_url = envstr("DATABASE_URL")
if _database_url:
    DATABASES = {"default": dj_database_url.parse(_database_url, conn_max_age=60)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": DATA_DIR / "aigaq.sqlite3",
            # One connection per server thread, kept: opening one per request re-reads the schema
            # and starts with an empty page cache (a fifth of a name search's server CPU time at 1M persons).
            "CONN_MAX_AGE": None,
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                    "PRAGMA foreign_keys=ON; PRAGMA cache_size=-64000; PRAGMA mmap_size=268435456;"
                ),
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = envstr("AIGAQ_LANGUAGE", "en")
LANGUAGES = [
    ("en", _("English")),
    ("kk", _("Kazakh")),
    ("ru", _("Russian")),
    # The public portal (aigaq.publish) is translated into these too; Uyghur is right-to-left
    # (Django's LANGUAGES_BIDI already lists "ug").
    ("zh-hans", _("Simplified Chinese")),
    ("ug", _("Uyghur")),
    ("tr", _("Turkish")),
]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = envstr("AIGAQ_TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
# Static files are served from the installed package (WhiteNoise finders); set this only for collectstatic.
STATIC_ROOT = envstr("AIGAQ_STATIC_ROOT") or None
STATICFILES_DIRS = [NINJA_DIR / "static"]  # ninja/swagger-ui-bundle.js etc.
WHITENOISE_USE_FINDERS = True  # serve straight from the package: no collectstatic step

SESSION_COOKIE_AGE = envint("AIGAQ_SESSION_SECONDS", 8 * 3600)
AIGAQ_IDLE_SECONDS = envint("AIGAQ_IDLE_SECONDS", 3600)  # logged out after this long without a request
AIGAQ_LOGIN_MAX_FAILURES = envint("AIGAQ_LOGIN_MAX_FAILURES", 5)  # per username, then locked
AIGAQ_LOGIN_IP_MAX_FAILURES = envint("AIGAQ_LOGIN_IP_MAX_FAILURES", 20)  # per client address
AIGAQ_LOGIN_LOCKOUT_SECONDS = envint("AIGAQ_LOGIN_LOCKOUT_SECONDS", 15 * 60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = envbool("AIGAQ_SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_HSTS_SECONDS = envint("AIGAQ_HSTS_SECONDS", 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("AIGAQ_HSTS_SUBDOMAINS", True)  # only sent once HSTS is on
SECURE_HSTS_PRELOAD = envbool("AIGAQ_HSTS_PRELOAD", False)
# Browser preload lists are a commitment the operator makes for their domain, not a setting we require.
SILENCED_SYSTEM_CHECKS = ["security.W021"]
# Content Security Policy (Django's own middleware): our origin only, no inline script, no framing.
SECURE_CSP = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "media-src": ["'self'", "blob:"],
    "object-src": ["'none'"],
    "base-uri": ["'none'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}
SECURE_SSL_REDIRECT = envbool("AIGAQ_SSL_REDIRECT", False)
if envbool("AIGAQ_BEHIND_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Background jobs and web capture (docs/jobs.md, docs/capture.md).
AIGAQ_WORKER = envbool("AIGAQ_WORKER", True)  # `aigaq serve` runs the job worker in a thread
AIGAQ_CAPTURE_MAX_BYTES = envint("AIGAQ_CAPTURE_MAX_BYTES", 2 * 1024**3)  # per response / video
AIGAQ_CAPTURE_CONNECT_TIMEOUT = envint("AIGAQ_CAPTURE_CONNECT_TIMEOUT", 15)  # seconds
AIGAQ_CAPTURE_READ_TIMEOUT = envint("AIGAQ_CAPTURE_READ_TIMEOUT", 60)  # seconds without a byte
AIGAQ_CAPTURE_TOTAL_TIMEOUT = envint("AIGAQ_CAPTURE_TOTAL_TIMEOUT", 6 * 3600)  # seconds per response
AIGAQ_CAPTURE_MAX_REQUISITES = envint("AIGAQ_CAPTURE_MAX_REQUISITES", 200)  # images, styles… per page
AIGAQ_CAPTURE_USER_AGENT = envstr("AIGAQ_CAPTURE_USER_AGENT", "Mozilla/5.0 (compatible; Aigaq-capture/0.1)")
AIGAQ_CAPTURE_BROWSER = envstr("AIGAQ_CAPTURE_BROWSER", "/usr/bin/chromium")  # screenshots; "" for none
AIGAQ_CAPTURE_VIDEO = envbool("AIGAQ_CAPTURE_VIDEO", True)  # use yt-dlp when it is installed
AIGAQ_RECHECK_HOURS = envint("AIGAQ_RECHECK_HOURS", 24)  # takedown watch: how often each URL is checked
AIGAQ_RECHECK_HOST_DELAY_MS = envint("AIGAQ_RECHECK_HOST_DELAY_MS", 2000)  # between requests to one host
AIGAQ_MAX_UPLOAD = envint("AIGAQ_MAX_UPLOAD", 20 * 1024**3)  # bytes per uploaded evidence file (streamed)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": envstr("AIGAQ_LOG_LEVEL", "WARNING")},
}
