from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "healthtrainer.api"
    label = "api"
    verbose_name = "JSON API"
