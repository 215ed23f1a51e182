"""Every database starts with the instruments defined in the package's files; later changes
to the files are brought in by `manage.py load_instruments`."""

from django.db import migrations


def load(apps, schema_editor):
    from healthtrainer.measures.definitions import load_definitions

    Instrument = apps.get_model("measures", "Instrument")
    for definition in load_definitions().values():
        Instrument.objects.update_or_create(
            code=definition.code,
            defaults={
                "name": definition.name,
                "version": definition.version,
                "item_text_licensed": definition.item_text_licensed,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("measures", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
