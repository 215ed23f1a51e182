from django.urls import path

from healthtrainer.evaluation.views import costs, dashboard, report

app_name = "evaluation"

P = "p/<slug:programme_slug>/"

urlpatterns = [
    path(f"{P}evaluation/referrals/", dashboard.referral_dashboard, name="referral_dashboard"),
    path(f"{P}evaluation/", report.report, name="report"),
    path(f"{P}evaluation/research.csv", report.research_export, name="research_export"),
    path(f"{P}evaluation/report.<str:fmt>", report.report_download, name="report_download"),
    path(f"{P}resources/indirect-time/", costs.time_given, name="time_given"),
    path(f"{P}resources/costs/", costs.costs, name="costs"),
]
