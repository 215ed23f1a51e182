"""The JSON API, sent hostile bodies and parameters, refuses them with a 4xx in its own
error shape ({"detail": ...}) and never answers with a server error.

The operations come from the API's OpenAPI document, so one added there is fuzzed too.
schemathesis (test_openapi_conformance.py) sends what the schema allows; this sends what no
schema allows: deep and oversized JSON, numbers of thousands of digits, impossible dates.
"""

from __future__ import annotations

import json
from urllib.parse import unquote

import pytest
from django.conf import settings as django_settings
from django.test import Client as HttpClient
from django.urls import Resolver404, resolve
from hypothesis import given
from hypothesis import strategies as st

from healthtrainer.api.api import api
from healthtrainer.interop.services import GRANTABLE, api_client_create
from healthtrainer.tests.hostile import (
    HOSTILE_IDS,
    HOSTILE_VALUES,
    HUGE,
    ServerErrors,
    encode_query,
    every_value_in_turn,
    fuzzed,
    hostile_json,
)

SCHEMA = api.get_openapi_schema(path_prefix="/api/")
OPERATIONS = sorted(
    (method.upper(), path, operation)
    for path, methods in SCHEMA["paths"].items()
    for method, operation in methods.items()
)
READS = [(path, operation) for method, path, operation in OPERATIONS if method == "GET"]
WRITES = [(method, path) for method, path, _ in OPERATIONS if method in ("POST", "PUT", "PATCH")]

GENERATED_EXAMPLES = 15


@pytest.fixture
def token(world):
    return api_client_create(
        actor=None, programme=world.programme, name="Reporting", permissions=list(GRANTABLE)
    )[1]


def _is_an_operation(path: str) -> bool:
    """A path no operation matches is the site's, not the API's, to answer."""
    try:
        resolve(unquote(path))
    except Resolver404:
        return False
    return True


def _in_error_shape(path: str, response) -> bool:
    if not _is_an_operation(path):
        return True
    if not response.get("Content-Type", "").startswith("application/json"):
        return False
    try:
        return "detail" in json.loads(response.content)
    except (ValueError, TypeError):
        return False


def _answers(token: str) -> ServerErrors:
    return ServerErrors(
        HttpClient(HTTP_AUTHORIZATION=f"Bearer {token}"),
        refusal=_in_error_shape,
        refusal_shape='JSON {"detail": ...}',
    )


# A value each path parameter is found with; others are found with an id.
FOUND_WITH = {"metric_id": "referral.count"}


def _path_with(path: str, value: str | None = None) -> str:
    for name in (part[1:-1] for part in path.split("/") if part.startswith("{")):
        chosen = FOUND_WITH.get(name, "1") if value is None else value
        path = path.replace(f"{{{name}}}", encode_query({"": chosen})[1:])
    return path


@pytest.mark.parametrize(("path", "operation"), READS, ids=[path for path, _ in READS])
def test_a_read_refuses_hostile_parameters_in_its_error_shape(path, operation, token):
    query = [p["name"] for p in operation.get("parameters", []) if p["in"] == "query"]
    with _answers(token) as answers:
        for values in every_value_in_turn(query or ["x"]):
            answers.request("GET", _path_with(path), query=encode_query(values))
        if "{" in path:
            for value in (*HOSTILE_IDS, HUGE, "referral.count", "../status"):
                answers.request("GET", _path_with(path, value))
    assert not answers.found, answers.report()


EXPORT = {"kind": "evaluation", "format": "json", "start": "2026-04-01", "end": "2027-03-31"}

HOSTILE_BODIES: tuple[str | bytes, ...] = (
    "",
    "null",
    "[]",
    "{",
    "[" * 100_000 + "]" * 100_000,
    '{"a":' * 100_000 + "1" + "}" * 100_000,
    "1" * 5000,
    json.dumps({**EXPORT, "start": None})[:-1] + ', "extra": ' + "9" * 5000 + "}",
    '{"kind": NaN, "format": Infinity}',
    b"\xff\xfe{}",
    json.dumps({**EXPORT, "kind": "x" * (django_settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)}),
)

json_values = hostile_json(EXPORT, max_leaves=10)


@pytest.mark.parametrize(("method", "path"), WRITES)
def test_a_write_refuses_hostile_bodies_in_its_error_shape(method, path, token):
    with _answers(token) as answers:

        def send(body: str | bytes) -> None:
            answers.request(method, path, body=body, content_type="application/json")

        for body in HOSTILE_BODIES:
            send(body)
        for values in every_value_in_turn(EXPORT, HOSTILE_VALUES):
            send(json.dumps({**EXPORT, **values}).encode("utf-8", "surrogatepass"))

        @fuzzed(GENERATED_EXAMPLES)
        @given(st.fixed_dictionaries({}, optional=dict.fromkeys(EXPORT, json_values)))
        def changed_exports(changes):
            send(json.dumps({**EXPORT, **changes}).encode("utf-8", "surrogatepass"))

        changed_exports()
    assert not answers.found, answers.report()
