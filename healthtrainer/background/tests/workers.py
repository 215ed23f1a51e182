"""Running queued tasks in tests as production does: with the database backend, by a
worker in this process (`run_queued`) or in a process of its own (`worker_command`)."""

import io
import os
import sys
from pathlib import Path
from unittest import mock

from django.core.management import call_command
from django.db import connection

ROOT = Path(__file__).resolve().parents[3]
DATABASE_BACKEND = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def run_queued() -> None:
    """Run every queued task with the real worker, in this process and so in this test's
    transaction, then return. The worker closes its connection between tasks as a
    long-running process should; here that connection holds the test's transaction."""
    with mock.patch("django_tasks_db.management.commands.db_worker.close_old_connections"):
        call_command(
            "db_worker", "--batch", "--no-startup-delay", "--no-reload", stdout=io.StringIO()
        )


def worker_environment() -> dict[str, str]:
    """The environment of a worker process on the test database, queueing in it."""
    database = connection.settings_dict
    if database["ENGINE"].endswith("sqlite3"):
        url = f"sqlite:///{database['NAME']}"
    else:
        login = database["USER"] + (f":{database['PASSWORD']}" if database["PASSWORD"] else "")
        url = f"postgres://{login}@{database['HOST']}:{database['PORT']}/{database['NAME']}"
    return {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "healthtrainer.config.settings_test",
        "TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
    }


def worker_command(*options: str) -> list[str]:
    return [
        sys.executable,
        "manage.py",
        "db_worker",
        "--no-startup-delay",
        "--no-reload",
        "--interval",
        "0.2",
        *options,
    ]
