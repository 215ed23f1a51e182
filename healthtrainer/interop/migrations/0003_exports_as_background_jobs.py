"""Export jobs become background jobs: each existing export's state and file move to a
`BackgroundJob`, which the export now points to. Exports that were waiting or running
under the old polling worker are marked failed, to be asked for again: nothing would
build them now."""

import django.db.models.deletion
from django.db import migrations, models

KINDS = {"evaluation": "evaluation_export", "research": "research_export"}
NOT_BUILT = (
    "This export was asked for before exports moved to background tasks and was never "
    "built. Ask for it again."
)


def to_background_jobs(apps, schema_editor):
    ExportJob = apps.get_model("interop", "ExportJob")
    BackgroundJob = apps.get_model("background", "BackgroundJob")
    for export in ExportJob.objects.all().iterator():
        done = export.state == "done"
        failed = export.state == "failed"
        job = BackgroundJob.objects.create(
            programme_id=export.programme_id,
            started_by=None,
            kind=KINDS[export.kind],
            title=f"{export.get_kind_display()} ({export.format.upper()}), through the API",
            state="finished" if done else "failed",
            error="" if done else (export.error if failed else NOT_BUILT),
            file_content=export.content if done else None,
            file_type=export.content_type,
            file_name=export.filename,
            finished_at=export.finished_at or export.created_at,
        )
        BackgroundJob.objects.filter(pk=job.pk).update(created_at=export.created_at)
        ExportJob.objects.filter(pk=export.pk).update(job=job)


class Migration(migrations.Migration):
    dependencies = [
        ("background", "0005_job_files_and_rows"),
        ("interop", "0002_export_jobs"),
    ]

    operations = [
        migrations.AddField(
            model_name="exportjob",
            name="job",
            field=models.OneToOneField(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="api_export",
                to="background.backgroundjob",
            ),
        ),
        migrations.RunPython(to_background_jobs, migrations.RunPython.noop),
    ]
