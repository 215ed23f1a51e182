from django.urls import path

from healthtrainer.interop import views

app_name = "interop"

urlpatterns = [
    path("p/<slug:programme_slug>/api-clients/", views.api_clients, name="api_clients"),
    path(
        "p/<slug:programme_slug>/api-clients/<int:client_id>/revoke/",
        views.api_client_revoke,
        name="api_client_revoke",
    ),
]
