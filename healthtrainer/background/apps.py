from django.apps import AppConfig


class BackgroundConfig(AppConfig):
    name = "healthtrainer.background"
    label = "background"
    verbose_name = "Background work"
