"""Background work never stays "running" by mistake: an error marks its job failed in
plain words, a job whose worker died is marked failed after the timeout, and
administrators see every state and the latest failures."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from healthtrainer.accounts.roles import ADMINISTRATOR, Role
from healthtrainer.background import services as jobs
from healthtrainer.background.models import BackgroundJob, JobKind, JobState
from healthtrainer.imports import tasks as import_tasks
from healthtrainer.imports.models import PendingWorkbook
from healthtrainer.imports.tasks import import_workbook
from healthtrainer.referrals.models import Referral


def start(world, title="Import history.xlsx"):
    return jobs.job_start(
        actor=world.people[Role.PROGRAMME_MANAGER],
        programme=world.programme,
        kind=JobKind.WORKBOOK_IMPORT,
        title=title,
    )


def test_an_error_in_the_work_fails_the_job_in_plain_words_and_reaches_the_log(
    world, monkeypatch, caplog
):
    job = start(world)
    pending = PendingWorkbook.objects.create(
        programme=world.programme,
        uploaded_by=world.people[Role.PROGRAMME_MANAGER],
        token_hash="h",
        name="history.xlsx",
        content=b"not a workbook at all",
    )

    def broken(**_):
        raise RuntimeError("disk full")

    monkeypatch.setattr(import_tasks, "import_referrals", broken)
    with pytest.raises(RuntimeError):
        import_workbook.call(str(job.pk), pending.pk)
    job.refresh_from_db()
    assert job.state == JobState.FAILED
    assert "Something went wrong" in job.error
    assert "disk full" not in job.error
    assert "disk full" in caplog.text
    assert not Referral.objects.exists()


def test_a_job_left_running_past_the_timeout_is_marked_failed(world, settings):
    settings.BACKGROUND_JOB_TIMEOUT = timedelta(hours=2)
    stalled, recent, over = start(world), start(world), start(world)
    jobs.job_running(stalled, phase="Writing 10 referrals")
    jobs.job_running(recent, phase="Writing 10 referrals")
    jobs.job_finished(over, outcome={})
    BackgroundJob.objects.filter(pk__in=[stalled.pk, over.pk]).update(
        created_at=timezone.now() - timedelta(hours=3)
    )

    assert jobs.jobs_stalled_fail(now=timezone.now()) == 1

    states = dict(BackgroundJob.objects.values_list("pk", "state"))
    assert states == {
        stalled.pk: JobState.FAILED,
        recent.pk: JobState.RUNNING,
        over.pk: JobState.FINISHED,
    }
    stalled.refresh_from_db()
    assert "worker running it was stopped" in stalled.error


def test_administrators_see_counts_by_state_and_the_latest_failures(world, client_as):
    start(world, "Import waiting.xlsx")
    failed = start(world, "Import broken.xlsx")
    jobs.job_failed(failed, error="The work stopped without finishing.")
    page = client_as(ADMINISTRATOR).get(reverse("background:site_work")).content.decode()
    assert "Import broken.xlsx" in page
    assert "The work stopped without finishing." in page
    assert "Import waiting.xlsx" not in page
    assert "The oldest job waiting to start has waited less than a minute." in page
    assert ">Waiting to start</th>" in page


def test_the_administrators_home_links_to_it(client_as):
    page = client_as(ADMINISTRATOR).get(reverse("accounts:home"), follow=True)
    assert reverse("background:site_work") in page.content.decode()
