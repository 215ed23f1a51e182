from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "healthtrainer.core"
    label = "core"
    verbose_name = "Core"
