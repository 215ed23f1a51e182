from django.apps import AppConfig


class QualitativeConfig(AppConfig):
    name = "healthtrainer.qualitative"
    label = "qualitative"
    verbose_name = "Qualitative analysis"
