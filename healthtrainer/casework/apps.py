from django.apps import AppConfig


class CaseworkConfig(AppConfig):
    name = "healthtrainer.casework"
    label = "casework"
    verbose_name = "Casework"
