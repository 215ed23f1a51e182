from django.urls import path

from healthtrainer.workforce.views import lists
from healthtrainer.workforce.views import supervision as views

P = "p/<slug:programme_slug>/"
SESSION = f"{P}supervision/<int:session_id>/"

urlpatterns = [
    path(f"{P}supervision/", views.supervision_list, name="supervision_list"),
    path(f"{P}supervision/new/", views.supervision_new, name="supervision_new"),
    path(f"{P}supervision/fidelity/", views.fidelity, name="fidelity"),
    path(SESSION, views.supervision, name="supervision"),
    path(f"{SESSION}ratings/<int:trainer_id>/", views.supervision_rate, name="supervision_rate"),
    path(f"{SESSION}actions/", views.supervision_action_add, name="supervision_action_add"),
    path(
        f"{SESSION}actions/<int:action_id>/complete/",
        views.supervision_action_complete,
        name="supervision_action_complete",
    ),
    path(f"{P}trainers/", views.trainers, name="trainers"),
    path(f"{P}trainers/<int:membership_id>/", views.trainer_profile, name="trainer_profile"),
    path(f"{P}workforce-settings/", views.workforce_settings, name="settings"),
    path(f"{P}workforce-lists/", lists.lists, name="lists"),
    path(
        f"{P}workforce-lists/<str:kind>/<int:item_id>/active/",
        lists.list_item_set_active,
        name="list_item_set_active",
    ),
]
