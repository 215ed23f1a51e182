"""Keeping the background work honest: a job whose worker died is marked failed."""

from __future__ import annotations

from django.utils import timezone
from django_tasks import task

from healthtrainer.background.services import jobs_stalled_fail


@task()
def fail_stalled_jobs() -> int:
    return jobs_stalled_fail(now=timezone.now())
