"""What the FHIR ingest measurements send: a GP system's API client and its referrals."""

from __future__ import annotations

import uuid
from typing import Any

from healthtrainer.accounts.roles import Permission
from healthtrainer.interop.services import api_client_create
from healthtrainer.programmes.models import Organisation, OrganisationKind, Programme

EXTENSIONS = "https://healthtrainer.invalid/fhir/StructureDefinition"


def ingest_programme() -> Programme:
    """A programme of its own for the referrals the benchmark sends, so that the synthetic
    programmes it measures stay as they were made, run after run."""
    programme, _ = Programme.objects.get_or_create(
        slug="bench-ingest", defaults={"name": "Benchmark ingest"}
    )
    Organisation.objects.get_or_create(
        programme=programme,
        ods_code="B00001",
        defaults={"kind": OrganisationKind.GP_PRACTICE, "name": "Benchmark practice"},
    )
    return programme


def referral_sender(programme: Programme) -> tuple[str, str]:
    """A new API client allowed to refer to `programme`: its token, and the ODS code of
    the practice it refers from."""
    practice = programme.organisations.gp_practices().first()
    if practice is None:
        raise RuntimeError(f"{programme.slug} has no GP practice to refer from.")
    _, token = api_client_create(
        actor=None,
        programme=programme,
        name=f"bench {uuid.uuid4().hex[:6]}",
        permissions=[Permission.RECORD_REFERRAL],
    )
    return token, practice.ods_code


def service_request(programme: Programme, practice_code: str, identifier: str) -> dict[str, Any]:
    """A referral as a GP system sends it: the patient contained, the practice by ODS code."""
    return {
        "resourceType": "ServiceRequest",
        "identifier": [{"system": "https://bench.invalid", "value": identifier}],
        "status": "active",
        "intent": "order",
        "code": {"coding": [{"system": "http://snomed.info/sct", "code": programme.referral_code}]},
        "subject": {"reference": "#p"},
        "contained": [
            {
                "resourceType": "Patient",
                "id": "p",
                "name": [{"given": ["Bench"], "family": f"Person {identifier}"}],
                "gender": "female",
                "birthDate": "1960-03-27",
            }
        ],
        "requester": {
            "identifier": {
                "system": "https://fhir.nhs.uk/Id/ods-organization-code",
                "value": practice_code,
            }
        },
        "extension": [
            {"url": f"{EXTENSIONS}/pain-duration-months", "valueInteger": 24},
            {"url": f"{EXTENSIONS}/consent-given", "valueBoolean": True},
        ],
    }
