from django.urls import include, path

app_name = "workforce"

urlpatterns = [
    path("", include("healthtrainer.workforce.urls_supervision")),
    path("", include("healthtrainer.workforce.urls_training")),
    path("", include("healthtrainer.workforce.urls_resources")),
]
