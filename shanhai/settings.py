"""Settings of the 山海协作 tracker.

Every value comes from an environment variable (README lists them). The embedded default —
no variable set — is SQLite and Celery tasks run in-process, so `make run` works on a bare
machine; DATABASE_URL and REDIS_URL switch the same code to PostgreSQL and a real broker.
"""

from __future__ import annotations

import datetime
import os
import secrets
from pathlib import Path

import dj_database_url
import django
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _lazy

from core.discovery import PROJECT_APPS

BASE_DIR = Path(__file__).resolve().parent.parent

# openpyxl parses through defusedxml only when it does not use lxml (which python-docx brings in):
# keep it on the defended parser. (Uploaded files are also refused before parsing when an XML part
# declares a document type or entities: core/officefiles.py.)
os.environ["OPENPYXL_LXML"] = "False"

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def envbool(name: str, default: bool) -> bool:
    """Read a boolean; anything but a recognised spelling stops the start."""
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r} is not a boolean (use 1/0, true/false, yes/no, on/off)")


def envint(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not an integer") from None


def envtime(name: str, default: str) -> tuple[int, int]:
    """ "HH:MM" → (hour, minute)."""
    raw = os.environ.get(name) or default
    try:
        hour, minute = (int(part) for part in raw.split(":"))
        if not (0 <= hour < 24 and 0 <= minute < 60):
            raise ValueError
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a time of day (use HH:MM, e.g. 08:30)") from None
    return hour, minute


def envlist(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [part.strip() for part in raw.split(",") if part.strip()]


# Three ways to run, told apart by DEBUG:
# - DEBUG=1: a developer's machine — Django's debug pages, the benchmark app, e-mail on the console.
# - unset: the embedded default `make run` serves — no debug pages (an error is a plain 500 page),
#   plain HTTP on this machine, a secret key generated once into .secret_key, static files served
#   by whitenoise straight from the app folders, e-mail on the console.
# - DEBUG=0: production behind a TLS proxy — a real SECRET_KEY, secure cookies, HSTS, collected
#   static files with hashed names.
DEBUG = envbool("DEBUG", False)
PRODUCTION = not DEBUG and os.environ.get("DEBUG", "").strip() != ""

_DEV_SECRET = "django-insecure-shanhai-development-only-never-use-in-production"
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if PRODUCTION and (
    not SECRET_KEY
    or SECRET_KEY.startswith("django-insecure")
    or len(SECRET_KEY) < 50
    or len(set(SECRET_KEY)) < 5
):
    # Refuse to run in production with a missing or guessable key (Django's own W009 rule).
    raise ImproperlyConfigured(
        "DEBUG=0 needs a real SECRET_KEY: at least 50 characters, 5 distinct, not 'django-insecure…'. "
        'Generate one with: python -c "import secrets; print(secrets.token_urlsafe(64))"'
    )


def _local_secret_key(path: Path) -> str:
    """The embedded default's key: made once per checkout, kept beside the code (never in git).

    Not the public development key: a session signed with that one could be forged by anybody
    who reads the source. Written whole to a file of its own, then linked into place, so that
    processes starting together all read the one key that won.
    """
    try:
        return _read_key(path)
    except (FileNotFoundError, ValueError):
        pass
    key = secrets.token_urlsafe(64)
    draft = path.with_name(f"{path.name}.{os.getpid()}")
    try:
        fd = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(key + "\n")
        try:
            os.link(draft, path)
        except FileExistsError:
            key = _read_key(path)
        finally:
            draft.unlink(missing_ok=True)
    except (OSError, ValueError):  # a read-only checkout, or a damaged file: a key for this process
        pass
    return key


def _read_key(path: Path) -> str:
    key = path.read_text().strip()
    if len(key) < 50:
        raise ValueError(f"{path} holds no usable key")
    return key


if not SECRET_KEY:
    SECRET_KEY = _DEV_SECRET if DEBUG else _local_secret_key(BASE_DIR / ".secret_key")

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "axes",
    # The platform every project app stands on (imports none of them), then the project apps in
    # dependency order: core/discovery.py holds their one list, and load_demo follows it.
    "core",
    *PROJECT_APPS,
    # The benchmark and the scale seed: for developers (DEBUG=1) and `make bench`, not production.
    *(["benchmarks"] if envbool("BENCHMARKS", DEBUG) else []),
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # Before anything reads the body: an oversized upload gets a 413 in the user's language.
    "core.middleware.UploadLimitMiddleware",
    # Django's, except that a write to a URL without its trailing slash is a 404, never a 500.
    "core.middleware.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Cache-Control: private, no-store on a signed-in user's pages and on every API answer.
    "core.middleware.PrivateAnswersMiddleware",
    # GET/HEAD: the user's pairings read once for every scoped query of the request.
    "cooperation.middleware.ReadScopeMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Puts request.user on every history row written during the request.
    "simple_history.middleware.HistoryRequestMiddleware",
    # Refuses logins to a locked user name (after the authentication middleware, as axes requires).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "shanhai.urls"
WSGI_APPLICATION = "shanhai.wsgi.application"

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
                "core.context_processors.navigation",
                "reminders.context_processors.bell",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=envint("CONN_MAX_AGE", 60))}
    # A connection closed by a PostgreSQL restart is dropped and reopened on the next request.
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": os.environ.get("SQLITE_PATH", str(BASE_DIR / "db.sqlite3")),
            "OPTIONS": {"timeout": 20},
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "cooperation.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    # First: counts failed logins (pages and the API's token login) and refuses a locked user name.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Lock a user name from one address: five failures from anywhere else do not lock the user out (a
# stranger who knows his name cannot shut him out for 15 minutes), and a guesser is still bounded to
# five tries per name per address. Not by address alone: a county office shares one address, and one
# person's mistyped password must not lock out the office.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_FAILURE_LIMIT = envint("LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=envint("LOGIN_COOLOFF_MINUTES", 15))
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False
# Behind PROXY_COUNT reverse proxies the client's address is read from X-Forwarded-For (core/clientip.py).
PROXY_COUNT = envint("PROXY_COUNT", 0)
AXES_CLIENT_IP_CALLABLE = "core.clientip.client_ip"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# --- Language and time ----------------------------------------------------------------------
LANGUAGE_CODE = os.environ.get("LANGUAGE_CODE", "zh-hans")
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = os.environ.get("TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

# --- Static and uploaded files --------------------------------------------------------------
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
MEDIA_URL = "/media/"  # never served directly: evidence files go through permission-checked views
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# Without collectstatic (DEBUG=1 and the embedded default), whitenoise serves the files straight
# from the app folders; runserver's own static handler is off (whitenoise.runserver_nostatic).
WHITENOISE_USE_FINDERS = not PRODUCTION
# Largest accepted upload, enforced by our own views (Django has no limit on file uploads).
UPLOAD_MAX_BYTES = envint("UPLOAD_MAX_MB", 10) * 1024 * 1024

# --- Cache, Celery --------------------------------------------------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# The dashboards' figures are kept in the cache until the next write they depend on (core/freshness.py).
FIGURES_CACHE = envbool("FIGURES_CACHE", True)

CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or None
# Without a broker the tasks run in-process, so the embedded default needs no Redis.
CELERY_TASK_ALWAYS_EAGER = envbool("CELERY_TASK_ALWAYS_EAGER", not REDIS_URL)
CELERY_TASK_EAGER_PROPAGATES = True
# A worker killed mid-task must not lose it: acknowledge late and re-deliver on worker loss.
# Delivery is then at-least-once; exactly-once effects come from ledgers in the database.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": envint("CELERY_VISIBILITY_TIMEOUT", 3600),
    # How often (in restore intervals) unacknowledged tasks of a dead worker are put back.
    "unacked_restore_throttle": envint("CELERY_UNACKED_RESTORE_THROTTLE", 10),
}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
_SWEEP_HOUR, _SWEEP_MINUTE = envtime("REMINDER_SWEEP_AT", "08:30")
CELERY_BEAT_SCHEDULE = {
    # The daily sweep of every deadline; a missed day is caught up by the next run.
    "reminders-sweep": {
        "task": "reminders.sweep",
        "schedule": crontab(hour=_SWEEP_HOUR, minute=_SWEEP_MINUTE),
    },
    # The new year's periods and fund commitments of open-ended work, before the sweep chases them.
    "funds-open-year": {"task": "funds.open_year", "schedule": crontab(hour=0, minute=10)},
    # Retries of e-mails and webhooks that failed (backoff is decided per message).
    "reminders-deliver": {"task": "reminders.deliver", "schedule": 300.0},
    # Exports asked for while Redis was down, or whose message Redis lost: queued again.
    "assessment-requeue-exports": {"task": "assessment.requeue_exports", "schedule": 60.0},
}
# An export whose heartbeat (updated at every sheet) stopped this long lost its worker: it is queued
# again by assessment.requeue_exports (failed after three starts). Longer than the slowest sheet.
ASSESSMENT_EXPORT_HEARTBEAT_MINUTES = envint("ASSESSMENT_EXPORT_HEARTBEAT_MINUTES", 10)

# --- E-mail ---------------------------------------------------------------------------------
_EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if PRODUCTION
    else "django.core.mail.backends.console.EmailBackend",
)
_EMAIL_OPTIONS = {
    "host": os.environ.get("EMAIL_HOST", "localhost"),
    "port": envint("EMAIL_PORT", 25),
    "username": os.environ.get("EMAIL_HOST_USER", ""),
    "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
    "use_tls": envbool("EMAIL_USE_TLS", False),
    "use_ssl": envbool("EMAIL_USE_SSL", False),
    "timeout": envint("EMAIL_TIMEOUT", 20),
}
if django.VERSION >= (6, 1):
    # Django 6.1 replaced the EMAIL_* settings by MAILERS; the environment variables stay the same.
    MAILERS = {
        "default": {
            "BACKEND": _EMAIL_BACKEND,
            "OPTIONS": _EMAIL_OPTIONS if _EMAIL_BACKEND.endswith("smtp.EmailBackend") else {},
        }
    }
else:
    EMAIL_BACKEND = _EMAIL_BACKEND
    EMAIL_HOST = _EMAIL_OPTIONS["host"]
    EMAIL_PORT = _EMAIL_OPTIONS["port"]
    EMAIL_HOST_USER = _EMAIL_OPTIONS["username"]
    EMAIL_HOST_PASSWORD = _EMAIL_OPTIONS["password"]
    EMAIL_USE_TLS = _EMAIL_OPTIONS["use_tls"]
    EMAIL_USE_SSL = _EMAIL_OPTIONS["use_ssl"]
    EMAIL_TIMEOUT = _EMAIL_OPTIONS["timeout"]
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "山海协作工作台 <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Base of the links in e-mails and webhooks (jobs have no request to take it from).
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# --- Sessions and security ------------------------------------------------------------------
# A working day, not Django's two weeks: offices share machines.
SESSION_COOKIE_AGE = envint("SESSION_COOKIE_AGE", 9 * 3600)
SESSION_COOKIE_HTTPONLY = True
# An API token lasts as long as a session (seconds); a new login replaces it, a new password ends it.
API_TOKEN_MAX_AGE = envint("API_TOKEN_MAX_AGE", SESSION_COOKIE_AGE)
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = False  # the pages' scripts read it for their POSTs
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if PRODUCTION:
    # TLS is terminated by the reverse proxy in front of gunicorn (README, Deployment).
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", True)

# Content security policy: every script and style comes from this server as a file — no inline
# <script>, no on…= handlers, no style="…" (templates pass data with json_script or data-…).
# It is on in development too, so a violation shows up (and fails tests/browser/test_security_csp.py)
# before it reaches production. Django 6.1 builds the header; on Django 5.2 (Python 3.11) the module
# does not exist and the app starts without the header (the reverse proxy can add the same policy).
try:
    from django.utils.csp import CSP
except ImportError:  # Django < 6.0
    CSP = None
if CSP is not None:
    MIDDLEWARE.insert(
        MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1,
        "django.middleware.csp.ContentSecurityPolicyMiddleware",
    )
    SECURE_CSP = {
        "default-src": [CSP.SELF],
        "script-src": [CSP.SELF],
        "style-src": [CSP.SELF],
        # data: for the small SVG icons Swagger UI's stylesheet embeds.
        "img-src": [CSP.SELF, "data:"],
        "font-src": [CSP.SELF],
        "connect-src": [CSP.SELF],
        "object-src": [CSP.NONE],
        "base-uri": [CSP.SELF],
        "form-action": [CSP.SELF],
        "frame-ancestors": [CSP.NONE],
    }

# --- REST framework and OpenAPI -------------------------------------------------------------
# A filter select left empty filters nothing: say so ("全部"), not django-filter's "---------".
FILTERS_EMPTY_CHOICE_LABEL = _lazy("全部")

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        # DRF's token, which expires after API_TOKEN_MAX_AGE and is replaced at every login.
        "core.api.tokens.ExpiringTokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["core.api.permissions.ScopedPermission"],
    # The browsable API's HTML pages and forms are a developer's tool: served only under DEBUG.
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "core.api.negotiation.DebugOnlyBrowsableAPI",
    # DRF's parsers, with JSON nesting bounded (a deeply nested body is a 400, not a RecursionError).
    "DEFAULT_PARSER_CLASSES": [
        "core.api.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "core.api.exceptions.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "山海协作工作台 API",
    "DESCRIPTION": "结对关系、任务、资金、园区与考核。Session 或 Token 认证（Authorization: Token …）。",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI and Redoc from the sidecar package: the docs page loads nothing from the internet.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
}

# --- History --------------------------------------------------------------------------------
SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
