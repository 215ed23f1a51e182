"""Importing an uploaded deprivation or postcode file as a background task: every row is
checked first, with the count shown on the job's page, then the file is written in one
transaction, so a bad row anywhere loads nothing."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from healthtrainer.background import services as jobs
from healthtrainer.background.models import BackgroundJob, JobKind
from healthtrainer.deprivation.importers import (
    BATCH_SIZE,
    DatasetError,
    ImportResult,
    count_data_rows,
    import_dataset,
    read_records,
)
from healthtrainer.deprivation.models import DatasetUpload
from healthtrainer.deprivation.uploads import as_csv_file

GONE = "The uploaded file is no longer there, so nothing was imported. Upload it again."


@transaction.atomic
def upload_start(*, actor: Any, dataset: str, name: str, content: bytes) -> BackgroundJob:
    """Keep the file and queue its import; return the job the administrator follows."""
    upload = DatasetUpload.objects.create(
        dataset=dataset, name=name, content=content, uploaded_by=actor
    )
    job = jobs.job_start(
        actor=actor, programme=None, kind=JobKind.DEPRIVATION_IMPORT, title=f"Import {name}"
    )
    import_upload.enqueue(str(job.pk), upload.pk)
    return job


@task()
def import_upload(job_id: str, upload_id: int) -> None:
    """Import the file, then delete the upload whatever the result. Importing the same
    file twice leaves the same rows (the importer's upserts)."""
    job = jobs.job_to_run(job_id)
    if job is None:
        DatasetUpload.objects.filter(pk=upload_id).delete()
        return
    upload = DatasetUpload.objects.filter(pk=upload_id).first()
    if upload is None:
        jobs.job_failed(job, error=GONE)
        return
    with jobs.job_guard(job):
        try:
            result = _checked_then_imported(job, upload)
        except DatasetError as error:
            jobs.job_failed(job, error=f"{error} Nothing was imported.")
            return
        finally:
            DatasetUpload.objects.filter(pk=upload.pk).delete()
    jobs.job_finished(job, outcome={"summary": result.summary})


def _checked_then_imported(job: BackgroundJob, upload: DatasetUpload) -> ImportResult:
    with as_csv_file(upload) as path:
        total = count_data_rows(path)
        jobs.job_running(job, phase=f"Checking the rows of {upload.name}", rows_total=total)
        for done, _ in enumerate(read_records(upload.dataset, path), start=1):
            if done % BATCH_SIZE == 0:
                jobs.job_progress(job, done)
        jobs.job_running(job, phase=f"Writing {total:,} rows")
        return import_dataset(upload.dataset, path)


@task()
def purge_stale_uploads() -> dict[str, int]:
    """Delete uploads no task ever read (no worker ran, or the job was lost), once they are
    as old as the days background files are kept."""
    cutoff = timezone.now() - timedelta(days=settings.BACKGROUND_FILE_DAYS)
    deleted, _ = DatasetUpload.objects.filter(uploaded_at__lt=cutoff).delete()
    return {"deleted": deleted}
