from django.urls import path

from healthtrainer.network import consent_views, report_views, views

app_name = "network"

urlpatterns = [
    path("networks/", views.networks, name="networks"),
    path("networks/<slug:network_slug>/", views.network, name="network"),
    path(
        "networks/<slug:network_slug>/figures.<slug:fmt>",
        views.network_download,
        name="network_download",
    ),
    path(
        "networks/<slug:network_slug>/programmes/<slug:programme_slug>/report/",
        report_views.programme_report,
        name="programme_report",
    ),
    path(
        "p/<slug:programme_slug>/networks/",
        consent_views.programme_networks,
        name="programme_networks",
    ),
]
