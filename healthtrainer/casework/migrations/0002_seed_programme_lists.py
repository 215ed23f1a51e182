"""Programmes that existed before casework get the standard lists to start from."""

from django.db import migrations

CB_TECHNIQUES = (
    ("goal_setting", "Goal setting"),
    ("action_planning", "Action planning"),
    ("activity_pacing", "Activity pacing"),
    ("graded_activity", "Graded activity"),
    ("problem_solving", "Problem solving"),
    ("unhelpful_thoughts", "Identifying and challenging unhelpful thoughts"),
    ("relaxation", "Relaxation and breathing"),
    ("sleep_routine", "Sleep routine"),
    ("assertiveness", "Communication and assertiveness"),
    ("setback_planning", "Setback planning"),
    ("mindfulness", "Mindfulness"),
)
STRATEGIES = (
    ("pacing", "Pacing"),
    ("regular_exercise", "Regular exercise"),
    ("relaxation", "Relaxation"),
    ("sleep_routine", "Sleep routine"),
    ("thought_challenging", "Thought challenging"),
    ("social_activity", "Social activity"),
    ("setback_plan", "Setback plan"),
    ("mindfulness", "Mindfulness practice"),
    ("stretching", "Stretching"),
)


def seed(apps, schema_editor):
    Programme = apps.get_model("programmes", "Programme")
    for model_name, entries in (("CbTechnique", CB_TECHNIQUES), ("Strategy", STRATEGIES)):
        model = apps.get_model("casework", model_name)
        for programme in Programme.objects.all():
            if model.objects.filter(programme=programme).exists():
                continue
            model.objects.bulk_create(
                model(programme=programme, code=code, name=name, position=position)
                for position, (code, name) in enumerate(entries, start=1)
            )


class Migration(migrations.Migration):
    dependencies = [("casework", "0001_initial"), ("programmes", "0002_organisation_ods_code_message")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
