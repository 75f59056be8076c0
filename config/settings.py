"""Settings, read from the environment. Bad values stop start-up with a message that says what to fix."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r} is not a yes/no value: use 1 or 0 (true/false, yes/no, on/off).")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a whole number.") from None


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    return [part.strip() for part in raw.split(",") if part.strip()]


DEBUG = env_bool("DJANGO_DEBUG", False)
TESTING = os.environ.get("DJANGO_TESTING") == "1"
# Demo mode: `make run` sets it; it alone allows the demo accounts and console email.
DEMO = env_bool("DJANGO_DEMO", False)

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if DEBUG or DEMO or os.environ.get("DJANGO_TESTING") == "1":
        SECRET_KEY = "insecure-development-key-not-for-real-use-" + "x" * 20  # noqa: S105
    else:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off: use 50 or more random characters."
        )
elif len(SECRET_KEY) < 50 and not (DEBUG or DEMO):
    raise ImproperlyConfigured("DJANGO_SECRET_KEY is too short: use 50 or more random characters.")

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if (DEBUG or DEMO) else [])
if not ALLOWED_HOSTS and not os.environ.get("DJANGO_TESTING"):
    raise ImproperlyConfigured("DJANGO_ALLOWED_HOSTS must name the host(s) served, e.g. example.org.")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",  # Django's own widget templates, for FORM_RENDERER below
    "django_htmx",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "csp",
    # The project's apps, lowest layer first: an app imports only apps above it in this list
    # (tests/test_architecture.py checks), and retention runs them in reverse.
    "authorities",
    "catalogues",
    "assessments",
    "referrals",
    "escalation",
    "insight",  # dashboards for leads and partnerships from a pre-aggregated rollup (docs/insight.md)
    "api",  # the JSON API (docs/api.md): the top app, it may use every app below it
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "authorities.middleware.ActorMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "authorities.middleware.TwoFactorMiddleware",
    "authorities.middleware.SessionTimeoutMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "authorities.middleware.NoStoreMiddleware",
    "axes.middleware.AxesMiddleware",
]

# Forms render GOV.UK Frontend markup: templates/govuk/ (field, radios, checkboxes, date input) first,
# then Django's own widget templates. See core/forms.py.
FORM_RENDERER = "core.forms.GovukFormRenderer"

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
                "csp.context_processors.nonce",
                "config.navigation.navigation",
            ],
        },
    }
]

# Database: DATABASE_URL, else a SQLite file beside manage.py. SQLite, however it is named, is tuned
# for several users at once: WAL lets readers carry on while one writer writes; IMMEDIATE takes the
# write lock at the start of a transaction so concurrent writers wait instead of failing.
SQLITE_OPTIONS = {
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=20000; "
                    "PRAGMA foreign_keys=ON;",
}
DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    try:
        DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)}
    except ValueError as exc:
        raise ImproperlyConfigured(f"DATABASE_URL is not a database URL Django understands: {exc}") from None
else:
    # Kept open between requests, as PostgreSQL's are: opening one (its PRAGMAs, its functions) was a
    # quarter of a small signed-in request's time (docs/performance.md).
    DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3",
                             "NAME": os.environ.get("SQLITE_PATH", str(BASE_DIR / "demo.sqlite3")),
                             "CONN_MAX_AGE": 60, "CONN_HEALTH_CHECKS": True}}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    if TESTING:
        # A file, not Django's shared in-memory database: tests that race real threads against a live
        # server then meet SQLite's real locking (WAL, busy timeout), as the demo does.
        DATABASES["default"]["TEST"] = {"NAME": os.path.join(tempfile.gettempdir(), f"tds-test-{os.getpid()}.sqlite3")}
    DATABASES["default"]["OPTIONS"] = {**SQLITE_OPTIONS, **DATABASES["default"].get("OPTIONS", {})}
# A PostgreSQL read replica for the dashboards (config/db_router.py): the insight rollup is rebuilt nightly,
# so a replica's few seconds of lag never show. Everything else reads and writes the primary.
DATABASE_REPLICA_URL = os.environ.get("DATABASE_REPLICA_URL", "")
if DATABASE_REPLICA_URL:
    try:
        DATABASES["replica"] = dj_database_url.parse(DATABASE_REPLICA_URL, conn_max_age=60, conn_health_checks=True)
    except ValueError as exc:
        raise ImproperlyConfigured(f"DATABASE_REPLICA_URL is not a database URL Django understands: {exc}") from None
    # The tests run against one database: the replica is the primary there.
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["config.db_router.DashboardsFromTheReplica"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "authorities.backends.UserWithSeatsBackend",  # Django's ModelBackend, the user read with their seats
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Sessions: 15 minutes idle (enforced by SessionTimeoutMiddleware), 12 hours in all.
SESSION_IDLE_SECONDS = env_int("SESSION_IDLE_SECONDS", 15 * 60)
SESSION_ABSOLUTE_SECONDS = env_int("SESSION_ABSOLUTE_SECONDS", 12 * 60 * 60)
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_SECONDS
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"

# Two-factor sign-in (TOTP, with recovery codes) is required for these roles. Add "practitioner"
# to require it for everyone; `make run`'s demo turns it off so the demo accounts work at once.
# The roles of authorities.models.Role (settings load before the apps; a test keeps the two equal).
KNOWN_ROLES = ("practitioner", "safeguarding_lead", "catalogue_admin")
TWO_FACTOR_ROLES = env_list("DJANGO_2FA_ROLES", ["safeguarding_lead", "catalogue_admin"])
if os.environ.get("DJANGO_2FA_ROLES", None) == "none":
    TWO_FACTOR_ROLES = []
elif unknown_roles := sorted(set(TWO_FACTOR_ROLES) - set(KNOWN_ROLES)):
    # Fail closed: a typo must not silently switch two-factor off for a role.
    raise ImproperlyConfigured(
        f"DJANGO_2FA_ROLES names unknown role(s) {', '.join(unknown_roles)}: use a comma-separated list of "
        f"{', '.join(KNOWN_ROLES)}, or none.")
OTP_TOTP_ISSUER = "Threshold decision support"

# Login throttling: lock after 5 failures, generic message.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 1  # hours
# Lock the username *at an address* (an attacker locks themselves out, not the person whose name they
# guess, nor everyone behind the same proxy); authorities.views.SignInView also throttles each address.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "authorities.client_ip.client_ip"
# The reverse proxies whose X-Forwarded-For is believed (addresses or networks), e.g. "127.0.0.1".
TRUSTED_PROXIES = env_list("DJANGO_TRUSTED_PROXIES", [])
# The JSON API (docs/api.md): request bodies, lists and pages are bounded; public calls are limited per address
# (Django's cache: per process with the default local-memory cache, so the limit is per worker).
API_BODY_MAX_BYTES = 64 * 1024
API_TICKS_MAX = 500
API_PAGE_SIZE_MAX = 100
API_PUBLIC_REQUESTS_PER_MINUTE = env_int("API_PUBLIC_REQUESTS_PER_MINUTE", 120)
API_TOKEN_DAYS_MAX = 365
# A draft with this many characters of printed text (about 8 pages) is rendered in the background and
# offered for download when ready, instead of holding the request for the seconds its layout takes.
PDF_BACKGROUND_CHARS = env_int("PDF_BACKGROUND_CHARS", 20_000)
PDF_MAX_PAGES = 40  # a referral at every field's length limit prints in about 20
SIGN_IN_FAILURES_PER_ADDRESS = 50  # per 15 minutes, whatever the usernames: then "try again later"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False

SECURE = not (DEBUG or DEMO) and env_bool("DJANGO_SECURE", True)
SESSION_COOKIE_SECURE = SECURE
CSRF_COOKIE_SECURE = SECURE
# Behind the reverse proxy, which terminates TLS; tests talk plain HTTP to the test client.
SECURE_SSL_REDIRECT = SECURE and env_bool("DJANGO_SSL_REDIRECT", not TESTING)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if SECURE else None
SECURE_HSTS_SECONDS = 31536000 if SECURE else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE
SECURE_HSTS_PRELOAD = SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# Content Security Policy: everything from our own origin, no inline code.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'none'"],
        "object-src": ["'none'"],
    }
}

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = False
USE_TZ = True
DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y, H:i"

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
GOVUK_FRONTEND_DIR = BASE_DIR / "node_modules" / "govuk-frontend" / "dist" / "govuk"
STATICFILES_DIRS = [BASE_DIR / "static", ("govuk", GOVUK_FRONTEND_DIR)]
# GOV.UK Frontend's compiled CSS asks for its fonts and images at /assets/.
WHITENOISE_ROOT = GOVUK_FRONTEND_DIR
WHITENOISE_USE_FINDERS = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

EMAIL_BACKEND = os.environ.get(
    "DJANGO_EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if (DEBUG or DEMO)
    else "django.core.mail.backends.smtp.EmailBackend",
)
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "no-reply@threshold.invalid")
# The SMTP relay (used by the smtp backend only; Django's defaults otherwise).
EMAIL_HOST = os.environ.get("DJANGO_EMAIL_HOST", "") or "localhost"
EMAIL_PORT = env_int("DJANGO_EMAIL_PORT", 25)
if not 0 < EMAIL_PORT < 65536:
    raise ImproperlyConfigured(f"DJANGO_EMAIL_PORT={EMAIL_PORT} is not a port number (1-65535).")
EMAIL_USE_TLS = env_bool("DJANGO_EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("DJANGO_EMAIL_USE_SSL", False)
if EMAIL_USE_TLS and EMAIL_USE_SSL:
    raise ImproperlyConfigured("DJANGO_EMAIL_USE_TLS and DJANGO_EMAIL_USE_SSL are both on: choose one (TLS for "
                               "STARTTLS, usually port 587; SSL for implicit TLS, usually port 465).")
EMAIL_HOST_USER = os.environ.get("DJANGO_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("DJANGO_EMAIL_HOST_PASSWORD", "")
# Django waits for ever by default; a stalled relay must not hang a request or the cron job.
EMAIL_TIMEOUT = env_int("DJANGO_EMAIL_TIMEOUT", 10)
if EMAIL_TIMEOUT <= 0:
    raise ImproperlyConfigured(f"DJANGO_EMAIL_TIMEOUT={EMAIL_TIMEOUT} must be a number of seconds above 0.")
# One cache for every application server, so what it counts (the API's public rate limit) is counted across
# them all: a table in the database they already share (made by migrate: authorities/migrations/0007).
CACHES = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "threshold_cache"}}

# Background work (docs/adr/0009): Celery on RabbitMQ, with every task's state in the database
# (authorities.BackgroundTask). Without a broker (the SQLite demo, the tests) tasks run in-process at
# once, so `make run` needs nothing more; with one, start `celery -A config worker` and `celery -A config beat`.
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "")
if CELERY_BROKER_URL and not CELERY_BROKER_URL.startswith(("amqp://", "amqps://", "pyamqp://", "memory://")):
    raise ImproperlyConfigured(f"CELERY_BROKER_URL must be a RabbitMQ address (amqp:// or amqps://), not "
                               f"{CELERY_BROKER_URL.split(':', 1)[0]}://: the design relies on its durable queues.")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = False
# A message is acknowledged only once its task has finished, and put back if the worker dies mid-way;
# the task's key (BackgroundTask.key) makes the redelivery a no-op when the work had already been done.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_IGNORE_RESULT = True  # the outcome is in BackgroundTask, not a result backend
CELERY_TASK_DEFAULT_QUEUE = os.environ.get("CELERY_QUEUE", "threshold")  # one per deployment sharing a broker
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = "Europe/London"
# What runs on its own (celery beat). Cron calling the management commands does the same, without a broker.
CELERY_BEAT_SCHEDULE = {
    "escalation-reminders": {"task": "escalation.queue_reminders", "schedule": crontab(hour=7, minute=0, day_of_week="mon-fri")},
    "retention": {"task": "authorities.apply_retention", "schedule": crontab(hour=2, minute=0)},
    "insight": {"task": "insight.refresh", "schedule": crontab(hour=3, minute=0)},
    "stalled-tasks": {"task": "authorities.requeue_stalled", "schedule": crontab(minute="*/10")},
}

# Where the file email backend (django.core.mail.backends.filebased) writes: a staging server's outbox.
if os.environ.get("DJANGO_EMAIL_FILE_PATH"):
    EMAIL_FILE_PATH = os.environ["DJANGO_EMAIL_FILE_PATH"]
# The address people open, used in the links that notification emails carry.
SITE_URL = os.environ.get("SITE_URL", "")
if not SITE_URL:
    if DEBUG or DEMO or TESTING:
        SITE_URL = "http://127.0.0.1:8000"
    else:
        raise ImproperlyConfigured("SITE_URL must be set when DJANGO_DEBUG is off: the https:// address of the "
                                   "service, e.g. https://thresholds.example.org (emails link to it).")
elif not (DEBUG or DEMO or TESTING) and not SITE_URL.startswith("https://"):
    raise ImproperlyConfigured(f"SITE_URL={SITE_URL!r} must start with https:// when DJANGO_DEBUG is off.")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
    "loggers": {"django.request": {"level": "ERROR"}, "axes": {"level": "WARNING"},
                "weasyprint": {"level": "WARNING"}, "fontTools": {"level": "WARNING"},
                # A line per task that succeeded is noise; our own background.py logs every failure.
                "celery.app.trace": {"level": "WARNING"}},
}
