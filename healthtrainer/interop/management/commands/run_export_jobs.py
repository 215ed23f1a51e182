import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from healthtrainer.interop.exports import run_next


class Command(BaseCommand):
    help = (
        "Build the exports asked for through the API, oldest first. Run it from the "
        "scheduler on one node; with --wait it keeps watching for new jobs."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--wait", type=float, metavar="SECONDS", help="keep running, checking this often"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        while True:
            job = run_next()
            if job is not None:
                self.stdout.write(f"Export job {job.pk}: {job.state}.")
                continue
            if options["wait"] is None:
                return
            time.sleep(options["wait"])
