from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "healthtrainer.demo"
    label = "demo"
    verbose_name = "Demo programme"
