"""FHIR over HTTP: JSON in and out, bearer-token clients, the audit of calls and of the
records they read, and every error an OperationOutcome with a 4xx status."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable
from contextlib import nullcontext
from functools import wraps
from typing import Any

from django.core.exceptions import RequestDataTooBig
from django.db import models, transaction
from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt

from healthtrainer.core.audit import audit_record, audit_record_many
from healthtrainer.core.json_input import BodyTooLarge, JsonRefused, check_size
from healthtrainer.core.json_input import read_json as read_bounded_json
from healthtrainer.core.parameters import parse_id
from healthtrainer.interop.models import ApiClient
from healthtrainer.interop.services import authenticate

FHIR_JSON = "application/fhir+json"
FHIR_VERSION = "4.0.1"
RECORD_READ = "interop.fhir.record_read"


class FhirError(Exception):
    """Ends the request with an OperationOutcome. `code` is from the FHIR issue-type
    value set (invalid, required, value, not-found, forbidden, login, ...)."""

    def __init__(
        self,
        status: int,
        code: str,
        diagnostics: str,
        expression: str = "",
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(diagnostics)
        self.status = status
        self.code = code
        self.diagnostics = diagnostics
        self.expression = expression
        self.headers = headers or {}


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
    response = fhir_response({"resourceType": "OperationOutcome", "issue": [issue]}, error.status)
    for name, value in error.headers.items():
        response[name] = value
    return response


def _too_large(error: BodyTooLarge) -> FhirError:
    return FhirError(413, "too-long", str(error))


def read_json(request: HttpRequest) -> dict[str, Any]:
    try:
        data = read_bounded_json(request.body)
    except BodyTooLarge as error:
        raise _too_large(error) from None
    except JsonRefused as error:
        raise FhirError(400, "invalid", str(error)) from None
    if not isinstance(data, dict):
        raise FhirError(400, "invalid", "The body must be a JSON object: one FHIR resource.")
    return data


def resource_id(kind: str, value: str) -> int:
    """The id in a read's path. Ours are whole numbers; any other id names no resource."""
    number = parse_id(value)
    if number is None:
        raise FhirError(
            404, "not-found", f"There is no {kind} with that id: our ids are whole numbers."
        )
    return number


class FhirRequest(HttpRequest):
    api_client: ApiClient


FhirView = Callable[..., HttpResponse]


def fhir_endpoint(
    permission: str | None, action: str, methods: Collection[str] | None = ("GET",)
) -> Callable[[FhirView], FhirView]:
    """Refuse a method not in `methods` (None: any), authenticate the bearer token (unless
    `permission` is None), check the permission, audit the call as `action`, and turn a
    FhirError into an OperationOutcome."""

    def decorator(view: FhirView) -> FhirView:
        @csrf_exempt
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if methods is not None and request.method not in methods:
                allowed = ", ".join(methods)
                return operation_outcome(
                    FhirError(
                        405,
                        "not-supported",
                        f"This address answers only {allowed}.",
                        headers={"Allow": allowed},
                    )
                )
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


def audit_records_read(request: HttpRequest, records: Iterable[tuple[models.Model, str]]) -> None:
    """One event for each person whose records the call returned: the person (their client
    record, or before acceptance their referral) as the object, and the FHIR references
    returned, such as Goal/31, as the names the event lists."""
    client: ApiClient = request.api_client  # type: ignore[attr-defined]
    people: dict[tuple[str, Any], models.Model] = {}
    references: dict[tuple[str, Any], set[str]] = defaultdict(set)
    for person, reference in records:
        key = (person._meta.label_lower, person.pk)
        people[key] = person
        references[key].add(reference)
    audit_record_many(
        actor=None,
        action=RECORD_READ,
        changes=[(people[key], references[key]) for key in people],
        programme=client.programme,
    )


def _refuse_nul(request: HttpRequest) -> None:
    """No FHIR string may hold a NUL character, and PostgreSQL text cannot store one."""
    values = [value for values in request.GET.lists() for value in values[1]]
    try:
        body = request.body
        check_size(body)
    except RequestDataTooBig:
        raise _too_large(BodyTooLarge()) from None
    except BodyTooLarge as error:
        raise _too_large(error) from None
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
