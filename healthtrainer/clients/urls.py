from django.urls import path

from healthtrainer.clients import views

app_name = "clients"

urlpatterns = [
    path("p/<slug:programme_slug>/clients/<int:client_id>/", views.client_detail, name="detail"),
]
