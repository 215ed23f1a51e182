from django.urls import URLPattern, path

from healthtrainer.workforce.views import training as views

T = "p/<slug:programme_slug>/training/"
COURSE = f"{T}courses/<int:course_id>/"

urlpatterns: list[URLPattern] = [
    path(T, views.courses, name="training_courses"),
    path(f"{T}courses/new/", views.course_edit, name="training_course_new"),
    path(COURSE, views.course, name="training_course"),
    path(f"{COURSE}edit/", views.course_edit, name="training_course_edit"),
    path(f"{COURSE}sessions/new/", views.session_edit, name="training_session_new"),
    path(f"{COURSE}sessions/<int:session_id>/", views.session_edit, name="training_session_edit"),
    path(f"{COURSE}rate/", views.rate, name="training_rate"),
    path(f"{COURSE}satisfaction/", views.satisfaction, name="training_satisfaction"),
    path(
        f"{T}satisfaction/<int:response_id>/",
        views.satisfaction_response,
        name="training_satisfaction_response",
    ),
    path(f"{T}confidence/", views.confidence, name="training_confidence"),
    path(f"{T}confidence/new/", views.confidence_new, name="training_confidence_new"),
    path(
        f"{T}confidence/<int:survey_id>/",
        views.confidence_survey,
        name="training_confidence_survey",
    ),
]
