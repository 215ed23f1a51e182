"""The FHIR interface, sent hostile searches, reads, resources and tokens, answers without
a server error, and answers every refusal with an OperationOutcome.

The endpoints and their search parameters come from the CapabilityStatement, so a resource
or a search parameter added there is fuzzed too. Each endpoint gets one pass of the fixed
hostile values, then a few generated ones, derandomised so a failure is repeatable.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client as HttpClient
from hypothesis import given
from hypothesis import strategies as st

from healthtrainer.interop.fhir.capability import capability_statement
from healthtrainer.interop.services import GRANTABLE, api_client_create
from healthtrainer.interop.tests.test_fhir import service_request
from healthtrainer.tests.factories import PracticeFactory
from healthtrainer.tests.hostile import (
    HOSTILE_IDS,
    HOSTILE_VALUES,
    HUGE,
    ServerErrors,
    encode_query,
    every_value_in_turn,
    fuzzed,
    hostile_json,
    hostile_or,
)

FHIR = "application/fhir+json"
BASE = "/fhir/R4/"

STATEMENT = capability_statement("http://testserver/fhir/R4/", "Health Trainer")
RESOURCES = {
    resource["type"]: resource for rest in STATEMENT["rest"] for resource in rest["resource"]
}


def _interactions(resource: dict[str, Any]) -> set[str]:
    return {interaction["code"] for interaction in resource.get("interaction", [])}


SEARCHED = sorted(kind for kind, spec in RESOURCES.items() if "search-type" in _interactions(spec))
READ = sorted(kind for kind, spec in RESOURCES.items() if "read" in _interactions(spec))
CREATED = sorted(kind for kind, spec in RESOURCES.items() if "create" in _interactions(spec))

# Paging and the subject's other name, taken by every search.
EVERY_SEARCH_TAKES = ("_count", "page", "patient", "_format", "_id")

# Ids a path accepts: digits only, of any size.
HOSTILE_PATH_IDS = ("0", "1", HUGE, str(2**63), str(2**63 - 1), str(2**31), "9" * 400)

BAD_TOKENS = (
    "",
    "Bearer",
    "Bearer ",
    "Basic dXNlcjpwYXNz",
    "Bearer not-a-token",
    "Bearer " + "x" * 20_000,
    "Bearer ²",
    "Bearer \x00",
    "bearer\tx",
)

GENERATED_EXAMPLES = 8

FUZZ_SETTINGS = fuzzed(GENERATED_EXAMPLES)


@pytest.fixture
def token(world):
    PracticeFactory(programme=world.programme, ods_code="Y90001")
    return api_client_create(
        actor=None, programme=world.programme, name="GP system", permissions=list(GRANTABLE)
    )[1]


def _is_operation_outcome(path: str, response) -> bool:
    if not response.get("Content-Type", "").startswith(FHIR):
        return False
    try:
        return json.loads(response.content).get("resourceType") == "OperationOutcome"
    except (ValueError, AttributeError):
        return False


def _answers(token: str | None) -> ServerErrors:
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    return ServerErrors(
        HttpClient(**headers), refusal=_is_operation_outcome, refusal_shape="an OperationOutcome"
    )


def test_every_resource_the_server_states_is_fuzzed():
    assert set(SEARCHED) | set(READ) | set(CREATED) == set(RESOURCES)


@pytest.mark.parametrize("kind", SEARCHED)
def test_a_search_answers_hostile_parameters(kind, token):
    names = [name["name"] for name in RESOURCES[kind].get("searchParam", [])]
    names += [name for name in EVERY_SEARCH_TAKES if name not in names]
    path = f"{BASE}{kind}"
    with _answers(token) as answers:
        for values in every_value_in_turn(names):
            answers.request("GET", path, query=encode_query(values))
        for reference in HOSTILE_PATH_IDS + HOSTILE_IDS:
            answers.request("GET", path, query=encode_query({"subject": f"Patient/{reference}"}))

        @FUZZ_SETTINGS
        @given(st.fixed_dictionaries({}, optional={name: hostile_or("1") for name in names}))
        def searches(values):
            answers.request("GET", path, query=encode_query(values))

        searches()
    assert not answers.found, answers.report()


@pytest.mark.parametrize("kind", READ)
def test_a_read_answers_hostile_ids(kind, token):
    with _answers(token) as answers:
        for resource_id in HOSTILE_PATH_IDS:
            answers.request("GET", f"{BASE}{kind}/{resource_id}")
    assert not answers.found, answers.report()


def _deep(depth: int) -> str:
    return "[" * depth + "]" * depth


HOSTILE_BODIES: tuple[str | bytes, ...] = (
    "",
    "null",
    "[]",
    '"text"',
    "{",
    _deep(100_000),
    '{"a":' * 100_000 + "1" + "}" * 100_000,
    "1" * 5000,
    '{"resourceType": "ServiceRequest", "status": ' + "9" * 5000 + "}",
    '{"resourceType": NaN}',
    '{"resourceType": "ServiceRequest", "extension": [{"url": "x", "valueInteger": Infinity}]}',
    '{"resourceType": "Patient"}',
    '{"resourceType": "' + "x" * 100_000 + '"}',
    '{"resourceType": "ServiceRequest", "\\u0000": 1}',
    b"\xff\xfe{}",
    b'{"resourceType": "\xed\xa0\x80"}',
    json.dumps(service_request(identifier="x" * 1_000_000)),
)


def _hostile_service_requests() -> list[dict[str, Any]]:
    """A ServiceRequest that would be accepted, with one field at a time made hostile."""
    fields: list[tuple[str, Any]] = [
        ("identifier", [{"system": "https://gp.example/referrals", "value": value}])
        for value in ("", HUGE, "²", "x" * 10_000)
    ]
    fields += [("authoredOn", value) for value in ("2026-02-30", "0000-00-00", "9999-12-31", 5)]
    fields += [
        ("extension", [{"url": extension["url"], "valueInteger": number}])
        for extension in service_request()["extension"][:1]
        for number in (2**63, -1, 10**30)
    ]
    fields += [
        ("subject", {"reference": value}) for value in ("#other", f"Patient/{HUGE}", "", "#")
    ]
    fields += [
        ("requester", {"identifier": {"system": "x", "value": value}}) for value in (HUGE, "²", "")
    ]
    fields += [("contained", value) for value in ([], [{}], [{"resourceType": "Patient"}], "x")]
    fields += [("reasonCode", [{"text": "x" * 100_000}]), ("code", {"coding": "x"})]
    patient = service_request()["contained"][0]
    patients = [
        {**patient, "birthDate": value} for value in ("2026-02-30", "9999-12-31", "0001-01-01")
    ]
    patients += [
        {**patient, "identifier": [{"system": patient["identifier"][0]["system"], "value": v}]}
        for v in ("²²²²²²²²²²", HUGE, "")
    ]
    patients += [{**patient, "name": [{"given": ["x" * 10_000], "family": ""}]}]
    return [service_request(**{name: value}) for name, value in fields] + [
        service_request(contained=[one]) for one in patients
    ]


def _as_transaction(resource: dict[str, Any]) -> dict[str, Any]:
    patient, *_ = resource.get("contained") or [{}]
    return {
        "resourceType": "Bundle",
        "type": "transaction",
        "entry": [
            {"fullUrl": "urn:uuid:1", "resource": patient, "request": {"method": "POST"}},
            {
                "resource": {**resource, "subject": {"reference": "urn:uuid:1"}, "contained": []},
                "request": {"method": "POST", "url": "ServiceRequest"},
            },
        ],
    }


POSTED_TO = [f"{BASE}{kind}" for kind in CREATED] + [BASE]

json_values = hostile_json(service_request(), max_leaves=12)


def _body(resource: Any) -> str:
    return json.dumps(resource, ensure_ascii=False)


def _encoded(body: str | bytes) -> bytes:
    return body if isinstance(body, bytes) else body.encode("utf-8", "surrogatepass")


@pytest.mark.parametrize("path", POSTED_TO)
def test_a_post_answers_hostile_bodies(path, token):
    wrap = _as_transaction if path == BASE else (lambda resource: resource)
    with _answers(token) as answers:
        for body in HOSTILE_BODIES:
            answers.request("POST", path, body=_encoded(body), content_type=FHIR)
        for resource in _hostile_service_requests():
            answers.request("POST", path, body=_encoded(_body(wrap(resource))), content_type=FHIR)

        @FUZZ_SETTINGS
        @given(json_values)
        def any_json(value):
            answers.request("POST", path, body=_encoded(_body(value)), content_type=FHIR)

        @FUZZ_SETTINGS
        @given(
            st.fixed_dictionaries(
                {},
                optional=dict.fromkeys(service_request(), json_values),
            )
        )
        def changed_service_requests(changes):
            resource = wrap(service_request(**changes))
            answers.request("POST", path, body=_encoded(_body(resource)), content_type=FHIR)

        any_json()
        changed_service_requests()
    assert not answers.found, answers.report()


def test_bad_tokens_are_refused_with_an_operation_outcome(world):
    paths = [f"{BASE}{kind}" for kind in SEARCHED] + [f"{BASE}{kind}/1" for kind in READ]
    with _answers(None) as answers:
        for header in BAD_TOKENS:
            for path in paths:
                response = answers.request("GET", path, HTTP_AUTHORIZATION=header)
                if path.endswith("Questionnaire"):
                    continue
                assert response.status_code == 401, f"{header[:40]!r} {path}"
            for path in POSTED_TO:
                answers.request(
                    "POST",
                    path,
                    body=_body(service_request()),
                    content_type=FHIR,
                    HTTP_AUTHORIZATION=header,
                )
    assert not answers.found, answers.report()


def test_unsupported_methods_and_unknown_paths_are_refused_with_an_operation_outcome(token):
    with _answers(token) as answers:
        for method in ("PUT", "DELETE", "PATCH"):
            for path in [f"{BASE}{kind}" for kind in RESOURCES] + [BASE]:
                answers.request(method, path, body="{}", content_type=FHIR)
        for values in every_value_in_turn(["x"], HOSTILE_VALUES[:3]):
            answers.request("GET", f"{BASE}metadata", query=encode_query(values))
        answers.request("GET", f"{BASE}Unknown")
        answers.request("GET", f"{BASE}ServiceRequest/abc")
    assert not answers.found, answers.report()
