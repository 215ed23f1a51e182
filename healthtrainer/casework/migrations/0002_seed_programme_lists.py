"""Programmes that existed before casework get the standard lists to start from."""

from django.db import migrations

CB_TECHNIQUES = (
    "Goal setting",
    "Action planning",
    "Activity pacing",
    "Graded activity",
    "Problem solving",
    "Identifying and challenging unhelpful thoughts",
    "Relaxation and breathing",
    "Sleep routine",
    "Communication and assertiveness",
    "Setback planning",
    "Mindfulness",
)
STRATEGIES = (
    "Pacing",
    "Regular exercise",
    "Relaxation",
    "Sleep routine",
    "Thought challenging",
    "Social activity",
    "Setback plan",
    "Mindfulness practice",
    "Stretching",
)


def seed(apps, schema_editor):
    Programme = apps.get_model("programmes", "Programme")
    for model_name, names in (("CbTechnique", CB_TECHNIQUES), ("Strategy", STRATEGIES)):
        model = apps.get_model("casework", model_name)
        for programme in Programme.objects.all():
            if model.objects.filter(programme=programme).exists():
                continue
            model.objects.bulk_create(
                model(programme=programme, name=name, position=position)
                for position, name in enumerate(names, start=1)
            )


class Migration(migrations.Migration):
    dependencies = [("casework", "0001_initial"), ("programmes", "0002_organisation_ods_code_message")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
