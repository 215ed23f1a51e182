from django.urls import path

from healthtrainer.casework.views import (
    caseload,
    closing,
    directory,
    escalations,
    goals,
    sessions,
    settings,
)

app_name = "casework"

P = "p/<slug:programme_slug>/"

urlpatterns = [
    path(f"{P}caseload/", caseload.caseload, name="caseload"),
    path(f"{P}episodes/<int:episode_id>/", caseload.episode, name="episode"),
    path(f"{P}clients/<int:client_id>/timeline/", caseload.timeline, name="timeline"),
    path(f"{P}episodes/<int:episode_id>/appointments/new/", sessions.book, name="book"),
    path(f"{P}appointments/<int:appointment_id>/", sessions.rebook, name="rebook"),
    path(
        f"{P}appointments/<int:appointment_id>/attendance/", sessions.attendance, name="attendance"
    ),
    path(f"{P}appointments/<int:appointment_id>/session/", sessions.session, name="session"),
    path(f"{P}episodes/<int:episode_id>/goals/new/", goals.goal_new, name="goal_new"),
    path(f"{P}goals/<int:goal_id>/", goals.goal_edit, name="goal_edit"),
    path(f"{P}goals/<int:goal_id>/review/", goals.goal_review, name="goal_review"),
    path(f"{P}episodes/<int:episode_id>/discharge/", closing.discharge, name="discharge"),
    path(f"{P}episodes/<int:episode_id>/follow-up/", closing.follow_up, name="follow_up"),
    path(f"{P}episodes/<int:episode_id>/escalate/", escalations.escalation_new, name="escalate"),
    path(f"{P}escalations/", escalations.escalations, name="escalations"),
    path(f"{P}escalations/<int:escalation_id>/", escalations.escalation, name="escalation"),
    path(
        f"{P}escalations/<int:escalation_id>/acknowledge/",
        escalations.escalation_acknowledge,
        name="escalation_acknowledge",
    ),
    path(
        f"{P}escalations/<int:escalation_id>/resolve/",
        escalations.escalation_resolve,
        name="escalation_resolve",
    ),
    path(f"{P}directory/", directory.directory, name="directory"),
    path(f"{P}directory/new/", directory.resource_edit, name="resource_new"),
    path(f"{P}directory/<int:resource_id>/", directory.resource_edit, name="resource_edit"),
    path(f"{P}episodes/<int:episode_id>/signpost/", directory.signpost, name="signpost"),
    path(
        f"{P}clients/<int:client_id>/contact-preferences/",
        settings.contact_preferences,
        name="contact_preferences",
    ),
    path(f"{P}casework-lists/", settings.lists, name="lists"),
    path(
        f"{P}casework-lists/<str:kind>/<int:item_id>/active/",
        settings.list_item_set_active,
        name="list_item_set_active",
    ),
]
