"""The web import as background work: confirming queues it, its page follows it to the
end, problems found while writing are shown there, and a real worker process runs it."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from healthtrainer.accounts.roles import Role
from healthtrainer.background import services as jobs
from healthtrainer.background.models import BackgroundJob, JobKind, JobState
from healthtrainer.background.tests.workers import (
    DATABASE_BACKEND,
    kill_worker_during,
    run_worker_process,
)
from healthtrainer.conftest import sign_in
from healthtrainer.imports.models import PendingWorkbook
from healthtrainer.imports.tasks import import_workbook
from healthtrainer.imports.tests.test_views import confirm_url, token_in, upload_url, xlsx
from healthtrainer.imports.tests.workbooks import referral, referrals, table, write_zip
from healthtrainer.referrals.models import Referral
from healthtrainer.tests.factories import MembershipFactory


@pytest.fixture
def manager(client_as):
    return client_as(Role.PROGRAMME_MANAGER)


def uploaded(manager, world, tmp_path, sheets):
    page = manager.post(upload_url(world), {"workbook": xlsx(tmp_path, sheets)})
    return token_in(page.content.decode())


def job_page(client, world, job):
    return client.get(reverse("background:job", args=[world.programme.slug, job.pk]))


def test_confirming_runs_the_import_as_a_job_whose_page_shows_what_it_did(world, manager, tmp_path):
    token = uploaded(manager, world, tmp_path, {"referrals": table(referrals(2))})
    page = manager.post(confirm_url(world), {"token": token}, follow=True).content.decode()
    job = BackgroundJob.objects.get()
    assert job.state == JobState.FINISHED
    assert job.started_by == world.people[Role.PROGRAMME_MANAGER]
    assert "Workbook imported" in page
    assert "Finished" in page
    assert "hx-trigger" not in page  # over: the page asks no more
    assert Referral.objects.count() == 2
    assert not PendingWorkbook.objects.exists()


def test_another_manager_of_the_programme_sees_it_and_a_trainer_does_not(
    world, manager, tmp_path, client_as, client
):
    token = uploaded(manager, world, tmp_path, {"referrals": table(referrals(1))})
    manager.post(confirm_url(world), {"token": token})
    job = BackgroundJob.objects.get()
    colleague = MembershipFactory(programme=world.programme, role=Role.PROGRAMME_MANAGER).user
    assert job_page(sign_in(client, colleague), world, job).status_code == 200
    assert job_page(client_as(Role.HEALTH_TRAINER), world, job).status_code == 404
    assert job_page(client_as(Role.EVALUATOR), world, job).status_code == 404


def test_problems_found_while_writing_are_listed_and_nothing_is_imported(world, manager, tmp_path):
    sessions = [
        ["referral_id", "date", "attendance", "cb_techniques"],
        ["H-0001", "2026-10-05", "attended", "no_such_technique"],
    ]
    sheets = {
        "referrals": table([referral(referral_id="H-0001", outcome="accepted")]),
        "sessions": sessions,
    }
    token = uploaded(manager, world, tmp_path, sheets)
    page = manager.post(confirm_url(world), {"token": token}, follow=True).content.decode()
    job = BackgroundJob.objects.get()
    assert job.state == JobState.FAILED
    assert "Nothing has been imported" in page
    assert "no_such_technique is not one of the programme" in page
    assert not Referral.objects.exists()


def test_a_queued_job_says_so_and_asks_again_in_place(world, manager, tmp_path, settings):
    settings.TASKS = DATABASE_BACKEND
    token = uploaded(manager, world, tmp_path, {"referrals": table(referrals(1))})
    page = manager.post(confirm_url(world), {"token": token}, follow=True).content.decode()
    job = BackgroundJob.objects.get()
    assert job.state == JobState.QUEUED
    assert "Waiting to start" in page
    assert 'hx-trigger="every 1s"' in page
    partial = manager.get(
        reverse("background:job", args=[world.programme.slug, job.pk]), HTTP_HX_REQUEST="true"
    ).content.decode()
    assert "<html" not in partial
    assert "Waiting to start" in partial
    assert not Referral.objects.exists()


def test_a_job_whose_upload_has_gone_fails_with_words_not_a_trace(world):
    job = jobs.job_start(
        actor=world.people[Role.PROGRAMME_MANAGER],
        programme=world.programme,
        kind=JobKind.WORKBOOK_IMPORT,
        title="Import gone.xlsx",
    )
    import_workbook.call(str(job.pk), 123456)
    job.refresh_from_db()
    assert job.state == JobState.FAILED
    assert "Upload the workbook again" in job.error


@pytest.mark.django_db(transaction=True)
def test_a_worker_process_runs_the_queued_import(world, manager, tmp_path, settings):
    settings.TASKS = DATABASE_BACKEND
    token = uploaded(manager, world, tmp_path, {"referrals": table(referrals(3))})
    manager.post(confirm_url(world), {"token": token})
    job = BackgroundJob.objects.get()
    assert job.state == JobState.QUEUED

    run_worker_process()

    job.refresh_from_db()
    assert job.state == JobState.FINISHED, job.error
    assert Referral.objects.count() == 3
    assert "Workbook imported" in job_page(manager, world, job).content.decode()


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_while_writing_leaves_nothing_half_written(world, tmp_path, settings):
    settings.TASKS = DATABASE_BACKEND
    settings.BACKGROUND_JOB_TIMEOUT = timedelta(0)
    manager = world.people[Role.PROGRAMME_MANAGER]
    rows = referrals(20_000)
    archive = write_zip(tmp_path / "big.zip", {"referrals": table(rows)})
    pending = PendingWorkbook.objects.create(
        programme=world.programme,
        uploaded_by=manager,
        token_hash="big",
        name="big.zip",
        content=archive.read_bytes(),
    )
    job = jobs.job_start(
        actor=manager, programme=world.programme, kind=JobKind.WORKBOOK_IMPORT, title="Import"
    )
    import_workbook.enqueue(str(job.pk), pending.pk)

    kill_worker_during(job, "Writing", then_wait=1)  # well into the write

    assert not Referral.objects.exists()
    job.refresh_from_db()
    assert job.state == JobState.RUNNING  # as the killed worker left it
    assert jobs.jobs_stalled_fail(now=timezone.now()) == 1
    job.refresh_from_db()
    assert job.state == JobState.FAILED
    assert PendingWorkbook.objects.filter(pk=pending.pk).exists()  # can be tried again
