from django.urls import path

from healthtrainer.evaluation import views, views_report

app_name = "evaluation"

urlpatterns = [
    path(
        "p/<slug:programme_slug>/evaluation/referrals/",
        views.referral_dashboard,
        name="referral_dashboard",
    ),
    path("p/<slug:programme_slug>/evaluation/", views_report.report, name="report"),
    path(
        "p/<slug:programme_slug>/evaluation/research.csv",
        views_report.research_export,
        name="research_export",
    ),
    path(
        "p/<slug:programme_slug>/evaluation/report.<str:fmt>",
        views_report.report_download,
        name="report_download",
    ),
]
