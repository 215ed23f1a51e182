from django.urls import path

from healthtrainer.programmes import views

app_name = "programmes"

urlpatterns = [
    path("programmes/new/", views.programme_create, name="create"),
    path("p/<slug:programme_slug>/settings/", views.programme_settings, name="settings"),
    path("p/<slug:programme_slug>/organisations/", views.organisations, name="organisations"),
    path(
        "p/<slug:programme_slug>/organisations/new/",
        views.organisation_edit,
        name="organisation_create",
    ),
    path(
        "p/<slug:programme_slug>/organisations/<int:organisation_id>/",
        views.organisation_edit,
        name="organisation",
    ),
]
