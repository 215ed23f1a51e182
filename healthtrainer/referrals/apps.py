from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "healthtrainer.referrals"
    label = "referrals"
    verbose_name = "Referrals"
