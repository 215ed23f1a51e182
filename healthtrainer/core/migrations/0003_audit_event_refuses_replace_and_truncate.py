"""Close the two ways round the append-only triggers.

SQLite's INSERT OR REPLACE (and REPLACE INTO) deletes a conflicting row without firing
DELETE triggers, so an event could be rewritten under its own id: an insert under an id
that exists is now refused before the conflict is resolved. PostgreSQL's TRUNCATE fires no
row triggers, so it is refused by a statement trigger of its own.
"""

from django.db import migrations

POSTGRESQL = """
CREATE TRIGGER core_auditevent_no_truncate BEFORE TRUNCATE ON core_auditevent
    FOR EACH STATEMENT EXECUTE FUNCTION core_auditevent_refuse_change();
"""

SQLITE = """CREATE TRIGGER core_auditevent_no_replace BEFORE INSERT ON core_auditevent
    WHEN EXISTS (SELECT 1 FROM core_auditevent WHERE id = NEW.id)
    BEGIN SELECT RAISE(ABORT, 'core_auditevent is append-only'); END;"""


def create_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRESQL)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE)


def drop_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "DROP TRIGGER IF EXISTS core_auditevent_no_truncate ON core_auditevent"
        )
    else:
        schema_editor.execute("DROP TRIGGER IF EXISTS core_auditevent_no_replace")


class Migration(migrations.Migration):
    dependencies = [("core", "0002_audit_event_append_only_triggers")]

    operations = [migrations.RunPython(create_triggers, drop_triggers)]
