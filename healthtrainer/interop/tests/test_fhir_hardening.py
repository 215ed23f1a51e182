"""The FHIR interface within bounds: numbers in searches and paths, JSON bodies too large,
too deep or with impossible numbers, the wrong method or an address that is not there,
each answered with an OperationOutcome; and every read audited against the person whose
record it is."""

from __future__ import annotations

import json
import time
from datetime import date
from urllib.parse import quote

import pytest
from django.conf import settings as django_settings
from django.test import Client as HttpClient
from django.urls import URLPattern

from healthtrainer.accounts.roles import Role
from healthtrainer.core.json_input import MAX_BODY_BYTES, MAX_DEPTH, MAX_NUMBER_CHARACTERS
from healthtrainer.core.models import AuditEvent
from healthtrainer.core.parameters import ID_MAX
from healthtrainer.interop import urls as fhir_urls
from healthtrainer.interop.fhir.http import RECORD_READ
from healthtrainer.interop.tests.test_fhir import _api, _post, _token, practice, service_request
from healthtrainer.measures import services as measures
from healthtrainer.referrals import services as referrals
from healthtrainer.referrals.models import Referral
from healthtrainer.tests.factories import GoalFactory, collect

__all__ = ["practice"]  # A fixture, used by name.

FHIR = "application/fhir+json"
HUGE = "99999999999999999999999"
SEARCHES = ("Goal", "CarePlan", "QuestionnaireResponse", "Observation")
# Digits to str.isdigit() that are not ASCII: superscript two, Arabic-Indic one, and a
# mathematical bold one.
UNICODE_DIGITS = ("\u00b2", "\u0661", "\U0001d7cf")


def _outcome(response, status: int) -> dict:
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"].startswith(FHIR)
    outcome = response.json()
    assert outcome["resourceType"] == "OperationOutcome"
    return outcome["issue"][0]


@pytest.fixture
def api(world):
    return _api(_token(world.programme))


@pytest.fixture
def accepted(world, practice, api):
    """A referral sent over FHIR and accepted: a client with a goal and a scored PHQ-9."""
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
    GoalFactory(episode=referral)
    measures.response_record(
        actor=trainer,
        episode=referral,
        instrument=collect(world.programme, "phq9"),
        timepoint="baseline",
        completed_on=date(2026, 11, 3),
        source="trainer",
        total=14,
        safety_answer=0,
    )
    return referral


@pytest.fixture(params=[False, True], ids=["production", "debug"])
def debug(request, settings):
    settings.DEBUG = request.param
    return request.param


# Paging


@pytest.mark.parametrize("kind", SEARCHES)
def test_a_page_that_is_no_page_number_is_refused(api, accepted, kind):
    for page in (HUGE, str(ID_MAX + 1), *UNICODE_DIGITS, "-1", "0", "1.5", "x", ""):
        response = api.get(
            f"/fhir/R4/{kind}", {"subject": f"Patient/{accepted.client_id}", "page": page}
        )
        issue = _outcome(response, 400)
        assert issue["code"] == "invalid"
        assert issue["expression"] == ["page"]


def test_a_count_that_is_no_number_is_refused(api, accepted):
    for count in (HUGE, *UNICODE_DIGITS, "-1", "x"):
        response = api.get(
            "/fhir/R4/Goal", {"subject": f"Patient/{accepted.client_id}", "_count": count}
        )
        assert _outcome(response, 400)["expression"] == ["_count"]


def test_a_page_past_the_last_is_an_empty_page(api, accepted):
    response = api.get(
        "/fhir/R4/Goal", {"subject": f"Patient/{accepted.client_id}", "page": str(ID_MAX)}
    )
    assert response.status_code == 200
    bundle = response.json()
    assert bundle["total"] == accepted.goals.count()
    assert bundle["entry"] == []
    assert not any(link["relation"] == "next" for link in bundle["link"])


# Ids in searches and paths


@pytest.mark.parametrize("kind", SEARCHES)
@pytest.mark.parametrize("name", ["subject", "patient"])
def test_a_subject_that_is_no_id_is_refused(api, accepted, kind, name):
    for subject in (*UNICODE_DIGITS, HUGE, str(ID_MAX + 1), "-1", "0", "1 ", "+1", "", "1e3"):
        issue = _outcome(api.get(f"/fhir/R4/{kind}", {name: f"Patient/{subject}"}), 400)
        assert issue["code"] == "invalid"
        assert issue["expression"] == ["subject"]


@pytest.mark.parametrize("kind", ["Patient", "ServiceRequest"])
def test_a_read_of_an_id_that_is_not_there_is_not_found(api, accepted, kind):
    for identifier in (
        *(quote(digit) for digit in UNICODE_DIGITS),
        HUGE,
        str(ID_MAX + 1),
        str(ID_MAX),
        "0",
        "-1",
        "abc",
        "9" * 5000,
    ):
        issue = _outcome(api.get(f"/fhir/R4/{kind}/{identifier}"), 404)
        assert issue["code"] == "not-found"


# Bodies


def _send(api, body: bytes, path: str = "/fhir/R4/ServiceRequest"):
    return api.post(path, body, content_type=FHIR)


def _nested(levels: int, opener: bytes = b"[", closer: bytes = b"]") -> bytes:
    return opener * levels + b"1" + closer * levels


def _nested_objects(levels: int) -> bytes:
    return b'{"a": ' * levels + b"1" + b"}" * levels


@pytest.mark.parametrize("path", ["/fhir/R4/ServiceRequest", "/fhir/R4/"])
@pytest.mark.parametrize(
    "body",
    [
        _nested(1_500),
        _nested(100_000),
        _nested_objects(1_500),
        _nested_objects(100_000),
        b"[" * 100_000,
        _nested(MAX_DEPTH + 1),
    ],
    ids=["arrays-1500", "arrays-100000", "objects-1500", "objects-100000", "unclosed", "one-more"],
)
def test_a_body_nested_too_deep_is_refused_at_once(api, world, practice, path, body, debug):
    started = time.perf_counter()
    issue = _outcome(_send(api, body, path), 400)
    assert time.perf_counter() - started < 1
    assert issue["code"] == "invalid"
    assert "nested too deeply" in issue["diagnostics"]
    assert not Referral.objects.exists()


def _with_pain_duration(literal: str) -> bytes:
    """A referral whose pain duration is `literal`, as written in the JSON."""
    body = json.dumps(service_request())
    assert body.count('"valueInteger": 24') == 1
    return body.replace('"valueInteger": 24', f'"valueInteger": {literal}').encode()


@pytest.mark.parametrize(
    "number", ["1" * 5_000, "-" + "9" * 5_000, "1" * (MAX_NUMBER_CHARACTERS + 1), "1e999"]
)
def test_a_number_no_real_value_has_is_refused(api, practice, number, debug):
    body = _with_pain_duration(number)
    issue = _outcome(_send(api, body), 400)
    assert issue["code"] == "invalid"
    assert "number" in issue["diagnostics"]
    assert not Referral.objects.exists()


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
def test_nan_and_infinity_are_not_json(api, practice, constant):
    body = _with_pain_duration(constant)
    issue = _outcome(_send(api, body), 400)
    assert constant in issue["diagnostics"]
    assert not Referral.objects.exists()


@pytest.mark.parametrize(
    "size",
    [MAX_BODY_BYTES + 1, max(django_settings.DATA_UPLOAD_MAX_MEMORY_SIZE, MAX_BODY_BYTES) + 1],
    ids=["over-ours", "over-djangos"],
)
@pytest.mark.parametrize("path", ["/fhir/R4/ServiceRequest", "/fhir/R4/"])
def test_a_body_too_large_is_refused_with_413(api, practice, path, size, debug):
    padding = b" " * (size - 2)
    issue = _outcome(_send(api, b"{" + padding + b"}", path), 413)
    assert issue["code"] == "too-long"
    assert not Referral.objects.exists()


def test_a_body_is_read_up_to_the_limit_and_no_further(api, practice):
    body = json.dumps(service_request()).encode()
    padded = body[:-1] + b" " * (MAX_BODY_BYTES - len(body)) + b"}"
    assert len(padded) == MAX_BODY_BYTES
    assert _outcome(_send(api, padded[:-1] + b" }"), 413)["code"] == "too-long"
    assert _send(api, padded).status_code == 201


# Methods and addresses

# Each endpoint, in the order of the routes, with an address it answers and its methods.
ENDPOINTS = {
    "metadata": ("/fhir/R4/metadata", ("GET",)),
    "transaction": ("/fhir/R4/", ("POST",)),
    "service_requests": ("/fhir/R4/ServiceRequest", ("GET", "POST")),
    "service_request": ("/fhir/R4/ServiceRequest/1", ("GET",)),
    "patient": ("/fhir/R4/Patient/1", ("GET",)),
    "goals": ("/fhir/R4/Goal", ("GET",)),
    "care_plans": ("/fhir/R4/CarePlan", ("GET",)),
    "questionnaire_responses": ("/fhir/R4/QuestionnaireResponse", ("GET",)),
    "observations": ("/fhir/R4/Observation", ("GET",)),
    "questionnaires": ("/fhir/R4/Questionnaire", ("GET",)),
}
METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")


def test_every_endpoint_is_checked_and_any_other_address_is_answered_last():
    names = [pattern.name for pattern in fhir_urls.urlpatterns if isinstance(pattern, URLPattern)]
    assert names == [*ENDPOINTS, "unknown"]


@pytest.mark.parametrize("name", ENDPOINTS)
def test_a_method_an_endpoint_does_not_answer_is_405_with_allow(api, name, debug):
    path, allowed = ENDPOINTS[name]
    for method in METHODS:
        if method in allowed:
            continue
        response = api.generic(method, path, b"{}", content_type=FHIR)
        assert _outcome(response, 405)["code"] == "not-supported"
        assert response["Allow"] == ", ".join(allowed)


@pytest.mark.parametrize(
    "path",
    [
        "/fhir/R4/Nothing",
        "/fhir/R4/Patient",
        "/fhir/R4/Patient/1/",
        "/fhir/R4/Patient/1/_history/1",
        "/fhir/R4/metadata/",
        "/fhir/R4/Goal/1",
    ],
)
def test_an_address_under_the_base_that_is_not_there_is_not_found(path, debug):
    for method in ("GET", "POST", "DELETE"):
        response = HttpClient().generic(method, path, b"{}", content_type=FHIR)
        assert _outcome(response, 404)["code"] == "not-found"


# The audit of reads


def _reads() -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=RECORD_READ).order_by("pk"))


def test_a_patient_read_is_audited_against_that_client(world, api, accepted):
    before = len(_reads())
    assert api.get(f"/fhir/R4/Patient/{accepted.client_id}").status_code == 200
    (event,) = _reads()[before:]
    assert (event.object_type, event.object_id) == ("clients.client", str(accepted.client_id))
    assert event.changed_fields == [f"Patient/{accepted.client_id}"]
    assert event.programme == world.programme
    assert event.actor is None
    # The call itself is audited against the system that made it.
    call = AuditEvent.objects.get(action="interop.fhir.patient_read")
    assert call.object_type == "interop.apiclient"


@pytest.mark.parametrize("kind", SEARCHES)
def test_a_search_is_audited_against_the_client_whose_records_it_returns(api, accepted, kind):
    subject = {"subject": f"Patient/{accepted.client_id}"}
    before = len(_reads())
    bundle = api.get(f"/fhir/R4/{kind}", subject).json()
    returned = sorted(f"{kind}/{entry['resource']['id']}" for entry in bundle["entry"])
    assert returned
    (event,) = _reads()[before:]
    assert (event.object_type, event.object_id) == ("clients.client", str(accepted.client_id))
    assert event.changed_fields == returned
    # A page that returns nothing reads nothing.
    past_the_last = {**subject, "page": len(returned) + 1, "_count": 1}
    assert api.get(f"/fhir/R4/{kind}", past_the_last).json()["entry"] == []
    assert len(_reads()) == before + 1


def test_a_referral_read_names_the_client_once_accepted_and_the_referral_before(
    api, accepted, practice
):
    _post(api, service_request("REF-2"))
    waiting = Referral.objects.get(client=None)
    before = len(_reads())
    assert api.get(f"/fhir/R4/ServiceRequest/{accepted.pk}").status_code == 200
    assert api.get(f"/fhir/R4/ServiceRequest/{waiting.pk}").status_code == 200
    found = api.get("/fhir/R4/ServiceRequest", {"identifier": "https://gp.example/referrals|REF-2"})
    assert found.json()["total"] == 1
    people = [
        (event.object_type, event.object_id, event.changed_fields) for event in _reads()[before:]
    ]
    assert people == [
        ("clients.client", str(accepted.client_id), [f"ServiceRequest/{accepted.pk}"]),
        ("referrals.referral", str(waiting.pk), [f"ServiceRequest/{waiting.pk}"]),
        ("referrals.referral", str(waiting.pk), [f"ServiceRequest/{waiting.pk}"]),
    ]


@pytest.mark.parametrize("resource_type", [[], 1, None, {"a": 1}, "Nothing"])
def test_a_resource_inside_whose_type_is_no_resource_is_refused(api, practice, resource_type):
    inside = {"resourceType": resource_type}
    bundle = {"resourceType": "Bundle", "type": "transaction", "entry": [{"resource": inside}]}
    contained = service_request(contained=[inside])
    for path, resource in (("/fhir/R4/", bundle), ("/fhir/R4/ServiceRequest", contained)):
        issue = _outcome(_send(api, json.dumps(resource).encode(), path), 400)
        assert issue["code"] == "structure"
    assert not Referral.objects.exists()
