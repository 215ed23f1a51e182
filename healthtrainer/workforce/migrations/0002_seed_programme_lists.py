"""Programmes that existed before the workforce app get its settings and standard lists."""

from django.db import migrations

SATISFACTION_ITEMS = (
    ("relevant", "The course was relevant to my work with clients"),
    ("clear", "The course was clearly presented"),
    ("practical", "I can put what I learned into practice"),
    ("materials", "The materials will be useful to me"),
    ("recommend", "I would recommend the course to another health trainer"),
)
FIDELITY_ITEMS = (
    ("agenda_setting", "Agenda setting"),
    ("collaborative_goal_setting", "Collaborative goal setting"),
    ("pacing", "Activity pacing"),
    ("unhelpful_thoughts", "Working with unhelpful thoughts"),
    ("summarising", "Summarising and feedback"),
)


def seed(apps, schema_editor):
    Programme = apps.get_model("programmes", "Programme")
    WorkforceSettings = apps.get_model("workforce", "WorkforceSettings")
    for programme in Programme.objects.all():
        WorkforceSettings.objects.get_or_create(programme=programme)
        for model_name, entries in (
            ("SatisfactionItem", SATISFACTION_ITEMS),
            ("FidelityItem", FIDELITY_ITEMS),
        ):
            model = apps.get_model("workforce", model_name)
            if model.objects.filter(programme=programme).exists():
                continue
            model.objects.bulk_create(
                model(programme=programme, code=code, name=name, position=position)
                for position, (code, name) in enumerate(entries, start=1)
            )


class Migration(migrations.Migration):
    dependencies = [("workforce", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
