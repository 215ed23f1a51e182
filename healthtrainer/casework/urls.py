from django.urls import path

from healthtrainer.casework import views

app_name = "casework"

urlpatterns = [
    path("p/<slug:programme_slug>/caseload/", views.caseload, name="caseload"),
]
