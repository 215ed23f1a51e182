from django.urls import path

from healthtrainer.imports import views

app_name = "imports"

P = "p/<slug:programme_slug>/"

urlpatterns = [
    path(f"{P}referrals/import/", views.upload, name="upload"),
    path(f"{P}referrals/import/confirm/", views.confirm, name="confirm"),
]
