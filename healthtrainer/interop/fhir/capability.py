"""The CapabilityStatement: what this server does, and nothing it does not."""

from __future__ import annotations

from typing import Any

from fhir.resources.R4B.capabilitystatement import CapabilityStatement

from healthtrainer.interop.fhir.http import FHIR_VERSION

# Each resource type and what can be done with it, as the views below implement them.
SUPPORTED: dict[str, dict[str, Any]] = {
    "ServiceRequest": {
        "interaction": ["create", "read", "search-type"],
        "searchParam": [("identifier", "token")],
    },
    "Patient": {"interaction": ["read"], "searchParam": []},
    "Goal": {"interaction": ["search-type"], "searchParam": [("subject", "reference")]},
    "CarePlan": {"interaction": ["search-type"], "searchParam": [("subject", "reference")]},
    "QuestionnaireResponse": {
        "interaction": ["search-type"],
        "searchParam": [("subject", "reference")],
    },
    "Observation": {
        "interaction": ["search-type"],
        "searchParam": [("subject", "reference"), ("code", "token")],
    },
    "Questionnaire": {"interaction": ["search-type"], "searchParam": []},
}


def capability_statement(base_url: str, software: str) -> dict[str, Any]:
    resource: dict[str, Any] = {
        "resourceType": "CapabilityStatement",
        "status": "active",
        "date": "2026-11-26",
        "kind": "instance",
        "fhirVersion": FHIR_VERSION,
        "format": ["application/fhir+json"],
        "software": {"name": software},
        "implementation": {"description": software, "url": base_url},
        "rest": [
            {
                "mode": "server",
                "security": {
                    "description": "A bearer token per API client, registered by an "
                    "administrator for one programme with the permissions it is granted."
                },
                "interaction": [{"code": "transaction"}],
                "resource": [
                    {
                        "type": kind,
                        "interaction": [{"code": code} for code in spec["interaction"]],
                        "searchParam": [
                            {"name": name, "type": kind_of} for name, kind_of in spec["searchParam"]
                        ],
                    }
                    for kind, spec in SUPPORTED.items()
                ],
            }
        ],
    }
    checked: dict[str, Any] = CapabilityStatement.model_validate(resource).model_dump(
        mode="json", exclude_none=True
    )
    return checked
