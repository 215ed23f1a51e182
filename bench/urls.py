"""The app's URLs and, beside them, the benchmark's floor views (bench/settings.py only)."""

from django.urls import path

from bench.ingest_floor import ingest_floor
from healthtrainer.config.urls import (  # noqa: F401 - Django looks the handlers up here
    handler400,
    handler403,
    handler404,
    handler500,
)
from healthtrainer.config.urls import urlpatterns as app_urlpatterns

urlpatterns = [
    path("bench/floor/fhir-ingest/<int:programme>/<int:practice>", ingest_floor),
    *app_urlpatterns,
]
