from django.urls import path, re_path

from healthtrainer.interop.fhir import views

app_name = "fhir"

B = "fhir/R4/"

urlpatterns = [
    path(f"{B}metadata", views.metadata, name="metadata"),
    path(B, views.transaction, name="transaction"),
    path(f"{B}ServiceRequest", views.service_requests, name="service_requests"),
    path(f"{B}ServiceRequest/<str:identifier>", views.service_request, name="service_request"),
    path(f"{B}Patient/<str:identifier>", views.patient, name="patient"),
    path(f"{B}Goal", views.goals, name="goals"),
    path(f"{B}CarePlan", views.care_plans, name="care_plans"),
    path(
        f"{B}QuestionnaireResponse",
        views.questionnaire_responses,
        name="questionnaire_responses",
    ),
    path(f"{B}Observation", views.observations, name="observations"),
    path(f"{B}Questionnaire", views.questionnaires, name="questionnaires"),
    # Last: any other address under the base answers an OperationOutcome, not a web page.
    re_path(rf"^{B}(?P<rest>.*)$", views.unknown, name="unknown"),
]
