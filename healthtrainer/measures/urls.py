from django.urls import path

from healthtrainer.measures.views import (
    client,
    due,
    episode,
    instruments_chosen,
    outcomes,
    reference,
)

app_name = "measures"

P = "p/<slug:programme_slug>/"
EPISODE = f"{P}episodes/<int:episode_id>/measures/"

urlpatterns = [
    path(f"{P}measures/", instruments_chosen.programme_instruments, name="programme_instruments"),
    path(f"{P}measures/due/", due.due, name="due"),
    path(f"{P}measures/outcomes/", outcomes.outcomes, name="outcomes"),
    path(EPISODE, episode.episode_measures, name="episode"),
    path(f"{EPISODE}<slug:code>/<slug:timepoint>/", episode.record, name="record"),
    path(f"{EPISODE}<slug:code>/<slug:timepoint>/link/", episode.link_create, name="link_create"),
    path("q/<str:token>/", client.client_questionnaire, name="client_questionnaire"),
    path("instruments/", reference.instruments, name="instruments"),
    path("instruments/<slug:code>/item-text/", reference.item_texts, name="item_texts"),
    path(
        "instruments/<slug:code>/questionnaire.json",
        reference.questionnaire_fhir,
        name="questionnaire_fhir",
    ),
]
