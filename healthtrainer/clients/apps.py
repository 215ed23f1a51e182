from django.apps import AppConfig


class ClientsConfig(AppConfig):
    name = "healthtrainer.clients"
    label = "clients"
    verbose_name = "Clients"
