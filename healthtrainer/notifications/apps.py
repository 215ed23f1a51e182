from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "healthtrainer.notifications"
    label = "notifications"
    verbose_name = "Notifications"
