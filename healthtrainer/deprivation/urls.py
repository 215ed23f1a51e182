from django.urls import path

from healthtrainer.deprivation import views

app_name = "deprivation"

urlpatterns = [path("reference/deprivation/", views.datasets, name="datasets")]
