"""`python -m bench`: make the dataset if the database has none, measure, print the table.

Run by `make bench`, which points it at a PostgreSQL database of its own.
"""

from __future__ import annotations

import argparse
import os
import secrets
import sys


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--programmes", type=int, default=100)
    parser.add_argument("--clients", type=int, default=1_000_000)
    parser.add_argument("--ingest", type=int, default=1000, help="FHIR referrals to send")
    parser.add_argument("--import-rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--users", type=int, default=20, help="simulated users per page")
    parser.add_argument("--seconds", type=int, default=30, help="load per page")
    parser.add_argument("--senders", type=int, default=4, help="systems sending referrals")
    options = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "healthtrainer.config.settings")
    os.environ.setdefault("DEBUG", "true")
    # Shared with the gunicorn it starts, which runs with debug off and needs a real key.
    os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(64))
    import django

    django.setup()
    from django.core.management import call_command

    from bench.load import fhir_ingest_under_load, pages_under_load
    from bench.measure import (
        fhir_ingest,
        headline_metrics,
        largest_programme,
        report,
        workbook_import,
    )
    from bench.table import markdown
    from healthtrainer.demo.synthetic import generate
    from healthtrainer.programmes.models import Programme

    call_command("migrate", verbosity=0)
    if not Programme.objects.filter(slug__startswith="synthetic-").exists():
        print(
            f"Making {options.clients:,} synthetic clients in {options.programmes} programmes…",
            file=sys.stderr,
        )
        generate(programmes=options.programmes, clients=options.clients, seed=1)
    programme = largest_programme()
    everyone = list(Programme.objects.filter(slug__startswith="synthetic-"))
    figures = [
        headline_metrics(programme, options.repeat),
        report([programme], options.repeat, "one programme"),
        report(everyone, 1, f"all {len(everyone)} programmes"),
        *pages_under_load(programme, options.users, options.seconds),
        fhir_ingest(programme, options.ingest),
        fhir_ingest_under_load(programme, options.senders, options.seconds),
        *workbook_import(options.import_rows),
    ]
    print(markdown(figures))


if __name__ == "__main__":
    main()
