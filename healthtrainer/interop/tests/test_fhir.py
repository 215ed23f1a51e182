"""The FHIR R4 interface: API clients and their tokens, referrals in, records out, and an
OperationOutcome for every error."""

from __future__ import annotations

import json
from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client as HttpClient
from django.utils import timezone
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.capabilitystatement import CapabilityStatement
from fhir.resources.R4B.servicerequest import ServiceRequest

from healthtrainer.accounts.roles import Permission, Role
from healthtrainer.core.models import AuditEvent
from healthtrainer.interop.fhir.resources import (
    CONSENT,
    NHS_NUMBER_SYSTEM,
    ODS_SYSTEM,
    PAIN_DURATION,
    SNOMED,
)
from healthtrainer.interop.models import ApiClient
from healthtrainer.interop.services import api_client_create, api_client_revoke
from healthtrainer.measures import services as measures
from healthtrainer.referrals import services as referrals
from healthtrainer.referrals.models import Referral
from healthtrainer.tests.factories import GoalFactory, PracticeFactory, collect

FHIR = "application/fhir+json"


@pytest.fixture
def practice(world):
    return PracticeFactory(programme=world.programme, ods_code="Y90001")


def _token(programme, *permissions, **options):
    return api_client_create(
        actor=None,
        programme=programme,
        name="GP system",
        permissions=permissions or [Permission.RECORD_REFERRAL, Permission.VIEW_CLIENT_RECORD],
        **options,
    )[1]


def _api(token):
    return HttpClient(HTTP_AUTHORIZATION=f"Bearer {token}")


def service_request(identifier="REF-1", **changes):
    resource = {
        "resourceType": "ServiceRequest",
        "identifier": [{"system": "https://gp.example/referrals", "value": identifier}],
        "status": "active",
        "intent": "order",
        "code": {"coding": [{"system": SNOMED, "code": "871731000000106"}]},
        "subject": {"reference": "#patient"},
        "contained": [
            {
                "resourceType": "Patient",
                "id": "patient",
                "identifier": [{"system": NHS_NUMBER_SYSTEM, "value": "9434765919"}],
                "name": [{"given": ["Ada"], "family": "Lovelace"}],
                "gender": "female",
                "birthDate": "1960-03-27",
            }
        ],
        "requester": {"identifier": {"system": ODS_SYSTEM, "value": "Y90001"}},
        "authoredOn": "2026-11-02",
        "reasonCode": [{"text": "Walking further"}],
        "extension": [
            {"url": PAIN_DURATION, "valueInteger": 24},
            {"url": CONSENT, "valueBoolean": True},
        ],
    }
    resource.update(changes)
    return resource


def _post(client, resource, path="/fhir/R4/ServiceRequest"):
    return client.post(path, json.dumps(resource), content_type=FHIR)


def test_the_capability_statement_is_valid_and_says_what_is_supported(client):
    response = client.get("/fhir/R4/metadata")
    assert response["Content-Type"].startswith(FHIR)
    statement = CapabilityStatement.model_validate(response.json())
    kinds = {resource.type: resource for resource in statement.rest[0].resource}
    assert set(kinds) == {
        "ServiceRequest",
        "Patient",
        "Goal",
        "CarePlan",
        "QuestionnaireResponse",
        "Observation",
        "Questionnaire",
    }
    assert [i.code for i in kinds["Patient"].interaction] == ["read"]


def test_a_referral_is_received_once_however_often_it_is_sent(world, practice):
    api = _api(_token(world.programme))
    first = _post(api, service_request())
    assert first.status_code == 201
    body = first.json()
    ServiceRequest.model_validate(body)
    assert first["Location"].endswith(f"/fhir/R4/ServiceRequest/{body['id']}")
    referral = Referral.objects.get()
    assert (referral.nhs_number, referral.practice, referral.status) == (
        "9434765919",
        practice,
        "received",
    )
    assert referral.received_date == date(2026, 11, 2)
    again = _post(api, service_request())
    assert again.status_code == 200
    assert again.json()["id"] == body["id"]
    assert Referral.objects.count() == 1
    found = api.get(
        "/fhir/R4/ServiceRequest", {"identifier": "https://gp.example/referrals|REF-1"}
    ).json()
    Bundle.model_validate(found)
    assert [entry["resource"]["id"] for entry in found["entry"]] == [body["id"]]
    read = api.get(f"/fhir/R4/ServiceRequest/{body['id']}").json()
    assert read["identifier"] == body["identifier"]
    assert read["contained"][0]["name"] == [{"given": ["Ada"], "family": "Lovelace"}]


def test_a_sender_preferring_a_minimal_return_gets_the_address_and_no_body(world, practice):
    api = _api(_token(world.programme))
    first = api.post(
        "/fhir/R4/ServiceRequest",
        json.dumps(service_request()),
        content_type=FHIR,
        HTTP_PREFER="return=minimal",
    )
    referral = Referral.objects.get()
    assert first.status_code == 201
    assert first.content == b""
    assert first["Location"].endswith(f"/fhir/R4/ServiceRequest/{referral.pk}")
    again = api.post(
        "/fhir/R4/ServiceRequest",
        json.dumps(service_request()),
        content_type=FHIR,
        HTTP_PREFER="return=minimal",
    )
    assert (again.status_code, again["Location"]) == (200, first["Location"])
    assert AuditEvent.objects.filter(action="interop.fhir.service_request_posted").count() == 2


def test_a_referral_goes_through_the_same_eligibility_as_the_web_form(world, practice):
    api = _api(_token(world.programme))
    young = service_request("REF-2")
    young["contained"][0]["birthDate"] = (
        timezone.localdate() - timedelta(days=365 * 16)
    ).isoformat()
    body = _post(api, young).json()
    assert body["status"] == "revoked"
    assert {"url": body["extension"][0]["url"], "valueCode": "not_eligible"} in body["extension"]
    assert Referral.objects.get().status == "not_eligible"


def test_a_transaction_bundle_of_patient_and_service_request_makes_a_referral(world, practice):
    request = service_request("REF-3", subject={"reference": "urn:uuid:p1"})
    patient = request.pop("contained")[0]
    patient.pop("id")
    bundle = {
        "resourceType": "Bundle",
        "type": "transaction",
        "entry": [
            {
                "fullUrl": "urn:uuid:p1",
                "resource": patient,
                "request": {"method": "POST", "url": "Patient"},
            },
            {"resource": request, "request": {"method": "POST", "url": "ServiceRequest"}},
        ],
    }
    response = _post(_api(_token(world.programme)), bundle, "/fhir/R4/")
    assert response.status_code == 200
    Bundle.model_validate(response.json())
    assert response.json()["entry"][1]["response"]["status"] == "201 Created"
    assert Referral.objects.get().family_name == "Lovelace"


def _changed(path, value):
    resource = service_request()
    target = resource
    *parents, last = path
    for key in parents:
        target = target[key]
    if value is None:
        del target[last]
    else:
        target[last] = value
    return resource


@pytest.mark.parametrize(
    ("body", "status", "code", "words"),
    [
        (b"{not json", 400, "invalid", "not valid JSON"),
        (
            json.dumps({"resourceType": "Patient"}).encode(),
            400,
            "invalid",
            "Expected a ServiceRequest",
        ),
        (json.dumps(service_request(bogus=1)).encode(), 400, "structure", "bogus"),
        (
            json.dumps(
                _changed(["code"], {"coding": [{"system": SNOMED, "code": "1234567"}]})
            ).encode(),
            422,
            "code-invalid",
            "871731000000106",
        ),
        (
            json.dumps(
                _changed(
                    ["contained", 0, "identifier"],
                    [{"system": NHS_NUMBER_SYSTEM, "value": "9434765918"}],
                )
            ).encode(),
            422,
            "value",
            "not a valid NHS number",
        ),
        (
            json.dumps(
                _changed(["extension"], [{"url": PAIN_DURATION, "valueInteger": 24}])
            ).encode(),
            422,
            "required",
            "consent",
        ),
        (json.dumps(_changed(["identifier"], None)).encode(), 422, "required", "identifier"),
        (
            json.dumps(
                _changed(["requester"], {"identifier": {"system": ODS_SYSTEM, "value": "X1"}})
            ).encode(),
            422,
            "value",
            "not a GP practice",
        ),
    ],
)
def test_every_error_answers_with_an_operation_outcome(world, practice, body, status, code, words):
    response = _api(_token(world.programme)).post(
        "/fhir/R4/ServiceRequest", body, content_type=FHIR
    )
    assert response.status_code == status
    outcome = response.json()
    assert outcome["resourceType"] == "OperationOutcome"
    assert outcome["issue"][0]["code"] == code
    assert words in outcome["issue"][0]["diagnostics"]
    assert not Referral.objects.exists()


def test_tokens_are_checked_revoked_and_expire(world, practice):
    assert HttpClient().get("/fhir/R4/Patient/1").status_code == 401
    assert _api("htk_made-up").get("/fhir/R4/Patient/1").json()["issue"][0]["code"] == "login"
    client, token = api_client_create(
        actor=None,
        programme=world.programme,
        name="GP system",
        permissions=[Permission.RECORD_REFERRAL],
    )
    assert ApiClient.objects.get().token_hash != token
    assert _post(_api(token), service_request()).status_code == 201
    assert _api(token).get("/fhir/R4/Patient/1").status_code == 403
    api_client_revoke(actor=None, client=client)
    assert _post(_api(token), service_request("REF-9")).status_code == 401
    expiring = _token(world.programme, Permission.RECORD_REFERRAL, expires_days=1)
    ApiClient.objects.filter(revoked_at=None).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    assert _api(expiring).get("/fhir/R4/ServiceRequest/1").status_code == 401
    assert AuditEvent.objects.filter(action="interop.fhir.service_request_posted").count() == 1


def test_a_client_of_one_programme_sees_nothing_of_another(world, other_programme, practice):
    _post(_api(_token(world.programme)), service_request())
    referral = Referral.objects.get()
    outsider = _api(_token(other_programme))
    assert outsider.get(f"/fhir/R4/ServiceRequest/{referral.pk}").status_code == 404
    found = outsider.get(
        "/fhir/R4/ServiceRequest", {"identifier": "https://gp.example/referrals|REF-1"}
    ).json()
    assert found["total"] == 0


def test_after_acceptance_the_patient_and_their_goals_can_be_read(world, practice):
    api = _api(_token(world.programme))
    _post(api, service_request())
    referral = Referral.objects.get()
    referrals.referral_accept(
        actor=world.people[Role.PROGRAMME_MANAGER],
        referral=referral,
        trainer=world.people[Role.HEALTH_TRAINER],
        existing_client=None,
    )
    referral.refresh_from_db()
    GoalFactory(episode=referral, final_status="partly_achieved", status="partly_achieved")
    body = api.get(f"/fhir/R4/ServiceRequest/{referral.pk}").json()
    assert body["subject"] == {"reference": f"Patient/{referral.client_id}"}
    patient = api.get(f"/fhir/R4/Patient/{referral.client_id}").json()
    assert patient["identifier"] == [{"system": NHS_NUMBER_SYSTEM, "value": "9434765919"}]
    goals = api.get("/fhir/R4/Goal", {"subject": f"Patient/{referral.client_id}"}).json()
    Bundle.model_validate(goals)
    (goal,) = [entry["resource"] for entry in goals["entry"]]
    assert goal["achievementStatus"]["coding"][0]["code"] == "improving"
    assert goal["lifecycleStatus"] == "completed"


def test_searches_are_paged_with_links(world, practice):
    api = _api(_token(world.programme))
    for number in range(3):
        _post(api, service_request(f"REF-{number}"))
    referral = Referral.objects.first()
    referrals.referral_accept(
        actor=world.people[Role.PROGRAMME_MANAGER],
        referral=referral,
        trainer=world.people[Role.HEALTH_TRAINER],
        existing_client=None,
    )
    referral.refresh_from_db()
    for _ in range(3):
        GoalFactory(episode=referral)
    page = api.get(
        "/fhir/R4/Goal", {"subject": f"Patient/{referral.client_id}", "_count": 2}
    ).json()
    assert page["total"] == 3
    assert len(page["entry"]) == 2
    next_url = next(link["url"] for link in page["link"] if link["relation"] == "next")
    second = api.get(next_url.split("testserver", 1)[1]).json()
    assert len(second["entry"]) == 1
    assert any(link["relation"] == "previous" for link in second["link"])


def test_the_commands_create_list_and_revoke_clients(world):
    out, err = StringIO(), StringIO()
    call_command(
        "create_api_client",
        "--programme",
        world.programme.slug,
        "--name",
        "Commissioner",
        "--permission",
        Permission.VIEW_EVALUATION,
        "--expires-days",
        "30",
        stdout=out,
        stderr=err,
    )
    token = out.getvalue().strip()
    assert token.startswith("htk_")
    assert "cannot be shown again" in err.getvalue()
    listing = StringIO()
    call_command("list_api_clients", stdout=listing)
    assert f"…{token[-4:]}" in listing.getvalue()
    assert "active until" in listing.getvalue()
    client = ApiClient.objects.get()
    call_command("revoke_api_client", str(client.pk), stdout=StringIO())
    client.refresh_from_db()
    assert client.revoked_at is not None


def test_the_plan_questionnaires_and_scores_of_a_client(world, practice):
    api = _api(_token(world.programme))
    _post(api, service_request())
    referral = Referral.objects.get()
    trainer = world.people[Role.HEALTH_TRAINER]
    referrals.referral_accept(
        actor=world.people[Role.PROGRAMME_MANAGER],
        referral=referral,
        trainer=trainer,
        existing_client=None,
    )
    referral.refresh_from_db()
    goal = GoalFactory(episode=referral)
    phq9 = collect(world.programme, "phq9")
    measures.response_record(
        actor=trainer,
        episode=referral,
        instrument=phq9,
        timepoint="baseline",
        completed_on=date(2026, 11, 3),
        source="trainer",
        total=14,
        safety_answer=0,
    )
    subject = {"subject": f"Patient/{referral.client_id}"}
    plans = api.get("/fhir/R4/CarePlan", subject).json()
    Bundle.model_validate(plans)
    assert plans["entry"][0]["resource"]["goal"] == [{"reference": f"Goal/{goal.pk}"}]
    responses = api.get("/fhir/R4/QuestionnaireResponse", subject).json()
    Bundle.model_validate(responses)
    (response,) = [entry["resource"] for entry in responses["entry"]]
    assert response["item"][0]["answer"] == [{"valueDecimal": 14.0}]
    assert response["questionnaire"].endswith("/Questionnaire/phq9")
    scores = api.get("/fhir/R4/Observation", {**subject, "code": "phq9"}).json()
    Bundle.model_validate(scores)
    assert scores["entry"][0]["resource"]["valueQuantity"] == {"value": 14.0}
    assert api.get("/fhir/R4/Observation", {**subject, "code": "gad7"}).json()["total"] == 0
    wrong = api.get("/fhir/R4/Observation", {**subject, "code": "http://loinc.org|44249-1"})
    assert wrong.status_code == 400
    assert wrong.json()["resourceType"] == "OperationOutcome"
    instruments = HttpClient().get("/fhir/R4/Questionnaire").json()
    Bundle.model_validate(instruments)
    assert "wemwbs" in {entry["resource"]["id"] for entry in instruments["entry"]}


def test_a_nul_character_is_refused_before_it_reaches_the_database(world, practice):
    api = _api(_token(world.programme))
    search = api.get("/fhir/R4/ServiceRequest", {"identifier": "https://gp.example|A\x00B"})
    assert search.status_code == 400
    assert search.json()["issue"][0]["code"] == "invalid"
    posted = _post(api, service_request("REF-\x00"))
    assert posted.status_code == 400
    assert not Referral.objects.exists()
