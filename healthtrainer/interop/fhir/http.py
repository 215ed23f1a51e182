"""FHIR over HTTP: JSON in and out, bearer-token clients, and every error an
OperationOutcome with a 4xx status."""

from __future__ import annotations

import json
from collections.abc import Callable
from contextlib import nullcontext
from functools import wraps
from typing import Any

from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt

from healthtrainer.core.audit import audit_record
from healthtrainer.interop.models import ApiClient
from healthtrainer.interop.services import authenticate

FHIR_JSON = "application/fhir+json"
FHIR_VERSION = "4.0.1"


class FhirError(Exception):
    """Ends the request with an OperationOutcome. `code` is from the FHIR issue-type
    value set (invalid, required, value, not-found, forbidden, login, ...)."""

    def __init__(self, status: int, code: str, diagnostics: str, expression: str = "") -> None:
        super().__init__(diagnostics)
        self.status = status
        self.code = code
        self.diagnostics = diagnostics
        self.expression = expression


def fhir_response(resource: dict[str, Any], status: int = 200, **headers: str) -> HttpResponse:
    response = HttpResponse(
        json.dumps(resource), status=status, content_type=f"{FHIR_JSON}; charset=utf-8"
    )
    for name, value in headers.items():
        response[name.replace("_", "-")] = value
    return response


def operation_outcome(error: FhirError) -> HttpResponse:
    issue: dict[str, Any] = {
        "severity": "error",
        "code": error.code,
        "diagnostics": error.diagnostics,
    }
    if error.expression:
        issue["expression"] = [error.expression]
    return fhir_response({"resourceType": "OperationOutcome", "issue": [issue]}, error.status)


def read_json(request: HttpRequest) -> dict[str, Any]:
    try:
        data = json.loads(request.body or b"")
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise FhirError(400, "invalid", "The body is not valid JSON.") from None
    if not isinstance(data, dict):
        raise FhirError(400, "invalid", "The body must be a JSON object: one FHIR resource.")
    return data


class FhirRequest(HttpRequest):
    api_client: ApiClient


FhirView = Callable[..., HttpResponse]


def fhir_endpoint(permission: str | None, action: str) -> Callable[[FhirView], FhirView]:
    """Authenticate the bearer token (unless `permission` is None), check the permission,
    audit the call as `action`, and turn a FhirError into an OperationOutcome."""

    def decorator(view: FhirView) -> FhirView:
        @csrf_exempt
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            # One transaction for the call's audit event and its work: one commit, not one
            # per statement. A refused call is still audited: the FhirError is answered
            # inside the transaction, after the view's own savepoints have rolled back.
            # Public endpoints (the CapabilityStatement) touch no database.
            with transaction.atomic() if permission is not None else nullcontext():
                try:
                    _refuse_nul(request)
                    if permission is not None:
                        client = _client(request)
                        if not client.allows(permission):
                            raise FhirError(
                                403, "forbidden", "This API client is not allowed to do that."
                            )
                        request.api_client = client  # type: ignore[attr-defined]
                        audit_record(
                            actor=None, action=action, target=client, programme=client.programme
                        )
                    return view(request, *args, **kwargs)
                except FhirError as error:
                    return operation_outcome(error)

        return wrapper

    return decorator


def _refuse_nul(request: HttpRequest) -> None:
    """No FHIR string may hold a NUL character, and PostgreSQL text cannot store one."""
    values = [value for values in request.GET.lists() for value in values[1]]
    body = request.body
    # In JSON a NUL arrives escaped, as \u0000.
    if any("\x00" in value for value in values) or b"\x00" in body or b"\\u0000" in body.lower():
        raise FhirError(400, "invalid", "The request holds a NUL character, which FHIR forbids.")


def _client(request: HttpRequest) -> ApiClient:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise FhirError(401, "login", "Send the API client's token: Authorization: Bearer <token>.")
    client = authenticate(token.strip())
    if client is None:
        raise FhirError(401, "login", "The token is not valid: it is unknown, revoked or expired.")
    return client
