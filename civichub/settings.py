"""civichub settings: one file, configured by environment variables (see README "Configuration")."""

import os
from pathlib import Path
from typing import Any

from django.utils.translation import gettext_lazy as _

from civichub.env import (
    ConfigurationError,
    env_bool,
    env_database,
    env_email,
    env_int,
    env_list,
    env_redis_url,
    env_str,
    env_time_zone,
)

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("CIVICHUB_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DEBUG", False)
# Test runs get fast hashing, immediate tasks and plain cookies; nothing else changes. pytest turns it on through
# its settings module, civichub/settings_test.py.
TESTING = env_bool("CIVICHUB_TESTING", False)
# Local mode (`make run`): the real site with DEBUG off, served over plain HTTP on this machine's loopback address:
# cookies without the Secure flag, no HTTPS redirect or HSTS, a secret key generated once into the var folder.
LOCAL = env_bool("CIVICHUB_LOCAL", False)
PORT = env_int("PORT", 8000, minimum=1, maximum=65535)
_INSECURE_DEV_KEY = "insecure-development-key-do-not-use-in-production-0123456789abcdef"


def _generated_secret_key(path: Path) -> str:
    """The key in ``path``, made once (owner-only permissions) and reused by every later start."""
    if not path.exists():
        import secrets

        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w") as handle:
            handle.write(secrets.token_urlsafe(64))
    return path.read_text().strip()


SECRET_KEY = env_str("SECRET_KEY", "")
if not SECRET_KEY and TESTING:
    SECRET_KEY = _INSECURE_DEV_KEY
elif not SECRET_KEY and (LOCAL or DEBUG):
    SECRET_KEY = _generated_secret_key(VAR_DIR / "secret_key")
if not SECRET_KEY:
    raise ConfigurationError(
        "SECRET_KEY must be set (a long random string), or run locally with CIVICHUB_LOCAL=true"
    )
if not (DEBUG or TESTING) and (SECRET_KEY == _INSECURE_DEV_KEY or len(SECRET_KEY) < 50):
    raise ConfigurationError("SECRET_KEY must be a random string of at least 50 characters when DEBUG is off")

_LOOPBACK = ["127.0.0.1", "localhost", "[::1]"]
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", _LOOPBACK if (DEBUG or TESTING or LOCAL) else [])
if not ALLOWED_HOSTS:
    raise ConfigurationError("ALLOWED_HOSTS must list the host names the site is served on when DEBUG is off")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
# Emails, QR codes, credential ids and key URLs point here; by default the port the site is served on.
SITE_URL = env_str("SITE_URL", f"http://127.0.0.1:{PORT}").rstrip("/")

INSTALLED_APPS = [
    "accounts.apps.CivicAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "django_tasks",
    "django_tasks_db",
    "csp",
    "core",
    "accounts",
    # Domain apps register themselves below as they land (learning, calls, credentials, community).
]
DOMAIN_APPS = [
    "learning",
    "calls",
    "credentials",
    "community",
    "awards",
    "workspace",
    "restapi",
    "events",
    "insights",
]
# CIVICHUB_APPS narrows the domains (e.g. "learning,credentials") to work on one in isolation.
_enabled = env_list("CIVICHUB_APPS", DOMAIN_APPS)
if set(_enabled) - set(DOMAIN_APPS) - {"none"}:
    raise ConfigurationError(f"CIVICHUB_APPS may list only {', '.join(DOMAIN_APPS)} or none, not {_enabled}")
INSTALLED_APPS += [app for app in DOMAIN_APPS if app in _enabled and (BASE_DIR / app / "apps.py").exists()]
# Benchmark code (data generators, the trivial view) is installed only when benchmarking: CIVICHUB_BENCH=true.
BENCHMARKING = env_bool("CIVICHUB_BENCH", False)
if BENCHMARKING:
    INSTALLED_APPS += ["benchmarks"]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Pages compressed for phones on slow connections (static files come pre-compressed from WhiteNoise, above).
    # Django's gzip pads each response against BREACH, and CSRF tokens are masked per response.
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Signing out wipes what this origin stored on the device (stored courses, answers waiting to sync).
    "core.pwa.ClearSiteDataOnSignOut",
    "accounts.middleware.ViewerMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # The policy is CONTENT_SECURITY_POLICY below; django-csp's decorators change it per view where needed.
    "csp.middleware.CSPMiddleware",
    "accounts.middleware.MFARequiredMiddleware",
]

ROOT_URLCONF = "civichub.urls"
WSGI_APPLICATION = "civichub.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "core.context_processors.site",
                "accounts.context_processors.viewer",
                # "My work" and the entries a person's roles open, in the header (when the workspace app is on).
                *(["workspace.context_processors.work_header"] if "workspace" in INSTALLED_APPS else []),
            ],
            "builtins": ["core.templatetags.core_tags"],
        },
    }
]

DATABASES = {"default": env_database("DATABASE_URL", str(VAR_DIR / "civichub.sqlite3"))}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

_redis = env_redis_url("REDIS_URL")
CACHES: dict[str, dict[str, Any]]
if _redis:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": _redis}}
else:
    # Per process. Django's default of 300 entries is less than one busy hour holds (rendered fragments, visitors'
    # pages): once full, every new entry evicts a third of the rest (docs/performance.md, fourth round).
    # 5,000 entries of a few KB each stay within tens of MB per worker.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "civichub",
            "OPTIONS": {"MAX_ENTRIES": 5000},
        }
    }
# Sessions live in the database so any web process can serve any request. Read through the cache only when the
# cache is shared (Redis): with the per-process cache, a session changed or ended in one worker stayed as it was in
# another worker's memory (a signed-out cookie still signed in there; the secret of an authenticator being set up
# missing from the session when the code was posted to the other worker).
SESSION_ENGINE = (
    "django.contrib.sessions.backends.cached_db" if _redis else "django.contrib.sessions.backends.db"
)

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",  # the admin's sign-in and force_login
    "allauth.account.auth_backends.AuthenticationBackend",  # sign-in through allauth's pages
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
if TESTING:
    # Argon2 is deliberately slow; tests create hundreds of users.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *PASSWORD_HASHERS]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
# After sign-in everyone lands on "my work" (the workspace app), when it is on.
LOGIN_REDIRECT_URL = "workspace:home" if "workspace" in INSTALLED_APPS else "home"

# django-allauth
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
# A person who signs up with an address that already has an account is told so plainly (rate limits
# below keep that from being used to enumerate accounts at scale).
ACCOUNT_PREVENT_ENUMERATION = False
ACCOUNT_SIGNUP_FORM_CLASS = "accounts.forms.SignupExtraForm"
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[civichub] "
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
ACCOUNT_RATE_LIMITS = {
    # Five failed logins for one account (or from one address) lock it out for 15 minutes: counted in the
    # database by accounts.adapter (allauth's cache counter would be per process without Redis).
    "login_failed": False,
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
}
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "http" if (DEBUG or LOCAL) else "https"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "civichub"

LANGUAGE_CODE = "ka"
LANGUAGES = [("ka", _("Georgian")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
# One date, time and number format per kind in both languages, 24-hour clock (civichub/formats, docs/glossary.md).
FORMAT_MODULE_PATH = ["civichub.formats"]
USE_TZ = True
TIME_ZONE = env_time_zone("TIME_ZONE", "Asia/Tbilisi")
LANGUAGE_COOKIE_SECURE = not (DEBUG or TESTING or LOCAL)
LANGUAGE_COOKIE_SAMESITE = "Lax"

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if TESTING or DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
if env_str("AWS_STORAGE_BUCKET_NAME", ""):
    STORAGES["default"] = {"BACKEND": "storages.backends.s3.S3Storage"}
WHITENOISE_USE_FINDERS = DEBUG or TESTING
WHITENOISE_MAX_AGE = 31536000 if not DEBUG else 0
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 5_242_880
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000
UPLOAD_MAX_BYTES = env_int("UPLOAD_MAX_BYTES", 10 * 1024 * 1024, minimum=1024)

_email = env_email("EMAIL_URL", str(VAR_DIR / "mail"))
globals().update(_email)
# Seconds to wait on the mail server at each step: a stalled server fails the send instead of holding a worker.
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 20, minimum=1, maximum=600)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "civichub <no-reply@civichub.ge>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
STAFF_NOTIFICATION_EMAIL = env_str("STAFF_NOTIFICATION_EMAIL", "programme@civichub.ge")

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
if TESTING:
    TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

# Security. Cookies are secure and HSTS is on whenever DEBUG is off, except in local mode (plain HTTP on loopback).
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "core.views.csrf_failure"
_secure = not (DEBUG or TESTING or LOCAL)
SESSION_COOKIE_SECURE = _secure
CSRF_COOKIE_SECURE = _secure
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", _secure)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_PROXY", False) else None
SECURE_HSTS_SECONDS = 31536000 if _secure else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = _secure
SECURE_HSTS_PRELOAD = _secure
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        # The service worker (/sw.js) and the web app manifest come from the site itself (core/pwa.py).
        "worker-src": ["'self'"],
        "manifest-src": ["'self'"],
        # Lesson videos load only after the learner asks, and only from these two players.
        "frame-src": ["https://www.youtube-nocookie.com", "https://player.vimeo.com"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # A client's mistake (3,000 form fields, an unreadable body, a bad Host) is a one-line warning, not an error
    # with a traceback.
    "filters": {"client_errors": {"()": "core.log_filters.ClientErrorsAsWarnings"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["client_errors"]}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}
