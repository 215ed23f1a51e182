"""Deprivation data uploaded by an administrator, imported by a background task: rows
checked with a count on the job's page, then written all or nothing."""

import io
import zipfile
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from markupsafe import escape

from healthtrainer.accounts.roles import Role
from healthtrainer.background import services as jobs
from healthtrainer.background.models import BackgroundJob, JobKind, JobState
from healthtrainer.background.tests.workers import (
    DATABASE_BACKEND,
    run_queued,
    run_worker_process,
)
from healthtrainer.conftest import ADMINISTRATOR
from healthtrainer.deprivation.models import DatasetUpload, LsoaDeprivation, PostcodeLsoa
from healthtrainer.deprivation.tasks import import_upload, purge_stale_uploads
from healthtrainer.deprivation.tests.files import lsoa, write_file7, write_onspd

PAGE = "/reference/deprivation/"


def file7_csv(tmp_path, *extra):
    rows = [lsoa("E01000001", 1, 1), lsoa("E01000002", 30000, 10), *extra]
    return write_file7(tmp_path / "File_7.csv", "iod2019", rows).read_bytes()


def postcode_csv(tmp_path):
    rows = [("S1 2HE", "E01000001", "E01000001", ""), ("S10 2TN", "E01000002", "", "")]
    return write_onspd(tmp_path / "postcodes.csv", rows).read_bytes()


@pytest.fixture
def administrator(client_as):
    return client_as(ADMINISTRATOR)


def _upload(client, dataset, name, content):
    return client.post(
        PAGE, {"dataset": dataset, "file": SimpleUploadedFile(name, content)}, follow=True
    )


def test_an_uploaded_file_is_imported_in_the_background_and_its_page_says_what_it_did(
    administrator, tmp_path
):
    page = _upload(administrator, "iod2019", "File_7.csv", file7_csv(tmp_path))
    job = BackgroundJob.objects.get()
    assert (job.kind, job.programme, job.state) == (
        JobKind.DEPRIVATION_IMPORT,
        None,
        JobState.FINISHED,
    )
    assert page.redirect_chain[-1][0] == reverse("background:site_job", args=[job.pk])
    assert "Imported iod2019" in page.content.decode()
    assert LsoaDeprivation.objects.exists()
    assert not DatasetUpload.objects.exists()
    loaded = administrator.get(PAGE).content.decode()
    assert f"{LsoaDeprivation.objects.count():,}" in loaded


def test_a_zip_holding_the_csv_is_read_as_the_csv(administrator, tmp_path):
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as out:
        out.writestr("NSPL/Data/NSPL.csv", postcode_csv(tmp_path))
    _upload(administrator, "postcodes", "NSPL.zip", archive.getvalue())
    assert BackgroundJob.objects.get().state == JobState.FINISHED
    assert PostcodeLsoa.objects.exists()


def test_a_bad_row_names_its_line_and_nothing_is_loaded(administrator, tmp_path):
    content = file7_csv(tmp_path, lsoa("E01000003", 2, 1, score="not a score"))
    page = _upload(administrator, "iod2019", "File_7.csv", content).content.decode()
    job = BackgroundJob.objects.get()
    assert job.state == JobState.FAILED
    assert "Line " in job.error
    assert "Nothing was imported" in job.error
    assert str(escape(job.error)) in page
    assert not LsoaDeprivation.objects.exists()
    assert not DatasetUpload.objects.exists()


def test_the_form_refuses_other_files_and_keeps_nothing(administrator, settings):
    page = _upload(administrator, "iod2019", "File_7.xlsx", b"not csv").content.decode()
    assert "The file must be a .csv" in page
    settings.REFERENCE_UPLOAD_MAX_BYTES = 10
    page = _upload(administrator, "postcodes", "big.csv", b"x" * 20).content.decode()
    assert "manage.py import_deprivation" in page
    assert not BackgroundJob.objects.exists()
    assert not DatasetUpload.objects.exists()


def test_only_administrators_upload(client_as, tmp_path):
    manager = client_as(Role.PROGRAMME_MANAGER)
    assert _upload(manager, "iod2019", "File_7.csv", file7_csv(tmp_path)).status_code == 403
    assert not DatasetUpload.objects.exists()


def test_an_upload_gone_before_its_task_fails_in_words(world):
    job = jobs.job_start(
        actor=world.people[ADMINISTRATOR],
        programme=None,
        kind=JobKind.DEPRIVATION_IMPORT,
        title="Import File_7.csv",
    )
    import_upload.call(str(job.pk), 999)
    job.refresh_from_db()
    assert job.state == JobState.FAILED
    assert "Upload it again" in job.error


def test_an_upload_whose_administrator_has_stepped_down_is_not_imported(
    administrator, world, tmp_path, settings
):
    settings.TASKS = DATABASE_BACKEND
    _upload(administrator, "iod2019", "File_7.csv", file7_csv(tmp_path))
    person = world.people[ADMINISTRATOR]
    person.is_site_administrator = False
    person.save()
    run_queued()
    job = BackgroundJob.objects.get()
    assert job.state == JobState.FAILED
    assert "no longer allowed" in job.error
    assert not LsoaDeprivation.objects.exists()
    assert not DatasetUpload.objects.exists()


def test_an_upload_no_task_read_is_deleted_after_the_days_files_are_kept(world, settings):
    person = world.people[ADMINISTRATOR]
    kept = DatasetUpload.objects.create(
        dataset="iod2019", name="new.csv", content=b"x", uploaded_by=person
    )
    stale = DatasetUpload.objects.create(
        dataset="iod2019", name="old.csv", content=b"x", uploaded_by=person
    )
    DatasetUpload.objects.filter(pk=stale.pk).update(
        uploaded_at=timezone.now() - timedelta(days=settings.BACKGROUND_FILE_DAYS, hours=1)
    )
    assert purge_stale_uploads.call() == {"deleted": 1}
    assert list(DatasetUpload.objects.all()) == [kept]


@pytest.mark.django_db(transaction=True)
def test_a_worker_process_imports_the_queued_upload(administrator, settings, tmp_path):
    settings.TASKS = DATABASE_BACKEND
    _upload(administrator, "postcodes", "postcodes.csv", postcode_csv(tmp_path))
    job = BackgroundJob.objects.get()
    assert job.state == JobState.QUEUED
    run_worker_process()
    job.refresh_from_db()
    assert job.state == JobState.FINISHED, job.error
    assert PostcodeLsoa.objects.exists()


def test_the_check_counts_rows_against_the_file_s_total(administrator, tmp_path, monkeypatch):
    counted = []
    monkeypatch.setattr("healthtrainer.deprivation.tasks.BATCH_SIZE", 1)
    monkeypatch.setattr(
        jobs, "job_progress", lambda job, done: counted.append((done, job.rows_total))
    )
    _upload(administrator, "iod2019", "File_7.csv", file7_csv(tmp_path))
    assert counted == [(1, 2), (2, 2)]
