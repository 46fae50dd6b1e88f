"""Django settings, read from the environment so one build serves development, tests and production."""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from federage.core.site import default_allowed_hosts, site_url

PACKAGE_DIR = Path(__file__).resolve().parent
BASE_DIR = Path(os.environ.get("FEDERAGE_HOME", Path.cwd()))
VAR_DIR = Path(os.environ.get("FEDERAGE_VAR", BASE_DIR / "var"))

DEBUG = os.environ.get("FEDERAGE_DEBUG", "0") == "1"
SECRET_KEY = os.environ.get("FEDERAGE_SECRET_KEY", "")
if not SECRET_KEY:
    # Development and tests only: a production deployment sets FEDERAGE_SECRET_KEY.
    SECRET_KEY = "dev-insecure-" + "federage-not-for-production"
ALLOWED_HOSTS = (
    os.environ["FEDERAGE_ALLOWED_HOSTS"].split(",")
    if os.environ.get("FEDERAGE_ALLOWED_HOSTS")
    else default_allowed_hosts(os.environ)
)
CSRF_TRUSTED_ORIGINS = [
    origin for origin in os.environ.get("FEDERAGE_CSRF_TRUSTED_ORIGINS", "").split(",") if origin
]
# Links in e-mails and invitations: FEDERAGE_SITE_URL, else the address `federage serve` listens on
# (FEDERAGE_HOST/FEDERAGE_PORT, which the command exports; a wildcard host reads as loopback).
SITE_URL = site_url(os.environ)

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.admin",
    "django_tasks",
    "django_tasks_db",
    "federage.core",
    "federage.accounts",
    "federage.agents",
    "federage.commons",
    "federage.ledger",
    "federage.governance",
    "federage.titles",
    "federage.contributions",
    "federage.resources",
    "federage.impact",
    "federage.funding",
    "federage.federation",
    "federage.legal",
    "federage.opendata",
    "federage.privacy",
    "federage.live",
    "federage.sync",
    "federage.webapp",
    "federage.demo",
    "federage.jobs",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Content-Security-Policy (no inline script, no framing) on every answer, files included.
    "federage.core.middleware.SecurityHeadersMiddleware",
    # A control character (NUL included) in a path or query: 400 before anything reads it.
    "federage.core.middleware.SafeTextMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Rate limit, ETag and Cache-Control of /api/v1/public/ (see opendata/middleware.py).
    "federage.opendata.middleware.PublicApiMiddleware",
]

ROOT_URLCONF = "federage.urls"
ASGI_APPLICATION = "federage.asgi.application"
WSGI_APPLICATION = "federage.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ]
        },
    }
]


def _sqlite_synchronous(value: str) -> str:
    """The SQLite synchronous level from the environment: FULL (default), NORMAL or EXTRA."""
    level = value.strip().upper()
    if level not in {"FULL", "NORMAL", "EXTRA"}:
        raise ImproperlyConfigured(
            f"FEDERAGE_SQLITE_SYNCHRONOUS must be FULL, NORMAL or EXTRA, not {value!r}"
        )
    return level


def _database_from_environment() -> dict:
    url = os.environ.get("DATABASE_URL", "")
    if url:
        config = dj_database_url.parse(url)
        if config["ENGINE"] == "django.db.backends.postgresql":
            # A pool per worker process: uvicorn serves sync views from many threads, and one
            # persistent connection per thread exhausts the server's connections under load.
            options = config.setdefault("OPTIONS", {})
            options["pool"] = {
                "min_size": 2,
                "max_size": int(os.environ.get("FEDERAGE_DB_POOL_SIZE", "10")),
            }
            # Parameters bound by the server, so a query run 5 times on a connection is prepared:
            # planning a write path's joins cost more than running them (bench/offline_flush).
            # Behind a transaction-mode pgbouncer, set FEDERAGE_DB_PREPARE_THRESHOLD=off.
            threshold = os.environ.get("FEDERAGE_DB_PREPARE_THRESHOLD", "5")
            options["server_side_binding"] = True
            options["prepare_threshold"] = None if threshold == "off" else int(threshold)
            config.setdefault("TEST", {})["NAME"] = os.environ.get(
                "FEDERAGE_TEST_DB_NAME", f"test_{config['NAME']}_{os.getpid()}"
            )
        return config
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": os.environ.get("FEDERAGE_SQLITE_PATH", str(VAR_DIR / "federage.sqlite3")),
        # Writers take the lock at BEGIN: a deferred BEGIN that upgrades later fails
        # with "database is locked" under concurrent writes (research/stack.md §1).
        "OPTIONS": {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            # FULL: a command acknowledged to a member is on disk even after a power loss (WAL
            # with NORMAL may lose the last commits). Books are worth an fsync per commit; an
            # instance that accepts the risk sets FEDERAGE_SQLITE_SYNCHRONOUS=NORMAL.
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous="
                + _sqlite_synchronous(os.environ.get("FEDERAGE_SQLITE_SYNCHRONOUS", "FULL"))
                + ";"
            ),
        },
        # A file, not memory: concurrency tests need real WAL locking across threads.
        "TEST": {
            "NAME": os.environ.get(
                "FEDERAGE_TEST_SQLITE_PATH", str(VAR_DIR / f"test-{os.getpid()}.sqlite3")
            )
        },
    }


DATABASES = {"default": _database_from_environment()}

# Time-driven work (votes closing at their deadline, effects re-run, redemptions whose notice ran)
# is queued in the database, in the transaction that makes it due, and run by `federage worker`.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
# How often the worker sweeps for due work a lost or late task would have missed.
WORKER_SWEEP_SECONDS = int(os.environ.get("FEDERAGE_WORKER_SWEEP_SECONDS", "30"))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
# Passwords (log-in), then personal API tokens (`Authorization: Bearer`, see core/http.py).
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "federage.accounts.backends.ApiTokenBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
        "OPTIONS": {"user_attributes": ("email", "display_name")},
    },
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = os.environ.get("FEDERAGE_SECURE_COOKIES", "0") == "1"
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
# Served over HTTPS, browsers are told to come back over HTTPS only for a year (Django sends it
# on secure requests only). Behind a proxy that ends TLS, set FEDERAGE_PROXY_HTTPS=1 so that
# its X-Forwarded-Proto says which requests were secure.
SECURE_HSTS_SECONDS = 365 * 24 * 3600
SECURE_HSTS_INCLUDE_SUBDOMAINS = False
if os.environ.get("FEDERAGE_PROXY_HTTPS", "0") == "1":
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CSRF_COOKIE_SAMESITE = "Lax"

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français"), ("en", "English")]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
WEBAPP_DIST = PACKAGE_DIR / "webapp" / "dist"
WHITENOISE_ROOT = WEBAPP_DIST
WHITENOISE_MIMETYPES = {".webmanifest": "application/manifest+json"}
WHITENOISE_USE_FINDERS = True

EMAIL_BACKEND = os.environ.get(
    "FEDERAGE_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
EMAIL_HOST = os.environ.get("FEDERAGE_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("FEDERAGE_EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("FEDERAGE_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("FEDERAGE_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("FEDERAGE_EMAIL_TLS", "0") == "1"
DEFAULT_FROM_EMAIL = os.environ.get("FEDERAGE_EMAIL_FROM", "Federage <noreply@federage.localhost>")

# Login throttling: at most this many failures per email or per address in the window.
LOGIN_FAILURES_MAX = int(os.environ.get("FEDERAGE_LOGIN_FAILURES_MAX", "5"))
LOGIN_FAILURES_WINDOW_SECONDS = 15 * 60
INVITATION_VALIDITY_DAYS = 14
EMAIL_TOKEN_VALIDITY_SECONDS = 3 * 24 * 3600

# The public company directory (API Recherche d'entreprises, no key) that pre-fills organisations.
DIRECTORY_URL = os.environ.get(
    "FEDERAGE_DIRECTORY_URL", "https://recherche-entreprises.api.gouv.fr"
).rstrip("/")
DIRECTORY_TIMEOUT_SECONDS = float(os.environ.get("FEDERAGE_DIRECTORY_TIMEOUT", "5"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("FEDERAGE_LOG_LEVEL", "WARNING")},
}
