from django.apps import AppConfig


class WorkforceConfig(AppConfig):
    name = "healthtrainer.workforce"
    label = "workforce"
    verbose_name = "Workforce, supervision and resources"
