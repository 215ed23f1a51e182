"""Periodic tasks are queued once a period, however many schedulers look, and do their
work when run."""

import subprocess
import sys
from datetime import UTC, datetime, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from healthtrainer.background.models import ScheduledRun
from healthtrainer.background.scheduler import Periodic, enqueue_due, period_start
from healthtrainer.background.tests.workers import (
    DATABASE_BACKEND,
    ROOT,
    worker_command,
    worker_environment,
)
from healthtrainer.imports.models import PendingWorkbook
from healthtrainer.imports.tasks import purge_stale_uploads
from healthtrainer.measures.models import ClientLink, Instrument
from healthtrainer.measures.services import instruments_sync
from healthtrainer.measures.tasks import purge_expired_links
from healthtrainer.tests.factories import UserFactory, accepted_episode

NOON = datetime(2026, 12, 5, 12, 2, tzinfo=UTC)
PURGE = Periodic("healthtrainer.imports.tasks.purge_stale_uploads", timedelta(days=1))
REMINDERS = Periodic("healthtrainer.casework.tasks.send_reminders", timedelta(minutes=5))


def test_periods_start_on_the_same_boundaries_for_every_scheduler():
    assert period_start(NOON, timedelta(minutes=5)) == datetime(2026, 12, 5, 12, 0, tzinfo=UTC)
    assert period_start(NOON, timedelta(days=1)) == datetime(2026, 12, 5, tzinfo=UTC)


@pytest.mark.django_db
def test_a_task_is_queued_once_a_period_even_when_two_schedulers_look():
    assert enqueue_due(NOON, [PURGE, REMINDERS]) == [PURGE.task, REMINDERS.task]
    assert enqueue_due(NOON + timedelta(seconds=30), [PURGE, REMINDERS]) == []
    later = NOON + timedelta(minutes=5)
    assert enqueue_due(later, [PURGE, REMINDERS]) == [REMINDERS.task]
    assert ScheduledRun.objects.filter(task=REMINDERS.task).count() == 2
    assert ScheduledRun.objects.filter(task=PURGE.task).count() == 1


@pytest.mark.django_db
def test_the_command_queues_what_is_due_once(settings):
    out = StringIO()
    call_command("run_scheduler", "--once", stdout=out)
    call_command("run_scheduler", "--once", stdout=out)
    lines = out.getvalue().splitlines()
    assert "Queued healthtrainer.casework.tasks.send_reminders." in lines
    assert len(lines) == len(set(lines)) == len(settings.PERIODIC_TASKS)


@pytest.mark.django_db
def test_the_upload_purge_removes_only_workbooks_older_than_a_day(world):
    user = UserFactory()
    for age in (timedelta(hours=1), timedelta(days=2)):
        kept = PendingWorkbook.objects.create(
            programme=world.programme,
            uploaded_by=user,
            token_hash=str(age),
            name="w.xlsx",
            content=b"x",
        )
        PendingWorkbook.objects.filter(pk=kept.pk).update(uploaded_at=timezone.now() - age)
    purge_stale_uploads.call()
    assert list(PendingWorkbook.objects.values_list("token_hash", flat=True)) == ["1:00:00"]


@pytest.mark.django_db
def test_the_link_purge_removes_only_long_expired_unused_links(world):
    instruments_sync()
    episode = accepted_episode(UserFactory(), world.programme)
    instrument = Instrument.objects.get(code="phq9")
    now = timezone.now()

    def link(name, expires_at, used_at=None):
        return ClientLink.objects.create(
            programme=world.programme,
            episode=episode,
            instrument=instrument,
            timepoint="baseline",
            token_hash=name,
            expires_at=expires_at,
            used_at=used_at,
            created_by=UserFactory(),
        )

    link("old unused", now - timedelta(days=31))
    link("recent unused", now - timedelta(days=2))
    link("old used", now - timedelta(days=31), used_at=now - timedelta(days=40))
    assert purge_expired_links.call() == 1
    assert set(ClientLink.objects.values_list("token_hash", flat=True)) == {
        "recent unused",
        "old used",
    }


@pytest.mark.django_db(transaction=True)
def test_two_scheduler_processes_queue_each_task_once_and_a_worker_runs_them_all(settings):
    settings.TASKS = DATABASE_BACKEND
    scheduler = [sys.executable, "manage.py", "run_scheduler", "--once"]
    schedulers = [
        subprocess.Popen(  # noqa: S603 - our own manage.py, arguments fixed here
            scheduler, cwd=ROOT, env=worker_environment(), stdout=subprocess.PIPE
        )
        for _ in range(2)
    ]
    queued = [
        line for process in schedulers for line in process.communicate(timeout=120)[0].splitlines()
    ]
    assert all(process.returncode == 0 for process in schedulers)
    assert len(queued) == len(set(queued)) == len(settings.PERIODIC_TASKS)

    subprocess.run(  # noqa: S603 - our own manage.py, arguments fixed here
        worker_command("--batch"), cwd=ROOT, env=worker_environment(), check=True, timeout=120
    )

    runs = DBTaskResult.objects.values_list("task_path", "status")
    assert sorted(runs) == sorted((path, "SUCCESSFUL") for path, _ in settings.PERIODIC_TASKS)
