from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "healthtrainer.accounts"
    label = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        from healthtrainer.accounts import permissions  # noqa: F401 (registers the rules)
