from django.urls import path

from healthtrainer.measures import views

app_name = "measures"

P = "p/<slug:programme_slug>/"
EPISODE = f"{P}episodes/<int:episode_id>/measures/"

urlpatterns = [
    path(f"{P}measures/", views.programme_instruments, name="programme_instruments"),
    path(f"{P}measures/due/", views.due, name="due"),
    path(f"{P}measures/outcomes/", views.outcomes, name="outcomes"),
    path(EPISODE, views.episode_measures, name="episode"),
    path(f"{EPISODE}<slug:code>/<slug:timepoint>/", views.record, name="record"),
    path(f"{EPISODE}<slug:code>/<slug:timepoint>/link/", views.link_create, name="link_create"),
    path("q/<str:token>/", views.client_questionnaire, name="client_questionnaire"),
    path("instruments/", views.instruments, name="instruments"),
    path("instruments/<slug:code>/item-text/", views.item_texts, name="item_texts"),
    path(
        "instruments/<slug:code>/questionnaire.json",
        views.questionnaire_fhir,
        name="questionnaire_fhir",
    ),
]
