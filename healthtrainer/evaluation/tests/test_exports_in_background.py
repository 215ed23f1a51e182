"""Downloads too large for a request: a PDF or spreadsheet of the report, and the research
data, of a period with more referrals than `IN_REQUEST_MAX_REFERRALS`, are made by a task
and fetched from the job's page, by the people who may see them."""

from __future__ import annotations

import csv
import io
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
    run_queued,
)
from healthtrainer.core.models import AuditEvent
from healthtrainer.core.period import Period
from healthtrainer.evaluation.exports import PROGRESS_EVERY, RESEARCH, ExportOrder
from healthtrainer.evaluation.tasks import build_export
from healthtrainer.tests.factories import PracticeFactory, ReferralFactory


@pytest.fixture
def large(world, settings):
    settings.IN_REQUEST_MAX_REFERRALS = 3
    practice = PracticeFactory(programme=world.programme)
    for _ in range(5):
        ReferralFactory(practice=practice)
    return world.programme


def _download(client, programme, fmt):
    return client.get(reverse("evaluation:report_download", args=[programme.slug, fmt]))


def _job_page(client, job):
    return client.get(reverse("background:job", args=[job.programme.slug, job.pk]))


def _file(client, job):
    return client.get(reverse("background:job_file", args=[job.programme.slug, job.pk]))


def test_a_large_pdf_is_made_in_the_background_and_fetched_from_its_page(
    large, client_as, settings
):
    settings.TASKS = DATABASE_BACKEND
    manager = client_as(Role.PROGRAMME_MANAGER)
    asked = _download(manager, large, "pdf")
    job = BackgroundJob.objects.get()
    assert asked.status_code == 302
    assert asked.url == reverse("background:job", args=[large.slug, job.pk])
    assert (job.kind, job.state) == (JobKind.EVALUATION_EXPORT, JobState.QUEUED)
    assert "Waiting to start" in _job_page(manager, job).content.decode()
    assert _file(manager, job).status_code == 404

    run_queued()

    job.refresh_from_db()
    assert job.state == JobState.FINISHED, job.error
    page = _job_page(manager, job).content.decode()
    assert f"Download {job.file_name}" in page
    pdf = _file(manager, job)
    assert pdf.status_code == 200
    assert pdf.content.startswith(b"%PDF")
    assert pdf["Content-Disposition"] == f'attachment; filename="{job.file_name}"'
    assert AuditEvent.objects.filter(action="background.job.file_downloaded").count() == 1


def test_a_small_programme_still_gets_its_pdf_at_once(world, client_as):
    PracticeFactory(programme=world.programme)
    response = _download(client_as(Role.PROGRAMME_MANAGER), world.programme, "pdf")
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")
    assert not BackgroundJob.objects.exists()


def test_csv_and_json_stay_in_the_request_as_they_cost_what_the_page_does(large, client_as):
    manager = client_as(Role.PROGRAMME_MANAGER)
    assert _download(manager, large, "json").status_code == 200
    assert not BackgroundJob.objects.exists()


def test_the_file_is_for_those_who_may_still_see_it(large, client_as, world):
    manager = client_as(Role.PROGRAMME_MANAGER)
    _download(manager, large, "xlsx")
    job = BackgroundJob.objects.get()
    assert job.state == JobState.FINISHED
    assert _file(client_as(Role.HEALTH_TRAINER), job).status_code == 404
    # The manager becomes a trainer: the report is no longer theirs to take.
    membership = world.people[Role.PROGRAMME_MANAGER].memberships.get(programme=large)
    membership.role = Role.HEALTH_TRAINER
    membership.save()
    assert _file(manager, job).status_code == 404


def test_a_job_whose_starter_has_lost_the_right_fails_without_building(large, world):
    manager = world.people[Role.PROGRAMME_MANAGER]
    job = jobs.job_start(
        actor=manager, programme=large, kind=JobKind.EVALUATION_EXPORT, title="Report"
    )
    manager.memberships.filter(programme=large).delete()
    build_export.call(str(job.pk), ExportOrder("pdf", Period()).as_arguments())
    job.refresh_from_db()
    assert (job.state, job.file_content) == (JobState.FAILED, None)
    assert "no longer allowed" in job.error


def test_a_job_deleted_before_it_runs_is_let_go(large):
    build_export.call(
        "00000000-0000-0000-0000-000000000000", ExportOrder("pdf", Period()).as_arguments()
    )
    assert not BackgroundJob.objects.exists()


def test_a_task_run_twice_changes_nothing_the_second_time(large, world):
    job = jobs.job_start(
        actor=world.people[Role.PROGRAMME_MANAGER],
        programme=large,
        kind=JobKind.EVALUATION_EXPORT,
        title="Report",
    )
    arguments = ExportOrder("json", Period()).as_arguments()
    build_export.call(str(job.pk), arguments)
    job.refresh_from_db()
    first = (job.state, job.finished_at, bytes(job.file_content))
    build_export.call(str(job.pk), arguments)
    job.refresh_from_db()
    assert (job.state, job.finished_at, bytes(job.file_content)) == first


def test_large_research_data_is_made_in_the_background_with_its_rows_counted(
    large, client_as, settings, monkeypatch
):
    settings.TASKS = DATABASE_BACKEND
    counts = []
    monkeypatch.setattr("healthtrainer.evaluation.exports.PROGRESS_EVERY", 2)
    monkeypatch.setattr(
        jobs, "job_progress", lambda job, done: counts.append((done, job.rows_total))
    )
    manager = client_as(Role.PROGRAMME_MANAGER)
    response = manager.get(reverse("evaluation:research_export", args=[large.slug]))
    job = BackgroundJob.objects.get()
    assert response.status_code == 302
    assert job.kind == JobKind.RESEARCH_EXPORT
    event = AuditEvent.objects.get(action="evaluation.research_export.downloaded")
    assert event.changed_fields == []
    run_queued()
    job.refresh_from_db()
    assert job.state == JobState.FINISHED, job.error
    assert counts == [(2, 5), (4, 5)]
    rows = list(csv.reader(io.StringIO(_file(manager, job).content.decode())))
    assert len(rows) == 1 + 5
    assert PROGRESS_EVERY >= 100  # the real figure updates the page every so many rows


def test_the_running_page_shows_rows_done_of_the_total(large, world, client_as):
    job = jobs.job_start(
        actor=world.people[Role.PROGRAMME_MANAGER],
        programme=large,
        kind=JobKind.RESEARCH_EXPORT,
        title="Research data",
    )
    jobs.job_running(job, phase="Writing one row per referral", rows_total=4000)
    jobs.job_progress(job, 1000)
    page = _job_page(client_as(Role.PROGRAMME_MANAGER), job).content.decode()
    assert 'max="4000" value="1000"' in page
    assert "1,000 of 4,000 rows (25%)" in page


def test_files_are_deleted_after_their_days_and_the_page_says_so(large, client_as, settings):
    manager = client_as(Role.PROGRAMME_MANAGER)
    _download(manager, large, "xlsx")
    job = BackgroundJob.objects.get()
    later = job.finished_at + timedelta(days=settings.BACKGROUND_FILE_DAYS, minutes=1)
    assert jobs.job_files_purge(now=later - timedelta(minutes=2)) == 0
    assert jobs.job_files_purge(now=later) == 1
    assert "The file has been deleted" in _job_page(manager, job).content.decode()
    assert _file(manager, job).status_code == 404


def test_the_order_survives_the_trip_through_the_queue():
    order = ExportOrder(RESEARCH, Period(timezone.localdate(), None))
    assert ExportOrder.from_arguments(order.as_arguments()) == order
    assert order.kind == JobKind.RESEARCH_EXPORT


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_while_rendering_a_pdf_leaves_no_file_and_the_job_fails(
    large, world, settings
):
    settings.TASKS = DATABASE_BACKEND
    settings.BACKGROUND_JOB_TIMEOUT = timedelta(0)
    job = jobs.job_start(
        actor=world.people[Role.PROGRAMME_MANAGER],
        programme=large,
        kind=JobKind.EVALUATION_EXPORT,
        title="Report",
    )
    build_export.enqueue(str(job.pk), ExportOrder("pdf", Period()).as_arguments())
    kill_worker_during(job, "Writing the PDF")

    job.refresh_from_db()
    assert (job.state, job.file_content) == (JobState.RUNNING, None)
    assert jobs.jobs_stalled_fail(now=timezone.now()) == 1
    job.refresh_from_db()
    assert job.state == JobState.FAILED
    assert "stopped without finishing" in job.error
