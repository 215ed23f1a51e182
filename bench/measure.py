"""Each measurement: run the hot path, time it, and return the figure for the table."""

from __future__ import annotations

import csv
import json
import resource
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

from django.db import connection
from django.db.models import Count
from django.test import Client as HttpClient

from bench.figure import Figure, timed
from bench.floors import headline_floor, report_floor
from healthtrainer.accounts.roles import Permission
from healthtrainer.evaluation.disclosure import Disclosure
from healthtrainer.evaluation.metrics import compute
from healthtrainer.evaluation.metrics.source import flow_counts
from healthtrainer.evaluation.period import Period
from healthtrainer.evaluation.report import build_report
from healthtrainer.evaluation.report.formats import as_json
from healthtrainer.interop.services import api_client_create
from healthtrainer.programmes.models import Programme
from healthtrainer.referrals.workbook_format import SHEETS

HEADLINE_IDS = [
    "referrals.total",
    "referrals.pct_most_deprived_quintile",
    "referrals.pct_long_term_sick_or_disabled",
    "referrals.pct_employed",
    "goals.pct_achieved_or_partly",
    "follow_up.pct_maintaining_strategies",
]


def largest_programme() -> Programme:
    found = (
        Programme.objects.filter(slug__startswith="synthetic-")
        .annotate(n=Count("referrals"))
        .order_by("-n")
        .first()
    )
    if found is None:
        raise RuntimeError("There is no synthetic programme: run generate_synthetic first.")
    return found


def headline_metrics(programme: Programme, repeat: int) -> Figure:
    def registry() -> None:
        compute(HEADLINE_IDS, programme, Period())
        flow_counts(programme, Period())

    return Figure(
        f"Headline metrics, one programme ({programme.referrals.count():,} referrals)",
        timed(registry, repeat) * 1000,
        "ms",
        floor=timed(lambda: headline_floor(programme.pk), repeat) * 1000,
        target="at most 1.5 times the floor",
    )


def report(programmes: list[Programme], repeat: int, label: str) -> Figure:
    def build() -> None:
        for programme in programmes:
            json.dumps(as_json(build_report(programme, Period(), Disclosure.EXACT)))

    def floor() -> None:
        for programme in programmes:
            report_floor(programme.pk)

    return Figure(
        f"Evaluation report (JSON, exact), {label}",
        timed(build, repeat) * 1000,
        "ms",
        # The floor's SQL is PostgreSQL's: GROUPING SETS, LATERAL, age().
        floor=timed(floor, repeat) * 1000 if connection.vendor == "postgresql" else None,
        target="at most 1.5 times the floor",
    )


def fhir_ingest(programme: Programme, count: int) -> Figure:
    practice = programme.organisations.gp_practices().first()
    if practice is None:
        raise RuntimeError(f"{programme.slug} has no GP practice to refer from.")
    _, token = api_client_create(
        actor=None,
        programme=programme,
        name=f"bench {uuid.uuid4().hex[:6]}",
        permissions=[Permission.RECORD_REFERRAL],
    )
    client = HttpClient(
        HTTP_AUTHORIZATION=f"Bearer {token}", HTTP_HOST="localhost", HTTP_X_FORWARDED_PROTO="https"
    )
    run = uuid.uuid4().hex[:8]

    def body(number: int) -> str:
        return json.dumps(
            {
                "resourceType": "ServiceRequest",
                "identifier": [{"system": "https://bench.invalid", "value": f"{run}-{number}"}],
                "status": "active",
                "intent": "order",
                "code": {
                    "coding": [
                        {"system": "http://snomed.info/sct", "code": programme.referral_code}
                    ]
                },
                "subject": {"reference": "#p"},
                "contained": [
                    {
                        "resourceType": "Patient",
                        "id": "p",
                        "name": [{"given": ["Bench"], "family": f"Person{number}"}],
                        "gender": "female",
                        "birthDate": "1960-03-27",
                    }
                ],
                "requester": {
                    "identifier": {
                        "system": "https://fhir.nhs.uk/Id/ods-organization-code",
                        "value": practice.ods_code,
                    }
                },
                "extension": [
                    {
                        "url": "https://healthtrainer.invalid/fhir/StructureDefinition/pain-duration-months",
                        "valueInteger": 24,
                    },
                    {
                        "url": "https://healthtrainer.invalid/fhir/StructureDefinition/consent-given",
                        "valueBoolean": True,
                    },
                ],
            }
        )

    bodies = [body(number) for number in range(count)]
    started = time.perf_counter()
    for payload in bodies:
        response = client.post(
            "/fhir/R4/ServiceRequest", payload, content_type="application/fhir+json"
        )
        if response.status_code != 201:
            raise RuntimeError(
                f"FHIR ingest answered {response.status_code}: {response.content[:200]!r}"
            )
    seconds = time.perf_counter() - started
    return Figure(
        "FHIR ServiceRequest ingest (one client, in process)",
        count / seconds,
        "referrals/s",
        target="at least 200/s",
    )


def workbook_import(rows: int) -> list[Figure]:
    """Import a referrals workbook of `rows` rows in a fresh process: its rate, and its peak
    memory."""
    slug = f"bench-import-{uuid.uuid4().hex[:8]}"
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder)
        with (path / "programme.csv").open("w", newline="") as handle:
            csv.writer(handle).writerows([["slug", "name"], [slug, "Bench import"]])
        columns = list(SHEETS["referrals"])
        with (path / "referrals.csv").open("w", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(columns)
            for number in range(rows):
                row = {
                    "referral_id": f"B-{number:07d}",
                    "received_date": "2025-04-18",
                    "practice_ods_code": f"B{number % 20:04d}",
                    "given_name": "Bench",
                    "family_name": f"Person{number}",
                    "date_of_birth": "1960-03-27",
                    "sex": "female",
                    "employment_status": "04",
                    "pain_duration_months": "24",
                    "outcome": "declined",
                }
                writer.writerow([row.get(column, "") for column in columns])
        started = time.perf_counter()
        done = subprocess.run(  # noqa: S603 - our own interpreter and command, a path we made
            [sys.executable, "manage.py", "import_programme", str(path), "--quiet"],
            capture_output=True,
            text=True,
            check=False,
        )
        seconds = time.perf_counter() - started
        if done.returncode != 0:
            raise RuntimeError(f"The import failed: {done.stderr[-500:]}")
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return [
        Figure(
            f"Workbook import ({rows:,} rows, process start included)",
            rows / seconds,
            "rows/s",
            target="≥ 5,000/s",
        ),
        Figure(
            f"Workbook import peak memory ({rows:,} rows)",
            peak_mb,
            "MB",
            target="< 500 MB at 1,000,000 rows",
        ),
    ]
