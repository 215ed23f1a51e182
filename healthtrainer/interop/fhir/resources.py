"""Our records as FHIR R4 resources (validated against fhir.resources' R4B models), and
the identifiers and codes they carry (UK Core systems)."""

from __future__ import annotations

from typing import Any

from fhir.resources.R4B.careplan import CarePlan as FhirCarePlan
from fhir.resources.R4B.goal import Goal as FhirGoal
from fhir.resources.R4B.observation import Observation as FhirObservation
from fhir.resources.R4B.patient import Patient as FhirPatient
from fhir.resources.R4B.questionnaireresponse import (
    QuestionnaireResponse as FhirQuestionnaireResponse,
)
from fhir.resources.R4B.servicerequest import ServiceRequest as FhirServiceRequest

from healthtrainer.casework.fhir import achievement_status, lifecycle_status
from healthtrainer.casework.models import Goal
from healthtrainer.clients.models import Client
from healthtrainer.measures.definitions import FHIR_BASE
from healthtrainer.measures.models import QuestionnaireResponse
from healthtrainer.referrals.models import Referral
from healthtrainer.referrals.triage import Status

NHS_NUMBER_SYSTEM = "https://fhir.nhs.uk/Id/nhs-number"
ODS_SYSTEM = "https://fhir.nhs.uk/Id/ods-organization-code"
SNOMED = "http://snomed.info/sct"
EXTENSION_BASE = "https://healthtrainer.invalid/fhir/StructureDefinition/"
PAIN_DURATION = EXTENSION_BASE + "pain-duration-months"
CONSENT = EXTENSION_BASE + "consent-given"
REFERRAL_STATUS = EXTENSION_BASE + "referral-status"
PROFILE = "https://fhir.hl7.org.uk/StructureDefinition/UKCore-"
INSTRUMENT_SYSTEM = "https://healthtrainer.invalid/CodeSystem/instrument"

# A referral's place in triage, as the ServiceRequest status other systems understand.
SERVICE_REQUEST_STATUS = {
    Status.RECEIVED: "active",
    Status.CONTACT_ATTEMPTED: "active",
    Status.ACCEPTED: "active",
    Status.DECLINED: "revoked",
    Status.UNABLE_TO_CONTACT: "revoked",
    Status.NOT_ELIGIBLE: "revoked",
    Status.WITHDRAWN: "revoked",
}


def _checked(model: Any, resource: dict[str, Any]) -> dict[str, Any]:
    """The resource as the R4B model accepts it: what we send must be valid FHIR."""
    checked: dict[str, Any] = model.model_validate(resource).model_dump(
        mode="json", exclude_none=True
    )
    return checked


def _patient_fields(record: Client | Referral) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "name": [{"given": [record.given_name], "family": record.family_name}],
        "gender": record.sex if record.sex in ("female", "male", "other", "unknown") else "unknown",
        "birthDate": record.date_of_birth.isoformat(),
    }
    if record.nhs_number:
        fields["identifier"] = [{"system": NHS_NUMBER_SYSTEM, "value": record.nhs_number}]
    if record.postcode:
        fields["address"] = [{"postalCode": record.postcode}]
    telecom = [
        {"system": system, "value": value}
        for system, value in (("phone", record.phone), ("email", record.email))
        if value
    ]
    if telecom:
        fields["telecom"] = telecom
    return fields


def patient(client: Client) -> dict[str, Any]:
    return _checked(
        FhirPatient,
        {
            "resourceType": "Patient",
            "id": str(client.pk),
            "meta": {"profile": [PROFILE + "Patient"]},
            **_patient_fields(client),
        },
    )


def service_request(referral: Referral) -> dict[str, Any]:
    """The referral, with its patient: the client record once accepted, until then the
    person as referred, contained in the resource."""
    resource: dict[str, Any] = {
        "resourceType": "ServiceRequest",
        "id": str(referral.pk),
        "meta": {"profile": [PROFILE + "ServiceRequest"]},
        "status": SERVICE_REQUEST_STATUS[Status(referral.status)],
        "intent": "order",
        "code": {"coding": [{"system": SNOMED, "code": referral.programme.referral_code}]},
        "authoredOn": referral.received_date.isoformat(),
        "extension": [
            {"url": REFERRAL_STATUS, "valueCode": referral.status},
            {"url": PAIN_DURATION, "valueInteger": referral.pain_duration_months},
            {"url": CONSENT, "valueBoolean": referral.consent_given},
        ],
    }
    identifier = getattr(referral, "external_identifier", None)
    if identifier is not None:
        resource["identifier"] = [{"system": identifier.system, "value": identifier.value}]
    if referral.client_id:
        resource["subject"] = {"reference": f"Patient/{referral.client_id}"}
    else:
        resource["contained"] = [
            {"resourceType": "Patient", "id": "patient", **_patient_fields(referral)}
        ]
        resource["subject"] = {"reference": "#patient"}
    if referral.practice is not None and referral.practice.ods_code:
        resource["requester"] = {
            "identifier": {"system": ODS_SYSTEM, "value": referral.practice.ods_code},
            "display": referral.practice.name,
        }
    if referral.help_wanted:
        resource["reasonCode"] = [{"text": referral.help_wanted}]
    if referral.status_reason:
        resource["note"] = [{"text": referral.status_reason}]
    return _checked(FhirServiceRequest, resource)


def goal(item: Goal, *, sustained: str = "") -> dict[str, Any]:
    status = item.final_status or item.status
    resource: dict[str, Any] = {
        "resourceType": "Goal",
        "id": str(item.pk),
        "lifecycleStatus": lifecycle_status(status, final=bool(item.final_status)),
        "description": {"text": item.description},
        "subject": {"reference": f"Patient/{item.episode.client_id}"},
        "startDate": item.set_on.isoformat(),
    }
    achievement = achievement_status(status, sustained=sustained)
    if achievement is not None:
        resource["achievementStatus"] = achievement
    return _checked(FhirGoal, resource)


def care_plan(referral: Referral, goal_ids: list[int]) -> dict[str, Any]:
    """An episode's personal health plan: its goals, active until the client leaves."""
    discharge = getattr(referral, "discharge", None)
    resource: dict[str, Any] = {
        "resourceType": "CarePlan",
        "id": str(referral.pk),
        "meta": {"profile": [PROFILE + "CarePlan"]},
        "status": "completed" if discharge is not None else "active",
        "intent": "plan",
        "title": "Personal health plan",
        "subject": {"reference": f"Patient/{referral.client_id}"},
        "basedOn": [{"reference": f"ServiceRequest/{referral.pk}"}],
        "goal": [{"reference": f"Goal/{goal_id}"} for goal_id in goal_ids],
    }
    if discharge is not None:
        resource["period"] = {"end": discharge.discharged_on.isoformat()}
    return _checked(FhirCarePlan, resource)


def questionnaire_response(response: QuestionnaireResponse) -> dict[str, Any]:
    """A scored questionnaire as its total: the answers to licensed items are not sent."""
    resource: dict[str, Any] = {
        "resourceType": "QuestionnaireResponse",
        "id": str(response.pk),
        "meta": {"profile": [PROFILE + "QuestionnaireResponse"]},
        "questionnaire": f"{FHIR_BASE}/Questionnaire/{response.instrument.code}",
        "status": "completed" if response.complete else "in-progress",
        "subject": {"reference": f"Patient/{response.episode.client_id}"},
        "authored": response.completed_on.isoformat(),
        "item": [
            {
                "linkId": "total",
                "text": "Total score",
                "answer": [{"valueDecimal": response.total}],
            }
        ]
        if response.total is not None
        else [],
    }
    if not resource["item"]:
        del resource["item"]
    return _checked(FhirQuestionnaireResponse, resource)


def observation(response: QuestionnaireResponse) -> dict[str, Any]:
    """A questionnaire's total score as an Observation, coded by its instrument."""
    return _checked(
        FhirObservation,
        {
            "resourceType": "Observation",
            "id": str(response.pk),
            "status": "final",
            "category": [
                {
                    "coding": [
                        {
                            "system": "http://terminology.hl7.org/CodeSystem/observation-category",
                            "code": "survey",
                        }
                    ]
                }
            ],
            "code": {
                "coding": [
                    {
                        "system": INSTRUMENT_SYSTEM,
                        "code": response.instrument.code,
                        "display": response.instrument.name,
                    }
                ]
            },
            "subject": {"reference": f"Patient/{response.episode.client_id}"},
            "effectiveDateTime": response.completed_on.isoformat(),
            "valueQuantity": {"value": response.total},
            "derivedFrom": [{"reference": f"QuestionnaireResponse/{response.pk}"}],
        },
    )
