"""The export's state and file now live on its background job (0003 moved them)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    # Its own migration, so its own transaction: PostgreSQL will not alter a table whose
    # rows 0003 has just written while their constraint checks are still pending.
    dependencies = [("interop", "0003_exports_as_background_jobs")]

    operations = [
        migrations.AlterField(
            model_name="exportjob",
            name="job",
            field=models.OneToOneField(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="api_export",
                to="background.backgroundjob",
            ),
        ),
        migrations.RemoveIndex(model_name="exportjob", name="interop_exp_state_fdcf19_idx"),
        migrations.RemoveField(model_name="exportjob", name="state"),
        migrations.RemoveField(model_name="exportjob", name="error"),
        migrations.RemoveField(model_name="exportjob", name="content"),
        migrations.RemoveField(model_name="exportjob", name="content_type"),
        migrations.RemoveField(model_name="exportjob", name="filename"),
        migrations.RemoveField(model_name="exportjob", name="finished_at"),
    ]
