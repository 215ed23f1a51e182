from django.urls import path

from healthtrainer.background import views

app_name = "background"

urlpatterns = [
    path("p/<slug:programme_slug>/background/<uuid:job_id>/", views.job, name="job"),
    path(
        "p/<slug:programme_slug>/background/<uuid:job_id>/file",
        views.job_file,
        name="job_file",
    ),
    path("background/", views.site_work, name="site_work"),
    path("background/<uuid:job_id>/", views.site_job, name="site_job"),
]
