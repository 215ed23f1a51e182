from django.apps import AppConfig


class MeasuresConfig(AppConfig):
    name = "healthtrainer.measures"
    label = "measures"
    verbose_name = "Outcome measures"
