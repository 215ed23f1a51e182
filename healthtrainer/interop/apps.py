from django.apps import AppConfig


class InteropConfig(AppConfig):
    name = "healthtrainer.interop"
    label = "interop"
    verbose_name = "Interoperability"
