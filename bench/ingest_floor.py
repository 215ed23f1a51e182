"""The floor for FHIR ingest: the rows one referral makes (the referral, its identifier,
the call's and the referral's audit events), written by one hand-written statement in a
transaction of its own, behind the same middleware and gunicorn as the real endpoint.

What the real endpoint does beyond this is its cost: the token checked, the resource
validated as FHIR R4, the practice looked up, eligibility, the lock on the identifier and
the look-up of a repeat, and the ORM's way of writing. The floor trusts its input.
"""

from __future__ import annotations

import json

from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from healthtrainer.referrals.references import sequence_name

# One statement, so one round trip and (in autocommit) one transaction per referral.
INSERT_SQL = """
    WITH number AS (SELECT nextval(%(sequence)s) AS n),
    referral AS (
        INSERT INTO referrals_referral (
            reference, source, received_date, nhs_number, given_name, family_name,
            date_of_birth, sex, phone, email, postcode, ethnic_category, employment_status,
            pain_duration_months, pain_sites, help_wanted, consent_given, risk_notes,
            lsoa_code, imd_decile, imd_edition, status, status_reason, status_changed_at,
            created_at, programme_id, practice_id
        )
        SELECT
            'R-' || CASE WHEN n < 100000 THEN lpad(n::text, 5, '0') ELSE n::text END, 'gp',
            current_date, '', %(given)s, %(family)s, %(born)s, %(sex)s, '', '', '', '', '',
            %(pain)s, '', %(help)s, true, '', '', NULL, '', 'received', '', now(), now(),
            %(programme)s, %(practice)s
        FROM number
        RETURNING id
    ),
    identifier AS (
        INSERT INTO interop_referralidentifier (programme_id, referral_id, system, value)
        SELECT %(programme)s, id, %(system)s, %(value)s FROM referral
    )
    INSERT INTO core_auditevent (
        occurred_at, action, object_type, object_id, programme_id, changed_fields
    )
    SELECT * FROM (
        SELECT now(), 'interop.fhir.service_request_posted', 'interop.apiclient', '0',
               %(programme)s, '[]'::jsonb
        UNION ALL
        SELECT now(), 'referrals.referral.received', 'referrals.referral', id::text,
               %(programme)s,
               '["consent_given", "date_of_birth", "family_name", "given_name",
                 "pain_duration_months", "sex", "status"]'::jsonb
        FROM referral
    ) AS events
    RETURNING action, object_id
"""


@csrf_exempt
@require_POST
def ingest_floor(request: HttpRequest, programme: int, practice: int) -> HttpResponse:
    resource = json.loads(request.body)
    patient = resource["contained"][0]
    identifier = resource["identifier"][0]
    extensions = {item["url"].rsplit("/", 1)[1]: item for item in resource["extension"]}
    with connection.cursor() as cursor:
        cursor.execute(
            INSERT_SQL,
            {
                "sequence": sequence_name(programme),
                "given": " ".join(patient["name"][0]["given"]),
                "family": patient["name"][0]["family"],
                "born": patient["birthDate"],
                "sex": patient["gender"],
                "pain": extensions["pain-duration-months"]["valueInteger"],
                "help": "",
                "programme": programme,
                "practice": practice,
                "system": identifier["system"],
                "value": identifier["value"],
            },
        )
        referral_id = next(
            found for action, found in cursor.fetchall() if action == "referrals.referral.received"
        )
    response = HttpResponse(status=201)
    response["Location"] = f"/fhir/R4/ServiceRequest/{referral_id}"
    return response
