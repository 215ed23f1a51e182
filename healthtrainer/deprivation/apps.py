from django.apps import AppConfig


class DeprivationConfig(AppConfig):
    name = "healthtrainer.deprivation"
    label = "deprivation"
    verbose_name = "Deprivation"
