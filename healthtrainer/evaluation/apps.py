from django.apps import AppConfig


class EvaluationConfig(AppConfig):
    name = "healthtrainer.evaluation"
    label = "evaluation"
    verbose_name = "Evaluation"
