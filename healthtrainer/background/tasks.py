"""Keeping the background work honest: a job whose worker died is marked failed, and the
files finished jobs made are not kept past their time."""

from __future__ import annotations

from django.utils import timezone
from django_tasks import task

from healthtrainer.background.services import job_files_purge, jobs_stalled_fail


@task()
def fail_stalled_jobs() -> int:
    return jobs_stalled_fail(now=timezone.now())


@task()
def purge_old_files() -> int:
    return job_files_purge(now=timezone.now())
