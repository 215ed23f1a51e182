"""The one settings module: every deployment difference comes from the environment."""

from __future__ import annotations

import os
import re
from datetime import timedelta
from pathlib import Path

import dj_database_url
import django_stubs_ext
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from healthtrainer.config.env import env_bool, env_int, env_list, env_str

# Lets runtime code subscript Django generics (ModelForm[Model]) as the type checker does.
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent.parent.parent
PACKAGE_DIR = BASE_DIR / "healthtrainer"

DEBUG = env_bool("DEBUG", default=False)

if DEBUG:
    SECRET_KEY = env_str("SECRET_KEY", default="insecure-development-key-never-used-in-production")
else:
    SECRET_KEY = env_str("SECRET_KEY")
    if len(SECRET_KEY) < 50 or SECRET_KEY.startswith("django-insecure"):
        raise ImproperlyConfigured("SECRET_KEY must be at least 50 random characters.")

# Keys the pseudonyms of research exports (evaluation/pseudonyms.py). Kept apart from
# SECRET_KEY so that rotating that key does not change every pseudonym. Without it the
# research export is unavailable, outside debug mode.
PSEUDONYMISATION_KEY = env_str(
    "PSEUDONYMISATION_KEY",
    default="insecure-development-pseudonymisation-key" if DEBUG else "",
)

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])

# Two-factor sign-in is on unless a deployment turns it off on purpose (the demo does).
REQUIRE_MFA = env_bool("REQUIRE_MFA", default=True)

# Demo data with published passwords may only be loaded where this is set.
DEMO_MODE = env_bool("DEMO_MODE", default=DEBUG)

SERVICE_NAME = "Health Trainer for chronic pain"

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "csp",
    "rules",
    "healthtrainer.core",
    "healthtrainer.notifications",
    "healthtrainer.programmes",
    "healthtrainer.deprivation",
    "healthtrainer.accounts",
    "healthtrainer.background",
    "healthtrainer.clients",
    "healthtrainer.referrals",
    "healthtrainer.casework",
    "healthtrainer.measures",
    "healthtrainer.workforce",
    "healthtrainer.qualitative",
    "healthtrainer.companion",
    "healthtrainer.interop",
    "healthtrainer.evaluation",
    "healthtrainer.network",
    "healthtrainer.imports",
    "healthtrainer.api",
    "healthtrainer.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "healthtrainer.core.middleware.RefuseNulCharacters",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "healthtrainer.accounts.middleware.TwoFactorRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "healthtrainer.config.urls"
CSRF_FAILURE_VIEW = "healthtrainer.core.errors.form_expired"
WSGI_APPLICATION = "healthtrainer.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": False,
        "OPTIONS": {
            "environment": "healthtrainer.config.jinja2.environment",
            "context_processors": ["healthtrainer.accounts.navigation.navigation"],
        },
    },
]

# Background work (ADR 30): Django's tasks framework with its database backend, run by
# `manage.py db_worker` (`make run` starts one beside the web server).
TASKS = {
    "default": {
        "BACKEND": env_str("TASKS_BACKEND", default="django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}
# A job still waiting or running this long after it was started is taken to have stopped
# (its worker killed) and marked failed.
BACKGROUND_JOB_TIMEOUT = timedelta(minutes=env_int("BACKGROUND_JOB_TIMEOUT_MINUTES", default=120))
# Work above these sizes leaves the request for a background task: an uploaded workbook
# larger than this is checked in the background, and a report download, export or PDF
# of a period with more referrals than this is built there.
IN_REQUEST_MAX_UPLOAD_BYTES = env_int("IN_REQUEST_MAX_UPLOAD_BYTES", default=1024 * 1024)
IN_REQUEST_MAX_REFERRALS = env_int("IN_REQUEST_MAX_REFERRALS", default=2000)
# The largest deprivation or postcode file an administrator may upload (a .csv, or a .zip
# holding one); the full ONS Postcode Directory is larger, and is loaded from the command
# line (`manage.py import_deprivation`).
REFERENCE_UPLOAD_MAX_BYTES = env_int("REFERENCE_UPLOAD_MAX_BYTES", default=200 * 1024 * 1024)
# Days a finished job's file (an export, a report) is kept for its download.
BACKGROUND_FILE_DAYS = env_int("BACKGROUND_FILE_DAYS", default=7)
# What `manage.py run_scheduler` queues, and how often (seconds).
PERIODIC_TASKS = [
    ("healthtrainer.background.tasks.fail_stalled_jobs", 5 * 60),
    ("healthtrainer.background.tasks.purge_old_files", 24 * 60 * 60),
    ("healthtrainer.casework.tasks.send_reminders", 5 * 60),
    ("healthtrainer.companion.tasks.prompt_check_ins", 60 * 60),
    ("healthtrainer.companion.tasks.fetch_text_replies", 5 * 60),
    ("healthtrainer.imports.tasks.purge_stale_uploads", 24 * 60 * 60),
    ("healthtrainer.deprivation.tasks.purge_stale_uploads", 24 * 60 * 60),
    ("healthtrainer.measures.tasks.purge_expired_links", 24 * 60 * 60),
    ("healthtrainer.network.tasks.refresh_published_figures", 60 * 60),
]

_EMBEDDED_DATABASE = BASE_DIR / "var" / "db.sqlite3"
if "DATABASE_URL" not in os.environ:
    _EMBEDDED_DATABASE.parent.mkdir(exist_ok=True)
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", default=f"sqlite:///{_EMBEDDED_DATABASE}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", default=0),
    )
}
# The embedded database takes concurrent writers in turn rather than failing them: WAL lets
# readers go on while one writes, a write transaction takes its lock when it begins (so two
# cannot both read and then both fail to upgrade), and a writer waits for the lock rather
# than answering "database is locked".
SQLITE_OPTIONS = {
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
    "transaction_mode": "IMMEDIATE",
    "timeout": env_int("SQLITE_BUSY_TIMEOUT", default=20),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(SQLITE_OPTIONS)
# PostgreSQL planner settings for every connection (ADR 23): no JIT, whose compile time
# dwarfs the report's queries, and random reads priced for SSD or a cached database.
POSTGRES_OPTIONS = env_str("POSTGRES_OPTIONS", default="-c jit=off -c random_page_cost=1.1")
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and POSTGRES_OPTIONS:
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = POSTGRES_OPTIONS
# A streaming replica for reports and exports (docs/deployment.md); writes never go there.
if env_str("REPORTS_DATABASE_URL", default=""):
    DATABASES["reports"] = dj_database_url.parse(
        env_str("REPORTS_DATABASE_URL"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", default=0),
    )
    DATABASES["reports"]["TEST"] = {"MIRROR": "default"}
    if POSTGRES_OPTIONS:
        DATABASES["reports"].setdefault("OPTIONS", {})["options"] = POSTGRES_OPTIONS
DATABASE_ROUTERS = ["healthtrainer.core.routing.ReportsRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:sign_in"
LOGIN_REDIRECT_URL = "accounts:home"

# Sessions end after 30 idle minutes: every request pushes the expiry forward.
SESSION_COOKIE_AGE = 30 * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LOCKOUT_MINUTES", default=30))
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_USERNAME_CALLABLE = "healthtrainer.accounts.views.sign_in.lockout_key"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "healthtrainer.accounts.views.sign_in.locked_out"
AXES_VERBOSE = False
# Lock the account, not the address: practices and trusts share one outgoing address,
# and a lock on it would shut out every colleague after one person's mistakes.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]

OTP_TOTP_ISSUER = SERVICE_NAME
# A password reset link works once, for an hour.
PASSWORD_RESET_TIMEOUT = 60 * 60

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CSRF_COOKIE_HTTPONLY = True
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", default=[])

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
# Staff pages are in English only. A client reads their companion in English or Welsh, as
# they choose on its pages (companion/language.py); nothing else changes language.
USE_I18N = True
LANGUAGES = [("en-gb", "English"), ("cy", "Cymraeg")]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [
    PACKAGE_DIR / "static",
    BASE_DIR / "build" / "static",
    ("nhsuk", BASE_DIR / "node_modules" / "nhsuk-frontend" / "dist" / "nhsuk"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if env_bool("STATIC_MANIFEST", default=not DEBUG)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    default=(
        "django.core.mail.backends.console.EmailBackend"
        if DEBUG
        else "django.core.mail.backends.smtp.EmailBackend"
    ),
)
EMAIL_HOST = env_str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env_int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", default="no-reply@healthtrainer.invalid")

# Invitation links stay valid for this many days, then must be sent again.
INVITATION_VALID_DAYS = env_int("INVITATION_VALID_DAYS", default=7)

# Programme workbooks: larger files are refused before they are read. An upload waits in
# a private folder, never under static files, between checking and importing.
IMPORT_MAX_BYTES = env_int("IMPORT_MAX_BYTES", default=20 * 1024 * 1024)
# `manage.py import_programme` streams a file from disk, so it may take far larger ones.
IMPORT_COMMAND_MAX_BYTES = env_int("IMPORT_COMMAND_MAX_BYTES", default=2 * 1024**3)

# Reminders to clients go through GOV.UK Notify, or into the outbox table (development and
# tests), which stores each message and sends nothing. See docs/reminders.md.
NOTIFIER = env_str("NOTIFIER", default="outbox")
if NOTIFIER not in ("outbox", "govuk_notify"):
    raise ImproperlyConfigured(f"NOTIFIER must be outbox or govuk_notify, not {NOTIFIER!r}.")
NOTIFY_API_KEY = env_str("NOTIFY_API_KEY", default="")
# The service's address as clients reach it, for links in messages sent without a request.
SERVICE_URL = env_str("SERVICE_URL", default="http://127.0.0.1:8000" if DEBUG else "")
# Each logical template has one Notify template per channel; the wording is edited in Notify.
_NOTIFY_TEMPLATE_VARIABLES = {
    "appointment_reminder": {
        "sms": "NOTIFY_TEMPLATE_APPOINTMENT_REMINDER_SMS",
        "email": "NOTIFY_TEMPLATE_APPOINTMENT_REMINDER_EMAIL",
    },
    "follow_up_reminder": {
        "sms": "NOTIFY_TEMPLATE_FOLLOW_UP_REMINDER_SMS",
        "email": "NOTIFY_TEMPLATE_FOLLOW_UP_REMINDER_EMAIL",
    },
    # A client invited to their companion: ((service)), ((trainer)) and ((link)).
    "companion_invitation": {
        "sms": "NOTIFY_TEMPLATE_COMPANION_INVITATION_SMS",
        "email": "NOTIFY_TEMPLATE_COMPANION_INVITATION_EMAIL",
    },
    # A companion sign-in code: ((service)), ((code)) and ((minutes)).
    "companion_sign_in_code": {
        "sms": "NOTIFY_TEMPLATE_COMPANION_SIGN_IN_CODE_SMS",
        "email": "NOTIFY_TEMPLATE_COMPANION_SIGN_IN_CODE_EMAIL",
    },
    # A weekly or monthly "how is it going?" to open the companion: ((service)), ((link)).
    "companion_check_in_prompt": {
        "sms": "NOTIFY_TEMPLATE_COMPANION_CHECK_IN_PROMPT_SMS",
        "email": "NOTIFY_TEMPLATE_COMPANION_CHECK_IN_PROMPT_EMAIL",
    },
    # One check-in question answered by number: ((service)), ((question)).
    "companion_check_in_question": {"sms": "NOTIFY_TEMPLATE_COMPANION_CHECK_IN_QUESTION_SMS"},
    # The answer to a reply that is not a number: ((service)), ((help)).
    "companion_check_in_not_understood": {
        "sms": "NOTIFY_TEMPLATE_COMPANION_CHECK_IN_NOT_UNDERSTOOD_SMS"
    },
    # Staff password resets: ((name)), ((service)), ((link)) and ((expires)).
    "password_reset": {"email": "NOTIFY_TEMPLATE_PASSWORD_RESET_EMAIL"},
}
NOTIFY_TEMPLATES = {
    template: {channel: env_str(variable, default="") for channel, variable in channels.items()}
    for template, channels in _NOTIFY_TEMPLATE_VARIABLES.items()
}
if NOTIFIER == "govuk_notify":
    _UUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
    # A Notify key is "<name>-<service id>-<secret>"; a truncated one would otherwise
    # surface only as refused sends.
    if not NOTIFY_API_KEY:
        raise ImproperlyConfigured("NOTIFY_API_KEY is required when NOTIFIER is govuk_notify.")
    if not re.fullmatch(f".+-{_UUID}-{_UUID}", NOTIFY_API_KEY, flags=re.IGNORECASE):
        raise ImproperlyConfigured("NOTIFY_API_KEY is not a GOV.UK Notify API key.")
    if not re.fullmatch(r"https?://[^/\s]+/?", SERVICE_URL):
        raise ImproperlyConfigured(
            "SERVICE_URL (e.g. https://healthtrainer.example.nhs.uk) is required when "
            "NOTIFIER is govuk_notify: messages link to it."
        )
    for _template, _channels in _NOTIFY_TEMPLATE_VARIABLES.items():
        for _channel, _variable in _channels.items():
            _template_id = NOTIFY_TEMPLATES[_template][_channel]
            if not _template_id:
                raise ImproperlyConfigured(
                    f"{_variable} is required when NOTIFIER is govuk_notify."
                )
            if not re.fullmatch(_UUID, _template_id, flags=re.IGNORECASE):
                raise ImproperlyConfigured(f"{_variable} must be a Notify template id.")
# An appointment or follow-up is reminded about once it falls within this many hours.
REMINDER_HOURS_BEFORE = env_int("REMINDER_HOURS_BEFORE", default=24)
if REMINDER_HOURS_BEFORE < 1:
    raise ImproperlyConfigured("REMINDER_HOURS_BEFORE must be at least 1.")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", default="INFO")},
    # WeasyPrint reports each layout step, and its font subsetting each glyph, at INFO.
    "loggers": {"fontTools": {"level": "WARNING"}, "weasyprint": {"level": "WARNING"}},
}
