from django.urls import path

from healthtrainer.evaluation import views

app_name = "evaluation"

urlpatterns = [
    path(
        "p/<slug:programme_slug>/evaluation/referrals/",
        views.referral_dashboard,
        name="referral_dashboard",
    ),
]
