"""Pending workbooks now belong to the import app (imports 0001 takes over the table)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("referrals", "0004_referral_r_reference_index"),
        ("imports", "0001_pending_workbooks_from_referrals"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="PendingWorkbook")],
            database_operations=[],
        ),
    ]
