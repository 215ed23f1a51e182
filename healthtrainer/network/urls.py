from django.urls import path

from healthtrainer.network import views

app_name = "network"

urlpatterns = [
    path("networks/", views.networks, name="networks"),
    path("networks/<slug:network_slug>/", views.network, name="network"),
]
