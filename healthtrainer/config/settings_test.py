"""Settings for the test suite: the production module with fast hashing.

Everything else, including the database, still comes from the environment, so the
same suite runs on SQLite and on PostgreSQL.
"""

import os
import tempfile

os.environ.setdefault("SECRET_KEY", "test-" + "k" * 60)
os.environ.setdefault("STATIC_MANIFEST", "false")
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("PSEUDONYMISATION_KEY", "test-pseudonymisation-key")
# schemathesis calls the app in-process as localhost.
os.environ.setdefault("ALLOWED_HOSTS", "localhost,testserver")

from healthtrainer.config.settings import *  # noqa: F403

# Argon2 is deliberately slow; tests that sign in hundreds of times use MD5 instead.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Every audit action written in a test must have words for people (core/audit_labels.py).
AUDIT_ACTIONS_MUST_HAVE_LABELS = True
# Tasks run at once, inside the request that queues them, unless a test runs a worker (it
# sets TASKS_BACKEND for the worker it starts).
if "TASKS_BACKEND" not in os.environ:
    TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

# Serve static files straight from the app folders, as in development: no collectstatic.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# On SQLite the test database is a file, not shared memory: threads then share it as
# separate connections do in production (shared-memory SQLite locks whole tables and
# never waits), so the concurrency tests meet the same locking as a real server.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # One file per process, so that runs side by side never share one.
    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": os.path.join(tempfile.gettempdir(), f"healthtrainer-test-{os.getpid()}.sqlite3")
    }
