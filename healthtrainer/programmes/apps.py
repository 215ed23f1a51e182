from django.apps import AppConfig


class ProgrammesConfig(AppConfig):
    name = "healthtrainer.programmes"
    label = "programmes"
    verbose_name = "Programmes"
