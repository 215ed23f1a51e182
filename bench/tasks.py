"""Background work: how many tasks a second the database queue gets through, with one
worker and with two, on a scratch database. The task itself does next to nothing, so the
figure is the queue's own cost: claiming, running and recording each task."""

from __future__ import annotations

import subprocess
import sys
import time

from django_tasks import task

from bench.figure import Figure

TASKS = 2000


@task()
def nothing() -> None:
    """A task with no work of its own."""


_ENQUEUE = f"""
import django
django.setup()
from bench.tasks import nothing
for _ in range({TASKS}):
    nothing.enqueue()
"""


def tasks_processed(workers: int) -> Figure:
    from bench.measure import scratch_database

    with scratch_database() as environment:
        environment = {**environment, "TASKS_BACKEND": "django_tasks_db.DatabaseBackend"}
        subprocess.run([sys.executable, "-c", _ENQUEUE], env=environment, check=True)  # noqa: S603 - our own interpreter and code
        started = time.perf_counter()
        running = [
            subprocess.Popen(  # noqa: S603 - our own manage.py, arguments fixed here
                [
                    sys.executable,
                    "manage.py",
                    "db_worker",
                    "--batch",
                    "--no-startup-delay",
                    "--no-reload",
                    "--worker-id",
                    f"bench-{number}",
                ],
                env=environment,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            for number in range(workers)
        ]
        for worker in running:
            worker.wait()
        seconds = time.perf_counter() - started
    return Figure(
        f"Background tasks processed, {workers} worker{'' if workers == 1 else 's'} "
        f"({TASKS:,} tasks, worker start included)",
        TASKS / seconds,
        "tasks/s",
        target="more with two workers than with one",
    )
