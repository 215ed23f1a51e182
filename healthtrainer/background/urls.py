from django.urls import path

from healthtrainer.background import views

app_name = "background"

urlpatterns = [
    path("p/<slug:programme_slug>/background/<uuid:job_id>/", views.job, name="job"),
    path("background/", views.site_work, name="site_work"),
]
