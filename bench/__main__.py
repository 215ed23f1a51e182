"""`python -m bench`: make the dataset if the database has none, measure, print the table.

Run by `make bench`, which points it at a PostgreSQL database of its own.
"""

from __future__ import annotations

import argparse
import os
import secrets
import sys
from collections.abc import Callable

MEASUREMENTS = (
    "headline",
    "report",
    "report-all",
    "network",
    "pages",
    "ingest",
    "ingest-load",
    "import",
    "tasks",
)


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--programmes", type=int, default=100)
    parser.add_argument("--clients", type=int, default=1_000_000)
    parser.add_argument("--ingest", type=int, default=1000, help="FHIR referrals to send")
    parser.add_argument(
        "--import-rows",
        default="100000,1000000",
        help="workbook sizes to import, comma-separated: memory should stay flat across them",
    )
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--users", type=int, default=20, help="simulated users per page")
    parser.add_argument("--seconds", type=int, default=30, help="load per page")
    parser.add_argument(
        "--senders",
        default="1,2,4",
        help="numbers of systems sending referrals at once, comma-separated",
    )
    parser.add_argument(
        "--only",
        default="",
        help=f"measure only these, comma-separated: {', '.join(MEASUREMENTS)}",
    )
    options = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "healthtrainer.config.settings")
    os.environ.setdefault("DEBUG", "true")
    # Shared with the gunicorn it starts, which runs with debug off and needs a real key.
    os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(64))
    import django

    django.setup()
    from django.core.management import call_command

    from bench.fhir import ingest_programme
    from bench.figure import Figure
    from bench.load import fhir_ingest_under_load, pages_under_load
    from bench.measure import (
        fhir_ingest,
        headline_metrics,
        largest_programme,
        report,
        workbook_import,
    )
    from bench.network import network_figures
    from bench.table import markdown
    from bench.tasks import tasks_processed
    from healthtrainer.programmes.models import Programme

    call_command("migrate", verbosity=0)
    if not Programme.objects.filter(slug__startswith="synthetic-").exists():
        call_command(
            "generate_synthetic",
            programmes=options.programmes,
            clients=options.clients,
            seed=1,
        )
    programme = largest_programme()
    everyone = list(Programme.objects.filter(slug__startswith="synthetic-").order_by("slug"))
    receiving = ingest_programme()
    measurements: list[tuple[str, str, Callable[[], Figure | list[Figure]]]] = [
        ("headline", "headline metrics", lambda: headline_metrics(programme, options.repeat)),
        (
            "report",
            "the report for one programme",
            lambda: report([programme], options.repeat, "one programme"),
        ),
        (
            "report-all",
            "the report for every programme",
            lambda: report(everyone, 1, f"all {len(everyone)} programmes"),
        ),
        (
            "network",
            "the network's figures",
            lambda: network_figures(everyone, options.repeat),
        ),
        (
            "pages",
            "pages under load",
            lambda: pages_under_load(programme, options.users, options.seconds),
        ),
        ("ingest", "FHIR ingest from one sender", lambda: fhir_ingest(receiving, options.ingest)),
        (
            "ingest-load",
            "FHIR ingest under load",
            lambda: fhir_ingest_under_load(
                receiving, [int(count) for count in options.senders.split(",")], options.seconds
            ),
        ),
        *[
            (
                "import",
                f"a workbook import of {int(rows):,} rows",
                lambda rows=rows: workbook_import(int(rows)),
            )
            for rows in options.import_rows.split(",")
        ],
        ("tasks", "background tasks with one worker", lambda: tasks_processed(1)),
        ("tasks", "background tasks with two workers", lambda: tasks_processed(2)),
    ]
    figures: list[Figure] = []
    only = set(filter(None, options.only.split(",")))
    for key, what, measure in measurements:
        if only and key not in only:
            continue
        print(f"Measuring {what}…", file=sys.stderr, flush=True)
        found = measure()
        figures.extend(found if isinstance(found, list) else [found])
    print(markdown(figures))


if __name__ == "__main__":
    main()
