"""Each measurement: run the hot path, time it, and return the figure for the table."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.db import connection
from django.db.models import Count
from django.test import Client as HttpClient

from bench.fhir import referral_sender, service_request
from bench.figure import Figure, timed
from bench.floors import headline_floor, report_floor
from healthtrainer.core.period import Period
from healthtrainer.evaluation.disclosure import Disclosure
from healthtrainer.evaluation.metrics import compute
from healthtrainer.evaluation.metrics.flow import flow_counts
from healthtrainer.evaluation.report import build_report
from healthtrainer.evaluation.report.formats import as_json
from healthtrainer.imports.format import SHEETS
from healthtrainer.programmes.models import Programme

HEADLINE_IDS = [
    "referral.count",
    "referral.pct_most_deprived_quintile",
    "referral.pct_long_term_sick_or_disabled",
    "referral.pct_employed",
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
    """Referrals sent one after another by one client, in this process: the rate one
    sender sees, bound by each request's own time."""
    token, practice_code = referral_sender(programme)
    client = HttpClient(
        HTTP_AUTHORIZATION=f"Bearer {token}",
        HTTP_HOST="localhost",
        HTTP_X_FORWARDED_PROTO="https",
        HTTP_PREFER="return=minimal",
    )
    run = uuid.uuid4().hex[:8]
    bodies = [
        json.dumps(service_request(programme, practice_code, f"{run}-{number}"))
        for number in range(count)
    ]
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
        "FHIR ServiceRequest ingest (one sender, in process)", count / seconds, "referrals/s"
    )


def write_referrals_workbook(path: Path, rows: int) -> None:
    """A programme workbook of `rows` referrals for a new programme, as CSV files."""
    slug = f"bench-import-{uuid.uuid4().hex[:8]}"
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


# Runs the import as its only child and prints that child's peak memory, so that no other
# process this benchmark started (gunicorn) is counted in it.
_IMPORT_ALONE = """
import resource, subprocess, sys
done = subprocess.run([sys.executable, "manage.py", "import_programme", sys.argv[1], "--quiet"],
                      capture_output=True, text=True)
sys.stderr.write(done.stderr)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
sys.exit(done.returncode)
"""


@contextmanager
def scratch_database() -> Iterator[dict[str, str]]:
    """The environment of a new, migrated PostgreSQL database beside the benchmark's,
    dropped afterwards: a million imported referrals would otherwise change the planner's
    view of the programmes measured next time."""
    name = f"{connection.settings_dict['NAME']}_import"
    url = os.environ["DATABASE_URL"].rsplit("/", 1)[0] + f"/{name}"
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')
    environment = {**os.environ, "DATABASE_URL": url}
    try:
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "--verbosity", "0"],
            env=environment,
            check=True,
        )
        yield environment
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')


def workbook_import(rows: int) -> list[Figure]:
    """Import a referrals workbook of `rows` rows into an empty database, in a fresh
    process: its rate, and its peak memory."""
    with tempfile.TemporaryDirectory() as folder, scratch_database() as environment:
        path = Path(folder)
        write_referrals_workbook(path, rows)
        started = time.perf_counter()
        done = subprocess.run(  # noqa: S603 - our own interpreter and command, a path we made
            [sys.executable, "-c", _IMPORT_ALONE, str(path)],
            capture_output=True,
            text=True,
            check=False,
            env=environment,
        )
        seconds = time.perf_counter() - started
        if done.returncode != 0:
            raise RuntimeError(f"The import failed: {done.stderr[-500:]}")
    peak_mb = int(done.stdout.split()[-1]) / 1024
    return [
        Figure(
            f"Workbook import ({rows:,} rows, process start included)",
            rows / seconds,
            "rows/s",
            target="at least 5,000/s",
        ),
        Figure(
            f"Workbook import peak memory ({rows:,} rows)",
            peak_mb,
            "MB",
            target="under 500 MB at 1,000,000 rows",
        ),
    ]
