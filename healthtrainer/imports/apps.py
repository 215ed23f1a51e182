from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "healthtrainer.imports"
    label = "imports"
    verbose_name = "Programme workbook import"
