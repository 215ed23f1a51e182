"""The JSON API reads request bodies within bounds, and refuses the rest in its own error
shape, {"detail": ...}: too large (413), nested too deep, or holding a number no real
value has (400); in production and in debug mode alike."""

from __future__ import annotations

import time

import pytest
from django.conf import settings as django_settings
from django.test import Client as HttpClient

from healthtrainer.core.json_input import MAX_BODY_BYTES, MAX_DEPTH, MAX_NUMBER_CHARACTERS
from healthtrainer.interop.models import ExportJob
from healthtrainer.interop.services import GRANTABLE, api_client_create

EXPORTS = "/api/v1/exports"


@pytest.fixture
def api(world):
    token = api_client_create(
        actor=None, programme=world.programme, name="Reporting", permissions=list(GRANTABLE)
    )[1]
    return HttpClient(HTTP_AUTHORIZATION=f"Bearer {token}")


@pytest.fixture(params=[False, True], ids=["production", "debug"])
def debug(request, settings):
    settings.DEBUG = request.param
    return request.param


def _detail(response, status: int) -> str:
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"].startswith("application/json")
    detail = response.json()["detail"]
    assert isinstance(detail, str)
    return detail


def _send(api, body: bytes):
    return api.post(EXPORTS, body, content_type="application/json")


def _export_request(kind: str = '"evaluation"') -> bytes:
    return f'{{"kind": {kind}, "format": "json"}}'.encode()


@pytest.mark.parametrize(
    "size",
    [MAX_BODY_BYTES + 1, max(django_settings.DATA_UPLOAD_MAX_MEMORY_SIZE, MAX_BODY_BYTES) + 1],
    ids=["over-ours", "over-djangos"],
)
def test_a_body_too_large_is_refused_with_413_in_the_apis_shape(api, size, debug):
    body = _export_request()
    padded = body[:-1] + b" " * (size - len(body)) + b"}"
    assert "too large" in _detail(_send(api, padded), 413)
    assert not ExportJob.objects.exists()


def test_a_body_is_read_up_to_the_limit_and_no_further(api):
    body = _export_request()
    padded = body[:-1] + b" " * (MAX_BODY_BYTES - len(body)) + b"}"
    assert _send(api, padded[:-1] + b" }").status_code == 413
    assert _send(api, padded).status_code == 202


@pytest.mark.parametrize(
    "body",
    [
        b"[" * 1_500 + b"]" * 1_500,
        b"[" * 100_000 + b"]" * 100_000,
        b'{"kind": ' * 1_500 + b"1" + b"}" * 1_500,
        b'{"kind": ' * 100_000 + b"1" + b"}" * 100_000,
        b"[" * (MAX_DEPTH + 1) + b"]" * (MAX_DEPTH + 1),
    ],
    ids=["arrays-1500", "arrays-100000", "objects-1500", "objects-100000", "one-more"],
)
def test_a_body_nested_too_deep_is_refused_at_once(api, body, debug):
    started = time.perf_counter()
    response = _send(api, body)
    assert time.perf_counter() - started < 1
    assert "nested too deeply" in _detail(response, 400)
    assert not ExportJob.objects.exists()


@pytest.mark.parametrize(
    "number", ["1" * 5_000, "-" + "9" * 5_000, "1" * (MAX_NUMBER_CHARACTERS + 1), "1e999"]
)
def test_a_number_no_real_value_has_is_refused(api, number, debug):
    assert "number" in _detail(_send(api, _export_request(number)), 400)


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
def test_nan_and_infinity_are_not_json(api, constant):
    assert constant in _detail(_send(api, _export_request(constant)), 400)


def test_a_body_that_is_not_json_still_says_so(api):
    assert "not valid JSON" in _detail(_send(api, b'{"kind": '), 400)
