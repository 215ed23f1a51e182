"""Running queued tasks in tests as production does: with the database backend, by a
worker in this process (`run_queued`) or in a process of its own (`run_worker_process`),
or killed mid-task (`kill_worker_during`)."""

import io
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any
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


def run_worker_process() -> None:
    """Run every queued task in a worker process of its own, then return."""
    subprocess.run(  # noqa: S603 - our own manage.py, arguments fixed here
        worker_command("--batch"),
        cwd=ROOT,
        env=worker_environment(),
        check=True,
        timeout=120,
        capture_output=True,
    )


def kill_worker_during(job: Any, phase: str, *, then_wait: float = 0) -> None:
    """Start a worker process, and kill it with SIGKILL once the job has entered the phase
    (and `then_wait` seconds more), as a machine losing power would."""
    worker = subprocess.Popen(  # noqa: S603 - our own manage.py, arguments fixed here
        worker_command(),
        cwd=ROOT,
        env=worker_environment(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            job.refresh_from_db()
            if job.phase.startswith(phase):
                break
            time.sleep(0.02)
        assert job.phase.startswith(phase), (job.state, job.phase)
        time.sleep(then_wait)
    finally:
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=30)
