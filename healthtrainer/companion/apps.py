from django.apps import AppConfig


class CompanionConfig(AppConfig):
    name = "healthtrainer.companion"
    label = "companion"
    verbose_name = "Client companion"
