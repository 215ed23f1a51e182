from django.apps import AppConfig


class NetworkConfig(AppConfig):
    name = "healthtrainer.network"
    label = "network"
    verbose_name = "Network of programmes"
