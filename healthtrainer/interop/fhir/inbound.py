"""A referral from another system: a FHIR ServiceRequest with its Patient (contained, or
beside it in a transaction Bundle), checked, and received through the same eligibility
and triage services as the web form. Idempotent on ServiceRequest.identifier.

How a referral is carried (docs/interoperability.md):
- `identifier`: at least one, with system and value: the key that makes a retry safe;
- `code`: the programme's SNOMED CT referral code;
- `requester.identifier`: the referring GP practice's ODS code;
- `subject`: the Patient, with the NHS number (optional), name, gender and birth date;
- `extension` pain-duration-months (valueInteger) and consent-given (valueBoolean, true);
- `reasonCode[0].text`: what the person wants help with; `authoredOn`: the date received.
"""

from __future__ import annotations

import hashlib
from datetime import date
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.patient import Patient
from fhir.resources.R4B.servicerequest import ServiceRequest
from pydantic import ValidationError as SchemaError

from healthtrainer.clients.identifiers import InvalidIdentifier, normalise_nhs_number
from healthtrainer.interop.fhir.http import FhirError
from healthtrainer.interop.fhir.resources import (
    CONSENT,
    NHS_NUMBER_SYSTEM,
    ODS_SYSTEM,
    PAIN_DURATION,
    SNOMED,
)
from healthtrainer.interop.models import ApiClient, ReferralIdentifier
from healthtrainer.programmes.models import Organisation, Programme
from healthtrainer.referrals.models import Referral, Source
from healthtrainer.referrals.services import ReferralDetails, referral_receive

GENDERS = {"female": "female", "male": "male", "other": "other", "unknown": "unknown"}


def _validated(model: Any, resource: dict[str, Any], kind: str) -> None:
    given = resource.get("resourceType")
    if given != kind:
        raise FhirError(
            400,
            "invalid",
            f"Expected a {kind}, not {given or 'a resource without a type'}.",
            "resourceType",
        )
    try:
        model.model_validate(resource)
    except SchemaError as error:
        problems = "; ".join(
            f"{'.'.join(str(part) for part in item['loc'])}: {item['msg']}"
            for item in error.errors()[:5]
        )
        raise FhirError(400, "structure", f"The {kind} is not valid FHIR R4: {problems}.") from None
    except (TypeError, KeyError):
        # fhir.resources looks a contained or Bundle entry resource's model up by its
        # resourceType, and fails so when that is not a string or names no resource.
        raise FhirError(
            400,
            "structure",
            f"The {kind} is not valid FHIR R4: a resource inside it has a resourceType that "
            "is not the name of a FHIR resource.",
        ) from None


def _date(value: Any, where: str) -> date:
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        raise FhirError(
            422, "value", f"{where} must be a full date, like 2011-04-18.", where
        ) from None


def _extension(resource: dict[str, Any], url: str, key: str) -> Any:
    for extension in resource.get("extension") or []:
        if extension.get("url") == url:
            return extension.get(key)
    return None


def _patient_details(patient: dict[str, Any]) -> dict[str, Any]:
    _validated(Patient, patient, "Patient")
    names = patient.get("name") or [{}]
    given = " ".join(names[0].get("given") or [])
    family = names[0].get("family") or ""
    if not given or not family:
        raise FhirError(
            422, "required", "The Patient needs a given and a family name.", "Patient.name"
        )
    if not patient.get("birthDate"):
        raise FhirError(422, "required", "The Patient needs a birth date.", "Patient.birthDate")
    born = _date(patient["birthDate"], "Patient.birthDate")
    if born > timezone.localdate():
        raise FhirError(422, "value", "The birth date is in the future.", "Patient.birthDate")
    gender = GENDERS.get(patient.get("gender") or "unknown", "unknown")
    nhs_number = ""
    for identifier in patient.get("identifier") or []:
        if identifier.get("system") == NHS_NUMBER_SYSTEM:
            try:
                nhs_number = normalise_nhs_number(str(identifier.get("value") or ""))
            except InvalidIdentifier as error:
                raise FhirError(422, "value", str(error), "Patient.identifier") from None
    postcode = next(
        (
            address.get("postalCode")
            for address in patient.get("address") or []
            if address.get("postalCode")
        ),
        "",
    )
    return {
        "given_name": given[:100],
        "family_name": family[:100],
        "date_of_birth": born,
        "sex": gender,
        "nhs_number": nhs_number,
        "postcode": str(postcode or "").upper()[:8],
    }


def _patient_of(request: dict[str, Any], others: dict[str, dict[str, Any]]) -> dict[str, Any]:
    reference = (request.get("subject") or {}).get("reference") or ""
    found: dict[str, Any] | None = None
    if reference.startswith("#"):
        found = next(
            (item for item in request.get("contained") or [] if item.get("id") == reference[1:]),
            None,
        )
    elif reference in others:
        found = others[reference]
    if found is not None:
        return found
    raise FhirError(
        422,
        "required",
        "ServiceRequest.subject must refer to the Patient: contained (#id) or in the same "
        "transaction Bundle (its fullUrl).",
        "ServiceRequest.subject",
    )


def _practice(programme: Programme, request: dict[str, Any]) -> Organisation:
    identifier = ((request.get("requester") or {}).get("identifier")) or {}
    if identifier.get("system") != ODS_SYSTEM or not identifier.get("value"):
        raise FhirError(
            422,
            "required",
            "ServiceRequest.requester.identifier must give the GP practice's ODS code "
            f"({ODS_SYSTEM}).",
            "ServiceRequest.requester",
        )
    practice = (
        Organisation.objects.for_programme(programme)
        .gp_practices()
        .filter(ods_code=str(identifier["value"]).upper())
        .first()
    )
    if practice is None:
        raise FhirError(
            422,
            "value",
            f"{identifier['value']} is not a GP practice of this programme.",
            "ServiceRequest.requester",
        )
    return practice


def _key(request: dict[str, Any]) -> tuple[str, str]:
    for identifier in request.get("identifier") or []:
        if identifier.get("system") and identifier.get("value"):
            return str(identifier["system"])[:200], str(identifier["value"])[:200]
    raise FhirError(
        422,
        "required",
        "ServiceRequest.identifier needs a system and a value: it makes a retried request safe.",
        "ServiceRequest.identifier",
    )


def _check_code(programme: Programme, request: dict[str, Any]) -> None:
    codings = (request.get("code") or {}).get("coding") or []
    if not any(
        coding.get("system") == SNOMED and coding.get("code") == programme.referral_code
        for coding in codings
    ):
        raise FhirError(
            422,
            "code-invalid",
            f"ServiceRequest.code must carry this programme's SNOMED CT referral code "
            f"{programme.referral_code} ({SNOMED}).",
            "ServiceRequest.code",
        )


def receive(
    client: ApiClient, request: dict[str, Any], others: dict[str, dict[str, Any]] | None = None
) -> tuple[Referral, bool]:
    """The referral this ServiceRequest makes, and whether it is new: a request whose
    identifier the programme has seen returns the referral it made then."""
    _validated(ServiceRequest, request, "ServiceRequest")
    programme = client.programme
    system, value = _key(request)
    _check_code(programme, request)
    if _extension(request, CONSENT, "valueBoolean") is not True:
        raise FhirError(
            422,
            "required",
            f"The person's consent to the referral is missing: send the extension {CONSENT} "
            "with valueBoolean true.",
            "ServiceRequest.extension",
        )
    pain_months = _extension(request, PAIN_DURATION, "valueInteger")
    if not isinstance(pain_months, int) or pain_months < 0:
        raise FhirError(
            422,
            "required",
            f"How long the person has had pain is missing: send the extension {PAIN_DURATION} "
            "with valueInteger, in months.",
            "ServiceRequest.extension",
        )
    patient = _patient_details(_patient_of(request, others or {}))
    practice = _practice(programme, request)
    authored = str(request.get("authoredOn") or "")[:10]
    received = _date(authored, "ServiceRequest.authoredOn") if authored else timezone.localdate()
    received = min(received, timezone.localdate())
    reasons = request.get("reasonCode") or [{}]
    details = ReferralDetails(
        pain_duration_months=pain_months,
        consent_given=True,
        help_wanted=str(reasons[0].get("text") or "")[:2000],
        **patient,
    )
    try:
        with transaction.atomic():
            _hold_identifier(programme, system, value)
            known = _known(programme, system, value)
            if known is not None:
                return known, False
            referral = referral_receive(
                actor=None,
                programme=programme,
                source=Source.GP,
                practice=practice,
                received_date=received,
                details=details,
            )
            ReferralIdentifier.objects.create(
                programme=programme, referral=referral, system=system, value=value
            )
    except IntegrityError:
        # The unique constraint on the identifier is what makes a retry safe: a request that
        # got past the lock (or a database without one) finds the referral the first made.
        # The savepoint rolled back this request's referral and its audit event with it.
        known = _known(programme, system, value)
        if known is None:
            raise
        return known, False
    return referral, True


def _known(programme: Programme, system: str, value: str) -> Referral | None:
    found = (
        ReferralIdentifier.objects.filter(programme=programme, system=system, value=value)
        .select_related("referral")
        .first()
    )
    return found.referral if found is not None else None


def _hold_identifier(programme: Programme, system: str, value: str) -> None:
    """On PostgreSQL, wait for any other request carrying the same identifier to finish,
    with a lock on that identifier alone (held to the end of the transaction): the retry
    then finds the first request's referral, and takes no reference number it would throw
    away. Referrals with other identifiers do not wait. SQLite's write lock already
    serialises every writer (settings.py begins each transaction IMMEDIATE)."""
    if connection.vendor != "postgresql":
        return
    digest = hashlib.blake2b(
        f"{programme.pk}\x1f{system}\x1f{value}".encode(), digest_size=8, person=b"fhir-sr-id"
    ).digest()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_advisory_xact_lock(%s)", [int.from_bytes(digest, "big", signed=True)]
        )


def receive_bundle(client: ApiClient, bundle: dict[str, Any]) -> tuple[Referral, bool]:
    """A transaction Bundle of one Patient and one ServiceRequest that refers to it."""
    _validated(Bundle, bundle, "Bundle")
    if bundle.get("type") != "transaction":
        raise FhirError(
            400, "invalid", "Only a Bundle of type transaction is accepted.", "Bundle.type"
        )
    entries = bundle.get("entry") or []
    patients = {
        str(entry.get("fullUrl")): entry["resource"]
        for entry in entries
        if (entry.get("resource") or {}).get("resourceType") == "Patient" and entry.get("fullUrl")
    }
    requests = [
        entry["resource"]
        for entry in entries
        if (entry.get("resource") or {}).get("resourceType") == "ServiceRequest"
    ]
    others = [
        entry.get("resource", {}).get("resourceType")
        for entry in entries
        if (entry.get("resource") or {}).get("resourceType") not in ("Patient", "ServiceRequest")
    ]
    if len(requests) != 1 or len(patients) != 1 or others:
        raise FhirError(
            422,
            "not-supported",
            "A transaction Bundle must hold one Patient (with a fullUrl) and one ServiceRequest "
            "that refers to it, and nothing else.",
            "Bundle.entry",
        )
    return receive(client, requests[0], patients)
